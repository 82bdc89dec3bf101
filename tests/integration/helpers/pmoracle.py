# SPDX-License-Identifier: GPL-2.0-or-later
# pmoracle.py - the oracles of the procmon workload (procmon/pmwork.c):
# vmiscope's Linux events against the guest's own account of what it did
# (`PMW {json}` lines), shared by test_procmon_linux.py (`run`) and
# test_attach_procmon.py (`attach`, sw and hw breakpoints).
#
# Every logged clone, exec, exit and signal must appear as exactly one
# event with the right fields, and no other event may concern the
# workload's processes. With at_entry=True (attach --breakpoints hw: the
# return sites got no breakpoint, docs/events.md §7) exec and clone were
# printed at their entry: clone has no NewPid (so clones are matched by
# caller and kind) and names NewPid in Unreadable; exec names exactly the
# fields the call computes (suid, euid, secureexec) in Unreadable. The
# checks never share code with vmiscope: procmon/evparse.py reads the
# lines back from docs/events.md alone.
import collections
import json
import os
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(HERE, 'procmon'))
import evparse  # noqa: E402
from helpers.workload import guest_log, stats_lines  # noqa: E402

FORMATS = (('json', 'json'), ('csv', 'csv'), ('kv', 'kv'), ('default', 'txt'))
FILTER = ['LD_PRELOAD', 'PMW_VAR']
ENTRY_UNREADABLE = ['suid', 'euid', 'secureexec']


def pmw_log(lines):
    """The `PMW {json}` records among console lines."""
    return guest_log(lines, 'PMW')


class Run:
    """One monitored run of the workload: its log, its events (out.json
    and the other formats' files in @d) and vmiscope's stderr."""

    def __init__(self, release, d, log, stderr):
        self.release = release
        self.d = d
        self.log = log
        self.events = evparse.parse_file('json', os.path.join(d, 'out.json'))
        self.stderr = stderr

    def logged(self, ev, sc=None):
        return [x for x in self.log if x['ev'] == ev and
                (sc is None or x.get('sc') == sc)]

    def hooks(self, method):
        return [e for e in self.events
                if e['kind'] == 'hook' and e['Method'] == method]

    def stats(self):
        return next(iter(stats_lines(self.stderr)), {})


def output_args(d):
    """--output FMT:FILE for each format, into @d."""
    args = []
    for fmt, ext in FORMATS:
        args += ['--output', '%s:%s' % (fmt, os.path.join(d, 'out.' + ext))]
    return args


def write_filter(d):
    path = os.path.join(d, 'filter.txt')
    with open(path, 'w') as fh:
        fh.write('# procmon test filter\n\n' + '\n'.join(FILTER) + '\r\n')
    return path


def unhex(h):
    return bytes.fromhex(h).decode('utf-8', 'replace')


def env_value(envh):
    """Environment as the contract defines it: filtered, sorted, K=V,..."""
    kept = []
    for e in (unhex(x) for x in envh):
        k, _, v = e.partition('=')
        if k in FILTER:
            kept.append((k, v))
    kept.sort(key=lambda kv: kv[0].encode())
    return ','.join('%s=%s' % kv for kv in kept) or None


def pids(r):
    """PIDs (processes) and TIDs the workload created or is."""
    start = r.logged('start')[0]
    procs = {start['pid']}
    tids = {start['pid']}
    for c in r.logged('clone'):
        tids.add(c['newpid'])
        if c['kind'] != 'thread':
            procs.add(c['newpid'])
    return start, procs, tids


def report(r, name, expected, seen):
    print('%s %s: workload %d, events %d' % (r.release, name, expected, seen))
    return expected, seen


def clone_kind(flags):
    if 'CLONE_THREAD' in flags:
        return 'thread'
    return 'vfork' if 'CLONE_VFORK' in flags else 'fork'


def check_clone(run, at_entry=False):
    start, procs, tids = pids(run)
    if at_entry:
        return check_clone_at_entry(run, start, tids)
    want = collections.Counter((c['tid'], c['newpid'])
                               for c in run.logged('clone'))
    want[(start['ppid'], start['pid'])] += 1     # the shell started us
    evs = [e for e in run.hooks('kernel_clone')
           if e['TID'] in tids or e['fields']['NewPid'] in tids]
    got = collections.Counter((e['TID'], e['fields']['NewPid']) for e in evs)
    counts = report(run, 'kernel_clone', sum(want.values()), len(evs))
    assert got == want
    kinds = {(c['tid'], c['newpid']): c['kind'] for c in run.logged('clone')}
    keys = {e['PID']: e['fields'].get('ProcessKey')
            for e in run.hooks('do_exit')}
    for e in evs:
        f = e['fields']
        flags = set(f['Flags'].split('|')) if f['Flags'] else set()
        kind = kinds.get((e['TID'], f['NewPid']), 'fork')
        check_clone_flags(f, flags, kind)
        if kind == 'thread':
            assert f['NewProcessKey'] == f['ProcessKey']
        else:
            assert f['NewProcessKey'] == keys.get(f['NewPid']), f
        assert 'Errno' not in f and 'Unreadable' not in f
    return counts


def check_clone_flags(f, flags, kind):
    if kind == 'thread':
        assert {'CLONE_VM', 'CLONE_THREAD', 'CLONE_SIGHAND'} <= flags
        assert (f['Signal'], f['SignalStr']) == (0, 'SIGCHECK')
    else:
        assert 'CLONE_THREAD' not in flags
        assert (f['Signal'], f['SignalStr']) == (17, 'SIGCHLD')
        assert ('CLONE_VFORK' in flags) == (kind == 'vfork'), f


def check_clone_at_entry(run, start, tids):
    """No NewPid at entry: each caller made the logged number of clones of
    each kind (fork, vfork, thread)."""
    want = collections.Counter((c['tid'], c['kind'])
                               for c in run.logged('clone'))
    want[(start['ppid'], 'fork')] += 1           # the shell started us
    callers = tids | {start['ppid']}
    evs = [e for e in run.hooks('kernel_clone') if e['TID'] in callers]
    got = collections.Counter()
    for e in evs:
        f = e['fields']
        flags = set(f['Flags'].split('|')) if f['Flags'] else set()
        kind = clone_kind(flags)
        got[(e['TID'], kind)] += 1
        check_clone_flags(f, flags, kind)
        assert 'NewPid' not in f and 'Errno' not in f, f
        if kind == 'thread':
            assert f['NewProcessKey'] == f['ProcessKey']
            assert f['Unreadable'] == ['NewPid'], f
        else:
            assert 'NewProcessKey' not in f, f
            assert sorted(f['Unreadable']) == ['NewPid', 'NewProcessKey'], f
    counts = report(run, 'kernel_clone', sum(want.values()), len(evs))
    assert got == want
    return counts


def check_exec(run, at_entry=False):
    start, procs, tids = pids(run)
    # An exec the guest says failed (its errno is logged) has no event.
    failed = {x['pid'] for x in run.logged('exec_failed')}
    logged = [x for x in run.logged('exec') if x['pid'] not in failed]
    want = collections.Counter(
        (x['pid'], x['tid'], tuple(unhex(a) for a in x['argvh']))
        for x in logged)
    want[(start['pid'], start['pid'], ('/bin/pmwork',))] += 1
    evs = [e for e in run.hooks('begin_new_exec') if e['PID'] in procs]
    got = collections.Counter((e['PID'], e['TID'],
                               tuple(e['fields']['Arguments'])) for e in evs)
    counts = report(run, 'begin_new_exec', sum(want.values()), len(evs))
    assert got == want
    by = {(e['PID'], tuple(e['fields']['Arguments'])): e for e in evs}
    for x in logged:
        argv = [unhex(a) for a in x['argvh']]
        e = by[(x['pid'], tuple(argv))]
        f = e['fields']
        suid = x['sc'] == 'setuid'
        assert e['ProcessName'] == start['image']
        assert e['PPID'] == start['pid']
        assert e['UserId'] == x['uid']
        assert f['ThreadName'] == 'pmwork'
        assert f['CommandLine'] == ' '.join(argv)
        assert f['ImagePathName'] == x['image']
        assert f.get('FileName') == x['file']
        assert f.get('interp') == x['interp']
        assert f.get('fdpath') == (x['fdpath'] or None)
        assert (f['ouid'], f['osuid'], f['oeuid']) == (x['uid'],) * 3
        assert f.get('Environment') == env_value(x['envh'])
        assert f['CWD'] == '/'
        assert 'Truncated' not in f
        if at_entry:
            # What begin_new_exec computes is not known at its entry.
            assert (f['suid'], f['euid']) == (4294967295,) * 2
            assert 'secureexec' not in f
            assert f['Unreadable'] == ENTRY_UNREADABLE, f
            continue
        assert (f['suid'], f['euid']) == ((0, 0) if suid else (x['uid'],) * 2)
        assert f.get('secureexec') == (1 if suid else None)
        assert 'Unreadable' not in f
    # The setuid program's own account of its ids.
    ids = run.logged('suid')[0]
    assert (ids['uid'], ids['euid']) == (1000, 0)
    for x in run.logged('exec_failed'):
        print('%s: the guest could not exec in scenario %s: errno %d'
              % (run.release, x['sc'], x['errno']))
    # Debian's 5.10 answers ENOENT to execveat() with a file descriptor,
    # with or without vmiscope (checked with plain QEMU): only there may
    # the two fd-based execs fail; on 6.x they must happen.
    allowed = ({'fexecve', 'execveat'}
               if run.release.startswith('5.10.') else set())
    assert {x['sc'] for x in run.logged('exec_failed')} <= allowed
    return counts


def check_exit(run):
    start, procs, tids = pids(run)
    logged = run.logged('exit')

    def status(x):
        return (128 + x['signal']) if 'signal' in x else x['code']
    want = collections.Counter((x['pid'], x['tid'], status(x), x['last'])
                               for x in logged)
    evs = [e for e in run.hooks('do_exit') if e['PID'] in procs]
    got = collections.Counter((e['PID'], e['TID'], e['fields']['ExitStatus'],
                               e['fields'].get('GroupExit', 0)) for e in evs)
    counts = report(run, 'do_exit', sum(want.values()), len(evs))
    assert got == want
    for x in (x for x in logged if 'signal' in x):
        e = [e for e in evs if e['PID'] == x['pid']][0]
        f = e['fields']
        assert f['ExitSignal'] == x['signal']
        assert f['ExitSignalStr'] == {9: 'SIGKILL', 11: 'SIGSEGV',
                                      15: 'SIGTERM'}[x['signal']]
        assert f['ExitStatusStr'] == 'EXIT_' + f['ExitSignalStr']
        assert f.get('CoreDumped') == (1 if x['core'] else None)
    for x in (x for x in logged if x.get('code') is not None):
        e = [e for e in evs if (e['PID'], e['TID']) == (x['pid'], x['tid'])][0]
        assert 'ExitSignal' not in e['fields']
        assert e['fields']['ExitStatusStr'] == {
            0: 'EXIT_SUCCESS', 1: 'EXIT_FAILURE', 5: 'UNDEFINED',
            7: 'UNDEFINED', 97: 'UNDEFINED',
            127: 'EXIT_COMMAND_NOT_FOUND'}[x['code']]
    return counts


def check_signal(run):
    start, procs, tids = pids(run)
    logged = run.logged('signal')
    want = collections.Counter((x['pid'], x['tid'], x['tpid'], x['ttid'],
                                x['sig']) for x in logged)
    evs = [e for e in run.hooks('do_send_sig_info') if e['TID'] in tids]
    got = collections.Counter((e['PID'], e['TID'], e['fields']['TargetPID'],
                               e['fields']['TargetTID'], e['fields']['Signal'])
                              for e in evs)
    counts = report(run, 'do_send_sig_info', sum(want.values()), len(evs))
    assert got == want
    names = {9: 'SIGKILL', 10: 'SIGUSR1', 11: 'SIGSEGV', 15: 'SIGTERM'}
    for e in evs:
        f = e['fields']
        assert f['SignalStr'] == names[f['Signal']]
        assert f['TargetProcessName'] == start['image']
        assert f['TargetThreadName'] == 'pmwork'
    # A NULL store's SIGSEGV is forced by the kernel: no signal event.
    null = run.logged('exit', 'nullderef')[0]
    assert not [e for e in evs if e['fields']['TargetPID'] == null['pid']]
    return counts


def check_formats(run):
    base = None
    for fmt, ext in FORMATS:
        evs = evparse.parse_file(fmt, os.path.join(run.d, 'out.' + ext))
        for e in evs:
            if e['kind'] == 'running':
                e['fields'].pop('Bitness', None)   # default omits it
        keys = collections.Counter(evparse.common_key(e) for e in evs)
        print('%s %s: %d lines' % (run.release, fmt, len(evs)))
        if base is None:
            base = keys
        else:
            assert keys == base, fmt


def check_stream(run, at_entry=False):
    kinds = [e['kind'] for e in run.events]
    # The start-up list first, then only live events.
    assert kinds[0] == 'running'
    assert 'running' not in kinds[kinds.index('hook'):]
    st = run.stats()
    print('%s stats %s' % (run.release, json.dumps(st)))
    assert st['pending_returns_dropped'] == 0
    assert st['translation_flushes'] == 0
    if at_entry:
        # The return sites the backend refused are counted, not hidden.
        assert st['unresolved_hooks'] > 0
    else:
        assert st['unresolved_hooks'] == 0

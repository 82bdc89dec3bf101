# SPDX-License-Identifier: GPL-2.0-or-later
# test_identity.py - process identity and the extras of issue 9 against
# the guest's own account, on every test kernel (Debian 6.1, 6.12, 5.10).
#
# The guest runs identity/idwork.c under --smp 2: a known process tree in
# which every process logs its PID and parent PID right after fork, every
# argv it passes to exec, every signal it sends and (for a leader that
# leaves first) which thread is last. One `vmiscope run -o json
# --stats-interval 1`. Checked, with the workload's log as the oracle:
#   - ProcessKey: one key per process instance, all its events carry it,
#     exec keeps it, PID reuse (one PID held three times) gives new keys;
#   - a child's ParentProcessKey is its parent's key; a fork's
#     NewProcessKey is the child's key; a thread's is its process's;
#     TargetProcessKey is the signalled process's key;
#   - Arguments round-trips argv exactly (spaces, quotes, empty arguments,
#     UTF-8, backslash, tab);
#   - every line validates against docs/events.schema.json (keys required);
#   - GroupExit on the exit of each process's last thread only (also when
#     the leader leaves first, and for exit_group with 8 live threads);
#   - `vmiscope: stats {...}` lines come every second and at exit, and the
#     last one's counts equal the events printed;
#   - `vmiscope report` of the run gives, in headless Chromium's DOM, the
#     workload's real process tree.
import collections
import json
import os
import subprocess

import pytest

import test_report as tr
from helpers.schema import check_json_lines
from helpers.workload import boot, read_log, read_stderr, stats_lines

HERE = os.path.dirname(os.path.abspath(__file__))
IDW = os.path.join(HERE, 'identity')
SUITES = ('bookworm', 'bookworm-backports', 'bullseye')
REUSE_PID = 30000
AWKWARD = ['idhelper', 'a b', 'q"uote', "'single'", '',
           '\u00fc\u65e5\u672c', 'back\\slash', 'tab\there', '  two  spaces ',
           '', 'end', '']


class Run:
    def __init__(self, kernel, d):
        self.kernel = kernel
        self.d = d
        self.log = read_log(d, 'IDW')
        with open(os.path.join(d, 'out.json'), 'rb') as fh:
            self.raw = fh.read()
        self.events = [json.loads(ln) for ln in self.raw.decode().splitlines()]
        self.stderr = read_stderr(d)
        self.procs = self._procs()

    def logged(self, ev):
        return [x for x in self.log if x['ev'] == ev]

    def hooks(self, method=None):
        return [e for e in self.events if 'Method' in e and
                (method is None or e['Method'] == method)]

    def _procs(self):
        """Every process the workload made, in log order, with its key:
        the k-th process logged with PID p was made by the k-th fork
        event whose NewPid is p."""
        start = self.logged('start')[0]
        forks = collections.defaultdict(list)
        for e in self.hooks('kernel_clone'):
            if 'CLONE_THREAD' not in e['Flags'].split('|'):
                forks[e['NewPid']].append(e)
        driver = [e for e in self.hooks('begin_new_exec')
                  if e['PID'] == start['pid']][0]
        procs = [{'pid': start['pid'], 'ppid': start['ppid'], 'role': 'driver',
                  'key': driver['ProcessKey'], 'parent': None, 'fork': None}]
        used = collections.Counter()
        live = {start['pid']: procs[0]}
        for x in self.logged('proc'):
            f = forks[x['pid']][used[x['pid']]]
            used[x['pid']] += 1
            p = {'pid': x['pid'], 'ppid': x['ppid'], 'role': x['role'],
                 'key': f.get('NewProcessKey'), 'parent': live[x['ppid']],
                 'fork': f}
            procs.append(p)
            live[x['pid']] = p
        return procs

    def stats_lines(self):
        return stats_lines(self.stderr)


@pytest.fixture(scope='module', params=SUITES)
def run(request, kernels, vmiscope, static_cc, tmp_path_factory):
    k = kernels[request.param]
    d = str(tmp_path_factory.mktemp('identity-' + request.param))
    opts = ['-o', 'json', '--stats-interval', '1',
            '--output', 'json:' + os.path.join(d, 'out.json')]
    rc = boot(vmiscope, k, d, static_cc, os.path.join(IDW, 'idwork.c'),
              ('idwork', 'idhelper'), opts, 600, 900)
    r = Run(k, d)
    assert rc == 0, r.stderr[-3000:]
    assert r.logged('done'), 'workload did not finish'
    assert not r.logged('error') and not r.logged('exec_failed')
    assert not r.logged('reuse_failed'), r.log
    yield r


def report(r, what, n):
    print('%s %s: %s' % (r.kernel.release, what, n))


def test_keys_unique_and_stable(run):
    keys = [p['key'] for p in run.procs]
    assert None not in keys and len(set(keys)) == len(keys)
    pids = collections.defaultdict(set)
    by_key = collections.defaultdict(list)
    for e in run.hooks():
        pids[e['ProcessKey']].add(e['PID'])
        by_key[e['ProcessKey']].append(e)
    for p in run.procs:
        # All events under the key are this PID's, and it has some.
        assert pids[p['key']] == {p['pid']}, p['role']
        assert by_key[p['key']], p['role']
    # One PID, three holders, three keys.
    holders = [p for p in run.procs if p['role'] == 'holder']
    assert [p['pid'] for p in holders] == [REUSE_PID] * 3
    assert len({p['key'] for p in holders}) == 3
    assert len({p['parent']['key'] for p in holders}) == 2
    # Exec keeps the key: the chain made three execs in one process.
    chain = [p for p in run.procs if p['role'] == 'chain'][0]
    execs = [e for e in by_key[chain['key']] if e['Method'] == 'begin_new_exec']
    assert [e['Arguments'] for e in execs] == [
        ['idhelper', 'chain', '2'], ['idhelper', 'chain', '1'],
        ['idhelper', 'chain', '0']]
    report(run, 'keys', '%d processes, %d keys, %d events with keys' % (
        len(run.procs), len(set(keys)), len(run.hooks())))


def test_parent_and_new_keys(run):
    n = 0
    for p in run.procs[1:]:
        f = p['fork']
        assert f['PID'] == p['ppid']
        assert f['ProcessKey'] == p['parent']['key']
        for e in run.hooks('begin_new_exec'):
            if e['ProcessKey'] == p['key']:
                assert e['ParentProcessKey'] == p['parent']['key']
                assert e['PPID'] == p['ppid']
                n += 1
    # A thread's NewProcessKey is its process's key.
    threads = [e for e in run.hooks('kernel_clone')
               if 'CLONE_THREAD' in e['Flags'].split('|')]
    assert threads
    assert all(e['NewProcessKey'] == e['ProcessKey'] for e in threads)
    report(run, 'parent keys', '%d forks, %d execs, %d thread clones' % (
        len(run.procs) - 1, n, len(threads)))


def test_signal_target_keys(run):
    key = {}
    for p in run.procs:
        key[p['pid']] = p['key']        # the signals come before any reuse
    want = [(key[x['pid']], key[x['tpid']], x['sig'])
            for x in run.logged('signal')]
    pids = {p['pid'] for p in run.procs}
    got = [(e['ProcessKey'], e['TargetProcessKey'], e['Signal'])
           for e in run.hooks('do_send_sig_info') if e['PID'] in pids]
    assert sorted(got) == sorted(want) and len(want) == 2


def test_arguments_round_trip(run):
    logged = run.logged('exec')
    assert any([bytes.fromhex(a).decode() for a in x['argvh']] == AWKWARD
               for x in logged)
    want = collections.Counter(
        (x['pid'], tuple(bytes.fromhex(a).decode() for a in x['argvh']))
        for x in logged)
    pids = {p['pid'] for p in run.procs}
    got = collections.Counter((e['PID'], tuple(e['Arguments']))
                              for e in run.hooks('begin_new_exec')
                              if e['PID'] in pids and
                              e['PID'] != run.procs[0]['pid'])
    assert got == want
    for e in run.hooks('begin_new_exec'):
        assert e['CommandLine'] == ' '.join(e['Arguments'])
    report(run, 'Arguments', '%d execs round-trip' % sum(want.values()))


def test_every_line_validates(run):
    n = check_json_lines(run.raw, require_keys=True)
    assert n == len(run.events)
    report(run, 'schema', '%d lines valid' % n)


def test_group_exit_on_last_thread_only(run):
    exits = collections.defaultdict(list)
    for e in run.hooks('do_exit'):
        exits[e['ProcessKey']].append(e)
    last = {x['pid']: x['tid'] for x in run.logged('last')}
    bad = []
    for p in run.procs:
        ev = exits[p['key']]
        if p['role'] == 'driver':
            continue        # the driver's exit races the power-off
        group = [e for e in ev if e.get('GroupExit') == 1]
        # After exit_group the threads die on both vCPUs at once: the one
        # whose decrement of signal->live reached 0 (group_dead) can reach
        # the hook before another thread that decremented earlier, so the
        # GroupExit line need not be the process's last line there. Where
        # the workload orders the exits itself (threads joined first, the
        # leader last; the leader first) it must be the last.
        ordered = p['role'] != 'group_exit'
        if len(group) != 1 or (ordered and group[0] is not ev[-1]):
            bad.append((p['role'], p['pid'], [(e['TID'], e.get('GroupExit'))
                                              for e in ev]))
        if p['role'] in ('threads_first', 'a2a'):
            assert len(ev) == 5
        if p['role'] == 'group_exit':
            assert len(ev) == 9
        if p['role'] == 'leader_first':
            assert last[p['pid']] != p['pid']
            assert len(ev) == 2 and ev[0]['TID'] == p['pid']
            assert group and group[0]['TID'] == last[p['pid']]
    assert not bad, bad
    report(run, 'GroupExit', '%d processes, one GroupExit each' %
           (len(run.procs) - 1))


def test_stats_periodic_and_exact(run):
    lines = run.stats_lines()
    assert len(lines) >= 3, run.stderr[-2000:]
    final = lines[-1]
    counts = collections.Counter(e.get('Method', 'RunningProcess')
                                 for e in run.events)
    assert {k: v for k, v in final['events'].items() if v} == dict(counts)
    assert final['events_total'] == len(run.events)
    totals = [s['events_total'] for s in lines]
    assert totals == sorted(totals)
    assert final['pending_returns_dropped'] == 0
    report(run, 'stats', '%d stats lines, final events_total %d' % (
        len(lines), final['events_total']))


def canon(node):
    return (node[0], sorted(canon(k) for k in node[1]))


def test_report_tree_equals_workload(run, vmiscope, tmp_path):
    page = tmp_path / 'report.html'
    r = subprocess.run([vmiscope, 'report', os.path.join(run.d, 'out.json'),
                        '-o', str(page)], stderr=subprocess.PIPE, timeout=120)
    assert r.returncode == 0, r.stderr
    t = tr.DomTree()
    t.feed(tr.chromium(['--dump-dom', page.as_uri()], tmp_path))
    assert t.body.get('data-ready') == '1'
    driver = run.procs[0]['pid']
    found = []
    todo = list(t.roots)
    while todo:
        n = todo.pop()
        if n['pid'] == driver and n['name'] == 'idwork':
            found.append(n)
        todo += n['kids']
    assert len(found) == 1

    def dom(n):
        return (n['pid'], [dom(k) for k in n['kids']])

    def real(p):
        return (p['pid'], [real(c) for c in run.procs if c['parent'] is p])
    assert canon(dom(found[0])) == canon(real(run.procs[0]))
    report(run, 'report tree', '%d processes under the driver' %
           (len(run.procs) - 1))

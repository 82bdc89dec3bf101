# SPDX-License-Identifier: GPL-2.0-or-later
# test_adversarial.py - a hostile guest (issue 8) against the guest's own
# account, on every test kernel (Debian 6.1, 6.12, 5.10).
#
# The guest (--memory 2048, --smp 2, threads-max and pid_max raised) runs
# adversarial/advwork.c, which logs what it does (`ADV {json}` lines):
#   - a program that overwrites its argv strings and environment in place
#     with forged text, then forks, signals itself and execs: the exec event
#     shows what execve was given, later events name the process from the
#     kernel (exe_file, comm), and the forged text appears nowhere;
#   - execs with 2000 arguments, with 100 KiB strings up to near ARG_MAX
#     and with 2000 environment strings: the events hold exactly what the
#     bounds of docs/compat.md §3 and docs/guest-reads.md keep (1024
#     arguments, 1024 environment strings, 32 KiB per string, 256 KiB in
#     all, read from argv[0] on) and `Truncated` names exactly the cut
#     fields; the argv/env are re-created here from the workload's recipe
#     and checked against its logged counts, sizes and FNV-1a hashes;
#   - 10 000 threads alive at once (fewer is a failure): exactly 10 000
#     CLONE_THREAD clones and 10 000 thread exits, none a GroupExit;
#   - a binary named with \n, ESC, '"', forged line text and invalid UTF-8,
#     with such a comm: in all four formats every line parses, csv columns
#     never shift, the names decode back to the guest's bytes, json is
#     valid UTF-8 with `Lossy`;
#   - one PID handed out 4 times (ns_last_pid): each holder its own name,
#     parent and key.
# One `vmiscope run` writes all four formats (--extended). Set
# VMISCOPE_ADV_ASAN=DIR (an ASan+UBSan build dir, as scripts/sanitize makes
# in build-asan) to run the same guests with that vmiscope and the ASan
# runtime preloaded into QEMU; any sanitizer report fails the test.
import collections
import json
import os
import subprocess

import pytest

from helpers import pmoracle
from helpers.schema import check_json_lines
from helpers.workload import boot, read_log, read_stderr, stats_lines

HERE = os.path.dirname(os.path.abspath(__file__))
ADV = os.path.join(HERE, 'adversarial')
evparse = pmoracle.evparse

SUITES = ('bookworm', 'bookworm-backports', 'bullseye')
FILTER = ['ADV_SECRET', 'ADV_BIGVAL', 'ADV_LATE']
HOSTILE_FILE = (b'adv\n[PROCMON] TIME:1 forged\x1b[31m"q","PID":1,'
                b'\xff\xfe\xe6\x97x')
HOSTILE_PATH = b'/tmp/' + HOSTILE_FILE
HOSTILE_COMM = b'c\n\x1b"\xff\xe6\x97,x"y'
NTHREADS = 10000
REUSE_PID = 20000
# The exec bounds as docs/compat.md §3 states them.
MAX_ARGS = MAX_ENVS = 1024
MAX_STR = 32 << 10
AREA = 256 << 10


class Run(pmoracle.Run):
    def __init__(self, kernel, d):
        self.kernel = kernel
        super().__init__(kernel.release, d, read_log(d, 'ADV'),
                         read_stderr(d))
        self.raw = {}
        for fmt, ext in pmoracle.FORMATS:
            with open(os.path.join(d, 'out.' + ext), 'rb') as fh:
                self.raw[fmt] = fh.read()

    def of(self, pid, method=None):
        return [e for e in self.events if e['kind'] == 'hook' and
                e['PID'] == pid and (method is None or e['Method'] == method)]

    def stats(self):
        return (stats_lines(self.stderr) or [{}])[-1]


@pytest.fixture(scope='module', params=SUITES)
def run(request, kernels, vmiscope, static_cc, tmp_path_factory):
    k = kernels[request.param]
    d = str(tmp_path_factory.mktemp('adv-' + request.param))
    filt = os.path.join(d, 'filter.txt')
    with open(filt, 'w') as fh:
        fh.write('\n'.join(FILTER) + '\n')
    exe, env = vmiscope, None
    asan = os.environ.get('VMISCOPE_ADV_ASAN')
    if asan:
        exe = os.path.join(asan, 'vmiscope')
        lib = subprocess.run(['gcc', '-print-file-name=libasan.so'],
                             stdout=subprocess.PIPE, text=True).stdout.strip()
        env = dict(os.environ, LD_PRELOAD=lib,
                   ASAN_OPTIONS='detect_leaks=0:abort_on_error=1',
                   UBSAN_OPTIONS='print_stacktrace=1:halt_on_error=1')
    opts = ['--extended', '--procmon-filter-file', filt, '--memory', '2048']
    rc = boot(exe, k, d, static_cc, os.path.join(ADV, 'advwork.c'),
              ('advwork', 'advhelper'), opts + pmoracle.output_args(d),
              600, 900, env=env)
    r = Run(k, d)
    assert rc == 0, r.stderr[-3000:]
    assert not [ln for ln in r.stderr.splitlines()
                if 'Sanitizer' in ln or 'runtime error:' in ln]
    assert r.logged('done'), 'workload did not finish'
    assert not r.logged('error') and not r.logged('exec_failed'), r.log
    yield r


def unhex(h):
    return bytes.fromhex(h).decode('utf-8', 'replace')


def report(r, what, n):
    print('%s %s: %s' % (r.kernel.release, what, n))


# ---- argv / env rewritten after exec ------------------------------------

def test_rewrite_shows_what_exec_was_given(run):
    x = run.logged('exec', 'rewrite')[0]
    pid = x['pid']
    assert run.logged('rewrote')[0]['pid'] == pid
    evs = run.of(pid)
    execs = [e for e in evs if e['Method'] == 'begin_new_exec']
    assert len(execs) == 2
    first, again = execs
    argv = [unhex(a) for a in x['argvh']]
    assert first['fields']['Arguments'] == argv
    assert first['fields']['CommandLine'] == ' '.join(argv)
    assert first['fields']['Environment'] == 'ADV_SECRET=original value'
    assert again['fields']['Arguments'] == ['advhelper', 'after-rewrite']
    # After the rewrite: names from exe_file and comm only.
    after = evs[evs.index(first) + 1:]
    assert [e['Method'] for e in after] == [
        'kernel_clone', 'do_send_sig_info', 'begin_new_exec', 'do_exit']
    for e in after:
        f = e['fields']
        assert e['ProcessName'] == '/bin/advhelper'
        assert f.get('ThreadName', 'advhelper') == 'advhelper'
        assert f.get('TargetProcessName', '/bin/advhelper') == '/bin/advhelper'
        assert f.get('TargetThreadName', 'advhelper') == 'advhelper'
        assert 'Unreadable' not in f
    # The child forked after the rewrite is named from the kernel too.
    child = run.logged('fork', 'rewrite')[-1]['child']
    ex = run.of(child, 'do_exit')
    assert [e['ProcessName'] for e in ex] == ['/bin/advhelper']
    assert ex[0]['fields']['ExitStatus'] == 3
    for fmt, data in run.raw.items():
        assert b'FORGED' not in data, fmt
    report(run, 'rewrite', 'events of the rewriting process %d' % len(evs))


# ---- long argv / env -----------------------------------------------------

def recipe(sc):
    """The argv and envp advwork.c builds for scenario @sc."""
    small_env = ['PATH=/bin', 'ADV_SECRET=long']
    if sc == 'count':
        return (['advhelper', 'long'] +
                ['arg%04d' % i for i in range(2, 2000)], small_env)
    if sc == 'big':
        argv = ['advhelper', 'long']
        for i in range(2, 2000):
            argv.append(chr(ord('A') + (i // 110) % 26) * (100 << 10)
                        if (i - 2) % 110 == 0 else 's%04d' % i)
        return argv, small_env
    envp = ['PATH=/bin', 'ADV_SECRET=env-first',
            'ADV_BIGVAL=' + 'v' * (40 << 10)]
    for i in range(3, 1999):
        envp.append('BIG%d=' % i + 'e' * (100 << 10) if i % 250 == 0
                    else 'E%04d=v' % i)
    envp.append('ADV_LATE=late')
    return ['advhelper', 'long', 'env'], envp


def fnv(strings):
    h = 0xcbf29ce484222325
    for s in strings:
        for b in s.encode() + b'\0':
            h = ((h ^ b) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return '%016x' % h


def bounded(argv, envp):
    """What docs/compat.md §3 says an exec event keeps: strings from
    argv[0] on inside a 256 KiB area, at most 1024 arguments and 1024
    environment strings, each cut at 32 KiB. Returns (argv kept, envp
    kept, set of Truncated names)."""
    pos, cut = 0, set()
    kept = {'a': [], 'e': []}
    for which, strings, cap in (('a', argv, MAX_ARGS), ('e', envp, MAX_ENVS)):
        for s in strings:
            n = len(s.encode()) + 1
            if pos + n > AREA:                  # the area ends inside it
                cut.add(which)
                if which == 'a':
                    cut.add('e')
                break
            pos += n
            if len(kept[which]) >= cap:
                cut.add(which)
                continue
            if len(s) > MAX_STR:
                cut.add(which)
                s = s[:MAX_STR]
            kept[which].append(s)
        if which == 'a' and 'e' in cut:
            break
    names = set()
    if 'a' in cut:
        names |= {'CommandLine', 'Arguments'}
    if 'e' in cut:
        names.add('Environment')
    return kept['a'], kept['e'], names


def environment(envp):
    pairs = []
    for e in envp:
        k, _, v = e.partition('=')
        if k in FILTER:
            pairs.append((k, v))
    pairs.sort()
    return ','.join('%s=%s' % p for p in pairs) or None


@pytest.mark.parametrize('sc', ['count', 'big', 'env'])
def test_long_argv_env_bounded(run, sc):
    argv, envp = recipe(sc)
    x = run.logged('long', sc)[0]
    assert (x['argc'], x['argbytes'], x['argfnv']) == (
        len(argv), sum(len(a) + 1 for a in argv), fnv(argv))
    assert (x['envc'], x['envbytes'], x['envfnv']) == (
        len(envp), sum(len(e) + 1 for e in envp), fnv(envp))
    pid = run.logged('exec', sc)[0]['pid']
    evs = run.of(pid, 'begin_new_exec')
    assert len(evs) == 1
    f = evs[0]['fields']
    args, envs, names = bounded(argv, envp)
    assert f['Arguments'] == args
    assert f['CommandLine'] == ' '.join(args)
    assert f.get('Environment') == environment(envs)
    assert set(f.get('Truncated', [])) == names
    assert len(f.get('Truncated', [])) == len(names)
    assert 'Unreadable' not in f
    report(run, 'long ' + sc, '%d args (%d bytes) -> %d kept, %d env -> %d '
           'kept, Truncated %s' % (len(argv), x['argbytes'], len(args),
                                   len(envp), len(envs), sorted(names)))


# ---- 10 000 threads --------------------------------------------------------

def test_ten_thousand_threads(run):
    t = run.logged('threads')[0]
    report(run, 'threads', 'wanted %d, created %d, alive at once %d' % (
        t['want'], t['got'], t['alive']))
    assert t['got'] == NTHREADS and t['alive'] == NTHREADS, t
    pid = t['pid']
    tids = set()
    for x in run.logged('tids'):
        for a, b in x['runs']:
            tids.update(range(a, b + 1))
    assert len(tids) == NTHREADS and pid not in tids
    clones = [e for e in run.of(pid, 'kernel_clone')
              if 'CLONE_THREAD' in e['fields']['Flags'].split('|')]
    assert len(clones) == NTHREADS
    assert {e['fields']['NewPid'] for e in clones} == tids
    key = clones[0]['fields']['ProcessKey']
    for e in clones:
        f = e['fields']
        assert e['TID'] == pid and f['Signal'] == 0
        assert f['ProcessKey'] == key and f['NewProcessKey'] == key
    # PID reuse earlier in the run: this process's exits by its key.
    exits = [e for e in run.of(pid, 'do_exit')
             if e['fields']['ProcessKey'] == key]
    threads = [e for e in exits if e['TID'] != pid]
    assert len(threads) == NTHREADS
    assert {e['TID'] for e in threads} == tids
    assert all('GroupExit' not in e['fields'] for e in threads)
    main = [e for e in exits if e['TID'] == pid]
    assert len(main) == 1 and main[0]['fields'].get('GroupExit') == 1
    assert all(e['fields']['ProcessKey'] == key for e in exits)
    report(run, 'threads events', '%d clones, %d exits' % (len(clones),
                                                           len(exits)))


# ---- hostile names, in every format -----------------------------------------

def c_escape(b):
    """docs/events.md §5.2, the C escape."""
    out = bytearray()
    for c in b:
        if c == 0x5C:
            out += b'\\\\'
        elif c == 0x22:
            out += b'\\"'
        elif c in (0x0A, 0x0D, 0x09):
            out += {0x0A: b'\\n', 0x0D: b'\\r', 0x09: b'\\t'}[c]
        elif c < 0x20 or c == 0x7F:
            out += b'\\x%02X' % c
        else:
            out.append(c)
    return bytes(out)


def lossy(b):
    """docs/events.md §5.3: valid UTF-8 kept, every byte of an invalid
    sequence becomes U+FFFD."""
    out, i = [], 0
    while i < len(b):
        c = b[i]
        n = 1 if c < 0x80 else 2 if 0xC2 <= c <= 0xDF else \
            3 if 0xE0 <= c <= 0xEF else 4 if 0xF0 <= c <= 0xF4 else 0
        if n:
            try:
                out.append(b[i:i + n].decode('utf-8'))
                i += n
                continue
            except UnicodeDecodeError:
                pass
        out.append('\ufffd')
        i += 1
    return ''.join(out)


def lines(data):
    assert data.endswith(b'\n')
    return data[:-1].split(b'\n')


def test_every_line_parses_in_every_format(run):
    n = None
    for fmt, _ in pmoracle.FORMATS:
        ls = lines(run.raw[fmt])
        prefix = b'[PROCMON] ' if fmt == 'default' else \
            b'{"Plugin":"procmon",' if fmt == 'json' else b'procmon '
        assert all(ln.startswith(prefix) for ln in ls), fmt
        assert n is None or len(ls) == n, fmt
        n = len(ls)
        for ln in ls:
            evparse.PARSERS[fmt](ln.decode('utf-8') if fmt == 'json' else ln)
    # csv: 9 (hook) or 3 (start-up) header columns + the type's fields.
    for ln in lines(run.raw['csv']):
        cols = evparse.split_csv(ln[len(b'procmon '):])
        hook = cols[2][1].startswith(b'0x')
        kind = cols[8][1].decode() if hook else 'RunningProcess'
        want = (9 if hook else 3) + len(evparse.FIELDS[kind])
        assert len(cols) == want, ln[:300]
    # json: strict UTF-8, schema-valid, keys on every Linux line.
    assert check_json_lines(run.raw['json'], require_keys=True) == n
    report(run, 'lines per format', n)


def test_hostile_names_neither_break_nor_forge(run):
    pid = run.logged('evil')[0]['pid']
    assert bytes.fromhex(run.logged('evil')[0]['commh']) == HOSTILE_COMM
    x = run.logged('exec', 'hostile')[0]
    assert bytes.fromhex(x['fileh']) == HOSTILE_PATH
    child = run.logged('fork', 'evil')[0]['child']
    evs = [e for e in run.events if e['kind'] == 'hook' and
           e['PID'] in (pid, child)]
    # The child may exit before its parent's clone returns: by kind.
    by = collections.defaultdict(list)
    for e in evs:
        by[(e['Method'], e['PID'])].append(e)
    assert {k: len(v) for k, v in by.items()} == {
        ('begin_new_exec', pid): 2, ('kernel_clone', pid): 1,
        ('do_exit', child): 1, ('do_send_sig_info', pid): 1,
        ('do_exit', pid): 1}
    name = lossy(HOSTILE_PATH)
    comm = lossy(HOSTILE_COMM)
    exec1, exec2 = by[('begin_new_exec', pid)]
    clone = by[('kernel_clone', pid)][0]
    cexit = by[('do_exit', child)][0]
    sig = by[('do_send_sig_info', pid)][0]
    assert exec1['fields']['ImagePathName'] == name
    assert exec1['fields']['FileName'] == name
    for e in (clone, cexit, sig, exec2):
        assert e['ProcessName'] == name
    assert cexit['fields']['ThreadName'] == comm
    assert sig['fields']['ThreadName'] == comm
    assert sig['fields']['TargetProcessName'] == name
    assert sig['fields']['TargetThreadName'] == comm
    assert exec2['fields']['ThreadName'] == comm
    # Lossy names exactly the fields that held invalid UTF-8, in order.
    objs = [json.loads(ln) for ln in lines(run.raw['json'])]
    byuid = {o.get('EventUID'): o for o in objs}
    lossy_of = [byuid[e['EventUID']].get('Lossy') for e in
                (exec1, clone, cexit, sig, exec2)]
    assert lossy_of == [
        ['ImagePathName', 'interp', 'FileName'],
        ['ProcessName'],
        ['ProcessName', 'ThreadName'],
        ['ProcessName', 'ThreadName', 'TargetProcessName',
         'TargetThreadName'],
        ['ProcessName', 'ThreadName']]
    # default/csv/kv: the exact bytes, C-escaped, and nothing forged.
    qpath = b'"' + c_escape(HOSTILE_PATH) + b'"'
    qcomm = b'"' + c_escape(HOSTILE_COMM) + b'"'
    for fmt in ('default', 'csv', 'kv'):
        ls = lines(run.raw[fmt])
        with_path = [ln for ln in ls if qpath in ln]
        assert len(with_path) == 5, fmt      # exec1, clone, exit, signal, exec2
        assert sum(qcomm in ln for ln in ls) == 3, fmt   # exit, signal, exec2
        assert not [ln for ln in ls if ln.startswith(b'[PROCMON] TIME:1 ')]
        assert b'\x1b' not in run.raw[fmt] and b'\r' not in run.raw[fmt]
    report(run, 'hostile names', '%d events, all formats intact' % len(evs))


# ---- one PID, four holders ------------------------------------------------------

def test_pid_reused_by_four_holders(run):
    holders = run.logged('holder')
    assert [h['pid'] for h in holders] == [REUSE_PID] * 4, holders
    start = run.logged('start')[0]
    driver_key = None
    for e in run.of(start['pid']):
        driver_key = e['fields']['ProcessKey']
        break
    # Keys of the middle processes (PID reused too): their clone events.
    keys_by_order = {}
    for e in run.events:
        if e['kind'] == 'hook' and e['Method'] == 'kernel_clone':
            keys_by_order.setdefault(e['fields']['NewPid'], []).append(
                e['fields'].get('NewProcessKey'))
    execs = run.of(REUSE_PID, 'begin_new_exec')
    exits = run.of(REUSE_PID, 'do_exit')
    assert len(execs) == 4 and len(exits) == 4
    mids = iter(keys_by_order.get(holders[1]['ppid'], []))
    seen = set()
    for h, ex, ed in zip(holders, execs, exits):
        k = ex['fields']['ProcessKey']
        assert k and k not in seen
        seen.add(k)
        assert ex['fields']['Arguments'] == [os.path.basename(h['path']),
                                             'holder', str(h['k'])]
        assert ex['fields']['ImagePathName'] == h['path']
        assert ex['PPID'] == h['ppid']
        pkey = driver_key if h['ppid'] == start['pid'] else next(mids)
        assert ex['fields']['ParentProcessKey'] == pkey
        assert ed['ProcessName'] == h['path']
        assert ed['fields']['ProcessKey'] == k
        assert ed['fields']['ExitStatus'] == 10 + h['k']
        clone = [e for e in run.of(h['ppid'], 'kernel_clone')
                 if e['fields'].get('NewProcessKey') == k]
        assert len(clone) == 1
    assert len({h['ppid'] for h in holders}) >= 2
    assert keys_by_order[REUSE_PID].count(None) == 0
    report(run, 'pid reuse', '%d holders of PID %d, %d keys' % (
        len(holders), REUSE_PID, len(seen)))


def test_nothing_lost(run):
    st = run.stats()
    report(run, 'stats', json.dumps(st))
    n = len(run.events)
    assert st['events_total'] == n
    counts = collections.Counter(e['Method'] if e['kind'] == 'hook'
                                 else 'RunningProcess' for e in run.events)
    assert {k: v for k, v in st['events'].items() if v} == dict(counts)
    assert st['pending_returns_dropped'] == 0
    assert st['output_errors'] == 0 and st['unresolved_hooks'] == 0
    assert not [e for e in run.events if 'Unreadable' in e['fields']]

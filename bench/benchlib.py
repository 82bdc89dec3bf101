# SPDX-License-Identifier: GPL-2.0-or-later
"""bench/run's arithmetic and reports: event accounting against the guest's
own log, the median with its order-statistics interval, the hot-path
microbenchmark (plain and under callgrind), the table and the SVG plot.
"""
import json
import math
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKLOADS = ('exec', 'fork', 'thread', 'signal', 'compute')
NOTHING = ('ret_idle', 'ret_other', 'clone_entry')


# ---- events lost, proven against the workload's log ----------------------

def load_events(path):
    evs = []
    with open(path, errors='replace') as fh:
        for ln in fh:
            ln = ln.strip()
            if ln:
                evs.append(json.loads(ln))
    return evs


def account(reps, events_path):
    """{workload: {'expected', 'seen', 'lost', 'extra', 'parts'}}.

    @reps: {workload: [the guest's result line of each repetition]}. Every
    count is the guest's own (benchwork.c logs the PIDs/TIDs it made and
    the calls that succeeded); an event is matched by method, PID/TID and
    the pid it names (NewPid, TargetPID). Missing events are lost, surplus
    ones (duplicates) are extra: both must be 0. Repetitions are checked
    one by one (their PIDs differ) and summed."""
    evs = load_events(events_path)
    by = {}
    for e in evs:
        by.setdefault(e.get('Method'), []).append(e)

    def n(method, pred):
        return sum(1 for e in by.get(method, ()) if pred(e))

    out = {}
    for w in ('exec', 'fork', 'thread', 'signal'):
        parts = []
        for x in reps[w]:
            parts += rep_parts(w, x, n)
        exp = sum(p[1] for p in parts)
        seen = sum(p[2] for p in parts)
        out[w] = {'expected': exp, 'seen': seen,
                  'lost': sum(max(0, p[1] - p[2]) for p in parts),
                  'extra': sum(max(0, p[2] - p[1]) for p in parts),
                  'parts': parts}
    out['compute'] = {'expected': 0, 'seen': 0, 'lost': 0, 'extra': 0,
                      'parts': []}
    return out


def rep_parts(w, x, n):
    """[(method, the guest's count, events seen)] of one repetition."""
    d, ids = x['pid'], set(x['ids'])
    if w in ('exec', 'fork'):
        parts = [('kernel_clone', x['forks'],
                  n('kernel_clone', lambda e: e.get('PID') == d and
                    e.get('NewPid') in ids)),
                 ('do_exit', x['exits'],
                  n('do_exit', lambda e: e.get('PID') in ids))]
        if w == 'exec':
            parts.append(('begin_new_exec', x['execs'],
                          n('begin_new_exec',
                            lambda e: e.get('PID') in ids)))
        return parts
    if w == 'thread':
        return [('kernel_clone', x['threads'],
                 n('kernel_clone', lambda e: e.get('PID') == d and
                   e.get('NewPid') in ids)),
                ('do_exit', x['exits'],
                 n('do_exit', lambda e: e.get('TID') in ids))]
    c = x['ids'][0]
    return [('do_send_sig_info', x['sent'],
             n('do_send_sig_info', lambda e: e.get('PID') == d and
               e.get('TargetPID') == c)),
            ('do_send_sig_info', x['child_sent'],
             n('do_send_sig_info', lambda e: e.get('PID') == c and
               e.get('TargetPID') == d))]


# ---- statistics -------------------------------------------------------------

def median(v):
    s = sorted(v)
    n = len(s)
    if not n:
        return None
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def interval(v, conf=0.95):
    """Distribution-free interval for the median: [x(k), x(n+1-k)] of the
    sorted values, with the largest k whose binomial tail
    P(Bin(n, 1/2) <= k-1) is at most (1-conf)/2. Coverage is exact for
    any continuous distribution (n=9: k=2, 96.1%). With fewer than 6
    values no k qualifies: the range is returned with its lower coverage.
    Returns (lo, hi, coverage)."""
    s = sorted(v)
    n = len(s)
    if not n:
        return None, None, 0.0

    def tail(k):
        return sum(math.comb(n, i) for i in range(k)) / 2 ** n
    k = 1
    while k + 1 <= n // 2 and tail(k + 1) <= (1 - conf) / 2:
        k += 1
    return s[k - 1], s[n - k], 1 - 2 * tail(k)


def verdict(lo, hi, limit, cov=1.0):
    """met: the interval lies inside the limit; missed: wholly outside;
    unclear: it straddles it, or too few values for a 95% interval."""
    if hi is None:
        return 'unclear'
    if lo > limit:
        return 'missed' if cov >= 0.95 else 'unclear'
    if hi <= limit and cov >= 0.95:
        return 'met'
    return 'unclear'


# ---- the hot-path microbenchmark ---------------------------------------------

def make_dump(work, kernel):
    d = os.path.join(work, 'dump')
    dump = os.path.join(d, 'dump.elf')
    if os.path.exists(dump):
        return dump
    tools = os.path.join(ROOT, 'tests', 'integration', 'tools')
    initrd = os.path.join(work, 'pslist-initrd.cpio.gz')
    subprocess.run([sys.executable, os.path.join(ROOT, 'guest',
                    'build-initramfs'), '--workload',
                    os.path.join(tools, 'pslist-workload.sh'), '-o', initrd],
                   check=True, stderr=subprocess.DEVNULL)
    subprocess.run([sys.executable, os.path.join(tools, 'mkdump.py'), kernel,
                    initrd, d], check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return dump


def hotpath(exe, dump, extra, prefix=()):
    out = subprocess.run(list(prefix) + [exe, dump] + extra,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, timeout=3600)
    if out.returncode != 0:
        raise RuntimeError('hotpath failed: ' + out.stderr[-2000:])
    return [json.loads(ln) for ln in out.stdout.splitlines()
            if ln.startswith('{')]


def callgrind_ir(exe, dump, work, iters):
    """Instructions per hit of each kind (only inside hp_kind_*)."""
    cg = os.path.join(work, 'callgrind.out')
    hotpath(exe, dump, ['--iters', str(iters), '--reps', '1'],
            ['valgrind', '--tool=callgrind', '--callgrind-out-file=' + cg,
             '--toggle-collect=hp_kind_*'])
    ann = subprocess.run(['callgrind_annotate', '--inclusive=yes',
                          '--threshold=100', cg],
                         stdout=subprocess.PIPE, text=True).stdout
    ir = {}
    for ln in ann.splitlines():
        m = re.match(r'\s*([\d,]+)\s.*hp_kind_(\w+)', ln)
        if m:
            ir[m.group(2)] = int(m.group(1).replace(',', ''))
    # Each kind ran a tenth as warm-up, then iters: (1.1 * iters) hits.
    return {k: v / (iters + iters // 10 + 1) for k, v in ir.items()}


def micro(bdir, work, kernel, quick=False):
    exe = os.path.join(bdir, 'bench', 'hotpath')
    dump = make_dump(work, kernel)
    rows = hotpath(exe, dump, ['--iters', '5000' if quick else '20000',
                               '--reps', '5' if quick else '9'])
    try:
        ir = callgrind_ir(exe, dump, work, 500 if quick else 2000)
    except (OSError, RuntimeError) as e:
        print('bench: callgrind: %s' % e, file=sys.stderr)
        ir = {}
    res = {}
    for r in rows:
        if r['events_per_iter'] != (1.0 if r['prints'] else 0.0):
            raise RuntimeError('hotpath %s printed %.3f events per hit'
                               % (r['kind'], r['events_per_iter']))
        lo, hi, cov = interval(r['ns'])
        res[r['kind']] = {'ns': median(r['ns']), 'lo': lo, 'hi': hi,
                          'cov': cov, 'prints': r['prints'],
                          'events_per_iter': r['events_per_iter'],
                          'ir': ir.get(r['kind'])}
    return res


# ---- summary -----------------------------------------------------------------

# The baseline VM of a group's boot pairs when it is not an unmonitored
# one: 'overbare' measures the monitored VM against the bare plugin's, so
# that what QEMU charges any plugin that watches translation cancels.
BASELINE = {'overbare': 'bare'}


def boot_pairs(runs, smp, group):
    """The lockstep boots of @group ('pair', 'bare', 'hooks': one
    unmonitored VM and one with a plugin; 'overbare': the bare plugin's
    VM and a monitored one; 'aa': both unmonitored) at @smp: [(baseline
    run, the other)], for A/A [(slot 0, slot 1)]. bench/run puts the
    measured VM in slot 1 in even boots and in slot 0 in odd ones, so that
    what favours a slot (slot 0's QEMU starts first) weighs on both sides
    alike; the A/A ratio slot 1 / slot 0 shows that effect. Older --json
    files have the plugin in slot 1 throughout."""
    base = BASELINE.get(group, 'unmon')
    by = {}
    for r in runs:
        if r.get('group') == group and r['smp'] == smp:
            by.setdefault(r['idx'], {})[r['slot']] = r
    out = []
    for _, b in sorted(by.items()):
        if 0 in b and 1 in b:
            u, o = b[0], b[1]
            if u['kind'] != base:
                u, o = o, u
            out.append((u, o))
    return out


def rep_pairs(boots, w):
    """The lockstep pairs of workload @w: the same repetition of both VMs
    of a boot, run back to back: [(slot 0's log, slot 1's log)]."""
    return [(a, b) for x, y in boots
            for a, b in zip(x['logs'][w], y['logs'][w])]


def pair_ratio(u, m):
    """The slowdown of one pair (@u unmonitored, @m monitored run): the
    median over its chunks of chunk time monitored / unmonitored, where
    chunk c of both VMs ran back to back (bench/run --chunks). A burst of
    the host that stalls one chunk moves a sum, not this median; events
    are spread evenly over the chunks, so the monitor's cost is in every
    chunk's ratio alike. Without chunk times: the ratio of the totals."""
    cu, cm = u.get('chunk_ns'), m.get('chunk_ns')
    if cu and cm and len(cu) == len(cm) and all(cu):
        return median([b / a for a, b in zip(cu, cm)])
    return m['ns'] / u['ns'] if u['ns'] else None


def boot_ratios(boots, w):
    """One ratio per boot pair for workload @w: the median over its
    repetitions of pair_ratio(). The boot pair is the independent unit:
    its repetitions share two QEMU processes, and a process's speed at a
    guest loop depends on where TCG happened to put the loop's host code
    (the same 300 M-round compute loop ran 20 % faster in one QEMU than in
    its partner, chunk after chunk, for a whole boot; perf put the hot
    code of the two at different alignments). So the interval is over
    boot pairs, not over repetitions."""
    out = []
    for x, y in boots:
        r = [pair_ratio(a, b) for a, b in rep_pairs([(x, y)], w)]
        r = [v for v in r if v is not None]
        if r:
            out.append(median(r))
    return out


def noise_floor(boots, w):
    """The ratio slot 1 / slot 0 of workload @w over the boot pairs
    @boots, one per boot pair, with median and interval as for the
    monitored ones. For the A/A pairs (two unmonitored VMs, nothing
    differs but the processes and the moment) it is the noise floor: a
    monitored ratio cannot be resolved more finely. For the machinery
    pairs (hooks_only=on) it is what QEMU's plugin machinery alone costs,
    for the bare pairs what QEMU charges any plugin that watches
    translation, for the over-bare pairs (monitored / bare plugin) what
    vmiscope costs beyond that."""
    aa = boot_ratios(boots, w)
    lo, hi, cov = interval(aa)
    return {'ratio': median(aa), 'lo': lo, 'hi': hi, 'cov': cov,
            'n': len(aa)}


def self_share(logs):
    """Share of a monitored workload's guest time that its vCPU spent in
    vmiscope's callbacks (the plugin's self_clock, read at the same marks
    as the guest's clock, so the host's speed swings cancel out): median,
    interval, and the slowdown 1 / (1 - share) they imply."""
    v = [x['monitor_ns'] / x['ns'] for x in logs
         if x.get('monitor_ns') is not None and x['ns']]
    lo, hi, cov = interval(v)
    if lo is None:
        return None
    return {'share': median(v), 'lo': lo, 'hi': hi, 'cov': cov,
            'ratio': 1 / (1 - median(v)), 'ratio_hi': 1 / (1 - hi)}


def ratio_row(ns, w, mons, ratio=None):
    """What the plugin and attach tables share for workload @w: the
    ratios of the pairs @ns [(unmonitored ns, monitored ns)] (or @ratio,
    one per pair, when given), their median and interval, both sides'
    guest ms, and the loss check summed per vCPU count over the monitored
    runs @mons."""
    if ratio is None:
        ratio = [m / u for u, m in ns]
    lo, hi, cov = interval(ratio)
    lost = {}
    for r in mons:
        a = r['loss'][w]
        k = lost.setdefault('smp%d' % r['smp'], [0, 0, 0])
        k[0] += a['lost']
        k[1] += a['extra']
        k[2] += a['expected']
    return {'ratio': median(ratio), 'lo': lo, 'hi': hi, 'cov': cov,
            'ratios': ratio, 'lost': lost,
            'unmon_ms': median([u / 1e6 for u, _ in ns]),
            'mon_ms': median([m / 1e6 for _, m in ns])}


def all_reps(r):
    """Repetitions a boot ran, warm-up included (the loss check's)."""
    return len(r['logs']['exec']) + len(r.get('warmup_logs', {})
                                        .get('exec', ()))


def summarise(runs, smp, micro_res):
    """The plugin rows over the lockstep pairs: every repetition of every
    boot pair at @smp is one pair per workload."""
    boots = boot_pairs(runs, smp, 'pair')
    aa = boot_pairs(runs, smp, 'aa')
    hk = boot_pairs(runs, smp, 'hooks')
    bare = boot_pairs(runs, smp, 'bare')
    over = boot_pairs(runs, smp, 'overbare')
    mons = [r for r in runs if r['kind'] == 'mon']
    reps = len(boots[0][1]['logs']['exec']) if boots else 0
    res = {'boots': len(boots),
           'reps': reps, 'aa_boots': len(aa), 'machinery_boots': len(hk),
           'bare_boots': len(bare), 'over_bare_boots': len(over),
           'warmup': all_reps(boots[0][1]) - reps if boots else 0,
           'chunks': boots[0][1]['logs']['exec'][0].get('chunks', 1)
           if boots and reps else 1, 'smp': smp, 'workloads': {},
           'micro': micro_res}
    for w in WORKLOADS:
        pairs = rep_pairs(boots, w)
        dcpu, per_ev, evs_s, gap = [], [], [], []
        # Events of one repetition (the loss check counts all of them).
        nev = boots[0][1]['loss'][w]['expected'] // all_reps(boots[0][1]) \
            if boots else 0
        for u, m in pairs:
            if m['host_cpu_ns'] is not None and u['host_cpu_ns'] is not None:
                d = (m['host_cpu_ns'] - u['host_cpu_ns']) / 1e6
                dcpu.append(d)
                if nev:
                    per_ev.append(d * 1e3 / nev)
            if nev:
                evs_s.append(nev / (m['ns'] / 1e9))
            if 'go_s' in m and 'go_s' in u:
                # The same chunk's two starts (older --json: one number).
                gm, gu = m['go_s'], u['go_s']
                if not isinstance(gm, list):
                    gm, gu = [gm], [gu]
                gap += [abs(a - b) for a, b in zip(gm, gu)]
        plo, phi, _ = interval(per_ev)
        res['workloads'][w] = dict(
            ratio_row([(u['ns'], m['ns']) for u, m in pairs], w, mons,
                      boot_ratios(boots, w)),
            **{'dcpu_ms': median(dcpu), 'events': nev,
               'us_per_event': median(per_ev), 'ev_lo': plo, 'ev_hi': phi,
               'events_per_s': median(evs_s), 'gap_s': median(gap),
               'aa': noise_floor(aa, w),
               'machinery': noise_floor(hk, w) if hk else None,
               'bare': noise_floor(bare, w) if bare else None,
               'over_bare': noise_floor(over, w) if over else None,
               'self': self_share([m for _, m in pairs]),
               'hits': median([m['hook_hits'] for _, m in pairs
                               if m.get('hook_hits') is not None])})
    mem = [(m['maxrss_kib'] - u['maxrss_kib']) / 1024 for u, m in boots]
    mlo, mhi, mcov = interval(mem)
    res['memory'] = {'mib': median(mem), 'lo': mlo, 'hi': mhi, 'cov': mcov,
                     'max': max(mem) if mem else None,
                     'unmon_mib': median([u['maxrss_kib'] / 1024
                                          for u, _ in boots])}
    res['cpu'] = {'unmon': median([u['cpu'] for u, _ in boots]),
                  'mon': median([m['cpu'] for _, m in boots])}
    res['wall'] = {'unmon': median([u['wall'] for u, _ in boots]),
                   'mon': median([m['wall'] for _, m in boots])}
    st = {}
    for r in mons:
        for k, v in r.get('stats', {}).items():
            if isinstance(v, int):
                st[k] = st.get(k, 0) + v
    res['stats'] = st
    res['loss_smps'] = sorted({r['smp'] for r in mons})
    res['loss_reps'] = sum(all_reps(r) for r in mons)
    return res


def fmt(x, f='%.3f'):
    return '-' if x is None else f % x


def table(res, targets, hook_ns, mem_mib, before_targets=None):
    L = []
    W = res['workloads']
    gaps = [W[w]['gap_s'] or 0 for w in WORKLOADS]
    ch = res.get('chunks', 1)
    cov = W['exec']['cov']
    L.append('vmiscope bench: guest slowdown, %d lockstep boot pairs at '
             '--smp %d (QEMU TCG, 6.1 guest), each %d rep%s after %d '
             'warm-up' % (res['boots'], res['smp'], res['reps'],
                          '' if res['reps'] == 1 else 's',
                          res.get('warmup', 0)))
    L.append('a rep runs each workload in both VMs in %d alternating chunk%s '
             '(A B, B A, ...; a chunk\'s two runs start %.2f-%.2f s apart, '
             'median per workload)'
             % (ch, '' if ch == 1 else 's', min(gaps), max(gaps)))
    L.append('ratio = guest time monitored / unmonitored: per rep the median '
             'of its chunks\' ratios, per boot pair the median of its reps; '
             'median of the boot pairs [%.1f%% order-statistics interval]; '
             'off/on ms: whole loops' % (100 * cov))
    L.append('%-8s %7s %8s %8s %-19s %8s %9s %9s %8s' % (
        'workload', 'events', 'off ms', 'on ms', 'ratio [interval]',
        'dCPU ms', 'us/event', 'events/s', 'lost'))
    smps = ['smp%d' % s for s in res['loss_smps']]
    for w in WORKLOADS:
        x = W[w]
        lost = ' '.join('%d' % (x['lost'].get(s, [0, 0])[0] +
                                x['lost'].get(s, [0, 0])[1]) for s in smps)
        L.append('%-8s %7d %8.1f %8.1f %-19s %8s %9s %9s %8s' % (
            w, x['events'], x['unmon_ms'], x['mon_ms'],
            '%.3f [%.3f-%.3f]' % (x['ratio'], x['lo'], x['hi']),
            fmt(x['dcpu_ms'], '%.1f'), fmt(x['us_per_event'], '%.1f'),
            fmt(x['events_per_s'], '%.0f'), lost if w != 'compute' else '-'))
    L.append('lost = events missing + duplicated vs the guest\'s own log, '
             'summed over every repetition (%d) of every monitored boot at %s'
             % (res['loss_reps'], ', '.join('--smp %s' % s[3:]
                                            for s in smps)))
    L.append('dCPU = QEMU host CPU during the workload, monitored - '
             'unmonitored (median of pairs); us/event = dCPU / events')
    sh = [(w, W[w].get('self')) for w in WORKLOADS]
    if all(sh_ for _, sh_ in sh):
        L.append('time in vmiscope (self_clock: its callbacks\' share of the '
                 'guest time, same moments, host speed cancels; QEMU\'s own '
                 'dispatch not included) [%.1f%%]:' % (100 * sh[0][1]['cov']))
        for part in (sh[:3], sh[3:]):      # two lines of workloads
            L.append('  ' + ', '.join(
                '%s %.2f%% [%.2f-%.2f] -> ratio %.4f (<= %.4f)' % (
                    w, 100 * x['share'], 100 * x['lo'], 100 * x['hi'],
                    x['ratio'], x['ratio_hi']) for w, x in part))
    hits = [(w, W[w].get('hits')) for w in WORKLOADS]
    if all(h is not None for _, h in hits):
        L.append('hook hits per run (self_clock, median; each also costs '
                 'QEMU\'s dispatch): %s' % ', '.join(
                     '%s %.0f' % (w, h) for w, h in hits))
    for key, what in (('aa', 'noise floor (A/A: two unmonitored VMs in '
                      'lockstep,'),
                      ('bare', 'a plugin that only watches translation '
                       '(bench/micro/bareplugin.c: QEMU\'s cost of any '
                       'such plugin;'),
                      ('machinery', 'QEMU\'s plugin machinery alone '
                       '(hooks_only=on: every hook placed and called, each '
                       'returns at once;'),
                      ('over_bare', 'vmiscope beyond QEMU\'s cost of any '
                       'plugin (monitored / the bare plugin, in lockstep; a '
                       'figure, not a target;')):
        xs = [(w, W[w].get(key)) for w in WORKLOADS]
        if all(a and a['lo'] is not None for _, a in xs):
            L.append('%s %d boot pairs [%.1f%%]): %s' % (
                what, xs[0][1]['n'], 100 * xs[0][1]['cov'], ', '.join(
                    '%s %.3f [%.3f-%.3f]' % (w, a['ratio'], a['lo'], a['hi'])
                    for w, a in xs)))
    m = res['memory']
    L.append('QEMU per boot (median of %d boot pairs; includes the waits '
             'for the partner): CPU %.2f s off, %.2f s on; wall %.1f s '
             'off, %.1f s on; peak RSS %.0f MiB off' % (res['boots'],
                 res['cpu']['unmon'], res['cpu']['mon'],
                 res['wall']['unmon'], res['wall']['mon'], m['unmon_mib']))
    L.append('monitor memory (peak RSS on - off, per boot pair): %.1f MiB '
             '[%.1f-%.1f], max %.1f MiB' % (m['mib'], m['lo'], m['hi'],
                                            m['max']))
    st = res['stats']
    L.append('plugin stats (all monitored boots): %s' % ', '.join(
        '%s %d' % (k, st.get(k, 0)) for k in (
            'events_total', 'read_failures', 'pending_returns_dropped',
            'translation_flushes', 'output_errors')))
    mi = res.get('micro')
    if mi:
        L.append('')
        L.append('hot path over a recorded 6.1 guest (bench/hotpath: real '
                 'procmon hooks, dump memory, output /dev/null)')
        L.append('%-12s %7s %-20s %10s %8s' % ('hit', 'prints',
                                               'ns/hit [interval]',
                                               'Ir/hit', 'events'))
        for k, v in mi.items():
            L.append('%-12s %7s %-20s %10s %8.2f' % (
                k, 'yes' if v['prints'] else 'no',
                '%.0f [%.0f-%.0f]' % (v['ns'], v['lo'], v['hi']),
                fmt(v['ir'], '%.0f'), v['events_per_iter']))
    # Targets.
    verdicts = []
    for w, lim in targets.items():
        x = W[w]
        v = verdict(x['lo'], x['hi'], lim, x['cov'])
        note = ''
        if x['hi'] is not None and x['hi'] < 1.0:
            # Watching cannot speed a guest up: a slowdown interval wholly
            # below 1 measures a difference between the two QEMU
            # processes (where TCG put the hot code), not the monitor.
            v, note = 'unclear', ' (monitored faster: a confound)'
        verdicts.append(('%s <= %.2f' % (w, lim), v,
                         '%.3f [%.3f-%.3f]%s' % (x['ratio'], x['lo'],
                                                 x['hi'], note)))
    lost_all = sum(v[0] + v[1] for x in W.values()
                   for v in x['lost'].values())
    verdicts.append(('0 events lost', 'met' if lost_all == 0 else 'missed',
                     '%d' % lost_all))
    if mi:
        worst = max((mi[k] for k in NOTHING if k in mi),
                    key=lambda v: v['hi'])
        verdicts.append(('silent hit <= %d ns' % hook_ns,
                         verdict(worst['lo'], worst['hi'], hook_ns,
                                 worst['cov']),
                         '%.0f [%.0f-%.0f] ns' % (worst['ns'], worst['lo'],
                                                  worst['hi'])))
    verdicts.append(('memory <= %d MiB' % mem_mib,
                     verdict(m['lo'], m['hi'], mem_mib, m['cov']),
                     '%.1f [%.1f-%.1f] MiB' % (m['mib'], m['lo'], m['hi'])))
    if before_targets:
        L.append('')
        L.append(before_targets)
    L.append('')
    for name, v, val in verdicts:
        L.append('target %-22s %-8s %s' % (name, v, val))
    missed = [n for n, v, _ in verdicts if v == 'missed']
    unclear = [n for n, v, _ in verdicts if v == 'unclear']
    if missed:
        L.append('targets: missed (%s)' % ', '.join(missed +
                 ['unclear: ' + u for u in unclear]))
    elif unclear:
        L.append('targets: unclear (%s)' % ', '.join(unclear))
    else:
        L.append('targets: met')
    return '\n'.join(L)


# ---- attach rows (vmiscope attach through the gdbstub) ---------------------

def summarise_attach(runs, smp):
    """Per workload over the attach pairs: ratio with its interval, guest
    time per hit ((on - off) / hits of that workload's attach session),
    vmiscope's host time and stub packets per hit (attach's end-of-run
    line), and events lost against the guest's log (account())."""
    pairs = {}
    for r in runs:
        if r['smp'] == smp and r['idx'] != 'loss':
            pairs.setdefault(r['idx'], {})[r['kind']] = r
    pairs = [p for p in pairs.values() if 'mon' in p and 'unmon' in p]
    mons = [r for r in runs if r['kind'] == 'mon']
    res = {'pairs': len(pairs), 'smp': smp, 'workloads': {},
           'storm': pairs[0]['mon']['logs']['exec'][0]['forks'] if pairs
           else None, 'breakpoints': runs[0].get('breakpoints', 'sw'),
           'loss_smps': sorted({r['smp'] for r in mons})}
    for w in WORKLOADS:
        ns, gms, hits, hms, pkts = [], [], [], [], []
        for p in pairs:
            # One repetition per attach boot.
            m, u = p['mon']['logs'][w][0], p['unmon']['logs'][w][0]
            s = p['mon']['sessions'][w]
            ns.append((u['ns'], m['ns']))
            hits.append(s['hits'])
            if s['hits']:
                gms.append((m['ns'] - u['ns']) / 1e6 / s['hits'])
                hms.append(s['host_ms_per_hit'])
                pkts.append(s['packets_per_hit'])
        glo, ghi, _ = interval(gms)
        res['workloads'][w] = dict(ratio_row(ns, w, mons), **{
            'events': pairs[0]['mon']['loss'][w]['expected'] if pairs else 0,
            'hits': median(hits), 'guest_ms_per_hit': median(gms),
            'g_lo': glo, 'g_hi': ghi, 'host_ms_per_hit': median(hms),
            'packets_per_hit': median(pkts)})
    ses = [s for r in mons for s in r['sessions'].values()]
    res['session'] = {k: median([s[k] for s in ses]) for k in
                      ('ready_s', 'detach_s', 'cpu_s')}
    res['session']['maxrss_mib'] = max([s['maxrss_kib'] for s in ses] or
                                       [0]) / 1024
    res['session']['count'] = len(ses)
    st = {}
    for s in ses:
        for k, v in s['stats'].items():
            if isinstance(v, int):
                st[k] = st.get(k, 0) + v
    res['stats'] = st
    res['wall'] = {k: median([p[k]['wall'] for p in pairs])
                   for k in ('mon', 'unmon')}
    return res


def attach_table(res):
    W = res['workloads']
    L = ['vmiscope bench: attach mode (vmiscope attach --gdb --mem-file '
         '--breakpoints %s), %d interleaved pairs at --smp %d, storms of %s'
         % (res['breakpoints'], res['pairs'], res['smp'], res['storm']),
         'both boots: -gdb + shared memory-backend-file; off = nobody '
         'attached; on = one attach session per workload, complete before '
         'the guest starts it',
         'ratio = guest time on / off, median of pairs [%.1f%% '
         'order-statistics interval]; figures, not targets'
         % (100 * W['exec']['cov'])]
    L.append('%-8s %6s %6s %8s %8s %-26s %-20s %8s %8s %7s' % (
        'workload', 'events', 'hits', 'off ms', 'on ms', 'ratio [interval]',
        'guest ms/hit [int.]', 'host ms', 'pkts/hit', 'lost'))
    smps = ['smp%d' % s for s in res['loss_smps']]
    for w in WORKLOADS:
        x = W[w]
        # Per hit only where the workload makes events: compute's few
        # idle hits would divide noise.
        g = '-' if x['guest_ms_per_hit'] is None or not x['events'] else \
            '%.1f [%.1f-%.1f]' % (x['guest_ms_per_hit'], x['g_lo'],
                                  x['g_hi'])
        lost = ' '.join('%d' % sum(x['lost'].get(s, [0, 0])[:2])
                        for s in smps)
        L.append('%-8s %6d %6s %8.1f %8.1f %-26s %-20s %8s %8s %7s' % (
            w, x['events'], fmt(x['hits'], '%.0f'), x['unmon_ms'],
            x['mon_ms'], '%.3f [%.3f-%.3f]' % (x['ratio'], x['lo'], x['hi']),
            g, fmt(x['host_ms_per_hit'], '%.3f'),
            fmt(x['packets_per_hit'], '%.1f'),
            lost if w != 'compute' else '-'))
    L.append('hits = breakpoint hits of the workload\'s attach session '
             '(median); guest ms/hit = (on - off) / hits; host ms = '
             'vmiscope\'s time per hit (stop to resume), pkts/hit = stub '
             'round trips per hit (attach\'s end-of-run line)')
    L.append('lost = events missing + duplicated vs the guest\'s own log, '
             'summed over every attached boot at %s'
             % ', '.join('--smp %s' % s[3:] for s in smps))
    se = res['session']
    L.append('attach session (median of %d): %.2f s from start to VM '
             'paused and processes listed, %.2f s SIGINT to detached, '
             '%.2f s CPU; peak RSS %.1f MiB; QEMU wall per boot %.1f s off, '
             '%.1f s on' % (
                 se['count'], se['ready_s'], se['detach_s'], se['cpu_s'],
                 se['maxrss_mib'], res['wall']['unmon'], res['wall']['mon']))
    st = res['stats']
    L.append('attach stats (all sessions): %s' % ', '.join(
        '%s %d' % (k, st.get(k, 0)) for k in (
            'events_total', 'read_failures', 'unresolved_hooks',
            'pending_returns_dropped', 'output_errors')))
    return '\n'.join(L)


# ---- the plot ------------------------------------------------------------------

def plot_svg(res, path):
    """Median ratio per workload with its interval, targets dashed."""
    W = res['workloads']
    hi = max([1.1] + [W[w]['hi'] for w in WORKLOADS]) * 1.05
    base = min([0.9] + [math.floor(W[w]['lo'] * 10) / 10 for w in WORKLOADS])
    x0, x1, top, row = 110, 560, 40, 34
    h = top + row * len(WORKLOADS) + 60

    def X(v):
        return x0 + (v - base) / (hi - base) * (x1 - x0)
    o = ['<svg xmlns="http://www.w3.org/2000/svg" width="600" height="%d" '
         'font-family="sans-serif" font-size="12">' % h,
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="10" y="20" font-size="14">Guest slowdown under vmiscope '
         '(monitored / unmonitored guest time, %d lockstep boot pairs, '
         '--smp %d)</text>' % (res['boots'], res['smp'])]
    for i, w in enumerate(WORKLOADS):
        y = top + row * i + row / 2
        x = W[w]
        o.append('<text x="10" y="%.0f">%s</text>' % (y + 4, w))
        o.append('<rect x="%.1f" y="%.1f" width="%.1f" height="14" '
                 'fill="#7aa6d6"/>' % (X(base), y - 7,
                                        X(x['ratio']) - X(base)))
        mc = x.get('machinery')
        if mc and mc['ratio'] is not None:
            o.append('<rect x="%.1f" y="%.1f" width="%.1f" height="4" '
                     'fill="#555"/>' % (X(base), y + 9,
                                        max(0, X(mc['ratio']) - X(base))))
        o.append('<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" '
                 'stroke="black"/>' % (X(x['lo']), X(x['hi']), y, y))
        for v in (x['lo'], x['hi']):
            o.append('<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" '
                     'stroke="black"/>' % (X(v), X(v), y - 5, y + 5))
        o.append('<text x="%.1f" y="%.0f" font-size="10">%.3f</text>'
                 % (X(x['hi']) + 4, y + 4, x['ratio']))
        lim = {'exec': 1.05, 'compute': 1.02}.get(w)
        if lim:
            o.append('<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" '
                     'stroke="red" stroke-dasharray="3,2"/>'
                     % (X(lim), X(lim), y - 12, y + 12))
    yb = top + row * len(WORKLOADS)
    o.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="black"/>'
             % (x0, x1, yb, yb))
    step = 0.1 if hi - base < 1.2 else (0.25 if hi - base < 3 else 0.5)
    v = round(math.ceil(base / step) * step, 3)
    while v <= hi:
        o.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="#ccc"/>'
                 % (X(v), X(v), top, yb))
        o.append('<text x="%.1f" y="%d" text-anchor="middle">%.2f</text>'
                 % (X(v), yb + 15, v))
        v = round(v + step, 3)
    o.append('<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" stroke="black" '
             'stroke-width="1.5"/>' % (X(1.0), X(1.0), top, yb))
    o.append('<text x="10" y="%d" font-size="10">bars: median ratio; '
             'whiskers: 95%% order-statistics interval; red dashes: '
             'targets (exec 1.05, compute 1.02)</text>' % (yb + 35))
    if any(W[w].get('machinery') for w in WORKLOADS):
        o.append('<text x="10" y="%d" font-size="10">thin grey bars: QEMU\'s '
                 'plugin machinery alone (hooks_only=on: hooks called, '
                 'nothing done in them)</text>' % (yb + 48))
    o.append('</svg>')
    with open(path, 'w') as fh:
        fh.write('\n'.join(o) + '\n')

# SPDX-License-Identifier: GPL-2.0-or-later
# test_pslist.py - Linux discovery from a memory dump, against the guest's
# own account.
#
# For each test kernel (Debian 6.1, 6.12, 5.10 from the guest kit) a
# busybox guest runs tools/pslist-workload.sh, which writes /proc/kallsyms
# and a /proc listing to ttyS1; tools/mkdump.py then takes a QEMU
# dump-guest-memory ELF core. The oracles never share code with vmiscope:
#   - symbols: every decoded (address, type, name) equals the guest's
#     /proc/kallsyms line at the same index (vs-lxdebug DUMP symbols);
#   - offsets: the BTF blob vmiscope read, dumped by `bpftool btf dump
#     format raw` and resolved here in Python (anonymous members summed),
#     plus `pahole -C`, plus the hand-measured numbers of the discovery
#     notes for the kernels they were measured on;
#   - processes: `vmiscope pslist --dump -o json` equals /proc (pid, ppid,
#     exe path, comm prefix for kernel threads).
# VMISCOPE_PSLIST_DUMPS=DIR reuses DIR/<suite>/{dump.elf,guest.txt}.
import json
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT, build_dir, build_initramfs

HERE = os.path.dirname(os.path.abspath(__file__))
WORKLOAD = os.path.join(HERE, 'tools', 'pslist-workload.sh')
MKDUMP = os.path.join(HERE, 'tools', 'mkdump.py')
SUITES = ('bookworm', 'bookworm-backports', 'bullseye')

# Byte offsets measured by hand in the discovery notes (linux-discovery-
# notes.md §5), for the exact kernels they were measured on.
NOTES = {
    '5.10.0-32-amd64': {'task_struct.tasks': 1976, 'task_struct.mm': 2056,
                        'task_struct.pid': 2232, 'task_struct.tgid': 2236,
                        'task_struct.real_parent': 2248,
                        'task_struct.real_cred': 2712, 'task_struct.comm': 2736,
                        'mm_struct.exe_file': 928, 'linux_binprm.p': 24,
                        'kernel_clone_args.exit_signal': 32},
    '6.1.0-50-amd64': {'task_struct.tasks': 2192, 'task_struct.mm': 2272,
                       'task_struct.pid': 2416, 'task_struct.tgid': 2420,
                       'task_struct.real_parent': 2432,
                       'task_struct.real_cred': 2952, 'task_struct.comm': 2976,
                       'mm_struct.exe_file': 936, 'linux_binprm.p': 24,
                       'kernel_clone_args.exit_signal': 32},
    '6.12.95+deb12-amd64': {'task_struct.tasks': 2224, 'task_struct.mm': 2304,
                            'task_struct.pid': 2432, 'task_struct.tgid': 2436,
                            'task_struct.real_parent': 2448,
                            'task_struct.real_cred': 2952,
                            'task_struct.comm': 2976,
                            'mm_struct.exe_file': 1160, 'linux_binprm.p': 32,
                            'kernel_clone_args.exit_signal': 40},
}


class Guest:
    def __init__(self, kernel, d):
        self.kernel = kernel
        self.dump = os.path.join(d, 'dump.elf')
        with open(os.path.join(d, 'guest.txt'), 'rb') as fh:
            text = fh.read().decode('utf-8', 'replace').replace('\r', '')
        lines = text.split('\n')
        ks = lines.index('BEGIN-KALLSYMS'), lines.index('END-KALLSYMS')
        self.kallsyms = lines[ks[0] + 1:ks[1]]
        self.procs = {}
        for line in lines[lines.index('BEGIN-PROC') + 1:]:
            if line == 'END-PROC':
                break
            _, pid, ppid, exe, comm = line.split('\t', 4)
            if ppid:            # gone while the guest listed /proc
                self.procs[int(pid)] = (int(ppid), exe, comm)
        self.d = d


@pytest.fixture(scope='module', params=SUITES)
def guest(request, kernels, tmp_path_factory):
    k = kernels[request.param]
    reuse = os.environ.get('VMISCOPE_PSLIST_DUMPS')
    if reuse and os.path.exists(os.path.join(reuse, request.param, 'dump.elf')):
        yield Guest(k, os.path.join(reuse, request.param))
        return
    d = str(tmp_path_factory.mktemp('pslist-' + request.param))
    initrd = build_initramfs(WORKLOAD, os.path.join(d, 'initrd.cpio.gz'))
    subprocess.run([sys.executable, MKDUMP, k.path, initrd, d], check=True,
                   timeout=900)
    g = Guest(k, d)
    yield g
    os.unlink(g.dump)


def lxdebug(*args):
    tool = os.path.join(build_dir(), 'tests', 'os', 'vs-lxdebug')
    return subprocess.run([tool] + list(args), check=True, text=True,
                          stdout=subprocess.PIPE).stdout


def test_symbols_equal_proc_kallsyms(guest):
    decoded = lxdebug(guest.dump, 'symbols').splitlines()
    same = sum(1 for a, b in zip(decoded, guest.kallsyms) if a == b)
    print('%s: symbols matched %d / %d (decoded %d)' %
          (guest.kernel.release, same, len(guest.kallsyms), len(decoded)))
    assert len(decoded) == len(guest.kallsyms)
    assert decoded == guest.kallsyms


def bpftool_types(path):
    """{id: (kind, name, size, [(name, type, bits_offset, bitfield)])}."""
    out = subprocess.run(['bpftool', 'btf', 'dump', 'file', path, 'format',
                          'raw'], check=True, text=True,
                         stdout=subprocess.PIPE).stdout
    types, cur = {}, None
    head = re.compile(r"^\[(\d+)\] (\w+) '([^']*)'(.*)$")
    memb = re.compile(r"^\s+'([^']*)' type_id=(\d+) bits_offset=(\d+)"
                      r"(?: bitfield_size=(\d+))?")
    for line in out.splitlines():
        m = head.match(line)
        if m:
            size = re.search(r'size=(\d+)', m.group(4))
            cur = [m.group(2), m.group(3), int(size.group(1)) if size else 0,
                   []]
            types[int(m.group(1))] = cur
            continue
        m = memb.match(line)
        if m and cur is not None:
            cur[3].append((m.group(1), int(m.group(2)), int(m.group(3)),
                           int(m.group(4) or 0)))
    return types


def resolve(types, by_name, sname, member):
    """(bit offset, bitfield size) of sname.member, or None."""
    tid = by_name.get(sname)
    if tid is None:
        return None
    todo = [(tid, 0, 0)]
    while todo:
        t, base, depth = todo.pop(0)
        for name, mtype, off, bf in types[t][3]:
            if name == member:
                return base + off, bf
            if name == '(anon)' and depth < 8 and \
                    types[mtype][0] in ('STRUCT', 'UNION'):
                todo.append((mtype, base + off, depth + 1))
    return None


def test_offsets_equal_bpftool(guest, tmp_path):
    blob = str(tmp_path / 'btf.raw')
    lxdebug(guest.dump, 'btf', blob)
    types = bpftool_types(blob)
    by_name = {}
    for tid, (kind, name, _, _) in types.items():
        if kind in ('STRUCT', 'UNION') and name not in by_name:
            by_name[name] = tid
    rows = lxdebug(guest.dump, 'offsets').splitlines()
    matched = 0
    for row in rows:
        key, rest = row.split(' ', 1)
        sname, member = key.split('.', 1)
        want = resolve(types, by_name, sname, member)
        got = None if rest == 'missing' else tuple(map(int, rest.split()))
        assert got == want, key
        matched += 1
    notes = NOTES.get(guest.kernel.release, {})
    got = {r.split()[0]: r.split()[1] for r in rows}
    for key, off in notes.items():
        assert int(got[key]) == off * 8, key
    print('%s: offsets matched %d / %d (bpftool), %d / %d (notes)' %
          (guest.kernel.release, matched, len(rows), len(notes), len(notes)))


def test_offsets_equal_pahole(guest, tmp_path):
    blob = str(tmp_path / 'btf.raw')
    lxdebug(guest.dump, 'btf', blob)
    out = subprocess.run(['pahole', '-C', 'task_struct', blob], check=True,
                         text=True, stdout=subprocess.PIPE).stdout
    pa = {}
    for m in re.finditer(r'^\t\S.*?\b(\w+)(?:\[\d+\])?;\s+/\*\s+(\d+)',
                         out, re.M):
        pa.setdefault(m.group(1), int(m.group(2)))
    rows = dict(r.split(' ', 1) for r in
                lxdebug(guest.dump, 'offsets').splitlines())
    checked = 0
    for member in ('tasks', 'pid', 'tgid', 'real_parent', 'comm', 'mm',
                   'real_cred', 'cred', 'signal', 'flags', 'group_leader'):
        assert int(rows['task_struct.' + member].split()[0]) == \
            pa[member] * 8, member
        checked += 1
    print('%s: task_struct offsets equal pahole: %d' %
          (guest.kernel.release, checked))


def check_account(guest, events):
    """@events (a pslist's json objects) against the guest's own /proc
    account: swapper/0 first, no PID twice, every listed process with its
    PPID and exe (a prefix of its comm when it has no exe), no other PID
    but 0, and the exe run across two mounts. Returns (matched, extra)."""
    assert events[0]['PID'] == 0 and events[0]['RunningProcess'] == 'swapper/0'
    got = {e['PID']: e for e in events}
    assert len(got) == len(events), 'duplicate PIDs'
    matched = 0
    for pid, (ppid, exe, comm) in sorted(guest.procs.items()):
        e = got.get(pid)
        assert e is not None, 'pid %d (%s) missing' % (pid, comm)
        assert e['PPID'] == ppid, pid
        if exe:
            assert e['RunningProcess'] == exe, pid
        else:
            name = e['RunningProcess']
            assert name and comm.startswith(name), (pid, name, comm)
        matched += 1
    extra = sorted(set(got) - set(guest.procs))
    assert set(extra) <= {0}, extra
    exes = {e['RunningProcess'] for e in events}
    assert '/mnt/t/sub/m2/dir/busybox' in exes   # across two mounts
    return matched, extra


def test_pslist_equals_proc(guest, vmiscope):
    res = subprocess.run([vmiscope, 'pslist', '--dump', guest.dump, '-o',
                          'json'], text=True, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, timeout=120)
    assert res.returncode == 0, res.stderr
    print(res.stderr.strip())
    assert re.search(r'by kallsyms\+BTF in \d+ ms wall, \d+ ms CPU',
                     res.stderr)
    events = [json.loads(line) for line in res.stdout.splitlines()]
    assert all(e['Bitness'] == 64 for e in events)
    matched, extra = check_account(guest, events)
    print('%s: processes matched %d / %d, extra %s' %
          (guest.kernel.release, matched, len(guest.procs), extra))
    assert '/mnt/t/busybox' in {e['RunningProcess'] for e in events}


def test_current_task_is_known(guest):
    out = lxdebug(guest.dump, 'current')
    for line in out.splitlines():
        m = re.match(r'vcpu \d+ task (0x[0-9a-f]+) pid (-?\d+) (.*)$', line)
        assert m, line
        pid = int(m.group(2))
        assert pid == 0 or pid in guest.procs, line


def pslist_events(vmiscope, *args):
    """(returncode, RunningProcess events without per-run values, stderr)."""
    res = subprocess.run([vmiscope, 'pslist', '-o', 'json'] + list(args),
                         text=True, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, timeout=300)
    events = []
    for line in res.stdout.splitlines():
        e = json.loads(line)
        for k in ('TimeStamp', 'ProcessKey', 'ParentProcessKey'):
            e.pop(k, None)
        events.append(e)
    return res.returncode, events, res.stderr


@pytest.fixture(scope='module')
def isf(guest, tmp_path_factory):
    """An ISF made by tools/ from the package's vmlinuz (BTF of the
    extracted vmlinux, via bpftool) and the guest's /proc/kallsyms,
    addresses moved back to the link-time _text."""
    d = tmp_path_factory.mktemp('isf')
    vmlinux, btf, ks = d / 'vmlinux', d / 'btf.json', d / 'kallsyms'
    subprocess.run([sys.executable, os.path.join(HERE, 'tools',
                    'extract-vmlinux.py'), guest.kernel.path, str(vmlinux)],
                   check=True)
    with open(btf, 'w') as fh:
        subprocess.run(['bpftool', '-j', 'btf', 'dump', 'file',
                        str(vmlinux)], stdout=fh, check=True)
    ks.write_text('\n'.join(guest.kallsyms) + '\n')
    banner = None
    with open(os.path.join(guest.d, 'guest.txt'), 'rb') as fh:
        for line in fh.read().decode('utf-8', 'replace').splitlines():
            if line.startswith('BANNER '):
                banner = line[7:].strip()
    out = d / 'kernel.isf.json'
    subprocess.run([sys.executable, os.path.join(HERE, 'tools', 'btf2isf.py'),
                    str(btf), str(ks), str(out), '--unslide', '--banner',
                    banner], check=True)
    return str(out)


def test_pslist_profile_equals_btf(guest, vmiscope, isf):
    rc, via_btf, _ = pslist_events(vmiscope, '--dump', guest.dump)
    assert rc == 0
    rc, via_isf, err = pslist_events(vmiscope, '--dump', guest.dump,
                                     '-r', isf)
    assert rc == 0, err
    assert "the guest's kallsyms and BTF are not read" in err
    m = re.search(r'by profile \(isf, KASLR slide (0x[0-9a-f]+)\) in \d+ ms '
                  r'wall, (\d+) ms CPU \(kernel base (0x[0-9a-f]+)', err)
    assert m, err
    text = [ln for ln in guest.kallsyms if ln.endswith(' _text')][0]
    assert int(m.group(3), 16) == int(text.split()[0], 16)
    assert int(m.group(1), 16) == int(m.group(3), 16) - 0xffffffff81000000
    assert via_isf == via_btf
    print('%s: pslist -r ISF == BTF path: %d processes; slide %s; '
          'discovery %s ms CPU' % (guest.kernel.release, len(via_isf),
                                   m.group(1), m.group(2)))


def test_pslist_profile_errors(guest, vmiscope, isf, tmp_path):
    with open(isf) as fh:
        prof = json.load(fh)
    del prof['user_types']['task_struct']['fields']['real_parent']
    bad = tmp_path / 'no-real-parent.json'
    bad.write_text(json.dumps(prof))
    rc, _, err = pslist_events(vmiscope, '--dump', guest.dump, '-r', str(bad))
    assert rc == 4, err        # contract §3: a member is missing
    assert 'the profile has no task_struct.real_parent' in err
    with open(isf) as fh:
        prof = json.load(fh)
    prof['symbols']['linux_banner']['constant_data'] = \
        'TGludXggdmVyc2lvbiA5Ljk5LjAgKHgpICMxCg=='  # "Linux version 9.99.0 (x) #1"
    other = tmp_path / 'other-build.json'
    other.write_text(json.dumps(prof))
    rc, events, err = pslist_events(vmiscope, '--dump', guest.dump, '-r',
                                    str(other))
    assert rc == 1 and not events, err
    assert 'the profile is for another kernel build' in err

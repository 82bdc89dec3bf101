# SPDX-License-Identifier: GPL-2.0-or-later
# test_qemu_backend.py - the QEMU TCG plugin backend on a real guest.
#
# A static, non-PIE guest program (tests/qemu/probe.c) calls
# vs_probe(n, "probe-<n>:<magic>") and vs_probe2(n, "again-<n>:<magic>") for
# n = 1..50 and says so on the console. The host takes their addresses from
# `nm` and boots Debian's 6.1 kernel with `-plugin libvmiscope-qemu.so,
# debug_hook=ADDR,debug_late_hook=ADDR2`: the plugin hooks vs_probe through
# its own backend ops and logs each hit with rdi, rsi and the string at rsi
# (read through the guest's page tables); at the 10th hit it hooks
# vs_probe2, whose code is translated by then, which takes a translation
# flush. The test checks there are exactly 50 vs_probe hits carrying the
# magic, n in rdi and the right text, vs_probe2 hits from n = 10 (or 11:
# the flush is asynchronous) to 50, one flush, under -smp 1 and -smp 2,
# and that the guest's own log agrees; then two probes at once. It also
# checks that a bad plugin argument makes QEMU refuse to start, that the
# plugin without hooks boots to poweroff, and the ready=user trigger. Run
# with `/usr/bin/python3 -m pytest`; VMISCOPE_BUILD_DIR picks the build.
import os
import re
import secrets
import shutil
import subprocess
import time

import pytest

from conftest import GUEST, build_dir, build_initramfs, console_lines

HERE = os.path.dirname(os.path.abspath(__file__))
PROBE_SRC = os.path.join(os.path.dirname(HERE), 'qemu', 'probe.c')
CALLS = 50
PAIR_CALLS = 3000   # two probes at once: callbacks on both vCPUs
HIT = re.compile(r'^vmiscope: debug_hook vcpu=(\d+) addr=0x([0-9a-f]+) '
                 r'rdi=0x([0-9a-f]+) rsi=0x([0-9a-f]+) str="(.*)"$')


def qemu_binary():
    q = shutil.which('qemu-system-x86_64')
    if q is None:
        pytest.fail('qemu-system-x86_64 not installed (scripts/setup)')
    return q


@pytest.fixture(scope='module')
def plugin():
    path = os.path.join(build_dir(), 'libvmiscope-qemu.so')
    if not os.path.exists(path):
        pytest.fail('%s not built' % path)
    return path


@pytest.fixture(scope='module')
def kernel():
    """Debian 12's 6.1 kernel through the guest kit."""
    res = subprocess.run([os.path.join(GUEST, 'fetch-kernel'), 'bookworm'],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, timeout=1800)
    for line in res.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == 'bookworm':
            return parts[2]
    pytest.fail('guest/fetch-kernel bookworm failed:\n' + res.stderr)


@pytest.fixture(scope='module')
def guest(tmp_path_factory):
    """(initrd, vs_probe address, magic, pair magics): the guest runs the
    probe once with CALLS calls, then two probes at once."""
    d = tmp_path_factory.mktemp('qemu-backend')
    probe = str(d / 'probe')
    subprocess.run(['gcc', '-static', '-no-pie', '-O0', '-o', probe,
                    PROBE_SRC], check=True)
    nm = subprocess.run(['nm', probe], stdout=subprocess.PIPE, text=True,
                        check=True).stdout
    addr = {}
    for line in nm.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] == 'T' and parts[2] in (
                'vs_probe', 'vs_probe2'):
            addr[parts[2]] = int(parts[0], 16)
    assert len(addr) == 2, 'vs_probe/vs_probe2 not found by nm'
    magic = 'm' + secrets.token_hex(4)
    pair = ('a' + secrets.token_hex(4), 'b' + secrets.token_hex(4))
    script = d / 'workload.sh'
    script.write_text('/bin/probe %s %d\n'
                      '/bin/probe %s %d & /bin/probe %s %d\nwait\n'
                      % (magic, CALLS, pair[0], PAIR_CALLS,
                         pair[1], PAIR_CALLS))
    initrd = build_initramfs(str(script), str(d / 'initrd.gz'),
                             helpers=[probe])
    return initrd, addr, magic, pair


def boot(kernel, initrd, plugin_args, tmp_path, smp=1, timeout=240):
    """Boot the guest with the plugin; returns (rc, stderr lines, console
    lines, seconds)."""
    log = tmp_path / ('serial-%d.log' % smp)
    cmd = [qemu_binary(), '-accel', 'tcg', '-m', '512', '-smp', str(smp),
           '-display', 'none', '-monitor', 'none', '-no-reboot',
           '-kernel', kernel, '-initrd', initrd,
           '-append', 'console=ttyS0 panic=-1 quiet',
           '-plugin', plugin_args, '-serial', 'file:%s' % log]
    start = time.monotonic()
    res = subprocess.run(cmd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, timeout=timeout)
    took = time.monotonic() - start
    cons = console_lines(log) if log.exists() else []
    return res.returncode, res.stderr.splitlines(), cons, took


@pytest.mark.parametrize('smp', [1, 2])
def test_debug_hook_hits(smp, kernel, guest, plugin, tmp_path):
    initrd, addr, magic, pair = guest
    rc, err, cons, took = boot(
        kernel, initrd, '%s,debug_hook=0x%x,debug_late_hook=0x%x,verbose=on'
        % (plugin, addr['vs_probe'], addr['vs_probe2']), tmp_path, smp=smp)
    assert rc == 0, 'QEMU exited %d:\n%s' % (rc, '\n'.join(err[-30:]))
    # The guest's own account.
    assert 'vs-probe: called vs_probe %d times magic=%s' % (CALLS, magic) \
        in cons, '\n'.join(cons[-30:])
    assert 'vmiscope-guest: workload exit 0' in cons

    hits = [m for m in map(HIT.match, err) if m]
    first = calls(hits, 'probe', magic, addr['vs_probe'], smp)
    late = calls(hits, 'again', magic, addr['vs_probe2'], smp)
    print('smp=%d: %d hits, vs_probe %d, late vs_probe2 %d (from n=%s) '
          'in %.1f s' % (smp, len(hits), len(first), len(late),
                         late[:1], took))
    # Every call once, in the program's order.
    assert first == list(range(1, CALLS + 1)), '\n'.join(err[-30:])
    assert late and late[0] in (10, 11), late[:3]
    assert late == list(range(late[0], CALLS + 1))
    assert any('kernel reached at 0xffffffff' in l for l in err)
    assert any(re.search(r' 1 late hooks, 1 translation flushes,', l)
               for l in err), '\n'.join(err[-10:])
    check_pair(hits, cons, pair, addr, smp)


def calls(hits, kind, magic, hooked, smp):
    """The n of every hit of one function in one process, checking each
    hit's vCPU, address and string."""
    ns = []
    for m in hits:
        vcpu, at, rdi, rsi, text = m.groups()
        if not (text.startswith(kind + '-') and text.endswith(':' + magic)):
            continue
        n = int(rdi, 16)
        assert int(vcpu) < smp
        assert int(at, 16) == hooked
        assert text == '%s-%d:%s' % (kind, n, magic)
        assert 0 < int(rsi, 16) < 0x800000000000   # a user stack address
        ns.append(n)
    return ns


def check_pair(hits, cons, pair, addr, smp):
    """Two probes running at once: each call seen once, in order, with
    its own process's string (read through that process's page tables)."""
    vcpus = set()
    for magic in pair:
        assert 'vs-probe: called vs_probe %d times magic=%s' % (
            PAIR_CALLS, magic) in cons
        for kind, fn in (('probe', 'vs_probe'), ('again', 'vs_probe2')):
            ns = calls(hits, kind, magic, addr[fn], smp)
            assert ns == list(range(1, PAIR_CALLS + 1)), (magic, kind)
        vcpus |= {int(m.group(1)) for m in hits
                  if m.group(5).endswith(':' + magic)}
    print('smp=%d: concurrent probes hit on vCPUs %s' % (smp, sorted(vcpus)))
    assert vcpus <= set(range(smp))


def test_bad_argument_refused(kernel, guest, plugin, tmp_path):
    initrd = guest[0]
    for arg, msg in (('bogus=1', "unknown plugin argument 'bogus'"),
                     ('debug_hook=0xzz', 'debug_hook=0xzz'),
                     ('ready=later', 'expected kernel or user'),
                     ('output_format=xml', 'xml')):
        rc, err, cons, _ = boot(kernel, initrd, '%s,%s' % (plugin, arg),
                                tmp_path, timeout=60)
        assert rc != 0, arg
        assert any(l.startswith('vmiscope: error: ') and msg in l
                   for l in err), '%s:\n%s' % (arg, '\n'.join(err))
        assert not any('workload start' in l for l in cons)


def test_plain_boot_and_ready_user(kernel, guest, plugin, tmp_path):
    initrd = guest[0]
    status = tmp_path / 'status'
    status.write_text('')
    rc, err, cons, took = boot(
        kernel, initrd, '%s,ready=user,verbose=on,status_file=%s'
        % (plugin, status), tmp_path)
    print('no hooks: powered off in %.1f s' % took)
    assert rc == 0, '\n'.join(err[-30:])
    assert 'vmiscope-guest: workload exit 0' in cons
    assert not any('debug_hook' in l for l in err)
    # First user instruction: a user-half address, after the kernel.
    kern = [i for i, l in enumerate(err) if 'kernel reached at' in l]
    user = [i for i, l in enumerate(err)
            if re.search(r'user mode reached at 0x0000[0-7]', l)]
    assert len(kern) == 1 and len(user) == 1 and kern[0] < user[0], \
        '\n'.join(err)
    assert status.read_text().splitlines()[:1] == ['ok']

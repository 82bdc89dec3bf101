# SPDX-License-Identifier: GPL-2.0-or-later
# test_attach.py - `vmiscope attach` against plain QEMU guests (TCG) that
# are already running, through QEMU's gdbstub.
#
# The guest (tools/attach-workload.sh, Debian 6.1 kernel, -smp 2) writes
# its own /proc account to ttyS1, then loops printing "counter N" on the
# console and exec'ing /bin/true until the host sends "stop" on ttyS2. The
# host attaches several times to the same running guest:
#   - --mem-file, --breakpoints sw, ended by -t;
#   - no --mem-file (memory through the stub), ended by SIGINT;
#   - --mem-file, --breakpoints hw, ended by -t;
# and checks each time: RunningProcess equals the guest's account (every
# long-lived process and kernel thread present with its parent and name;
# every listed process the account knows has the account's values), the
# hooks' events describe the loop's /bin/true, the exit status is 0, the
# detach took under 5 s, and afterwards the guest keeps counting. At the
# end the guest is told to stop while a fourth attach watches: it must
# power off normally (QEMU exit 0) and vmiscope exit 0 (the VM ended).
# The same runs against Debian 12's own QEMU 7.2, extracted from the
# bookworm packages into the cache (skipped, with the reason, when that
# cannot be done), which then gets killed mid-attach: exit 1, no hang,
# and the SIGKILL named.
# A QEMU told `gdbserver none` mid-attach drops the connection and runs
# on: exit 1, named. Failures without a guest: nothing listening, a stub
# that never answers, a stub that hangs up.
import os
import re
import shutil
import socket
import subprocess
import threading
import time

import pytest

from conftest import build_initramfs, console_lines
from helpers.gdbguest import GdbGuest, attach, hit_summary, wait_for

HERE = os.path.dirname(os.path.abspath(__file__))
WORKLOAD = os.path.join(HERE, 'tools', 'attach-workload.sh')
CACHE = os.environ.get('VMISCOPE_CACHE',
                       os.path.expanduser('~/.cache/vmiscope'))
QEMU72_DIR = os.path.join(CACHE, 'qemu-7.2')
BOOT_TIMEOUT = 600


class Guest(GdbGuest):
    """The attach workload's guest: its /proc account arrives on ttyS1,
    its counter on the console, "stop" ends its loop."""

    def __init__(self, qemu, extra, kernel, initrd, d):
        super().__init__(qemu, extra, kernel, initrd, d)
        self.account = self.ttys1
        self.procs, self.keep = None, set()

    def wait_account(self):
        end = time.monotonic() + BOOT_TIMEOUT
        while time.monotonic() < end:
            assert self.proc.poll() is None, 'QEMU exited during boot'
            if os.path.exists(self.account):
                with open(self.account, 'rb') as fh:
                    text = fh.read().decode('utf-8', 'replace')
                if 'ACCOUNT-DONE' in text:
                    self.parse_account(text)
                    return
            time.sleep(1)
        pytest.fail('the guest never wrote its account')

    def parse_account(self, text):
        self.procs = {}
        for line in text.splitlines():
            f = line.split('\t')
            if f[0] == 'P' and len(f) == 5 and f[2]:
                self.procs[int(f[1])] = (int(f[2]), f[3], f[4])
            elif line.startswith('KEEP '):
                self.keep.add(int(line.split()[1]))

    def counter(self):
        n = 0
        for line in self.lines():
            m = re.match(r'counter (\d+)$', line)
            if m:
                n = int(m.group(1))
        return n

    def wait_counter_above(self, n, timeout=180):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.counter() > n:
                return self.counter()
            assert self.proc.poll() is None, 'QEMU exited'
            time.sleep(0.5)
        pytest.fail('the guest stopped counting at %d' % self.counter())

    def stop(self):
        self.send('stop')


def start_guest(qemu, extra, kernels, tmp_path_factory, name):
    d = str(tmp_path_factory.mktemp(name))
    initrd = build_initramfs(WORKLOAD, os.path.join(d, 'initrd.cpio.gz'))
    g = Guest(qemu, extra, kernels['bookworm'].path, initrd, d)
    g.wait_account()
    return g


@pytest.fixture(scope='module')
def guest10(kernels, tmp_path_factory):
    g = start_guest(shutil.which('qemu-system-x86_64'), [], kernels,
                    tmp_path_factory, 'attach10')
    yield g
    g.close()


def check_running(guest, events):
    """RunningProcess against the guest's account."""
    got = {e['PID']: e for e in events if 'RunningProcess' in e}
    assert got.get(0, {}).get('RunningProcess') == 'swapper/0'
    top = max(guest.procs)
    must = {p for p, (pp, exe, comm) in guest.procs.items()
            if p in guest.keep or (not exe and not comm.startswith('kworker'))}
    assert guest.keep <= must and len(must) > 10
    matched = 0
    for pid, (ppid, exe, comm) in sorted(guest.procs.items()):
        e = got.get(pid)
        if e is None:
            assert pid not in must, 'pid %d (%s) missing' % (pid, comm)
            continue
        assert e['PPID'] == ppid, (pid, e, ppid)
        if exe:
            assert e['RunningProcess'] == exe, (pid, e, exe)
        else:
            assert comm.startswith(e['RunningProcess']), (pid, e, comm)
        matched += 1
    # Nothing invented: every listed pid the account could know it knows
    # (only kworkers come and go among kernel threads).
    for pid, e in got.items():
        if 0 < pid <= top and not e['RunningProcess'].startswith('kworker'):
            assert pid in guest.procs, ('not in the account', e)
    return matched


def true_events(events, method):
    return [e for e in events if e.get('Method') == method and
            (e.get('FileName') == '/bin/true' or
             e.get('ThreadName') == 'true')]


def check_run(guest, rc, events, err, hw=False):
    assert rc == 0, err
    assert 'detached, breakpoints removed' in err, err
    matched = check_running(guest, events)
    exits = true_events(events, 'do_exit')
    assert exits, err
    for e in exits:
        assert e['ExitStatus'] == 0 and e['PPID'] > 1, e
    execs = true_events(events, 'begin_new_exec')
    assert execs, err
    for e in execs:
        assert e['CommandLine'] == '/bin/true', e
        # hw: the return sites got no slot, exec prints at entry.
        assert e.get('Unreadable', []) == (['suid', 'euid', 'secureexec']
                                           if hw else []), e
    if hw:
        assert 'no hardware slot' in err, err
        assert 'printed at entry' in err, err
    summary = hit_summary(err)
    assert summary, err
    return matched, len(execs), len(exits), summary


@pytest.mark.parametrize('mode', ['mem-sw-t', 'stub-sw-sigint',
                                  'mem-hw-t'])
def test_attach_running_guest(mode, guest10, vmiscope):
    args, sigint = [], None
    if mode.startswith('mem'):
        args += ['--mem-file', guest10.ram]
    args += ['--breakpoints', 'hw' if '-hw-' in mode else 'sw']
    if mode.endswith('-t'):
        args += ['-t', '8']
    else:
        sigint = 8
    rc, events, err, stop_s = attach(vmiscope, guest10, args, sigint)
    res = check_run(guest10, rc, events, err, hw='-hw-' in mode)
    if stop_s is not None:
        assert stop_s < 5, 'detach took %.1f s' % stop_s
    n = guest10.counter()
    after = guest10.wait_counter_above(n + 2)
    print('%s: account matched %d, %d execs, %d exits; %s; counter %d -> '
          '%d after detach%s' % (mode, res[0], res[1], res[2], res[3], n,
                                 after, ', SIGINT to exit %.1f s' % stop_s
                                 if stop_s else ''))


def test_guest_powers_off_after_attaches(guest10, vmiscope):
    """After three attach/detach rounds the guest still ends normally; a
    fourth attach is watching when it powers off: QEMU exits 0 and so
    does vmiscope, naming the end of the VM."""
    err = os.path.join(guest10.d, 'last.err')
    with open(err, 'w') as fe:
        p = subprocess.Popen([vmiscope, 'attach', '--gdb',
                              'unix:' + guest10.sock, '--mem-file',
                              guest10.ram], stdout=subprocess.DEVNULL,
                             stderr=fe)
    try:
        wait_for(err, 'running processes', p, 300)
        guest10.stop()
        rc = guest10.proc.wait(timeout=180)
        vrc = p.wait(timeout=30)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    with open(err) as fh:
        text = fh.read()
    assert rc == 0
    # QEMU announces its exit (W, or a SIGQUIT stop) unless the power-off
    # coincides with a breakpoint hit: then it may close the connection
    # without a word after acking our continue. vmiscope then asks the
    # QEMU process how it ended (peer.c), but the wait() above may reap it
    # first, and then that looks like a killed QEMU (README, attach).
    # Either way the end is reported at once and named; the common case is
    # the announced one.
    if vrc != 0:
        assert vrc == 1, text
        assert 'attach: gdbstub: the gdbstub closed the connection' in text, text
    else:
        assert 'attach: the VM has ended' in text, text
    lines = console_lines(guest10.console)
    assert any(line.startswith('loop ended at') for line in lines)


def apt_version(pkg, prefix):
    """The PKG version starting with PREFIX that the machine's bookworm
    main suite offers (apt-cache policy), or None."""
    out = subprocess.run(['apt-cache', 'policy', pkg], text=True,
                         stdout=subprocess.PIPE).stdout
    ver = None
    for line in out.splitlines():
        m = re.match(r'\s+(?:\*\*\* )?(\S+) \d+$', line)
        if m:
            ver = m.group(1)
        elif ver and ' bookworm/main ' in line and \
                ver.split(':')[-1].startswith(prefix):
            return ver
    return None


def qemu72():
    """Debian 12's QEMU 7.2 extracted into the cache: (binary, -L args),
    or pytest.skip with the reason."""
    binary = os.path.join(QEMU72_DIR, 'usr/bin/qemu-system-x86_64')
    if not os.access(binary, os.X_OK):
        pkgs = []
        for pkg in ('qemu-system-x86', 'qemu-system-common',
                    'qemu-system-data'):
            v = apt_version(pkg, '7.2')
            if not v:
                pytest.skip('apt offers no %s 7.2 from bookworm main' % pkg)
            pkgs.append('%s=%s' % (pkg, v))
        dl = QEMU72_DIR + '.download'
        shutil.rmtree(dl, ignore_errors=True)
        os.makedirs(dl)
        r = subprocess.run(['apt-get', 'download'] + pkgs, cwd=dl, text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=600)
        if r.returncode:
            pytest.skip('apt-get download failed: %s' % r.stdout[-500:])
        for deb in sorted(os.listdir(dl)):
            subprocess.run(['dpkg-deb', '-x', os.path.join(dl, deb),
                            QEMU72_DIR], check=True)
        shutil.rmtree(dl, ignore_errors=True)
    r = subprocess.run([binary, '--version'], text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if r.returncode or 'version 7.2' not in r.stdout:
        pytest.skip('QEMU 7.2 does not run here: %s' % r.stdout[-500:])
    # BIOS images come from the installed seabios package.
    return binary, ['-L', os.path.join(QEMU72_DIR, 'usr/share/qemu'),
                    '-L', '/usr/share/seabios']


def test_attach_qemu72_then_vm_killed(vmiscope, kernels, tmp_path_factory):
    binary, extra = qemu72()
    g = start_guest(binary, extra, kernels, tmp_path_factory, 'attach72')
    try:
        rc, events, err, _ = attach(vmiscope, g, ['--mem-file', g.ram,
                                                  '-t', '8'])
        res = check_run(g, rc, events, err)
        n = g.counter()
        g.wait_counter_above(n + 2)
        # Killed mid-attach: a clear error, exit 1, bounded.
        out = os.path.join(g.d, 'killed.err')
        with open(out, 'w') as fe:
            p = subprocess.Popen([vmiscope, 'attach', '--gdb',
                                  'unix:' + g.sock], stdout=subprocess.DEVNULL,
                                 stderr=fe)
        wait_for(out, 'running processes', p, 300)
        time.sleep(2)
        g.proc.kill()
        t0 = time.monotonic()
        rc2 = p.wait(timeout=30)
        took = time.monotonic() - t0
        with open(out) as fh:
            text = fh.read()
        assert rc2 == 1, text
        # QEMU is not reaped before g.close(): vmiscope can ask it how it
        # ended, whether the VM ran or was held at a hit (peer.c).
        assert 'attach: the VM has ended: QEMU was killed by signal 9' \
            in text, text
        print('QEMU 7.2: account matched %d, %d execs, %d exits; %s; killed '
              'VM reported in %.1f s' % (res[0], res[1], res[2], res[3], took))
    finally:
        g.close()


def test_stub_closed_qemu_runs_on(vmiscope, kernels, tmp_path_factory):
    """QEMU's monitor command `gdbserver none` drops the gdb connection
    while QEMU runs on: not a VM that ended, but a lost connection (exit
    1), named as such because vmiscope asks the QEMU process (peer.c)."""
    mon = os.path.join(str(tmp_path_factory.mktemp('mon')), 'mon.sock')
    g = start_guest(shutil.which('qemu-system-x86_64'),
                    ['-chardev', 'socket,id=mon,path=%s,server=on,wait=off'
                     % mon, '-mon', 'chardev=mon,mode=readline'],
                    kernels, tmp_path_factory, 'attachclose')
    try:
        out = os.path.join(g.d, 'closed.err')
        with open(out, 'w') as fe:
            p = subprocess.Popen([vmiscope, 'attach', '--gdb',
                                  'unix:' + g.sock, '--mem-file', g.ram],
                                 stdout=subprocess.DEVNULL, stderr=fe)
        wait_for(out, 'running processes', p, 300)
        time.sleep(1)
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(mon)
            s.sendall(b'gdbserver none\n')
            rc = p.wait(timeout=30)
        with open(out) as fh:
            text = fh.read()
        assert rc == 1, text
        assert 'attach: gdbstub: QEMU closed the connection and runs on' \
            in text, text
        assert g.proc.poll() is None, 'QEMU ended'
    finally:
        g.close()


def test_nothing_listening(vmiscope, tmp_path):
    for spec in ('unix:' + str(tmp_path / 'none.sock'), 'tcp:127.0.0.1:1'):
        r = subprocess.run([vmiscope, 'attach', '--gdb', spec], text=True,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=30)
        assert r.returncode == 1, r.stderr
        assert 'cannot connect to ' + spec in r.stderr
        assert r.stdout == ''


def fake_stub(path, behaviour):
    """A unix socket that accepts one client and then stays silent, hangs
    up at once, or floods it with noise bytes or acks."""
    srv = socket.socket(socket.AF_UNIX)
    srv.bind(path)
    srv.listen(1)

    def serve():
        c, _ = srv.accept()
        if behaviour in ('noise', 'acks'):
            junk = b'x' * 4096 if behaviour == 'noise' else b'+' * 4096
            end = time.monotonic() + 30
            try:
                while time.monotonic() < end:
                    c.sendall(junk)
            except OSError:
                pass
        elif behaviour == 'silent':
            c.settimeout(30)
            try:
                while c.recv(4096):
                    pass
            except OSError:
                pass
        c.close()
        srv.close()
    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return t


@pytest.mark.parametrize('behaviour', ['silent', 'hangup', 'noise', 'acks'])
def test_broken_stub(vmiscope, tmp_path, behaviour):
    path = str(tmp_path / 'stub.sock')
    fake_stub(path, behaviour)
    t0 = time.monotonic()
    r = subprocess.run([vmiscope, 'attach', '--gdb', 'unix:' + path],
                       text=True, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60)
    took = time.monotonic() - t0
    assert r.returncode == 1, r.stderr
    assert 'no GDB remote protocol answer' in r.stderr
    want = 'closed the connection' if behaviour == 'hangup' else \
        'stopped answering'
    assert want in r.stderr, r.stderr
    assert took < 20


@pytest.mark.parametrize('args, word', [
    (['--mem-layout', 'isa'], '--mem-layout'),
    (['--breakpoints', 'soft'], '--breakpoints'),
    (['-t', '0'], '-t'),
])
def test_usage_errors(vmiscope, args, word):
    r = subprocess.run([vmiscope, 'attach', '--gdb', 'unix:/nonexistent'] +
                       args, text=True, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=30)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith('vmiscope: attach: ' + word), r.stderr


# --- a scripted stub: protocol corners QEMU does not show --------------------

TARGET_XML = ('<?xml version="1.0"?><target><architecture>i386:x86-64'
              '</architecture><xi:include href="regs.xml"/></target>')
REGS_XML = ('<feature name="t"><reg name="rip" bitsize="64"/>'
            '<reg name="eflags" bitsize="32"/><reg name="cs" bitsize="32"/>'
            '<reg name="cr3" bitsize="64"/><reg name="cr4" bitsize="64"/>'
            '</feature>')
# 32 bytes of `g`, run-length encoded ("c*n" is c and n - 29 more; '#'
# and '$' cannot be counts, so 8 zeros are "0000" + "0* "):
#   rip 0xffffffff81000000  '0*"' (6 zeros) '81' 'ff' 'f*"' (6 f)
#   eflags 0                '0000' '0* '
#   cs 0x10                 '10' '0*!' (5 zeros) '0'
#   cr3, cr4 0              '0*<' (32 zeros)
G_RLE = '0*"81fff*"' + '00000* ' + '100*!0' + '0*<'
# Longer than one 256-byte packet, so it comes in pieces.
REGS_XML += '<!-- %s -->' % ('padding ' * 80)


def frame(payload):
    return ('$%s#%02x' % (payload, sum(payload.encode()) % 256)).encode()


class ScriptedStub:
    """Answers one client from a script, with a NAK, an unasked stop
    reply, a corrupted reply, small packets and run-length encoding."""

    def __init__(self, path):
        self.seen = []
        self.srv = socket.socket(socket.AF_UNIX)
        self.srv.bind(path)
        self.srv.listen(1)
        self.t = threading.Thread(target=self.serve, daemon=True)
        self.t.start()

    def packets(self, c):
        buf = b''
        while True:
            m = re.match(rb'[+\-]*\$([^#]*)#([0-9a-f]{2})', buf)
            if m:
                buf = buf[m.end():]
                yield m.group(1).decode()
                continue
            data = c.recv(4096)
            if not data:
                return
            buf += data

    def reply(self, p):
        if p.startswith('qSupported'):
            return 'PacketSize=100;qXfer:features:read+;multiprocess+'
        if p == 'vCont?':
            return 'vCont;c;C;s;S'
        if p == '?':
            return 'T02thread:p01.01;'
        m = re.match(r'qXfer:features:read:([a-z.]+):([0-9a-f]+),([0-9a-f]+)',
                     p)
        if m:
            doc = {'target.xml': TARGET_XML, 'regs.xml': REGS_XML}.get(
                m.group(1))
            if doc is None:
                return 'E00'
            off, n = int(m.group(2), 16), int(m.group(3), 16)
            part = doc[off:off + n]
            return ('l' if off + n >= len(doc) else 'm') + part
        if p == 'qfThreadInfo':
            return 'mp01.01,p01.02'
        if p == 'qsThreadInfo':
            return 'l'
        if p.startswith('Hg'):
            return 'OK'
        if p == 'g':
            return G_RLE
        if p.startswith('m'):
            return 'E14'
        if p.startswith('D'):
            return 'OK'
        return ''

    def serve(self):
        c, _ = self.srv.accept()
        first = True
        corrupted = False
        for p in self.packets(c):
            self.seen.append(p)
            if first:                       # refuse the first packet once
                first = False
                c.sendall(b'-')
                continue
            if p.startswith('qSupported'):  # QEMU 7.2's unasked stop
                c.sendall(frame('T02thread:p01.01;'))
            c.sendall(b'+')
            r = frame(self.reply(p))
            if p == '?' and not corrupted:  # a bad checksum once
                corrupted = True
                c.sendall(r[:-2] + b'00' if not r.endswith(b'00')
                          else r[:-2] + b'11')
            c.sendall(r)
            if p.startswith('D'):
                break
        c.close()
        self.srv.close()


def test_scripted_stub(vmiscope, tmp_path):
    stub = ScriptedStub(str(tmp_path / 'stub.sock'))
    ram = tmp_path / 'ram'
    ram.write_bytes(bytes(1 << 20))
    r = subprocess.run([vmiscope, 'attach', '-v', '--gdb',
                        'unix:' + str(tmp_path / 'stub.sock'), '--mem-file',
                        str(ram)], text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    stub.t.join(10)
    # It got through the handshake, the description (in 256-byte packets,
    # with its include), the threads and the registers (rip decoded from
    # the run-length encoded `g`: the RAM-file check reads the code at
    # rip through the stub), found no kernel in a RAM file of zeros, and
    # detached from the multiprocess stub.
    assert r.returncode == 1, r.stderr
    assert 'guest OS not recognised' in r.stderr, r.stderr
    assert '5 registers, g layout 32 bytes' in r.stderr, r.stderr
    assert '2 vCPUs' in r.stderr, r.stderr
    assert "stop reply 'T02thread:p01.01;' before an ack, kept" in r.stderr
    assert 'bad frame from the stub' in r.stderr
    assert stub.seen[0] == stub.seen[1]          # resent after the NAK
    xfers = [p for p in stub.seen if p.startswith('qXfer')]
    assert any('regs.xml' in p for p in xfers) and len(xfers) > 4
    assert 'mffffffff81000000,40' in stub.seen
    assert stub.seen[-1] == 'D;1'
    assert r.stdout == ''

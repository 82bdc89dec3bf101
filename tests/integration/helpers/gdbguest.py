# SPDX-License-Identifier: GPL-2.0-or-later
# gdbguest.py - a plain QEMU guest (TCG) for `vmiscope attach`, and the
# attach run itself; shared by test_attach.py and test_attach_procmon.py.
#
# GdbGuest starts QEMU with a gdbstub on a unix socket, guest RAM in a
# shared memory-backend file (for --mem-file), the console on ttyS0 (a
# file), ttyS1 into a second file (the guest kit's bulk port) and ttyS2 on
# a unix socket the host writes lines to (send()). attach() runs vmiscope
# attach against it and returns its exit status, json events and stderr.
import json
import os
import re
import signal
import socket
import subprocess
import time

import pytest

from conftest import console_lines


class GdbGuest:
    """A running QEMU with gdbstub, RAM file, console, ttyS1 file and the
    ttyS2 control socket; @smp vCPUs, 512 MiB."""

    def __init__(self, qemu, extra, kernel, initrd, d, smp=2):
        self.d = d
        self.sock = os.path.join(d, 'gdb.sock')
        self.ram = os.path.join(d, 'ram.img')
        self.console = os.path.join(d, 'console.log')
        self.ttys1 = os.path.join(d, 'ttys1.txt')
        self.ctl = os.path.join(d, 'ctl.sock')
        cmd = [qemu] + extra + [
            '-accel', 'tcg', '-m', '512', '-smp', str(smp), '-nic', 'none',
            '-display', 'none', '-monitor', 'none', '-no-reboot',
            '-kernel', kernel, '-initrd', initrd,
            '-append', 'console=ttyS0 panic=-1 quiet',
            '-serial', 'file:' + self.console,
            '-serial', 'file:' + self.ttys1,
            '-chardev', 'socket,id=ctl,path=%s,server=on,wait=off' % self.ctl,
            '-serial', 'chardev:ctl',
            '-object', 'memory-backend-file,id=ram0,size=512M,mem-path=%s,'
                       'share=on' % self.ram,
            '-machine', 'memory-backend=ram0',
            '-gdb', 'unix:%s,server=on,wait=off' % self.sock]
        self.log = open(os.path.join(d, 'qemu.log'), 'w')
        self.proc = subprocess.Popen(cmd, stdout=self.log,
                                     stderr=subprocess.STDOUT)

    def lines(self):
        if not os.path.exists(self.console):     # QEMU not up yet
            return []
        return console_lines(self.console)

    def wait_console(self, pred, timeout, what):
        """Wait until pred(console lines) is true; fail naming @what."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if pred(self.lines()):
                return
            assert self.proc.poll() is None, 'QEMU exited while waiting ' \
                'for ' + what
            time.sleep(0.5)
        pytest.fail('the guest never showed ' + what)

    def send(self, line):
        """One line to the guest's ttyS2."""
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(self.ctl)
            s.sendall(line.encode() + b'\n')
            time.sleep(0.5)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


def wait_for(path, what, p, timeout):
    """Wait until file @path contains @what or process @p ends."""
    end = time.monotonic() + timeout
    while time.monotonic() < end and p.poll() is None:
        with open(path, errors='replace') as fh:
            if what in fh.read():
                return True
        time.sleep(0.2)
    return False


def attach(vmiscope, guest, args, sigint_after=None, timeout=300,
           ready='running processes', during=None, name='attach'):
    """Run `vmiscope attach -o json --extended ARGS` on @guest.

    Waits for @ready on its stderr, then calls during(p) if given (which
    returns when monitoring may end) or sleeps @sigint_after seconds; then
    sends SIGINT (unless neither was given: then it waits for the end).
    Returns (rc, events, stderr, seconds from SIGINT to exit or None)."""
    out = os.path.join(guest.d, name + '.json')
    err = os.path.join(guest.d, name + '.err')
    cmd = [vmiscope, 'attach', '--gdb', 'unix:' + guest.sock, '-o', 'json',
           '--extended'] + args
    with open(out, 'w') as fo, open(err, 'w') as fe:
        p = subprocess.Popen(cmd, stdout=fo, stderr=fe)
    asked = None
    try:
        wait_for(err, ready, p, timeout)
        if during is not None or sigint_after is not None:
            if during is not None:
                during(p)
            else:
                time.sleep(sigint_after)
            asked = time.monotonic()
            p.send_signal(signal.SIGINT)
        p.wait(timeout=timeout)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    done = time.monotonic()
    with open(err, errors='replace') as fh:
        text = fh.read()
    with open(out) as fh:
        events = [json.loads(line) for line in fh if line.strip()]
    return p.returncode, events, text, (done - asked) if asked else None


def hit_summary(err):
    """The end-of-run line's hit count, packets and host ms per hit."""
    m = re.search(r'(\d+) hits .* ([\d.]+) packets and ([\d.]+) ms host time '
                  r'per hit', err)
    return m.group(0) if m else None

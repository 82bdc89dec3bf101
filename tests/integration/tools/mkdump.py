#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Boot a kernel + oracle initramfs under QEMU TCG and dump guest memory.

mkdump.py KERNEL INITRD OUTDIR [--memory MB] [--timeout S]

Writes OUTDIR/guest.txt (the guest's own account from ttyS1: /proc/kallsyms,
a /proc listing, the banner), OUTDIR/console.txt (ttyS0) and OUTDIR/dump.elf
(QMP dump-guest-memory, paging off) once the guest printed VMISCOPE-READY.
Plain qemu-system-x86_64, no plugin: the dump is what `pslist --dump` reads.
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import time


def qmp_cmd(sock, f, cmd, args=None):
    msg = {"execute": cmd}
    if args:
        msg["arguments"] = args
    sock.sendall(json.dumps(msg).encode() + b"\n")
    while True:
        line = f.readline()
        if not line:
            raise RuntimeError("QMP closed")
        r = json.loads(line)
        if "return" in r or "error" in r:
            return r


def wait_ready(path, proc, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise RuntimeError("qemu exited early: %d" % proc.returncode)
        try:
            with open(path, "rb") as f:
                if b"VMISCOPE-READY" in f.read():
                    return
        except FileNotFoundError:
            pass
        time.sleep(0.5)
    raise TimeoutError("guest not ready after %ds" % timeout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kernel")
    ap.add_argument("initrd")
    ap.add_argument("outdir")
    ap.add_argument("--memory", type=int, default=512)
    ap.add_argument("--timeout", type=int, default=400)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    out = os.path.abspath(a.outdir)
    sock_path = os.path.join(out, "qmp.sock")
    for n in ("guest.txt", "console.txt", "dump.elf", "qmp.sock"):
        try:
            os.unlink(os.path.join(out, n))
        except FileNotFoundError:
            pass
    cmd = ["qemu-system-x86_64", "-accel", "tcg", "-m", str(a.memory),
           "-display", "none", "-monitor", "none", "-no-reboot",
           "-kernel", a.kernel, "-initrd", a.initrd,
           "-append", "console=ttyS0 panic=-1 quiet",
           "-serial", "file:" + os.path.join(out, "console.txt"),
           "-serial", "file:" + os.path.join(out, "guest.txt"),
           "-qmp", "unix:%s,server,nowait" % sock_path]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL)
    try:
        wait_ready(os.path.join(out, "guest.txt"), proc, a.timeout)
        t1 = time.monotonic()
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(sock_path)
        f = s.makefile("r")
        f.readline()  # greeting
        qmp_cmd(s, f, "qmp_capabilities")
        r = qmp_cmd(s, f, "dump-guest-memory",
                    {"paging": False,
                     "protocol": "file:" + os.path.join(out, "dump.elf")})
        if "error" in r:
            raise RuntimeError(str(r["error"]))
        qmp_cmd(s, f, "quit")
        print("ready after %.1fs, dumped in %.1fs" %
              (t1 - t0, time.monotonic() - t1), file=sys.stderr)
    finally:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())

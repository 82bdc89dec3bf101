#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Boot a kernel + oracle initramfs under QEMU TCG and dump guest memory.

mkdump.py KERNEL INITRD OUTDIR [--memory MB] [--timeout S] [--append STR]
          [--snapshot]

Writes OUTDIR/guest.txt (the guest's own account from ttyS1: /proc/kallsyms,
a /proc listing, the banner), OUTDIR/console.txt (ttyS0) and OUTDIR/dump.elf
(QMP dump-guest-memory, paging off) once the guest printed VMISCOPE-READY.
Plain qemu-system-x86_64, no plugin: the dump is what `pslist --dump` reads.

--snapshot stops the guest first, dumps, saves the same stopped state to
OUTDIR/vmstate.mig (QMP migrate to a file: like savevm, but needs no qcow2
disk, hence no qemu-img) and writes OUTDIR/qemu-cmd.json: the command line
that restores it ("-incoming file:OUTDIR/vmstate.mig", serial ports moved
to OUTDIR/live-*.txt, QMP at OUTDIR/live-qmp.sock). QEMU keeps a guest
that was stopped on the source stopped after the restore: `mkdump.py
--resume OUTDIR` (or any QMP "cont") starts it. So the dump and the
restored live guest are the very same machine state.
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


def save(sock, f, out, base):
    """Migrate the stopped guest to a file; the command that restores it."""
    mig = os.path.join(out, "vmstate.mig")
    r = qmp_cmd(sock, f, "migrate", {"uri": "file:" + mig})
    if "error" in r:
        raise RuntimeError("migrate: %s" % r["error"])
    for _ in range(1200):
        st = qmp_cmd(sock, f, "query-migrate")["return"].get("status")
        if st == "completed":
            break
        if st in ("failed", "cancelled"):
            raise RuntimeError("migrate: %s" % st)
        time.sleep(0.1)
    else:
        raise RuntimeError("migrate: not completed after 120 s")
    live = base + ["-serial", "file:" + os.path.join(out, "live-console.txt"),
                   "-serial", "file:" + os.path.join(out, "live-guest.txt"),
                   "-qmp", "unix:%s,server,nowait"
                   % os.path.join(out, "live-qmp.sock"),
                   "-incoming", "file:" + mig]
    with open(os.path.join(out, "qemu-cmd.json"), "w") as fh:
        json.dump(live, fh)


def live_qmp(outdir, timeout):
    """A QMP session with the restored guest of OUTDIR: (socket, file)."""
    path = os.path.join(outdir, "live-qmp.sock")
    end = time.monotonic() + timeout
    while True:
        try:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            s.close()
            if time.monotonic() > end:
                raise TimeoutError("no QMP socket at " + path)
            time.sleep(0.2)
    f = s.makefile("r")
    f.readline()
    qmp_cmd(s, f, "qmp_capabilities")
    return s, f


def quit_live(outdir):
    """QMP "quit" to the restored guest (gone already is fine)."""
    try:
        s, f = live_qmp(outdir, 5)
    except (TimeoutError, OSError):
        return
    with s:
        try:
            qmp_cmd(s, f, "quit")
        except (RuntimeError, OSError):
            pass


def resume(outdir, timeout=120):
    """QMP "cont" on the restored guest of OUTDIR, once it has loaded."""
    end = time.monotonic() + timeout
    s, f = live_qmp(outdir, timeout)
    with s:
        while time.monotonic() < end:
            st = qmp_cmd(s, f, "query-status")["return"]["status"]
            if st not in ("inmigrate", "restore-vm"):
                break
            time.sleep(0.2)
        r = qmp_cmd(s, f, "cont")
        if "error" in r:
            raise RuntimeError("cont: %s" % r["error"])


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--resume":
        resume(sys.argv[2])
        return 0
    ap = argparse.ArgumentParser()
    ap.add_argument("kernel")
    ap.add_argument("initrd")
    ap.add_argument("outdir")
    ap.add_argument("--memory", type=int, default=512)
    ap.add_argument("--timeout", type=int, default=400)
    ap.add_argument("--append", default="")
    ap.add_argument("--snapshot", action="store_true")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    out = os.path.abspath(a.outdir)
    sock_path = os.path.join(out, "qmp.sock")
    for n in ("guest.txt", "console.txt", "dump.elf", "qmp.sock",
              "vmstate.mig", "qemu-cmd.json", "live-qmp.sock"):
        try:
            os.unlink(os.path.join(out, n))
        except FileNotFoundError:
            pass
    base = ["qemu-system-x86_64", "-accel", "tcg", "-m", str(a.memory),
            "-display", "none", "-monitor", "none", "-no-reboot",
            "-kernel", os.path.abspath(a.kernel),
            "-initrd", os.path.abspath(a.initrd),
            "-append", ("console=ttyS0 panic=-1 quiet " + a.append).strip()]
    cmd = base + ["-serial", "file:" + os.path.join(out, "console.txt"),
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
        if a.snapshot:
            qmp_cmd(s, f, "stop")
        r = qmp_cmd(s, f, "dump-guest-memory",
                    {"paging": False,
                     "protocol": "file:" + os.path.join(out, "dump.elf")})
        if "error" in r:
            raise RuntimeError(str(r["error"]))
        if a.snapshot:
            save(s, f, out, base)
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

# SPDX-License-Identifier: GPL-2.0-or-later
# workload.py - booting a self-logging guest workload under `vmiscope run`
# and reading the guest's own account back, shared by test_procmon_linux.py
# (procmon/pmwork.c, `PMW` lines), test_identity.py (identity/idwork.c,
# `IDW`) and test_adversarial.py (adversarial/advwork.c, `ADV`).
#
# A workload is one C source compiled static under several names (the
# name picks the role), packed with its workload.sh into an initramfs and
# booted on one test kernel with --smp 2; it logs `TAG {json}` lines on
# the console (lib/wlog.h). vmiscope's stderr goes to DIR/stderr.txt and
# the console to DIR/serial.log. The oracles stay in the tests (and in
# pmoracle.py): this file only runs the guest and parses its log lines.
import json
import os
import subprocess

from conftest import build_initramfs, console_lines

STATS = 'vmiscope: stats '


def guest_log(lines, tag):
    """The `TAG {json}` records among console lines, in order."""
    log = []
    for line in lines:
        i = line.find(tag + ' {')
        if i >= 0:
            log.append(json.loads(line[i + len(tag) + 1:]))
    return log


def read_log(d, tag):
    """guest_log() of the run in @d (its serial.log)."""
    return guest_log(console_lines(os.path.join(d, 'serial.log')), tag)


def read_stderr(d):
    with open(os.path.join(d, 'stderr.txt')) as fh:
        return fh.read()


def stats_lines(stderr):
    """The `vmiscope: stats {json}` objects of a run's stderr, in order."""
    return [json.loads(ln[len(STATS):]) for ln in stderr.splitlines()
            if ln.startswith(STATS)]


def boot(exe, kernel, d, static_cc, src, names, opts, limit, timeout,
         env=None):
    """Compile @src as each of @names (static, into @d), pack them with
    the workload.sh next to @src, then `@exe run @opts` it on @kernel with
    --smp 2 and a guest time limit of @limit seconds; vmiscope's stdout is
    dropped. Returns vmiscope's exit status."""
    helpers = [static_cc(src, os.path.join(d, n)) for n in names]
    initrd = build_initramfs(os.path.join(os.path.dirname(src), 'workload.sh'),
                             os.path.join(d, 'initrd.cpio.gz'), helpers)
    cmd = [exe, 'run'] + list(opts) + [
        '--smp', '2', '--kernel', kernel.path, '--initrd', initrd,
        '--serial-log', os.path.join(d, 'serial.log'), '-t', str(limit)]
    with open(os.path.join(d, 'stderr.txt'), 'w') as err:
        return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=err,
                              env=env, timeout=timeout).returncode

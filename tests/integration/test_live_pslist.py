# SPDX-License-Identifier: GPL-2.0-or-later
# test_live_pslist.py - RunningProcess from a LIVE guest, at a known point,
# against the guest's own account and against `pslist` on a dump.
#
# The known point is a restored snapshot. tools/mkdump.py boots each kernel
# (Debian 6.1, 6.12, 5.10; each also with `nokaslr` and with `pti=on`)
# with tools/pslist-workload.sh, which writes its own account (/proc listing,
# command line, cpuinfo's pti flag) to ttyS1 and then idles; the host stops
# the guest, dumps its memory and saves the same stopped state to a file
# (QMP migrate). `vmiscope run -- QEMU... -incoming file:STATE` then
# restores it with the plugin loaded; the plugin's ready moment (the first
# kernel instruction, ready=kernel) is the first instruction after the
# restore, so discovery and the running-process enumeration happen on
# exactly the state that was dumped and accounted for. Checks:
#   - live RunningProcess lines == `pslist --dump` lines (timestamps aside);
#   - both == the guest's /proc account (pid, ppid, exe path, comm prefix);
#   - stderr: kernel found by kallsyms+BTF, discovery CPU time printed;
#   - nokaslr: _text is the link-time 0xffffffff81000000; pti=on: the guest
#     says PTI is on (its cpuinfo flag).
# VMISCOPE_LIVE_CASES=6.1,5.10-pti,... limits the cases run.
import json
import os
import re
import subprocess
import sys
import time

import pytest

from conftest import build_initramfs
from test_pslist import Guest, check_account

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(HERE, 'tools')
WORKLOAD = os.path.join(TOOLS, 'pslist-workload.sh')
MKDUMP = os.path.join(TOOLS, 'mkdump.py')
sys.path.insert(0, TOOLS)
import mkdump  # noqa: E402  (tools/ is not a package)

SUITE = {'6.1': 'bookworm', '6.12': 'bookworm-backports', '5.10': 'bullseye'}
APPEND = {'': '', 'nokaslr': 'nokaslr', 'pti': 'pti=on'}
CASES = ['%s%s' % (k, '-' + v if v else '') for v in APPEND for k in SUITE]
LINK_TEXT = 0xffffffff81000000


def selected(case):
    only = os.environ.get('VMISCOPE_LIVE_CASES')
    return not only or case in only.split(',')


@pytest.fixture(scope='module')
def initrd(tmp_path_factory):
    d = tmp_path_factory.mktemp('live-initrd')
    return build_initramfs(WORKLOAD, str(d / 'initrd.cpio.gz'))


def running(lines):
    """The RunningProcess events of JSON lines (a live run also prints the
    hooks' events after them), without what differs per run: TimeStamp,
    and the process keys, which start with a random run id."""
    out = []
    for line in lines:
        e = json.loads(line)
        if 'RunningProcess' in e:
            for k in ('TimeStamp', 'ProcessKey', 'ParentProcessKey'):
                e.pop(k, None)
            out.append(e)
    return out


def run_live(vmiscope, d):
    """vmiscope run on the restored snapshot until procmon has listed the
    processes; returns (events, stderr)."""
    with open(os.path.join(d, 'qemu-cmd.json')) as fh:
        qemu = json.load(fh)
    out_path, err_path = os.path.join(d, 'live.json'), os.path.join(d, 'live.err')
    with open(out_path, 'w') as out, open(err_path, 'w') as err:
        proc = subprocess.Popen([vmiscope, 'run', '-o', 'json', '-t', '600',
                                 '--'] + qemu, stdout=out, stderr=err)
    try:
        mkdump.resume(d)
        end = time.monotonic() + 600
        while time.monotonic() < end and proc.poll() is None:
            with open(err_path, errors='replace') as fh:
                text = fh.read()
            if re.search(r'running processes|process list incomplete|'
                         r'not recognised', text):
                break
            time.sleep(0.5)
        mkdump.quit_live(d)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    with open(err_path, errors='replace') as fh:
        err = fh.read()
    with open(out_path) as fh:
        events = fh.read().splitlines()
    return proc.returncode, events, err


def guest_says(guest, key):
    with open(os.path.join(guest.d, 'guest.txt'), 'rb') as fh:
        for line in fh.read().decode('utf-8', 'replace').splitlines():
            if line.startswith(key + ' '):
                return line[len(key) + 1:].strip()
    return None


@pytest.mark.parametrize('case', CASES)
def test_live_running_processes(case, kernels, initrd, vmiscope,
                                tmp_path):
    if not selected(case):
        pytest.skip('not in VMISCOPE_LIVE_CASES')
    kver, _, extra = case.partition('-')
    k = kernels[SUITE[kver]]
    d = str(tmp_path)
    subprocess.run([sys.executable, MKDUMP, k.path, initrd, d, '--snapshot',
                    '--append', APPEND[extra]], check=True, timeout=900)
    guest = Guest(k, d)
    cmdline = guest_says(guest, 'CMDLINE')
    assert APPEND[extra] in cmdline.split() if extra else True, cmdline
    if extra == 'pti':
        assert guest_says(guest, 'PTI') == 'on'

    dump = subprocess.run([vmiscope, 'pslist', '--dump', guest.dump, '-o',
                           'json'], text=True, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=300)
    assert dump.returncode == 0, dump.stderr
    os.unlink(guest.dump)
    m = re.search(r'kernel base (0x[0-9a-f]+)', dump.stderr)
    assert m, dump.stderr
    text = int(m.group(1), 16)
    if extra == 'nokaslr':
        assert text == LINK_TEXT
    dumped = running(dump.stdout.splitlines())

    rc, lines, err = run_live(vmiscope, d)
    assert rc == 0, err
    m = re.search(r'found (Linux version \S+).* by kallsyms\+BTF in (\d+) ms '
                  r'wall, (\d+) ms CPU', err)
    assert m, err
    live = running(lines)
    assert live == dumped
    matched, _ = check_account(guest, live)
    print('%s (%s): live == dump: %d processes; account matched %d / %d; '
          '_text %#x; discovery %s ms CPU live; PTI %s, meltdown: %s' %
          (case, m.group(1), len(live), matched, len(guest.procs), text,
           m.group(3), guest_says(guest, 'PTI'),
           guest_says(guest, 'MELTDOWN')))

# SPDX-License-Identifier: GPL-2.0-or-later
# test_procmon_linux.py - procmon's Linux events against the guest's own
# account, on every test kernel (Debian 6.1, 6.12, 5.10).
#
# The guest runs procmon/pmwork.c under --smp 2: it forks, execs, clones
# threads, sends signals and exits in known ways and logs each action
# itself (`PMW {json}` on the console: PIDs, TIDs, argv, envp, uids, exit
# statuses as waitpid saw them, signals sent). One `vmiscope run` writes
# the events in all four formats at once (--extended, a custom filter
# file). The oracles never share code with vmiscope:
#   - every logged clone, exec, exit and signal appears as exactly one
#     event with the right fields, and no other event concerns the
#     workload's processes (counts exact, nothing missing or duplicated);
#   - the four outputs, read back by procmon/evparse.py (written from
#     docs/events.md), hold the same events.
# The oracles live in helpers/pmoracle.py (test_attach_procmon.py checks
# the same workload under `attach`).
import os
import subprocess

import pytest

from conftest import build_initramfs, console_lines
from helpers import pmoracle

HERE = os.path.dirname(os.path.abspath(__file__))
PM = os.path.join(HERE, 'procmon')

SUITES = ('bookworm', 'bookworm-backports', 'bullseye')


class Run(pmoracle.Run):
    def __init__(self, kernel, d):
        self.kernel = kernel
        with open(os.path.join(d, 'stderr.txt')) as fh:
            stderr = fh.read()
        log = pmoracle.pmw_log(console_lines(os.path.join(d, 'serial.log')))
        super().__init__(kernel.release, d, log, stderr)


@pytest.fixture(scope='module', params=SUITES)
def run(request, kernels, vmiscope, static_cc, tmp_path_factory):
    k = kernels[request.param]
    d = str(tmp_path_factory.mktemp('procmon-' + request.param))
    src = os.path.join(PM, 'pmwork.c')
    helpers = [static_cc(src, os.path.join(d, n))
               for n in ('pmwork', 'pmhelper', 'pmsuid')]
    initrd = build_initramfs(os.path.join(PM, 'workload.sh'),
                             os.path.join(d, 'initrd.cpio.gz'), helpers)
    filt = pmoracle.write_filter(d)
    cmd = [vmiscope, 'run', '--extended', '--procmon-filter-file', filt,
           '--smp', '2', '--kernel', k.path, '--initrd', initrd,
           '--serial-log', os.path.join(d, 'serial.log'), '-t', '900']
    cmd += pmoracle.output_args(d)
    with open(os.path.join(d, 'stderr.txt'), 'w') as err:
        rc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=err,
                            timeout=1200).returncode
    r = Run(k, d)
    assert rc == 0, r.stderr
    assert any(x['ev'] == 'done' for x in r.log), 'workload did not finish'
    yield r


def test_clone_events(run):
    pmoracle.check_clone(run)


def test_exec_events(run):
    pmoracle.check_exec(run)


def test_exit_events(run):
    pmoracle.check_exit(run)


def test_signal_events(run):
    pmoracle.check_signal(run)


def test_formats_agree(run):
    pmoracle.check_formats(run)


def test_stream_and_stats(run):
    pmoracle.check_stream(run)

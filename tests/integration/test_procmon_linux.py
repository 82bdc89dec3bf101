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

import pytest

from helpers import pmoracle
from helpers.workload import boot, read_log, read_stderr

HERE = os.path.dirname(os.path.abspath(__file__))
PM = os.path.join(HERE, 'procmon')

SUITES = ('bookworm', 'bookworm-backports', 'bullseye')


class Run(pmoracle.Run):
    def __init__(self, kernel, d):
        self.kernel = kernel
        super().__init__(kernel.release, d, read_log(d, 'PMW'),
                         read_stderr(d))


@pytest.fixture(scope='module', params=SUITES)
def run(request, kernels, vmiscope, static_cc, tmp_path_factory):
    k = kernels[request.param]
    d = str(tmp_path_factory.mktemp('procmon-' + request.param))
    opts = ['--extended', '--procmon-filter-file', pmoracle.write_filter(d)]
    rc = boot(vmiscope, k, d, static_cc, os.path.join(PM, 'pmwork.c'),
              ('pmwork', 'pmhelper', 'pmsuid'),
              opts + pmoracle.output_args(d), 900, 1200)
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

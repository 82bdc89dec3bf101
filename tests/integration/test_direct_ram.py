# SPDX-License-Identifier: GPL-2.0-or-later
# test_direct_ram.py - the QEMU plugin's direct guest RAM reads
# (src/backend/qemu/direct.c, plugin argument direct_ram=on|off) on a real
# Debian 6.1 guest.
#
# The procmon workload (procmon/pmwork.c, --smp 2) runs three times under
# `vmiscope run -v`: as shipped (direct_ram on by default), with
# direct_ram=off, and with debug_direct_skew=100 (after a vCPU's 100th
# direct read, every direct read of it comes back with a flipped byte, as
# if the RAM mapping were wrong), the last two added to the -plugin
# argument by a tiny --qemu wrapper (the command line of `run` has no such
# option). Each run's events must match the guest's own log exactly
# (helpers/pmoracle.py, the oracle of test_procmon_linux.py). The direct
# run must also have used the fast path for real: verified at start-up,
# more than 1000 reads served, more than 100 of them cross-checked against
# QEMU's API, none different; the off run must have served none; the skew
# run must have caught the first wrong read (it falls among the first 256
# reads of its vCPU, which are all cross-checked), turned the fast path off
# for good with its warning, and printed no wrong byte.
import os
import re
import stat

import pytest

from helpers import pmoracle
from helpers.workload import boot, read_log, read_stderr

HERE = os.path.dirname(os.path.abspath(__file__))
PM = os.path.join(HERE, 'procmon')

COUNTERS = re.compile(r'qemu: direct RAM (on|off): direct_reads (\d+), '
                      r'direct_fallbacks (\d+), direct_checks (\d+), '
                      r'direct_mismatches (\d+)')

WRAPPER = '''#!/bin/sh
# qemu-system-x86_64 with ,%s appended to the -plugin argument.
prev=
for a do
    shift
    if [ "$prev" = -plugin ]; then a="$a,%s"; fi
    set -- "$@" "$a"
    prev=$a
done
exec qemu-system-x86_64 "$@"
'''


class Run(pmoracle.Run):
    def __init__(self, kernel, d):
        super().__init__(kernel.release, d, read_log(d, 'PMW'),
                         read_stderr(d))
        m = COUNTERS.findall(self.stderr)
        assert len(m) == 1, self.stderr[-4000:]
        self.state = m[0][0]
        self.reads, self.fallbacks, self.checks, self.mismatches = (
            int(x) for x in m[0][1:])


SKEW = 100
EXTRA = {'off': 'direct_ram=off', 'skew': 'debug_direct_skew=%d' % SKEW}


def wrapper(d, extra):
    path = os.path.join(d, 'qemu-plugin-extra')
    with open(path, 'w') as fh:
        fh.write(WRAPPER % (extra, extra))
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path


@pytest.fixture(scope='module', params=('on', 'off', 'skew'))
def run(request, kernels, vmiscope, static_cc, tmp_path_factory):
    k = kernels['bookworm']
    d = str(tmp_path_factory.mktemp('direct-ram-' + request.param))
    opts = ['-v', '--extended', '--procmon-filter-file',
            pmoracle.write_filter(d)]
    if request.param in EXTRA:
        opts += ['--qemu', wrapper(d, EXTRA[request.param])]
    rc = boot(vmiscope, k, d, static_cc, os.path.join(PM, 'pmwork.c'),
              ('pmwork', 'pmhelper', 'pmsuid'),
              opts + pmoracle.output_args(d), 900, 1200)
    r = Run(k, d)
    r.param = request.param
    assert rc == 0, r.stderr[-4000:]
    assert any(x['ev'] == 'done' for x in r.log), 'workload did not finish'
    print('direct_ram=%s: state %s, reads %d, fallbacks %d, checks %d, '
          'mismatches %d' % (r.param, r.state, r.reads, r.fallbacks,
                             r.checks, r.mismatches))
    yield r


def test_fast_path_use(run):
    if run.param == 'on':
        assert 'direct guest RAM reads on' in run.stderr
        assert 'direct guest RAM reads off' not in run.stderr
        assert run.state == 'on'
        assert run.reads > 1000
        assert run.checks > 100
        assert run.mismatches == 0
    elif run.param == 'skew':
        # Two vCPUs: the first to reach its SKEW-th read turns the fast
        # path off for both, so the total is between SKEW and 2 * SKEW.
        assert 'direct guest RAM reads on' in run.stderr
        assert 'differed from QEMU\'s; direct reads off' in run.stderr
        assert run.state == 'off'
        assert run.mismatches == 1
        assert SKEW <= run.reads <= 2 * SKEW
    else:
        assert 'direct guest RAM reads' not in run.stderr
        assert run.state == 'off'
        assert (run.reads, run.fallbacks, run.checks, run.mismatches) == \
            (0, 0, 0, 0)


def test_clone_events(run):
    pmoracle.check_clone(run)


def test_exec_events(run):
    pmoracle.check_exec(run)


def test_exit_events(run):
    pmoracle.check_exit(run)


def test_signal_events(run):
    pmoracle.check_signal(run)


def test_stream_and_stats(run):
    pmoracle.check_stream(run)

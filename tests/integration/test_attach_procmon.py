# SPDX-License-Identifier: GPL-2.0-or-later
# test_attach_procmon.py - the Linux procmon scenarios of
# test_procmon_linux.py under `vmiscope attach` (issue #7), with software
# and with hardware breakpoints.
#
# One plain QEMU guest (TCG, Debian 6.1, -smp 2, gdbstub and a shared RAM
# file) boots the procmon workload (procmon/pmwork.c) in its waiting mode:
# init is up and the workload's shell sits reading ttyS2. For each mode
# vmiscope attaches (--mem-file, --breakpoints sw|hw); once its hooks are
# placed the host sends "go", the driver runs one round and logs every
# action itself, and when the round's end shows on the console vmiscope
# gets SIGINT and detaches. The round's events are checked by the same
# oracles as `run` (helpers/pmoracle.py): every logged clone, exec, exit
# and signal is exactly one event with the right fields, the four output
# formats agree, the json lines satisfy the schema. Under hw the return
# sites get no breakpoint slot (4 slots, the entry hooks take them), so
# exec and clone are printed at their entry: the same events, with the
# return-only fields named in Unreadable (docs/events.md §7). Then the
# guest is told to stop and must power off normally.
import os
import shutil
import time

import pytest

from conftest import build_initramfs
from helpers import pmoracle
from helpers.gdbguest import GdbGuest, attach, hit_summary
from helpers.schema import check_json_lines

HERE = os.path.dirname(os.path.abspath(__file__))
PM = os.path.join(HERE, 'procmon')
BOOT_TIMEOUT = 600
ROUND_TIMEOUT = 1500     # ~38 ms of guest time per hit, ~2000 hits


def count(lines, prefix):
    return sum(1 for line in lines if line.startswith(prefix))


@pytest.fixture(scope='module')
def pmguest(kernels, static_cc, tmp_path_factory):
    d = str(tmp_path_factory.mktemp('attach-procmon'))
    src = os.path.join(PM, 'pmwork.c')
    helpers = [static_cc(src, os.path.join(d, n))
               for n in ('pmwork', 'pmhelper', 'pmsuid')]
    flag = os.path.join(d, 'pmw-wait')
    open(flag, 'w').close()
    initrd = build_initramfs(os.path.join(PM, 'workload.sh'),
                             os.path.join(d, 'initrd.cpio.gz'), helpers,
                             files=[(flag, '/etc/pmw-wait')])
    g = GdbGuest(shutil.which('qemu-system-x86_64'), [],
                 kernels['bookworm'].path, initrd, d, smp=2)
    g.release = kernels['bookworm'].release
    try:
        g.wait_console(lambda lines: count(lines, 'PMW-WAIT') >= 1,
                       BOOT_TIMEOUT, 'its workload waiting')
        yield g
        g.send('stop')
        rc = g.proc.wait(timeout=180)
        print('guest powered off, QEMU exit %d' % rc)
    finally:
        g.close()


def round_log(lines, n):
    """The PMW records of round @n (1-based)."""
    out, r = [], 0
    for line in lines:
        if line.startswith('PMW-BEGIN'):
            r += 1
        elif r == n:
            out.append(line)
    return pmoracle.pmw_log(out)


@pytest.fixture(scope='module', params=['sw', 'hw'])
def attached(request, pmguest, vmiscope):
    mode = request.param
    g = pmguest
    n = count(g.lines(), 'PMW-BEGIN') + 1
    d = os.path.join(g.d, mode)
    os.makedirs(d)
    filt = pmoracle.write_filter(d)
    args = ['--mem-file', g.ram, '--breakpoints', mode,
            '--procmon-filter-file', filt] + pmoracle.output_args(d)

    def during(p):
        # The VM is paused from the connect until the hooks are placed
        # and vmiscope resumes it: "go" cannot overtake them.
        assert p.poll() is None, 'attach ended before the workload started'
        g.send('go')
        t0 = time.monotonic()
        g.wait_console(lambda lines: count(lines, 'PMW-END') >= n and
                       count(lines, 'PMW-WAIT') > n, ROUND_TIMEOUT,
                       'the end of round %d' % n)
        print('%s: round %d took %.1f s attached' %
              (mode, n, time.monotonic() - t0))

    rc, _, err, stop_s = attach(vmiscope, g, args, ready='kernel_clone hooked',
                                during=during, timeout=ROUND_TIMEOUT,
                                name='attach-' + mode)
    lines = g.lines()
    assert 'PMW-END 0' in [x for x in lines if x.startswith('PMW-END')][n - 1]
    r = pmoracle.Run(g.release, d, round_log(lines, n), err)
    r.mode = mode
    assert rc == 0, err
    assert 'detached, breakpoints removed' in err, err
    assert stop_s < 5, 'detach took %.1f s' % stop_s
    assert any(x['ev'] == 'done' for x in r.log), 'workload did not finish'
    print('%s: %s' % (mode, hit_summary(err)))
    yield r


def test_clone_events(attached):
    pmoracle.check_clone(attached, at_entry=attached.mode == 'hw')


def test_exec_events(attached):
    pmoracle.check_exec(attached, at_entry=attached.mode == 'hw')


def test_exit_events(attached):
    pmoracle.check_exit(attached)


def test_signal_events(attached):
    pmoracle.check_signal(attached)


def test_formats_agree(attached):
    pmoracle.check_formats(attached)


def test_stream_stats_schema(attached):
    hw = attached.mode == 'hw'
    pmoracle.check_stream(attached, at_entry=hw)
    with open(os.path.join(attached.d, 'out.json'), 'rb') as fh:
        check_json_lines(fh.read().decode('utf-8'))
    assert ('no hardware slot' in attached.stderr) == hw
    assert ('printed at entry' in attached.stderr) == hw

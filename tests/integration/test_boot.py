# SPDX-License-Identifier: GPL-2.0-or-later
# test_boot.py - every test kernel boots under `vmiscope run` and powers off.
#
# For each Debian kernel of the guest kit (5.10, 6.1, 6.12) this builds an
# initramfs whose workload prints marker lines -- its own `uname -r`, a value
# computed in the guest, the output of a static helper and of an extra file
# -- boots it with `vmiscope run --kernel K --initrd I --serial-log LOG -t 120`
# and checks that vmiscope exits 0 (guest powered off) and that the guest's
# own lines are in LOG. The expected release comes from the kernel's Debian
# file name (vmlinuz-<release>), not from vmiscope.
import os
import subprocess
import time

import pytest

from conftest import SUITES, console_lines

HERE = os.path.dirname(os.path.abspath(__file__))

WORKLOAD = r'''
echo "VSBOOT uname=$(uname -r)"
echo "VSBOOT sum=$((1000 + 337))"
/bin/vs-product 6 7
echo "VSBOOT extra=$(cat /etc/vs-extra)"
'''


@pytest.mark.parametrize('suite', SUITES)
def test_boot(suite, kernels, vmiscope, static_cc, initramfs, tmp_path):
    kernel = kernels[suite]
    script = tmp_path / 'workload.sh'
    script.write_text(WORKLOAD)
    extra = tmp_path / 'extra.txt'
    extra.write_text('from-the-image\n')
    helper = static_cc(os.path.join(HERE, 'helpers', 'vs-product.c'),
                       str(tmp_path / 'vs-product'))
    image = initramfs(str(script), str(tmp_path / 'initrd.cpio.gz'),
                      helpers=[helper], files=[(str(extra), '/etc/vs-extra')])
    log = tmp_path / 'serial.log'
    start = time.monotonic()
    res = subprocess.run([vmiscope, 'run', '--kernel', kernel.path,
                          '--initrd', image, '--serial-log', str(log),
                          '-t', '120'],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True, timeout=300)
    took = time.monotonic() - start
    assert res.returncode == 0, 'vmiscope run exited %d after %.1f s:\n%s' % (
        res.returncode, took, res.stderr[-3000:])
    print('%s: %s booted and powered off in %.1f s' % (suite, kernel.release, took))
    lines = console_lines(log)
    for want in ('vmiscope-guest: workload start',
                 'VSBOOT uname=' + kernel.release,
                 'VSBOOT sum=1337',
                 'VSBOOT helper product=42',
                 'VSBOOT extra=from-the-image',
                 'vmiscope-guest: workload exit 0'):
        assert want in lines, 'missing %r in the serial log:\n%s' % (
            want, '\n'.join(lines[-40:]))

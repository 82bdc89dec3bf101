# SPDX-License-Identifier: GPL-2.0-or-later
# conftest.py - shared fixtures for tests that boot real Linux guests.
#
# Integration tests boot Debian kernels (fetched by guest/kernels into
# ${VMISCOPE_CACHE:-~/.cache/vmiscope}) with busybox initramfs images made by
# guest/build-initramfs, under `vmiscope run`. Fixtures here find the built
# vmiscope (build/ by default, VMISCOPE_BUILD_DIR to choose another build
# directory), fetch the kernels once per session, build initramfs images and
# compile static helper programs. Run with `/usr/bin/python3 -m pytest`.
import os
import re
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GUEST = os.path.join(ROOT, 'guest')
SUITES = ('bookworm', 'bookworm-backports', 'bullseye')


class Kernel:
    """One fetched kernel: suite, Debian package version, vmlinuz path and
    the release (`uname -r`) taken from the file name Debian gave it."""

    def __init__(self, suite, version, path):
        self.suite = suite
        self.version = version
        self.path = path
        self.release = os.path.basename(path)[len('vmlinuz-'):]

    def __repr__(self):
        return 'Kernel(%s %s)' % (self.suite, self.release)


def build_dir():
    d = os.environ.get('VMISCOPE_BUILD_DIR', 'build')
    return d if os.path.isabs(d) else os.path.join(ROOT, d)


@pytest.fixture(scope='session')
def vmiscope():
    """Path of the vmiscope executable under test."""
    path = os.path.join(build_dir(), 'vmiscope')
    if not os.access(path, os.X_OK):
        pytest.fail('%s not built: run scripts/setup (or meson compile)' % path)
    return path


@pytest.fixture(scope='session')
def kernels():
    """{suite: Kernel} for every test kernel, via guest/kernels."""
    res = subprocess.run([os.path.join(GUEST, 'kernels')],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, timeout=1800)
    found = {}
    for line in res.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            found[parts[0]] = Kernel(*parts)
    missing = [s for s in SUITES if s not in found]
    if missing:
        pytest.fail('guest/kernels could not provide %s:\n%s'
                    % (', '.join(missing), res.stderr))
    return found


@pytest.fixture(scope='session')
def static_cc():
    """Compile a C source into a static x86_64 program: cc(src, out)."""
    gcc = shutil.which('gcc')
    if gcc is None:
        pytest.fail('gcc not installed (scripts/setup installs build-essential)')

    def cc(src, out):
        subprocess.run([gcc, '-static', '-O2', '-o', out, src], check=True)
        return out
    return cc


def build_initramfs(workload, out, helpers=(), files=()):
    """guest/build-initramfs wrapper; FILES are (src, dest) pairs."""
    cmd = [sys.executable, os.path.join(GUEST, 'build-initramfs'),
           '--workload', workload, '-o', out]
    for h in helpers:
        cmd += ['--helper', h]
    for src, dest in files:
        cmd += ['--file', '%s:%s' % (src, dest)]
    subprocess.run(cmd, check=True, stderr=subprocess.DEVNULL)
    return out


@pytest.fixture
def initramfs():
    return build_initramfs


def console_lines(path):
    """Lines of a serial log, without the \\r the tty adds."""
    with open(path, 'rb') as fh:
        text = fh.read().decode('utf-8', errors='replace')
    return [re.sub(r'\r+$', '', line) for line in text.split('\n')]

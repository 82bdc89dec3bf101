# SPDX-License-Identifier: GPL-2.0-or-later
# test_guestkit.py - the guest kit and setup without booting anything.
#
# Checks, against hand-written fixtures, how scripts/setup and the guest kit
# read apt sources (one-line and deb822 formats) to find the Debian main
# archive and write the backports stanza; that guest/build-initramfs puts the
# expected entries into its cpio archive (listed with the system's own
# `cpio`, not with the kit's writer); and how fetch-kernel picks the concrete
# kernel package out of the metapackage's Depends.
import importlib.machinery
import importlib.util
import os
import subprocess
import sys

import pytest

from conftest import GUEST, ROOT

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        'fixtures', 'apt')
SETUP = os.path.join(ROOT, 'scripts', 'setup')
APTSOURCES = os.path.join(GUEST, 'lib', 'aptsources.py')
KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg'


def dry_run(case):
    return subprocess.run([SETUP, '--print-backports-source',
                           os.path.join(FIXTURES, case)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)


@pytest.mark.parametrize('case, want', [
    ('oneline', 'Types: deb\nURIs: http://mirror.invalid/debian\n'
                'Suites: bookworm-backports\nComponents: main\n'
                'Signed-By: %s\n' % KEYRING),
    ('deb822', 'Types: deb\nURIs: http://mirror.invalid/debian\n'
               'Suites: trixie-backports\nComponents: main\n'
               'Signed-By: %s\n' % KEYRING),
    ('unsigned', 'Types: deb\nURIs: http://mirror.invalid/debian/\n'
                 'Suites: bullseye-backports\nComponents: main\n'),
    ('inline-key', 'Types: deb\nURIs: http://mirror.invalid/debian\n'
                   'Suites: bookworm-backports\nComponents: main\n'
                   'Signed-By:\n -----BEGIN PGP PUBLIC KEY BLOCK-----\n .\n'
                   ' bm90IGEgcmVhbCBrZXk=\n -----END PGP PUBLIC KEY BLOCK-----\n'),
])
def test_backports_stanza(case, want):
    res = dry_run(case)
    assert res.returncode == 0, res.stderr
    assert res.stdout == want


def test_no_main_archive_is_an_error():
    res = dry_run('no-main')
    assert res.returncode != 0
    assert 'no Debian main archive' in res.stderr


@pytest.mark.parametrize('case, enabled', [
    ('has-backports', True), ('oneline', False), ('deb822', False)])
def test_has_backports(case, enabled):
    res = subprocess.run([sys.executable, APTSOURCES, 'has-backports',
                          '--etc', os.path.join(FIXTURES, case)])
    assert (res.returncode == 0) == enabled


def test_main_archive_line():
    out = subprocess.run([sys.executable, APTSOURCES, 'main-archive', '--etc',
                          os.path.join(FIXTURES, 'deb822')],
                         stdout=subprocess.PIPE, text=True, check=True).stdout
    assert out == 'http://mirror.invalid/debian\ttrixie\t%s\n' % KEYRING


def _load_fetch_kernel():
    path = os.path.join(GUEST, 'fetch-kernel')
    loader = importlib.machinery.SourceFileLoader('fetch_kernel', path)
    spec = importlib.util.spec_from_loader('fetch_kernel', loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


@pytest.mark.parametrize('depends, want', [
    (' linux-image-6.1.0-50-amd64 (= 6.1.176-1)', 'linux-image-6.1.0-50-amd64'),
    (' linux-image-6.12.95+deb12-amd64 (= 6.12.95-1~bpo12+1)',
     'linux-image-6.12.95+deb12-amd64'),
    (' linux-image-amd64-signed-template, linux-image-5.10.0-32-amd64 (= 5.10.223-1)',
     'linux-image-5.10.0-32-amd64'),
])
def test_concrete_image(depends, want):
    assert _load_fetch_kernel().concrete_image(depends) == want


def test_concrete_image_missing():
    with pytest.raises(RuntimeError):
        _load_fetch_kernel().concrete_image(' linux-image-amd64-signed-template')


def test_initramfs_contents(tmp_path, initramfs):
    script = tmp_path / 'w.sh'
    script.write_text('echo hi\n')
    helper = tmp_path / 'vs-helper'
    helper.write_bytes(b'#!/bin/sh\necho helper\n')
    extra = tmp_path / 'data.txt'
    extra.write_text('payload\n')
    out = initramfs(str(script), str(tmp_path / 'i.cpio.gz'),
                    helpers=[str(helper)], files=[(str(extra), '/opt/x/data.txt')])
    listing = subprocess.run('zcat %s | cpio -itv --quiet' % out, shell=True,
                             stdout=subprocess.PIPE, text=True, check=True).stdout
    entries = {}
    for line in listing.splitlines():
        fields = line.split()
        entries[fields[-1] if '->' not in fields else fields[-3]] = line
    for name in ('init', 'workload', 'bin/busybox', 'bin/vs-helper',
                 'opt/x/data.txt', 'bin/sh', 'sbin/poweroff', 'proc', 'sys',
                 'tmp'):
        assert name in entries, name
    assert entries['dev/console'].startswith('c')
    assert entries['init'].startswith('-rwx')
    assert entries['bin/sh'].endswith('-> /bin/busybox')
    subprocess.run('cd %s && zcat %s | cpio -id --quiet init opt/x/data.txt'
                   % (tmp_path, out), shell=True, check=True)
    init = (tmp_path / 'init').read_text()
    assert 'poweroff -f' in init and '/bin/sh /workload' in init
    assert (tmp_path / 'opt/x/data.txt').read_text() == 'payload\n'

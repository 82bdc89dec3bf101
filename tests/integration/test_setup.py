# SPDX-License-Identifier: GPL-2.0-or-later
# test_setup.py - scripts/setup's QEMU decision, with apt stubbed out.
#
# scripts/setup must decide from `apt-cache policy qemu-system-x86` alone
# whether the default suites have QEMU >= 9.2, enable <codename>-backports
# from the apt sources only when they do not (and only when apt-cache policy
# does not already show a backports release), install from there, and fail
# clearly when the QEMU it ends up with is too old. Here apt-get, apt-cache,
# sudo and qemu-system-x86_64 are stubs on PATH (apt-get records its
# arguments), the apt configuration directory is a copy of a fixture, and
# nothing is built (--no-build). The expectations are written by hand.
import os
import shutil
import stat
import subprocess

import pytest

from conftest import ROOT

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        'fixtures', 'apt')

POLICY = '''qemu-system-x86:
  Installed: {installed}
  Candidate: {candidate}
  Version table:
     {candidate} 500
        500 http://mirror.invalid/debian {codename}/main amd64 Packages
'''
BACKPORTS_RELEASE = '''Package files:
 100 http://mirror.invalid/debian bookworm-backports/main amd64 Packages
     release o=Debian Backports,a=oldstable-backports,n=bookworm-backports,l=Debian Backports,c=main,b=amd64
     origin mirror.invalid
'''
NO_BACKPORTS = '''Package files:
 500 http://mirror.invalid/debian bookworm/main amd64 Packages
     release v=12.11,o=Debian,a=oldstable,n=bookworm,l=Debian,c=main,b=amd64
'''


def stub(path, body):
    path.write_text('#!/bin/sh\n' + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def run_setup(tmp_path, installed, candidate, qemu_version,
              all_policy=NO_BACKPORTS, fixture='deb822', codename='trixie'):
    bindir = tmp_path / 'bin'
    bindir.mkdir()
    (tmp_path / 'policy-pkg').write_text(POLICY.format(
        installed=installed, candidate=candidate, codename=codename))
    (tmp_path / 'policy-all').write_text(all_policy)
    calls = tmp_path / 'apt-get.calls'
    stub(bindir / 'apt-get', 'echo "$*" >> %s\n' % calls)
    stub(bindir / 'apt-cache', 'if [ "$2" = qemu-system-x86 ]; then cat %s; '
         'else cat %s; fi\n' % (tmp_path / 'policy-pkg', tmp_path / 'policy-all'))
    stub(bindir / 'sudo', '[ "$1" = -- ] && shift; exec "$@"\n')
    stub(bindir / 'qemu-system-x86_64',
         'echo "QEMU emulator version %s (stub)"\n' % qemu_version)
    etc = tmp_path / 'etc'
    shutil.copytree(os.path.join(FIXTURES, fixture), etc)
    env = dict(os.environ, PATH='%s:%s' % (bindir, os.environ['PATH']),
               VMISCOPE_APT_ETC=str(etc))
    res = subprocess.run([os.path.join(ROOT, 'scripts', 'setup'), '--no-build'],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    apt_calls = calls.read_text().splitlines() if calls.exists() else []
    written = etc / 'sources.list.d' / 'vmiscope-backports.sources'
    return res, apt_calls, written


def installs(apt_calls):
    return [c for c in apt_calls if 'qemu-system-x86' in c.split()]


def test_old_candidate_enables_backports_from_sources(tmp_path):
    res, calls, written = run_setup(tmp_path, '(none)', '1:7.2+dfsg-7+deb12u18',
                                    '10.0.2')
    assert res.returncode == 0, res.stderr
    assert written.read_text() == (
        'Types: deb\nURIs: http://mirror.invalid/debian\n'
        'Suites: trixie-backports\nComponents: main\n'
        'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg\n')
    [inst] = installs(calls)
    assert '-t trixie-backports' in inst and '--no-install-recommends' in inst


def test_backports_already_in_policy_writes_nothing(tmp_path):
    res, calls, written = run_setup(tmp_path, '(none)', '1:7.2+dfsg-7+deb12u18',
                                    '10.0.2', all_policy=BACKPORTS_RELEASE)
    assert res.returncode == 0, res.stderr
    assert not written.exists()
    [inst] = installs(calls)
    assert '-t bookworm-backports' in inst


def test_backports_listed_in_sources_is_not_rewritten(tmp_path):
    res, calls, written = run_setup(tmp_path, '(none)', '1:7.2+dfsg-7+deb12u18',
                                    '10.0.2', fixture='has-backports')
    assert res.returncode == 0, res.stderr
    assert not written.exists()
    assert '-t bookworm-backports' in installs(calls)[0]


def test_new_enough_candidate_installs_from_default_suites(tmp_path):
    # 1:10.0.2 (Debian 13): the epoch must not matter, 9.2 <= 10.0.2.
    res, calls, written = run_setup(tmp_path, '(none)', '1:10.0.2+ds-2', '10.0.2')
    assert res.returncode == 0, res.stderr
    assert not written.exists()
    [inst] = installs(calls)
    assert '-t' not in inst.split()


def test_installed_new_enough_installs_nothing(tmp_path):
    res, calls, written = run_setup(tmp_path, '1:10.0.2+ds-2~bpo12+1',
                                    '1:10.0.2+ds-2~bpo12+1', '10.0.2')
    assert res.returncode == 0, res.stderr
    assert installs(calls) == [] and not written.exists()


@pytest.mark.parametrize('candidate', ['1:9.1.0+ds-1', '1:7.2+dfsg-7'])
def test_epoch_does_not_make_old_qemu_new(tmp_path, candidate):
    # "1:9.1" > "9.2" if the epoch were kept; setup must still use backports.
    res, calls, _ = run_setup(tmp_path, '(none)', candidate, '10.0.2')
    assert res.returncode == 0, res.stderr
    assert '-t trixie-backports' in installs(calls)[0]


def test_too_old_qemu_at_the_end_fails_clearly(tmp_path):
    res, _, _ = run_setup(tmp_path, '(none)', '1:10.0.2+ds-2', '7.2.0')
    assert res.returncode != 0
    assert 'vmiscope needs >= 9.2' in res.stderr


def run_check(tmp_path, not_installed=(), qemu_version='10.0.2'):
    """scripts/setup --check with dpkg-query answering "installed" for
    every package but @not_installed, and apt-get recording any call."""
    bindir = tmp_path / 'bin'
    bindir.mkdir()
    calls = tmp_path / 'apt-get.calls'
    stub(bindir / 'apt-get', 'echo "$*" >> %s\n' % calls)
    stub(bindir / 'dpkg-query', 'case " %s " in *" $3 "*) '
         'printf "deinstall ok config-files";; '
         '*) printf "install ok installed";; esac\n'
         % ' '.join(not_installed))
    stub(bindir / 'qemu-system-x86_64',
         'echo "QEMU emulator version %s (stub)"\n' % qemu_version)
    env = dict(os.environ, PATH='%s:%s' % (bindir, os.environ['PATH']))
    res = subprocess.run([os.path.join(ROOT, 'scripts', 'setup'), '--check'],
                         env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True)
    return res, calls.exists()


def test_check_passes_when_everything_is_there(tmp_path):
    res, apt_ran = run_check(tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert 'qemu-system-x86_64 10.0.2' in res.stdout
    assert not apt_ran


def test_check_names_missing_packages(tmp_path):
    res, apt_ran = run_check(tmp_path, not_installed=('meson', 'qemu-system-x86'))
    assert res.returncode == 1
    assert 'missing: meson qemu-system-x86' in res.stdout
    assert not apt_ran


def test_check_names_too_old_qemu(tmp_path):
    res, _ = run_check(tmp_path, qemu_version='7.2.0')
    assert res.returncode == 1
    assert 'qemu-system-x86>=9.2 (have 7.2.0)' in res.stdout

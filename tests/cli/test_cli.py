# SPDX-License-Identifier: GPL-2.0-or-later
# test_cli.py - the vmiscope command line against contract §1-§3: --help and
# --version, exit 2 for bad usage (message prefixed "vmiscope:"), exit 5 for
# unfinished commands, run's refusals, and `run` end to end with fake-qemu
# (a shell script standing in for QEMU: streams, prefixes, exit statuses,
# -t, signals, QEMU never outliving vmiscope). The -Dplugin-procmon=false
# sentence is checked on a second build configured here.
#
# Run by meson (`meson test --suite cli`) with VMISCOPE=<build>/vmiscope and
# VS_SOURCE_ROOT; or by hand: VMISCOPE=build/vmiscope /usr/bin/python3 -m
# pytest tests/cli.
import os
import re
import signal
import shutil
import subprocess
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.environ.get('VS_SOURCE_ROOT', os.path.dirname(os.path.dirname(HERE)))
VMISCOPE = os.environ.get('VMISCOPE', os.path.join(ROOT, 'build', 'vmiscope'))
FAKE_QEMU = os.path.join(HERE, 'fake-qemu')
COMMANDS = ['run', 'attach', 'pslist', 'profile', 'report', 'demo']
NOTCOMPILED = ("vmiscope: plugin 'procmon' is not compiled in "
               "(-Dplugin-procmon=false)\n")


def vs(*args, env=None, timeout=60, exe=None, raw=False):
    if raw:
        return subprocess.run([exe or VMISCOPE] + list(args), env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=timeout)
    return subprocess.run([exe or VMISCOPE] + list(args), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          timeout=timeout, text=True, errors='replace')


def has_procmon():
    return vs('run', '-a', 'procmon', '--help').returncode == 0


# --- help, version, usage errors ---------------------------------------------

def test_version():
    r = vs('--version')
    assert r.returncode == 0
    assert re.fullmatch(r'vmiscope \d+\.\d+\.\d+\n', r.stdout)


def test_help_lists_every_command():
    r = vs('--help')
    assert r.returncode == 0 and r.stderr == ''
    for c in COMMANDS:
        assert re.search(r'^  %s ' % c, r.stdout, re.M), c


@pytest.mark.parametrize('cmd', COMMANDS)
def test_command_help(cmd):
    r = vs(cmd, '--help')
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith('Usage: vmiscope %s' % cmd)
    assert r.stderr == ''
    assert vs(cmd, '-h').stdout == r.stdout


@pytest.mark.parametrize('cmd', ['run', 'attach', 'pslist', 'demo'])
def test_monitoring_commands_document_the_options(cmd):
    out = vs(cmd, '--help').stdout
    for opt in ['--output-format', '--output ', '--plugin', '--procmon-filter-file',
                '--procmon-envs-list', '--json-kernel', '--extended',
                '--drakvuf-compat', '--verbose', '--quiet']:
        assert opt in out, opt


@pytest.mark.parametrize('args', [
    [],
    ['--bogus'],
    ['bogus'],
    ['run', '--bogus'],
    ['run', '--kernel'],                    # missing value
    ['run', '-o', 'xml', '--kernel', '/k', '--initrd', '/i'],
    ['run', '-a', 'nosuch', '--kernel', '/k', '--initrd', '/i'],
    ['run', '--smp', '0', '--kernel', '/k', '--initrd', '/i'],
    ['run', '--memory', 'lots', '--kernel', '/k', '--initrd', '/i'],
    ['run', '-t', '-5', '--kernel', '/k', '--initrd', '/i'],
    ['run', '--stats-interval', 'x', '--kernel', '/k', '--initrd', '/i'],
    ['run', '--initrd', '/i'],              # no --kernel
    ['run', '--kernel', '/nonexistent', '--initrd', '/nonexistent'],
    ['run', 'stray', '--kernel', '/k', '--initrd', '/i'],
    ['run', '--kernel', '/k', '--', 'qemu-system-x86_64'],   # mixed modes
    ['run', '--'],                          # empty QEMU command
    ['attach'],                             # --gdb missing
    ['attach', '--gdb', 'serial:/dev/x'],
    ['attach', '--gdb', 'tcp:host:99999'],
    ['pslist'],                             # --dump missing
    ['profile'],                            # -r missing
    ['report', 'e.jsonl'],                  # -o missing
    ['report', '-o', 'x.html'],             # EVENTS missing
    ['demo', '--bogus'],
    ['attach', '--gdb', 'unix:/s', '-v', '--quiet'],
    ['pslist', '--dump', 'x', '--output', '/nonexistent-dir/e.json'],
])
def test_usage_errors_exit_2(args):
    r = vs(*args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert r.stdout == ''
    if args:
        assert r.stderr.startswith('vmiscope: '), r.stderr
    else:
        assert r.stderr.startswith('Usage: vmiscope'), r.stderr


# (pslist, profile and attach are implemented now; their own tests cover
# them: attach in tests/integration/test_attach.py.)
@pytest.mark.parametrize('args', [
    ['attach', '--gdb', 'unix:/nonexistent/gdb.sock'],
    ['attach', '--gdb', 'tcp:127.0.0.1:1', '-t', '5', '-o', 'json'],
])
def test_attach_without_stub_exit_1(args):
    r = vs(*args)
    assert r.returncode == 1, r.stderr
    assert r.stderr.startswith('vmiscope: attach: cannot connect to ')
    assert r.stdout == ''


def test_command_prefix():
    assert vs('rep', '--help').stdout.startswith('Usage: vmiscope report')
    assert vs('att', '--help').stdout.startswith('Usage: vmiscope attach')
    assert vs('r', '--help').returncode == 2     # run or report: ambiguous


# --- run: refusals and validation --------------------------------------------

@pytest.mark.parametrize('qemu_args, word', [
    (['-enable-kvm'], 'KVM'),
    (['-accel', 'kvm'], 'KVM'),
    (['-machine', 'q35,accel=kvm'], 'KVM'),
    (['-daemonize'], '-daemonize'),
    (['-plugin', '/tmp/other.so'], '-plugin'),
])
def test_run_refuses(qemu_args, word, tmp_path):
    pidfile = tmp_path / 'pid'
    env = dict(os.environ, FAKE_QEMU_PID=str(pidfile), FAKE_QEMU_MODE='poweroff')
    r = vs('run', '--', FAKE_QEMU, '-m', '256', *qemu_args, env=env)
    assert r.returncode == 2
    assert r.stderr.startswith('vmiscope: run: ')
    assert word in r.stderr
    if word == 'KVM':
        assert 'vmiscope attach' in r.stderr
    assert not pidfile.exists()            # nothing was started


def test_validation_before_anything_starts(tmp_path):
    """A bad option anywhere on the line: QEMU never runs, no file made."""
    pidfile = tmp_path / 'pid'
    serial = tmp_path / 'serial.log'
    out = tmp_path / 'events.json'
    k, i = guest_files(tmp_path)
    env = fake_env(tmp_path, 'poweroff')
    r = vs('run', '--qemu', FAKE_QEMU, '--kernel', k, '--initrd', i,
           '--serial-log', str(serial), '--output', 'json:' + str(out),
           '--stats-interval', 'soon', env=env)
    assert r.returncode == 2
    assert not pidfile.exists() and not serial.exists() and not out.exists()


def test_too_old_qemu(tmp_path):
    k, i = guest_files(tmp_path)
    env = fake_env(tmp_path, 'poweroff', FAKE_QEMU_VERSION='7.2.19')
    r = vs('run', '--qemu', FAKE_QEMU, '--kernel', k, '--initrd', i, env=env)
    assert r.returncode == 2
    assert '7.2.19' in r.stderr and '9.2' in r.stderr
    assert 'qemu-system-x86' in r.stderr and 'bookworm-backports' in r.stderr
    assert not (tmp_path / 'pid').exists()


def test_missing_qemu(tmp_path):
    k, i = guest_files(tmp_path)
    env = dict(os.environ, PATH=str(tmp_path))
    r = vs('run', '--kernel', k, '--initrd', i, env=env)
    assert r.returncode == 2
    assert 'qemu-system-x86' in r.stderr


def test_missing_plugin(tmp_path):
    k, i = guest_files(tmp_path)
    r = vs('run', '--qemu', FAKE_QEMU, '--qemu-plugin', str(tmp_path / 'no.so'),
           '--kernel', k, '--initrd', i, env=fake_env(tmp_path, 'poweroff'))
    assert r.returncode == 2
    assert 'no.so' in r.stderr


# --- run with fake-qemu ------------------------------------------------------

def guest_files(tmp_path):
    k, i = tmp_path / 'vmlinuz', tmp_path / 'initrd.cpio.gz'
    k.write_bytes(b'kernel')
    i.write_bytes(b'initrd')
    return str(k), str(i)


def fake_env(tmp_path, mode, **extra):
    return dict(os.environ, FAKE_QEMU_MODE=mode,
                FAKE_QEMU_ARGS=str(tmp_path / 'args'),
                FAKE_QEMU_PID=str(tmp_path / 'pid'), TMPDIR=str(tmp_path),
                **extra)


def fake_run(tmp_path, mode, *args, **kw):
    k, i = guest_files(tmp_path)
    return vs('run', '--qemu', FAKE_QEMU, '--kernel', k, '--initrd', i, *args,
              env=fake_env(tmp_path, mode), **kw)


def test_run_command_line(tmp_path):
    r = fake_run(tmp_path, 'poweroff', '-o', 'json', '--append', 'loglevel=7 x=1')
    assert r.returncode == 0, r.stderr
    args = (tmp_path / 'args').read_text().splitlines()
    k, i = str(tmp_path / 'vmlinuz'), str(tmp_path / 'initrd.cpio.gz')
    plugin = os.path.join(os.path.dirname(os.path.realpath(VMISCOPE)),
                          'libvmiscope-qemu.so')
    assert args[:args.index('-plugin')] == [
        '-accel', 'tcg', '-m', '512', '-smp', '1', '-display', 'none',
        '-monitor', 'none', '-no-reboot', '-kernel', k, '-initrd', i,
        '-append', 'console=ttyS0 panic=-1 quiet loglevel=7 x=1']
    p = args.index('-plugin')
    so, *pargs = args[p + 1].split(',')
    assert so == plugin
    assert 'output_format=json' in pargs and 'events_fd=3' in pargs
    status = [a for a in pargs if a.startswith('status_file=')]
    assert len(status) == 1
    assert args[p + 2:] == ['-chardev', 'file,id=vsser0,path=/dev/fd/4,append=on',
                            '-serial', 'chardev:vsser0']
    # run removes the status file once QEMU is gone.
    assert not os.path.exists(status[0].split('=', 1)[1])


def test_run_smp_memory(tmp_path):
    r = fake_run(tmp_path, 'poweroff', '--smp', '2', '--memory', '1024')
    assert r.returncode == 0
    args = (tmp_path / 'args').read_text().splitlines()
    assert args[args.index('-m') + 1] == '1024'
    assert args[args.index('-smp') + 1] == '2'


def test_run_streams(tmp_path):
    r = fake_run(tmp_path, 'poweroff', raw=True)
    assert r.returncode == 0, r.stderr
    # stdout: the events QEMU's plugin wrote to fd 3, nothing else.
    assert r.stdout == b'{"Plugin":"procmon","Method":"fake"}\n'
    lines = r.stderr.split(b'\n')
    assert b'qemu: fake qemu stdout line' in lines
    assert b'qemu: fake qemu stderr line' in lines
    assert b'qemu: partial line without newline' in lines
    # the plugin's own diagnostics on QEMU's stderr are vmiscope's
    assert b'vmiscope: fake plugin message' in lines
    assert b'qemu: vmiscope: forged on stdout' in lines
    # the serial console, byte for byte, on stderr
    assert b'Linux version 6.1 (fake)\r\n[    2.1] reboot: Power down\r\n' \
        in r.stderr


def test_run_serial_log(tmp_path):
    log = tmp_path / 'serial.log'
    r = fake_run(tmp_path, 'poweroff', '--serial-log', str(log))
    assert r.returncode == 0, r.stderr
    assert log.read_bytes() == \
        b'Linux version 6.1 (fake)\r\n[    2.1] reboot: Power down\r\n'
    assert 'reboot' not in r.stderr


@pytest.mark.parametrize('mode, code, word', [
    ('poweroff', 0, None),
    ('panic', 3, 'panic'),
    ('reset', 3, 'reset'),
    ('silent', 3, 'without the guest powering off'),
    ('error', 1, 'status 1'),
    ('incomplete', 4, 'incomplete'),
    ('failed', 1, 'monitoring failed'),
])
def test_run_exit_status(tmp_path, mode, code, word):
    r = fake_run(tmp_path, mode)
    assert r.returncode == code, r.stderr
    if word:
        assert re.search(r'^vmiscope: run: .*%s' % word, r.stderr, re.M), r.stderr


def test_run_error_output_prefixed(tmp_path):
    r = fake_run(tmp_path, 'error')
    assert 'qemu: qemu-system-x86_64: -kernel k: could not load kernel\n' in r.stderr


def test_run_own_command_line(tmp_path):
    env = fake_env(tmp_path, 'console-stdout')
    r = vs('run', '-o', 'kv', '--', FAKE_QEMU, '-m', '256', '-serial', 'stdio',
           env=env)
    assert r.returncode == 0, r.stderr
    args = (tmp_path / 'args').read_text().splitlines()
    assert args[:4] == ['-m', '256', '-serial', 'stdio']
    assert args[4] == '-plugin' and len(args) == 6
    assert 'output_format=kv' in args[5].split(',')
    assert 'qemu: [    2.1] reboot: Power down' in r.stderr
    # a user's command line whose console (on stdout) shows a panic: exit 3
    env = fake_env(tmp_path, 'console-stdout-panic')
    r = vs('run', '--', FAKE_QEMU, '-serial', 'stdio', env=env)
    assert r.returncode == 3, r.stderr
    # QEMU failing: exit 1
    r = vs('run', '--', FAKE_QEMU, env=fake_env(tmp_path, 'error'))
    assert r.returncode == 1


def test_run_timeout(tmp_path):
    t0 = time.monotonic()
    r = fake_run(tmp_path, 'hang', '-t', '1')
    took = time.monotonic() - t0
    assert r.returncode == 0, r.stderr
    assert 1.0 <= took < 4.0
    assert 'stopping QEMU' in r.stderr
    assert not pid_alive(int((tmp_path / 'pid').read_text()))


def test_run_sigkill_after_grace(tmp_path):
    t0 = time.monotonic()
    r = fake_run(tmp_path, 'stubborn', '-t', '1', timeout=30)
    took = time.monotonic() - t0
    assert r.returncode == 0, r.stderr
    assert 5.5 <= took < 10, took
    assert 'killing it' in r.stderr


def start_fake(tmp_path, mode):
    k, i = guest_files(tmp_path)
    p = subprocess.Popen([VMISCOPE, 'run', '--qemu', FAKE_QEMU, '--kernel', k,
                          '--initrd', i], env=fake_env(tmp_path, mode),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    pidfile = tmp_path / 'pid'
    for _ in range(100):
        if pidfile.exists() and pidfile.read_text().strip():
            return p, int(pidfile.read_text())
        time.sleep(0.05)
    p.kill()
    pytest.fail('fake qemu did not start')


def pid_alive(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().split(') ')[1][0] != 'Z'
    except FileNotFoundError:
        return False


@pytest.mark.parametrize('sig', [signal.SIGINT, signal.SIGTERM])
def test_run_signal_stops_qemu(tmp_path, sig):
    p, qpid = start_fake(tmp_path, 'hang')
    time.sleep(0.2)
    p.send_signal(sig)
    out, err = p.communicate(timeout=10)
    assert p.returncode == 0, err
    assert not pid_alive(qpid)


def test_qemu_never_outlives_vmiscope(tmp_path):
    p, qpid = start_fake(tmp_path, 'hang')
    assert os.getpgid(qpid) == qpid          # its own process group
    p.kill()                                 # SIGKILL: no cleanup possible
    p.wait()
    for _ in range(50):
        if not pid_alive(qpid):
            break
        time.sleep(0.05)
    assert not pid_alive(qpid)


# --- a build without procmon -------------------------------------------------

@pytest.fixture(scope='module')
def noprocmon(tmp_path_factory):
    """vmiscope built with -Dplugin-procmon=false: this build when it is
    one (VS_PLUGIN_PROCMON=false from meson), else a fresh build dir."""
    if os.environ.get('VS_PLUGIN_PROCMON') == 'false':
        yield VMISCOPE
        return
    d = tmp_path_factory.mktemp('noprocmon')
    subprocess.run(['meson', 'setup', str(d), ROOT, '-Dplugin-procmon=false'],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   timeout=300)
    subprocess.run(['meson', 'compile', '-C', str(d), 'vmiscope'], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=1200)
    yield os.path.join(str(d), 'vmiscope')
    shutil.rmtree(str(d), ignore_errors=True)


@pytest.mark.parametrize('args', [
    ['run', '-a', 'procmon', '--kernel', '/nonexistent', '--initrd', '/nonexistent'],
    ['run', '--bogus', '-o', 'xml', '-a', 'procmon'],
    ['run', '--kernel', '/nonexistent', '--plugin=procmon', '--smp', 'x'],
    ['run', '-aprocmon', '--', 'qemu', '-enable-kvm'],
    ['nosuchcommand', '-a', 'procmon'],
    ['pslist', '-a', 'procmon'],
    ['run', '--procmon-filter-file', '/nonexistent', '--kernel', '/k'],
])
def test_procmon_not_compiled_in(noprocmon, args):
    r = vs(*args, exe=noprocmon)
    assert r.returncode == 2
    assert r.stderr == NOTCOMPILED
    assert r.stdout == ''


def test_procmon_build_accepts_procmon():
    """A build with procmon (the default) accepts -a procmon."""
    if os.environ.get('VS_PLUGIN_PROCMON') == 'false':
        pytest.skip('this build has -Dplugin-procmon=false')
    assert has_procmon()

# SPDX-License-Identifier: GPL-2.0-or-later
# test_schema.py - docs/events.schema.json against every json line we have:
# the hand-written goldens (tests/golden/output-*.txt), lines forged to be
# wrong (they must fail), and the lines of real runs: `vmiscope pslist
# --dump` on a guest memory dump and `vmiscope demo`. The same runs' `-o
# ocsf` lines are checked against the OCSF 1.3.0 Process Activity subset.
# The real runs boot a guest (about a minute each under TCG) and are
# skipped when no guest kernel is cached (guest/kernels fills the cache).
# VMISCOPE_PSLIST_DUMPS=DIR reuses DIR/bookworm/dump.elf as test_pslist.py.
import glob
import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, build_initramfs
from helpers.schema import (EVENT_SCHEMA, check_json_lines, check_ocsf_lines,
                            event_errors, schema_version)

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(ROOT, 'tests', 'golden')


def golden_lines(fmt):
    """Every exact (==) golden line of format @fmt, with its case header."""
    out = []
    for path in sorted(glob.glob(os.path.join(GOLDEN, 'output-*.txt'))):
        with open(path, encoding='utf-8') as fh:
            lines = fh.read().split('\n')
        for i, ln in enumerate(lines[:-1]):
            w = ln.split(' ')
            if ln.startswith('== ') and len(w) == 4 and w[2] == fmt:
                out.append(('%s:%d %s' % (os.path.basename(path), i + 1,
                                          ' '.join(w[1:])), lines[i + 1]))
    return out


def test_schema_is_versioned():
    with open(EVENT_SCHEMA, encoding='utf-8') as fh:
        schema = json.load(fh)
    v = schema_version()
    assert schema['$id'].endswith(':%d' % v), schema['$id']
    assert schema['x-vmiscope-schema-version'] == v
    assert schema['$schema'].endswith('/draft/2020-12/schema')


GOLDEN_JSON = golden_lines('json')


def test_goldens_found():
    # 9 Linux + 10 Windows fixtures, several modes each
    assert len(GOLDEN_JSON) >= 30


@pytest.mark.parametrize('where,line', GOLDEN_JSON,
                         ids=[w for w, _ in GOLDEN_JSON])
def test_golden_json_line_valid(where, line):
    assert event_errors(line) == []


EXEC = ('{"Plugin":"procmon","TimeStamp":"1700000000.012345","PID":1203,'
        '"PPID":1078,"TID":1203,"UserId":0,"ProcessName":"/usr/bin/bash",'
        '"Method":"begin_new_exec","EventUID":"0x2a","ThreadName":"bash",'
        '"CommandLine":"ls -la","ImagePathName":"/usr/bin/ls","ouid":0,'
        '"osuid":0,"oeuid":0,"suid":0,"euid":0,"Arguments":["ls","-la"],'
        '"ProcessKey":"7f3a-1203-5000000"}')
CLONE = ('{"Plugin":"procmon","TimeStamp":"1700000000.012345","PID":1,'
         '"PPID":0,"TID":1,"UserId":0,"ProcessName":"/sbin/init",'
         '"Method":"kernel_clone","EventUID":"0x1","Flags":"","Signal":17,'
         '"SignalStr":"SIGCHLD","NewPid":-11,"Errno":"EAGAIN"}')
RUNNING = ('{"Plugin":"procmon","TimeStamp":"1700000000.000100","PID":1,'
           '"PPID":0,"RunningProcess":"/sbin/init","Bitness":64}')


def edit(line, fn):
    obj = json.loads(line)
    fn(obj)
    return json.dumps(obj, separators=(',', ':'))


def test_base_lines_valid():
    for ln in (EXEC, CLONE, RUNNING):
        assert event_errors(ln) == []


def _set(k, v):
    return lambda o: o.__setitem__(k, v)


def _del(k):
    return lambda o: o.pop(k)


BAD = [
    ('forged extra field', EXEC, _set('Injected', 'x')),
    ('forged field from another event', EXEC, _set('Signal', 9)),
    ('PID as a string', EXEC, _set('PID', '1203')),
    ('PID as a float', EXEC, _set('PID', 1203.5)),
    ('hex EventUID uppercase', EXEC, _set('EventUID', '0x2A')),
    ('hex EventUID as a number', EXEC, _set('EventUID', 42)),
    ('TimeStamp without 6 digits', EXEC, _set('TimeStamp', '1700000000.1')),
    ('uid out of range', EXEC, _set('euid', 4294967296)),
    ('Arguments not a list', EXEC, _set('Arguments', 'ls -la')),
    ('Arguments with a number', EXEC, _set('Arguments', ['ls', 1])),
    ('seed field missing', EXEC, _del('ThreadName')),
    ('header field missing', EXEC, _del('EventUID')),
    ('unknown Method', EXEC, _set('Method', 'do_evil')),
    ('Method null', EXEC, _set('Method', None)),
    ('bad ProcessKey', EXEC, _set('ProcessKey', '1203')),
    ('other plugin', EXEC, _set('Plugin', 'filetracer')),
    ('Errno on a successful clone', CLONE, _set('NewPid', 12)),
    ('Bitness 16', RUNNING, _set('Bitness', 16)),
    ('Method on a RunningProcess line', RUNNING, _set('Method', 'do_exit')),
    ('TID on a RunningProcess line', RUNNING, _set('TID', 1)),
    ('Lossy not a list', RUNNING, _set('Lossy', 'RunningProcess')),
]


@pytest.mark.parametrize('what,base,fn', BAD, ids=[b[0] for b in BAD])
def test_bad_line_fails(what, base, fn):
    assert event_errors(edit(base, fn)) != []


def test_unreadable_field_may_be_missing():
    ok = edit(EXEC, lambda o: (o.pop('CommandLine'),
                               o.__setitem__('Unreadable', ['CommandLine'])))
    assert event_errors(ok) == []
    other = edit(EXEC, lambda o: (o.pop('CommandLine'),
                                  o.__setitem__('Unreadable', ['CWD'])))
    assert event_errors(other) != []


def test_not_strict_json_fails():
    dup = EXEC[:-1] + ',"PID":1}'
    assert event_errors(dup) != []                       # duplicate key
    assert event_errors(EXEC.replace('"bash"', '"ba\nsh"')) != []
    assert event_errors(EXEC.encode().replace(b'bash"', b'ba\xffsh"')) != []
    assert event_errors('[' + EXEC + ']') != []
    assert event_errors(EXEC.replace('"PID":1203', '"PID":NaN')) != []


def test_require_keys():
    assert event_errors(EXEC, require_keys=True) == []
    assert event_errors(CLONE, require_keys=True) != []
    assert event_errors(RUNNING, require_keys=True) != []


# ---- real runs --------------------------------------------------------

def cached_kernel():
    """Path of the cached bookworm kernel, or None (no boot then)."""
    cache = os.environ.get('VMISCOPE_CACHE',
                           os.path.expanduser('~/.cache/vmiscope'))
    found = sorted(glob.glob(os.path.join(cache, 'kernels',
                                          'linux-image-6.1.*', 'vmlinuz-*')))
    return found[-1] if found else None


def need_kernel():
    k = cached_kernel()
    if k is None:
        pytest.skip('no guest kernel cached (run guest/kernels)')
    return k


@pytest.fixture(scope='module')
def dump(tmp_path_factory):
    reuse = os.environ.get('VMISCOPE_PSLIST_DUMPS')
    if reuse and os.path.exists(os.path.join(reuse, 'bookworm', 'dump.elf')):
        yield os.path.join(reuse, 'bookworm', 'dump.elf')
        return
    k = need_kernel()
    d = str(tmp_path_factory.mktemp('schema-dump'))
    initrd = build_initramfs(os.path.join(HERE, 'tools', 'pslist-workload.sh'),
                             os.path.join(d, 'initrd.cpio.gz'))
    subprocess.run([sys.executable, os.path.join(HERE, 'tools', 'mkdump.py'),
                    k, initrd, d], check=True, timeout=900,
                   stdout=subprocess.DEVNULL)
    yield os.path.join(d, 'dump.elf')
    os.unlink(os.path.join(d, 'dump.elf'))


def run_ok(cmd, ok=(0,)):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=900)
    assert r.returncode in ok, r.stderr.decode('utf-8', 'replace')[-2000:]
    return r.stdout


# pslist --dump may exit 4 (monitoring incomplete: no hooks in a dump); its
# RunningProcess lines are printed all the same.
PSLIST_OK = (0, 4)


@pytest.mark.parametrize('extra', [[], ['--drakvuf-compat'],
                                   ['--drakvuf-compat', '--extended']])
def test_pslist_json_lines_valid(vmiscope, dump, extra):
    out = run_ok([vmiscope, 'pslist', '--dump', dump, '-o', 'json'] + extra,
                 PSLIST_OK)
    n = check_json_lines(out)
    print('pslist %s: %d lines valid' % (' '.join(extra) or 'normal', n))
    assert n >= 5


def test_pslist_ocsf_lines_valid(vmiscope, dump):
    out = run_ok([vmiscope, 'pslist', '--dump', dump, '-o', 'ocsf'],
                 PSLIST_OK)
    n = check_ocsf_lines(out)
    print('pslist ocsf: %d lines valid' % n)
    assert n >= 5


@pytest.fixture(scope='module')
def demo(vmiscope, tmp_path_factory):
    k = need_kernel()
    d = tmp_path_factory.mktemp('schema-demo')
    js, oc = str(d / 'events.jsonl'), str(d / 'events.ocsf')
    run_ok([vmiscope, 'demo', '--kernel', k, '--serial-log',
            str(d / 'console.txt'), '--output', 'json:' + js,
            '--output', 'ocsf:' + oc])
    with open(js, 'rb') as a, open(oc, 'rb') as b:
        return a.read(), b.read()


def test_demo_json_lines_valid(demo):
    n = check_json_lines(demo[0])
    print('demo json: %d lines valid' % n)
    assert n >= 1


def test_demo_ocsf_lines_valid(demo):
    n = check_ocsf_lines(demo[1])
    print('demo ocsf: %d lines valid' % n)
    assert n == len([ln for ln in demo[0].split(b'\n') if ln])

# SPDX-License-Identifier: GPL-2.0-or-later
# test_ocsf.py - the hand-written `-o ocsf` goldens (tests/golden/
# output-ocsf.txt, which tests/ocsf/test_ocsf.c compares byte for byte with
# the formatter) against the hand-written OCSF 1.3.0 Process Activity subset
# (tests/ocsf/ocsf-1.3.0-process-activity.json); lines that break OCSF must
# fail it; each ocsf golden agrees with the json golden of the same fixture;
# docs/ocsf.md's example is the golden exec line. Real runs' ocsf lines are
# validated in test_schema.py. No guest needed.
import json
import os
import re

import pytest

from conftest import ROOT
from helpers.schema import OCSF_SCHEMA, ocsf_errors, parse_line

GOLDEN = os.path.join(ROOT, 'tests', 'golden')


def cases(path, fmt, mode='normal'):
    """{fixture: line} of the exact golden lines for @fmt in @mode."""
    out = {}
    with open(path, encoding='utf-8') as fh:
        lines = fh.read().split('\n')
    for i, ln in enumerate(lines[:-1]):
        w = ln.split(' ')
        if (ln.startswith('== ') and len(w) == 4 and w[2] == fmt and
                mode in w[3].split(',')):
            out[w[1]] = lines[i + 1].replace('@VS_VERSION@', '0.1.0')
    return out


OCSF = cases(os.path.join(GOLDEN, 'output-ocsf.txt'), 'ocsf')
JSON = {}
for _name in ('output-linux.txt', 'output-windows.txt'):
    JSON.update(cases(os.path.join(GOLDEN, _name), 'json'))


def test_every_fixture_has_an_ocsf_golden():
    assert len(OCSF) == 19
    assert set(OCSF) == set(JSON)


@pytest.mark.parametrize('fixture', sorted(OCSF))
def test_golden_is_ocsf(fixture):
    assert ocsf_errors(OCSF[fixture]) == []


@pytest.mark.parametrize('fixture', sorted(OCSF))
def test_golden_agrees_with_json(fixture):
    o, j = parse_line(OCSF[fixture]), parse_line(JSON[fixture])
    assert o['metadata']['original_time'] == j['TimeStamp']
    sec, usec = j['TimeStamp'].split('.')
    assert o['time'] == int(sec) * 1000 + int(usec) // 1000
    assert o['metadata']['event_code'] == j.get('Method', 'RunningProcess')
    assert o['type_uid'] == o['class_uid'] * 100 + o['activity_id']
    if 'Method' in j:
        assert o['actor']['process']['pid'] == j['PID']
        assert o['unmapped']['EventUID'] == j['EventUID']
    else:
        assert o['process']['pid'] == j['PID']
    # every json field is either mapped or kept under unmapped
    mapped = {'ProcessKey', 'ParentProcessKey', 'TargetProcessKey',
              'NewProcessKey', 'ImagePathName', 'CommandLine', 'ExitStatus',
              'TargetPID', 'TargetTID', 'TargetPPID', 'TargetProcessName',
              'NewPid', 'NewTid', 'Errno', 'Status', 'ExitPid', 'ClientID',
              'ClientName', 'UniqueThread', 'DesiredAccess',
              'RunningProcess'}
    header = {'Plugin', 'TimeStamp', 'PID', 'PPID', 'TID', 'UserId',
              'ProcessName', 'Method', 'EventUID'}
    for k, v in j.items():
        if k in header or k in mapped:
            continue
        assert o['unmapped'].get(k) == v, k


def test_docs_example_is_the_golden():
    with open(os.path.join(ROOT, 'docs', 'ocsf.md'), encoding='utf-8') as fh:
        text = fh.read()
    block = re.search(r'A Linux exec.*?```\n(.*?)```', text, re.S).group(1)
    doc = ''.join(ln.strip() for ln in block.split('\n'))
    assert json.loads(doc) == json.loads(OCSF['lnx_exec'])


def edit(line, fn):
    obj = json.loads(line)
    fn(obj)
    return json.dumps(obj, separators=(',', ':'))


BAD = [
    ('no class_uid', lambda o: o.pop('class_uid')),
    ('other class', lambda o: o.__setitem__('class_uid', 1001)),
    ('type_uid not class*100+activity',
     lambda o: o.__setitem__('type_uid', 100702)),
    ('Launch named Terminate',
     lambda o: o.__setitem__('activity_name', 'Terminate')),
    ('time as a string', lambda o: o.__setitem__('time', '1700000000012')),
    ('time in seconds with a fraction',
     lambda o: o.__setitem__('time', 1700000000.012)),
    ('no metadata.version', lambda o: o['metadata'].pop('version')),
    ('OCSF version 1.1.0',
     lambda o: o['metadata'].__setitem__('version', '1.1.0')),
    ('no vendor_name', lambda o: o['metadata']['product'].pop('vendor_name')),
    ('no actor', lambda o: o.pop('actor')),
    ('no device', lambda o: o.pop('device')),
    ('empty actor', lambda o: o.__setitem__('actor', {})),
    ('process without pid or uid',
     lambda o: o.__setitem__('process', {'name': 'ls'})),
    ('invented process attribute',
     lambda o: o['process'].__setitem__('ppid', 1)),
    ('invented top-level attribute',
     lambda o: o.__setitem__('Signal', 9)),
    ('user uid as a number',
     lambda o: o['process'].__setitem__('user', {'uid': 0})),
    ('file without type_id',
     lambda o: o['process']['file'].pop('type_id')),
    ('pid as a string', lambda o: o['process'].__setitem__('pid', '1203')),
    ('status Success with id 2', lambda o: o.__setitem__('status_id', 2)),
]


@pytest.mark.parametrize('what,fn', BAD, ids=[b[0] for b in BAD])
def test_bad_ocsf_fails(what, fn):
    assert ocsf_errors(OCSF['lnx_exec']) == []
    assert ocsf_errors(edit(OCSF['lnx_exec'], fn)) != []


def test_subset_schema_file():
    with open(OCSF_SCHEMA, encoding='utf-8') as fh:
        s = json.load(fh)
    assert s['properties']['metadata']['$ref'] == '#/$defs/metadata'
    assert s['$defs']['metadata']['properties']['version'] == {'const': '1.3.0'}

# SPDX-License-Identifier: GPL-2.0-or-later
# test_windows_schema.py - the hand-written Windows json lines of
# tests/windows/expected.txt (which test-windows checks the real output
# against, for six builds) are valid under docs/events.schema.json, keys
# and Unreadable included; forged variants must fail, so the check can.
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'integration'))
from helpers.schema import event_errors  # noqa: E402

RUN = '0123abcd'


def json_lines():
    out, cur = [], None
    with open(os.path.join(HERE, 'expected.txt'), encoding='utf-8') as fh:
        for ln in fh.read().split('\n'):
            if ln.startswith('== '):
                cur = ln[3:]
            elif cur == 'json' and ln and not ln.startswith('#'):
                out.append(ln.replace('@RUN@', RUN))
    return out


LINES = json_lines()


def test_lines_found():
    assert len(LINES) == 23
    assert sum('"ProcessKey":"%s-' % RUN in ln for ln in LINES) == 23


@pytest.mark.parametrize('n', range(len(LINES)))
def test_line_valid(n):
    assert event_errors(LINES[n], require_keys=True) == []


@pytest.mark.parametrize('forge', [
    ('"ProcessKey":"%s-' % RUN, '"ProcessKey":"%s_' % RUN),   # bad key form
    ('"ExitPid":-1', '"ExitPid":-1,"NewProcessKey":"a-1-2"'),  # wrong event
    ('"Unreadable":["ExitPid"', '"Unreadable":[7'),            # not names
])
def test_forged_fails(forge):
    hit = [ln for ln in LINES if forge[0] in ln]
    assert hit, forge
    assert event_errors(hit[-1].replace(forge[0], forge[1], 1)) != []

# SPDX-License-Identifier: GPL-2.0-or-later
# schema.py - validate vmiscope output lines against the published schemas.
#
# Any test that reads `-o json` lines can check every one of them:
#     from helpers.schema import check_json_lines
#     check_json_lines(stdout_text)           # AssertionError names the line
# docs/events.schema.json is the event schema (JSON Schema 2020-12, written
# by hand from docs/events.md); tests/ocsf/ocsf-1.3.0-process-activity.json
# is the hand-written subset of OCSF 1.3.0 Process Activity that `-o ocsf`
# lines must satisfy. Lines are parsed strictly: valid UTF-8, one object,
# no duplicate keys (a forged second "PID" would otherwise hide), no NaN.
import json
import os
import re

import jsonschema

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
EVENT_SCHEMA = os.path.join(ROOT, 'docs', 'events.schema.json')
OCSF_SCHEMA = os.path.join(ROOT, 'tests', 'ocsf',
                           'ocsf-1.3.0-process-activity.json')
EVENT_H = os.path.join(ROOT, 'src', 'common', 'event.h')

_validators = {}


def _validator(path):
    if path not in _validators:
        with open(path, encoding='utf-8') as fh:
            schema = json.load(fh)
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        _validators[path] = cls(schema)
    return _validators[path]


def schema_version():
    """VS_EVENT_SCHEMA_VERSION as src/common/event.h defines it."""
    with open(EVENT_H, encoding='utf-8') as fh:
        m = re.search(r'#define\s+VS_EVENT_SCHEMA_VERSION\s+(\d+)', fh.read())
    return int(m.group(1))


def _no_dups(pairs):
    seen = set()
    for k, _ in pairs:
        if k in seen:
            raise ValueError('duplicate key %r' % k)
        seen.add(k)
    return dict(pairs)


def _no_constant(name):
    raise ValueError('non-JSON number %s' % name)


def parse_line(line):
    """One output line (str or bytes, with or without the final newline)
    as a dict; ValueError when it is not one strict JSON object."""
    if isinstance(line, bytes):
        line = line.decode('utf-8')          # UnicodeDecodeError is a ValueError
    if line.endswith('\n'):
        line = line[:-1]
    if '\n' in line or '\r' in line:
        raise ValueError('line break inside a line')
    obj = json.loads(line, object_pairs_hook=_no_dups,
                     parse_constant=_no_constant)
    if not isinstance(obj, dict):
        raise ValueError('not a JSON object')
    return obj


def _errors(line, schema_path):
    try:
        obj = parse_line(line)
    except ValueError as e:
        return None, ['not strict JSON: %s' % e]
    errs = sorted(_validator(schema_path).iter_errors(obj),
                  key=lambda e: list(e.absolute_path))
    return obj, ['%s: %s' % ('/'.join(map(str, e.absolute_path)) or '(line)',
                             e.message) for e in errs]


def event_errors(line, require_keys=False):
    """Messages for one `-o json` line (empty list: valid). require_keys:
    Linux lines must also carry ProcessKey (normal mode, contract 6)."""
    obj, errs = _errors(line, EVENT_SCHEMA)
    if obj is not None and not errs and require_keys:
        linux = obj.get('Method') in ('begin_new_exec', 'do_exit',
                                      'do_send_sig_info', 'kernel_clone')
        if (linux or 'RunningProcess' in obj) and 'ProcessKey' not in obj:
            errs.append('ProcessKey missing')
    return errs


def ocsf_errors(line):
    """Messages for one `-o ocsf` line (empty list: valid)."""
    return _errors(line, OCSF_SCHEMA)[1]


def _check(text, fn, what):
    if isinstance(text, bytes):
        text = text.decode('utf-8')
    lines = [ln for ln in text.split('\n') if ln]
    for n, ln in enumerate(lines, 1):
        errs = fn(ln)
        if errs:
            raise AssertionError('%s line %d invalid:\n  %s\n  %s'
                                 % (what, n, ln[:600], '\n  '.join(errs)))
    return len(lines)


def check_json_lines(text, require_keys=False):
    """Validate every non-empty line of @text (an `-o json` stream);
    returns the number of lines. AssertionError on the first bad one."""
    return _check(text, lambda ln: event_errors(ln, require_keys), 'json')


def check_ocsf_lines(text):
    """Validate every non-empty line of @text (an `-o ocsf` stream)."""
    return _check(text, ocsf_errors, 'ocsf')

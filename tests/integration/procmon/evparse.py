# SPDX-License-Identifier: GPL-2.0-or-later
# evparse.py - read procmon event lines of the four formats back into one
# normalised form, written from docs/events.md alone (§3 headers, §5
# rendering, §7 Linux field lists, §10 reading recipes). Normal mode with
# --extended: every format then carries the extended fields.
#
# parse_line(fmt, line) -> dict with 'kind' ('hook' or 'running'), the
# header values the format carries ('time', 'PID', 'PPID', and where
# present 'TID', 'UserId', 'ProcessName', 'Method', 'VCPU', 'CR3',
# 'EventUID') and 'fields': {name: value} for the fields present (absent
# fields are left out). Values: int for N fields, list of str for L
# fields, str otherwise (bytes decoded as UTF-8).
import json
import re

# events.md §7: fields in order, seed then extended.
FIELDS = {
    'RunningProcess': ['RunningProcess', 'Bitness',
                       'ProcessKey', 'ParentProcessKey', 'Unreadable'],
    'begin_new_exec': ['ThreadName', 'CommandLine', 'ImagePathName', 'ouid',
                       'osuid', 'oeuid', 'suid', 'euid', 'Environment',
                       'interp', 'fdpath', 'FileName', 'PGID', 'have_execfd',
                       'execfd', 'secureexec', 'Arguments', 'CWD',
                       'ProcessKey', 'ParentProcessKey', 'Truncated',
                       'Unreadable'],
    'do_exit': ['ThreadName', 'ExitStatus', 'ExitStatusStr', 'ExitSignal',
                'ExitSignalStr', 'CoreDumped', 'GroupExit', 'ProcessKey',
                'Unreadable'],
    'do_send_sig_info': ['ThreadName', 'TargetPID', 'TargetTID',
                         'TargetPPID', 'TargetProcessName',
                         'TargetThreadName', 'Signal', 'SignalStr',
                         'ProcessKey', 'TargetProcessKey', 'Unreadable'],
    'kernel_clone': ['Flags', 'Signal', 'SignalStr', 'NewPid', 'Errno',
                     'ProcessKey', 'NewProcessKey', 'Unreadable'],
}
NUMERIC = {'Bitness', 'ouid', 'osuid', 'oeuid', 'suid', 'euid', 'PGID',
           'have_execfd', 'execfd', 'secureexec', 'ExitStatus', 'ExitSignal',
           'CoreDumped', 'GroupExit', 'TargetPID', 'TargetTID', 'TargetPPID',
           'Signal', 'NewPid'}
LISTS = {'Arguments', 'Truncated', 'Unreadable'}
COMPAT = {'do_execveat_common': 'begin_new_exec',
          'send_signal': 'do_send_sig_info'}


def c_unescape(body):
    """Undo the C escape of §5.2 (\\\\ \\" \\n \\r \\t \\xHH) -> bytes."""
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c == 0x5C and i + 1 < len(body):
            n = body[i + 1]
            if n == ord('x') and i + 3 < len(body):
                out.append(int(body[i + 2:i + 4], 16))
                i += 4
                continue
            out.append({ord('n'): 10, ord('r'): 13, ord('t'): 9}.get(n, n))
            i += 2
            continue
        out.append(c)
        i += 1
    return bytes(out)


def read_quoted(b, i):
    """At b[i] == '"': return (body bytes still escaped, index after)."""
    assert b[i:i + 1] == b'"', (b, i)
    j = i + 1
    while j < len(b):
        if b[j] == 0x5C:
            j += 2
            continue
        if b[j] == 0x22:
            return b[i + 1:j], j + 1
        j += 1
    raise ValueError('unterminated quoted value: %r' % b[i:])


def read_value(b, i, stops):
    """A quoted value or a bare one up to a byte in @stops."""
    if b[i:i + 1] == b'"':
        body, j = read_quoted(b, i)
        return ('q', body), j
    j = i
    while j < len(b) and b[j] not in stops:
        j += 1
    return ('b', b[i:j]), j


def decode_list(body):
    """§5.5: body split on spaces, \\"\\" is an empty element."""
    if body == b'':
        return []
    out = []
    for part in body.split(b' '):
        out.append('' if part == b'\\"\\"' else
                   c_unescape(part).decode('utf-8', 'replace'))
    return out


def convert(name, raw):
    kind, data = raw
    if name in LISTS:
        return decode_list(data)
    if name in NUMERIC and kind == 'b':
        return int(data)
    text = c_unescape(data) if kind == 'q' else data
    return text.decode('utf-8', 'replace')


def _result(kind, header, fields):
    d = {'kind': kind, 'fields': fields}
    d.update(header)
    return d


def parse_json(line):
    o = json.loads(line)
    head = {'time': o['TimeStamp'], 'PID': o['PID'], 'PPID': o['PPID']}
    if 'Method' not in o:
        names = FIELDS['RunningProcess']
        return _result('running', head,
                       {k: o[k] for k in names if k in o})
    head.update(TID=o['TID'], UserId=o['UserId'],
                ProcessName=o['ProcessName'],
                Method=COMPAT.get(o['Method'], o['Method']),
                EventUID=o['EventUID'])
    names = FIELDS[head['Method']]
    return _result('hook', head, {k: o[k] for k in names if k in o})


def parse_kv(line):
    b = line.encode('utf-8', 'surrogateescape') if isinstance(line, str) else line
    assert b.startswith(b'procmon ')
    i = len(b'procmon ')
    items = []
    while i < len(b):
        eq = b.index(b'=', i)
        key = b[i:eq].decode()
        val, i = read_value(b, eq + 1, b',')
        items.append((key, val))
        i += 1          # the ','
    d = dict(items)
    head = {'time': d['Time'][1].decode(), 'PID': int(d['PID'][1]),
            'PPID': int(d['PPID'][1])}
    if 'Method' not in d:
        kind, names = 'running', FIELDS['RunningProcess']
    else:
        kind = 'hook'
        head.update(TID=int(d['TID'][1]),
                    ProcessName=convert('ProcessName', d['ProcessName']),
                    Method=COMPAT.get(d['Method'][1].decode(),
                                      d['Method'][1].decode()))
        names = FIELDS[head['Method']]
    return _result(kind, head,
                   {k: convert(k, d[k]) for k in names if k in d})


def split_csv(b):
    cols = []
    i = 0
    while True:
        val, i = read_value(b, i, b',')
        cols.append(val)
        if i >= len(b):
            return cols
        i += 1
        if i == len(b):
            cols.append(('b', b''))
            return cols


def parse_csv(line):
    b = line.encode('utf-8', 'surrogateescape') if isinstance(line, str) else line
    assert b.startswith(b'procmon ')
    cols = split_csv(b[len(b'procmon '):])
    time = cols[0][1].decode()
    if cols[2][1].startswith(b'0x'):
        head = {'time': time, 'VCPU': int(cols[1][1]), 'CR3': cols[2][1].decode(),
                'UserId': int(cols[3][1]), 'PID': int(cols[4][1]),
                'PPID': int(cols[5][1]), 'TID': int(cols[6][1]),
                'ProcessName': convert('ProcessName', cols[7]),
                'Method': COMPAT.get(cols[8][1].decode(), cols[8][1].decode())}
        kind, names, rest = 'hook', FIELDS[head['Method']], cols[9:]
    else:
        head = {'time': time, 'PID': int(cols[1][1]), 'PPID': int(cols[2][1])}
        kind, names, rest = 'running', FIELDS['RunningProcess'], cols[3:]
    assert len(rest) == len(names), (names, rest)
    fields = {}
    for name, raw in zip(names, rest):
        if raw == ('b', b''):
            continue    # absent
        fields[name] = convert(name, raw)
    return _result(kind, head, fields)


HDR = re.compile(rb'^\[PROCMON\] TIME:(\S+) VCPU:(\d+) CR3:(0x[0-9A-F]+) ')
RUN = re.compile(rb'^\[PROCMON\] TIME:(\S+) PID:(-?\d+) PPID:(-?\d+)')


def parse_default(line):
    b = line.encode('utf-8', 'surrogateescape') if isinstance(line, str) else line
    m = HDR.match(b)
    if m:
        body, i = read_quoted(b, m.end())
        name = convert('ProcessName', ('q', body))
        assert b[i:i + 1] == b':'
        j = b.index(b' ', i)
        method = b[i + 1:j].decode()
        head = {'time': m.group(1).decode(), 'VCPU': int(m.group(2)),
                'CR3': m.group(3).decode(), 'ProcessName': name,
                'Method': COMPAT.get(method, method)}
        kind, names, i = 'hook', FIELDS[head['Method']], j
    else:
        m = RUN.match(b)
        head = {'time': m.group(1).decode(), 'PID': int(m.group(2)),
                'PPID': int(m.group(3))}
        kind, names, i = 'running', FIELDS['RunningProcess'], m.end()
    items = {}
    while i < len(b):
        assert b[i:i + 1] == b' ', b[i:]
        c = b.index(b':', i + 1)
        key = b[i + 1:c].decode()
        val, i = read_value(b, c + 1, b' ')
        items[key] = val
    if kind == 'hook':
        head['UserId'] = int(items.pop('UID')[1])
        head['PID'] = int(items.pop('PID')[1])
        head['PPID'] = int(items.pop('PPID')[1])
    return _result(kind, head,
                   {k: convert(k, items[k]) for k in names if k in items})


PARSERS = {'json': parse_json, 'kv': parse_kv, 'csv': parse_csv,
           'default': parse_default}


def parse_file(fmt, path):
    out = []
    with open(path, 'rb') as fh:
        for raw in fh.read().split(b'\n'):
            if raw:
                out.append(PARSERS[fmt](raw.decode('utf-8')
                                        if fmt == 'json' else raw))
    return out


def common_key(ev):
    """What every format carries: time, PID, PPID, name, method, fields."""
    f = tuple(sorted((k, tuple(v) if isinstance(v, list) else v)
                     for k, v in ev['fields'].items()))
    return (ev['kind'], ev['time'], ev['PID'], ev['PPID'],
            ev.get('ProcessName'), ev.get('Method'), f)

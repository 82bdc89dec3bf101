# SPDX-License-Identifier: GPL-2.0-or-later
"""`vmiscope profile -r` against the Windows profiles' README tables.

Oracle: /work/shared/windows-profiles/README.md (its "Files", "Key offsets"
and "Symbol RVAs" tables and its prose about _UNICODE_STRING & co.), parsed
here from the markdown, never from vmiscope's own code. Also: a Rekall
conversion of one profile written here must resolve to the same values, a
hand-written dwarf2json-style Linux ISF must load through the same command,
and damaged profiles must fail with exit 2 and a message saying why.

Environment: VMISCOPE (the binary), VS_PROFILES_DIR (the profiles folder).
A missing folder or file skips the tests that need it, naming the path.
"""
import json
import lzma
import os
import re
import subprocess

import pytest

VMISCOPE = os.environ.get('VMISCOPE', 'build/vmiscope')
PROFILES = os.environ.get('VS_PROFILES_DIR', '../shared/windows-profiles')
README = os.path.join(PROFILES, 'README.md')


# ---------------------------------------------------------------- README oracle

def md_tables(text):
    """{section title: [row cells]} for each '## Title' section's first table."""
    tables, title, rows = {}, None, None
    for line in text.splitlines():
        if line.startswith('## ') or line.startswith('### '):
            title, rows = line.lstrip('#').strip(), None
            continue
        if title and line.startswith('|'):
            cells = [c.strip() for c in line.strip().strip('|').split('|')]
            if all(re.fullmatch(r':?-+:?', c) for c in cells):
                continue
            if title not in tables:
                tables[title] = rows = []
            if rows is not None:
                rows.append(cells)
        elif rows is not None and tables.get(title):
            rows = None  # table ended; keep only the first of the section
    return tables


def readme_text():
    if not os.path.exists(README):
        pytest.skip('profiles README absent: %s' % README)
    with open(README, encoding='utf-8') as f:
        return f.read()


def build_of(filename):
    return re.match(r'win\w*-(\d+)-', filename).group(1)


def readme_expectations():
    """{build: {'offsets': {...}, 'alts': [...], 'sizes': {...}, 'symbols': {...},
    'file': name, 'guid': .., 'age': ..}} from the README."""
    text = readme_text()
    t = md_tables(text)
    exp = {}
    for row in t['Files'][1:]:
        name = row[0].strip('`')
        if not name.endswith('.json.xz'):
            continue
        exp[build_of(name)] = {'file': name, 'guid': row[3].strip('`'),
                               'age': int(row[4]), 'offsets': {}, 'alts': [],
                               'sizes': {}, 'symbols': {}}
    head = t['Key offsets'][0]
    builds = head[1:]
    assert sorted(builds) == sorted(exp), (builds, list(exp))
    for row in t['Key offsets'][1:]:
        first, values = row[0], row[1:]
        m = re.fullmatch(r'sizeof `(\w+)`', first)
        if m:
            for b, v in zip(builds, values):
                exp[b]['sizes'][m.group(1)] = int(v, 16)
            continue
        # backticked names outside parentheses: `_S.M`, then `M2`...
        names = re.findall(r'`([^`]+)`', re.sub(r'\([^)]*\)', '', first))
        struct, member = names[0].split('.')
        members = [member] + names[1:]
        for b, v in zip(builds, values):
            parts = [p.strip() for p in v.split('/')]
            if len(parts) == len(members) and len(parts) > 1:
                for mem, val in zip(members, parts):   # `A` / `B`: two members
                    exp[b]['offsets']['%s.%s' % (struct, mem)] = int(val, 16)
            elif len(members) > 1:                      # alternative spellings
                exp[b]['alts'].append((['%s.%s' % (struct, x) for x in members],
                                       int(parts[0], 16)))
            else:
                exp[b]['offsets']['%s.%s' % (struct, member)] = int(parts[0], 16)
    head = t['Symbol RVAs'][0]
    for row in t['Symbol RVAs'][1:]:
        sym = row[0].strip('`')
        for b, v in zip(head[1:], row[1:]):
            exp[b]['symbols'][sym] = None if v in ('—', '-', '') else int(v, 16)
    # Prose: "In every file `_UNICODE_STRING` is 0x10 bytes (`Length` 0x0, ...)"
    m = re.search(r'In every file `_UNICODE_STRING` is (0x[0-9a-f]+) bytes \(([^)]*)\),'
                  r'((?:\s*(?:and\s*)?`\w+` 0x[0-9a-f]+,?)+)', text)
    assert m, 'README prose about _UNICODE_STRING not found'
    for e in exp.values():
        e['sizes']['_UNICODE_STRING'] = int(m.group(1), 16)
        for mem, val in re.findall(r'`(\w+)` (0x[0-9a-f]+)', m.group(2)):
            e['offsets']['_UNICODE_STRING.' + mem] = int(val, 16)
        for st, val in re.findall(r'`(\w+)` (0x[0-9a-f]+)', m.group(3)):
            e['sizes'][st] = int(val, 16)
    return exp


def run_profile(path, *extra):
    r = subprocess.run([VMISCOPE, 'profile', '-r', str(path), *extra],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode >= 0, 'killed by signal %d: %s' % (-r.returncode, r.stderr)
    return r


def profile_json(path):
    r = run_profile(path)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


EXP = None


def expectations():
    global EXP
    if EXP is None:
        EXP = readme_expectations()
    return EXP


BUILDS = ['9600', '14393', '17763', '19041', '20348', '22000']


def profile_path(build):
    e = expectations()[build]
    path = os.path.join(PROFILES, e['file'])
    if not os.path.exists(path):
        pytest.skip('profile absent: %s' % path)
    return path


# ------------------------------------------------------------------ the six files

def test_readme_tables_parsed():
    exp = expectations()
    assert sorted(exp, key=int) == BUILDS
    for e in exp.values():
        assert len(e['offsets']) >= 30 and len(e['sizes']) >= 8
        assert len(e['symbols']) == 11 and len(e['alts']) == 1


@pytest.mark.parametrize('build', BUILDS)
def test_profile_matches_readme(build):
    exp = expectations()[build]
    out = profile_json(profile_path(build))
    assert out['os'] == 'windows' and out['format'] == 'isf'
    ident = out['identity']
    assert ident['pdb_guid'] == exp['guid']
    assert ident['age'] == exp['age']
    assert ident['database'] == 'ntkrnlmp.pdb'
    checked = 0
    for name, val in exp['offsets'].items():
        assert out['offsets'].get(name) == val, (build, name, hex(val))
        checked += 1
    for names, val in exp['alts']:
        present = [n for n in names if n in out['offsets']]
        assert len(present) == 1, (build, names, present)
        assert out['offsets'][present[0]] == val, (build, present[0])
        checked += 1
    for name, val in exp['sizes'].items():
        assert out['sizes'].get(name) == val, (build, 'sizeof', name)
        checked += 1
    for name, val in exp['symbols'].items():
        if val is None:
            assert name not in out['symbols'] and name in out['missing'], name
        else:
            assert out['symbols'].get(name) == val, (build, name, hex(val))
        checked += 1
    assert checked >= 50


def test_wow64_spelling():
    # README: "spelled `Wow64Process` in the 9600 file and `WoW64Process` from Windows 10 on"
    text = readme_text()
    assert 'spelled `Wow64Process` in the 9600 file' in text
    for build in BUILDS:
        out = profile_json(profile_path(build))
        want = '_EPROCESS.Wow64Process' if build == '9600' else '_EPROCESS.WoW64Process'
        assert want in out['offsets'], (build, want)


def test_exit_process_reported_is_a_bit():
    out = profile_json(profile_path('19041'))
    bf = out['bitfields']['_EPROCESS.ExitProcessReported']
    assert bf['bit_length'] == 1 and bf['bit_position'] < 32


# --------------------------------------------------------------------- Rekall

def isf_to_rekall(isf):
    """Rekall shape per the README: $STRUCTS[T] = [size, {F: [offset, type]}],
    data symbols in $CONSTANTS, functions (Nt*, Mm*, Ki*, Zw*) in $FUNCTIONS."""
    structs = {}
    for name, t in isf['user_types'].items():
        fields = {}
        for fname, f in t['fields'].items():
            ft = f.get('type', {})
            if ft.get('kind') == 'bitfield':
                rt = ['BitField', {'start_bit': ft['bit_position'],
                                   'end_bit': ft['bit_position'] + ft['bit_length'],
                                   'target': ft['type'].get('name', 'unsigned long')}]
            else:
                rt = [ft.get('name', ft.get('kind', 'void'))]
            fields[fname] = [f['offset'], rt]
        structs[name] = [t['size'], fields]
    consts, funcs = {}, {}
    for name, s in isf['symbols'].items():
        if 'address' not in s:
            continue
        (funcs if re.match(r'(Nt|Mm|Ki|Zw)[A-Z]', name) else consts)[name] = s['address']
    pdb = isf['metadata']['windows']['pdb']
    return {
        '$METADATA': {'ProfileClass': 'Ntkrnlmp', 'Type': 'Profile',
                      'GUID_AGE': '%s%X' % (pdb['GUID'], pdb['age']),
                      'PDBFile': pdb['database']},
        '$STRUCTS': structs, '$CONSTANTS': consts, '$FUNCTIONS': funcs,
        '$ENUMS': {}, '$REVENUMS': {},
    }


@pytest.fixture(scope='module')
def isf19041():
    with lzma.open(profile_path('19041'), 'rt', encoding='utf-8') as f:
        return json.load(f)


@pytest.mark.parametrize('compress', [False, True])
def test_rekall_same_values(tmp_path, isf19041, compress):
    rekall = json.dumps(isf_to_rekall(isf19041)).encode()
    path = tmp_path / ('rekall.json.xz' if compress else 'rekall.json')
    path.write_bytes(lzma.compress(rekall) if compress else rekall)
    a = profile_json(profile_path('19041'))
    b = profile_json(path)
    assert b['format'] == 'rekall' and b['os'] == 'windows'
    for k in ('offsets', 'bitfields', 'sizes', 'symbols', 'missing'):
        assert a[k] == b[k], k
    for k in ('pdb_guid', 'age', 'database'):
        assert a['identity'][k] == b['identity'][k], k
    exp = expectations()['19041']
    assert b['offsets']['_ETHREAD.Cid'] == exp['offsets']['_ETHREAD.Cid']
    assert b['symbols']['NtOpenProcess'] == exp['symbols']['NtOpenProcess']


# ---------------------------------------------------------------------- Linux

LINUX_BANNER = 'Linux version 6.1.0-28-amd64 (debian-kernel@lists.debian.org) #1 SMP\n'


def linux_isf():
    """A small dwarf2json-style ISF, written by hand (offsets made up)."""
    import base64
    ptr = {'kind': 'pointer', 'subtype': {'kind': 'base', 'name': 'void'}}
    i32 = {'kind': 'base', 'name': 'int'}
    return {
        'metadata': {'format': '6.2.0',
                     'producer': {'name': 'dwarf2json', 'version': '0.8.0'},
                     'linux': {'symbols': [{'kind': 'system-map', 'name': 'System.map'}]}},
        'base_types': {'int': {'kind': 'int', 'size': 4, 'signed': True, 'endian': 'little'}},
        'enums': {},
        'user_types': {
            'task_struct': {'kind': 'struct', 'size': 9792, 'fields': {
                'flags': {'offset': 44, 'type': {'kind': 'base', 'name': 'unsigned int'}},
                'tasks': {'offset': 2224, 'type': {'kind': 'struct', 'name': 'list_head'}},
                'mm': {'offset': 2304, 'type': ptr},
                'pid': {'offset': 2432, 'type': i32},
                'tgid': {'offset': 2436, 'type': i32},
                'real_parent': {'offset': 2448, 'type': ptr},
                'real_cred': {'offset': 2952, 'type': ptr},
                'cred': {'offset': 2960, 'type': ptr},
                'comm': {'offset': 2976, 'type': {'kind': 'array', 'count': 16,
                                                  'subtype': {'kind': 'base', 'name': 'char'}}},
            }},
            'mm_struct': {'kind': 'struct', 'size': 1088, 'fields': {
                'unnamed_field_0': {'offset': 0, 'anonymous': True,
                                    'type': {'kind': 'struct', 'name': 'unnamed_8a1b'}},
                'cpu_bitmap': {'offset': 1080, 'type': ptr},
            }},
            'unnamed_8a1b': {'kind': 'struct', 'size': 1072, 'fields': {
                'pgd': {'offset': 80, 'type': ptr},
                'arg_start': {'offset': 304, 'type': ptr},
                'exe_file': {'offset': 896, 'type': ptr},
            }},
            'linux_binprm': {'kind': 'struct', 'size': 304, 'fields': {
                'have_execfd': {'offset': 72, 'type': {'kind': 'bitfield', 'bit_position': 1,
                                                       'bit_length': 1, 'type': {'kind': 'base', 'name': 'unsigned int'}}},
            }},
            'cred': {'kind': 'struct', 'size': 176, 'fields': {
                'uid': {'offset': 8, 'type': i32}}},
        },
        'symbols': {
            'init_task': {'address': 0xffffffff82a12940, 'type': {'kind': 'struct', 'name': 'task_struct'}},
            '_text': {'address': 0xffffffff81000000},
            'linux_banner': {'address': 0xffffffff82200100,
                             'constant_data': base64.b64encode(LINUX_BANNER.encode() + b'\0').decode()},
        },
    }


def test_linux_isf(tmp_path):
    path = tmp_path / 'linux.json.xz'
    path.write_bytes(lzma.compress(json.dumps(linux_isf()).encode()))
    out = profile_json(path)
    assert out['os'] == 'linux'
    assert out['identity']['banner'] == LINUX_BANNER.strip()
    assert out['identity']['version'] == '6.1.0-28-amd64'
    assert out['identity']['producer'] == 'dwarf2json 0.8.0'
    assert out['symbols']['init_task'] == 0xffffffff82a12940
    assert out['symbols']['_text'] == 0xffffffff81000000
    o = out['offsets']
    assert o['task_struct.pid'] == 2432 and o['task_struct.tgid'] == 2436
    assert o['task_struct.comm'] == 2976 and o['task_struct.tasks'] == 2224
    assert o['mm_struct.exe_file'] == 896 and o['mm_struct.pgd'] == 80
    assert o['cred.uid'] == 8
    assert out['bitfields']['linux_binprm.have_execfd'] == {
        'offset': 72, 'bit_position': 1, 'bit_length': 1}
    assert out['sizes']['task_struct'] == 9792
    assert 'kernel_clone_args.flags' in out['missing']


# ------------------------------------------------------------ damaged profiles

def small_isf():
    return {
        'metadata': {'windows': {'pdb': {'GUID': '00' * 16, 'age': 1, 'database': 'x.pdb'}}},
        'user_types': {}, 'symbols': {}, 'base_types': {}, 'enums': {},
    }


def expect_fail(path, *needles):
    r = run_profile(path)
    assert r.returncode == 2, (r.returncode, r.stdout[:200], r.stderr)
    assert r.stdout == ''
    assert r.stderr.startswith('vmiscope: profile: '), r.stderr
    assert r.stderr.count('\n') == 1, r.stderr
    for n in needles:
        assert n in r.stderr, (n, r.stderr)
    return r.stderr


@pytest.fixture(scope='module')
def xz19041():
    with open(profile_path('19041'), 'rb') as f:
        return f.read()


def test_truncated_xz(tmp_path, xz19041):
    for cut in (len(xz19041) // 2, len(xz19041) - 1, 7, 100):
        p = tmp_path / 't.xz'
        p.write_bytes(xz19041[:cut])
        expect_fail(p, 'xz data')


def test_flipped_bytes_xz(tmp_path, xz19041):
    for at in (10, 1000, len(xz19041) // 2, len(xz19041) - 20):
        data = bytearray(xz19041)
        data[at] ^= 0xff
        p = tmp_path / 'f.xz'
        p.write_bytes(bytes(data))
        expect_fail(p, 'xz data')


@pytest.fixture(scope='module')
def text19041(isf19041):
    return json.dumps(isf19041)


def test_truncated_json(tmp_path, text19041):
    for cut in (len(text19041) // 2, len(text19041) - 1, 1):
        p = tmp_path / 't.json'
        p.write_text(text19041[:cut])
        expect_fail(p, 'invalid JSON')


def mutate(tmp_path, isf, fn, compress=True):
    doc = json.loads(json.dumps(isf)) if not isinstance(isf, str) else json.loads(isf)
    fn(doc)
    data = json.dumps(doc).encode()
    p = tmp_path / ('m.json.xz' if compress else 'm.json')
    p.write_bytes(lzma.compress(data, preset=0) if compress else data)
    return p


def test_missing_struct(tmp_path, text19041):
    p = mutate(tmp_path, text19041, lambda d: d['user_types'].pop('_EPROCESS'))
    expect_fail(p, '_EPROCESS.UniqueProcessId', 'struct _EPROCESS is not in the profile')


def test_missing_member_and_symbol(tmp_path, text19041):
    p = mutate(tmp_path, text19041,
               lambda d: d['user_types']['_RTL_USER_PROCESS_PARAMETERS']['fields'].pop('DllPath'))
    expect_fail(p, '_RTL_USER_PROCESS_PARAMETERS.DllPath')
    p = mutate(tmp_path, text19041, lambda d: d['symbols'].pop('PsInitialSystemProcess'))
    expect_fail(p, 'PsInitialSystemProcess')


def test_missing_optional_is_listed(tmp_path, text19041):
    p = mutate(tmp_path, text19041, lambda d: d['symbols'].pop('NtOpenThread'))
    out = profile_json(p)
    assert 'NtOpenThread' in out['missing'] and 'NtOpenThread' not in out['symbols']


@pytest.mark.parametrize('case,needle', [
    (lambda d: d['user_types']['_EPROCESS']['fields']['Peb'].__setitem__('offset', '0x550'),
     '_EPROCESS.Peb.offset: expected an integer, found a string'),
    (lambda d: d['user_types']['_EPROCESS']['fields']['Peb'].__setitem__('offset', -8),
     '_EPROCESS.Peb.offset: -8 is negative'),
    (lambda d: d['user_types']['_EPROCESS']['fields']['Peb'].__setitem__('offset', 1 << 40),
     'above the limit'),
    (lambda d: d['user_types']['_EPROCESS']['fields']['Peb'].__setitem__('offset', 10 ** 30),
     '_EPROCESS.Peb.offset'),
    (lambda d: d['user_types']['_EPROCESS']['fields']['Peb'].__setitem__('offset', 1.5),
     'found a floating-point number'),
    (lambda d: d['user_types']['_EPROCESS'].__setitem__('size', None),
     'user_types._EPROCESS.size: expected an integer, found null'),
    (lambda d: d['user_types']['_EPROCESS'].__setitem__('fields', []),
     'user_types._EPROCESS: no fields object'),
    (lambda d: d['user_types'].__setitem__('_KTHREAD', 'x'),
     '_KTHREAD'),
    (lambda d: d['symbols']['PsActiveProcessHead'].__setitem__('address', 'here'),
     'symbols.PsActiveProcessHead.address: expected an integer address, found a string'),
    (lambda d: d['symbols'].__setitem__('PsActiveProcessHead', [1]),
     'symbols.PsActiveProcessHead: expected an object, found an array'),
    (lambda d: d.__setitem__('user_types', []),
     'user_types: expected an object, found an array'),
    (lambda d: d['metadata']['windows']['pdb'].__setitem__('GUID', 5),
     'metadata.windows.pdb.GUID: expected a string'),
    (lambda d: d['metadata']['windows']['pdb'].__setitem__('age', 'one'),
     'metadata.windows.pdb.age'),
    (lambda d: d['user_types']['_EPROCESS']['fields']['ExitProcessReported']['type']
     .__setitem__('bit_position', 99), 'ExitProcessReported.bit_position'),
])
def test_wrong_types(tmp_path, text19041, case, needle):
    expect_fail(mutate(tmp_path, text19041, case), needle)


@pytest.mark.parametrize('data,needle', [
    (b'', 'empty'),
    (b'[1, 2]', 'top level is an array'),
    (b'{"a": 1}', 'neither a Volatility ISF'),
    (b'{"user_types": {}, "symbols": {}}', 'neither a Windows nor a Linux'),
    (b'\x1f\x8b\x08\x00', 'gzip'),
    (b'BZh91AY', 'bzip2'),
    (b'{"user_types": {"a\x00": 1}}', 'NUL byte at offset'),
    (b'[' * 100000, 'nested deeper than'),
    (b'{"user_types": {}, "symbols": {}', 'invalid JSON'),
    (b'\xfd7zXZ\x00garbage', 'xz data'),
    (b'\xff\xfe{}', 'invalid JSON'),
])
def test_garbage(tmp_path, data, needle):
    p = tmp_path / 'g'
    p.write_bytes(data)
    expect_fail(p, needle)


def test_unreadable(tmp_path):
    expect_fail(tmp_path / 'nope.json', 'No such file or directory')
    expect_fail(tmp_path, 'Is a directory')


def test_usage():
    r = subprocess.run([VMISCOPE, 'profile'], capture_output=True, text=True)
    assert r.returncode == 2 and '-r FILE is required' in r.stderr
    r = subprocess.run([VMISCOPE, 'profile', '--help'], capture_output=True, text=True)
    assert r.returncode == 0 and 'Usage: vmiscope profile -r FILE' in r.stdout


def test_decompression_bomb(tmp_path):
    # 600 MiB of spaces compress to about 90 KiB; the loader stops at 512 MiB
    comp = lzma.LZMACompressor(preset=0)
    chunk = b' ' * (8 << 20)
    parts = [comp.compress(chunk) for _ in range(75)]
    parts.append(comp.flush())
    p = tmp_path / 'bomb.xz'
    p.write_bytes(b''.join(parts))
    expect_fail(p, 'decompresses to more than 512 MiB')

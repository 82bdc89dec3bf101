#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Make a Volatility 3 ISF kernel profile from BTF and /proc/kallsyms.

btf2isf.py BTF_JSON KALLSYMS OUT [--banner STR] [--unslide]

BTF_JSON is `bpftool -j btf dump file VMLINUX` (VMLINUX from
extract-vmlinux.py); KALLSYMS is the guest's own /proc/kallsyms text. The
test oracle for vmiscope's -r path: nothing here comes from vmiscope.
  - user_types: every named struct/union (the first of a name, as BTF
    dedup leaves few duplicates), with each member's byte offset and type;
    anonymous struct/union members become "unnamed_field_N" fields with
    "anonymous": true and a type "unnamed_<btf id>" listed as well;
    bitfields give the offset of their storage unit and the bit position
    inside it (the dwarf2json convention).
  - symbols: name -> address of the first kallsyms line of each name.
    --unslide moves every address in the kernel image region (at or above
    0xffffffff80000000) back to the link-time layout, _text at
    0xffffffff81000000, the way a System.map or dwarf2json gives them; so
    the consumer must apply the KASLR slide itself. Per-CPU (type A) values
    stay as they are.
  - --banner STR: the kernel's banner (e.g. the guest's /proc/version),
    stored as linux_banner's constant_data, base64, as dwarf2json does.
"""
import argparse
import base64
import json
import sys

LINK_TEXT = 0xffffffff81000000
IMAGE_REGION = 0xffffffff80000000


class Conv:
    def __init__(self, types):
        self.t = {t['id']: t for t in types}
        self.user = {}
        self.base = {}
        self.anon = {}      # btf id -> ISF name of an anonymous aggregate

    def strip(self, tid):
        """Follow typedef/const/volatile/restrict/type_tag to the type."""
        for _ in range(64):
            t = self.t.get(tid)
            if t is None or t['kind'] not in ('TYPEDEF', 'CONST', 'VOLATILE',
                                              'RESTRICT', 'TYPE_TAG'):
                return tid
            tid = t['type_id']
        return tid

    def size(self, tid):
        t = self.t.get(self.strip(tid))
        if t is None:
            return 0
        if t['kind'] in ('INT', 'STRUCT', 'UNION', 'ENUM', 'ENUM64',
                         'FLOAT'):
            return t['size']
        if t['kind'] == 'PTR':
            return 8
        if t['kind'] == 'ARRAY':
            return t['nr_elems'] * self.size(t['type_id'])
        return 0

    def ref(self, tid, depth=0):
        """The ISF type descriptor of BTF type @tid."""
        tid = self.strip(tid)
        t = self.t.get(tid)
        if t is None or depth > 32:
            return {'kind': 'base', 'name': 'void'}
        k = t['kind']
        if k == 'INT' or k == 'FLOAT':
            name = t['name']
            self.base.setdefault(name, {
                'kind': 'int' if k == 'INT' else 'float',
                'size': t['size'], 'endian': 'little',
                'signed': k == 'FLOAT' or t.get('encoding') == 'SIGNED'})
            return {'kind': 'base', 'name': name}
        if k == 'PTR':
            return {'kind': 'pointer',
                    'subtype': self.ref(t['type_id'], depth + 1)}
        if k == 'ARRAY':
            return {'kind': 'array', 'count': t['nr_elems'],
                    'subtype': self.ref(t['type_id'], depth + 1)}
        if k in ('STRUCT', 'UNION'):
            name = t['name'] if t['name'] != '(anon)' else self.anon_name(tid)
            return {'kind': k.lower(), 'name': name}
        if k in ('ENUM', 'ENUM64'):
            return {'kind': 'enum', 'name': t['name']}
        if k == 'FUNC_PROTO':
            return {'kind': 'function'}
        return {'kind': 'base', 'name': 'void'}

    def anon_name(self, tid):
        if tid not in self.anon:
            self.anon[tid] = 'unnamed_%d' % tid
            self.aggregate(tid, self.anon[tid])
        return self.anon[tid]

    def field(self, m):
        bits = m['bits_offset']
        bf = m.get('bitfield_size', 0)
        if not bf:
            if bits % 8:
                raise ValueError('member %s at bit %d' % (m['name'], bits))
            return {'offset': bits // 8, 'type': self.ref(m['type_id'])}
        unit = self.size(m['type_id']) or 1
        off = bits // (unit * 8) * unit
        return {'offset': off,
                'type': {'kind': 'bitfield', 'bit_position': bits - off * 8,
                         'bit_length': bf, 'type': self.ref(m['type_id'])}}

    def aggregate(self, tid, name):
        t = self.t[tid]
        fields = {}
        self.user[name] = {'kind': t['kind'].lower(), 'size': t['size'],
                           'fields': fields}
        for i, m in enumerate(t.get('members', [])):
            f = self.field(m)
            if m['name'] == '(anon)' or not m['name']:
                f['anonymous'] = True
                fields['unnamed_field_%d' % i] = f
            else:
                fields[m['name']] = f

    def run(self):
        for tid, t in sorted(self.t.items()):
            if t['kind'] in ('STRUCT', 'UNION') and t['name'] != '(anon)' \
                    and t['name'] not in self.user:
                self.aggregate(tid, t['name'])


def symbols(path, unslide):
    syms, text = {}, None
    with open(path) as fh:
        lines = [ln.split() for ln in fh if ln.strip()]
    for parts in lines:
        if len(parts) >= 3 and parts[2] == '_text':
            text = int(parts[0], 16)
            break
    if text is None:
        raise ValueError('no _text in ' + path)
    slide = text - LINK_TEXT if unslide else 0
    for parts in lines:
        if len(parts) < 3 or len(parts) > 3:     # module symbols: [mod]
            continue
        addr, name = int(parts[0], 16), parts[2]
        if addr >= IMAGE_REGION:
            addr -= slide
        syms.setdefault(name, {'address': addr})
    return syms


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('btf_json')
    ap.add_argument('kallsyms')
    ap.add_argument('out')
    ap.add_argument('--banner')
    ap.add_argument('--unslide', action='store_true')
    a = ap.parse_args()
    with open(a.btf_json) as fh:
        types = json.load(fh)['types']
    c = Conv(types)
    c.run()
    syms = symbols(a.kallsyms, a.unslide)
    if a.banner and 'linux_banner' in syms:
        data = (a.banner.rstrip('\n') + '\n').encode()
        syms['linux_banner']['constant_data'] = \
            base64.b64encode(data).decode()
    isf = {
        'metadata': {'format': '6.2.0',
                     'producer': {'name': 'btf2isf', 'version': '1.0'},
                     'linux': {'symbols': [{'kind': 'kallsyms'}],
                               'types': [{'kind': 'btf'}]}},
        'base_types': c.base,
        'user_types': c.user,
        'enums': {},
        'symbols': syms,
    }
    with open(a.out, 'w') as fh:
        json.dump(isf, fh, separators=(',', ':'))
    print('btf2isf: %d types, %d symbols' % (len(c.user), len(syms)),
          file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())

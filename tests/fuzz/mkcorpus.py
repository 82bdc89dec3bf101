#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""mkcorpus.py - (re)write the seed inputs of the fuzz targets.

    tests/fuzz/mkcorpus.py [CORPUS_DIR]

Writes seed-* files into CORPUS_DIR/<target>/ (default: the corpus/ next
to this script): kallsyms tables in the three known layouts (a mode byte
then the image, see fuzz_kallsyms.c), a BTF blob built from seed-btf.c
with gcc -g + pahole -J, small ISF and Rekall profiles (one xz), page
tables with 4 KiB, 2 MiB and 1 GiB pages, a QEMU-style ELF core, and a
task heap in the layout of tests/os/test_tasks.c, a UNICODE_STRING, a
Windows process ring with a handle table, GDB remote frames, exec
argument areas (linux_binprm) and GDB target descriptions. Deterministic: running
it twice gives the same bytes. Regression inputs (crash-*) found by
fuzzing are kept beside the seeds and never rewritten here.
"""
import json
import lzma
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TEXT = 0xffffffff81000000


def al8(v):
    return (v + 7) & ~7


def kallsyms_image(layout, n=300):
    """Layout 0: offsets first; 1: seqs before tokens; 2: num_syms first."""
    tokens = []
    for c in range(256):
        tokens.append(chr(c).encode() if 0x20 < c < 0x7f else b'q%02x' % c)
    tokens[1], tokens[2] = b'Tfo', b'tsym'
    syms = [(b'T', b'_text', TEXT), (b'T', b'foo', TEXT + 0x100),
            (b't', b'bar.isra.0', TEXT + 0x200), (b'D', b'init_task', TEXT + 0x8000),
            (b't', b'a' * 140, TEXT + 0x300)]
    syms += [(b't', b'sym%03d' % i, TEXT + 0x1000 + 16 * i) for i in range(len(syms), n)]
    img = bytearray(0x1000) + bytearray(1 << 16)

    def put(p, b):
        img[p:p + len(b)] = b
        return p + len(b)

    def offsets(p):
        for i, (_, _, a) in enumerate(syms):
            p = put(p, struct.pack('<I', a - TEXT))
        p = al8(p)
        return put(p, struct.pack('<Q', TEXT))

    def seqs(p):
        for i in range(n):
            p = put(p, bytes([0, i >> 8, i & 255]))
        return al8(p)

    p = 0x1000
    if layout != 2:
        p = offsets(p)
    p = put(p, struct.pack('<II', n, 0))
    names, marks = bytearray(), []
    for i, (t, nm, _) in enumerate(syms):
        if i % 256 == 0:
            marks.append(len(names))
        if nm == b'foo':
            idx = bytes([1, ord('o')])
        elif nm.startswith(b'sym'):
            idx = bytes([2]) + nm[3:]
        else:
            idx = t + nm
        names += (bytes([len(idx)]) if len(idx) < 128 else
                  bytes([0x80 | (len(idx) & 0x7f), len(idx) >> 7])) + idx
    p = al8(put(p, bytes(names)))
    p = al8(put(p, b''.join(struct.pack('<I', m) for m in marks)))
    if layout == 1:
        p = seqs(p)
    index, start = [], p
    for t in tokens:
        index.append(p - start)
        p = put(p, t + b'\0')
    p = al8(p)
    p = al8(put(p, b''.join(struct.pack('<H', i) for i in index)))
    if layout == 2:
        seqs(offsets(p))
    return bytes(img).rstrip(b'\0')


def btf_seed():
    with tempfile.TemporaryDirectory() as d:
        obj, out = os.path.join(d, 's.o'), os.path.join(d, 's.btf')
        subprocess.run(['gcc', '-g', '-c', '-o', obj,
                        os.path.join(HERE, 'seed-btf.c')], check=True)
        subprocess.run(['pahole', '-J', obj], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(['objcopy', '--dump-section', '.BTF=' + out, obj],
                       check=True)
        with open(out, 'rb') as f:
            return f.read()


def profiles():
    isf = {'metadata': {'format': '6.2.0', 'producer': {'name': 'seed'},
                        'windows': {'pdb': {'GUID': '0' * 32, 'age': 1,
                                            'database': 'ntkrnlmp.pdb'}}},
           'base_types': {'unsigned long long': {'kind': 'int', 'size': 8, 'signed': False,
                                                 'endian': 'little'}},
           'user_types': {'_EPROCESS': {'kind': 'struct', 'size': 0x900, 'fields': {
               'UniqueProcessId': {'offset': 0x440, 'type': {'kind': 'pointer', 'subtype': {'kind': 'base', 'name': 'void'}}},
               'Pcb': {'offset': 0, 'type': {'kind': 'struct', 'name': '_KPROCESS'}},
               'Flags': {'offset': 0x464, 'type': {'kind': 'bitfield', 'bit_position': 3, 'bit_length': 1,
                                                   'type': {'kind': 'base', 'name': 'unsigned long long'}}},
               '': {'offset': 0x10, 'anonymous': True, 'type': {'kind': 'union', 'name': 'u1'}}}},
               'u1': {'kind': 'union', 'size': 8, 'fields': {'DirectoryTableBase': {'offset': 0, 'type': {'kind': 'base', 'name': 'unsigned long long'}}}},
               '_KPROCESS': {'kind': 'struct', 'size': 0x400, 'fields': {}}},
           'enums': {}, 'symbols': {'PsActiveProcessHead': {'address': 0xc1d8f0}}}
    linux = {'metadata': {'format': '6.2.0', 'linux': {'symbols': [{'banner': 'Linux version 6.1.0-seed'}]}},
             'base_types': {}, 'enums': {},
             'user_types': {'task_struct': {'kind': 'struct', 'size': 9000, 'fields': {
                 'pid': {'offset': 0x5a0, 'type': {'kind': 'base', 'name': 'int'}}}}},
             'symbols': {'init_task': {'address': TEXT + 0x1a0c940}}}
    rekall = {'$METADATA': {'ProfileClass': 'Nt', 'Type': 'Profile', 'GUID_AGE': '1' * 32 + '1',
                            'PDBFile': 'ntkrnlmp.pdb'},
              '$CONSTANTS': {'PsActiveProcessHead': 0xc1d8f0},
              '$FUNCTIONS': {'NtOpenProcess': 0x7a0000},
              '$STRUCTS': {'_EPROCESS': [0x900, {'UniqueProcessId': [0x440, ['Pointer', {'target': 'Void'}]],
                                                 'Flags': [0x464, ['BitField', {'start_bit': 3, 'end_bit': 4,
                                                                                'target': 'unsigned long'}]]}]}}
    dump = lambda o: json.dumps(o, sort_keys=True).encode()
    return {'isf-windows.json': dump(isf), 'isf-linux.json': dump(linux),
            'rekall.json': dump(rekall),
            'isf-windows.json.xz': lzma.compress(dump(isf), preset=0)}


def pagewalk_seeds():
    """Tables at pa 0x1000..; map va 0xffffffff81000000 with 4K/2M/1G pages."""
    va = TEXT + 0x1234
    i4, i3, i2, i1 = ((va >> s) & 0x1ff for s in (39, 30, 21, 12))
    out = {}
    for kind in ('4k', '2m', '1g'):
        mem = bytearray(0x6000)
        struct.pack_into('<Q', mem, 0x1000 + 8 * i4, 0x2000 | 3)
        if kind == '1g':
            struct.pack_into('<Q', mem, 0x2000 + 8 * i3, 0x0 | 0x83)
        else:
            struct.pack_into('<Q', mem, 0x2000 + 8 * i3, 0x3000 | 3)
            if kind == '2m':
                struct.pack_into('<Q', mem, 0x3000 + 8 * i2, 0x0 | 0x83)
            else:
                struct.pack_into('<Q', mem, 0x3000 + 8 * i2, 0x4000 | 3)
                struct.pack_into('<Q', mem, 0x4000 + 8 * i1, 0x5000 | 3)
        mem[0x5234:0x5240] = b'hello, guest'
        hdr = struct.pack('<QQBB', 0x1000, va, 2, 16)
        out['seed-' + kind] = hdr + bytes(mem)
    return out


def elfcore_seed():
    """ELF64 core: one PT_NOTE with a QEMU CPU-state note, one PT_LOAD."""
    qcs = bytearray(440)
    struct.pack_into('<II', qcs, 0, 1, 440)
    struct.pack_into('<Q', qcs, 416, 0x1000)          # cr3
    note = struct.pack('<III', 5, len(qcs), 0) + b'QEMU\0\0\0\0' + bytes(qcs)
    mem = bytes(0x2000)
    phoff, nph = 64, 2
    note_off = phoff + 56 * nph
    load_off = note_off + len(note)
    eh = (b'\x7fELF\x02\x01\x01' + bytes(9) +
          struct.pack('<HHIQQQIHHHHHH', 4, 62, 1, 0, phoff, 0, 0, 64, 56, nph, 0, 0, 0))
    ph = struct.pack('<IIQQQQQQ', 4, 0, note_off, 0, 0, len(note), len(note), 0)
    ph += struct.pack('<IIQQQQQQ', 1, 0, load_off, 0, 0, len(mem), len(mem), 0)
    return eh + ph + note + mem


def tasks_seed():
    """The hand-made heap of tests/os/test_tasks.c, in fuzz_tasks' format."""
    offs = [0x10, 0x20, 0x24, 0x28, 0x30, 0x40, 0x48, 0x50, 0x58, 0, 0, 0x8,
            0x10, 0, 8, 0, 8, 4, 8, 0, 8, 0x20, 0, 4, 0x14]
    base = 0xffff888000000000
    heap = bytearray(0x8000)

    def q(off, v):
        struct.pack_into('<Q', heap, off, v)

    def d(off, v):
        struct.pack_into('<I', heap, off, v)

    def task(t, pid, comm, nxt, flags, mm):
        q(t + 0x10, base + nxt + 0x10)
        d(t + 0x20, pid)
        d(t + 0x24, pid)
        q(t + 0x28, base + 0x1000)
        heap[t + 0x30:t + 0x30 + len(comm)] = comm
        q(t + 0x40, base + mm if mm else 0)
        d(t + 0x48, flags)
        q(t + 0x50, base + 0x4200)

    def dentry(off, parent, name, slot):
        q(off, base + parent)
        d(off + 12, len(name))
        q(off + 16, base + 0x7000 + 0x40 * slot)
        heap[0x7000 + 0x40 * slot:0x7000 + 0x40 * slot + len(name)] = name

    task(0x1000, 0, b'swapper/0', 0x2000, 0x00200000, 0)
    task(0x2000, 1, b'init', 0x3000, 0, 0x4000)
    task(0x3000, 2, b'kthreadd', 0x1000, 0x00200000, 0)
    d(0x4200 + 4, 1000)
    d(0x4200 + 0x14, 0)
    q(0x4000 + 8, base + 0x4100)          # mm->exe_file
    q(0x4100 + 0x10, base + 0x5100 + 0x20)  # f_path.mnt -> mount X's vfsmount
    q(0x4100 + 0x18, base + 0x6400)       # f_path.dentry
    q(0x5000, base + 0x5000)              # root mount is its own parent
    q(0x5000 + 0x20, base + 0x6000)
    q(0x5100, base + 0x5000)
    q(0x5100 + 8, base + 0x6200)          # mountpoint dentry /mnt/x
    q(0x5100 + 0x20, base + 0x6300)
    dentry(0x6000, 0x6000, b'/', 0)
    dentry(0x6100, 0x6000, b'mnt', 1)
    dentry(0x6200, 0x6100, b'x', 2)
    dentry(0x6300, 0x6300, b'/', 3)
    dentry(0x6400, 0x6300, b'prog', 4)
    hdr = bytes(o // 4 for o in offs) + bytes([0]) + struct.pack('<H', 0x1000)
    return hdr + bytes(heap)


WBASE = 0xffffa00000000000


def utf16(s):
    return s.encode('utf-16-le')


def unicode_seed():
    """cap 256, descriptor at 0: Length, MaximumLength, Buffer -> text."""
    text = utf16('h\u00e9llo \U0001f600 \\Device\\x') + b'\x00\xd8!\x00'
    heap = struct.pack('<HHIQ', len(text), len(text) + 2, 0, WBASE + 0x10) + text
    return struct.pack('<HB', 256, 0) + heap


def eprocess_seed(thread=False):
    """System (PID 4) and notepad.exe on the ring, a level-0 handle table;
    with @thread, handle 8 is a thread (type index 8, TID 5678 at the
    fixed _ETHREAD.Cid 0x478 + 8) and both type indexes are known."""
    offs = [0x10, 0x18, 0x30, 0x40, 0x48, 0x50, 0x58, 0x60, 0x68, 0, 0, 0,
            8, 8, 0x18, 0x30, 0, 0x28]
    heap = bytearray(0x3000)

    def q(off, v):
        struct.pack_into('<Q', heap, off, v)

    def proc(at, pid, name, nxt, ppid):
        q(at + 0x10, pid)
        q(at + 0x18, WBASE + nxt)
        heap[at + 0x30:at + 0x30 + len(name)] = name
        q(at + 0x40, ppid)

    q(0x80, WBASE + 0x100 + 0x18)
    proc(0x100, 4, b'System', 0x1000 + 0x18, 0)
    proc(0x1000, 1234, b'notepad.exe', 0x80, 4)
    q(0x100 + 0x50, WBASE + 0x2000)
    q(0x1000 + 0x60, WBASE + 0x1800)
    path = utf16('\\Device\\HarddiskVolume1\\notepad.exe')
    struct.pack_into('<HHIQ', heap, 0x1800, len(path), len(path), 0, WBASE + 0x1810)
    heap[0x1810:0x1810 + len(path)] = path
    q(0x2008, WBASE + 0x2100)
    bits = ((WBASE + 0xfd0) & 0x0000ffffffffffff) >> 4
    q(0x2100 + 16, bits << 20)
    flags, handle = 1 | 2 | 4, 4
    if thread:
        q(0x2100 + 2 * 16, (((WBASE + 0x2200) & 0x0000ffffffffffff) >> 4) << 20)
        heap[0x2200 + 0x18] = 8
        q(0x2200 + 0x30 + 0x478 + 8, 5678)
        flags, handle = flags | 16 | 64, 8
    hdr = bytes(o // 8 for o in offs) + bytes([16, flags, 0])
    hdr += struct.pack('<HHI', 0x100, 0x80, handle)
    return hdr + bytes(heap)


def rsp_seeds():
    """Frames a stub sends: acks, stop replies, qSupported, RLE, escapes."""
    def frame(payload, lead=b'$'):
        return lead + payload + b'#%02x' % (sum(payload) & 0xff)
    stream = (b'+' + frame(b'T05thread:p1.2;swbreak:;') + b'+' +
              frame(b'PacketSize=4000;qXfer:features:read+;multiprocess+') +
              frame(b'O48656c6c6f0a') + frame(b'0* ') + frame(b'a}]b') +
              frame(b'Stop:T0506:0000000000000000;', b'%') + frame(b'W00') +
              frame(b'OK') + b'-' + frame(b'E01'))
    return {'seed-stream': b'\x10' + stream,
            'seed-regs': b'\xff' + frame(b'0123456789abcdef' * 34)}


def exec_args_seeds():
    """linux_binprm and the exec strings area (fuzz_exec_args.c): offsets
    p 24, argc 88, envc 92 as BTF gives them on the kit's 6.1 and 5.10
    kernels; the area crosses a page boundary and ends, as on a real
    stack, with the file name and zero padding."""
    base = 0xffffc90000000000

    def image(argv, envp, flags=0, at=0x1f80, pages=3):
        mem = bytearray(pages * 4096)
        area = b''.join(a + b'\0' for a in argv + envp) + b'/bin/sh\0'
        mem[at:at + len(area)] = area
        bprm = 0x40
        mem[bprm + 24:bprm + 32] = struct.pack('<Q', base + at)
        mem[bprm + 88:bprm + 96] = struct.pack('<ii', len(argv), len(envp))
        return bytes([24 // 4, 88 // 4, 92 // 4, flags]) + \
            struct.pack('<H', bprm) + bytes(mem)
    argv = [b'/bin/sh', b'-c', b'echo "a b"; exec /bin/true \xc3\xa9']
    envp = [b'HOME=/', b'TERM=linux', b'PATH=/sbin:/usr/sbin:/bin:/usr/bin',
            b'PWD=/', b'LD_PRELOAD=/lib/x.so', b'noequals', b'=empty', b'A=1',
            b'B=', b'OLDPWD=/tmp']
    many = [b'%d' % i for i in range(1100)]
    return {'seed-busybox': image(argv, envp),
            'seed-filter': image(argv, envp, flags=1),
            'seed-no-bprm': image(argv, envp, flags=2),
            'seed-empty': image([], []),
            'seed-many-args': image(many, envp, at=0x100, pages=3),
            'seed-long-arg': image([b'x', b'y' * (33 << 10)], envp, at=0x100,
                                   pages=10),
            'seed-cut': image(argv, envp, at=0x2fe0, pages=3)[:-1]}


def tdesc_seeds():
    """Target descriptions: the shape of tests/gdb/test_tdesc.c. The
    committed seed-qemu10-x86_64 is what QEMU 10.0.2's stub served
    (qXfer:features:read of target.xml and i386-64bit.xml), not written
    here."""
    core = (b'<feature name="core">\n' +
            b''.join(b'  <reg name="r%d" bitsize="64" type="int64"/>\n' % i
                     for i in range(4)) +
            b'  <reg name="eflags" bitsize="32" type="i386_eflags"/>\n'
            b'  <reg name="st0" bitsize="80" type="i387_ext"/>\n</feature>\n')
    top = (b'<?xml version="1.0"?>\n<!DOCTYPE target SYSTEM "gdb-target.dtd">\n'
           b'<target><xi:include href="core.xml"/>\n'
           b'<!-- <reg name="commented" bitsize="64"/> -->\n'
           b"<feature name='sys'><reg name='cr3' bitsize='64' regnum='7'/>"
           b'<reg name="cr4" bitsize="64"/></feature></target>\n')
    return {'seed-include': top + b'\0core.xml\n' + core,
            'seed-loop': b'<xi:include href="a.xml"/>\0a.xml\n'
                         b'<xi:include href="a.xml"/>'}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, 'corpus')
    seeds = {'kallsyms': {}, 'btf': {'seed-linux.btf': btf_seed()},
             'profile': {'seed-' + k: v for k, v in profiles().items()},
             'pagewalk': pagewalk_seeds(),
             'elfcore': {'seed-core': elfcore_seed()},
             'tasks': {'seed-heap': tasks_seed()},
             'unicode': {'seed-ustr': unicode_seed()},
             'eprocess': {'seed-ring': eprocess_seed(),
                          'seed-thread-handle': eprocess_seed(True)},
             'rsp': rsp_seeds(),
             'exec-args': exec_args_seeds(),
             'tdesc': tdesc_seeds()}
    for layout in range(3):
        img = kallsyms_image(layout)
        seeds['kallsyms']['seed-layout%d-parse' % layout] = b'\0' + img
        seeds['kallsyms']['seed-layout%d-load' % layout] = b'\1' + img
    for target, files in seeds.items():
        os.makedirs(os.path.join(out, target), exist_ok=True)
        for name, data in files.items():
            with open(os.path.join(out, target, name), 'wb') as f:
                f.write(data)


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Extract the ELF vmlinux from an x86 bzImage (a Debian vmlinuz).

extract-vmlinux.py VMLINUZ OUT

Written for the tests from the x86 boot protocol, not from vmiscope: the
setup header gives setup_sects (0x1f1: the protected-mode part starts at
(setup_sects + 1) * 512, 4 sectors when 0) and, since protocol 2.08,
payload_offset and payload_length (0x248, 0x24c), which locate the
compressed vmlinux inside the protected-mode part. The compressor is
recognised by magic: xz (Debian 5.10 and 6.1; Python's lzma), zstd
(Debian 6.12; the `zstd` program, as Python has no zstd module), gzip.
The last 4 bytes of the payload are the uncompressed size, which the
kernel's build appends and which the decompressors must not see.
The result must be an ELF file; its .BTF section is what `bpftool btf dump
file OUT` reads.
"""
import gzip
import lzma
import struct
import subprocess
import sys


def payload(image):
    if image[0x202:0x206] != b'HdrS':
        raise ValueError('not a bzImage: no HdrS setup header')
    version = struct.unpack_from('<H', image, 0x206)[0]
    if version < 0x208:
        raise ValueError('boot protocol %#x has no payload fields' % version)
    setup_sects = image[0x1f1] or 4
    pm = (setup_sects + 1) * 512
    off, length = struct.unpack_from('<II', image, 0x248)
    if length < 8 or pm + off + length > len(image):
        raise ValueError('payload %#x+%#x outside the file' % (off, length))
    return image[pm + off:pm + off + length]


def decompress(data):
    body = data[:-4]  # the appended uncompressed size
    size = struct.unpack('<I', data[-4:])[0]
    if body.startswith(b'\xfd7zXZ\x00'):
        out = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(body)
    elif body.startswith(b'\x28\xb5\x2f\xfd'):
        out = subprocess.run(['zstd', '-d', '-c', '-q'], input=body,
                             stdout=subprocess.PIPE, check=True).stdout
    elif body.startswith(b'\x1f\x8b'):
        out = gzip.decompress(body)
    else:
        raise ValueError('unknown compression, magic %s' % body[:6].hex())
    if len(out) != size:
        raise ValueError('decompressed %d bytes, header says %d'
                         % (len(out), size))
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().split('\n')[2], file=sys.stderr)
        return 2
    with open(sys.argv[1], 'rb') as fh:
        image = fh.read()
    elf = decompress(payload(image))
    if not elf.startswith(b'\x7fELF'):
        raise ValueError('the payload is not an ELF file')
    with open(sys.argv[2], 'wb') as fh:
        fh.write(elf)
    return 0


if __name__ == '__main__':
    sys.exit(main())

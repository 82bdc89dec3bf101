#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate src/plugins/procmon/ntstatus_table.c from an ntstatus.h.

Usage: gen-ntstatus.py NTSTATUS_H [OUT.c]

Reads every `#define NAME ((NTSTATUS)0xVALUE)` line of the header (the
STATUS_*, DBG_*, RPC_NT_* and EPT_NT_* codes) and writes a C table sorted by
code, for a binary search by the low 32 bits of a status. When a code has
several names the first one defined in the header wins (STATUS_SUCCESS
before STATUS_WAIT_0), like a switch that keeps its first case.

The committed table was made from the header of Debian's mingw-w64-common
package (public domain):
    apt-get download mingw-w64-common
    dpkg-deb -x mingw-w64-common_*.deb /tmp/mingw
    scripts/gen-ntstatus.py /tmp/mingw/usr/share/mingw-w64/include/ntstatus.h \
        src/plugins/procmon/ntstatus_table.c
The build does not run this script: the output is committed.
"""
import hashlib
import os
import re
import sys

DEFINE = re.compile(
    r'^\s*#\s*define\s+([A-Z][A-Z0-9_]*)\s+\(\s*\(\s*NTSTATUS\s*\)\s*'
    r'(0[xX][0-9A-Fa-f]{1,8})[uUlL]*\s*\)')


def parse(path):
    """Return [(code, name)] sorted by code, first definition of a code wins."""
    names = {}
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            m = DEFINE.match(line)
            if not m:
                continue
            code = int(m.group(2), 16)
            names.setdefault(code, m.group(1))
    return sorted(names.items())


def render(path, table):
    with open(path, 'rb') as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    out = [
        '// SPDX-License-Identifier: GPL-2.0-or-later',
        '/*',
        ' * ntstatus_table.c - NTSTATUS code -> name, sorted by code, for',
        ' * vs_win_ntstatus_name() (windows_names.c). GENERATED, do not edit:',
        ' *   scripts/gen-ntstatus.py <ntstatus.h> src/plugins/procmon/ntstatus_table.c',
        ' * from %s of Debian\'s mingw-w64-common' % os.path.basename(path),
        ' * package (public domain; `apt-get download mingw-w64-common`,',
        ' * `dpkg-deb -x`), sha256 %s.' % digest,
        ' * %d codes; a code with several names keeps the first one defined.'
        % len(table),
        ' */',
        '#include "windows_names.h"',
        '',
        'const struct vs_ntstatus_entry vs_ntstatus_table[] = {',
    ]
    for code, name in table:
        out.append('\t{ 0x%08X, "%s" },' % (code, name))
    out += ['};', '',
            'const size_t vs_ntstatus_table_len =',
            '\tsizeof(vs_ntstatus_table) / sizeof(vs_ntstatus_table[0]);', '']
    return '\n'.join(out)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    table = parse(sys.argv[1])
    if len(table) < 1000:
        sys.exit('%s: only %d NTSTATUS definitions, not an ntstatus.h?'
                 % (sys.argv[1], len(table)))
    text = render(sys.argv[1], table)
    if len(sys.argv) == 3:
        with open(sys.argv[2], 'w', encoding='utf-8') as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == '__main__':
    main()

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
# embed.py - turn a text file into a C header holding it as one string:
#   embed.py INPUT OUTPUT NAME   ->   static const char NAME[] = "...";
# Used at build time for the report page template (src/report/page.html),
# so the page can be edited as HTML and still ship inside the binary.
import sys


def c_literal(data):
    out, line = [], []
    for b in data:
        if b == 0x0A:
            line.append('\\n')
            out.append('"' + ''.join(line) + '"')
            line = []
        elif b in (0x22, 0x5C):
            line.append('\\' + chr(b))
        elif 0x20 <= b < 0x7F and b != 0x3F:   # '?' avoids trigraphs
            line.append(chr(b))
        else:
            line.append('\\%03o' % b)
    if line:
        out.append('"' + ''.join(line) + '"')
    return '\n\t'.join(out) if out else '""'


def main():
    src, dst, name = sys.argv[1:4]
    with open(src, 'rb') as fh:
        data = fh.read()
    with open(dst, 'w') as fh:
        fh.write('/* Generated from %s by embed.py: do not edit. */\n'
                 % src.rsplit('/', 1)[-1])
        fh.write('static const char %s[] =\n\t%s;\n' % (name, c_literal(data)))


if __name__ == '__main__':
    main()

# SPDX-License-Identifier: GPL-2.0-or-later
# aptsources.py - find the Debian main archive in the machine's apt sources.
#
# scripts/setup (to enable <codename>-backports) and guest/fetch-kernel (to
# give the guest kit its own apt configuration) both need the URI, codename
# and Signed-By of the Debian main archive the machine already uses. This
# module reads apt's source files in both formats -- one-line
# (sources.list, sources.list.d/*.list) and deb822 (sources.list.d/*.sources)
# -- and picks that entry, so no mirror host name is ever written into the
# project. Python 3 standard library only.
#
# Command line (used by the shell scripts):
#   aptsources.py main-archive [--etc DIR]      URI<TAB>CODENAME<TAB>SIGNED_BY
#   aptsources.py has-backports [--etc DIR]     exit 0 if <codename>-backports is listed
#   aptsources.py backports-source [--etc DIR]  the deb822 stanza setup would write
import argparse
import os
import re
import sys

# apt itself ignores files in sources.list.d whose names contain other bytes.
_VALID_NAME = re.compile(r'^[A-Za-z0-9_.\-]+$')
_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg'


class SourceEntry:
    """One (type, URI, suite) source with its components and options."""

    def __init__(self, typ, uri, suite, components, signed_by, origin):
        self.type = typ
        self.uri = uri
        self.suite = suite
        self.components = components
        self.signed_by = signed_by   # '' when the source names none
        self.origin = origin         # "file:line" for messages

    def __repr__(self):
        return 'SourceEntry(%s %s %s %s signed_by=%r from %s)' % (
            self.type, self.uri, self.suite, ' '.join(self.components),
            self.signed_by, self.origin)


def parse_one_line(text, origin='sources.list'):
    """Entries of a one-line-format file: `deb [opts] URI SUITE COMP...`."""
    entries = []
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.split('#', 1)[0].strip()
        if not line:
            continue
        opts = {}
        m = re.match(r'^(\S+)\s+\[([^\]]*)\]\s+(.*)$', line)
        if m:
            typ, optstr, rest = m.group(1), m.group(2), m.group(3)
            for opt in optstr.split():
                if '=' in opt:
                    key, val = opt.split('=', 1)
                    opts[key.lower().rstrip('+-')] = val
        else:
            parts = line.split(None, 1)
            if len(parts) < 2:
                continue
            typ, rest = parts
        words = rest.split()
        if typ not in ('deb', 'deb-src') or len(words) < 2:
            continue
        if opts.get('enabled', 'yes').lower() == 'no':
            continue
        entries.append(SourceEntry(typ, words[0], words[1], words[2:],
                                   opts.get('signed-by', ''),
                                   '%s:%d' % (origin, lineno)))
    return entries


def _deb822_stanzas(text):
    """Yield (first line number, {field: value}) per stanza; comments dropped,
    continuation lines kept (an inline Signed-By key spans several lines)."""
    fields, first, last = {}, 0, None
    for lineno, raw in enumerate(text.splitlines(), 1):
        if raw.startswith('#'):
            continue
        if not raw.strip():
            if fields:
                yield first, fields
            fields, last = {}, None
            continue
        if raw[0] in ' \t':
            if last is not None:
                fields[last] += '\n' + raw
            continue
        if ':' not in raw:
            continue
        key, val = raw.split(':', 1)
        if not fields:
            first = lineno
        last = key.strip().lower()
        fields[last] = val.strip()
    if fields:
        yield first, fields


def parse_deb822(text, origin='debian.sources'):
    """Entries of a deb822 `.sources` file (one per type x URI x suite)."""
    entries = []
    for lineno, f in _deb822_stanzas(text):
        if f.get('enabled', 'yes').strip().lower() == 'no':
            continue
        signed_by = f.get('signed-by', '')
        for typ in f.get('types', '').split():
            if typ not in ('deb', 'deb-src'):
                continue
            for uri in f.get('uris', '').split():
                for suite in f.get('suites', '').split():
                    entries.append(SourceEntry(
                        typ, uri, suite, f.get('components', '').split(),
                        signed_by, '%s:%d' % (origin, lineno)))
    return entries


def read_sources(etc='/etc/apt'):
    """Every entry apt would read from ETC (sources.list + sources.list.d)."""
    entries = []
    main = os.path.join(etc, 'sources.list')
    if os.path.isfile(main):
        with open(main, encoding='utf-8', errors='replace') as fh:
            entries += parse_one_line(fh.read(), main)
    parts = os.path.join(etc, 'sources.list.d')
    names = sorted(os.listdir(parts)) if os.path.isdir(parts) else []
    for name in names:
        path = os.path.join(parts, name)
        if not _VALID_NAME.match(name) or not os.path.isfile(path):
            continue
        if name.endswith('.list'):
            parse = parse_one_line
        elif name.endswith('.sources'):
            parse = parse_deb822
        else:
            continue
        with open(path, encoding='utf-8', errors='replace') as fh:
            entries += parse(fh.read(), path)
    return entries


def _score(entry):
    """How sure we are that ENTRY is Debian's own archive (higher = surer)."""
    path = entry.uri.rstrip('/')
    score = 0
    if path.endswith('/debian'):
        score += 2
    if 'debian-archive-keyring' in entry.signed_by:
        score += 1
    return score


def main_archive(entries):
    """The Debian main archive entry: a `deb` source whose suite is a bare
    codename (no `-security`, `-updates`, `-backports`, no flat `./`) with
    component `main`. Ties go to the entry apt reads first."""
    best = None
    for e in entries:
        if e.type != 'deb' or '-' in e.suite or '/' in e.suite:
            continue
        if 'main' not in e.components:
            continue
        if best is None or _score(e) > _score(best):
            best = e
    return best


def has_backports(entries, codename):
    return any(e.type == 'deb' and e.suite == codename + '-backports'
               for e in entries)


def backports_stanza(entry):
    """The deb822 text setup writes to enable ENTRY's backports suite."""
    lines = ['Types: deb', 'URIs: ' + entry.uri,
             'Suites: %s-backports' % entry.suite, 'Components: main']
    if entry.signed_by:
        # An inline key starts on the next line: no space after the colon.
        sep = '' if entry.signed_by.startswith('\n') else ' '
        lines.append('Signed-By:' + sep + entry.signed_by)
    return '\n'.join(lines) + '\n'


def _cli(argv):
    ap = argparse.ArgumentParser(prog='aptsources.py')
    ap.add_argument('command', choices=['main-archive', 'has-backports',
                                        'backports-source', 'list'])
    ap.add_argument('--etc', default='/etc/apt',
                    help='apt configuration directory (default /etc/apt)')
    args = ap.parse_args(argv)
    entries = read_sources(args.etc)
    if args.command == 'list':
        for e in entries:
            print(e)
        return 0
    main = main_archive(entries)
    if main is None:
        print('aptsources: no Debian main archive entry (deb URI CODENAME '
              'main) in %s/sources.list{,.d}' % args.etc, file=sys.stderr)
        return 1
    if args.command == 'main-archive':
        signed = main.signed_by if '\n' not in main.signed_by else ''
        if not signed and os.path.isfile(_KEYRING):
            signed = _KEYRING
        print('%s\t%s\t%s' % (main.uri, main.suite, signed))
        return 0
    if args.command == 'has-backports':
        return 0 if has_backports(entries, main.suite) else 1
    sys.stdout.write(backports_stanza(main))
    return 0


if __name__ == '__main__':
    sys.exit(_cli(sys.argv[1:]))

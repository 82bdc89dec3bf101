#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""selftest_check_guest_reads.py - scripts/check-guest-reads must catch
what it is for: a planted raw read above the backend and a planted abort()
in plugin code are reported (and nothing else: the same words inside a
comment or a string, a raw read inside src/backend/ and an exit() in
src/cli/ are not). Usage: selftest_check_guest_reads.py SCRIPT
"""
import os
import subprocess
import sys
import tempfile

FILES = {
    'src/os/bad_read.c': 'int f(void) { return vs_backend_read_va(be, 0, 0, va, b, 8); }\n',
    'src/plugins/bad_exit.c': 'void g(void) {\n\tif (x)\n\t\tabort();\n}\n',
    'src/os/bad_op.c': 'int h(void) { return be->ops->read_pa(be, 0, b, 1); }\n',
    'src/os/quiet.c': '/* vs_backend_read_va( abort( */\n'
                      'const char *s = "exit(1) ->read_va(";\n'
                      '// g_error(\n',
    'src/backend/ok.c': 'int k(void) { return vs_backend_read_pa(be, 0, b, 1); }\n',
    'src/cli/ok.c': 'void m(void) { exit(2); }\n',
}


def run(script, root):
    r = subprocess.run([sys.executable, script, '--root', root],
                       stdout=subprocess.PIPE, text=True)
    return r.returncode, r.stdout


def main():
    script = sys.argv[1]
    failures = 0
    with tempfile.TemporaryDirectory() as root:
        for rel, text in FILES.items():
            os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
            with open(os.path.join(root, rel), 'w') as fh:
                fh.write(text)
        rc, out = run(script, root)
        want = ['src/os/bad_read.c:1: raw guest read vs_backend_read_va',
                'src/plugins/bad_exit.c:3: abort()',
                'src/os/bad_op.c:1: raw guest read read_pa']
        for w in want:
            if w not in out:
                print('not reported: ' + w)
                failures += 1
        if rc != 1 or '6 files scanned, 3 violations' not in out:
            print('expected exit 1 and 3 violations, got %d:\n%s' % (rc, out))
            failures += 1
        for rel in ('src/os/bad_read.c', 'src/plugins/bad_exit.c',
                    'src/os/bad_op.c'):
            os.unlink(os.path.join(root, rel))
        rc, out = run(script, root)
        if rc != 0 or '0 violations' not in out:
            print('clean tree not accepted (%d):\n%s' % (rc, out))
            failures += 1
    print('selftest: %d failures' % failures)
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())

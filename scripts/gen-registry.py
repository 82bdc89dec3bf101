#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Fill a registry template: gen-registry.py IN OUT SYMBOL_FMT TYPE NAME...

Writes OUT from IN with @DECLS@ replaced by one extern declaration per NAME
(SYMBOL_FMT with @0@ = NAME, e.g. vs_@0@_backend_ops) and @LIST@ by the
addresses of those symbols, in the order given.
"""
import sys


def main():
    src, dst, symfmt, ctype = sys.argv[1:5]
    names = sys.argv[5:]
    syms = [symfmt.replace("@0@", n.replace("-", "_")) for n in names]
    decls = "\n".join(f"extern const {ctype} {s};" for s in syms)
    lst = "\n\t".join(f"&{s}," for s in syms)
    with open(src, encoding="utf-8") as f:
        text = f.read()
    text = text.replace("@DECLS@", decls).replace("@LIST@", lst)
    with open(dst, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()

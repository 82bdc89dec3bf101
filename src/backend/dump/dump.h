/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dump.h - open a QEMU dump-guest-memory ELF core as a backend.
 *
 * The backend ops table (vs_dump_backend_ops) has no constructor, so the
 * code that knows it wants a dump (the CLI's pslist, tests) calls this.
 * The file is mapped read-only; registers and physical memory come from
 * elfcore.c, virtual reads from the page walker through any CR3
 * (VS_CAP_PHYS | VS_CAP_ANY_DTB; no hooks, no clock movement).
 */
#ifndef VS_BACKEND_DUMP_DUMP_H
#define VS_BACKEND_DUMP_DUMP_H

#include "backend/backend.h"

/**
 * vs_dump_open() - map @path and parse it.
 * Returns 0 and *@out, or -errno (open/mmap), -EPROTO (not a QEMU ELF core).
 */
int vs_dump_open(const char *path, struct vs_backend **out);

extern const struct vs_backend_ops vs_dump_backend_ops;

#endif /* VS_BACKEND_DUMP_DUMP_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * debughook.h - the plugin's test aid: debug_hook=ADDR arguments hook ADDR
 * through the backend's own ops and log each hit at info level as
 *   vmiscope: debug_hook vcpu=N addr=0x... rdi=0x... rsi=0x... str="..."
 * where str is the NUL-terminated text at rsi (at most 32 bytes, read with
 * read_va, escaped). tests/integration/test_qemu_backend.py checks these
 * lines against what the guest program says it passed.
 */
#ifndef VS_BACKEND_QEMU_DEBUGHOOK_H
#define VS_BACKEND_QEMU_DEBUGHOOK_H

#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"

#define VS_QEMU_DEBUG_STR 32

/* After this many debug hits, the late hook is added (from the hit). */
#define VS_QEMU_DEBUG_LATE_AFTER 10

/**
 * vs_qemu_debug_hooks_add() - hook each of @addrs with the logging handler;
 * @late (0: none) is hooked from inside the VS_QEMU_DEBUG_LATE_AFTER-th hit.
 * Returns 0 or the first hook_add/reg_id error.
 */
int vs_qemu_debug_hooks_add(struct vs_backend *be, const uint64_t *addrs,
			    size_t n, uint64_t late);

/**
 * vs_qemu_escape() - @len bytes of @s as printable ASCII for a log line:
 * '\\' and '"' get a backslash, other bytes outside 0x20..0x7e become \xNN.
 * Writes at most @outlen - 1 characters and a NUL (never a partial escape).
 * Returns the length written.
 */
size_t vs_qemu_escape(const uint8_t *s, size_t len, char *out, size_t outlen);

#endif /* VS_BACKEND_QEMU_DEBUGHOOK_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86_callsites.h - find the return sites of direct calls in x86-64 code.
 *
 * procmon prints some Linux events when the hooked function returns. Under
 * QEMU TCG a hook added after its code was translated costs a flush of the
 * whole translation cache, so return sites are found once, before the
 * kernel runs them: every `call rel32` (opcode E8) whose target is a hooked
 * function returns to the instruction right after it. This is a byte scan,
 * not a disassembler: an E8 byte inside another instruction can look like a
 * call, but it must then also point exactly at a hooked function, which is
 * rare, and a spurious return site only costs a hook that never matches.
 * Pure code over a buffer; unit-tested in tests/procmon/.
 */
#ifndef VS_PLUGINS_PROCMON_X86_CALLSITES_H
#define VS_PLUGINS_PROCMON_X86_CALLSITES_H

#include <stddef.h>
#include <stdint.h>

/* One site: @ret is the address after the call, @target_index the index
 * in the targets array of the called function. */
typedef void (*vs_callsite_fn)(uint64_t ret, size_t target_index,
			       void *opaque);

/**
 * vs_x86_callsites() - scan @code (@len bytes, at virtual address @base).
 * @targets: sorted or not, @ntargets entries (a linear search: a handful).
 * Calls @fn for every E8 rel32 whose 5 bytes lie inside the buffer and
 * whose target is in @targets. Returns the number of sites found.
 */
size_t vs_x86_callsites(const uint8_t *code, size_t len, uint64_t base,
			const uint64_t *targets, size_t ntargets,
			vs_callsite_fn fn, void *opaque);

#endif /* VS_PLUGINS_PROCMON_X86_CALLSITES_H */

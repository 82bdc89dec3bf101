// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * x86_callsites.c - byte scan for `call rel32` to known targets (see
 * x86_callsites.h). The displacement is relative to the end of the 5-byte
 * instruction, which is also the return address.
 */
#include "x86_callsites.h"

#include <string.h>

size_t vs_x86_callsites(const uint8_t *code, size_t len, uint64_t base,
			const uint64_t *targets, size_t ntargets,
			vs_callsite_fn fn, void *opaque)
{
	size_t found = 0;

	if (!code || len < 5 || !targets || !ntargets)
		return 0;
	for (size_t i = 0; i + 5 <= len; i++) {
		int32_t rel;
		uint64_t ret, dst;

		if (code[i] != 0xE8)
			continue;
		memcpy(&rel, code + i + 1, 4);
		ret = base + i + 5;
		dst = ret + (uint64_t)(int64_t)rel;
		for (size_t t = 0; t < ntargets; t++) {
			if (dst != targets[t])
				continue;
			found++;
			if (fn)
				fn(ret, t, opaque);
			break;
		}
	}
	return found;
}

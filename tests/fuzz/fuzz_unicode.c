// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_unicode.c - Windows UNICODE_STRINGs: the UTF-16LE to UTF-8
 * conversion and vs_win_ustr() reading a descriptor and its buffer from
 * a fuzzer-made kernel heap.
 *
 * Input: u16 output capacity, u8 descriptor offset, then the heap (at
 * 0xffffa00000000000; the descriptor is Length @0, MaximumLength @2,
 * Buffer @8, as on x64). Invariants: the output is NUL-terminated at the
 * length reported, shorter than the capacity, and valid UTF-8 (a U+0000
 * unit stays a NUL byte inside the length).
 */
#include <string.h>

#include <glib.h>

#include "fuzz.h"
#include "os/windows/windows.h"

#define BASE 0xffffa00000000000ull
#define HDR 3

/* Valid UTF-8 between NULs: U+0000 in the guest string is kept as a NUL
 * byte (strings carry their length; the output layer escapes it). */
static void check(const char *out, size_t n, size_t cap)
{
	FUZZ_CHECK(n < cap);
	FUZZ_CHECK(out[n] == '\0');
	for (size_t i = 0; i < n;) {
		size_t seg = strnlen(out + i, n - i);

		FUZZ_CHECK(g_utf8_validate(out + i, (gssize)seg, NULL));
		i += seg + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vs_win_offsets o;
	struct vs_gmem m;
	bool trunc = false;
	uint16_t cap;
	size_t n;
	char *out;

	if (size < HDR)
		return 0;
	memcpy(&cap, data, 2);
	cap = (uint16_t)(cap % 8192 + 1);
	out = g_malloc(cap);
	n = vs_win_utf16_to_utf8(data + HDR, (size - HDR) / 2, out, cap, &trunc);
	check(out, n, cap);

	memset(&o, 0, sizeof(o));
	o.m[VS_WINO_USTR_LENGTH].offset = 0;
	o.m[VS_WINO_USTR_MAXLENGTH].offset = 2;
	o.m[VS_WINO_USTR_BUFFER].offset = 8;
	o.found[VS_WINO_USTR_LENGTH] = o.found[VS_WINO_USTR_BUFFER] = true;
	vs_gmem_from_buffer(&m, BASE, data + HDR, size - HDR);
	if (vs_win_ustr(&m, &o, BASE + data[2], out, cap, &n, &trunc) == 0)
		check(out, n, cap);
	g_free(out);
	return 0;
}

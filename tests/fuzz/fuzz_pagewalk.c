// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_pagewalk.c - the x86-64 page walker over fuzzer-made page tables.
 *
 * Input: u64 cr3, u64 va, u8 flags (VS_PW_LA57, VS_PW_PTI), u8 read
 * length, then guest-physical memory from address 0 (the same bytes also
 * appear at 4 GiB, so tables may point high). Invariants: a translated
 * address reads back the same byte through vs_pagewalk_read(), and the
 * page size is 4 KiB, 2 MiB or 1 GiB with the offset inside the page.
 */
#include <errno.h>
#include <string.h>

#include "backend/pagewalk.h"
#include "fuzz.h"

#define HDR 18
#define HIGH (4ull << 30)

struct phys {
	const uint8_t *mem;
	size_t len;
};

static int rd(void *opaque, uint64_t pa, void *buf, size_t len)
{
	const struct phys *p = opaque;

	if (pa >= HIGH)
		pa -= HIGH;
	if (pa > p->len || len > p->len - pa)
		return -EFAULT;
	memcpy(buf, p->mem + pa, len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct phys ph;
	struct vs_pagewalk pw = { rd, &ph, 0 };
	uint64_t cr3, va, pa, psz;
	uint8_t buf[256], one;
	size_t n;

	if (size < HDR)
		return 0;
	memcpy(&cr3, data, 8);
	memcpy(&va, data + 8, 8);
	pw.flags = data[16] & (VS_PW_LA57 | VS_PW_PTI);
	n = data[17];
	ph.mem = data + HDR;
	ph.len = size - HDR;
	if (vs_pagewalk_translate(&pw, cr3, va, &pa, &psz) == 0) {
		FUZZ_CHECK(psz == 1ull << 12 || psz == 1ull << 21 ||
			   psz == 1ull << 30);
		FUZZ_CHECK((pa & (psz - 1)) == (va & (psz - 1)));
		if (rd(&ph, pa, &one, 1) == 0) {
			uint8_t again;

			FUZZ_CHECK(vs_pagewalk_read(&pw, cr3, va, &again, 1) == 0);
			FUZZ_CHECK(again == one);
		}
	}
	vs_pagewalk_read(&pw, cr3, va, buf, n);
	/* A range that wraps the address space must fail, not wrap. */
	FUZZ_CHECK(vs_pagewalk_read(&pw, cr3, UINT64_MAX - 2, buf, 8) < 0);
	return 0;
}

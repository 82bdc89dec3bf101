// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pagewalk.c - x86-64 4-level and 5-level (LA57) page walk over a physical
 * read callback, with the PTI kernel-PGD retry described in pagewalk.h.
 * The walk is a fixed loop over at most five levels: guest page tables
 * cannot make it loop, and every entry's present bit is checked (entries
 * cleared at boot keep their address bits).
 */
#include "backend/pagewalk.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#define PTE_P  (1ull << 0)
#define PTE_PS (1ull << 7)

static bool canonical(uint64_t va, bool la57)
{
	unsigned bits = la57 ? 57 : 48;
	int64_t s = (int64_t)(va << (64 - bits)) >> (64 - bits);

	return (uint64_t)s == va;
}

static int walk(const struct vs_pagewalk *pw, uint64_t cr3, uint64_t va,
		uint64_t *pa, uint64_t *page_size)
{
	bool la57 = pw->flags & VS_PW_LA57;
	unsigned level = la57 ? 5 : 4;
	uint64_t table = cr3 & VS_PTE_ADDR_MASK;

	if (!canonical(va, la57))
		return -EINVAL;
	for (; level >= 1; level--) {
		unsigned shift = 12 + 9 * (level - 1);
		uint64_t idx = (va >> shift) & 0x1ff, e;

		if (pw->read(pw->opaque, table + idx * 8, &e, sizeof(e)) < 0)
			return -EFAULT;
		if (!(e & PTE_P))
			return -EFAULT;
		/* PS means a large page at PDPT (level 3) and PD (level 2). */
		if (level == 1 || ((level == 2 || level == 3) && (e & PTE_PS))) {
			uint64_t size = 1ull << shift;
			uint64_t base = e & VS_PTE_ADDR_MASK & ~(size - 1);

			*pa = base | (va & (size - 1));
			if (page_size)
				*page_size = size;
			return 0;
		}
		table = e & VS_PTE_ADDR_MASK;
	}
	return -EFAULT;
}

int vs_pagewalk_translate(const struct vs_pagewalk *pw, uint64_t cr3,
			  uint64_t va, uint64_t *pa, uint64_t *page_size)
{
	int rc = walk(pw, cr3, va, pa, page_size);

	if (rc == -EFAULT && (pw->flags & VS_PW_PTI) && (va >> 63) &&
	    (cr3 & 0x1000))
		rc = walk(pw, cr3 & ~0x1000ull, va, pa, page_size);
	return rc;
}

int vs_pagewalk_read(const struct vs_pagewalk *pw, uint64_t cr3, uint64_t va,
		     void *buf, size_t len)
{
	uint8_t *out = buf;

	if (len && va + (len - 1) < va)
		return -EFAULT;
	while (len) {
		uint64_t pa, psz;
		size_t chunk;
		int rc = vs_pagewalk_translate(pw, cr3, va, &pa, &psz);

		if (rc < 0)
			return -EFAULT;
		chunk = psz - (va & (psz - 1));
		if (chunk > len)
			chunk = len;
		if (pw->read(pw->opaque, pa, out, chunk) < 0)
			return -EFAULT;
		out += chunk;
		va += chunk;
		len -= chunk;
	}
	return 0;
}

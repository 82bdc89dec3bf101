// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ramview.c - guest-physical reads from a host mapping of QEMU's RAM
 * block (ramview.h): an address maps to one offset, and a read that
 * crosses from the low part into the hole fails as a whole.
 */
#include "backend/ramview.h"

#include <errno.h>
#include <string.h>

#define FOUR_GIB (4ull << 30)

int vs_ram_view_offset(const struct vs_ram_view *v, uint64_t pa,
		       uint64_t *off)
{
	if (pa < v->low) {
		*off = pa;
		return 0;
	}
	if (pa >= FOUR_GIB && pa - FOUR_GIB < v->size - v->low) {
		*off = v->low + (pa - FOUR_GIB);
		return 0;
	}
	return -EFAULT;
}

int vs_ram_view_read(void *view, uint64_t pa, void *buf, size_t len)
{
	const struct vs_ram_view *v = view;
	uint8_t *out = buf;

	while (len) {
		uint64_t off, n;

		if (vs_ram_view_offset(v, pa, &off) < 0)
			return -EFAULT;
		/* Stay inside the contiguous piece this offset is in. */
		n = pa < v->low ? v->low - pa : v->size - off;
		if (n > len)
			n = len;
		memcpy(out, v->base + off, n);
		out += n;
		pa += n;
		len -= n;
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kaslr.c - find the randomized kernel base (_text) without symbols.
 *
 * Early boot clears every level2_kernel_pgt entry outside [_text, _end),
 * so in the 1 GiB slot at 0xffffffff80000000 (PML4[511], PDPT[510]) the
 * first present 2 MiB page is _text. A backend with translation walks the
 * tables (512 translations at most); a live backend that can only read
 * virtual memory probes each 2 MiB step with a 1-byte read. Either way the
 * loop is bounded by the 512 PMD slots. The result is cross-checked by
 * the caller against kallsyms' relative_base.
 */
#include "os/linux/linux.h"

#include <errno.h>

#define PMD_SIZE (2ull << 20)

int vs_lx_find_text(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
		    uint64_t *text, uint64_t *pa)
{
	bool can_translate = be->ops->translate != NULL;
	struct vs_gmem m;

	vs_gmem_from_backend(&m, be, vcpu, dtb);
	for (unsigned k = 0; k < 512; k++) {
		uint64_t va = VS_LX_TEXT_REGION + k * PMD_SIZE, p = 0;
		uint8_t byte;
		int rc;

		if (can_translate)
			rc = vs_backend_translate(be, vcpu, dtb, va, &p);
		else
			rc = vs_gmem_u8(&m, va, &byte);
		if (rc == 0) {
			*text = va;
			*pa = p;
			return 0;
		}
	}
	return -ENOENT;
}

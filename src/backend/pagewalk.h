/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pagewalk.h - x86-64 address translation over physical memory (pure).
 *
 * Backends that hold guest-physical memory (the dump reader, the memory
 * image used by tests) translate virtual addresses with this walker. It
 * only needs a physical read callback, so it has no state and no guest
 * knowledge beyond the architecture:
 *
 *   CR3 ──> PML5 (LA57 only) ──> PML4 ──> PDPT ──┬─ PS: 1 GiB page
 *                                                 └─> PD ──┬─ PS: 2 MiB page
 *                                                          └─> PT ──> 4 KiB
 *   each entry: bit 0 present, bit 7 PS (PDPT, PD), bits 12..51 address
 *
 * PTI: a user-mode CR3 under page-table isolation is the user half of an
 * 8 KiB PGD pair (kernel PGD + 0x1000), which maps only the entry
 * trampoline of the kernel. With VS_PW_PTI a kernel-half address that the
 * given PGD cannot translate is walked again through CR3 with bit 12
 * cleared (the kernel PGD); the user PGD is tried first because without
 * PTI a PGD may legitimately sit at an odd 4 KiB frame.
 *
 * Errors: 0, -EFAULT (not present or physical read failed), -EINVAL
 * (non-canonical address).
 */
#ifndef VS_BACKEND_PAGEWALK_H
#define VS_BACKEND_PAGEWALK_H

#include <stddef.h>
#include <stdint.h>

/* Read @len bytes of guest-physical memory at @pa: 0 or -EFAULT. */
typedef int (*vs_pa_read_fn)(void *opaque, uint64_t pa, void *buf,
			     size_t len);

#define VS_PW_LA57  (1u << 0)  /* 5-level paging (CR4.LA57) */
#define VS_PW_PTI   (1u << 1)  /* kernel addresses may need CR3 & ~0x1000 */

#define VS_CR4_LA57 (1ull << 12)
#define VS_PTE_ADDR_MASK 0x000ffffffffff000ull

struct vs_pagewalk {
	vs_pa_read_fn read;
	void *opaque;
	unsigned flags;        /* VS_PW_* */
};

/**
 * vs_pagewalk_for_vcpu() - set @pw up for a vCPU whose CR3 and CR4 are
 * known: PTI-aware, 5-level paging when CR4.LA57 is set, and *@dtb ==
 * VS_DTB_CURRENT (0) replaced by @cr3. For backends that hold physical
 * memory and the vCPUs' registers (dump, memimage).
 */
static inline void vs_pagewalk_for_vcpu(struct vs_pagewalk *pw,
					vs_pa_read_fn read, void *opaque,
					uint64_t cr3, uint64_t cr4,
					uint64_t *dtb)
{
	pw->read = read;
	pw->opaque = opaque;
	pw->flags = VS_PW_PTI | ((cr4 & VS_CR4_LA57) ? VS_PW_LA57 : 0);
	if (*dtb == 0)
		*dtb = cr3;
}

/**
 * vs_pagewalk_translate() - translate @va through the tables at @cr3.
 * @pw: read callback and mode.
 * @cr3: raw CR3 (PCID and flag bits are dropped here).
 * @pa: out, the physical address.
 * @page_size: out (may be NULL), 4 KiB, 2 MiB or 1 GiB.
 * Any thread. Returns 0, -EFAULT or -EINVAL.
 */
int vs_pagewalk_translate(const struct vs_pagewalk *pw, uint64_t cr3,
			  uint64_t va, uint64_t *pa, uint64_t *page_size);

/**
 * vs_pagewalk_read() - read @len bytes at @va, page by page.
 * Fails as a whole (-EFAULT) when any byte is unmapped.
 */
int vs_pagewalk_read(const struct vs_pagewalk *pw, uint64_t cr3, uint64_t va,
		     void *buf, size_t len);

#endif /* VS_BACKEND_PAGEWALK_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * synth.h - builds synthetic x64 guest memory in a memimage backend: a
 * page allocator over one physical region, real 4-level page tables
 * (PML4, PDPT, PD, PT; 4 KiB pages mapped on first write), address
 * spaces sharing the kernel half, and a kernel heap. It knows nothing of
 * Windows: the scenario (test_windows.c) places the kernel objects.
 *
 * Layout: physical memory [0, SYNTH_MEM); page tables and data pages from
 * 1 MiB up. The kernel PML4 is the first page (0x100000) and its PDPT for
 * slot 496 (0xFFFFF800'00000000 .. +512 GiB, where the image and the heap
 * live) the second, so every address space made later shares them.
 */
#ifndef VS_TESTS_WINDOWS_SYNTH_H
#define VS_TESTS_WINDOWS_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"

#define SYNTH_MEM         (48u << 20)
#define SYNTH_KERNEL_SLOT 496
#define SYNTH_HEAP        0xFFFFF80100000000ull

struct synth {
	struct vs_backend *be;
	uint64_t next_pa;
	uint64_t kpml4;
	uint64_t heap;
	int failed;              /* set when memory ran out */
};

int synth_init(struct synth *s, unsigned nvcpus);
void synth_fini(struct synth *s);
/* A new address space: a PML4 whose kernel half is the kernel's. */
uint64_t synth_space(struct synth *s);
/* Write @len bytes at @va of the space @pml4, mapping pages as needed. */
void synth_write(struct synth *s, uint64_t pml4, uint64_t va, const void *buf,
		 size_t len);
void synth_w64(struct synth *s, uint64_t pml4, uint64_t va, uint64_t v);
void synth_w32(struct synth *s, uint64_t pml4, uint64_t va, uint32_t v);
void synth_w16(struct synth *s, uint64_t pml4, uint64_t va, uint16_t v);
void synth_w8(struct synth *s, uint64_t pml4, uint64_t va, uint8_t v);
/* Read back through the tables (for the builder's own list edits). */
uint64_t synth_r64(struct synth *s, uint64_t pml4, uint64_t va);
/* Kernel heap: @len zeroed bytes at an @align-aligned kernel VA. */
uint64_t synth_kalloc(struct synth *s, size_t len, size_t align);
/* A fresh zeroed 4 KiB kernel page (its VA). */
uint64_t synth_kpage(struct synth *s);

#endif /* VS_TESTS_WINDOWS_SYNTH_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * synth.c - the synthetic guest memory builder (see synth.h). Page-table
 * entries are written with present|writable|user (0x7) and the
 * 40-bit frame number in bits 12..51, as the hardware reads them.
 */
#include "synth.h"

#include <stdio.h>
#include <string.h>

#include "backend/memimage/memimage.h"

#define PAGE 4096ull
#define PTE_FLAGS 0x7ull
#define ADDR_MASK 0x000ffffffffff000ull

static uint64_t alloc_page(struct synth *s)
{
	uint64_t pa = s->next_pa;

	if (pa + PAGE > SYNTH_MEM) {
		s->failed = 1;
		return 0;
	}
	s->next_pa += PAGE;
	return pa;   /* the region is zero-filled and never reused */
}

static uint64_t rpa64(struct synth *s, uint64_t pa)
{
	uint64_t v = 0;

	vs_backend_read_pa(s->be, pa, &v, 8);
	return v;
}

static void wpa64(struct synth *s, uint64_t pa, uint64_t v)
{
	vs_memimage_write_pa(s->be, pa, &v, 8);
}

/* Physical page behind @va in @pml4, made (with its tables) if absent. */
static uint64_t walk(struct synth *s, uint64_t pml4, uint64_t va, int make)
{
	uint64_t table = pml4;

	for (int level = 3; level >= 0; level--) {
		unsigned idx = (va >> (12 + 9 * level)) & 511;
		uint64_t e = rpa64(s, table + 8 * idx);

		if (!(e & 1)) {
			uint64_t page;

			if (!make)
				return 0;
			page = alloc_page(s);
			if (!page)
				return 0;
			e = page | PTE_FLAGS;
			wpa64(s, table + 8 * idx, e);
		}
		table = e & ADDR_MASK;
	}
	return table;
}

int synth_init(struct synth *s, unsigned nvcpus)
{
	int rc;

	memset(s, 0, sizeof(*s));
	rc = vs_memimage_new(nvcpus, &s->be);
	if (rc < 0)
		return rc;
	rc = vs_memimage_add_region(s->be, 0, SYNTH_MEM);
	if (rc < 0)
		return rc;
	s->next_pa = 1u << 20;
	s->kpml4 = alloc_page(s);
	wpa64(s, s->kpml4 + 8 * SYNTH_KERNEL_SLOT, alloc_page(s) | PTE_FLAGS);
	s->heap = SYNTH_HEAP;
	return 0;
}

void synth_fini(struct synth *s)
{
	if (s->be)
		vs_backend_close(s->be);
	s->be = NULL;
}

uint64_t synth_space(struct synth *s)
{
	uint64_t pml4 = alloc_page(s);
	uint64_t half[256];

	if (!pml4)
		return 0;
	vs_backend_read_pa(s->be, s->kpml4 + 8 * 256, half, sizeof(half));
	vs_memimage_write_pa(s->be, pml4 + 8 * 256, half, sizeof(half));
	return pml4;
}

void synth_write(struct synth *s, uint64_t pml4, uint64_t va, const void *buf,
		 size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		uint64_t page = walk(s, pml4, va, 1);
		size_t n = PAGE - (va & (PAGE - 1));

		if (n > len)
			n = len;
		if (!page) {
			s->failed = 1;
			return;
		}
		vs_memimage_write_pa(s->be, page + (va & (PAGE - 1)), p, n);
		p += n;
		va += n;
		len -= n;
	}
}

void synth_w64(struct synth *s, uint64_t pml4, uint64_t va, uint64_t v)
{
	synth_write(s, pml4, va, &v, 8);
}

void synth_w32(struct synth *s, uint64_t pml4, uint64_t va, uint32_t v)
{
	synth_write(s, pml4, va, &v, 4);
}

void synth_w16(struct synth *s, uint64_t pml4, uint64_t va, uint16_t v)
{
	synth_write(s, pml4, va, &v, 2);
}

void synth_w8(struct synth *s, uint64_t pml4, uint64_t va, uint8_t v)
{
	synth_write(s, pml4, va, &v, 1);
}

uint64_t synth_r64(struct synth *s, uint64_t pml4, uint64_t va)
{
	uint64_t page = walk(s, pml4, va, 0);

	return page ? rpa64(s, page + (va & (PAGE - 1))) : 0;
}

uint64_t synth_kalloc(struct synth *s, size_t len, size_t align)
{
	uint64_t va = (s->heap + align - 1) & ~(uint64_t)(align - 1);

	s->heap = va + len;
	/* Touch the range so that it is mapped (and reads back as zero). */
	for (uint64_t p = va & ~(PAGE - 1); p < va + len; p += PAGE)
		if (!walk(s, s->kpml4, p, 1))
			s->failed = 1;
	return va;
}

uint64_t synth_kpage(struct synth *s)
{
	return synth_kalloc(s, PAGE, PAGE);
}

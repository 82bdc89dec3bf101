// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_pagewalk.c - the x86-64 page walker through the memimage backend,
 * over page tables written by hand: 4 KiB, 2 MiB and 1 GiB pages, cleared
 * present bits, non-canonical addresses, reads across pages that are not
 * physically contiguous, 5-level paging (CR4.LA57), and a PTI user PGD
 * whose kernel half is only reachable through the kernel PGD.
 * Expected physical addresses are computed by hand from the tables below.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backend/memimage/memimage.h"

static int failures;

#define CHECK(c) do { if (!(c)) { failures++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c); } \
	} while (0)

#define P 0x1ull
#define RW 0x2ull
#define PS 0x80ull

static void put(struct vs_backend *be, uint64_t pa, uint64_t v)
{
	CHECK(vs_memimage_write_pa(be, pa, &v, 8) == 0);
}

/* PML4 0x1000 -> PDPT 0x2000 -> PD 0x3000 -> PT 0x4000. */
static void build_4level(struct vs_backend *be)
{
	put(be, 0x1000 + 0 * 8, 0x2000 | P | RW);
	put(be, 0x2000 + 0 * 8, 0x3000 | P | RW);
	/* VA 0x400000 (PD[2]) -> PT; PT[0] -> 0x10000, PT[1] -> 0x8000. */
	put(be, 0x3000 + 2 * 8, 0x4000 | P | RW);
	put(be, 0x4000 + 0 * 8, 0x10000 | P);
	put(be, 0x4000 + 1 * 8, 0x8000 | P);
	/* PT[2]: cleared at "boot", address kept, present bit 0. */
	put(be, 0x4000 + 2 * 8, 0x9000);
	/* VA 0x600000 (PD[3]): 2 MiB page at PA 0x200000. */
	put(be, 0x3000 + 3 * 8, 0x200000 | P | PS);
	/* VA 0x40000000 (PDPT[1]): 1 GiB page at PA 0x80000000. */
	put(be, 0x2000 + 1 * 8, 0x80000000ull | P | PS);
}

static void test_4level(struct vs_backend *be)
{
	uint64_t pa = 0;
	char buf[8];

	CHECK(vs_backend_translate(be, 0, 0x1000, 0x400123, &pa) == 0);
	CHECK(pa == 0x10123);
	CHECK(vs_backend_translate(be, 0, 0x1000, 0x401ff8, &pa) == 0);
	CHECK(pa == 0x8ff8);
	CHECK(vs_backend_translate(be, 0, 0x1000, 0x402000, &pa) == -EFAULT);
	CHECK(vs_backend_translate(be, 0, 0x1000, 0x6abcde, &pa) == 0);
	CHECK(pa == 0x2abcde);
	CHECK(vs_backend_translate(be, 0, 0x1000, 0x7fedcba9, &pa) == 0);
	CHECK(pa == 0x80000000ull + 0x3fedcba9);
	CHECK(vs_backend_translate(be, 0, 0x1000, 0x800000000000ull, &pa) ==
	      -EINVAL);
	/* PCID bits in CR3 are ignored. */
	CHECK(vs_backend_translate(be, 0, 0x1000 | 0x5, 0x400010, &pa) == 0);
	CHECK(pa == 0x10010);
	/* A read crossing into a page at a lower physical address. */
	CHECK(vs_memimage_write_pa(be, 0x10ffc, "abcd", 4) == 0);
	CHECK(vs_memimage_write_pa(be, 0x8000, "efgh", 4) == 0);
	CHECK(vs_backend_read_va(be, 0, 0x1000, 0x400ffc, buf, 8) == 0);
	CHECK(memcmp(buf, "abcdefgh", 8) == 0);
	/* Reading into the cleared PTE fails as a whole. */
	CHECK(vs_backend_read_va(be, 0, 0x1000, 0x401ffc, buf, 8) == -EFAULT);
	/* VS_DTB_CURRENT uses the vCPU's CR3. */
	CHECK(vs_memimage_set_reg(be, 0, "cr3", 0x1000) == 0);
	CHECK(vs_backend_read_va(be, 0, VS_DTB_CURRENT, 0x400ffc, buf, 4) == 0);
	CHECK(memcmp(buf, "abcd", 4) == 0);
}

/* PML5 0x5000: [0] -> PML4 0x1000, [1] -> PML4 0xa000 (VA 1 << 48). */
static void test_la57(struct vs_backend *be)
{
	uint64_t pa = 0;

	put(be, 0x5000 + 0 * 8, 0x1000 | P);
	put(be, 0x5000 + 1 * 8, 0xa000 | P);
	put(be, 0xa000 + 0 * 8, 0x2000 | P);
	CHECK(vs_memimage_set_reg(be, 1, "cr4", 1ull << 12) == 0);
	CHECK(vs_backend_translate(be, 1, 0x5000, 0x400123, &pa) == 0);
	CHECK(pa == 0x10123);
	CHECK(vs_backend_translate(be, 1, 0x5000, (1ull << 48) | 0x600010,
				   &pa) == 0);
	CHECK(pa == 0x200010);
	/* Canonical under LA57 only: 4-level rejects it. */
	CHECK(vs_backend_translate(be, 0, 0x1000, 1ull << 48, &pa) == -EINVAL);
}

/* PTI pair: kernel PGD 0xc000, user PGD 0xd000 without the kernel half. */
static void test_pti(struct vs_backend *be)
{
	uint64_t kva = 0xffffffff80000000ull, pa = 0;

	put(be, 0xc000 + 511 * 8, 0xe000 | P);
	put(be, 0xe000 + 510 * 8, 0xf000 | P);
	put(be, 0xf000 + 0 * 8, 0x1200000ull | P | PS);
	put(be, 0xc000 + 0 * 8, 0x2000 | P);    /* user half in both */
	put(be, 0xd000 + 0 * 8, 0x2000 | P);
	CHECK(vs_backend_translate(be, 0, 0xc000, kva + 0x10, &pa) == 0);
	CHECK(pa == 0x1200010);
	CHECK(vs_backend_translate(be, 0, 0xd000, kva + 0x10, &pa) == 0);
	CHECK(pa == 0x1200010);
	CHECK(vs_backend_translate(be, 0, 0xd000, 0x600000, &pa) == 0);
	CHECK(pa == 0x200000);
	/* No kernel half in either PGD of the pair: still -EFAULT. */
	CHECK(vs_backend_translate(be, 0, 0x1000, kva, &pa) == -EFAULT);
	CHECK(vs_backend_translate(be, 0, 0xd000, kva + (2ull << 20), &pa) ==
	      -EFAULT);
}

static int hits;

static void on_hook(const struct vs_hook_ctx *ctx)
{
	hits += (int)(uintptr_t)ctx->opaque;
}

static void test_hooks(struct vs_backend *be)
{
	int id1, id2;

	CHECK(vs_backend_hook_add(be, 0x1234, on_hook, (void *)1, &id1) == 0);
	CHECK(vs_backend_hook_add(be, 0x1234, on_hook, (void *)10, &id2) == 0);
	CHECK(vs_memimage_fire(be, 0, 0x1234) == 2 && hits == 11);
	CHECK(vs_backend_hook_del(be, id1) == 0);
	CHECK(vs_memimage_fire(be, 0, 0x1234) == 1 && hits == 21);
	CHECK(vs_memimage_fire(be, 0, 0x9999) == 0);
	CHECK(vs_backend_hook_del(be, id1) == -ENOENT);
}

int main(void)
{
	struct vs_backend *be;

	CHECK(vs_memimage_new(2, &be) == 0);
	CHECK(vs_memimage_add_region(be, 0, 0x100000) == 0);
	CHECK(vs_memimage_add_region(be, 0x200000, 0x200000) == 0);
	CHECK(vs_memimage_add_region(be, 0x80000, 0x100000) == -EINVAL);
	build_4level(be);
	test_4level(be);
	test_la57(be);
	test_pti(be);
	test_hooks(be);
	vs_backend_close(be);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}

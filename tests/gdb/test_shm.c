// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_shm.c - where a guest-physical address lives in QEMU's RAM file,
 * per machine layout, and reads through that split (backend/ramview.c).
 * Expected values are QEMU's own splits written out by hand: pc keeps
 * 3 GiB below 4 GiB once RAM reaches 3.5 GiB, q35 keeps 2 GiB once RAM
 * reaches 2.75 GiB; the rest starts at 4 GiB.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backend/gdb/shm.h"

static int failures;

#define CHECK(c) do { if (!(c)) { failures++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c); } \
	} while (0)

#define MIB (1ull << 20)
#define GIB (1ull << 30)

static int offset(uint64_t size, uint64_t low, uint64_t pa, uint64_t *off)
{
	struct vs_ram_view v = { NULL, size, low };

	return vs_ram_view_offset(&v, pa, off);
}

/* Reads over a small split block: 2 pages low, 1 page from 4 GiB. */
static void check_reads(void)
{
	static uint8_t ram[3 * 4096];
	struct vs_ram_view v = { ram, sizeof(ram), 2 * 4096 };
	uint8_t b[16];

	for (size_t i = 0; i < sizeof(ram); i++)
		ram[i] = (uint8_t)(i * 7 + i / 4096);
	CHECK(vs_ram_view_read(&v, 0x10, b, 16) == 0 &&
	      memcmp(b, ram + 0x10, 16) == 0);
	CHECK(vs_ram_view_read(&v, 4 * GIB + 0x100, b, 16) == 0 &&
	      memcmp(b, ram + 2 * 4096 + 0x100, 16) == 0);
	/* across the end of the low part into the hole: nothing */
	CHECK(vs_ram_view_read(&v, 2 * 4096 - 8, b, 16) == -EFAULT);
	/* across the end of RAM, and near 2^64 */
	CHECK(vs_ram_view_read(&v, 4 * GIB + 4096 - 8, b, 16) == -EFAULT);
	CHECK(vs_ram_view_read(&v, UINT64_MAX - 4, b, 16) == -EFAULT);
	CHECK(vs_ram_view_read(&v, 4 * GIB - 4, b, 16) == -EFAULT);
}

int main(void)
{
	uint64_t off = 0, low;

	/* small guests: no split under either layout */
	CHECK(vs_gdb_shm_low(VS_GDB_LAYOUT_PC, 512 * MIB) == 512 * MIB);
	CHECK(vs_gdb_shm_low(VS_GDB_LAYOUT_Q35, 2 * GIB) == 2 * GIB);
	CHECK(offset(512 * MIB, 512 * MIB, 0x1234, &off) == 0 &&
	      off == 0x1234);
	CHECK(offset(512 * MIB, 512 * MIB, 512 * MIB, &off) ==
	      -EFAULT);
	CHECK(offset(512 * MIB, 512 * MIB, 4 * GIB, &off) == -EFAULT);
	/* pc: 3.25 GiB stays below the hole; 4 GiB splits at 3 GiB */
	CHECK(vs_gdb_shm_low(VS_GDB_LAYOUT_PC, 3 * GIB + 256 * MIB) ==
	      3 * GIB + 256 * MIB);
	low = vs_gdb_shm_low(VS_GDB_LAYOUT_PC, 4 * GIB);
	CHECK(low == 3 * GIB);
	CHECK(offset(4 * GIB, low, 3 * GIB - 1, &off) == 0 &&
	      off == 3 * GIB - 1);
	CHECK(offset(4 * GIB, low, 3 * GIB, &off) == -EFAULT);
	CHECK(offset(4 * GIB, low, 4 * GIB, &off) == 0 &&
	      off == 3 * GIB);
	CHECK(offset(4 * GIB, low, 5 * GIB - 1, &off) == 0 &&
	      off == 4 * GIB - 1);
	CHECK(offset(4 * GIB, low, 5 * GIB, &off) == -EFAULT);
	/* q35: 3 GiB of RAM splits at 2 GiB */
	low = vs_gdb_shm_low(VS_GDB_LAYOUT_Q35, 3 * GIB);
	CHECK(low == 2 * GIB);
	CHECK(offset(3 * GIB, low, 2 * GIB, &off) == -EFAULT);
	CHECK(offset(3 * GIB, low, 4 * GIB + 5, &off) == 0 &&
	      off == 2 * GIB + 5);
	CHECK(offset(3 * GIB, low, 5 * GIB, &off) == -EFAULT);
	check_reads();
	if (failures)
		fprintf(stderr, "%d checks failed\n", failures);
	return failures ? 1 : 0;
}

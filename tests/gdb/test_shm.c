// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_shm.c - where a guest-physical address lives in QEMU's RAM file,
 * per machine layout. Expected values are QEMU's own splits written out
 * by hand: pc keeps 3 GiB below 4 GiB once RAM reaches 3.5 GiB, q35 keeps
 * 2 GiB once RAM reaches 2.75 GiB; the rest starts at 4 GiB.
 */
#include <errno.h>
#include <stdio.h>

#include "backend/gdb/shm.h"

static int failures;

#define CHECK(c) do { if (!(c)) { failures++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c); } \
	} while (0)

#define MIB (1ull << 20)
#define GIB (1ull << 30)

int main(void)
{
	uint64_t off = 0, low;

	/* small guests: no split under either layout */
	CHECK(vs_gdb_shm_low(VS_GDB_LAYOUT_PC, 512 * MIB) == 512 * MIB);
	CHECK(vs_gdb_shm_low(VS_GDB_LAYOUT_Q35, 2 * GIB) == 2 * GIB);
	CHECK(vs_gdb_shm_offset(512 * MIB, 512 * MIB, 0x1234, &off) == 0 &&
	      off == 0x1234);
	CHECK(vs_gdb_shm_offset(512 * MIB, 512 * MIB, 512 * MIB, &off) ==
	      -EFAULT);
	CHECK(vs_gdb_shm_offset(512 * MIB, 512 * MIB, 4 * GIB, &off) == -EFAULT);
	/* pc: 3.25 GiB stays below the hole; 4 GiB splits at 3 GiB */
	CHECK(vs_gdb_shm_low(VS_GDB_LAYOUT_PC, 3 * GIB + 256 * MIB) ==
	      3 * GIB + 256 * MIB);
	low = vs_gdb_shm_low(VS_GDB_LAYOUT_PC, 4 * GIB);
	CHECK(low == 3 * GIB);
	CHECK(vs_gdb_shm_offset(4 * GIB, low, 3 * GIB - 1, &off) == 0 &&
	      off == 3 * GIB - 1);
	CHECK(vs_gdb_shm_offset(4 * GIB, low, 3 * GIB, &off) == -EFAULT);
	CHECK(vs_gdb_shm_offset(4 * GIB, low, 4 * GIB, &off) == 0 &&
	      off == 3 * GIB);
	CHECK(vs_gdb_shm_offset(4 * GIB, low, 5 * GIB - 1, &off) == 0 &&
	      off == 4 * GIB - 1);
	CHECK(vs_gdb_shm_offset(4 * GIB, low, 5 * GIB, &off) == -EFAULT);
	/* q35: 3 GiB of RAM splits at 2 GiB */
	low = vs_gdb_shm_low(VS_GDB_LAYOUT_Q35, 3 * GIB);
	CHECK(low == 2 * GIB);
	CHECK(vs_gdb_shm_offset(3 * GIB, low, 2 * GIB, &off) == -EFAULT);
	CHECK(vs_gdb_shm_offset(3 * GIB, low, 4 * GIB + 5, &off) == 0 &&
	      off == 2 * GIB + 5);
	CHECK(vs_gdb_shm_offset(3 * GIB, low, 5 * GIB, &off) == -EFAULT);
	if (failures)
		fprintf(stderr, "%d checks failed\n", failures);
	return failures ? 1 : 0;
}

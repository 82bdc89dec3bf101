// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_elfcore.c - the dump backend's ELF core parser (a dump file is as
 * hostile as the guest it came from). Input: the file's bytes.
 * Invariants: every physical range lies inside the file and the ranges
 * come out sorted; the caps on ranges and vCPUs hold.
 */
#include "backend/dump/elfcore.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vs_elfcore c;

	if (vs_elfcore_parse(data, size, &c) < 0)
		return 0;
	FUZZ_CHECK(c.nranges >= 1 && c.nranges <= VS_ELFCORE_MAX_RANGES);
	FUZZ_CHECK(c.nvcpus >= 1 && c.nvcpus <= VS_ELFCORE_MAX_VCPUS);
	for (size_t i = 0; i < c.nranges; i++) {
		const struct vs_elfcore_range *r = &c.ranges[i];

		FUZZ_CHECK(r->file_off <= size && r->len <= size - r->file_off);
		FUZZ_CHECK(r->pa + r->len >= r->pa);
		FUZZ_CHECK(i == 0 || c.ranges[i - 1].pa <= r->pa);
	}
	vs_elfcore_free(&c);
	return 0;
}

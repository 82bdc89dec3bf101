// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_btf.c - guest BTF: the structural validator, then libbpf through
 * vs_btf_load_mem() and the offsets table that the Linux layer resolves
 * from it, and member lookups through anonymous members.
 *
 * Input: raw BTF bytes. Invariant: whatever vs_btf_load_mem() accepts,
 * vs_btf_validate() accepted too, with the same type count libbpf sees.
 */
#include "fuzz.h"
#include "os/linux/btf.h"
#include "os/linux/btf_validate.h"
#include "os/linux/offsets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const probe[][2] = {
		{ "task_struct", "pid" }, { "task_struct", "comm" },
		{ "mm_struct", "exe_file" }, { "linux_binprm", "have_execfd" },
		{ "a", "b" },
	};
	struct vs_btf_verdict v;
	struct vs_lx_offsets off;
	struct vs_btf_member mb;
	const char *missing = NULL;
	struct btf *btf;
	uint64_t sz;
	int vrc = vs_btf_validate(data, size, &v);

	FUZZ_CHECK(vrc == 0 ? v.why == NULL : v.why != NULL);
	if (vs_btf_load_mem(data, size, &btf) < 0)
		return 0;
	FUZZ_CHECK(vrc == 0);
	FUZZ_CHECK(vs_btf_type_count(btf) == v.ntypes);
	vs_lx_offsets_resolve(btf, &off, &missing);
	for (size_t i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
		vs_btf_member(btf, probe[i][0], probe[i][1], &mb);
		vs_btf_type_size(btf, probe[i][0], &sz);
	}
	vs_btf_free(btf);
	return 0;
}

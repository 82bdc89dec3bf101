// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_profile.c - kernel profiles (ISF / Rekall JSON, plain or xz)
 * through vs_profile_load_mem(), then the lookups the OS layers make.
 * Input: the profile file's bytes.
 */
#include <string.h>

#include "fuzz.h"
#include "os/profile/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const probe[][2] = {
		{ "_EPROCESS", "UniqueProcessId" }, { "_EPROCESS", "Pcb" },
		{ "_KPROCESS", "DirectoryTableBase" },
		{ "task_struct", "pid" }, { "mm_struct", "exe_file" },
		{ "_UNICODE_STRING", "Buffer" }, { "", "" },
	};
	static const char *const syms[] = {
		"PsActiveProcessHead", "init_task", "linux_banner", "",
	};
	const struct vs_profile_identity *id;
	struct vs_profile_member mb;
	struct vs_profile *p;
	char err[256];
	uint64_t v;

	if (vs_profile_load_mem(data, size, &p, err, sizeof(err)) < 0) {
		FUZZ_CHECK(memchr(err, 0, sizeof(err)) != NULL);
		return 0;
	}
	id = vs_profile_identity(p);
	if (id->banner)
		FUZZ_CHECK(strlen(id->banner) < (1u << 20));
	vs_profile_os_name(vs_profile_os(p));
	vs_profile_format_name(vs_profile_format(p));
	for (size_t i = 0; i < sizeof(probe) / sizeof(probe[0]); i++) {
		vs_profile_has_struct(p, probe[i][0]);
		vs_profile_struct_size(p, probe[i][0], &v);
		vs_profile_member_offset(p, probe[i][0], probe[i][1], &v);
		if (vs_profile_member(p, probe[i][0], probe[i][1], &mb) == 0)
			FUZZ_CHECK(mb.offset <= VS_PROFILE_MAX_OFFSET);
		FUZZ_CHECK(vs_profile_last_error(p) != NULL);
	}
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		vs_profile_symbol(p, syms[i], &v);
	vs_profile_free(p);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_tasks.c - the Linux task walk (task list, parents, creds, image
 * path across mounts) over a kernel heap the fuzzer writes.
 *
 * Input: a header, then the heap, placed at 0xffff888000000000 through
 * guestmem's buffer source. Header: one byte per struct member offset the
 * walk uses (the byte times 4 bytes, as BTF would give), a flags byte (bit 0:
 * thread_info members known) and a u16 offset of init_task in the heap.
 * Invariants on every record: lengths inside their buffers, strings
 * NUL-terminated, at most VS_LX_MAX_TASKS + 1 records.
 */
#include <string.h>

#include "fuzz.h"
#include "os/linux/linux.h"

#define BASE 0xffff888000000000ull

static const enum vs_lxo used[] = {
	VS_LXO_TASK_TASKS, VS_LXO_TASK_PID, VS_LXO_TASK_TGID,
	VS_LXO_TASK_REAL_PARENT, VS_LXO_TASK_COMM, VS_LXO_TASK_MM,
	VS_LXO_TASK_FLAGS, VS_LXO_TASK_REAL_CRED, VS_LXO_TASK_START_TIME,
	VS_LXO_TASK_THREAD_INFO, VS_LXO_THREAD_INFO_FLAGS, VS_LXO_MM_EXE_FILE,
	VS_LXO_FILE_F_PATH, VS_LXO_PATH_MNT, VS_LXO_PATH_DENTRY,
	VS_LXO_DENTRY_D_PARENT, VS_LXO_DENTRY_D_NAME, VS_LXO_QSTR_LEN,
	VS_LXO_QSTR_NAME, VS_LXO_MOUNT_MNT_PARENT, VS_LXO_MOUNT_MNT_MOUNTPOINT,
	VS_LXO_MOUNT_MNT, VS_LXO_VFSMOUNT_MNT_ROOT, VS_LXO_CRED_UID,
	VS_LXO_CRED_EUID,
};
#define NUSED (sizeof(used) / sizeof(used[0]))
#define HDR (NUSED + 3)

static int check(const struct vs_proc *p, void *opaque)
{
	unsigned *count = opaque;

	FUZZ_CHECK(p->comm_len < sizeof(p->comm));
	FUZZ_CHECK(p->name_len < sizeof(p->name));
	FUZZ_CHECK(p->name[p->name_len] == '\0');
	FUZZ_CHECK(p->bitness == 32 || p->bitness == 64);
	FUZZ_CHECK(++*count <= VS_LX_MAX_TASKS + 1);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vs_lx lx;
	struct vs_proc *p;
	unsigned count = 0;
	uint16_t init;

	if (size < HDR)
		return 0;
	memset(&lx, 0, sizeof(lx));
	for (size_t i = 0; i < NUSED; i++) {
		lx.off.found[used[i]] = true;
		lx.off.m[used[i]].bit_off = (uint64_t)data[i] * 4 * 8;
	}
	if (!(data[NUSED] & 1)) {
		lx.off.found[VS_LXO_TASK_THREAD_INFO] = false;
		lx.off.found[VS_LXO_THREAD_INFO_FLAGS] = false;
	}
	memcpy(&init, data + NUSED + 1, 2);
	vs_gmem_from_buffer(&lx.km, BASE, data + HDR, size - HDR);
	lx.init_task = BASE + init;
	vs_lx_task_foreach(&lx, check, &count);
	p = malloc(sizeof(*p));
	if (vs_lx_task_read(&lx, lx.init_task, p) == 0)
		check(p, &(unsigned){0});
	free(p);
	return 0;
}

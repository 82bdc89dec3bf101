/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offsets.h - every kernel struct member the Linux code reads, as data.
 *
 * One enum names the members; offsets.c pairs each with {struct, member,
 * required, alternative} and resolves the whole table once from BTF.
 * A missing required member fails with -ENOENT and its name; a member
 * with an alternative (task_struct.thread_group on <= 6.6, thread_node on
 * newer kernels) is required only when the alternative is missing too.
 * Offsets are in bits from the start of the struct, so bitfields
 * (linux_binprm.have_execfd) are exact; VS_LXO_BYTES() gives bytes.
 */
#ifndef VS_OS_LINUX_OFFSETS_H
#define VS_OS_LINUX_OFFSETS_H

#include <stdbool.h>

#include "os/linux/btf.h"

enum vs_lxo {
	VS_LXO_TASK_TASKS,
	VS_LXO_TASK_PID,
	VS_LXO_TASK_TGID,
	VS_LXO_TASK_REAL_PARENT,
	VS_LXO_TASK_PARENT,
	VS_LXO_TASK_COMM,
	VS_LXO_TASK_MM,
	VS_LXO_TASK_FLAGS,
	VS_LXO_TASK_REAL_CRED,
	VS_LXO_TASK_CRED,
	VS_LXO_TASK_SIGNAL,
	VS_LXO_TASK_THREAD_GROUP,
	VS_LXO_TASK_THREAD_NODE,
	VS_LXO_TASK_START_TIME,
	VS_LXO_TASK_FS,
	VS_LXO_TASK_GROUP_LEADER,
	VS_LXO_TASK_EXIT_CODE,
	VS_LXO_TASK_THREAD_INFO,
	VS_LXO_THREAD_INFO_FLAGS,
	VS_LXO_MM_EXE_FILE,
	VS_LXO_MM_ARG_START,
	VS_LXO_MM_ARG_END,
	VS_LXO_MM_ENV_START,
	VS_LXO_MM_ENV_END,
	VS_LXO_MM_PGD,
	VS_LXO_CRED_UID,
	VS_LXO_CRED_EUID,
	VS_LXO_CRED_SUID,
	VS_LXO_FILE_F_PATH,
	VS_LXO_PATH_DENTRY,
	VS_LXO_PATH_MNT,
	VS_LXO_DENTRY_D_PARENT,
	VS_LXO_DENTRY_D_NAME,
	VS_LXO_QSTR_NAME,
	VS_LXO_QSTR_LEN,
	VS_LXO_MOUNT_MNT_PARENT,
	VS_LXO_MOUNT_MNT_MOUNTPOINT,
	VS_LXO_MOUNT_MNT,
	VS_LXO_VFSMOUNT_MNT_ROOT,
	VS_LXO_BINPRM_P,
	VS_LXO_BINPRM_ARGC,
	VS_LXO_BINPRM_ENVC,
	VS_LXO_BINPRM_FILENAME,
	VS_LXO_BINPRM_INTERP,
	VS_LXO_BINPRM_FDPATH,
	VS_LXO_BINPRM_EXECFD,
	VS_LXO_BINPRM_HAVE_EXECFD,
	VS_LXO_BINPRM_FILE,
	VS_LXO_CLONE_ARGS_FLAGS,
	VS_LXO_CLONE_ARGS_EXIT_SIGNAL,
	VS_LXO_SIGNAL_PIDS,
	VS_LXO_SIGNAL_THREAD_HEAD,
	VS_LXO_PID_NUMBERS,
	VS_LXO_PID_LEVEL,
	VS_LXO_UPID_NR,
	VS_LXO_FS_ROOT,
	VS_LXO_FS_PWD,
	VS_LXO_PCPU_HOT_CURRENT_TASK,
	VS_LXO_MAX
};

struct vs_lxo_desc {
	const char *type;
	const char *member;
	bool required;
	int alt;             /* enum vs_lxo that can stand in, or -1 */
};

struct vs_lx_offsets {
	struct vs_btf_member m[VS_LXO_MAX];
	bool found[VS_LXO_MAX];
};

#define VS_LXO_BYTES(o, id) ((o)->m[id].bit_off / 8)

/* The table itself (for tests and for name lookups). */
const struct vs_lxo_desc *vs_lxo_desc(enum vs_lxo id);

/**
 * vs_lx_offsets_resolve() - fill @out from @btf.
 * @missing: out (may be NULL), "struct.member" of the first missing
 *           required entry (static storage) on -ENOENT.
 * Returns 0 or -ENOENT.
 */
int vs_lx_offsets_resolve(const struct btf *btf, struct vs_lx_offsets *out,
			  const char **missing);

#endif /* VS_OS_LINUX_OFFSETS_H */

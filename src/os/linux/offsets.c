// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offsets.c - the {struct, member, required, alternative} table of every
 * member the Linux code reads, resolved once from BTF (see offsets.h).
 */
#include "os/linux/offsets.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define REQ(t, m)        { #t, #m, true, -1 }
#define OPT(t, m)        { #t, #m, false, -1 }
#define ALT(t, m, a)     { #t, #m, true, a }

static const struct vs_lxo_desc table[VS_LXO_MAX] = {
	[VS_LXO_TASK_TASKS] = REQ(task_struct, tasks),
	[VS_LXO_TASK_PID] = REQ(task_struct, pid),
	[VS_LXO_TASK_TGID] = REQ(task_struct, tgid),
	[VS_LXO_TASK_REAL_PARENT] = REQ(task_struct, real_parent),
	[VS_LXO_TASK_PARENT] = REQ(task_struct, parent),
	[VS_LXO_TASK_COMM] = REQ(task_struct, comm),
	[VS_LXO_TASK_MM] = REQ(task_struct, mm),
	[VS_LXO_TASK_FLAGS] = REQ(task_struct, flags),
	[VS_LXO_TASK_REAL_CRED] = REQ(task_struct, real_cred),
	[VS_LXO_TASK_CRED] = REQ(task_struct, cred),
	[VS_LXO_TASK_SIGNAL] = REQ(task_struct, signal),
	[VS_LXO_TASK_THREAD_GROUP] = ALT(task_struct, thread_group,
					 VS_LXO_TASK_THREAD_NODE),
	[VS_LXO_TASK_THREAD_NODE] = OPT(task_struct, thread_node),
	[VS_LXO_TASK_START_TIME] = REQ(task_struct, start_time),
	[VS_LXO_TASK_FS] = REQ(task_struct, fs),
	[VS_LXO_TASK_GROUP_LEADER] = REQ(task_struct, group_leader),
	[VS_LXO_TASK_EXIT_CODE] = REQ(task_struct, exit_code),
	[VS_LXO_TASK_THREAD_INFO] = OPT(task_struct, thread_info),
	[VS_LXO_THREAD_INFO_FLAGS] = OPT(thread_info, flags),
	[VS_LXO_MM_EXE_FILE] = REQ(mm_struct, exe_file),
	[VS_LXO_MM_ARG_START] = REQ(mm_struct, arg_start),
	[VS_LXO_MM_ARG_END] = REQ(mm_struct, arg_end),
	[VS_LXO_MM_ENV_START] = REQ(mm_struct, env_start),
	[VS_LXO_MM_ENV_END] = REQ(mm_struct, env_end),
	[VS_LXO_MM_PGD] = OPT(mm_struct, pgd),
	[VS_LXO_CRED_UID] = REQ(cred, uid),
	[VS_LXO_CRED_EUID] = REQ(cred, euid),
	[VS_LXO_CRED_SUID] = REQ(cred, suid),
	[VS_LXO_FILE_F_PATH] = REQ(file, f_path),
	[VS_LXO_PATH_DENTRY] = REQ(path, dentry),
	[VS_LXO_PATH_MNT] = REQ(path, mnt),
	[VS_LXO_DENTRY_D_PARENT] = REQ(dentry, d_parent),
	[VS_LXO_DENTRY_D_NAME] = REQ(dentry, d_name),
	[VS_LXO_QSTR_NAME] = REQ(qstr, name),
	[VS_LXO_QSTR_LEN] = REQ(qstr, len),
	[VS_LXO_MOUNT_MNT_PARENT] = REQ(mount, mnt_parent),
	[VS_LXO_MOUNT_MNT_MOUNTPOINT] = REQ(mount, mnt_mountpoint),
	[VS_LXO_MOUNT_MNT] = REQ(mount, mnt),
	[VS_LXO_VFSMOUNT_MNT_ROOT] = REQ(vfsmount, mnt_root),
	[VS_LXO_BINPRM_P] = REQ(linux_binprm, p),
	[VS_LXO_BINPRM_ARGC] = REQ(linux_binprm, argc),
	[VS_LXO_BINPRM_ENVC] = REQ(linux_binprm, envc),
	[VS_LXO_BINPRM_FILENAME] = REQ(linux_binprm, filename),
	[VS_LXO_BINPRM_INTERP] = REQ(linux_binprm, interp),
	[VS_LXO_BINPRM_FDPATH] = OPT(linux_binprm, fdpath),
	[VS_LXO_BINPRM_EXECFD] = OPT(linux_binprm, execfd),
	[VS_LXO_BINPRM_HAVE_EXECFD] = OPT(linux_binprm, have_execfd),
	[VS_LXO_BINPRM_FILE] = REQ(linux_binprm, file),
	[VS_LXO_CLONE_ARGS_FLAGS] = REQ(kernel_clone_args, flags),
	[VS_LXO_CLONE_ARGS_EXIT_SIGNAL] = REQ(kernel_clone_args, exit_signal),
	[VS_LXO_SIGNAL_PIDS] = REQ(signal_struct, pids),
	[VS_LXO_SIGNAL_THREAD_HEAD] = OPT(signal_struct, thread_head),
	[VS_LXO_PID_NUMBERS] = REQ(pid, numbers),
	[VS_LXO_PID_LEVEL] = REQ(pid, level),
	[VS_LXO_UPID_NR] = REQ(upid, nr),
	[VS_LXO_FS_ROOT] = REQ(fs_struct, root),
	[VS_LXO_FS_PWD] = REQ(fs_struct, pwd),
	[VS_LXO_PCPU_HOT_CURRENT_TASK] = OPT(pcpu_hot, current_task),
};

const struct vs_lxo_desc *vs_lxo_desc(enum vs_lxo id)
{
	return (unsigned)id < VS_LXO_MAX ? &table[id] : NULL;
}

int vs_lx_offsets_resolve(const struct btf *btf, struct vs_lx_offsets *out,
			  const char **missing)
{
	static char name[128];

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < VS_LXO_MAX; i++)
		out->found[i] = vs_btf_member(btf, table[i].type,
					      table[i].member, &out->m[i]) == 0;
	for (int i = 0; i < VS_LXO_MAX; i++) {
		if (out->found[i] || !table[i].required)
			continue;
		if (table[i].alt >= 0 && out->found[table[i].alt])
			continue;
		snprintf(name, sizeof(name), "%s.%s", table[i].type,
			 table[i].member);
		if (missing)
			*missing = name;
		return -ENOENT;
	}
	return 0;
}

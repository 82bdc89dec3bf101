// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tasks.c - Linux processes from task_structs.
 *
 * The process list is init_task followed by init_task.tasks (thread-group
 * leaders), walked with a step limit and cycle detection. Per task:
 * PID = tgid, TID = pid, PPID = real_parent->tgid, comm, PF_KTHREAD, uids
 * from real_cred, and the image path from mm->exe_file->f_path rebuilt
 * through d_parent across mount points:
 *
 *   dentry ──d_parent──> ... ──> root of its mount (== vfsmount.mnt_root)
 *      then continue at mount->mnt_mountpoint inside mount->mnt_parent,
 *      until a mount is its own parent (the global root).
 *
 * Every loop is bounded (VS_LX_MAX_TASKS, VS_LX_MAX_PATH_DEPTH); a failed
 * read leaves the field unknown and sets a vs_proc.unreadable bit.
 */
#include "os/linux/linux.h"

#include <errno.h>
#include <string.h>

#define OFF(lx, id) VS_LXO_BYTES(&(lx)->off, id)
#define NAME_MAX_BYTES 255

static int rd_ptr(struct vs_lx *lx, uint64_t base, enum vs_lxo id,
		  uint64_t *out)
{
	return vs_gmem_u64(&lx->km, base + OFF(lx, id), out);
}

static int rd_i32(struct vs_lx *lx, uint64_t base, enum vs_lxo id,
		  int64_t *out)
{
	int32_t v;
	int rc = vs_gmem_read(&lx->km, base + OFF(lx, id), &v, sizeof(v));

	if (rc == 0)
		*out = v;
	return rc;
}

/* Prepend "/" + @name (@n bytes) in front of buf[*pos..]. */
static bool prepend(char *buf, size_t *pos, const char *name, size_t n)
{
	if (*pos < n + 1)
		return false;
	*pos -= n;
	memcpy(buf + *pos, name, n);
	buf[--*pos] = '/';
	return true;
}

/* One dentry's name (qstr): at most NAME_MAX bytes. */
static int dentry_name(struct vs_lx *lx, uint64_t dentry, char *name,
		       size_t *n)
{
	uint64_t q = dentry + OFF(lx, VS_LXO_DENTRY_D_NAME), ptr;
	uint32_t len;
	int rc = vs_gmem_u64(&lx->km, q + OFF(lx, VS_LXO_QSTR_NAME), &ptr);

	if (rc == 0)
		rc = vs_gmem_u32(&lx->km, q + OFF(lx, VS_LXO_QSTR_LEN), &len);
	if (rc < 0)
		return rc;
	if (len > NAME_MAX_BYTES)
		len = NAME_MAX_BYTES;
	*n = len;
	return vs_gmem_read(&lx->km, ptr, name, len);
}

/* Step up one level: to the parent dentry, or across a mount point.
 * Returns 1 to emit @dentry's name first, 0 at the global root. */
static int path_step(struct vs_lx *lx, uint64_t *dentry, uint64_t *mnt)
{
	uint64_t vfsmnt = *mnt + OFF(lx, VS_LXO_MOUNT_MNT), root, parent;
	int rc = vs_gmem_u64(&lx->km, vfsmnt + OFF(lx, VS_LXO_VFSMOUNT_MNT_ROOT),
			     &root);

	if (rc == 0)
		rc = rd_ptr(lx, *dentry, VS_LXO_DENTRY_D_PARENT, &parent);
	if (rc < 0)
		return rc;
	if (*dentry != root && *dentry != parent)
		return 1;
	rc = rd_ptr(lx, *mnt, VS_LXO_MOUNT_MNT_PARENT, &parent);
	if (rc < 0)
		return rc;
	if (parent == *mnt || parent == 0)
		return 0;
	rc = rd_ptr(lx, *mnt, VS_LXO_MOUNT_MNT_MOUNTPOINT, dentry);
	*mnt = parent;
	return rc < 0 ? rc : 2;
}

int vs_lx_path_read(struct vs_lx *lx, uint64_t path, char *buf, size_t cap,
		    size_t *len, bool *truncated)
{
	uint64_t dentry, vfsmnt, mnt;
	size_t pos = cap - 1;
	int rc = rd_ptr(lx, path, VS_LXO_PATH_DENTRY, &dentry);

	*truncated = false;
	if (rc == 0)
		rc = rd_ptr(lx, path, VS_LXO_PATH_MNT, &vfsmnt);
	if (rc < 0)
		return rc;
	mnt = vfsmnt - OFF(lx, VS_LXO_MOUNT_MNT);
	buf[pos] = '\0';
	for (unsigned depth = 0;; depth++) {
		char name[NAME_MAX_BYTES];
		size_t n;

		if (depth >= VS_LX_MAX_PATH_DEPTH) {
			*truncated = true;
			break;
		}
		rc = path_step(lx, &dentry, &mnt);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
		if (rc == 2)
			continue;
		rc = dentry_name(lx, dentry, name, &n);
		if (rc < 0)
			return rc;
		if (!prepend(buf, &pos, name, n)) {
			*truncated = true;
			break;
		}
		rc = rd_ptr(lx, dentry, VS_LXO_DENTRY_D_PARENT, &dentry);
		if (rc < 0)
			return rc;
	}
	if (pos == cap - 1)
		buf[--pos] = '/';
	*len = cap - 1 - pos;
	memmove(buf, buf + pos, *len + 1);
	return 0;
}

static void read_ids(struct vs_lx *lx, uint64_t task, struct vs_proc *p)
{
	uint64_t parent, cred;
	uint32_t uid, euid;

	if (rd_ptr(lx, task, VS_LXO_TASK_REAL_PARENT, &parent) < 0 ||
	    rd_i32(lx, parent, VS_LXO_TASK_TGID, &p->ppid) < 0) {
		p->ppid = -1;
		p->unreadable |= VS_PROC_U_PPID;
	}
	if (rd_ptr(lx, task, VS_LXO_TASK_REAL_CRED, &cred) < 0 ||
	    vs_gmem_u32(&lx->km, cred + OFF(lx, VS_LXO_CRED_UID), &uid) < 0 ||
	    vs_gmem_u32(&lx->km, cred + OFF(lx, VS_LXO_CRED_EUID), &euid) < 0) {
		p->unreadable |= VS_PROC_U_CRED;
		return;
	}
	p->uid = uid;
	p->euid = euid;
}

static void read_kind(struct vs_lx *lx, uint64_t task, struct vs_proc *p)
{
	uint32_t flags;
	uint64_t tif;

	if (vs_gmem_u32(&lx->km, task + OFF(lx, VS_LXO_TASK_FLAGS), &flags) < 0)
		p->unreadable |= VS_PROC_U_FLAGS;
	else
		p->kernel_thread = flags & VS_LX_PF_KTHREAD;
	if (!p->kernel_thread && lx->off.found[VS_LXO_TASK_THREAD_INFO] &&
	    lx->off.found[VS_LXO_THREAD_INFO_FLAGS] &&
	    vs_gmem_u64(&lx->km, task + OFF(lx, VS_LXO_TASK_THREAD_INFO) +
			OFF(lx, VS_LXO_THREAD_INFO_FLAGS), &tif) == 0 &&
	    (tif & (1ull << VS_LX_TIF_ADDR32)))
		p->bitness = 32;
	vs_gmem_u64(&lx->km, task + OFF(lx, VS_LXO_TASK_START_TIME),
		    &p->start_time_ns);
}

static void read_name(struct vs_lx *lx, uint64_t task, struct vs_proc *p)
{
	uint64_t mm = 0, exe = 0;

	if (!p->kernel_thread &&
	    rd_ptr(lx, task, VS_LXO_TASK_MM, &mm) == 0 && mm &&
	    rd_ptr(lx, mm, VS_LXO_MM_EXE_FILE, &exe) == 0 && exe) {
		if (vs_lx_path_read(lx, exe + OFF(lx, VS_LXO_FILE_F_PATH),
				    p->name, sizeof(p->name), &p->name_len,
				    &p->name_truncated) == 0)
			return;
		p->unreadable |= VS_PROC_U_PATH;
	}
	memcpy(p->name, p->comm, p->comm_len + 1);
	p->name_len = p->comm_len;
}

int vs_lx_task_read(struct vs_lx *lx, uint64_t task, struct vs_proc *p)
{
	char comm[16];
	int rc;

	memset(p, 0, sizeof(*p));
	p->obj = task;
	p->uid = p->euid = -1;
	p->bitness = 64;
	rc = rd_i32(lx, task, VS_LXO_TASK_TGID, &p->pid);
	if (rc == 0)
		rc = rd_i32(lx, task, VS_LXO_TASK_PID, &p->tid);
	if (rc < 0)
		return rc;
	if (vs_gmem_read(&lx->km, task + OFF(lx, VS_LXO_TASK_COMM), comm,
			 sizeof(comm)) < 0) {
		p->unreadable |= VS_PROC_U_COMM;
	} else {
		p->comm_len = strnlen(comm, sizeof(comm));
		memcpy(p->comm, comm, p->comm_len);
	}
	read_ids(lx, task, p);
	read_kind(lx, task, p);
	read_name(lx, task, p);
	return 0;
}

int vs_lx_task_foreach(struct vs_lx *lx, vs_proc_fn fn, void *opaque)
{
	struct vs_proc *p = g_new(struct vs_proc, 1);
	struct vs_gmem_list it;
	uint64_t node;
	int rc = vs_lx_task_read(lx, lx->init_task, p);

	if (rc < 0) {
		g_free(p);
		return rc;
	}
	rc = fn(p, opaque);
	vs_gmem_list_init(&it, &lx->km, lx->init_task + OFF(lx, VS_LXO_TASK_TASKS),
			  VS_LX_MAX_TASKS);
	while (rc == 0 && (rc = vs_gmem_list_next(&it, &node)) == 1) {
		rc = vs_lx_task_read(lx, node - OFF(lx, VS_LXO_TASK_TASKS), p);
		if (rc == 0)
			rc = fn(p, opaque);
	}
	vs_gmem_list_fini(&it);
	g_free(p);
	return rc;
}

int vs_lx_current_task(struct vs_lx *lx, unsigned vcpu, uint64_t *task)
{
	uint64_t cs = 0, base = 0;
	int gs;

	if (lx->reg_cs >= 0)
		vs_backend_read_reg(lx->be, vcpu, lx->reg_cs, &cs);
	/* In user mode the kernel's per-CPU base sits in KERNEL_GS_BASE. */
	gs = (cs & 3) ? lx->reg_k_gs_base : lx->reg_gs_base;
	if (gs >= 0)
		vs_backend_read_reg(lx->be, vcpu, gs, &base);
	if (!base && lx->per_cpu_offset &&
	    vs_gmem_u64(&lx->km, lx->per_cpu_offset + 8ull * vcpu, &base) < 0)
		return -EFAULT;
	if (!base)
		return -ENOENT;
	return vs_gmem_u64(&lx->km, base + lx->cur_sym + lx->cur_member, task);
}

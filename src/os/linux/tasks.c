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

/* What the walk knows of one mount and one dentry, each read at once. */
struct mnt_rd {
	uint64_t mnt, root, parent, mountpoint;
	int rc_root, rc_parent, rc_mountpoint;
};

#define DENT_TAIL 48     /* d_inode + the inline name follow d_name */
#define DENT_WIN  192

struct dent_rd {
	uint64_t dentry, parent, name;
	uint32_t len;
	int rc_parent, rc_name, rc_len;
	uint64_t win_lo;                  /* window [dentry + lo, + win_len) */
	size_t win_len;
	uint8_t win[DENT_WIN];
};

static void mnt_load(struct vs_lx *lx, uint64_t mnt, struct mnt_rd *r)
{
	struct vs_gmem_field f[3] = {
		{ OFF(lx, VS_LXO_MOUNT_MNT) + OFF(lx, VS_LXO_VFSMOUNT_MNT_ROOT),
		  8, &r->root, 0 },
		{ OFF(lx, VS_LXO_MOUNT_MNT_PARENT), 8, &r->parent, 0 },
		{ OFF(lx, VS_LXO_MOUNT_MNT_MOUNTPOINT), 8, &r->mountpoint, 0 },
	};

	r->mnt = mnt;
	vs_gmem_gather(&lx->km, mnt, f, 3);
	r->rc_root = f[0].rc;
	r->rc_parent = f[1].rc;
	r->rc_mountpoint = f[2].rc;
}

/* d_parent and d_name of @dentry in one read that also covers the inline
 * name (short names point into the dentry itself); lone reads if the
 * window is unreadable, which give exactly the old per-field results. */
static void dent_load(struct vs_lx *lx, uint64_t dentry, struct dent_rd *r)
{
	uint64_t par = OFF(lx, VS_LXO_DENTRY_D_PARENT);
	uint64_t q = OFF(lx, VS_LXO_DENTRY_D_NAME);
	uint64_t qn = q + OFF(lx, VS_LXO_QSTR_NAME);
	uint64_t ql = q + OFF(lx, VS_LXO_QSTR_LEN);
	uint64_t lo = par < q ? par : q, hi = par + 8;

	if (qn + 8 > hi)
		hi = qn + 8;
	if (ql + 4 > hi)
		hi = ql + 4;
	if (q + 16 + DENT_TAIL > hi)
		hi = q + 16 + DENT_TAIL;
	r->dentry = dentry;
	r->win_len = 0;
	if (hi - lo <= DENT_WIN &&
	    vs_gmem_span(&lx->km, dentry + lo, r->win, hi - lo) == 0) {
		r->win_lo = lo;
		r->win_len = hi - lo;
		memcpy(&r->parent, r->win + (par - lo), 8);
		memcpy(&r->name, r->win + (qn - lo), 8);
		memcpy(&r->len, r->win + (ql - lo), 4);
		r->rc_parent = r->rc_name = r->rc_len = 0;
		return;
	}
	r->rc_parent = vs_gmem_u64(&lx->km, dentry + par, &r->parent);
	r->rc_name = vs_gmem_u64(&lx->km, dentry + qn, &r->name);
	r->rc_len = vs_gmem_u32(&lx->km, dentry + ql, &r->len);
}

/* The dentry's name (qstr), at most NAME_MAX bytes: from the window when
 * it lies there, else one read. */
static int dent_name(struct vs_lx *lx, const struct dent_rd *r, char *name,
		     size_t *n)
{
	uint32_t len = r->len;
	uint64_t w = r->dentry + r->win_lo;

	if (r->rc_name < 0)
		return r->rc_name;
	if (r->rc_len < 0)
		return r->rc_len;
	if (len > NAME_MAX_BYTES)
		len = NAME_MAX_BYTES;
	*n = len;
	if (r->win_len && r->name >= w && r->name - w <= r->win_len &&
	    len <= r->win_len - (r->name - w)) {
		memcpy(name, r->win + (r->name - w), len);
		return 0;
	}
	return vs_gmem_read(&lx->km, r->name, name, len);
}

/* Step up one level: to the parent dentry, or across a mount point.
 * Returns 1 to emit @dentry's name first, 0 at the global root, 2 after
 * crossing a mount point. @m and @d are reloaded when stale. */
static int path_step(struct vs_lx *lx, uint64_t *dentry, uint64_t *mnt,
		     struct mnt_rd *m, struct dent_rd *d)
{
	if (m->mnt != *mnt)
		mnt_load(lx, *mnt, m);
	if (d->dentry != *dentry)
		dent_load(lx, *dentry, d);
	if (m->rc_root < 0)
		return m->rc_root;
	if (d->rc_parent < 0)
		return d->rc_parent;
	if (*dentry != m->root && *dentry != d->parent)
		return 1;
	if (m->rc_parent < 0)
		return m->rc_parent;
	if (m->parent == *mnt || m->parent == 0)
		return 0;
	*dentry = m->mountpoint;
	*mnt = m->parent;
	return m->rc_mountpoint < 0 ? m->rc_mountpoint : 2;
}

int vs_lx_path_read(struct vs_lx *lx, uint64_t path, char *buf, size_t cap,
		    size_t *len, bool *truncated)
{
	uint64_t dentry = 0, vfsmnt = 0, mnt;
	size_t pos = cap - 1;
	struct vs_gmem_field f[2] = {
		{ OFF(lx, VS_LXO_PATH_DENTRY), 8, &dentry, 0 },
		{ OFF(lx, VS_LXO_PATH_MNT), 8, &vfsmnt, 0 },
	};
	struct mnt_rd m = { .mnt = 0 };
	struct dent_rd d;
	int rc;

	*truncated = false;
	vs_gmem_gather(&lx->km, path, f, 2);
	if (f[0].rc < 0 || f[1].rc < 0)
		return f[0].rc < 0 ? f[0].rc : f[1].rc;
	mnt = vfsmnt - OFF(lx, VS_LXO_MOUNT_MNT);
	/* 0 is never a mount or dentry we load (the walk stops before). */
	m.mnt = mnt + 1;
	d.dentry = dentry + 1;
	buf[pos] = '\0';
	for (unsigned depth = 0;; depth++) {
		char name[NAME_MAX_BYTES];
		size_t n;

		if (depth >= VS_LX_MAX_PATH_DEPTH) {
			*truncated = true;
			break;
		}
		rc = path_step(lx, &dentry, &mnt, &m, &d);
		if (rc < 0)
			return rc;
		if (rc == 0)
			break;
		if (rc == 2)
			continue;
		rc = dent_name(lx, &d, name, &n);
		if (rc < 0)
			return rc;
		if (!prepend(buf, &pos, name, n)) {
			*truncated = true;
			break;
		}
		dentry = d.parent;
	}
	if (pos == cap - 1)
		buf[--pos] = '/';
	*len = cap - 1 - pos;
	memmove(buf, buf + pos, *len + 1);
	return 0;
}

/* The task_struct fields one read of a process needs. */
enum { T_TGID, T_PID, T_COMM, T_PARENT, T_CRED, T_FLAGS, T_START, T_MM,
       T_TIF, T_N };

struct task_rd {
	int32_t tgid, pid;
	char comm[16];
	uint64_t parent, cred, start, mm, tif;
	uint32_t flags;
	int rc[T_N];
};

/* Members the hooks read next from the same task (procmon's keys, PGID,
 * CWD): read along when the km has a memo, which then serves them. */
static const enum vs_lxo task_extra[] = {
	VS_LXO_TASK_GROUP_LEADER, VS_LXO_TASK_SIGNAL, VS_LXO_TASK_FS,
};

static void task_load(struct vs_lx *lx, uint64_t task, struct task_rd *t)
{
	struct vs_gmem_field f[T_N] = {
		[T_TGID] = { OFF(lx, VS_LXO_TASK_TGID), 4, &t->tgid, 0 },
		[T_PID] = { OFF(lx, VS_LXO_TASK_PID), 4, &t->pid, 0 },
		[T_COMM] = { OFF(lx, VS_LXO_TASK_COMM), 16, t->comm, 0 },
		[T_PARENT] = { OFF(lx, VS_LXO_TASK_REAL_PARENT), 8, &t->parent, 0 },
		[T_CRED] = { OFF(lx, VS_LXO_TASK_REAL_CRED), 8, &t->cred, 0 },
		[T_FLAGS] = { OFF(lx, VS_LXO_TASK_FLAGS), 4, &t->flags, 0 },
		[T_START] = { OFF(lx, VS_LXO_TASK_START_TIME), 8, &t->start, 0 },
		[T_MM] = { OFF(lx, VS_LXO_TASK_MM), 8, &t->mm, 0 },
		[T_TIF] = { OFF(lx, VS_LXO_TASK_THREAD_INFO) +
			    OFF(lx, VS_LXO_THREAD_INFO_FLAGS), 8, &t->tif, 0 },
	};
	struct vs_gmem_field all[T_N + G_N_ELEMENTS(task_extra)];
	uint64_t sink[G_N_ELEMENTS(task_extra)];
	bool tif = lx->off.found[VS_LXO_TASK_THREAD_INFO] &&
		   lx->off.found[VS_LXO_THREAD_INFO_FLAGS];
	size_t n = tif ? T_N : T_N - 1;

	memcpy(all, f, sizeof(f));
	for (size_t i = 0; lx->km.memo && i < G_N_ELEMENTS(task_extra); i++)
		if (lx->off.found[task_extra[i]])
			all[n++] = (struct vs_gmem_field){
				OFF(lx, task_extra[i]), 8, &sink[i], 0 };
	vs_gmem_gather(&lx->km, task, all, n);
	for (int i = 0; i < T_N; i++)
		t->rc[i] = all[i].rc;
	if (!tif)
		t->rc[T_TIF] = -ENOENT;
}

static void read_ids(struct vs_lx *lx, const struct task_rd *t,
		     struct vs_proc *p)
{
	uint32_t uid, euid;
	int32_t ptgid;
	uint64_t sink[2];
	struct vs_gmem_field f[2] = {
		{ OFF(lx, VS_LXO_CRED_UID), 4, &uid, 0 },
		{ OFF(lx, VS_LXO_CRED_EUID), 4, &euid, 0 },
	};
	/* The parent's tgid, and with a memo what its key needs. */
	struct vs_gmem_field pf[3] = {
		{ OFF(lx, VS_LXO_TASK_TGID), 4, &ptgid, 0 },
		{ OFF(lx, VS_LXO_TASK_GROUP_LEADER), 8, &sink[0], 0 },
		{ OFF(lx, VS_LXO_TASK_START_TIME), 8, &sink[1], 0 },
	};
	size_t npf = lx->km.memo && lx->off.found[VS_LXO_TASK_GROUP_LEADER] ?
		     3 : 1;

	if (t->rc[T_PARENT] < 0 ||
	    (vs_gmem_gather(&lx->km, t->parent, pf, npf), pf[0].rc) < 0) {
		p->ppid = -1;
		p->unreadable |= VS_PROC_U_PPID;
	} else {
		p->ppid = ptgid;
	}
	if (t->rc[T_CRED] < 0 || vs_gmem_gather(&lx->km, t->cred, f, 2) < 0) {
		p->unreadable |= VS_PROC_U_CRED;
		return;
	}
	p->uid = uid;
	p->euid = euid;
}

static void read_kind(const struct task_rd *t, struct vs_proc *p)
{
	if (t->rc[T_FLAGS] < 0)
		p->unreadable |= VS_PROC_U_FLAGS;
	else
		p->kernel_thread = t->flags & VS_LX_PF_KTHREAD;
	if (!p->kernel_thread && t->rc[T_TIF] == 0 &&
	    (t->tif & (1ull << VS_LX_TIF_ADDR32)))
		p->bitness = 32;
	if (t->rc[T_START] == 0)
		p->start_time_ns = t->start;
}

static void read_name(struct vs_lx *lx, const struct task_rd *t,
		      struct vs_proc *p)
{
	uint64_t exe = 0;

	if (!p->kernel_thread && t->rc[T_MM] == 0 && t->mm &&
	    rd_ptr(lx, t->mm, VS_LXO_MM_EXE_FILE, &exe) == 0 && exe) {
		if (vs_lx_path_read(lx, exe + OFF(lx, VS_LXO_FILE_F_PATH),
				    p->name, sizeof(p->name), &p->name_len,
				    &p->name_truncated) == 0)
			return;
		p->unreadable |= VS_PROC_U_PATH;
	}
	memcpy(p->name, p->comm, p->comm_len + 1);
	p->name_len = p->comm_len;
}

/* All task_struct fields in one or two reads (vs_gmem_gather), then the
 * parent's tgid, the cred and the image path. */
int vs_lx_task_read(struct vs_lx *lx, uint64_t task, struct vs_proc *p)
{
	struct task_rd t;

	memset(p, 0, sizeof(*p));
	p->obj = task;
	p->uid = p->euid = -1;
	p->bitness = 64;
	task_load(lx, task, &t);
	if (t.rc[T_TGID] < 0)
		return t.rc[T_TGID];
	if (t.rc[T_PID] < 0)
		return t.rc[T_PID];
	p->pid = t.tgid;
	p->tid = t.pid;
	if (t.rc[T_COMM] < 0) {
		p->unreadable |= VS_PROC_U_COMM;
	} else {
		p->comm_len = strnlen(t.comm, sizeof(t.comm));
		memcpy(p->comm, t.comm, p->comm_len);
	}
	read_ids(lx, &t, p);
	read_kind(&t, p);
	read_name(lx, &t, p);
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

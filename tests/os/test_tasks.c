// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_tasks.c - the Linux task walk over a hand-made kernel heap.
 *
 * A buffer stands for kernel memory with made-up struct layouts (the
 * offsets table is filled by hand, as BTF would): init_task, a user
 * process whose exe lives on a second mount (/mnt/x is a mount point, so
 * the path must cross it), and a kernel thread. Checks: the walk order and
 * fields, the path across the mount, a task list whose last node points
 * back into the middle (must stop with -EINVAL, not loop), a d_parent
 * cycle (must stop at the depth bound and report truncation), and an ia32
 * task (TIF_ADDR32) reported with Bitness 32.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "os/linux/linux.h"

static int failures;

#define CHECK(c) do { if (!(c)) { failures++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c); } \
	} while (0)

#define BASE 0xffff888000000000ull
static uint8_t heap[0x10000];

/* Object addresses (offsets into heap). */
enum {
	T_INIT = 0x1000, T_USER = 0x2000, T_KTHR = 0x3000,
	MM = 0x4000, FILE_ = 0x4100, CRED = 0x4200,
	M_ROOT = 0x5000, M_X = 0x5100,
	D_ROOT = 0x6000, D_MNT = 0x6100, D_X = 0x6200, D_XROOT = 0x6300,
	D_PROG = 0x6400, STR = 0x7000,
};

static void set(uint64_t off, uint64_t v) { memcpy(heap + off, &v, 8); }
static void set32(uint64_t off, uint32_t v) { memcpy(heap + off, &v, 4); }

static void layout(struct vs_lx *lx)
{
	static const struct { enum vs_lxo id; uint64_t off; } t[] = {
		{ VS_LXO_TASK_TASKS, 0x10 }, { VS_LXO_TASK_PID, 0x20 },
		{ VS_LXO_TASK_TGID, 0x24 }, { VS_LXO_TASK_REAL_PARENT, 0x28 },
		{ VS_LXO_TASK_COMM, 0x30 }, { VS_LXO_TASK_MM, 0x40 },
		{ VS_LXO_TASK_FLAGS, 0x48 }, { VS_LXO_TASK_REAL_CRED, 0x50 },
		{ VS_LXO_TASK_START_TIME, 0x58 }, { VS_LXO_TASK_THREAD_INFO, 0 },
		{ VS_LXO_THREAD_INFO_FLAGS, 0 }, { VS_LXO_MM_EXE_FILE, 0x8 },
		{ VS_LXO_FILE_F_PATH, 0x10 }, { VS_LXO_PATH_MNT, 0 },
		{ VS_LXO_PATH_DENTRY, 8 }, { VS_LXO_DENTRY_D_PARENT, 0 },
		{ VS_LXO_DENTRY_D_NAME, 8 }, { VS_LXO_QSTR_LEN, 4 },
		{ VS_LXO_QSTR_NAME, 8 }, { VS_LXO_MOUNT_MNT_PARENT, 0 },
		{ VS_LXO_MOUNT_MNT_MOUNTPOINT, 8 }, { VS_LXO_MOUNT_MNT, 0x20 },
		{ VS_LXO_VFSMOUNT_MNT_ROOT, 0 }, { VS_LXO_CRED_UID, 4 },
		{ VS_LXO_CRED_EUID, 0x14 },
	};

	memset(lx, 0, sizeof(*lx));
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		lx->off.found[t[i].id] = true;
		lx->off.m[t[i].id].bit_off = t[i].off * 8;
	}
	vs_gmem_from_buffer(&lx->km, BASE, heap, sizeof(heap));
	lx->init_task = BASE + T_INIT;
}

static void dentry(uint64_t d, uint64_t parent, const char *name, int s)
{
	set(d + 0, BASE + parent);
	set32(d + 8 + 4, (uint32_t)strlen(name));
	set(d + 8 + 8, BASE + STR + 0x40 * s);
	memcpy(heap + STR + 0x40 * s, name, strlen(name));
}

static void task(uint64_t t, int pid, const char *comm, uint64_t next,
		 uint32_t flags, uint64_t mm)
{
	set(t + 0x10, BASE + next + 0x10);
	set32(t + 0x20, pid);
	set32(t + 0x24, pid);
	set(t + 0x28, BASE + T_INIT);
	memcpy(heap + t + 0x30, comm, strlen(comm));
	set(t + 0x40, mm ? BASE + mm : 0);
	set32(t + 0x48, flags);
	set(t + 0x50, BASE + CRED);
}

static void build(void)
{
	memset(heap, 0, sizeof(heap));
	task(T_INIT, 0, "swapper/0", T_USER, VS_LX_PF_KTHREAD, 0);
	task(T_USER, 1, "prog", T_KTHR, 0, MM);
	task(T_KTHR, 5, "kworker/0:1", T_INIT, VS_LX_PF_KTHREAD, 0);
	set32(CRED + 4, 1000);
	set32(CRED + 0x14, 0);
	set(MM + 8, BASE + FILE_);
	set(FILE_ + 0x10, BASE + M_X + 0x20);
	set(FILE_ + 0x18, BASE + D_PROG);
	set(M_ROOT, BASE + M_ROOT);                 /* its own parent */
	set(M_ROOT + 0x20, BASE + D_ROOT);
	set(M_X, BASE + M_ROOT);
	set(M_X + 8, BASE + D_X);                   /* mounted on /mnt/x */
	set(M_X + 0x20, BASE + D_XROOT);
	dentry(D_ROOT, D_ROOT, "/", 0);
	dentry(D_MNT, D_ROOT, "mnt", 1);
	dentry(D_X, D_MNT, "x", 2);
	dentry(D_XROOT, D_XROOT, "/", 3);
	dentry(D_PROG, D_XROOT, "prog", 4);
}

struct seen {
	int n;
	int64_t pid[8];
	char name[8][64];
	int trunc[8], bits[8];
};

static int collect(const struct vs_proc *p, void *opaque)
{
	struct seen *s = opaque;

	if (s->n < 8) {
		s->pid[s->n] = p->pid;
		snprintf(s->name[s->n], 64, "%.63s", p->name);
		s->trunc[s->n] = p->name_truncated;
		s->bits[s->n] = p->bitness;
	}
	s->n++;
	return 0;
}

int main(void)
{
	struct vs_lx lx;
	struct seen s = { 0 };

	layout(&lx);
	build();
	CHECK(vs_lx_task_foreach(&lx, collect, &s) == 0);
	CHECK(s.n == 3);
	CHECK(s.pid[0] == 0 && strcmp(s.name[0], "swapper/0") == 0);
	CHECK(s.pid[1] == 1 && strcmp(s.name[1], "/mnt/x/prog") == 0);
	CHECK(s.pid[2] == 5 && strcmp(s.name[2], "kworker/0:1") == 0);
	CHECK(s.bits[0] == 64 && s.bits[1] == 64);

	/* TIF_ADDR32 in thread_info.flags: an ia32 task. */
	set(T_USER, 1ull << VS_LX_TIF_ADDR32);
	memset(&s, 0, sizeof(s));
	CHECK(vs_lx_task_foreach(&lx, collect, &s) == 0);
	CHECK(s.bits[1] == 32 && s.bits[2] == 64);

	/* The kernel thread's next points back at the user task. */
	set(T_KTHR + 0x10, BASE + T_USER + 0x10);
	memset(&s, 0, sizeof(s));
	CHECK(vs_lx_task_foreach(&lx, collect, &s) == -EINVAL);
	CHECK(s.n == 3);

	/* d_parent cycle between "x" and "mnt", never reaching a root. */
	build();
	set(D_MNT, BASE + D_X);
	set(M_X + 8, BASE + D_X);
	memset(&s, 0, sizeof(s));
	CHECK(vs_lx_task_foreach(&lx, collect, &s) == 0);
	CHECK(s.n == 3 && s.trunc[1] == 1);

	/* An unreadable mm->exe_file falls back to comm. */
	build();
	set(MM + 8, 0xdead000000000000ull);
	memset(&s, 0, sizeof(s));
	CHECK(vs_lx_task_foreach(&lx, collect, &s) == 0);
	CHECK(strcmp(s.name[1], "prog") == 0);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}

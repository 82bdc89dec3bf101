// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * scenario.c - the one scenario every profile runs (scenario.h): what it
 * plants and which hooks it fires, in order. The expected lines in
 * tests/windows/expected.txt were written by hand from this file.
 *
 *   running: System 4, Registry 92, smss 348, lsass 600, (dead 1234 has
 *            ExitProcessReported: not listed), app32 1800 (WoW64),
 *            explorer 2468
 *   E1  lsass NtOpenProcess(explorer), between E2's entry and return
 *   E2  explorer NtCreateUserProcess -> cmd.exe 3056/3060
 *   E3  explorer NtCreateUserProcess -> setup32.exe 3100/3104 (WoW64),
 *       handles in the second page of a level-1 table
 *   E4  explorer NtCreateProcessEx -> forkchild 3200
 *   E5  explorer NtOpenThread(3056, 3060)
 *   E6  cmd thread attached to setup32: NtProtectVirtualMemory(-1, 0x140)
 *   E7  lsass NtAdjustPrivilegesToken(0x1a4 + garbage bits, 3 privileges)
 *   E8  explorer NtAdjustPrivilegesToken(DisableAll)
 *   E9  explorer NtTerminateProcess(0x2f0 = cmd, 0)
 *   E10 setup32 NtTerminateProcess(0, 1)
 *   E11 setup32 NtTerminateProcess(-1, 1)
 *   E12 System NtTerminateProcess(kernel handle -> forkchild,
 *       0x1C0000005: garbage above the NTSTATUS)
 *   E13 System MmCleanProcessAddressSpace(cmd)
 *   E14 System MmCleanProcessAddressSpace(unmapped) -> -1, Unreadable
 *   (cmd's object is deleted: out of the ring, handles 0x2f0/0x2ec free)
 *   E15 explorer NtCreateUserProcess -> notepad.exe 3056/3064: cmd's PID
 *       again, and the same handle values
 *   E16 notepad NtTerminateProcess(-1, 0)
 *   E17 lsass NtOpenThread by thread id only (CLIENT_ID {0, 3104}):
 *       ClientID is then the caller's PID (DRAKVUF), the returned handle
 *       0x3c8 is setup32's thread (TargetProcessKey: setup32)
 * E1's returned handle 0x3c4 is in lsass's table (explorer); E5's 0x304
 * is in no table (TargetProcessKey from ClientID).
 *
 * CreateTime (100 ns units since 1601; T0 = 134403264000000000 is
 * 2026-11-28 08:00:00 UTC): System T0, Registry T0+5000000, smss
 * T0+12345678, lsass T0+80000001, dead T0+100000000, app32 T0+600000000,
 * explorer T0+900000000 (younger than app32, whose PPID 2468 is thus a
 * reused PID: no ParentProcessKey), cmd T0+1200000000, setup32
 * T0+1210000000, forkchild T0+1220000000, notepad T0+1300000000.
 */
#include "scenario.h"

#include <string.h>

#include "backend/memimage/memimage.h"

#define RET_VA (WG_KERNEL_BASE + 0x1000)  /* stands for KiSystemServiceCopyEnd */
#define HV "\\Device\\HarddiskVolume2"
#define T0 134403264000000000ull  /* 2026-11-28 08:00:00 UTC */

enum { H_CUP, H_CPEX, H_TERM, H_MMCLEAN, H_OPENP, H_OPENT, H_PROT, H_PRIV };

struct world {
	struct wguest *g;
	struct wg_proc *sys, *lsass, *explorer, *cmd, *setup, *fork;
	struct wg_thread *t_sys, *t_lsass, *t_expl, *t_cmd, *t_setup;
	int fired;
	struct { int pid; struct wg_proc *p; } planted[16];
	int nplanted;
};

static struct wg_proc *plant(struct world *w, uint64_t pml4, int pid, int ppid,
			     const char *name, const char *path, int session,
			     bool wow64, int level, uint64_t create_time)
{
	struct wg_proc *p = wg_process(w->g, pml4, pid, ppid, name, path,
				       session, wow64, level);

	wg_create_time(w->g, p, create_time);

	if (w->nplanted < 16)
		w->planted[w->nplanted++] = (typeof(w->planted[0])){ pid, p };
	return p;
}

/* Fire the entry hook @h with @args on thread @t (made current). */
static uint64_t enter(struct world *w, struct wg_thread *t, int h,
		      const uint64_t *args, unsigned n)
{
	uint64_t rsp;

	wg_run(w->g, t);
	wg_call(w->g, t, args, n, RET_VA, &rsp);
	w->fired += vs_memimage_fire(w->g->s.be, 0, wg_hook_va(w->g, h));
	return rsp;
}

static void leave(struct world *w, struct wg_thread *t, uint64_t rsp,
		  uint64_t rax)
{
	wg_run(w->g, t);
	w->fired += wg_return(w->g, t, rsp, RET_VA, rax);
}

int scenario_guest(struct wguest *g, const struct wt_readme *r,
		   const char *dir, int col, struct scenario_state *st,
		   bool wrong_offset)
{
	/* The ISF read is slow (json-glib): once per build. */
	static struct wt_isf_extra cache[WT_MAX_BUILDS];
	static bool cached[WT_MAX_BUILDS];
	struct wg_layout L;

	if (col < 0 || col >= WT_MAX_BUILDS)
		return -1;
	if (!cached[col]) {
		char *path = g_build_filename(dir, r->file[col], NULL);
		int rc = wt_isf_extra(path, &cache[col]);

		g_free(path);
		if (rc < 0)
			return -1;
		cached[col] = true;
	}
	if (wg_layout(r, col, &cache[col], &L) < 0)
		return -1;
	memset(g, 0, sizeof(*g));
	g->wrong_pid_offset = wrong_offset;
	if (wg_init(g, &L) < 0)
		return -1;
	scenario_setup(g, st);
	return g->s.failed ? -1 : 0;
}

uint64_t scenario_eprocess(struct scenario_state *st, int pid)
{
	struct world *w = st->priv;

	for (int i = 0; i < w->nplanted; i++)
		if (w->planted[i].pid == pid)
			return w->planted[i].p->ep;
	return 0;
}

void scenario_setup(struct wguest *g, struct scenario_state *st)
{
	struct world *w = g_new0(struct world, 1);
	struct wg_proc *p;

	w->g = g;
	w->sys = plant(w, g->s.kpml4, 4, 0, "System", NULL, -1, false, 2, T0);
	plant(w, g->space[0], 92, 4, "Registry", NULL, -1, false, -1,
	      T0 + 5000000);
	plant(w, g->space[1], 348, 4, "smss.exe",
		   HV "\\Windows\\System32\\smss.exe", 0, false, 0,
		   T0 + 12345678);
	w->lsass = plant(w, g->space[2], 600, 480, "lsass.exe",
			      HV "\\Windows\\System32\\lsass.exe", 0, false, 0,
			      T0 + 80000001);
	p = plant(w, g->space[3], 1234, 600, "dead.exe",
		       HV "\\dead.exe", 0, false, 0, T0 + 100000000);
	wg_exit_reported(g, p);
	plant(w, g->space[4], 1800, 2468, "app32.exe",
		   HV "\\Program Files (x86)\\app32.exe", 1, true, 0,
		   T0 + 600000000);
	w->explorer = plant(w, g->space[5], 2468, 2440, "explorer.exe",
				 HV "\\Windows\\explorer.exe", 1, false, 1,
				 T0 + 900000000);
	w->t_sys = wg_thread(g, w->sys, 8);
	w->t_lsass = wg_thread(g, w->lsass, 604);
	w->t_expl = wg_thread(g, w->explorer, 2472);
	/* Discovery starts from explorer's thread, as a trap in it would. */
	wg_run(g, w->t_expl);
	st->priv = w;
}

/* E1 inside E2: lsass opens explorer while explorer creates cmd.exe. */
static void create_cmd(struct world *w)
{
	struct wguest *g = w->g;
	struct wg_proc *e = w->explorer, *l = w->lsass;
	uint64_t ph = wg_ualloc(g, e, 8), th = wg_ualloc(g, e, 8);
	uint64_t params = wg_ualloc(g, e, 0x400), rsp, rsp2;
	uint64_t lh = wg_ualloc(g, l, 8), cid = wg_ualloc(g, l, 16);

	wg_ustr(g, e->pml4, params + g->L.upp_cmdline,
		"\"C:\\Windows\\system32\\cmd.exe\" /c echo hi", e);
	wg_ustr(g, e->pml4, params + g->L.upp_image,
		"C:\\Windows\\system32\\cmd.exe", e);
	wg_ustr(g, e->pml4, params + g->L.upp_dllpath,
		"C:\\Windows\\system32;C:\\Windows", e);
	wg_ustr(g, e->pml4, params + g->L.upp_curdir + g->L.curdir_dospath,
		"C:\\Users\\user\\", e);
	rsp = enter(w, w->t_expl, H_CUP, (uint64_t[]){ ph, th, 0x1fffff,
		    0x1fffff, 0, 0, 0, 1, params, 0, 0 }, 11);

	synth_w64(&g->s, l->pml4, cid + g->L.cid_pid, 2468);
	rsp2 = enter(w, w->t_lsass, H_OPENP, (uint64_t[]){ lh,
		     0xFFFFFFFF001FFFFFull, 0x5f1e8, cid }, 4);
	synth_w64(&g->s, l->pml4, lh, 0x3c4);
	wg_handle(g, l, 0x3c4, e->ep);
	leave(w, w->t_lsass, rsp2, 0);

	w->cmd = plant(w, g->space[6], 3056, 2468, "cmd.exe",
			    HV "\\Windows\\System32\\cmd.exe", 1, false, 0,
			    T0 + 1200000000);
	w->t_cmd = wg_thread(g, w->cmd, 3060);
	wg_handle(g, e, 0x2f0, w->cmd->ep);
	wg_handle(g, e, 0x2ec, w->t_cmd->et);
	synth_w64(&g->s, e->pml4, ph, 0x2f0);
	synth_w64(&g->s, e->pml4, th, 0x2ec);
	leave(w, w->t_expl, rsp, 0);
}

static void create_setup(struct world *w)
{
	struct wguest *g = w->g;
	struct wg_proc *e = w->explorer;
	uint64_t ph = wg_ualloc(g, e, 8), th = wg_ualloc(g, e, 8);
	uint64_t params = wg_ualloc(g, e, 0x400), rsp;

	wg_ustr(g, e->pml4, params + g->L.upp_cmdline,
		"setup32.exe /lang:Fran\xc3\xa7" "ais", e);
	wg_ustr(g, e->pml4, params + g->L.upp_image, "D:\\Setup\\setup32.exe", e);
	wg_ustr(g, e->pml4, params + g->L.upp_dllpath, "", e);
	wg_ustr(g, e->pml4, params + g->L.upp_curdir + g->L.curdir_dospath,
		"D:\\Setup\\", e);
	rsp = enter(w, w->t_expl, H_CUP, (uint64_t[]){ ph, th, 0x1fffff,
		    0x1fffff, 0, 0, 0, 1, params, 0, 0 }, 11);
	w->setup = plant(w, g->space[7], 3100, 2468, "setup32.exe",
			      HV "\\Setup\\setup32.exe", 1, true, 0,
			      T0 + 1210000000);
	w->t_setup = wg_thread(g, w->setup, 3104);
	wg_handle(g, e, 0x7f8, w->setup->ep);   /* index 510: second page */
	wg_handle(g, e, 0x7fc, w->t_setup->et);
	synth_w64(&g->s, e->pml4, ph, 0x7f8);
	synth_w64(&g->s, e->pml4, th, 0x7fc);
	leave(w, w->t_expl, rsp, 0);
}

static void create_ex_and_open_thread(struct world *w)
{
	struct wguest *g = w->g;
	struct wg_proc *e = w->explorer;
	uint64_t ph = wg_ualloc(g, e, 8), cid = wg_ualloc(g, e, 16), rsp;

	rsp = enter(w, w->t_expl, H_CPEX, (uint64_t[]){ ph, 0x1fffff, 0,
		    (uint64_t)-1, 4, 0x2f8, 0, 0, 0 }, 9);
	w->fork = plant(w, g->space[8], 3200, 2468, "forkchild.exe",
			     NULL, 1, false, 0, T0 + 1220000000);
	wg_handle(g, e, 0x300, w->fork->ep);
	synth_w64(&g->s, e->pml4, ph, 0x300);
	leave(w, w->t_expl, rsp, 0);

	synth_w64(&g->s, e->pml4, cid + g->L.cid_pid, 3056);
	synth_w64(&g->s, e->pml4, cid + g->L.cid_tid, 3060);
	rsp = enter(w, w->t_expl, H_OPENT, (uint64_t[]){ ph, 0x1fffff, 0, cid }, 4);
	synth_w64(&g->s, e->pml4, ph, 0x304);
	leave(w, w->t_expl, rsp, 0);
}

static void protect_and_privileges(struct world *w)
{
	struct wguest *g = w->g;
	struct wg_proc *l = w->lsass;
	uint64_t ns = wg_ualloc(g, l, 64), rsp;
	uint8_t tp[4 + 3 * 12];
	const uint32_t luid[3] = { 20, 19, 36 }, attr[3] = { 2, 3, 0 };

	wg_attach(g, w->t_cmd, w->setup);
	wg_run(g, w->t_cmd);
	wg_call(g, w->t_cmd, (uint64_t[]){ (uint64_t)-1, 0, 0, 0x140 }, 4,
		RET_VA, &rsp);
	vs_memimage_set_reg(g->s.be, 0, "cr3", w->setup->pml4);
	w->fired += vs_memimage_fire(g->s.be, 0, wg_hook_va(g, H_PROT));
	wg_attach(g, w->t_cmd, NULL);

	memset(tp, 0, sizeof(tp));
	tp[0] = 3;
	for (int i = 0; i < 3; i++) {
		memcpy(tp + 4 + 12 * i, &luid[i], 4);
		memcpy(tp + 4 + 12 * i + 8, &attr[i], 4);
	}
	synth_write(&g->s, l->pml4, ns, tp, sizeof(tp));
	enter(w, w->t_lsass, H_PRIV, (uint64_t[]){ 0xDEAD0000000001A4ull, 0,
	      ns, 0 }, 4);
	enter(w, w->t_expl, H_PRIV, (uint64_t[]){ 0x1b0, 1, 0, 0 }, 4);
}

static void terminations(struct world *w)
{
	enter(w, w->t_expl, H_TERM, (uint64_t[]){ 0x2f0, 0 }, 2);
	enter(w, w->t_setup, H_TERM, (uint64_t[]){ 0, 1 }, 2);
	enter(w, w->t_setup, H_TERM, (uint64_t[]){ (uint64_t)-1, 1 }, 2);
	/* A kernel handle: bit 31, in System's level-2 table. */
	wg_handle(w->g, w->sys, 0x124, w->fork->ep);
	enter(w, w->t_sys, H_TERM, (uint64_t[]){ 0xFFFFFFFF80000124ull,
	      0x1C0000005ull }, 2);
	enter(w, w->t_sys, H_MMCLEAN, (uint64_t[]){ w->cmd->ep }, 1);
	enter(w, w->t_sys, H_MMCLEAN, (uint64_t[]){ 0xFFFFF80FFFFF0000ull }, 1);
}

/* E15, E16: cmd is gone; notepad gets its PID and explorer's handle
 * values, with its own CreateTime, so its key differs from cmd's. */
static void pid_reuse(struct world *w)
{
	struct wguest *g = w->g;
	struct wg_proc *e = w->explorer, *n;
	struct wg_thread *t;
	uint64_t ph = wg_ualloc(g, e, 8), th = wg_ualloc(g, e, 8);
	uint64_t params = wg_ualloc(g, e, 0x400), rsp;

	wg_unlink(g, w->cmd);
	wg_ustr(g, e->pml4, params + g->L.upp_cmdline, "notepad.exe", e);
	wg_ustr(g, e->pml4, params + g->L.upp_image,
		"C:\\Windows\\notepad.exe", e);
	wg_ustr(g, e->pml4, params + g->L.upp_dllpath, "", e);
	wg_ustr(g, e->pml4, params + g->L.upp_curdir + g->L.curdir_dospath,
		"C:\\Users\\user\\", e);
	rsp = enter(w, w->t_expl, H_CUP, (uint64_t[]){ ph, th, 0x1fffff,
		    0x1fffff, 0, 0, 0, 1, params, 0, 0 }, 11);
	n = plant(w, g->space[9], 3056, 2468, "notepad.exe",
		  HV "\\Windows\\notepad.exe", 1, false, 0, T0 + 1300000000);
	t = wg_thread(g, n, 3064);
	wg_handle(g, e, 0x2f0, n->ep);
	wg_handle(g, e, 0x2ec, t->et);
	synth_w64(&g->s, e->pml4, ph, 0x2f0);
	synth_w64(&g->s, e->pml4, th, 0x2ec);
	leave(w, w->t_expl, rsp, 0);
	enter(w, t, H_TERM, (uint64_t[]){ (uint64_t)-1, 0 }, 2);
}

/* E17: an open by thread id names its process only through the handle. */
static void open_by_tid(struct world *w)
{
	struct wguest *g = w->g;
	struct wg_proc *l = w->lsass;
	uint64_t th = wg_ualloc(g, l, 8), cid = wg_ualloc(g, l, 16), rsp;

	synth_w64(&g->s, l->pml4, cid + g->L.cid_pid, 0);
	synth_w64(&g->s, l->pml4, cid + g->L.cid_tid, 3104);
	rsp = enter(w, w->t_lsass, H_OPENT, (uint64_t[]){ th, 0x1fffff, 0, cid },
		    4);
	wg_handle(g, l, 0x3c8, w->t_setup->et);
	synth_w64(&g->s, l->pml4, th, 0x3c8);
	leave(w, w->t_lsass, rsp, 0);
}

int scenario_run(struct scenario_state *st)
{
	struct world *w = st->priv;

	create_cmd(w);
	create_setup(w);
	create_ex_and_open_thread(w);
	protect_and_privileges(w);
	terminations(w);
	pid_reuse(w);
	open_by_tid(w);
	return w->fired;
}

void scenario_free(struct scenario_state *st)
{
	g_free(st->priv);
	st->priv = NULL;
}

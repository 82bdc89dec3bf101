// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hotpath.c - host cost of procmon's Linux hooks over a recorded guest.
 *
 * hotpath DUMP [--iters N] [--reps R] [--only KIND] [--output SPEC]
 *              [--cold MB]
 *
 * DUMP is a QEMU dump-guest-memory ELF core of a booted Debian guest
 * (tests/integration/tools/mkdump.py). The dump backend serves its memory;
 * a thin "replay" backend around it adds what a live guest has: a register
 * file per vCPU (started from the dump's, switched to kernel mode), a hook
 * table that the real pipeline fills (procmon arms its real hooks, found
 * by the real Linux discovery), a small scratch area of kernel memory for
 * the call arguments (kernel_clone_args, a linux_binprm with its argv/envp
 * strings, a stack holding a return address), and an overlay of the
 * per-CPU `current` pointer so a chosen user process is the caller. Each
 * KIND then fires the registered hook functions at their addresses, like
 * QEMU's instruction callback does, with events going to /dev/null:
 *   ret_idle     a return-site hit with nothing pending (prints nothing)
 *   ret_other    a return-site hit while another task's call is pending
 *                (prints nothing: current task, stack pointer, lookup)
 *   clone_entry  kernel_clone entry: arguments saved, nothing printed
 *   clone        kernel_clone entry + return: one event
 *   exec         begin_new_exec entry + return: one event
 *   exit         do_exit (hooked at its call to acct_collect when the
 *                kernel has it, as procmon prefers): one event
 *   signal       do_send_sig_info: one event
 * For each KIND: R repetitions of N hits (after a warm-up), one JSON line
 * {"kind","prints","events","ns":[per-hit ns of each repetition],
 *  "reads_per_iter", "read_bytes_per_iter", "reg_reads_per_iter"}: guest
 * memory reads (each one a qemu_plugin_read_memory_vaddr() call in QEMU),
 * their bytes and register reads per hit, and a summary table on stderr.
 * --output SPEC replaces the default json:/dev/null (to compare events).
 * Under callgrind, --toggle-collect='hp_kind_*' counts only the hits.
 *
 * --cold MB: before every hit, write one byte per cache line of an MB
 * buffer of 4 KiB pages, and time the hits alone. In QEMU a hit comes
 * after milliseconds of guest execution that have pushed vmiscope's code
 * and data out of the caches; with MB above the host's L2 this shows what
 * that costs, above its L3 the worst case (use --iters 400 or so: each
 * sweep takes milliseconds).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>

#include <glib.h>

#include "backend/dump/dump.h"
#include "backend/x86regs.h"
#include "common/log.h"
#include "os/os.h"
#include "pipeline/options.h"
#include "pipeline/pipeline.h"

#define MAX_HOOKS 1024
#define SCRATCH_VA 0xffffff7f00000000ull   /* unused kernel hole */
#define SCRATCH_LEN 0x4000u
#define S_ARGS   (SCRATCH_VA + 0x0000)
#define S_BPRM   (SCRATCH_VA + 0x0400)
#define S_STRS   (SCRATCH_VA + 0x1000)
#define S_FNAME  (SCRATCH_VA + 0x1800)
#define S_STACK  (SCRATCH_VA + 0x3f00)
#define S_STACK2 (SCRATCH_VA + 0x3e00)

struct hook {
	uint64_t va;
	vs_hook_fn fn;
	void *opaque;
};

struct replay {
	struct vs_backend *inner;
	unsigned nvcpus;
	uint64_t regs[2][VS_X86_NREGS];
	struct hook hooks[MAX_HOOKS];
	unsigned nhooks;
	uint8_t scratch[SCRATCH_LEN];
	uint64_t cur_va, cur_task;         /* overlay of `current` */
	uint64_t clock;
	uint64_t reads, read_bytes, reg_reads;  /* what a live guest pays */
};

static struct replay R;
static struct vs_backend rb;

/* ---- the replay backend ------------------------------------------------ */

static int rp_reg_id(struct vs_backend *be, const char *name, int *id)
{
	return vs_x86_reg_lookup(name, id);
}

static int rp_read_reg(struct vs_backend *be, unsigned vcpu, int id,
		       uint64_t *val)
{
	if (vcpu >= R.nvcpus || id < 0 || id >= VS_X86_NREGS)
		return -EINVAL;
	R.reg_reads++;
	*val = R.regs[vcpu][id];
	return 0;
}

static int rp_read_va(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
		      uint64_t va, void *buf, size_t len)
{
	int rc;

	/* Each call is one qemu_plugin_read_memory_vaddr() in QEMU. */
	R.reads++;
	R.read_bytes += len;
	if (va >= SCRATCH_VA && va - SCRATCH_VA < SCRATCH_LEN) {
		if (len > SCRATCH_LEN - (va - SCRATCH_VA))
			return -EFAULT;
		memcpy(buf, R.scratch + (va - SCRATCH_VA), len);
		return 0;
	}
	rc = vs_backend_read_va(R.inner, vcpu, dtb, va, buf, len);
	if (rc == 0 && R.cur_va && va < R.cur_va + 8 && R.cur_va < va + len) {
		/* Overlay byte by byte: reads may start anywhere. */
		for (size_t i = 0; i < len; i++)
			if (va + i >= R.cur_va && va + i < R.cur_va + 8)
				((uint8_t *)buf)[i] =
					(uint8_t)(R.cur_task >> (8 * (va + i - R.cur_va)));
	}
	return rc;
}

static int rp_read_pa(struct vs_backend *be, uint64_t pa, void *buf,
		      size_t len)
{
	return vs_backend_read_pa(R.inner, pa, buf, len);
}

static int rp_translate(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
			uint64_t va, uint64_t *pa)
{
	return vs_backend_translate(R.inner, vcpu, dtb, va, pa);
}

static int rp_hook_add(struct vs_backend *be, uint64_t va, vs_hook_fn fn,
		       void *opaque, int *id)
{
	if (R.nhooks >= MAX_HOOKS)
		return -ENOSPC;
	R.hooks[R.nhooks] = (struct hook){ va, fn, opaque };
	*id = (int)R.nhooks++;
	return 0;
}

static unsigned rp_vcpu_count(struct vs_backend *be)
{
	return R.nvcpus;
}

static uint64_t rp_clock_us(struct vs_backend *be)
{
	return 1700000000000000ull + ++R.clock;
}

static const struct vs_backend_ops replay_ops = {
	.name = "replay",
	.caps = VS_CAP_HOOKS | VS_CAP_PHYS | VS_CAP_ANY_DTB,
	.reg_id = rp_reg_id,
	.read_reg = rp_read_reg,
	.read_va = rp_read_va,
	.read_pa = rp_read_pa,
	.translate = rp_translate,
	.hook_add = rp_hook_add,
	.vcpu_count = rp_vcpu_count,
	.clock_us = rp_clock_us,
};

/* What QEMU's instruction callback does: every hook at @va, in order. */
static void fire(uint64_t va)
{
	for (unsigned i = 0; i < R.nhooks; i++)
		if (R.hooks[i].va == va) {
			struct vs_hook_ctx c = { &rb, 0, va, R.hooks[i].opaque };

			R.hooks[i].fn(&c);
		}
}

static int replay_open(const char *dump)
{
	int rc = vs_dump_open(dump, &R.inner);

	if (rc < 0)
		return rc;
	R.nvcpus = vs_backend_vcpu_count(R.inner);
	if (R.nvcpus > 2)
		R.nvcpus = 2;
	for (unsigned v = 0; v < R.nvcpus; v++) {
		for (int id = 0; id < VS_X86_NREGS; id++)
			vs_backend_read_reg(R.inner, v, id, &R.regs[v][id]);
		/* Hooks run in kernel mode: the kernel's GS base is live. */
		if (R.regs[v][VS_X86_CS] & 3) {
			R.regs[v][VS_X86_GS_BASE] = R.regs[v][VS_X86_K_GS_BASE];
			R.regs[v][VS_X86_CS] = 0x10;
		}
	}
	rb.ops = &replay_ops;
	rb.priv = &R;
	return 0;
}

/* ---- the scene ----------------------------------------------------------- */

struct scene {
	struct vs_os_inst *os;
	uint64_t e_exec, e_exit, e_sig, e_clone, ret;
	uint64_t caller, target;          /* task_struct addresses */
	int64_t child_pid;
};

static bool hooked(uint64_t va)
{
	for (unsigned i = 0; i < R.nhooks; i++)
		if (R.hooks[i].va == va)
			return true;
	return false;
}

/* The first of @names that exists (and, with @need_hook, that procmon
 * hooked: it walks the same preference lists). */
static uint64_t sym_h(struct vs_os_inst *os, const char *const *names,
		      bool need_hook)
{
	uint64_t va = 0;

	for (; *names; names++)
		if (vs_os_symbol(os, *names, &va) == 0 && va &&
		    (!need_hook || hooked(va)))
			return va;
	return 0;
}

static uint64_t sym(struct vs_os_inst *os, const char *const *names)
{
	return sym_h(os, names, true);
}

static uint64_t moff(struct vs_os_inst *os, const char *t, const char *m)
{
	struct vs_os_member x;

	if (vs_os_member(os, t, m, &x) < 0) {
		fprintf(stderr, "hotpath: no member %s.%s\n", t, m);
		exit(1);
	}
	return x.bit_off / 8;
}

static void put(uint64_t va, const void *p, size_t n)
{
	memcpy(R.scratch + (va - SCRATCH_VA), p, n);
}

struct pick {
	uint64_t first, second, first_parent;
	int64_t first_pid;
};

/* Two user processes that run busybox `sleep` (the dump's workload). */
static int pick_tasks(const struct vs_proc *p, void *opaque)
{
	struct pick *k = opaque;

	if (p->pid <= 1 || p->comm_len != 5 || memcmp(p->comm, "sleep", 5))
		return 0;
	if (!k->first) {
		k->first = p->obj;
		k->first_pid = p->pid;
	} else if (!k->second) {
		k->second = p->obj;
	}
	return 0;
}

static void scene_init(struct scene *s)
{
	static const char *const n_exec[] = { "begin_new_exec", NULL };
	static const char *const n_exit[] = { "acct_collect", "do_exit",
					      NULL };
	static const char *const n_sig[] = { "do_send_sig_info", NULL };
	static const char *const n_clone[] = { "kernel_clone", "_do_fork",
					       NULL };
	static const char *const n_cur[] = { "current_task", "pcpu_hot",
					     NULL };
	struct vs_os_opts oo = { .vcpu = 0 };
	struct pick k = { 0 };
	uint64_t cur_sym, argv_p, fname = S_FNAME;
	int32_t argc = 1, envc = 1, esig = 17;
	uint64_t flags = 0x01200011ull;   /* fork(): CHILD_SETTID|CLEARTID|SIGCHLD */
	static const char strs[] = "/bin/bnop\0PATH=/bin";

	if (vs_os_open(&rb, "linux", &oo, &s->os) < 0) {
		fprintf(stderr, "hotpath: no Linux kernel in the dump\n");
		exit(1);
	}
	s->e_exec = sym(s->os, n_exec);
	s->e_exit = sym(s->os, n_exit);
	s->e_sig = sym(s->os, n_sig);
	s->e_clone = sym(s->os, n_clone);
	for (unsigned i = 0; i < R.nhooks && !s->ret; i++)
		if (R.hooks[i].va != s->e_exec && R.hooks[i].va != s->e_exit &&
		    R.hooks[i].va != s->e_sig && R.hooks[i].va != s->e_clone)
			s->ret = R.hooks[i].va;
	vs_os_proc_foreach(s->os, pick_tasks, &k);
	cur_sym = sym_h(s->os, n_cur, false);
	if (!s->e_exec || !s->e_exit || !s->e_sig || !s->e_clone || !s->ret ||
	    !k.first || !k.second || !cur_sym) {
		fprintf(stderr, "hotpath: dump lacks hooks or sleep tasks\n");
		exit(1);
	}
	s->caller = k.first;
	s->target = k.second;
	s->child_pid = k.first_pid + 1000;   /* not a child: full list walk */
	/* `current` of vCPU 0 is the caller (6.1: the per-CPU current_task;
	 * later kernels: pcpu_hot.current_task at offset 0). */
	R.cur_va = R.regs[0][VS_X86_GS_BASE] + cur_sym;
	R.cur_task = s->caller;
	/* kernel_clone_args of a fork(). */
	put(S_ARGS + moff(s->os, "kernel_clone_args", "flags"), &flags, 8);
	put(S_ARGS + moff(s->os, "kernel_clone_args", "exit_signal"), &esig, 4);
	/* linux_binprm of `/bin/bnop` with PATH=/bin. */
	argv_p = S_STRS;
	put(S_STRS, strs, sizeof(strs));
	put(S_FNAME, "/bin/bnop", 10);
	put(S_BPRM + moff(s->os, "linux_binprm", "p"), &argv_p, 8);
	put(S_BPRM + moff(s->os, "linux_binprm", "argc"), &argc, 4);
	put(S_BPRM + moff(s->os, "linux_binprm", "envc"), &envc, 4);
	put(S_BPRM + moff(s->os, "linux_binprm", "filename"), &fname, 8);
	put(S_BPRM + moff(s->os, "linux_binprm", "interp"), &fname, 8);
	/* Return addresses on the two stacks. */
	put(S_STACK, &s->ret, 8);
	put(S_STACK2, &s->ret, 8);
}

/* ---- the kinds -------------------------------------------------------- */

static uint64_t *reg(int id)
{
	return &R.regs[0][id];
}

static void call_entry(uint64_t entry, uint64_t rdi, uint64_t rsp)
{
	*reg(VS_X86_RDI) = rdi;
	*reg(VS_X86_RSP) = rsp;
	fire(entry);
}

static void call_return(struct scene *s, uint64_t rsp, uint64_t rax)
{
	*reg(VS_X86_RSP) = rsp + 8;   /* `ret` popped the address */
	*reg(VS_X86_RAX) = rax;
	fire(s->ret);
}

#define KIND(name) static void __attribute__((noipa)) \
	hp_kind_##name(struct scene *s, long n)

KIND(ret_idle)
{
	for (long i = 0; i < n; i++)
		call_return(s, S_STACK, 0);
}

KIND(ret_other)
{
	for (long i = 0; i < n; i++)
		call_return(s, S_STACK, 0);   /* pending sits on S_STACK2 */
}

KIND(clone_entry)
{
	for (long i = 0; i < n; i++)
		call_entry(s->e_clone, S_ARGS, S_STACK);
}

KIND(clone)
{
	for (long i = 0; i < n; i++) {
		call_entry(s->e_clone, S_ARGS, S_STACK);
		call_return(s, S_STACK, (uint64_t)s->child_pid);
	}
}

KIND(exec)
{
	for (long i = 0; i < n; i++) {
		call_entry(s->e_exec, S_BPRM, S_STACK);
		call_return(s, S_STACK, 0);
	}
}

KIND(exit)
{
	for (long i = 0; i < n; i++) {
		*reg(VS_X86_RDI) = 0;        /* exit code; acct_collect: */
		*reg(VS_X86_RSI) = 1;        /* group_dead */
		fire(s->e_exit);
	}
}

KIND(signal)
{
	for (long i = 0; i < n; i++) {
		*reg(VS_X86_RDI) = 10;           /* SIGUSR1 */
		*reg(VS_X86_RDX) = s->target;
		fire(s->e_sig);
	}
}

struct kind {
	const char *name;
	void (*fn)(struct scene *s, long n);
	bool prints;
};

static const struct kind kinds[] = {
	{ "ret_idle", hp_kind_ret_idle, false },
	{ "ret_other", hp_kind_ret_other, false },
	{ "clone_entry", hp_kind_clone_entry, false },
	{ "clone", hp_kind_clone, true },
	{ "exec", hp_kind_exec, true },
	{ "exit", hp_kind_exit, true },
	{ "signal", hp_kind_signal, true },
};

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static uint64_t events(struct vs_pipeline *p)
{
	const struct vs_stats *st = vs_pipeline_stats(p);
	uint64_t n = st->events_other;

	for (unsigned i = 0; i < st->ntypes; i++)
		n += st->events[i];
	return n;
}

struct row {
	const char *kind;
	bool prints;
	double ns_min, reads, bytes, regs;
};

static struct row rows[16];
static unsigned nrows;

/* --cold MB: the buffer swept before every hit (4 KiB pages, so the
 * sweep also pushes vmiscope's pages out of the TLB). */
static volatile uint8_t *cold_buf;
static size_t cold_len;

static void evict(void)
{
	for (size_t i = 0; i < cold_len; i += 64)
		cold_buf[i]++;
}

static double cold_run(struct scene *s, const struct kind *k, long iters)
{
	uint64_t sum = 0;

	for (long i = 0; i < iters; i++) {
		uint64_t t0;

		evict();
		t0 = now_ns();
		k->fn(s, 1);
		sum += now_ns() - t0;
	}
	return (double)sum / (double)iters;
}

static void run_kind(struct scene *s, struct vs_pipeline *p,
		     const struct kind *k, long iters, int reps)
{
	uint64_t ev0, rd0, by0, rg0;
	long warm = iters / 10 + 1;
	double hits = (double)iters * reps, best = 0;
	struct row *w = &rows[nrows++];

	/* ret_other: one clone entry on another stack stays pending. */
	if (strcmp(k->name, "ret_other") == 0)
		call_entry(s->e_clone, S_ARGS, S_STACK2);
	k->fn(s, warm);
	ev0 = events(p);
	rd0 = R.reads;
	by0 = R.read_bytes;
	rg0 = R.reg_reads;
	printf("{\"kind\":\"%s\",\"prints\":%s,\"iters\":%ld,\"ns\":[",
	       k->name, k->prints ? "true" : "false", iters);
	for (int r = 0; r < reps; r++) {
		double ns;

		if (cold_len) {
			ns = cold_run(s, k, iters);
		} else {
			uint64_t t0 = now_ns();

			k->fn(s, iters);
			ns = (double)(now_ns() - t0) / (double)iters;
		}
		printf("%s%.1f", r ? "," : "", ns);
		if (!r || ns < best)
			best = ns;
	}
	*w = (struct row){ k->name, k->prints, best,
			   (double)(R.reads - rd0) / hits,
			   (double)(R.read_bytes - by0) / hits,
			   (double)(R.reg_reads - rg0) / hits };
	printf("],\"events_per_iter\":%.3f,\"reads_per_iter\":%.2f,"
	       "\"read_bytes_per_iter\":%.1f,\"reg_reads_per_iter\":%.2f}\n",
	       (double)(events(p) - ev0) / hits, w->reads, w->bytes, w->regs);
	fflush(stdout);
	/* Leave nothing pending for the next kind. */
	if (strcmp(k->name, "ret_other") == 0)
		call_return(s, S_STACK2, 0);
	vs_pipeline_flush(p);
}

/* The human summary, on stderr (bench/run reads only the JSON lines). */
static void print_rows(void)
{
	fprintf(stderr, "%-12s %6s %10s %12s %12s %10s\n", "hit", "prints",
		"min ns/hit", "reads/event", "bytes/event", "regs/event");
	for (unsigned i = 0; i < nrows; i++)
		fprintf(stderr, "%-12s %6s %10.0f %12.2f %12.1f %10.2f\n",
			rows[i].kind, rows[i].prints ? "yes" : "no",
			rows[i].ns_min, rows[i].reads, rows[i].bytes,
			rows[i].regs);
}

int main(int argc, char **argv)
{
	struct vs_monitor_opts mo;
	struct vs_pipeline *p = NULL;
	struct scene s = { 0 };
	const char *only = NULL, *output = "json:/dev/null";
	long iters = 20000;
	int reps = 7;
	char err[256];

	if (argc < 2) {
		fprintf(stderr, "usage: hotpath DUMP [--iters N] [--reps R] "
			"[--only KIND] [--output SPEC] [--cold MB]\n");
		return 2;
	}
	for (int i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--iters") == 0)
			iters = atol(argv[i + 1]);
		else if (strcmp(argv[i], "--reps") == 0)
			reps = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--only") == 0)
			only = argv[i + 1];
		else if (strcmp(argv[i], "--output") == 0)
			output = argv[i + 1];
		else if (strcmp(argv[i], "--cold") == 0)
			cold_len = (size_t)atol(argv[i + 1]) << 20;
	}
	if (cold_len > (4096ul << 20)) {
		fprintf(stderr, "hotpath: --cold takes 0 to 4096 (MB)\n");
		return 2;
	}
	if (iters < 1 || reps < 1 || replay_open(argv[1]) < 0) {
		fprintf(stderr, "hotpath: cannot open %s\n", argv[1]);
		return 1;
	}
	if (cold_len) {
		cold_buf = g_malloc0(cold_len);
		madvise((void *)((uintptr_t)cold_buf & ~4095ul), cold_len,
			MADV_NOHUGEPAGE);
	}
	vs_monitor_opts_init(&mo);
	if (vs_monitor_opts_set(&mo, "output", output, err,
				sizeof(err)) < 0 ||
	    vs_monitor_opts_set(&mo, "quiet", "on", err, sizeof(err)) < 0 ||
	    vs_pipeline_new(&mo, &p, err, sizeof(err)) < 0) {
		fprintf(stderr, "hotpath: %s\n", err);
		return 1;
	}
	vs_log_set_level(VS_LOG_ERROR);
	if (vs_pipeline_start(p, &rb, 0) != VS_PIPELINE_OK) {
		fprintf(stderr, "hotpath: procmon did not start fully\n");
		return 1;
	}
	scene_init(&s);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!only || strcmp(only, kinds[i].name) == 0)
			run_kind(&s, p, &kinds[i], iters, reps);
	print_rows();
	vs_pipeline_free(p);
	vs_os_close(s.os);
	vs_monitor_opts_free(&mo);
	vs_backend_close(R.inner);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * priv.h - state shared by the files of the QEMU plugin backend
 * (qemu.c: instance and ops table, regs.c, memory.c, hooks.c).
 *
 * Threads: QEMU runs each vCPU on its own thread (MTTCG), and translation
 * and instruction callbacks of different vCPUs run concurrently. So:
 * per-vCPU buffers and counters live in vcpus[] (one cache line each),
 * the hook table is read-locked at translation time only (instruction
 * callbacks read published, append-only records without a lock), and the
 * register table is append-only with an atomic count.
 *
 * "Current vCPU": QEMU reads registers and memory of the vCPU whose thread
 * calls it (and asserts there is one). Every callback we receive on a vCPU
 * thread sets vs_qemu_cur_vcpu for its duration, and the ops refuse
 * (-EINVAL) a vcpu argument that differs, including on non-vCPU threads.
 */
#ifndef VS_BACKEND_QEMU_PRIV_H
#define VS_BACKEND_QEMU_PRIV_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "qemu.h"

#define VS_QEMU_MAX_REGS      160   /* x86_64 QEMU 10.0 has 66 */
#define VS_QEMU_MAX_HOOKS     4096
#define VS_QEMU_SITE_HOOKS    8     /* hooks on one address */
#define VS_QEMU_MAX_PAGES     (1u << 20)  /* translated-page set bound */
#define VS_QEMU_READ_CHUNK    65536u

#define VS_QEMU_TLB 8                /* direct.c: per-callback VA cache */

struct vs_qemu_vcpu {
	GByteArray *buf;              /* reused by every register/memory read */
	uint64_t hits;
	uint64_t reads_failed;
	/* direct.c, this vCPU's thread only: CR3/CR4 of the current
	 * callback (read once per vs_qemu_cb_gen) and its VA page cache. */
	uint64_t dgen;
	uint64_t cr3;
	unsigned pwflags;
	bool regs_ok;
	uint64_t tlb_va[VS_QEMU_TLB]; /* page base | 1 when valid */
	uint64_t tlb_pa[VS_QEMU_TLB]; /* page base */
	uint64_t tlb_mask[VS_QEMU_TLB]; /* page size - 1 (4K, 2M or 1G) */
	unsigned tlb_next;            /* round-robin victim */
	uint64_t direct_reads;
	uint64_t direct_fallbacks;
	uint64_t direct_checks;
	uint64_t direct_mismatches;
} __attribute__((aligned(64)));

/* direct.c: reads straight from QEMU's mapping of guest RAM. */
enum vs_qemu_direct_state {
	VS_QEMU_DIRECT_PENDING = 0,   /* not verified yet */
	VS_QEMU_DIRECT_ON,
	VS_QEMU_DIRECT_OFF,           /* off, not found, or disabled */
};

struct vs_qemu_direct {
	atomic_int state;
	GMutex lock;                  /* verification */
	unsigned attempts;
	const uint8_t *base;          /* guest physical 0 */
	uint64_t limit;               /* fast path below this PA */
	int cr3_id, cr4_id, rip_id, rsp_id, gs_id;
	uint64_t skew_after;          /* debug_direct_skew=: 0 off */
};

/* selfclock.c: time a vCPU spent inside vmiscope, for benchmarks. */
struct vs_qemu_clock {
	_Atomic uint64_t hook_ns;     /* in hook callbacks */
	_Atomic uint64_t trans_ns;    /* in translation callbacks (record 0) */
	_Atomic uint64_t hits;
	uint64_t pad[5];
};

struct vs_qemu_reg {
	char *name;
	/* NULL until resolved at the first vCPU init, or for ever when this
	 * QEMU has no such register. */
	_Atomic(struct qemu_plugin_register *) handle;
};

struct vs_qemu_site;

struct vs_qemu_hook {
	uint64_t addr;
	vs_hook_fn fn;
	void *opaque;
	atomic_bool live;
};

/* Every hook on one address; udata of the instruction callbacks. */
struct vs_qemu_site {
	uint64_t addr;
	struct vs_qemu *q;
	atomic_uint n;
	struct vs_qemu_hook *hooks[VS_QEMU_SITE_HOOKS];
};

struct vs_qemu {
	struct vs_backend be;
	qemu_plugin_id_t id;
	unsigned nvcpus;              /* -smp N */
	unsigned max_vcpus;           /* size of vcpus[] */
	struct vs_qemu_vcpu *vcpus;
	struct vs_qemu_clock *clock;  /* self_clock=: max_vcpus records */
	struct vs_qemu_direct direct;

	/* Registers: id = index into regs[]. */
	GMutex reg_lock;
	struct vs_qemu_reg regs[VS_QEMU_MAX_REGS];
	atomic_uint nregs;
	bool regs_loaded;             /* QEMU's list read (under reg_lock) */
	GArray *qemu_regs;            /* copy of QEMU's descriptors */
	int cs_id;                    /* for the ready=user trigger */

	/* Hooks. */
	GRWLock hook_lock;
	GHashTable *sites;            /* addr -> struct vs_qemu_site */
	struct vs_qemu_hook *hooks[VS_QEMU_MAX_HOOKS];
	unsigned nhooks;
	atomic_uint nsites;
	GMutex page_lock;
	GHashTable *pages;            /* pages holding translated code */
	bool pages_full;
	bool hooks_only;              /* hooks_only=on: hits run nothing */
	atomic_uint_fast64_t late_hooks;
	atomic_uint_fast64_t translations;
	atomic_uint_fast64_t flushes;
	atomic_int flush_pending;      /* a qemu_plugin_reset() is under way */
	qemu_plugin_udata_cb_t atexit_cb;  /* registered again after a flush */
	void *atexit_udata;

	/* Ready trigger. */
	enum vs_qemu_ready ready_mode;
	vs_qemu_ready_fn ready_cb;
	void *ready_opaque;
	atomic_int kernel_reached;
	atomic_int user_reached;
};

extern __thread int vs_qemu_cur_vcpu;
/* Bumped by every callback on this thread that reads the guest: state
 * read once per callback (CR3, CR4) is keyed by it. */
extern __thread uint64_t vs_qemu_cb_gen;

static inline void vs_qemu_cb_begin(void)
{
	vs_qemu_cb_gen++;
}
/* The one instance (QEMU's translation callback carries no user data). */
extern struct vs_qemu *vs_qemu_self;

static inline struct vs_qemu *vs_qemu_of(struct vs_backend *be)
{
	return be->priv;
}

/* The vCPU slot of the calling vCPU thread when it is @vcpu, else NULL. */
static inline struct vs_qemu_vcpu *vs_qemu_vcpu_here(struct vs_qemu *q,
						      unsigned vcpu)
{
	if (vs_qemu_cur_vcpu < 0 || (unsigned)vs_qemu_cur_vcpu != vcpu ||
	    vcpu >= q->max_vcpus)
		return NULL;
	return &q->vcpus[vcpu];
}

/* selfclock.c */
uint64_t vs_qemu_clock_now(void);

/* regs.c */
int vs_qemu_reg_id(struct vs_backend *be, const char *name, int *id);
int vs_qemu_read_reg(struct vs_backend *be, unsigned vcpu, int id,
		     uint64_t *val);
void vs_qemu_regs_load(struct vs_qemu *q);

/* memory.c */
int vs_qemu_read_va(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
		    uint64_t va, void *buf, size_t len);

/* direct.c: 0 when @len bytes at @va were read from RAM directly (and
 * possibly cross-checked), -EAGAIN when the caller must use QEMU's API. */
void vs_qemu_direct_setup(struct vs_qemu *q, bool on);
int vs_qemu_direct_read(struct vs_qemu *q, struct vs_qemu_vcpu *v,
			unsigned vcpu, uint64_t va, void *buf, size_t len);

/* hooks.c */
int vs_qemu_hooks_init(struct vs_qemu *q);
int vs_qemu_hook_add(struct vs_backend *be, uint64_t va, vs_hook_fn fn,
		     void *opaque, int *hook_id);
int vs_qemu_hook_del(struct vs_backend *be, int hook_id);
void vs_qemu_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);

/* qemu.c: (re-)register every QEMU callback the backend uses. */
void vs_qemu_register_cbs(struct vs_qemu *q);

#endif /* VS_BACKEND_QEMU_PRIV_H */

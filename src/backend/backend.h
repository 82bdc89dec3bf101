/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * backend.h - the one interface every way of reaching a VM implements.
 *
 * A backend gives the layers above it five things: registers by name per
 * vCPU, guest memory (virtual through a given or the current address space,
 * physical where the backend can), address translation, execution hooks and
 * a clock. The QEMU TCG plugin, the GDB-remote client, the offline dump
 * reader and the in-memory test image each fill one const struct
 * vs_backend_ops; backend.c holds the registry and the dispatch wrappers,
 * which answer -EOPNOTSUPP for an op a backend lacks (never a fake success).
 *
 * Memory reads here are raw: code above the backend layer does not call
 * them directly but goes through the bounded accessors of src/os/ (guest
 * data is hostile, see docs/guest-reads.md).
 *
 * Errors: 0 or a negative errno. -EFAULT unmapped/unreadable, -EINVAL bad
 * argument, -ENOENT unknown register or hook, -EOPNOTSUPP missing capability,
 * -ENOSPC no hook slot left.
 */
#ifndef VS_BACKEND_BACKEND_H
#define VS_BACKEND_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vs_backend;

/* Capabilities, so callers ask instead of trying. */
#define VS_CAP_LIVE      (1u << 0)  /* a running VM: hooks, clock moves */
#define VS_CAP_HOOKS     (1u << 1)  /* hook_add/hook_del work */
#define VS_CAP_PHYS      (1u << 2)  /* physical reads work */
#define VS_CAP_ANY_DTB   (1u << 3)  /* virtual reads through any CR3 */

/* Address space of a virtual read. */
#define VS_DTB_CURRENT   0          /* the CR3 the vCPU has right now */

/* Where a hook callback runs and what it may ask for. */
struct vs_hook_ctx {
	struct vs_backend *be;
	unsigned vcpu;
	uint64_t addr;        /* the hooked address, as registered */
	void *opaque;         /* as passed to vs_backend_hook_add() */
};

typedef void (*vs_hook_fn)(const struct vs_hook_ctx *ctx);

struct vs_backend_ops {
	const char *name;
	unsigned caps;

	void (*close)(struct vs_backend *be);

	/* Resolve a register name ("rdi", "cr3", "gs_base", "k_gs_base", ...)
	 * to an id valid on every vCPU. Called at set-up, not per hit. */
	int (*reg_id)(struct vs_backend *be, const char *name, int *id);
	int (*read_reg)(struct vs_backend *be, unsigned vcpu, int id,
			uint64_t *val);

	/* Virtual read through @dtb (VS_DTB_CURRENT: the vCPU's own CR3).
	 * A backend without VS_CAP_ANY_DTB accepts only VS_DTB_CURRENT. */
	int (*read_va)(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
		       uint64_t va, void *buf, size_t len);
	int (*read_pa)(struct vs_backend *be, uint64_t pa, void *buf,
		       size_t len);
	int (*translate)(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
			 uint64_t va, uint64_t *pa);

	/* Execution hooks: @fn runs on the vCPU that reaches @va, before the
	 * instruction at @va executes. */
	int (*hook_add)(struct vs_backend *be, uint64_t va, vs_hook_fn fn,
			void *opaque, int *hook_id);
	int (*hook_del)(struct vs_backend *be, int hook_id);

	unsigned (*vcpu_count)(struct vs_backend *be);
	/* Wall clock in microseconds since the epoch (event TimeStamp). */
	uint64_t (*clock_us)(struct vs_backend *be);
};

struct vs_backend {
	const struct vs_backend_ops *ops;
	void *priv;
};

/* Registry: every compiled-in backend, by name ("qemu", "memimage", ...). */
const struct vs_backend_ops *vs_backend_find(const char *name);
/* NULL-terminated list of compiled-in backends. */
const struct vs_backend_ops *const *vs_backend_list(void);

/* Dispatch wrappers (-EOPNOTSUPP where the op is missing). */
void vs_backend_close(struct vs_backend *be);
static inline bool vs_backend_has(const struct vs_backend *be, unsigned cap)
{
	return be && be->ops && (be->ops->caps & cap) == cap;
}
int vs_backend_reg_id(struct vs_backend *be, const char *name, int *id);
int vs_backend_read_reg(struct vs_backend *be, unsigned vcpu, int id,
			uint64_t *val);
int vs_backend_read_va(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
		       uint64_t va, void *buf, size_t len);
int vs_backend_read_pa(struct vs_backend *be, uint64_t pa, void *buf,
		       size_t len);
int vs_backend_translate(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
			 uint64_t va, uint64_t *pa);
int vs_backend_hook_add(struct vs_backend *be, uint64_t va, vs_hook_fn fn,
			void *opaque, int *hook_id);
int vs_backend_hook_del(struct vs_backend *be, int hook_id);
unsigned vs_backend_vcpu_count(struct vs_backend *be);
uint64_t vs_backend_clock_us(struct vs_backend *be);

#endif /* VS_BACKEND_BACKEND_H */

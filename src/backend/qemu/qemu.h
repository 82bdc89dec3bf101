/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu.h - what the QEMU TCG plugin backend offers beyond backend.h: the
 * "ready" moment at which the monitor may run discovery, and the
 * monitoring status the plugin reports to `vmiscope run`.
 *
 * The plugin opens exactly one backend (vs_qemu_backend_open(), called by
 * qemu_plugin_install()). Discovery (kallsyms, BTF, task list) needs
 * registers and memory, which QEMU gives only on a vCPU thread, and hooks
 * must be placed before QEMU first translates the hooked code (the plugin
 * API cannot flush one block). So the pipeline registers a ready callback
 * and does its set-up from there:
 *   ready=kernel (default)  the first instruction at or above
 *                           0xffffffff80000000 (startup_64 + 0xd4 on a
 *                           bzImage boot): the kernel's high mapping is
 *                           live, nothing past early start-up has run yet.
 *   ready=user              the first user-mode instruction (CS & 3 == 3):
 *                           the system is booted (task list readable), but
 *                           the hooked functions have probably run already.
 * The callback runs once, on the vCPU thread that got there, inside an
 * instruction callback: vs_backend_read_reg()/read_va() work for that vCPU.
 */
#ifndef VS_BACKEND_QEMU_QEMU_H
#define VS_BACKEND_QEMU_QEMU_H

#include <stdint.h>

#include "backend/backend.h"
#include "qemu-api.h"

/* Lowest address of the x86-64 kernel text mapping. */
#define VS_QEMU_KERNEL_TEXT_BASE 0xffffffff80000000ull
/* First address past the user half of the address space. */
#define VS_QEMU_USER_TOP         0x0000800000000000ull

enum vs_qemu_ready {
	VS_QEMU_READY_KERNEL = 0,
	VS_QEMU_READY_USER,
};

typedef void (*vs_qemu_ready_fn)(struct vs_backend *be, unsigned vcpu,
				 void *opaque);

/**
 * vs_qemu_backend_open() - the plugin's one backend instance.
 * @id, @info: as passed to qemu_plugin_install()
 * @ready: which moment fires the ready callback
 * @out: the backend, valid until QEMU exits (never freed: vCPU threads may
 *       still run translated code that points into it)
 * Registers the vCPU-init and translation callbacks. Install time only.
 * Returns 0 or -ENOMEM / -EINVAL (@info is not a system emulator).
 */
int vs_qemu_backend_open(qemu_plugin_id_t id, const qemu_info_t *info,
			 enum vs_qemu_ready ready, struct vs_backend **out);

/**
 * vs_qemu_set_ready_cb() - the function to call at the ready moment.
 * Set it before the guest runs (install time). @cb may add hooks and read
 * registers and memory of @vcpu.
 */
void vs_qemu_set_ready_cb(struct vs_backend *be, vs_qemu_ready_fn cb,
			  void *opaque);

/**
 * vs_qemu_on_first_kernel_exec() - called once, on the vCPU thread, when
 * the first instruction of the kernel's high mapping runs (at @addr).
 * vs_qemu_on_first_user_exec() - likewise for the first user-mode
 * instruction. Each calls the ready callback when its moment is the one
 * selected, and logs the moment at debug level.
 */
void vs_qemu_on_first_kernel_exec(struct vs_backend *be, unsigned vcpu,
				  uint64_t addr);
void vs_qemu_on_first_user_exec(struct vs_backend *be, unsigned vcpu,
				uint64_t addr);

/**
 * vs_qemu_set_atexit_cb() - run @cb at QEMU's exit. Use this rather than
 * qemu_plugin_register_atexit_cb(): a translation flush (hooks.c)
 * unregisters every callback and the backend registers them again.
 */
void vs_qemu_set_atexit_cb(struct vs_backend *be, qemu_plugin_udata_cb_t cb,
			   void *udata);

/* Counters of the backend (read at exit; any thread). */
struct vs_qemu_stats {
	uint64_t hook_hits;      /* hook callbacks run */
	uint64_t reads_failed;   /* read_va/read_reg answers other than 0 */
	uint64_t late_hooks;     /* hooks added where code may be translated */
	uint64_t flushes;        /* translation cache flushes done for them */
	uint64_t translations;   /* blocks translated */
	/* direct_ram= (direct.c): reads served from QEMU's RAM mapping,
	 * reads that went to QEMU's API instead while it was on, reads
	 * cross-checked against the API, and checks that disagreed. */
	bool direct;             /* the fast path is on now */
	uint64_t direct_reads;
	uint64_t direct_fallbacks;
	uint64_t direct_checks;
	uint64_t direct_mismatches;
};
void vs_qemu_get_stats(struct vs_backend *be, struct vs_qemu_stats *st);

/* direct_ram=on|off (direct.c): read guest RAM from QEMU's own mapping
 * of it once verified; call before the guest runs. */
void vs_qemu_set_direct_ram(struct vs_backend *be, bool on);

/* debug_direct_skew=N (a test aid): after a vCPU's Nth direct read,
 * corrupt every direct read of it (direct.c). Call before the guest runs. */
void vs_qemu_set_direct_skew(struct vs_backend *be, uint64_t after);

/* hooks_only=on (a benchmark aid): QEMU still calls every hook, which
 * counts the hit and returns without running it. Call before the guest
 * runs. */
void vs_qemu_set_hooks_only(struct vs_backend *be, bool on);

/* Time vmiscope's callbacks into the shared file @path (self_clock=, a
 * benchmark aid; selfclock.c has the layout). 0 or -errno. */
int vs_qemu_selfclock_open(struct vs_backend *be, const char *path);

/*
 * Monitoring status written to status_file= at exit, for `vmiscope run`
 * (exit 4 on incomplete). The worst status raised wins; its first reason
 * is kept. Any thread.
 */
enum vs_qemu_status {
	VS_QEMU_STATUS_OK = 0,
	VS_QEMU_STATUS_INCOMPLETE,
	VS_QEMU_STATUS_FAILED,
};
void vs_qemu_status_raise(enum vs_qemu_status st, const char *reason);
/* "ok", "incomplete" or "failed". */
const char *vs_qemu_status_name(enum vs_qemu_status st);
/* entry.c: the file `run` created (never created here; NULL = none), and
 * writing it: "<word>\n<reason>\n". Each raise rewrites it too. */
void vs_qemu_status_set_file(const char *path);
int vs_qemu_status_write(void);

#endif /* VS_BACKEND_QEMU_QEMU_H */

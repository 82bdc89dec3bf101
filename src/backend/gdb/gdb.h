/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * gdb.h - the "gdb" backend: a VM reached through QEMU's gdbstub (TCG or
 * KVM), with guest RAM from a shared memory-backend file when given.
 *
 * Registers come from the stub (one `g` per vCPU per stop, cached until
 * the VM resumes; `p` for registers outside `g`), layout from the target
 * description. Memory: with --mem-file, physical reads are memcpy from
 * the mapped file and virtual reads go through the page walker with the
 * vCPU's CR3 (VS_CAP_PHYS | VS_CAP_ANY_DTB); without it, physical reads
 * use the stub's physical-memory mode (Qqemu.PhyMemMode) when it has one,
 * else only virtual reads through the vCPU's current CR3 exist (`m`).
 *
 * Hooks are breakpoints planted once per address (Z0, or Z1 with
 * --breakpoints hw) and removed only by hook_del or detach. The backend
 * runs the VM itself: vs_gdb_run() resumes it and, on each breakpoint
 * stop, runs the hooks of that address on the stopped vCPU (the VM is
 * stopped, so they read a consistent state), steps over the hooked
 * instruction and resumes. Stepping over: a 5-byte NOP (ftrace's patched
 * `call __fentry__`, 0f 1f 44 00 00) or `endbr64` (f3 0f 1e fa) is
 * emulated by moving rip past it (one `P`, no second debug stop); any
 * other instruction is single-stepped on that vCPU alone (vCont;s), with
 * the breakpoint lifted only if the stub reports it again instead of
 * stepping (counted: it costs two extra insert/remove flushes).
 *
 * --breakpoints hw keeps to 4 planted addresses (x86 debug registers):
 * the fifth hook_add answers -ENOSPC, which callers treat as "no slot"
 * (procmon: entry hooks are placed first; an exec/clone whose return site
 * got no slot is printed from its entry data with the missing fields in
 * Unreadable); -ENOSPC from hook_add is the whole signal.
 */
#ifndef VS_BACKEND_GDB_GDB_H
#define VS_BACKEND_GDB_GDB_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "backend/backend.h"
#include "backend/gdb/shm.h"

#define VS_GDB_HW_SLOTS 4

struct vs_gdb_opts {
	const char *spec;              /* unix:PATH or tcp:HOST:PORT */
	const char *mem_file;          /* NULL: memory through the stub */
	enum vs_gdb_layout layout;
	bool hw_breakpoints;
};

struct vs_gdb_stats {
	uint64_t stops;                /* stop replies seen */
	uint64_t hits;                 /* stops at a planted hook address */
	uint64_t spurious;             /* stops not at a planted address */
	uint64_t emulated;             /* step-overs done by moving rip */
	uint64_t stepped;              /* step-overs done by a single-step */
	uint64_t lifted;               /* steps that needed the bp removed */
	uint64_t packets;              /* packets sent, all */
	uint64_t hit_packets;          /* packets sent while handling hits */
	uint64_t hit_us;               /* host time from stop to resume */
	unsigned planted;              /* breakpoints in the guest now */
	unsigned no_slot;              /* hook_add refused for lack of slot */
};

/* How vs_gdb_run() ended. */
enum vs_gdb_end {
	VS_GDB_END_STOPPED,            /* *stop was set or the deadline hit */
	VS_GDB_END_EXITED,             /* the VM ended (W/X reply) */
	VS_GDB_END_LOST,               /* connection lost or stub broken */
};

/**
 * vs_gdb_open() - connect, read the target description and thread list,
 * map --mem-file. QEMU stops the VM when a debugger connects; it stays
 * stopped until vs_gdb_run(). @err gets a sentence on failure.
 */
int vs_gdb_open(const struct vs_gdb_opts *o, struct vs_backend **out,
		char *err, size_t errlen);

/* The vCPU to discover the kernel through: one in kernel mode if any. */
unsigned vs_gdb_boot_vcpu(struct vs_backend *be);

/**
 * vs_gdb_run() - resume the VM and serve hooks until *@stop is set,
 * @deadline_ms (CLOCK_MONOTONIC ms, 0: none) passes, the VM ends or the
 * connection breaks. @tick runs at least every 100 ms (output flush).
 * Returns with the VM stopped (unless it ended).
 */
enum vs_gdb_end vs_gdb_run(struct vs_backend *be,
			   volatile sig_atomic_t *stop, int64_t deadline_ms,
			   void (*tick)(void *), void *tick_opaque);

/**
 * vs_gdb_detach() - remove every planted breakpoint, leave the stub's
 * physical-memory mode, detach (D): the VM runs on. Bounded by the
 * request timeouts. 0 or -errno.
 */
int vs_gdb_detach(struct vs_backend *be);

void vs_gdb_get_stats(struct vs_backend *be, struct vs_gdb_stats *st);
/* Why the last run ended (VS_GDB_END_LOST/EXITED), for messages. */
const char *vs_gdb_end_reason(struct vs_backend *be);
/* CLOCK_MONOTONIC in ms (deadlines for vs_gdb_run). */
int64_t vs_gdb_now_ms(void);

extern const struct vs_backend_ops vs_gdb_backend_ops;
extern const struct vs_backend_ops vs_gdb_va_backend_ops;

#endif /* VS_BACKEND_GDB_GDB_H */

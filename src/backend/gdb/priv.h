/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * priv.h - state shared by the gdb backend's files: gdb.c (ops: registers,
 * memory, hooks) and loop.c (running the VM: stops, step-over, detach).
 *
 * A "site" is one guest address with a planted breakpoint and the hooks
 * registered on it; hooks are numbered by their index in the hook array
 * (the hook id). Register values are cached per vCPU from one `g` reply
 * and dropped whenever the VM resumes; translations are cached the same
 * way (page tables cannot change while every vCPU is stopped).
 */
#ifndef VS_BACKEND_GDB_PRIV_H
#define VS_BACKEND_GDB_PRIV_H

#include <glib.h>

#include "backend/gdb/client.h"
#include "backend/gdb/gdb.h"
#include "backend/pagewalk.h"

#define VS_GDB_MAX_SITES 4096
#define VS_GDB_G_MAX 4096
#define VS_GDB_PAGE_CACHE 1024   /* 4 KiB pages read through the stub */

struct gdb_site {
	uint64_t addr;
	unsigned live;        /* live hooks on this address */
	bool planted;
	unsigned emu_len;     /* 5 (NOP5), 4 (endbr64) or 0: single-step */
	uint64_t hits;
};

struct gdb_hook {
	unsigned site;
	vs_hook_fn fn;
	void *opaque;
	bool live;
};

struct gdb_vcpu {
	uint8_t g[VS_GDB_G_MAX];
	size_t glen;
	bool valid;
};

struct vs_gdb {
	struct vs_backend be;
	struct vs_gdb_conn *c;
	struct vs_gdb_shm shm;
	bool have_shm;
	bool phys_stub;       /* Qqemu.PhyMemMode:1 is on */
	int bp_type;          /* 0 software (Z0), 1 hardware (Z1) */
	GArray *sites;        /* struct gdb_site */
	GArray *hooks;        /* struct gdb_hook */
	GHashTable *by_addr;  /* addr -> site index + 1 */
	struct gdb_vcpu *vcpus;
	unsigned nvcpus;
	GHashTable *xlat;     /* (dtb ^ page) key -> pa page, per stop */
	GHashTable *pages;    /* pa page -> 4 KiB copy (stub memory), per stop */
	int rip, cr3, cr4, cs;   /* td register indices, -1 unknown */
	bool running;
	int64_t last_tick;    /* ms, the last output flush */
	int last_signal;      /* of the last T/S stop reply */
	struct vs_gdb_stats st;
	char end_reason[256];
};

static inline struct vs_gdb *vs_gdb_of(struct vs_backend *be)
{
	return be->priv;
}

/* gdb.c */
int vs_gdb_reg_read(struct vs_gdb *g, unsigned vcpu, int idx, uint64_t *v);
int vs_gdb_reg_write(struct vs_gdb *g, unsigned vcpu, int idx, uint64_t v);
void vs_gdb_invalidate(struct vs_gdb *g);
int vs_gdb_plant(struct vs_gdb *g, struct gdb_site *s, bool insert);
/* Read the site's first bytes again before emulating a step-over. */
int vs_gdb_recheck(struct vs_gdb *g, unsigned vcpu, struct gdb_site *s);

#endif /* VS_BACKEND_GDB_PRIV_H */

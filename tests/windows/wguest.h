/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wguest.h - a layout-faithful synthetic Windows kernel on top of synth.h:
 * the kernel image's globals at the profile's RVAs, EPROCESS / ETHREAD /
 * KPCR / PEB / handle tables / object headers at the profile's offsets,
 * every number from tables.h (the README and a direct ISF read), none
 * from the loader under test. The scenario drives it by setting the
 * current thread and registers of vCPU 0 and firing hooks.
 */
#ifndef VS_TESTS_WINDOWS_WGUEST_H
#define VS_TESTS_WINDOWS_WGUEST_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "synth.h"
#include "tables.h"

#define WG_KERNEL_BASE 0xFFFFF80012400000ull
#define WG_COOKIE      0x5a
#define WG_TYPE_PROCESS 7
#define WG_TYPE_THREAD  8
#define WG_TYPE_FILE    37

/* Offsets of one build, by name. */
struct wg_layout {
	uint64_t ep_pid, ep_links, ep_name, ep_ppid, ep_peb, ep_objtable,
		 ep_wow64, ep_dtb, ep_seaudit, ep_flags2, ep_size, ep_ctime;
	unsigned exit_bit;
	uint64_t kt_process, kt_apcstate, kapc_process, kt_apcidx, et_cid,
		 cid_pid, cid_tid, et_size;
	uint64_t kpcr_prcb, kprcb_thread;
	uint64_t peb_params, peb_session;
	uint64_t upp_curdir, upp_dllpath, upp_image, upp_cmdline,
		 curdir_dospath, curdir_handle;
	uint64_t ht_tablecode, oh_typeindex, oh_body, oh_size, hte_size;
	unsigned objptr_pos;
	uint64_t objname_name;
	int64_t rva_psinit, rva_head, rva_cookie;
	int64_t rva_hook[8];     /* DRAKVUF's order (offsets.h) */
};

struct wg_proc {
	uint64_t ep;             /* EPROCESS (body) */
	uint64_t pml4;
	uint64_t peb;            /* 0: none */
	uint64_t table;          /* _HANDLE_TABLE, 0: none */
	uint64_t l0[2];          /* level-0 pages (level 1 tables: two) */
	int level;
	uint64_t ustack;         /* next free user scratch address */
};

struct wg_thread {
	uint64_t et;
	struct wg_proc *proc;
	uint64_t kstack;         /* top of its kernel stack */
};

struct wguest {
	struct synth s;
	struct wg_layout L;
	int col;                 /* build column */
	uint64_t kpcr;
	uint64_t head;           /* PsActiveProcessHead VA */
	struct wg_proc *system;
	GPtrArray *allocs;       /* wg_proc / wg_thread records */
	uint64_t space[12];      /* address spaces made first: fixed CR3s */
	bool wrong_pid_offset;   /* plant UniqueProcessId 8 bytes off */
};

int wg_layout(const struct wt_readme *r, int col,
	      const struct wt_isf_extra *x, struct wg_layout *L);
int wg_init(struct wguest *g, const struct wg_layout *L);
void wg_fini(struct wguest *g);

/* A process (linked at the tail of the ring) with its own space. */
struct wg_proc *wg_process(struct wguest *g, uint64_t pml4, uint64_t pid,
			   uint64_t ppid, const char *short_name,
			   const char *nt_path, int64_t session, bool wow64,
			   int table_level);
struct wg_thread *wg_thread(struct wguest *g, struct wg_proc *p, uint64_t tid);
void wg_exit_reported(struct wguest *g, struct wg_proc *p);
/* EPROCESS.CreateTime of @p (100 ns units since 1601). */
void wg_create_time(struct wguest *g, struct wg_proc *p, uint64_t ticks);
/* Take @p out of the process ring (its object was deleted). */
void wg_unlink(struct wguest *g, struct wg_proc *p);
/* Put @object (a body) at @handle in @p's table. */
void wg_handle(struct wguest *g, struct wg_proc *p, uint64_t handle,
	       uint64_t object);
/* Make @t the current thread of vCPU 0 (KPCR, gs_base, cr3). */
void wg_run(struct wguest *g, struct wg_thread *t);
/* Attach @t to @p (ApcStateIndex 1) or detach it (@p NULL). */
void wg_attach(struct wguest *g, struct wg_thread *t, struct wg_proc *p);
/* User scratch memory in @p's space. */
uint64_t wg_ualloc(struct wguest *g, struct wg_proc *p, size_t len);
/* A UNICODE_STRING for UTF-8 @s at @va (buffer in the same space). */
void wg_ustr(struct wguest *g, uint64_t pml4, uint64_t va, const char *s,
	     struct wg_proc *p);
/* Call: registers rcx.. and stack args, RSP pointing at the return address. */
void wg_call(struct wguest *g, struct wg_thread *t, const uint64_t *args,
	     unsigned nargs, uint64_t ret_va, uint64_t *entry_rsp);
uint64_t wg_hook_va(struct wguest *g, int hook);
/* Return from the call entered with @entry_rsp: rax, rsp, fire. */
int wg_return(struct wguest *g, struct wg_thread *t, uint64_t entry_rsp,
	      uint64_t ret_va, uint64_t rax);

#endif /* VS_TESTS_WINDOWS_WGUEST_H */

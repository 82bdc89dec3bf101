// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * wguest.c - the synthetic Windows kernel of wguest.h. Objects are
 * allocated with their _OBJECT_HEADER in front (TypeIndex XOR-encoded
 * with the header address's second byte and the cookie when the build
 * has ObHeaderCookie), handle-table entries hold ObjectPointerBits
 * (header >> 4 at the ISF's bit position) with the Unlocked bit set, the
 * process ring is linked through PsActiveProcessHead in the image.
 */
#include "wguest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "backend/memimage/memimage.h"

#define USER_BASE 0x000000D000000000ull
#define RET_SLACK 0x100

static const char *const hook_names[8] = {
	"NtCreateUserProcess", "NtCreateProcessEx", "NtTerminateProcess",
	"MmCleanProcessAddressSpace", "NtOpenProcess", "NtOpenThread",
	"NtProtectVirtualMemory", "NtAdjustPrivilegesToken",
};

int wg_layout(const struct wt_readme *r, int c, const struct wt_isf_extra *x,
	      struct wg_layout *L)
{
	memset(L, 0, sizeof(*L));
	L->ep_pid = wt_get(r, "_EPROCESS.UniqueProcessId", c);
	L->ep_links = wt_get(r, "_EPROCESS.ActiveProcessLinks", c);
	L->ep_name = wt_get(r, "_EPROCESS.ImageFileName", c);
	L->ep_ppid = wt_get(r, "_EPROCESS.InheritedFromUniqueProcessId", c);
	L->ep_peb = wt_get(r, "_EPROCESS.Peb", c);
	L->ep_objtable = wt_get(r, "_EPROCESS.ObjectTable", c);
	L->ep_wow64 = wt_get(r, "_EPROCESS.Wow64Process", c);
	L->ep_dtb = wt_get(r, "_KPROCESS.DirectoryTableBase", c);
	L->ep_size = wt_get(r, "sizeof _EPROCESS", c);
	L->kt_process = wt_get(r, "_KTHREAD.Process", c);
	L->kt_apcstate = wt_get(r, "_KTHREAD.ApcState", c);
	L->kapc_process = wt_get(r, "_KAPC_STATE.Process", c);
	L->et_cid = wt_get(r, "_ETHREAD.Cid", c);
	L->cid_pid = wt_get(r, "_CLIENT_ID.UniqueProcess", c);
	L->cid_tid = wt_get(r, "_CLIENT_ID.UniqueThread", c);
	L->et_size = wt_get(r, "sizeof _ETHREAD", c);
	L->kpcr_prcb = wt_get(r, "_KPCR.Prcb", c);
	L->kprcb_thread = wt_get(r, "_KPRCB.CurrentThread", c);
	L->peb_params = wt_get(r, "_PEB.ProcessParameters", c);
	L->upp_curdir = wt_get(r, "_RTL_USER_PROCESS_PARAMETERS.CurrentDirectory", c);
	L->upp_dllpath = wt_get(r, "_RTL_USER_PROCESS_PARAMETERS.DllPath", c);
	L->upp_image = wt_get(r, "_RTL_USER_PROCESS_PARAMETERS.ImagePathName", c);
	L->upp_cmdline = wt_get(r, "_RTL_USER_PROCESS_PARAMETERS.CommandLine", c);
	L->curdir_dospath = wt_get(r, "_CURDIR.DosPath", c);
	L->curdir_handle = wt_get(r, "_CURDIR.Handle", c);
	L->ht_tablecode = wt_get(r, "_HANDLE_TABLE.TableCode", c);
	L->oh_typeindex = wt_get(r, "_OBJECT_HEADER.TypeIndex", c);
	L->oh_body = wt_get(r, "_OBJECT_HEADER.Body", c);
	L->oh_size = wt_get(r, "sizeof _OBJECT_HEADER", c);
	L->rva_psinit = wt_get(r, "PsInitialSystemProcess", c);
	L->rva_head = wt_get(r, "PsActiveProcessHead", c);
	L->rva_cookie = wt_get(r, "ObHeaderCookie", c);
	for (int i = 0; i < 8; i++)
		L->rva_hook[i] = wt_get(r, hook_names[i], c);
	L->kt_apcidx = x->apc_state_index;
	L->ep_seaudit = x->seaudit;
	L->ep_flags2 = x->flags2;
	L->exit_bit = x->exit_reported_bit;
	L->peb_session = x->peb_session_id;
	L->hte_size = x->hte_size;
	L->objptr_pos = x->objptr_pos;
	L->objname_name = x->objname_name;
	L->ep_ctime = x->create_time;
	if ((int64_t)L->ep_ctime != wt_create_time_off(r->build[c])) {
		fprintf(stderr, "build %s: the ISF gives _EPROCESS.CreateTime "
			"%#llx, the hand-written table %#llx\n", r->build[c],
			(unsigned long long)L->ep_ctime,
			(unsigned long long)wt_create_time_off(r->build[c]));
		return -1;
	}
	return L->hte_size == 16 && x->objptr_len == 44 ? 0 : -1;
}

/* An object: header, then body; returns the body. */
static uint64_t object(struct wguest *g, uint64_t size, uint8_t type)
{
	uint64_t hdr = synth_kalloc(&g->s, g->L.oh_body + size, 64);
	uint8_t stored = type;

	if (g->L.rva_cookie >= 0)
		stored = type ^ (uint8_t)(hdr >> 8) ^ WG_COOKIE;
	synth_w8(&g->s, g->s.kpml4, hdr + g->L.oh_typeindex, stored);
	return hdr + g->L.oh_body;
}

int wg_init(struct wguest *g, const struct wg_layout *L)
{
	uint64_t k = 0;

	memset(&g->s, 0, sizeof(g->s));
	g->L = *L;
	g->system = NULL;
	g->allocs = g_ptr_array_new_with_free_func(g_free);
	if (synth_init(&g->s, 1) < 0)
		return -1;
	/* Spaces first, so every build gets the same CR3 values. */
	for (int i = 0; i < 12; i++)
		g->space[i] = synth_space(&g->s);
	k = g->s.kpml4;
	g->head = WG_KERNEL_BASE + L->rva_head;
	synth_w64(&g->s, k, g->head, g->head);
	synth_w64(&g->s, k, g->head + 8, g->head);
	if (L->rva_cookie >= 0)
		synth_w8(&g->s, k, WG_KERNEL_BASE + L->rva_cookie, WG_COOKIE);
	g->kpcr = synth_kpage(&g->s);
	return g->s.failed ? -1 : 0;
}

void wg_fini(struct wguest *g)
{
	synth_fini(&g->s);
	if (g->allocs)
		g_ptr_array_free(g->allocs, TRUE);
	g->allocs = NULL;
}

uint64_t wg_ualloc(struct wguest *g, struct wg_proc *p, size_t len)
{
	uint64_t va = p->ustack;

	p->ustack = (va + len + 15) & ~15ull;
	return va;
}

void wg_ustr(struct wguest *g, uint64_t pml4, uint64_t va, const char *s,
	     struct wg_proc *p)
{
	glong n = 0;
	gunichar2 *u = g_utf8_to_utf16(s, -1, NULL, &n, NULL);
	uint64_t buf = n ? (p ? wg_ualloc(g, p, 2 * n + 2) :
			    synth_kalloc(&g->s, 2 * n + 2, 16)) : 0;

	if (n)
		synth_write(&g->s, pml4, buf, u, 2 * n);
	synth_w16(&g->s, pml4, va, (uint16_t)(2 * n));
	synth_w16(&g->s, pml4, va + 2, (uint16_t)(2 * n + 2));
	synth_w64(&g->s, pml4, va + 8, buf);
	g_free(u);
}

static void link_tail(struct wguest *g, uint64_t node)
{
	uint64_t k = g->s.kpml4, last = synth_r64(&g->s, k, g->head + 8);

	synth_w64(&g->s, k, node, g->head);
	synth_w64(&g->s, k, node + 8, last);
	synth_w64(&g->s, k, last, node);
	synth_w64(&g->s, k, g->head + 8, node);
}

static void handle_table(struct wguest *g, struct wg_proc *p, int level)
{
	uint64_t k = g->s.kpml4, code, top, mid;

	p->table = synth_kalloc(&g->s, 0x80, 64);
	p->l0[0] = synth_kpage(&g->s);
	p->l0[1] = synth_kpage(&g->s);
	p->level = level;
	code = p->l0[0];
	if (level >= 1) {
		mid = synth_kpage(&g->s);
		synth_w64(&g->s, k, mid, p->l0[0]);
		synth_w64(&g->s, k, mid + 8, p->l0[1]);
		code = mid | 1;
		if (level == 2) {
			top = synth_kpage(&g->s);
			synth_w64(&g->s, k, top, mid);
			code = top | 2;
		}
	}
	synth_w64(&g->s, k, p->table + g->L.ht_tablecode, code);
}

struct wg_proc *wg_process(struct wguest *g, uint64_t pml4, uint64_t pid,
			   uint64_t ppid, const char *short_name,
			   const char *nt_path, int64_t session, bool wow64,
			   int table_level)
{
	struct wg_proc *p = g_new0(struct wg_proc, 1);
	const struct wg_layout *L = &g->L;
	uint64_t k = g->s.kpml4;
	char name[15] = { 0 };

	g_ptr_array_add(g->allocs, p);
	p->pml4 = pml4;
	p->ustack = USER_BASE + pid * 0x100000;
	p->ep = object(g, L->ep_size, WG_TYPE_PROCESS);
	synth_w64(&g->s, k, p->ep + L->ep_pid + (g->wrong_pid_offset ? 8 : 0), pid);
	synth_w64(&g->s, k, p->ep + L->ep_ppid, ppid);
	memcpy(name, short_name, strnlen(short_name, sizeof(name)));
	synth_write(&g->s, k, p->ep + L->ep_name, name, sizeof(name));
	synth_w64(&g->s, k, p->ep + L->ep_dtb, pml4);
	if (wow64)
		synth_w64(&g->s, k, p->ep + L->ep_wow64, synth_kalloc(&g->s, 0x20, 16));
	if (nt_path) {
		uint64_t oni = synth_kalloc(&g->s, 0x20, 16);

		wg_ustr(g, k, oni + L->objname_name, nt_path, NULL);
		synth_w64(&g->s, k, p->ep + L->ep_seaudit, oni);
	}
	if (session >= 0) {
		p->peb = wg_ualloc(g, p, 0x1000);
		synth_w32(&g->s, pml4, p->peb + L->peb_session, (uint32_t)session);
		synth_w64(&g->s, k, p->ep + L->ep_peb, p->peb);
	}
	if (table_level >= 0) {
		handle_table(g, p, table_level);
		synth_w64(&g->s, k, p->ep + L->ep_objtable, p->table);
	}
	link_tail(g, p->ep + L->ep_links);
	if (!g->system) {
		g->system = p;
		synth_w64(&g->s, k, WG_KERNEL_BASE + L->rva_psinit, p->ep);
	}
	return p;
}

void wg_exit_reported(struct wguest *g, struct wg_proc *p)
{
	synth_w32(&g->s, g->s.kpml4, p->ep + g->L.ep_flags2, 1u << g->L.exit_bit);
}

void wg_create_time(struct wguest *g, struct wg_proc *p, uint64_t ticks)
{
	synth_w64(&g->s, g->s.kpml4, p->ep + g->L.ep_ctime, ticks);
}

void wg_unlink(struct wguest *g, struct wg_proc *p)
{
	uint64_t k = g->s.kpml4, node = p->ep + g->L.ep_links;
	uint64_t next = synth_r64(&g->s, k, node), prev = synth_r64(&g->s, k, node + 8);

	synth_w64(&g->s, k, prev, next);
	synth_w64(&g->s, k, next + 8, prev);
}

struct wg_thread *wg_thread(struct wguest *g, struct wg_proc *p, uint64_t tid)
{
	struct wg_thread *t = g_new0(struct wg_thread, 1);
	const struct wg_layout *L = &g->L;
	uint64_t k = g->s.kpml4;

	g_ptr_array_add(g->allocs, t);
	t->proc = p;
	t->et = object(g, L->et_size, WG_TYPE_THREAD);
	synth_w64(&g->s, k, t->et + L->kt_process, p->ep);
	synth_w64(&g->s, k, t->et + L->et_cid + L->cid_pid, synth_r64(&g->s, k,
		  p->ep + L->ep_pid));
	synth_w64(&g->s, k, t->et + L->et_cid + L->cid_tid, tid);
	t->kstack = synth_kalloc(&g->s, 0x4000, 4096) + 0x4000;
	return t;
}

void wg_handle(struct wguest *g, struct wg_proc *p, uint64_t handle,
	       uint64_t object_body)
{
	uint64_t idx = (handle & 0x3ffffffcull) >> 2, per = 4096 / g->L.hte_size;
	uint64_t hdr = object_body - g->L.oh_body;
	uint64_t low = (((hdr & 0x0000ffffffffffffull) >> 4) << g->L.objptr_pos) |
		       1 /* Unlocked */ | (1ull << 17) /* an Attributes bit */;
	uint64_t e = p->l0[idx / per] + (idx % per) * g->L.hte_size;

	if (idx / per > 1 || (p->level == 0 && idx >= per))
		abort();  /* the scenario's own mistake */
	synth_w64(&g->s, g->s.kpml4, e, low);
	synth_w64(&g->s, g->s.kpml4, e + 8, 0x1fffff);  /* GrantedAccessBits */
}

void wg_run(struct wguest *g, struct wg_thread *t)
{
	const struct wg_layout *L = &g->L;

	synth_w64(&g->s, g->s.kpml4, g->kpcr + L->kpcr_prcb + L->kprcb_thread, t->et);
	vs_memimage_set_reg(g->s.be, 0, "gs_base", g->kpcr);
	vs_memimage_set_reg(g->s.be, 0, "k_gs_base", 0x000000D0FFFF0000ull);
	vs_memimage_set_reg(g->s.be, 0, "cr3", t->proc->pml4);
}

void wg_attach(struct wguest *g, struct wg_thread *t, struct wg_proc *p)
{
	const struct wg_layout *L = &g->L;
	uint64_t k = g->s.kpml4;

	synth_w64(&g->s, k, t->et + L->kt_apcstate + L->kapc_process,
		  p ? p->ep : t->proc->ep);
	synth_w8(&g->s, k, t->et + L->kt_apcidx, p ? 1 : 0);
}

uint64_t wg_hook_va(struct wguest *g, int hook)
{
	return WG_KERNEL_BASE + g->L.rva_hook[hook];
}

void wg_call(struct wguest *g, struct wg_thread *t, const uint64_t *args,
	     unsigned nargs, uint64_t ret_va, uint64_t *entry_rsp)
{
	static const char *const regs[] = { "rcx", "rdx", "r8", "r9" };
	uint64_t rsp = t->kstack - RET_SLACK;

	synth_w64(&g->s, g->s.kpml4, rsp, ret_va);
	for (unsigned i = 0; i < nargs; i++) {
		if (i < 4)
			vs_memimage_set_reg(g->s.be, 0, regs[i], args[i]);
		else
			synth_w64(&g->s, g->s.kpml4, rsp + 8 * (i + 1), args[i]);
	}
	vs_memimage_set_reg(g->s.be, 0, "rsp", rsp);
	*entry_rsp = rsp;
}

int wg_return(struct wguest *g, struct wg_thread *t, uint64_t entry_rsp,
	      uint64_t ret_va, uint64_t rax)
{
	vs_memimage_set_reg(g->s.be, 0, "rax", rax);
	vs_memimage_set_reg(g->s.be, 0, "rsp", entry_rsp + 8);
	vs_memimage_set_reg(g->s.be, 0, "rip", ret_va);
	return vs_memimage_fire(g->s.be, 0, ret_va);
}

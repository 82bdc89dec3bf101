// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_eprocess.c - the Windows process walk and handle tables over a
 * kernel heap the fuzzer writes.
 *
 * Input: a header, then the heap at 0xffffa00000000000 (reads through
 * guestmem's buffer source; the user half is unreadable, as with no
 * backend). Header: one byte per member offset used (times 8 bytes), the
 * _HANDLE_TABLE_ENTRY size byte, a flags byte (bit 0 SeAudit members
 * known, 1 WoW64 known, 2 ObjectPointerBits bitfield, 3 header cookie,
 * 4 process type known, 5 Flags2 ExitProcessReported known, 6 thread
 * type known), the cookie,
 * u16 offsets of System's EPROCESS and of PsActiveProcessHead, and a u32
 * handle. Runs the walk, a PID search and handle lookups (process, thread,
 * any object; ETHREAD.Cid fixed at 0x478); invariants on
 * every process record as in fuzz_tasks.c.
 */
#include <string.h>

#include "fuzz.h"
#include "os/windows/windows.h"

#define BASE 0xffffa00000000000ull

static const enum vs_wino used[] = {
	VS_WINO_EPROCESS_PID, VS_WINO_EPROCESS_LINKS,
	VS_WINO_EPROCESS_IMAGEFILENAME, VS_WINO_EPROCESS_PPID,
	VS_WINO_EPROCESS_PEB, VS_WINO_EPROCESS_OBJECTTABLE,
	VS_WINO_EPROCESS_WOW64, VS_WINO_EPROCESS_SEAUDIT,
	VS_WINO_EPROCESS_EXITREPORTED, VS_WINO_SEAUDIT_IMAGEFILENAME,
	VS_WINO_OBJNAME_NAME, VS_WINO_USTR_LENGTH, VS_WINO_USTR_BUFFER,
	VS_WINO_HANDLE_TABLE_TABLECODE, VS_WINO_OBJECT_HEADER_TYPEINDEX,
	VS_WINO_OBJECT_HEADER_BODY, VS_WINO_HTE_OBJPTRBITS,
	VS_WINO_PEB_SESSIONID,
};
#define NUSED (sizeof(used) / sizeof(used[0]))
#define HDR (NUSED + 1 + 1 + 1 + 2 + 2 + 4)

static int check(const struct vs_proc *p, void *opaque)
{
	unsigned *count = opaque;

	FUZZ_CHECK(p->comm_len < sizeof(p->comm));
	FUZZ_CHECK(p->comm[p->comm_len] == '\0');
	FUZZ_CHECK(p->name_len < sizeof(p->name));
	FUZZ_CHECK(p->name[p->name_len] == '\0');
	FUZZ_CHECK(++*count <= VS_WIN_MAX_PROCS + 1);
	return 0;
}

static void layout(struct vs_win *w, const uint8_t *h)
{
	struct vs_win_offsets *o = &w->off;
	uint8_t flags = h[NUSED + 1];

	for (size_t i = 0; i < NUSED; i++) {
		o->found[used[i]] = true;
		o->m[used[i]].offset = (uint64_t)h[i] * 8;
	}
	o->size[VS_WINS_HANDLE_TABLE_ENTRY] = h[NUSED];
	o->found[VS_WINO_EPROCESS_SEAUDIT] = flags & 1;
	o->found[VS_WINO_EPROCESS_WOW64] = flags & 2;
	o->m[VS_WINO_HTE_OBJPTRBITS] = (struct vs_profile_member){
		0, flags & 4, 20, 44 };
	w->have_cookie = flags & 8;
	w->header_cookie = h[NUSED + 2];
	w->process_type = (flags & 16) ? 7 : -1;
	w->thread_type = (flags & 64) ? 8 : -1;
	/* Thread handles: fixed at Windows 10 19041's _ETHREAD.Cid (0x478)
	 * and _CLIENT_ID.UniqueThread, so older inputs keep their layout. */
	o->found[VS_WINO_ETHREAD_CID] = o->found[VS_WINO_CLIENT_ID_THREAD] = true;
	o->m[VS_WINO_ETHREAD_CID].offset = 0x478;
	o->m[VS_WINO_CLIENT_ID_THREAD].offset = 8;
	o->found[VS_WINO_EPROCESS_EXITREPORTED] = flags & 32;
	o->m[VS_WINO_EPROCESS_EXITREPORTED].bitfield = true;
	o->m[VS_WINO_EPROCESS_EXITREPORTED].bit_position = h[NUSED + 2] & 31;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vs_win w;
	struct vs_win_view v;
	struct vs_proc *p;
	unsigned count = 0;
	uint16_t sys, head;
	uint32_t handle;
	uint64_t ep;
	int64_t pid;

	if (size < HDR)
		return 0;
	memset(&w, 0, sizeof(w));
	layout(&w, data);
	memcpy(&sys, data + NUSED + 3, 2);
	memcpy(&head, data + NUSED + 5, 2);
	memcpy(&handle, data + NUSED + 7, 4);
	w.system = BASE + sys;
	w.active_head = BASE + head;
	memset(&v, 0, sizeof(v));
	v.w = &w;
	vs_gmem_from_buffer(&v.k, BASE, data + HDR, size - HDR);
	vs_gmem_from_buffer(&v.cur, 0, NULL, 0);
	vs_win_proc_foreach(&v, check, &count);
	vs_win_find_pid(&v, 4, &ep);
	vs_win_handle_pid(&v, w.system, handle, &pid);
	vs_win_handle_tid(&v, w.system, handle, &pid);
	vs_win_handle_object(&v, w.system, handle | 0x80000000u,
			     VS_WIN_OBJ_ANY, &ep);
	p = g_new(struct vs_proc, 1);
	if (vs_win_proc_read(&v, w.system, p) == 0)
		check(p, &(unsigned){0});
	g_free(p);
	return 0;
}

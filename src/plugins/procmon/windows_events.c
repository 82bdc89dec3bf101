// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * windows_events.c - the eight Windows procmon hooks: what each reads at
 * entry and at return and the fields it prints, in the reference's order
 * (§2.A; types from docs/events.md §8). Where DRAKVUF drops an event or
 * prints a made-up value after a failed read, vmiscope prints what it
 * has, with the field named in the extended Unreadable list (contract §6).
 * Decisions of the contract (§4) that differ from DRAKVUF: ExitPid of
 * NtTerminateProcess(-1) is the caller's PID; CommandLine is printed as
 * read (the output layer applies g_strescape under --drakvuf-compat).
 * Each event says which process it names besides the caller
 * (vs_pmw_key_of: NewProcessKey, TargetProcessKey); windows_keys.c prints
 * the keys.
 *
 * User buffers (PHANDLE, CLIENT_ID, parameter block, TOKEN_PRIVILEGES)
 * are read through the current address space of the trap, kernel objects
 * through the kernel's; arguments follow the x64 convention (windows.h).
 */
#include "plugins/procmon/windows.h"

#include <errno.h>
#include <string.h>

#include "pipeline/options.h"
#include "plugins/procmon/windows_names.h"

#define OFF(h, id) VS_WINO(&(h)->pm->w->off, id)

static uint64_t arg(struct vs_pmw_hit *h, unsigned n)
{
	uint64_t v = 0;

	if (vs_win_arg(&h->v, n, &v) < 0)
		return 0;
	return v;
}

static void save_args(struct vs_pmw_hit *h, struct vs_pmw_pending *p,
		      unsigned n)
{
	for (unsigned i = 1; i <= n && i <= VS_PMW_MAX_ARGS; i++)
		p->args[i] = arg(h, i);
}

/* The 8-byte handle the callee stored at user address @va (0 on failure). */
static uint64_t out_handle(struct vs_pmw_hit *h, uint64_t va,
			   const char *field)
{
	uint64_t v = 0;

	if (va && vs_gmem_u64(&h->v.cur, va, &v) < 0) {
		vs_pmw_mark_unreadable(h, field);
		v = 0;
	}
	return v;
}

/*
 * PID behind a process handle of the calling process, its EPROCESS in
 * *@ep; 0 and *@ep 0 when none. A handle that does not resolve names
 * @field (and the key @key_field, when given) in Unreadable.
 */
static int64_t handle_pid(struct vs_pmw_hit *h, uint64_t handle,
			  const char *field, const char *key_field,
			  uint64_t *ep)
{
	uint64_t body = 0, pid = 0;

	*ep = 0;
	if (handle == 0 || handle == VS_WIN_CURRENT_PROCESS || !h->owner)
		return 0;
	if (vs_win_handle_object(&h->v, h->owner, handle, VS_WIN_OBJ_PROCESS,
				 &body) < 0 ||
	    vs_gmem_u64(&h->v.k, body + OFF(h, VS_WINO_EPROCESS_PID), &pid) < 0) {
		vs_pmw_mark_unreadable(h, field);
		if (key_field)
			vs_pmw_key_of(h, key_field, 0, true);
		return 0;
	}
	*ep = body;
	return (int64_t)pid;
}

/* 32 or 64 for a process in the list, 0 when it is not there. */
static int64_t bitness_of(struct vs_pmw_hit *h, int64_t pid)
{
	if (pid <= 0 || vs_pmw_lookup_pid(h, pid) < 0)
		return 0;
	return h->other.bitness;
}

/* One UNICODE_STRING of the user's parameter block, as a Q field. */
static void ustr_field(struct vs_pmw_hit *h, unsigned slot, uint64_t va,
		       const char *field)
{
	char *buf = h->str[slot];
	size_t len = 0;
	bool trunc = false;

	if (!va || vs_win_ustr(&h->v.cur, &h->pm->w->off, va, buf,
			       VS_PMW_STR_CAP, &len, &trunc) < 0) {
		buf[0] = '\0';
		len = 0;
		vs_pmw_mark_unreadable(h, field);
	}
	if (trunc)
		vs_pmw_mark_truncated(h, field);
	vs_event_str(&h->ev, field, VS_FT_QSTR, buf, len);
}

/*
 * CWD: CurrentDirectory.Handle as a FILE_OBJECT's FileName, else
 * CurrentDirectory.DosPath, else "" (reference §2.A.1).
 */
static void cwd_field(struct vs_pmw_hit *h, uint64_t params)
{
	const struct vs_win_offsets *o = &h->pm->w->off;
	uint64_t cd = params + OFF(h, VS_WINO_PARAMS_CURDIR), handle = 0, file;
	char *buf = h->str[3];
	size_t len = 0;
	bool trunc = false;

	if (params && o->found[VS_WINO_FILE_OBJECT_FILENAME] &&
	    vs_gmem_u64(&h->v.cur, cd + OFF(h, VS_WINO_CURDIR_HANDLE), &handle) == 0 &&
	    handle && h->owner &&
	    vs_win_handle_object(&h->v, h->owner, handle, VS_WIN_OBJ_ANY,
				 &file) == 0 &&
	    vs_win_ustr(&h->v.k, o, file + OFF(h, VS_WINO_FILE_OBJECT_FILENAME),
			buf, VS_PMW_STR_CAP, &len, &trunc) == 0 && len) {
		if (trunc)
			vs_pmw_mark_truncated(h, "CWD");
		vs_event_str(&h->ev, "CWD", VS_FT_QSTR, buf, len);
		return;
	}
	ustr_field(h, 3, params ? cd + OFF(h, VS_WINO_CURDIR_DOSPATH) : 0, "CWD");
}

/* ---- NtCreateUserProcess (§2.A.1) ------------------------------------- */

/*
 * NTSTATUS NtCreateUserProcess(PHANDLE ProcessHandle, PHANDLE ThreadHandle,
 *   ACCESS_MASK ProcessDesiredAccess, ACCESS_MASK ThreadDesiredAccess,
 *   POBJECT_ATTRIBUTES ProcessObjectAttributes,
 *   POBJECT_ATTRIBUTES ThreadObjectAttributes, ULONG ProcessFlags,
 *   ULONG ThreadFlags, PRTL_USER_PROCESS_PARAMETERS ProcessParameters,
 *   PPS_CREATE_INFO CreateInfo, PPS_ATTRIBUTE_LIST AttributeList);
 */
static void create_user_entry(struct vs_pmw_hit *h)
{
	struct vs_pmw_pending p = { .kind = VS_PMW_CREATE_USER };

	p.args[1] = arg(h, 1);
	p.args[2] = arg(h, 2);
	p.args[9] = arg(h, 9);
	vs_pmw_expect_return(h, &p);
}

static void create_user_return(struct vs_pmw_hit *h,
			       const struct vs_pmw_pending *p)
{
	struct vs_event *ev = &h->ev;
	uint64_t status = 0, ph, th, params = p->args[9], ep;
	int64_t pid, tid = 0;

	vs_win_reg(&h->v, "rax", &status);
	vs_pmw_key_of(h, "NewProcessKey", 0, false);
	ph = out_handle(h, p->args[1], "NewProcessHandle");
	th = out_handle(h, p->args[2], "NewThreadHandle");
	pid = handle_pid(h, ph, "NewPid", "NewProcessKey", &ep);
	if (ep)
		vs_pmw_key_of(h, "NewProcessKey", ep, false);
	if (th && th != VS_WIN_CURRENT_THREAD && h->owner &&
	    vs_win_handle_tid(&h->v, h->owner, th, &tid) < 0) {
		vs_pmw_mark_unreadable(h, "NewTid");
		tid = 0;
	}
	vs_event_hex(ev, "Status", status);
	vs_event_hex(ev, "NewProcessHandle", ph);
	vs_event_num(ev, "NewPid", pid);
	vs_event_hex(ev, "NewThreadHandle", th);
	vs_event_num(ev, "NewTid", tid);
	ustr_field(h, 0, params ? params + OFF(h, VS_WINO_PARAMS_COMMANDLINE) : 0,
		   "CommandLine");
	ustr_field(h, 1, params ? params + OFF(h, VS_WINO_PARAMS_IMAGEPATHNAME) : 0,
		   "ImagePathName");
	ustr_field(h, 2, params ? params + OFF(h, VS_WINO_PARAMS_DLLPATH) : 0,
		   "DllPath");
	cwd_field(h, params);
	vs_event_num(ev, "Bitness", bitness_of(h, pid));
}

/* ---- NtCreateProcessEx (§2.A.2) --------------------------------------- */

/*
 * NTSTATUS NtCreateProcessEx(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
 *   POBJECT_ATTRIBUTES ObjectAttributes, HANDLE ParentProcess, ULONG Flags,
 *   HANDLE SectionHandle, HANDLE DebugPort, HANDLE ExceptionPort,
 *   BOOLEAN InJob);
 */
static void create_ex_entry(struct vs_pmw_hit *h)
{
	struct vs_pmw_pending p = { .kind = VS_PMW_CREATE_EX };

	save_args(h, &p, 9);
	vs_pmw_expect_return(h, &p);
}

static void create_ex_return(struct vs_pmw_hit *h,
			     const struct vs_pmw_pending *p)
{
	struct vs_event *ev = &h->ev;
	uint64_t status = 0, ph, ep;
	int64_t pid;

	vs_win_reg(&h->v, "rax", &status);
	vs_pmw_key_of(h, "NewProcessKey", 0, false);
	ph = out_handle(h, p->args[1], "ProcessHandle");
	pid = handle_pid(h, ph, "NewPid", "NewProcessKey", &ep);
	if (ep)
		vs_pmw_key_of(h, "NewProcessKey", ep, false);
	vs_event_hex(ev, "Status", status);
	vs_event_hex(ev, "ProcessHandle", ph);
	vs_event_hex(ev, "DesiredAccess", (uint32_t)p->args[2]);
	vs_event_hex(ev, "ObjectAttributes", p->args[3]);
	vs_event_hex(ev, "ParentProcess", p->args[4]);
	vs_event_hex(ev, "Flags", (uint32_t)p->args[5]);
	vs_event_hex(ev, "SectionHandle", p->args[6]);
	vs_event_hex(ev, "DebugPort", p->args[7]);
	vs_event_hex(ev, "ExceptionPort", p->args[8]);
	vs_event_num(ev, "JobMemberLevel", (uint32_t)p->args[9]);
	vs_event_num(ev, "NewPid", pid);
	vs_event_num(ev, "Bitness", bitness_of(h, pid));
}

/* ---- NtTerminateProcess (§2.A.3) -------------------------------------- */

/* NTSTATUS NtTerminateProcess(HANDLE ProcessHandle, NTSTATUS ExitStatus); */
static void terminate_entry(struct vs_pmw_hit *h)
{
	uint64_t handle = arg(h, 1), status = arg(h, 2), ep = 0;
	bool compat = h->pm->ctx->opts && h->pm->ctx->opts->drakvuf_compat;
	int64_t pid;

	/* Contract §4: -1 is the caller; 0 (the caller's other threads) is 0
	 * and names no process (TargetProcessKey absent). */
	vs_pmw_key_of(h, "TargetProcessKey", 0, false);
	if (handle == VS_WIN_CURRENT_PROCESS) {
		pid = h->caller.pid;
		ep = pid >= 0 ? h->attached : 0;
		vs_pmw_key_of(h, "TargetProcessKey", ep, !ep);
	} else {
		pid = handle_pid(h, handle, "ExitPid", "TargetProcessKey", &ep);
		if (ep)
			vs_pmw_key_of(h, "TargetProcessKey", ep, false);
	}
	vs_event_num(&h->ev, "ExitPid", pid);
	vs_event_hex(&h->ev, "ExitStatus", status);
	vs_event_cstr(&h->ev, "ExitStatusStr", VS_FT_QSTR,
		      vs_win_ntstatus_str(status, compat, h->ntstatus,
					  sizeof(h->ntstatus)));
}

/* ---- MmCleanProcessAddressSpace (§2.A.4) ------------------------------ */

/* VOID MmCleanProcessAddressSpace(PEPROCESS Process); */
static void mmclean_entry(struct vs_pmw_hit *h)
{
	uint64_t ep = arg(h, 1), pid;

	if (!ep || vs_gmem_u64(&h->v.k, ep + OFF(h, VS_WINO_EPROCESS_PID),
			       &pid) < 0) {
		vs_pmw_mark_unreadable(h, "ExitPid");
		pid = (uint64_t)-1;
		ep = 0;
	}
	vs_event_num(&h->ev, "ExitPid", (int64_t)pid);
	vs_pmw_key_of(h, "TargetProcessKey", ep, !ep);
}

/* ---- NtOpenProcess / NtOpenThread (§2.A.5, 2.A.6) ---------------------- */

/*
 * NTSTATUS NtOpenProcess(PHANDLE ProcessHandle, ACCESS_MASK DesiredAccess,
 *   POBJECT_ATTRIBUTES ObjectAttributes, PCLIENT_ID ClientId);
 * NtOpenThread: the same with a thread handle.
 * ClientID is ClientId->UniqueProcess's low 32 bits read at entry; none or
 * 0 (an open by name or by TID only) means the caller.
 */
static void open_entry(struct vs_pmw_hit *h, enum vs_pmw_hook kind)
{
	struct vs_pmw_pending p = { .kind = kind };
	uint64_t cid;
	uint32_t v;

	save_args(h, &p, 4);
	cid = p.args[4];
	p.client_pid = 0;
	if (cid && vs_gmem_u32(&h->v.cur, cid + OFF(h, VS_WINO_CLIENT_ID_PROCESS),
			       &v) == 0)
		p.client_pid = v;
	if (!p.client_pid && h->attached) {
		struct vs_proc *me = &h->other;

		if (vs_win_proc_read(&h->v, h->attached, me) == 0)
			p.client_pid = me->pid;
	}
	if (kind == VS_PMW_OPEN_THREAD) {
		if (cid && vs_gmem_u32(&h->v.cur, cid + OFF(h, VS_WINO_CLIENT_ID_THREAD),
				       &v) == 0)
			p.client_tid = v;
		else
			p.client_tid_unreadable = true;
	}
	vs_pmw_expect_return(h, &p);
}

static void open_process_entry(struct vs_pmw_hit *h)
{
	open_entry(h, VS_PMW_OPEN_PROCESS);
}

static void open_thread_entry(struct vs_pmw_hit *h)
{
	open_entry(h, VS_PMW_OPEN_THREAD);
}

/*
 * The process an open names (TargetProcessKey): the one behind the
 * returned handle (a thread handle: its owning process), which is exact
 * even for an open by thread id; when the open failed, the process with
 * PID ClientID (@by_pid, 0 if none: the key is then absent).
 */
static void open_target(struct vs_pmw_hit *h, uint64_t handle, bool thread,
			uint64_t by_pid)
{
	uint64_t body = 0, owner = 0, attached;

	if (handle && h->owner &&
	    vs_win_handle_object(&h->v, h->owner, handle, thread ?
				 VS_WIN_OBJ_THREAD : VS_WIN_OBJ_PROCESS,
				 &body) == 0 &&
	    (!thread ||
	     vs_win_thread_process(&h->v, body, &owner, &attached) == 0)) {
		vs_pmw_key_of(h, "TargetProcessKey", thread ? owner : body,
			      false);
		return;
	}
	vs_pmw_key_of(h, "TargetProcessKey", by_pid, false);
}

static void open_return(struct vs_pmw_hit *h, const struct vs_pmw_pending *p,
			const char *handle_key, bool thread)
{
	struct vs_event *ev = &h->ev;
	uint64_t handle = out_handle(h, p->args[1], handle_key), by_pid = 0;

	vs_event_hex(ev, handle_key, handle);
	vs_event_hex(ev, "DesiredAccess", (uint32_t)p->args[2]);
	vs_event_hex(ev, "ObjectAttributes", p->args[3]);
	vs_event_num(ev, "ClientID", p->client_pid);
	if (vs_pmw_lookup_pid(h, p->client_pid) == 0) {
		vs_event_str(ev, "ClientName", VS_FT_QSTR, h->other.name,
			     h->other.name_len);
		by_pid = h->other.obj;
	} else {
		vs_event_cstr(ev, "ClientName", VS_FT_QSTR, "<UNKNOWN>");
	}
	open_target(h, handle, thread, by_pid);
}

static void open_process_return(struct vs_pmw_hit *h,
				const struct vs_pmw_pending *p)
{
	open_return(h, p, "ProcessHandle", false);
}

static void open_thread_return(struct vs_pmw_hit *h,
			       const struct vs_pmw_pending *p)
{
	open_return(h, p, "ThreadHandle", true);
	if (p->client_tid_unreadable)
		vs_pmw_mark_unreadable(h, "UniqueThread");
	vs_event_num(&h->ev, "UniqueThread", p->client_tid);
}

/* ---- NtProtectVirtualMemory (§2.A.7) ---------------------------------- */

/*
 * NTSTATUS NtProtectVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress,
 *   PSIZE_T RegionSize, ULONG NewProtect, PULONG OldProtect);
 */
static void protect_entry(struct vs_pmw_hit *h)
{
	uint64_t handle = arg(h, 1);

	h->scratch = g_string_new(NULL);
	vs_win_protection_str((uint32_t)arg(h, 4), h->scratch);
	vs_event_hex(&h->ev, "ProcessHandle", handle);
	vs_event_str(&h->ev, "NewProtectWin32", VS_FT_QSTR, h->scratch->str,
		     h->scratch->len);
}

/* ---- NtAdjustPrivilegesToken (§2.A.8) --------------------------------- */

/*
 * NTSTATUS NtAdjustPrivilegesToken(HANDLE TokenHandle,
 *   BOOLEAN DisableAllPrivileges, PTOKEN_PRIVILEGES NewState,
 *   ULONG BufferLength, PTOKEN_PRIVILEGES PreviousState,
 *   PULONG ReturnLength);
 * TOKEN_PRIVILEGES: ULONG PrivilegeCount, then packed 12-byte
 * LUID_AND_ATTRIBUTES (8-byte LUID, 4-byte Attributes).
 */
static size_t read_privileges(struct vs_pmw_hit *h, uint64_t state)
{
	uint8_t raw[VS_PMW_MAX_PRIVS * 12];
	uint32_t count;
	size_t n;

	if (!state || vs_gmem_u32(&h->v.cur, state, &count) < 0) {
		vs_pmw_mark_unreadable(h, "NewState");
		return 0;
	}
	n = count;
	if (n > VS_PMW_MAX_PRIVS) {
		n = VS_PMW_MAX_PRIVS;
		vs_pmw_mark_truncated(h, "NewState");
	}
	if (n && vs_gmem_read(&h->v.cur, state + 4, raw, n * 12) < 0) {
		vs_pmw_mark_unreadable(h, "NewState");
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		uint64_t luid;
		uint32_t attr;
		const char *k, *val;

		memcpy(&luid, raw + 12 * i, 8);
		memcpy(&attr, raw + 12 * i + 8, 4);
		k = vs_win_privilege_name(luid, h->pairbuf[i][0], 24);
		val = vs_win_privilege_attr_name(attr, h->pairbuf[i][1], 24);
		h->pairs[i] = (struct vs_pair){
			.key = { k, strlen(k) }, .type = VS_FT_RSTR,
			.v.s = { val, strlen(val) } };
	}
	return n;
}

static void adjust_privs_entry(struct vs_pmw_hit *h)
{
	uint64_t token = arg(h, 1), disable_all = arg(h, 2);
	size_t n = 1;

	vs_event_num(&h->ev, "ProcessHandle", (uint32_t)token);
	if (disable_all)
		h->pairs[0] = (struct vs_pair){ .key = { "DisableAll", 10 },
						.type = VS_FT_NUM, .v.n = 1 };
	else
		n = read_privileges(h, arg(h, 3));
	vs_event_pairs(&h->ev, "NewState", h->pairs, n);
}

const struct vs_pmw_hook_desc vs_pmw_hooks[VS_PMW_NHOOKS] = {
	[VS_PMW_CREATE_USER] = { VS_WINSYM_NTCREATEUSERPROCESS,
		"NtCreateUserProcess", create_user_entry, create_user_return },
	[VS_PMW_CREATE_EX] = { VS_WINSYM_NTCREATEPROCESSEX,
		"NtCreateProcessEx", create_ex_entry, create_ex_return },
	[VS_PMW_TERMINATE] = { VS_WINSYM_NTTERMINATEPROCESS,
		"NtTerminateProcess", terminate_entry, NULL },
	[VS_PMW_MMCLEAN] = { VS_WINSYM_MMCLEANPROCESSADDRESSSPACE,
		"MmCleanProcessAddressSpace", mmclean_entry, NULL },
	[VS_PMW_OPEN_PROCESS] = { VS_WINSYM_NTOPENPROCESS,
		"NtOpenProcess", open_process_entry, open_process_return },
	[VS_PMW_OPEN_THREAD] = { VS_WINSYM_NTOPENTHREAD,
		"NtOpenThread", open_thread_entry, open_thread_return },
	[VS_PMW_PROTECT] = { VS_WINSYM_NTPROTECTVIRTUALMEMORY,
		"NtProtectVirtualMemory", protect_entry, NULL },
	[VS_PMW_ADJUST_PRIVS] = { VS_WINSYM_NTADJUSTPRIVILEGESTOKEN,
		"NtAdjustPrivilegesToken", adjust_privs_entry, NULL },
};

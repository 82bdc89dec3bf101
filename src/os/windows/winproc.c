// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * winproc.c - threads and processes of the Windows layer: the current
 * thread from the KPCR, owning and attached process, one EPROCESS read
 * into a struct vs_proc, its CreateTime, the running-process walk (System
 * first, then the ActiveProcessLinks ring) and x64 function arguments.
 */
#include "os/windows/windows.h"

#include <errno.h>
#include <string.h>

#include "backend/backend.h"

#define OFF(v, id) VS_WINO(&(v)->w->off, id)

static bool is_kernel_va(uint64_t va)
{
	return (va & VS_WIN_KERNEL_TOP) == VS_WIN_KERNEL_TOP;
}

int vs_win_reg(struct vs_win_view *v, const char *name, uint64_t *val)
{
	int id, rc = vs_backend_reg_id(v->w->be, name, &id);

	return rc < 0 ? rc : vs_backend_read_reg(v->w->be, v->vcpu, id, val);
}

/*
 * In kernel mode GS holds the KPCR; in user mode it is the TEB and the
 * KPCR waits in KERNEL_GS_BASE for swapgs. Take the one that is a kernel
 * address.
 */
int vs_win_current_thread(struct vs_win_view *v, uint64_t *kthread)
{
	uint64_t kpcr = 0, t = 0;

	if (vs_win_reg(v, "gs_base", &kpcr) < 0 || !is_kernel_va(kpcr))
		if (vs_win_reg(v, "k_gs_base", &kpcr) < 0 || !is_kernel_va(kpcr))
			return -ENOENT;
	if (vs_gmem_u64(&v->k, kpcr + OFF(v, VS_WINO_KPCR_PRCB) +
			OFF(v, VS_WINO_KPRCB_CURRENTTHREAD), &t) < 0)
		return -EFAULT;
	if (!is_kernel_va(t))
		return -ENOENT;
	*kthread = t;
	return 0;
}

int vs_win_thread_process(struct vs_win_view *v, uint64_t kthread,
			  uint64_t *owner, uint64_t *attached)
{
	uint64_t p = 0, a = 0;
	uint8_t idx = 0;

	if (vs_gmem_u64(&v->k, kthread + OFF(v, VS_WINO_KTHREAD_PROCESS), &p) < 0)
		return -EFAULT;
	if (!is_kernel_va(p))
		return -ENOENT;
	*owner = p;
	*attached = p;
	/* ApcStateIndex != 0: attached (KeStackAttachProcess) elsewhere. */
	if (vs_gmem_u8(&v->k, kthread + OFF(v, VS_WINO_KTHREAD_APCSTATEINDEX),
		       &idx) == 0 && idx &&
	    vs_gmem_u64(&v->k, kthread + OFF(v, VS_WINO_KTHREAD_APCSTATE) +
			OFF(v, VS_WINO_KAPC_STATE_PROCESS), &a) == 0 &&
	    is_kernel_va(a))
		*attached = a;
	return 0;
}

int vs_win_thread_tid(struct vs_win_view *v, uint64_t ethread, int64_t *tid)
{
	uint64_t t;

	if (vs_gmem_u64(&v->k, ethread + OFF(v, VS_WINO_ETHREAD_CID) +
			OFF(v, VS_WINO_CLIENT_ID_THREAD), &t) < 0)
		return -EFAULT;
	*tid = (int64_t)t;
	return 0;
}

/* NT path: SeAuditProcessCreationInfo.ImageFileName -> OBJECT_NAME_INFORMATION. */
static int audit_name(struct vs_win_view *v, uint64_t eprocess,
		      struct vs_proc *p)
{
	const struct vs_win_offsets *o = &v->w->off;
	uint64_t oni = 0;

	if (!o->found[VS_WINO_EPROCESS_SEAUDIT] ||
	    !o->found[VS_WINO_SEAUDIT_IMAGEFILENAME] ||
	    !o->found[VS_WINO_OBJNAME_NAME])
		return -ENOENT;
	if (vs_gmem_u64(&v->k, eprocess + OFF(v, VS_WINO_EPROCESS_SEAUDIT) +
			OFF(v, VS_WINO_SEAUDIT_IMAGEFILENAME), &oni) < 0)
		return -EFAULT;
	if (!oni)
		return -ENOENT;  /* System, Registry, ...: no file */
	if (vs_win_ustr(&v->k, o, oni + OFF(v, VS_WINO_OBJNAME_NAME), p->name,
			sizeof(p->name), &p->name_len, &p->name_truncated) < 0)
		return -EFAULT;
	return p->name_len ? 0 : -ENOENT;
}

static void read_comm(struct vs_win_view *v, uint64_t eprocess,
		      struct vs_proc *p)
{
	uint8_t raw[15];

	if (vs_gmem_read(&v->k, eprocess + OFF(v, VS_WINO_EPROCESS_IMAGEFILENAME),
			 raw, sizeof(raw)) < 0) {
		p->unreadable |= VS_PROC_U_COMM;
		return;
	}
	p->comm_len = strnlen((const char *)raw, sizeof(raw));
	memcpy(p->comm, raw, p->comm_len);
	p->comm[p->comm_len] = '\0';
}

/* PEB.SessionId through the process's own address space; -1 without. */
static int64_t session_id(struct vs_win_view *v, uint64_t eprocess)
{
	const struct vs_win_offsets *o = &v->w->off;
	struct vs_gmem um;
	uint64_t peb = 0;
	uint32_t sid;

	if (!o->found[VS_WINO_PEB_SESSIONID] ||
	    vs_gmem_u64(&v->k, eprocess + OFF(v, VS_WINO_EPROCESS_PEB), &peb) < 0 ||
	    !peb)
		return -1;
	vs_win_proc_mem(v, eprocess, &um);
	if (vs_gmem_u32(&um, peb + OFF(v, VS_WINO_PEB_SESSIONID), &sid) < 0)
		return -1;
	return sid;
}

int vs_win_proc_read(struct vs_win_view *v, uint64_t eprocess,
		     struct vs_proc *p)
{
	const struct vs_win_offsets *o = &v->w->off;
	uint64_t pid, ppid, wow = 0;

	memset(p, 0, sizeof(*p));
	p->obj = eprocess;
	if (vs_gmem_u64(&v->k, eprocess + OFF(v, VS_WINO_EPROCESS_PID), &pid) < 0)
		return -EFAULT;
	p->pid = (int64_t)pid;
	p->tid = -1;
	p->ppid = -1;
	if (vs_gmem_u64(&v->k, eprocess + OFF(v, VS_WINO_EPROCESS_PPID), &ppid) == 0)
		p->ppid = (int64_t)ppid;
	else
		p->unreadable |= VS_PROC_U_PPID;
	read_comm(v, eprocess, p);
	if (audit_name(v, eprocess, p) < 0) {
		memcpy(p->name, p->comm, p->comm_len + 1);
		p->name_len = p->comm_len;
		p->name_truncated = false;
		if (p->unreadable & VS_PROC_U_COMM)
			p->unreadable |= VS_PROC_U_PATH;
	}
	/* A WoW64 process block exists only for 32-bit processes. */
	p->bitness = 64;
	if (o->found[VS_WINO_EPROCESS_WOW64] &&
	    vs_gmem_u64(&v->k, eprocess + OFF(v, VS_WINO_EPROCESS_WOW64), &wow) == 0 &&
	    wow)
		p->bitness = 32;
	p->uid = p->euid = session_id(v, eprocess);
	p->kernel_thread = p->pid == VS_WIN_SYSTEM_PID;
	return 0;
}

int vs_win_create_time(struct vs_win_view *v, uint64_t eprocess,
		       uint64_t *ticks)
{
	if (!v->w->off.found[VS_WINO_EPROCESS_CREATETIME])
		return -ENOENT;
	if (!eprocess ||
	    vs_gmem_u64(&v->k, eprocess + OFF(v, VS_WINO_EPROCESS_CREATETIME),
			ticks) < 0)
		return -EFAULT;
	return 0;
}

bool vs_win_exit_reported(struct vs_win_view *v, uint64_t eprocess)
{
	const struct vs_win_offsets *o = &v->w->off;
	const struct vs_profile_member *m = &o->m[VS_WINO_EPROCESS_EXITREPORTED];
	uint32_t flags;

	if (!o->found[VS_WINO_EPROCESS_EXITREPORTED] || !m->bitfield ||
	    m->bit_position >= 32 ||
	    vs_gmem_u32(&v->k, eprocess + m->offset, &flags) < 0)
		return false;
	return (flags >> m->bit_position) & 1;
}

int vs_win_proc_foreach(struct vs_win_view *v, vs_proc_fn fn, void *opaque)
{
	uint64_t links_off = OFF(v, VS_WINO_EPROCESS_LINKS), node;
	struct vs_proc *p = g_new(struct vs_proc, 1);
	struct vs_gmem_list it;
	int rc;

	rc = vs_win_proc_read(v, v->w->system, p);
	if (rc == 0)
		rc = fn(p, opaque);
	vs_gmem_list_init(&it, &v->k, v->w->active_head, VS_WIN_MAX_PROCS);
	while (rc == 0 && (rc = vs_gmem_list_next(&it, &node)) == 1) {
		uint64_t ep = node - links_off;

		rc = 0;
		if (ep == v->w->system || vs_win_exit_reported(v, ep))
			continue;
		if (vs_win_proc_read(v, ep, p) < 0)
			continue;  /* not even a PID: nothing to name it by */
		rc = fn(p, opaque);
	}
	vs_gmem_list_fini(&it);
	g_free(p);
	return rc;
}

int vs_win_find_pid(struct vs_win_view *v, int64_t pid, uint64_t *eprocess)
{
	uint64_t links_off = OFF(v, VS_WINO_EPROCESS_LINKS), node, val;
	uint64_t pid_off = OFF(v, VS_WINO_EPROCESS_PID);
	struct vs_gmem_list it;
	int rc;

	vs_gmem_list_init(&it, &v->k, v->w->active_head, VS_WIN_MAX_PROCS);
	while ((rc = vs_gmem_list_next(&it, &node)) == 1) {
		if (vs_gmem_u64(&v->k, node - links_off + pid_off, &val) == 0 &&
		    (int64_t)val == pid) {
			*eprocess = node - links_off;
			break;
		}
	}
	vs_gmem_list_fini(&it);
	if (rc == 1)
		return 0;
	return rc < 0 ? rc : -ENOENT;
}

int vs_win_arg(struct vs_win_view *v, unsigned n, uint64_t *val)
{
	static const char *const regs[] = { "rcx", "rdx", "r8", "r9" };
	uint64_t rsp;
	int rc;

	if (n == 0)
		return -EINVAL;
	if (n <= 4)
		return vs_win_reg(v, regs[n - 1], val);
	rc = vs_win_reg(v, "rsp", &rsp);
	return rc < 0 ? rc : vs_gmem_u64(&v->cur, rsp + 8ull * n, val);
}

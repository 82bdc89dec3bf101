// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lx_events.c - the Linux procmon events other than exec: the common
 * header, do_exit, do_send_sig_info and kernel_clone, and the dispatch of
 * return-site hits (reference §2.B, docs/events.md §7).
 *
 * Every callback runs on a vCPU thread and builds its event in that vCPU's
 * struct lxp_vcpu. A read that fails never drops the event: the field gets
 * a neutral value and its name goes into the extended `Unreadable` list.
 * - do_exit(code): read where do_exit calls acct_collect(code, group_dead)
 *   (GroupExit is then the kernel's own group_dead), else at do_exit's
 *   entry (GroupExit: signal->live == 1, which misses the last thread when
 *   two threads are between entry and the decrement of live at once).
 *   (code & 0x7f) == 0 is a normal exit with
 *   status (code >> 8) & 0xff; otherwise the task dies of signal code &
 *   0x7f (core dumped when code & 0x80): ExitStatus 128 + signal (contract
 *   §6; DRAKVUF prints code >> 8, i.e. 0, EXIT_SUCCESS).
 * - do_send_sig_info(sig, info, p, type): entry only (the return value is
 *   not reported, so the event needs no return hook).
 * - kernel_clone(args): flags and exit signal at entry, the new PID (or a
 *   negative errno) at the return. A clone whose return cannot be waited
 *   for (linux_priv.h) prints at entry: NewPid absent and Unreadable, and
 *   NewProcessKey too unless it is a thread (the caller's key).
 */
#include "linux_priv.h"

#include <stdio.h>
#include <string.h>

#include "common/stats.h"
#include "linux_names.h"
#include "os/linux/procmon_read.h"
#include "plugins/procmon/prockey.h"

#define PROCMON "procmon"
#define MAX_CHILDREN 4096

static struct lxp_vcpu *vcpu_of(struct lxp *lx, unsigned vcpu)
{
	return vcpu < lx->nvcpus ? &lx->vcpus[vcpu] : NULL;
}

struct lxp_vcpu *lxp_moment(struct lxp *lx, unsigned vcpu)
{
	struct lxp_vcpu *v = vcpu_of(lx, vcpu);

	if (!v)
		return NULL;
	if (!v->gm.memo) {
		v->gm.memo = &v->memo;
		if (v->own_view)
			vs_lx_view_memo(v->view, &v->memo);
	}
	vs_gmem_memo_clear(&v->memo);
	v->task = 0;
	return v;
}

int lxp_current(struct lxp *lx, unsigned vcpu, uint64_t *task)
{
	struct lxp_vcpu *v = &lx->vcpus[vcpu];
	int rc;

	if (v->task) {
		*task = v->task;
		return 0;
	}
	rc = vs_os_current(v->view, vcpu, task);
	if (rc == 0)
		v->task = *task;
	return rc;
}

void lxp_bprm_prefetch(struct lxp *lx, struct lxp_vcpu *v, uint64_t bprm)
{
	const struct lxp_off *o = &lx->off;
	uint64_t sink[8];
	uint8_t bits[2];
	struct vs_gmem_field f[9] = {
		{ o->bprm_p, 8, &sink[0], 0 }, { o->bprm_argc, 4, &sink[1], 0 },
		{ o->bprm_envc, 4, &sink[2], 0 },
		{ o->bprm_filename, 8, &sink[3], 0 },
		{ o->bprm_interp, 8, &sink[4], 0 },
	};
	size_t n = 5;

	if (!bprm)
		return;
	if (o->has_fdpath)
		f[n++] = (struct vs_gmem_field){ o->bprm_fdpath, 8, &sink[5], 0 };
	if (o->has_execfd)
		f[n++] = (struct vs_gmem_field){ o->bprm_execfd, 4, &sink[6], 0 };
	if (o->has_have_execfd)
		f[n++] = (struct vs_gmem_field){ o->have_execfd.bit_off / 8, 1,
						 &bits[0], 0 };
	if (o->has_secureexec)
		f[n++] = (struct vs_gmem_field){ o->secureexec.bit_off / 8, 1,
						 &bits[1], 0 };
	vs_gmem_gather(&v->gm, bprm, f, n);
}

void lxp_unreadable(struct lxp_vcpu *v, const char *field)
{
	for (size_t i = 0; i < v->nunreadable; i++)
		if (strcmp(v->unreadable[i].ptr, field) == 0)
			return;
	if (v->nunreadable < LXP_MAX_UNREADABLE)
		v->unreadable[v->nunreadable++] =
			(struct vs_bytes){ field, strlen(field) };
}

void lxp_truncated(struct lxp_vcpu *v, const char *field)
{
	for (size_t i = 0; i < v->ntruncated; i++)
		if (strcmp(v->truncated[i].ptr, field) == 0)
			return;
	if (v->ntruncated < LXP_MAX_UNREADABLE)
		v->truncated[v->ntruncated++] =
			(struct vs_bytes){ field, strlen(field) };
}

struct vs_event *lxp_begin(struct lxp *lx, unsigned vcpu, enum lxp_kind kind,
			   uint64_t *task)
{
	struct lxp_vcpu *v = &lx->vcpus[vcpu];
	struct vs_event *ev = &v->ev;
	struct vs_proc *p = &v->cur;

	v->nunreadable = v->ntruncated = 0;
	vs_event_init(ev, VS_EV_HOOK, VS_OS_LINUX, PROCMON, lxp_method[kind]);
	ev->method = lxp_method[kind];
	ev->compat_method = lxp_compat_method[kind];
	ev->time_us = vs_backend_clock_us(lx->be);
	ev->vcpu = vcpu;
	ev->cr3 = lxp_reg(lx, vcpu, lx->r_cr3);
	ev->event_uid = __atomic_add_fetch(&lx->event_uid, 1, __ATOMIC_RELAXED);
	*task = 0;
	if (lxp_current(lx, vcpu, task) < 0 || !*task ||
	    vs_os_proc_read(v->view, *task, p) < 0) {
		memset(p, 0, sizeof(*p));
		p->obj = *task;
		p->pid = p->tid = p->ppid = p->uid = -1;
		ev->pid = ev->tid = ev->ppid = ev->userid = -1;
		lxp_unreadable(v, "PID");
		return ev;
	}
	ev->pid = p->pid;
	ev->tid = p->tid;
	ev->ppid = p->ppid;
	ev->userid = p->uid;
	ev->process_name.ptr = p->name;
	ev->process_name.len = p->name_len;
	if (p->unreadable & VS_PROC_U_PPID)
		lxp_unreadable(v, "PPID");
	if (p->unreadable & VS_PROC_U_CRED)
		lxp_unreadable(v, "UserId");
	if (p->unreadable & VS_PROC_U_PATH)
		lxp_unreadable(v, "ProcessName");
	return ev;
}

/* Key of @task's process: its group leader's tgid and start time. */
bool lxp_process_key(struct lxp *lx, struct lxp_vcpu *v, uint64_t task,
		     char *buf, size_t len)
{
	uint64_t leader = 0, start = 0;
	int32_t tgid;
	struct vs_gmem_field f[2] = {
		{ lx->off.task_tgid, 4, &tgid, 0 },
		{ lx->off.task_start_time, 8, &start, 0 },
	};

	if (!task ||
	    vs_gmem_u64(&v->gm, task + lx->off.task_group_leader, &leader) < 0 ||
	    !leader || vs_gmem_gather(&v->gm, leader, f, 2) < 0)
		return false;
	vs_pm_key_format(buf, len, lx->run_id, tgid, start);
	return true;
}

void lxp_key_field(struct lxp *lx, struct lxp_vcpu *v, const char *key,
		   uint64_t task)
{
	char buf[VS_PM_KEY_SIZE];
	bool ok = lxp_process_key(lx, v, task, buf, sizeof(buf));

	if (!vs_pm_key_put(&v->ev, key, ok ? buf : NULL) && task)
		lxp_unreadable(v, key);
}

void lxp_finish(struct lxp *lx, struct lxp_vcpu *v, bool with_truncated)
{
	struct vs_event *ev = &v->ev;

	if (with_truncated) {
		if (v->ntruncated) {
			vs_field_ext(vs_event_strv(ev, "Truncated", v->truncated,
						   v->ntruncated));
			vs_stats_add(&lx->ctx->stats->fields_truncated, 1);
		} else {
			vs_field_ext(vs_event_absent(ev, "Truncated", VS_FT_STRV));
		}
	}
	if (v->nunreadable)
		vs_field_ext(vs_event_strv(ev, "Unreadable", v->unreadable,
					   v->nunreadable));
	else
		vs_field_ext(vs_event_absent(ev, "Unreadable", VS_FT_STRV));
	lx->ctx->emit(lx->ctx->emit_opaque, ev);
}

static void comm_field(struct vs_event *ev, const struct vs_proc *p)
{
	vs_event_str(ev, "ThreadName", VS_FT_ESTR, p->comm, p->comm_len);
}

/* ---- do_exit --------------------------------------------------------- */

/* 1 when @task is the last live thread of its group, 0 not, -1 unknown. */
static int group_exit(struct lxp *lx, struct lxp_vcpu *v, uint64_t task)
{
	uint64_t sig;
	int32_t live;

	if (!lx->off.has_live || !task ||
	    vs_gmem_u64(&v->gm, task + lx->off.task_signal, &sig) < 0 || !sig ||
	    vs_gmem_read(&v->gm, sig + lx->off.signal_live, &live, 4) < 0)
		return -1;
	return live == 1;
}

void lxp_on_exit(const struct vs_hook_ctx *hc)
{
	struct lxp *lx = hc->opaque;
	struct lxp_vcpu *v = lxp_moment(lx, hc->vcpu);
	uint64_t code, task;
	struct vs_event *ev;
	char buf[32];
	int sig, grp;

	if (!v)
		return;
	code = lxp_reg(lx, hc->vcpu, lx->r_rdi);
	ev = lxp_begin(lx, hc->vcpu, LXP_EXIT, &task);
	comm_field(ev, &v->cur);
	sig = (int)(code & 0x7f);
	if (sig == 0) {
		uint32_t st = (uint32_t)(code >> 8) & 0xff;

		vs_event_num(ev, "ExitStatus", st);
		vs_event_cstr(ev, "ExitStatusStr", VS_FT_RSTR,
			      vs_linux_exit_status_name(st));
		vs_field_ext(vs_event_absent(ev, "ExitSignal", VS_FT_NUM));
		vs_field_ext(vs_event_absent(ev, "ExitSignalStr", VS_FT_RSTR));
		vs_field_ext(vs_event_absent(ev, "CoreDumped", VS_FT_NUM));
	} else {
		vs_event_num(ev, "ExitStatus", 128 + sig);
		vs_event_cstr(ev, "ExitStatusStr", VS_FT_RSTR,
			      vs_linux_exit_signal_name(sig, buf, sizeof(buf)));
		vs_field_ext(vs_event_num(ev, "ExitSignal", sig));
		vs_field_ext(vs_event_cstr(ev, "ExitSignalStr", VS_FT_RSTR,
			vs_linux_signal_name(sig, false, buf, sizeof(buf))));
		if (code & 0x80)
			vs_field_ext(vs_event_num(ev, "CoreDumped", 1));
		else
			vs_field_ext(vs_event_absent(ev, "CoreDumped", VS_FT_NUM));
	}
	grp = lx->exit_at_acct ?
		lxp_reg(lx, hc->vcpu, lx->r_rsi) != 0 : group_exit(lx, v, task);
	if (grp == 1)
		vs_field_ext(vs_event_num(ev, "GroupExit", 1));
	else
		vs_field_ext(vs_event_absent(ev, "GroupExit", VS_FT_NUM));
	if (grp < 0 && lx->off.has_live)
		lxp_unreadable(v, "GroupExit");
	lxp_key_field(lx, v, "ProcessKey", task);
	lxp_finish(lx, v, false);
	if (task)
		lxp_pending_drop_task(lx, task);
}

/* ---- do_send_sig_info ------------------------------------------------- */

void lxp_on_signal(const struct vs_hook_ctx *hc)
{
	struct lxp *lx = hc->opaque;
	struct lxp_vcpu *v = lxp_moment(lx, hc->vcpu);
	uint64_t target, task;
	int64_t sig;
	struct vs_event *ev;
	struct vs_proc *t;
	char buf[32];
	bool ok;

	if (!v)
		return;
	sig = (int32_t)lxp_reg(lx, hc->vcpu, lx->r_rdi);
	target = lxp_reg(lx, hc->vcpu, lx->r_rdx);
	ev = lxp_begin(lx, hc->vcpu, LXP_SIGNAL, &task);
	t = &v->other;
	comm_field(ev, &v->cur);
	ok = target && vs_os_proc_read(v->view, target, t) == 0;
	if (!ok) {
		memset(t, 0, sizeof(*t));
		t->pid = t->tid = t->ppid = -1;
		lxp_unreadable(v, "TargetPID");
	}
	vs_event_num(ev, "TargetPID", t->pid);
	vs_event_num(ev, "TargetTID", t->tid);
	vs_event_num(ev, "TargetPPID", t->ppid);
	vs_event_str(ev, "TargetProcessName", VS_FT_ESTR, t->name, t->name_len);
	vs_event_str(ev, "TargetThreadName", VS_FT_ESTR, t->comm, t->comm_len);
	vs_event_num(ev, "Signal", sig);
	vs_event_cstr(ev, "SignalStr", VS_FT_RSTR,
		      vs_linux_signal_name(sig, lx->compat, buf, sizeof(buf)));
	if (ok && (t->unreadable & VS_PROC_U_PATH))
		lxp_unreadable(v, "TargetProcessName");
	lxp_key_field(lx, v, "ProcessKey", task);
	lxp_key_field(lx, v, "TargetProcessKey", ok ? target : 0);
	lxp_finish(lx, v, false);
}

/* ---- kernel_clone ----------------------------------------------------- */

/* The vCPU's scratch entry, for a call printed at its entry. */
static struct lxp_pending *scratch(struct lxp *lx, unsigned vcpu,
				   enum lxp_kind kind, uint64_t task,
				   bool *at_entry)
{
	struct lxp_pending *p = &lx->vcpus[vcpu].scratch;

	*at_entry = true;
	p->task = task;
	p->ret = p->rsp = 0;
	p->kind = kind;
	return p;
}

struct lxp_pending *lxp_entry_pending(struct lxp *lx, unsigned vcpu,
				      enum lxp_kind kind, uint64_t task,
				      bool *at_entry)
{
	struct lxp_vcpu *v = &lx->vcpus[vcpu];
	uint64_t rsp = lxp_reg(lx, vcpu, lx->r_rsp), ret = 0;
	struct lxp_pending *p;

	*at_entry = false;
	if (!task || !rsp || vs_gmem_u64(&v->gm, rsp, &ret) < 0 || !ret) {
		vs_stats_add(&lx->ctx->stats->pending_returns_dropped, 1);
		return scratch(lx, vcpu, kind, task, at_entry);
	}
	/* No hook at the return site (no breakpoint slot): nothing would
	 * ever take a pending entry, print now. */
	if (lxp_retsite_ensure(lx, ret) < 0)
		return scratch(lx, vcpu, kind, task, at_entry);
	p = lxp_pending_get(lx, vcpu);
	if (!p)
		return scratch(lx, vcpu, kind, task, at_entry);
	p->task = task;
	p->ret = ret;
	p->rsp = rsp;
	p->kind = kind;
	return p;
}

void lxp_on_clone(const struct vs_hook_ctx *hc)
{
	struct lxp *lx = hc->opaque;
	struct lxp_vcpu *v = lxp_moment(lx, hc->vcpu);
	uint64_t args, task = 0;
	struct lxp_pending *p;
	struct vs_gmem_field f[2];
	bool at_entry;

	if (!v)
		return;
	__atomic_add_fetch(&lx->event_uid, 1, __ATOMIC_RELAXED);
	args = lxp_reg(lx, hc->vcpu, lx->r_rdi);
	if (lxp_current(lx, hc->vcpu, &task) < 0)
		task = 0;
	p = lxp_entry_pending(lx, hc->vcpu, LXP_CLONE, task, &at_entry);
	p->u.clone.flags = 0;
	p->u.clone.exit_signal = 0;
	f[0] = (struct vs_gmem_field){ lx->off.clone_flags, 8,
				       &p->u.clone.flags, 0 };
	f[1] = (struct vs_gmem_field){ lx->off.clone_exit_signal, 4,
				       &p->u.clone.exit_signal, 0 };
	p->u.clone.bad = vs_gmem_gather(&v->gm, args, f, 2) < 0;
	if (at_entry)
		lxp_clone_entry(lx, hc->vcpu, p);
	else
		lxp_pending_put(lx, p);
}

/* The new task: a child of @parent with tgid/pid @pid, newest first. */
static uint64_t find_child(struct lxp *lx, struct lxp_vcpu *v,
			   uint64_t parent, int64_t pid)
{
	uint64_t head = parent + lx->off.task_children, node = 0;
	struct vs_gmem_list it;
	uint64_t found = 0, sink[3];
	int32_t tp;

	if (!lx->off.has_children || !parent)
		return 0;
	vs_gmem_list_init(&it, &v->gm, head, MAX_CHILDREN);
	while (vs_gmem_list_next(&it, &node) == 1) {
		uint64_t t = node - lx->off.task_sibling;
		/* One read: the pid, the next sibling (the walk's next step)
		 * and what the new task's key needs, kept in the memo. */
		struct vs_gmem_field f[4] = {
			{ lx->off.task_pid, 4, &tp, 0 },
			{ lx->off.task_sibling, 8, &sink[0], 0 },
			{ lx->off.task_group_leader, 8, &sink[1], 0 },
			{ lx->off.task_start_time, 8, &sink[2], 0 },
		};

		vs_gmem_gather(&v->gm, t, f, 4);
		if (f[0].rc == 0 && tp == pid)
			found = t;
	}
	vs_gmem_list_fini(&it);
	return found;
}

static void new_key(struct lxp *lx, struct lxp_vcpu *v, uint64_t task,
		    uint64_t flags, int64_t pid)
{
	uint64_t parent = task, child;

	if (pid <= 0) {
		vs_field_ext(vs_event_absent(&v->ev, "NewProcessKey", VS_FT_QSTR));
		return;
	}
	/* A thread joins the caller's process. */
	if (flags & 0x00010000ull) {                       /* CLONE_THREAD */
		lxp_key_field(lx, v, "NewProcessKey", task);
		return;
	}
	if ((flags & 0x00008000ull) &&                     /* CLONE_PARENT */
	    vs_gmem_u64(&v->gm, task + lx->off.task_real_parent, &parent) < 0)
		parent = 0;
	child = find_child(lx, v, parent, pid);
	if (child) {
		lxp_key_field(lx, v, "NewProcessKey", child);
		return;
	}
	/* Already reaped, or not a child we can see. */
	vs_field_ext(vs_event_absent(&v->ev, "NewProcessKey", VS_FT_QSTR));
}

/* The clone event; @ret NULL: printed at entry, the result unknown. */
static void clone_event(struct lxp *lx, unsigned vcpu, uint64_t flags,
			int32_t esig, bool bad, const int64_t *ret)
{
	struct lxp_vcpu *v = &lx->vcpus[vcpu];
	struct vs_event *ev;
	const char *err;
	uint64_t task;
	char buf[32];

	ev = lxp_begin(lx, vcpu, LXP_CLONE, &task);
	v->s1 = g_string_truncate(v->s1, 0);
	vs_linux_clone_flags(flags, v->s1);
	vs_event_str(ev, "Flags", VS_FT_ESTR,
		     vs_event_strdup(ev, v->s1->str, v->s1->len), v->s1->len);
	vs_event_num(ev, "Signal", esig);
	vs_event_cstr(ev, "SignalStr", VS_FT_ESTR,
		      vs_linux_signal_name(esig, lx->compat, buf, sizeof(buf)));
	if (ret)
		vs_event_num(ev, "NewPid", *ret);
	else
		vs_event_absent(ev, "NewPid", VS_FT_NUM);
	err = ret && *ret < 0 ? vs_linux_errno_name(-*ret) : NULL;
	if (err)
		vs_field_ext(vs_event_cstr(ev, "Errno", VS_FT_RSTR, err));
	else
		vs_field_ext(vs_event_absent(ev, "Errno", VS_FT_RSTR));
	if (bad) {
		lxp_unreadable(v, "Flags");
		lxp_unreadable(v, "Signal");
	}
	lxp_key_field(lx, v, "ProcessKey", task);
	if (ret) {
		new_key(lx, v, task, flags, *ret);
	} else if (!bad && (flags & 0x00010000ull)) {       /* CLONE_THREAD */
		lxp_key_field(lx, v, "NewProcessKey", task);
	} else {
		vs_field_ext(vs_event_absent(ev, "NewProcessKey", VS_FT_QSTR));
		lxp_unreadable(v, "NewProcessKey");
	}
	if (!ret)
		lxp_unreadable(v, "NewPid");
	lxp_finish(lx, v, false);
}

void lxp_clone_return(struct lxp *lx, unsigned vcpu, struct lxp_pending *p)
{
	int64_t ret = (int64_t)lxp_reg(lx, vcpu, lx->r_rax);
	uint64_t flags = p->u.clone.flags;
	int32_t esig = p->u.clone.exit_signal;
	bool bad = p->u.clone.bad;

	lxp_pending_release(lx, p);
	clone_event(lx, vcpu, flags, esig, bad, &ret);
}

void lxp_clone_entry(struct lxp *lx, unsigned vcpu, struct lxp_pending *p)
{
	clone_event(lx, vcpu, p->u.clone.flags, p->u.clone.exit_signal,
		    p->u.clone.bad, NULL);
}

/* ---- return sites ------------------------------------------------------ */

void lxp_on_return(const struct vs_hook_ctx *hc)
{
	struct lxp *lx = hc->opaque;
	struct lxp_vcpu *v;
	uint64_t task = 0, rsp;
	struct lxp_pending *p;

	if (!__atomic_load_n(&lx->npending, __ATOMIC_RELAXED) ||
	    !(v = lxp_moment(lx, hc->vcpu)))
		return;
	if (lxp_current(lx, hc->vcpu, &task) < 0 || !task)
		return;
	rsp = lxp_reg(lx, hc->vcpu, lx->r_rsp);
	p = lxp_pending_take(lx, task, hc->addr, rsp - 8);
	if (!p)
		return;
	if (p->kind == LXP_CLONE)
		lxp_clone_return(lx, hc->vcpu, p);
	else if (p->kind == LXP_EXEC)
		lxp_exec_return(lx, hc->vcpu, p);
	else
		lxp_pending_release(lx, p);
}

int lxp_read_uids(struct lxp *lx, struct lxp_vcpu *v, uint64_t task,
		  int64_t *uid, int64_t *suid, int64_t *euid)
{
	uint64_t cred;
	uint32_t a, b, c;
	struct vs_gmem_field f[3] = {
		{ lx->off.cred_uid, 4, &a, 0 }, { lx->off.cred_suid, 4, &b, 0 },
		{ lx->off.cred_euid, 4, &c, 0 },
	};

	*uid = *suid = *euid = 4294967295ll;
	if (!task ||
	    vs_gmem_u64(&v->gm, task + lx->off.task_real_cred, &cred) < 0 ||
	    vs_gmem_gather(&v->gm, cred, f, 3) < 0)
		return -1;
	*uid = a;
	*suid = b;
	*euid = c;
	return 0;
}

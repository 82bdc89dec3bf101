// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ocsf_map.c - what each event is in OCSF terms: the activity (1 Launch,
 * 2 Terminate, 3 Open, 99 Other with a label), the actor process, the
 * target process, and exit code, permissions and status where the event
 * has them. Every field used here is marked, so ocsf.c leaves it out of
 * "unmapped". The table with the reasons is docs/ocsf.md §2.
 */
#include "ocsf.h"

#include <string.h>

/* ---- fields ----------------------------------------------------------- */

static int find(const struct vs_ocsf *o, const char *key)
{
	size_t n = o->ev->nfields < VS_EVENT_MAX_FIELDS ? o->ev->nfields :
		   VS_EVENT_MAX_FIELDS;

	for (size_t i = 0; i < n; i++)
		if (o->ev->fields[i].present &&
		    strcmp(o->ev->fields[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* A present field, left for unmapped. */
const struct vs_field *vs_ocsf_peek(const struct vs_ocsf *o, const char *key)
{
	int i = find(o, key);

	return i < 0 ? NULL : &o->ev->fields[i];
}

/* A present field, mapped (so not repeated in unmapped). */
static const struct vs_field *take(struct vs_ocsf *o, const char *key)
{
	int i = find(o, key);

	if (i < 0)
		return NULL;
	o->used[i] = true;
	return &o->ev->fields[i];
}

bool vs_ocsf_is_str(const struct vs_field *f)
{
	return f && (f->type == VS_FT_QSTR || f->type == VS_FT_ESTR ||
		     f->type == VS_FT_RSTR);
}

static bool is_int(const struct vs_field *f)
{
	return f && (f->type == VS_FT_NUM || f->type == VS_FT_UNUM ||
		     f->type == VS_FT_HEX);
}

/* Take an integer field into *@v; false when absent or not a number. */
static bool take_int(struct vs_ocsf *o, const char *key, int64_t *v)
{
	const struct vs_field *f = vs_ocsf_peek(o, key);

	if (!is_int(f))
		return false;
	take(o, key);
	*v = f->v.n;
	return true;
}

static const struct vs_field *take_str(struct vs_ocsf *o, const char *key)
{
	return vs_ocsf_is_str(vs_ocsf_peek(o, key)) ? take(o, key) : NULL;
}

/* ---- mapping ----------------------------------------------------------- */

/* The process that made the hook fire (the event header). */
static void caller(struct vs_ocsf *o, struct vs_ocsf_proc *p)
{
	const struct vs_event *ev = o->ev;

	memset(p, 0, sizeof(*p));
	p->has_pid = true;
	p->pid = ev->pid;
	p->has_tid = ev->kind == VS_EV_HOOK;
	p->tid = ev->tid;
	p->key = take_str(o, "ProcessKey");
	p->name = ev->process_name;
	p->name_src = "ProcessName";
	/* Linux UserId is the real uid; Windows' is a session id. */
	p->has_user = ev->os == VS_OS_LINUX && ev->userid >= 0;
	p->user = ev->userid;
}

static void set_name(struct vs_ocsf_proc *p, const struct vs_field *f)
{
	if (f) {
		p->name = f->v.s;
		p->name_src = f->key;
	}
}

static void map_running(struct vs_ocsf *o, struct vs_ocsf_act *m)
{
	struct vs_ocsf_proc *t = &m->target;

	m->activity = 99;
	m->label = "Running";
	m->actor_app = true;
	caller(o, t);
	t->name_src = NULL;
	set_name(t, take_str(o, "RunningProcess"));
	t->has_tid = false;
	t->has_user = false;     /* RunningProcess lines carry no uid */
	t->has_ppid = true;
	t->ppid = o->ev->ppid;
	t->pkey = take_str(o, "ParentProcessKey");
}

static void map_exec(struct vs_ocsf *o, struct vs_ocsf_act *m)
{
	const struct vs_field *ouid = vs_ocsf_peek(o, "ouid");
	struct vs_ocsf_proc *t = &m->target;

	m->activity = 1;
	m->status = 1;
	caller(o, &m->actor);
	/* The actor is the image before exec: its uid is the old real uid. */
	m->actor.has_user = is_int(ouid) && ouid->v.n >= 0 &&
			    ouid->v.n != 4294967295LL;
	m->actor.user = ouid ? ouid->v.n : -1;
	*t = m->actor;
	t->has_user = o->ev->userid >= 0;
	t->user = o->ev->userid;
	t->name_src = NULL;
	set_name(t, take_str(o, "ImagePathName"));
	t->cmd = take_str(o, "CommandLine");
	t->has_ppid = true;
	t->ppid = o->ev->ppid;
	t->pkey = take_str(o, "ParentProcessKey");
}

static void map_exit(struct vs_ocsf *o, struct vs_ocsf_act *m)
{
	const struct vs_field *group = vs_ocsf_peek(o, "GroupExit");

	/* do_exit runs for every thread; only the last one ends the process. */
	if (is_int(group) && group->v.n == 1) {
		m->activity = 2;
	} else {
		m->activity = 99;
		m->label = "Thread Exit";
	}
	caller(o, &m->actor);
	m->target = m->actor;
	m->has_exit = take_int(o, "ExitStatus", &m->exit_code);
}

static void map_signal(struct vs_ocsf *o, struct vs_ocsf_act *m)
{
	struct vs_ocsf_proc *t = &m->target;

	m->activity = 99;
	m->label = "Signal";
	caller(o, &m->actor);
	memset(t, 0, sizeof(*t));
	t->has_pid = take_int(o, "TargetPID", &t->pid);
	t->has_tid = take_int(o, "TargetTID", &t->tid);
	t->has_ppid = take_int(o, "TargetPPID", &t->ppid);
	t->key = take_str(o, "TargetProcessKey");
	set_name(t, take_str(o, "TargetProcessName"));
}

static bool has_flag(const struct vs_field *flags, const char *name)
{
	size_t n = strlen(name), start = 0;

	if (!vs_ocsf_is_str(flags) || !flags->v.s.ptr)
		return false;
	for (size_t i = 0; i <= flags->v.s.len; i++) {
		if (i < flags->v.s.len && flags->v.s.ptr[i] != '|')
			continue;
		if (i - start == n && memcmp(flags->v.s.ptr + start, name, n) == 0)
			return true;
		start = i + 1;
	}
	return false;
}

static void map_clone(struct vs_ocsf *o, struct vs_ocsf_act *m)
{
	struct vs_ocsf_proc *t = &m->target;
	int64_t child;
	bool known = take_int(o, "NewPid", &child);

	m->activity = 99;
	m->label = "Clone";
	caller(o, &m->actor);
	*t = m->actor;
	if (!known)
		return;
	m->status = child > 0 ? 1 : 2;
	m->status_code = take_str(o, "Errno");
	if (child <= 0)
		return;
	if (has_flag(vs_ocsf_peek(o, "Flags"), "CLONE_THREAD")) {
		t->tid = child;          /* a new thread of the same process */
		return;
	}
	/* A new process running the caller's image, child of the caller. */
	t->pid = child;
	t->has_tid = false;
	t->key = take_str(o, "NewProcessKey");
	t->has_ppid = true;
	t->ppid = o->ev->pid;
	t->pkey = m->actor.key;
}

static void map_win_create(struct vs_ocsf *o, struct vs_ocsf_act *m)
{
	struct vs_ocsf_proc *t = &m->target;
	const struct vs_field *st = vs_ocsf_peek(o, "Status");

	m->activity = 1;
	if (is_int(st)) {
		take(o, "Status");
		m->status = st->v.u == 0 ? 1 : 2;
		if (st->v.u != 0)
			m->status_code = st;
	}
	caller(o, &m->actor);
	memset(t, 0, sizeof(*t));
	t->has_pid = take_int(o, "NewPid", &t->pid);
	t->has_tid = take_int(o, "NewTid", &t->tid);
	t->key = take_str(o, "NewProcessKey");
	set_name(t, take_str(o, "ImagePathName"));
	t->cmd = take_str(o, "CommandLine");
	t->has_ppid = true;
	t->ppid = o->ev->pid;
	t->pkey = m->actor.key;
}

/* Target of a Windows event given by PID: the caller's details when it is
 * the caller itself. */
static void win_pid_target(struct vs_ocsf *o, struct vs_ocsf_act *m,
			   int64_t pid)
{
	if (pid == o->ev->pid) {
		m->target = m->actor;
		return;
	}
	memset(&m->target, 0, sizeof(m->target));
	m->target.has_pid = true;
	m->target.pid = pid;
}

static void map_win_terminate(struct vs_ocsf *o, struct vs_ocsf_act *m)
{
	int64_t pid = -1, status;
	bool known = take_int(o, "ExitPid", &pid);

	caller(o, &m->actor);
	m->activity = 2;
	if (known && pid == 0) {
		/* handle 0: the caller's other threads, not a process end */
		m->activity = 99;
		m->label = "Terminate Other Threads";
		m->target = m->actor;
	} else {
		win_pid_target(o, m, pid);
	}
	if (take_int(o, "ExitStatus", &status)) {
		m->has_exit = true;
		m->exit_code = (int32_t)(uint32_t)status;   /* NTSTATUS */
	}
}

static void map_win_open(struct vs_ocsf *o, struct vs_ocsf_act *m, bool thread)
{
	struct vs_ocsf_proc *t = &m->target;

	m->activity = 3;
	caller(o, &m->actor);
	memset(t, 0, sizeof(*t));
	t->has_pid = take_int(o, "ClientID", &t->pid);
	if (thread)
		t->has_tid = take_int(o, "UniqueThread", &t->tid);
	set_name(t, take_str(o, "ClientName"));
	m->has_perm = take_int(o, "DesiredAccess", &m->perm);
}

void vs_ocsf_map(struct vs_ocsf *o, struct vs_ocsf_act *m)
{
	const struct vs_event *ev = o->ev;
	const char *t = ev->type ? ev->type : (ev->method ? ev->method : "");
	int64_t pid = -1;

	memset(m, 0, sizeof(*m));
	if (ev->kind == VS_EV_RUNNING)
		map_running(o, m);
	else if (strcmp(t, "begin_new_exec") == 0)
		map_exec(o, m);
	else if (strcmp(t, "do_exit") == 0)
		map_exit(o, m);
	else if (strcmp(t, "do_send_sig_info") == 0)
		map_signal(o, m);
	else if (strcmp(t, "kernel_clone") == 0)
		map_clone(o, m);
	else if (strcmp(t, "NtCreateUserProcess") == 0 ||
		 strcmp(t, "NtCreateProcessEx") == 0)
		map_win_create(o, m);
	else if (strcmp(t, "NtTerminateProcess") == 0)
		map_win_terminate(o, m);
	else if (strcmp(t, "MmCleanProcessAddressSpace") == 0) {
		m->activity = 2;
		caller(o, &m->actor);
		take_int(o, "ExitPid", &pid);
		win_pid_target(o, m, pid);
	} else if (strcmp(t, "NtOpenProcess") == 0)
		map_win_open(o, m, false);
	else if (strcmp(t, "NtOpenThread") == 0)
		map_win_open(o, m, true);
	else {
		/* NtProtectVirtualMemory, NtAdjustPrivilegesToken, any other:
		 * the caller acted on itself (handles stay in unmapped). */
		m->activity = 99;
		m->label = strcmp(t, "NtProtectVirtualMemory") == 0 ?
			   "Protect Memory" :
			   strcmp(t, "NtAdjustPrivilegesToken") == 0 ?
			   "Adjust Privileges" : t;
		caller(o, &m->actor);
		m->target = m->actor;
	}
}


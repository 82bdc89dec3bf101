// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * model.c - from JSON event lines to process instances (see model.h).
 *
 * Each line is parsed with json-glib; anything unexpected in it (a missing
 * member, a string where a number belongs) leaves that part out, never the
 * whole report. Strings are copied as valid UTF-8 (invalid bytes become
 * U+FFFD). The event types used: RunningProcess, exec (begin_new_exec,
 * do_execveat_common), do_exit, kernel_clone, do_send_sig_info, and the
 * Windows NtCreateUserProcess, NtTerminateProcess and
 * MmCleanProcessAddressSpace; other lines only refresh last-seen times.
 */
#include "model.h"

#include <string.h>

#include <json-glib/json-glib.h>

/* ---- json-glib accessors that never fail ------------------------------- */

static JsonNode *member(JsonObject *o, const char *k)
{
	return json_object_has_member(o, k) ? json_object_get_member(o, k) :
	       NULL;
}

static const char *get_str(JsonObject *o, const char *k)
{
	JsonNode *n = member(o, k);

	if (!n || !JSON_NODE_HOLDS_VALUE(n) ||
	    json_node_get_value_type(n) != G_TYPE_STRING)
		return NULL;
	return json_node_get_string(n);
}

static bool get_int(JsonObject *o, const char *k, int64_t *v)
{
	JsonNode *n = member(o, k);

	if (!n || !JSON_NODE_HOLDS_VALUE(n) ||
	    json_node_get_value_type(n) != G_TYPE_INT64)
		return false;
	*v = json_node_get_int(n);
	return true;
}

static int64_t int_or(JsonObject *o, const char *k, int64_t dflt)
{
	int64_t v;

	return get_int(o, k, &v) ? v : dflt;
}

static char *dup_utf8(const char *s)
{
	return s ? g_utf8_make_valid(s, -1) : NULL;
}

/* "sec.usec" -> µs; false for anything else. */
static bool parse_time(const char *s, uint64_t *us)
{
	uint64_t sec = 0, frac = 0;
	int nf = 0;

	if (!s || !g_ascii_isdigit(*s))
		return false;
	for (; g_ascii_isdigit(*s); s++) {
		if (sec > (UINT64_MAX / 1000000 - 10) / 10)
			return false;
		sec = sec * 10 + (uint64_t)(*s - '0');
	}
	if (*s == '.')
		for (s++; g_ascii_isdigit(*s) && nf < 6; s++, nf++)
			frac = frac * 10 + (uint64_t)(*s - '0');
	if (*s)
		return false;
	for (; nf < 6; nf++)
		frac *= 10;
	*us = sec * 1000000 + frac;
	return true;
}

/* ---- processes --------------------------------------------------------- */

static void exec_clear(gpointer p)
{
	struct rp_exec *e = p;

	g_free(e->image);
	g_free(e->cmdline);
	g_free(e->filename);
	if (e->argv)
		g_ptr_array_free(e->argv, TRUE);
}

static void proc_free(gpointer p)
{
	struct rp_proc *r = p;

	g_free(r->key);
	g_free(r->parent_key);
	g_free(r->name);
	g_array_free(r->execs, TRUE);
	g_free(r->exit.status_str);
	g_free(r->exit.signal_str);
	g_free(r);
}

static void signal_clear(gpointer p)
{
	g_free(((struct rp_signal *)p)->name);
}

void rp_model_init(struct rp_model *m)
{
	memset(m, 0, sizeof(*m));
	m->procs = g_ptr_array_new_with_free_func(proc_free);
	m->by_key = g_hash_table_new(g_str_hash, g_str_equal);
	m->live = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
					NULL);
	m->signals = g_array_new(FALSE, TRUE, sizeof(struct rp_signal));
	g_array_set_clear_func(m->signals, signal_clear);
}

void rp_model_free(struct rp_model *m)
{
	g_hash_table_destroy(m->by_key);
	g_hash_table_destroy(m->live);
	g_ptr_array_free(m->procs, TRUE);
	g_array_free(m->signals, TRUE);
}

/* The per-line context: the model, the line number and its time. */
struct ctx {
	struct rp_model *m;
	JsonObject *o;
	size_t line;
	uint64_t t;
};

static struct rp_proc *live_get(struct rp_model *m, int64_t pid)
{
	return g_hash_table_lookup(m->live, &pid);
}

/* @p now owns @pid: whoever had it before has ended (PID reuse). */
static void live_set(struct ctx *c, struct rp_proc *p)
{
	struct rp_proc *old = live_get(c->m, p->pid);
	gint64 *k;

	if (old == p)
		return;
	if (old && !old->ended) {
		old->ended = true;
		old->end_line = c->line;
	}
	k = g_new(gint64, 1);
	*k = p->pid;
	g_hash_table_replace(c->m->live, k, p);
}

static struct rp_proc *proc_new(struct ctx *c, int64_t pid, const char *key)
{
	struct rp_proc *p;

	if (c->m->procs->len >= RP_MAX_PROCS) {
		c->m->dropped++;
		return NULL;
	}
	p = g_new0(struct rp_proc, 1);
	p->id = (int)c->m->procs->len;
	p->pid = pid;
	p->ppid = -1;
	p->parent = -1;
	p->first_line = c->line;
	p->first_t = p->last_t = c->t;
	p->execs = g_array_new(FALSE, TRUE, sizeof(struct rp_exec));
	g_array_set_clear_func(p->execs, exec_clear);
	g_ptr_array_add(c->m->procs, p);
	if (key) {
		p->key = dup_utf8(key);
		g_hash_table_insert(c->m->by_key, p->key, p);
	}
	live_set(c, p);
	return p;
}

/* The instance a (key, pid) pair names, made on first sighting. */
static struct rp_proc *proc_for(struct ctx *c, const char *key, int64_t pid,
				const char *name)
{
	struct rp_proc *p = NULL;

	if (key)
		p = g_hash_table_lookup(c->m->by_key, key);
	else
		p = live_get(c->m, pid);
	if (p && !key && p->ended)
		p = NULL;
	if (!p)
		p = proc_new(c, pid, key);
	if (!p)
		return NULL;
	if (!p->name && name)
		p->name = dup_utf8(name);
	if (p->last_t < c->t)
		p->last_t = c->t;
	return p;
}

/* The caller of a hook event (header PID and ProcessKey). */
static struct rp_proc *caller(struct ctx *c)
{
	struct rp_proc *p = proc_for(c, get_str(c->o, "ProcessKey"),
				     int_or(c->o, "PID", -1),
				     get_str(c->o, "ProcessName"));

	if (p && p->ppid < 0)
		p->ppid = int_or(c->o, "PPID", -1);
	return p;
}

static void set_parent_hint(struct rp_proc *p, JsonObject *o,
			    const char *key_member)
{
	const char *pk = get_str(o, key_member);

	if (pk && !p->parent_key)
		p->parent_key = dup_utf8(pk);
}

/* ---- events ------------------------------------------------------------ */

/* True when @p is @q or one of @q's ancestors (linking would loop). */
static bool is_ancestor(const struct rp_model *m, const struct rp_proc *p,
			const struct rp_proc *q)
{
	for (guint n = 0; q && n <= m->procs->len; n++) {
		if (q == p)
			return true;
		q = q->parent >= 0 ? g_ptr_array_index(m->procs, q->parent) :
		    NULL;
	}
	return false;
}


/* Whether the line's Unreadable list names @field. */
static bool unreadable_has(JsonObject *o, const char *field)
{
	JsonNode *n = member(o, "Unreadable");
	JsonArray *a;

	if (!n || !JSON_NODE_HOLDS_ARRAY(n))
		return false;
	a = json_node_get_array(n);
	for (guint i = 0; i < json_array_get_length(a) && i < 64; i++) {
		JsonNode *e = json_array_get_element(a, i);

		if (JSON_NODE_HOLDS_VALUE(e) &&
		    json_node_get_value_type(e) == G_TYPE_STRING &&
		    !strcmp(json_node_get_string(e), field))
			return true;
	}
	return false;
}

static void on_running(struct ctx *c)
{
	struct rp_proc *p = proc_for(c, get_str(c->o, "ProcessKey"),
				     int_or(c->o, "PID", -1),
				     get_str(c->o, "RunningProcess"));

	if (!p)
		return;
	p->at_start = true;
	p->first_line = 0;
	p->ppid = int_or(c->o, "PPID", -1);
	set_parent_hint(p, c->o, "ParentProcessKey");
	p->parent_gone = p->key && !get_str(c->o, "ParentProcessKey") &&
			 !unreadable_has(c->o, "ParentProcessKey");
}

static GPtrArray *get_argv(JsonObject *o)
{
	JsonNode *n = member(o, "Arguments");
	JsonArray *a;
	GPtrArray *v;
	guint len;

	if (!n || !JSON_NODE_HOLDS_ARRAY(n))
		return NULL;
	a = json_node_get_array(n);
	len = MIN(json_array_get_length(a), RP_MAX_ARGV);
	v = g_ptr_array_new_with_free_func(g_free);
	for (guint i = 0; i < len; i++) {
		JsonNode *e = json_array_get_element(a, i);

		if (JSON_NODE_HOLDS_VALUE(e) &&
		    json_node_get_value_type(e) == G_TYPE_STRING)
			g_ptr_array_add(v, dup_utf8(json_node_get_string(e)));
	}
	return v;
}

static struct rp_exec *add_exec(struct ctx *c, struct rp_proc *p,
				const char *image, const char *cmdline)
{
	struct rp_exec e = { .t = c->t };

	if (p->execs->len >= RP_MAX_EXECS) {
		c->m->dropped++;
		return NULL;
	}
	e.image = dup_utf8(image);
	e.cmdline = dup_utf8(cmdline);
	g_array_append_val(p->execs, e);
	return &g_array_index(p->execs, struct rp_exec, p->execs->len - 1);
}

static void on_exec(struct ctx *c)
{
	struct rp_proc *p = caller(c);
	struct rp_exec *e;

	if (!p)
		return;
	set_parent_hint(p, c->o, "ParentProcessKey");
	e = add_exec(c, p, get_str(c->o, "ImagePathName"),
		     get_str(c->o, "CommandLine"));
	if (!e)
		return;
	e->argv = get_argv(c->o);
	e->filename = dup_utf8(get_str(c->o, "FileName"));
	e->has_uids = get_int(c->o, "ouid", &e->ouid) &&
		      get_int(c->o, "oeuid", &e->oeuid) &&
		      get_int(c->o, "UserId", &e->uid) &&
		      get_int(c->o, "euid", &e->euid);
}

static void end_proc(struct ctx *c, struct rp_proc *p)
{
	if (p->ended)
		return;
	p->ended = true;
	p->end_line = c->line;
	if (live_get(c->m, p->pid) == p)
		g_hash_table_remove(c->m->live, &p->pid);
}

static void on_task_exit(struct ctx *c)
{
	struct rp_proc *p = caller(c);
	int64_t group = 0, tid = int_or(c->o, "TID", -2);
	struct rp_exit *x;

	if (!p)
		return;
	if (get_int(c->o, "GroupExit", &group) && group == 1)
		c->m->group_exit_seen = true;
	/* Without GroupExit in the log, the leader's exit stands for the
	 * process's (compat logs, older plugins). */
	if (group != 1 && (c->m->group_exit_seen || tid != p->pid)) {
		p->thread_exits++;
		return;
	}
	x = &p->exit;
	x->set = true;
	x->t = c->t;
	x->has_status = get_int(c->o, "ExitStatus", &x->status);
	g_free(x->status_str);
	x->status_str = dup_utf8(get_str(c->o, "ExitStatusStr"));
	x->has_signal = get_int(c->o, "ExitSignal", &x->signal);
	g_free(x->signal_str);
	x->signal_str = dup_utf8(get_str(c->o, "ExitSignalStr"));
	x->core = int_or(c->o, "CoreDumped", 0) == 1;
	end_proc(c, p);
}

static bool has_flag(const char *flags, const char *name)
{
	gchar **v;
	bool found = false;

	if (!flags)
		return false;
	v = g_strsplit_set(flags, "| ", 64);
	for (gchar **f = v; *f && !found; f++)
		found = strcmp(*f, name) == 0 ||
			(g_str_has_prefix(*f, name) &&
			 (*f)[strlen(name)] == '=');
	g_strfreev(v);
	return found;
}

static void on_clone(struct ctx *c)
{
	struct rp_proc *p = caller(c), *child;
	const char *flags = get_str(c->o, "Flags");
	const char *nkey = get_str(c->o, "NewProcessKey");
	int64_t npid;

	if (!p || !get_int(c->o, "NewPid", &npid) || npid <= 0)
		return;
	if (has_flag(flags, "CLONE_THREAD")) {
		p->threads++;
		return;
	}
	child = nkey ? g_hash_table_lookup(c->m->by_key, nkey) : NULL;
	if (!child)
		child = proc_new(c, npid, nkey);
	if (!child || is_ancestor(c->m, child, p))
		return;
	live_set(c, child);
	child->born = true;
	if (!child->name && p->name)
		child->name = g_strdup(p->execs->len ?
			g_array_index(p->execs, struct rp_exec,
				      p->execs->len - 1).image : p->name);
	/* CLONE_PARENT: the child's parent is the caller's parent. */
	if (has_flag(flags, "CLONE_PARENT")) {
		child->ppid = p->ppid;
		child->parent = p->parent;
		if (child->parent < 0 && p->parent_key)
			child->parent_key = g_strdup(p->parent_key);
	} else {
		child->ppid = p->pid;
		child->parent = p->id;
	}
}

static void on_signal(struct ctx *c)
{
	struct rp_proc *from = caller(c), *to;
	struct rp_signal s = { .t = c->t };

	to = proc_for(c, get_str(c->o, "TargetProcessKey"),
		      int_or(c->o, "TargetPID", -1),
		      get_str(c->o, "TargetProcessName"));
	if (!from || !to)
		return;
	if (to->ppid < 0)
		to->ppid = int_or(c->o, "TargetPPID", -1);
	if (c->m->signals->len >= RP_MAX_SIGNALS) {
		c->m->dropped++;
		return;
	}
	s.from = from->id;
	s.to = to->id;
	s.sig = int_or(c->o, "Signal", -1);
	s.name = dup_utf8(get_str(c->o, "SignalStr"));
	g_array_append_val(c->m->signals, s);
}

static void on_win_create(struct ctx *c)
{
	struct rp_proc *p = caller(c), *child;
	const char *nkey = get_str(c->o, "NewProcessKey");
	int64_t npid;

	if (!p || !get_int(c->o, "NewPid", &npid) || npid <= 0)
		return;
	child = nkey ? g_hash_table_lookup(c->m->by_key, nkey) : NULL;
	if (!child)
		child = proc_new(c, npid, nkey);
	if (!child || is_ancestor(c->m, child, p))
		return;
	live_set(c, child);
	child->born = true;
	child->ppid = p->pid;
	child->parent = p->id;
	if (!child->name)
		child->name = dup_utf8(get_str(c->o, "ImagePathName"));
	add_exec(c, child, get_str(c->o, "ImagePathName"),
		 get_str(c->o, "CommandLine"));
}

static void on_win_exit(struct ctx *c)
{
	const char *tkey = get_str(c->o, "TargetProcessKey");
	struct rp_proc *p;
	int64_t pid;

	caller(c);
	if (!get_int(c->o, "ExitPid", &pid) || pid <= 0)
		return;
	p = tkey ? g_hash_table_lookup(c->m->by_key, tkey) : live_get(c->m, pid);
	if (!p)
		return;
	if (!p->exit.set || !p->exit.status_str) {
		p->exit.set = true;
		p->exit.t = c->t;
		if (!p->exit.status_str)
			p->exit.status_str =
				dup_utf8(get_str(c->o, "ExitStatusStr"));
	}
	if (strcmp(get_str(c->o, "Method"), "MmCleanProcessAddressSpace") == 0)
		end_proc(c, p);
}

static void dispatch(struct ctx *c)
{
	const char *m = get_str(c->o, "Method");

	if (json_object_has_member(c->o, "RunningProcess"))
		on_running(c);
	else if (!m)
		return;
	else if (!strcmp(m, "begin_new_exec") ||
		 !strcmp(m, "do_execveat_common"))
		on_exec(c);
	else if (!strcmp(m, "do_exit"))
		on_task_exit(c);
	else if (!strcmp(m, "kernel_clone"))
		on_clone(c);
	else if (!strcmp(m, "do_send_sig_info") || !strcmp(m, "send_signal"))
		on_signal(c);
	else if (!strcmp(m, "NtCreateUserProcess") ||
		 !strcmp(m, "NtCreateProcessEx"))
		on_win_create(c);
	else if (!strcmp(m, "NtTerminateProcess") ||
		 !strcmp(m, "MmCleanProcessAddressSpace"))
		on_win_exit(c);
	else
		caller(c);
}

bool rp_model_line(struct rp_model *m, const char *line, size_t len)
{
	JsonParser *parser;
	JsonNode *root;
	struct ctx c = { .m = m, .line = ++m->lines };
	bool ok = false;

	if (len == 0)
		return true;
	if (len > RP_MAX_LINE) {
		m->bad_lines++;
		return false;
	}
	parser = json_parser_new();
	if (json_parser_load_from_data(parser, line, (gssize)len, NULL) &&
	    (root = json_parser_get_root(parser)) && JSON_NODE_HOLDS_OBJECT(root)) {
		c.o = json_node_get_object(root);
		c.t = m->t1;
		if (parse_time(get_str(c.o, "TimeStamp"), &c.t)) {
			if (!m->t0 || c.t < m->t0)
				m->t0 = c.t;
			if (c.t > m->t1)
				m->t1 = c.t;
		}
		if (get_str(c.o, "ProcessKey"))
			m->keys_seen = true;
		m->events++;
		dispatch(&c);
		ok = true;
	} else {
		m->bad_lines++;
	}
	g_object_unref(parser);
	return ok;
}

/* ---- parents ----------------------------------------------------------- */

static size_t start_of(const struct rp_proc *p)
{
	return p->at_start ? 0 : p->first_line;
}

/* The instance of PID @p->ppid that was alive when @p was first seen; else
 * one first seen later but not born in the log (it existed before we
 * noticed it). */
static struct rp_proc *by_ppid(const struct rp_model *m, GHashTable *idx,
			       const struct rp_proc *p)
{
	GPtrArray *same = g_hash_table_lookup(idx, &p->ppid);
	struct rp_proc *best = NULL, *later = NULL;
	size_t ps = start_of(p);

	for (guint i = 0; same && i < same->len; i++) {
		struct rp_proc *q = g_ptr_array_index(same, i);
		size_t qs = start_of(q);

		if (q == p)
			continue;
		if (qs <= ps && !(q->ended && q->end_line < ps)) {
			if (!best || qs >= start_of(best))
				best = q;
		} else if (qs > ps && !q->born &&
			   (!later || qs < start_of(later))) {
			later = q;
		}
	}
	(void)m;
	return best ? best : later;
}

void rp_model_finish(struct rp_model *m)
{
	GHashTable *idx = g_hash_table_new_full(g_int64_hash, g_int64_equal,
		NULL, (GDestroyNotify)g_ptr_array_unref);

	for (guint i = 0; i < m->procs->len; i++) {
		struct rp_proc *p = g_ptr_array_index(m->procs, i);
		GPtrArray *a = g_hash_table_lookup(idx, &p->pid);

		if (!a) {
			a = g_ptr_array_new();
			g_hash_table_insert(idx, &p->pid, a);
		}
		g_ptr_array_add(a, p);
	}
	for (guint i = 0; i < m->procs->len; i++) {
		struct rp_proc *p = g_ptr_array_index(m->procs, i), *q = NULL;

		if (p->parent >= 0)
			continue;
		if (p->parent_key)
			q = g_hash_table_lookup(m->by_key, p->parent_key);
		if (!q && p->ppid >= 0 && p->ppid != p->pid && !p->parent_gone)
			q = by_ppid(m, idx, p);
		if (q && q != p && !is_ancestor(m, p, q))
			p->parent = q->id;
	}
	g_hash_table_destroy(idx);
}

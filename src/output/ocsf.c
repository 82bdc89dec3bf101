// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ocsf.c - the `ocsf` format: one OCSF 1.3.0 Process Activity object
 * (category 1 System Activity, class 1007) per event, one per line.
 *
 * ocsf_map.c first maps each event to an activity (1 Launch, 2 Terminate,
 * 3 Open, 99 Other), an actor process (who did it) and a target process
 * (what it was done to); this file writes the object in a fixed key order.
 * Every field of the event the mapping did not use goes to "unmapped" under
 * its json name, with the json format's value rules. docs/ocsf.md is the
 * mapping table. Strings use the json escape (escape.h): the line is valid
 * UTF-8, no guest byte can end it, and fields whose bytes were replaced by
 * U+FFFD are listed in unmapped.Lossy, as json's "Lossy".
 */
#include "ocsf.h"

#include <inttypes.h>
#include <string.h>

#include "config.h"
#include "escape.h"

/* ---- writer ------------------------------------------------------------ */

static void note_lossy(struct vs_ocsf *o, const char *src)
{
	for (size_t i = 0; i < o->nlossy; i++)
		if (strcmp(o->lossy[i], src) == 0)
			return;
	if (o->nlossy < G_N_ELEMENTS(o->lossy))
		o->lossy[o->nlossy++] = src;
}

static void sep(struct vs_ocsf *o)
{
	if (!o->first[o->depth])
		g_string_append_c(o->s, ',');
	o->first[o->depth] = false;
}

static void put_key(struct vs_ocsf *o, const char *key)
{
	sep(o);
	g_string_append_c(o->s, '"');
	vs_esc_json(o->s, key, strlen(key));   /* ours or plugin-chosen ASCII */
	g_string_append(o->s, "\":");
}

static void open_obj(struct vs_ocsf *o, const char *key)
{
	if (key)
		put_key(o, key);
	else
		sep(o);
	g_string_append_c(o->s, '{');
	if (o->depth + 1 < VS_OCSF_DEPTH)
		o->depth++;
	o->first[o->depth] = true;
}

static void close_obj(struct vs_ocsf *o)
{
	g_string_append_c(o->s, '}');
	if (o->depth > 0)
		o->depth--;
}

static void put_int(struct vs_ocsf *o, const char *key, int64_t v)
{
	put_key(o, key);
	g_string_append_printf(o->s, "%" PRId64, v);
}

static void put_const(struct vs_ocsf *o, const char *key, const char *v)
{
	put_key(o, key);
	g_string_append_c(o->s, '"');
	vs_esc_json(o->s, v, strlen(v));
	g_string_append_c(o->s, '"');
}

/* A JSON string of guest bytes; @src names the field for Lossy. */
static void str_body(struct vs_ocsf *o, const char *p, size_t n,
		     const char *src)
{
	g_string_append_c(o->s, '"');
	if (vs_esc_json(o->s, p ? p : "", p ? n : 0))
		note_lossy(o, src);
	g_string_append_c(o->s, '"');
}

static void put_bytes(struct vs_ocsf *o, const char *key, struct vs_bytes b,
		      const char *src)
{
	put_key(o, key);
	str_body(o, b.ptr, b.len, src);
}

static void put_fstr(struct vs_ocsf *o, const char *key,
		     const struct vs_field *f)
{
	put_bytes(o, key, f->v.s, f->key);
}

/* ---- names and paths --------------------------------------------------- */

static char path_sep(const struct vs_ocsf *o)
{
	return o->ev->os == VS_OS_WINDOWS ? '\\' : '/';
}

/* Linux names are paths when absolute (kernel threads are bare comm, and
 * "swapper/0" is not a path); Windows names when they hold a backslash. */
static bool is_path(const struct vs_ocsf *o, struct vs_bytes b)
{
	if (!b.ptr || b.len == 0)
		return false;
	if (o->ev->os == VS_OS_WINDOWS)
		return memchr(b.ptr, '\\', b.len) != NULL;
	return b.ptr[0] == '/';
}

static struct vs_bytes base_name(const struct vs_ocsf *o, struct vs_bytes b)
{
	char c = path_sep(o);

	for (size_t i = b.len; i > 0; i--) {
		if (b.ptr[i - 1] == c) {
			struct vs_bytes r = { b.ptr + i, b.len - i };

			return r;
		}
	}
	return b;
}

static void put_file(struct vs_ocsf *o, const struct vs_ocsf_proc *p)
{
	open_obj(o, "file");
	put_bytes(o, "name", base_name(o, p->name), p->name_src);
	put_bytes(o, "path", p->name, p->name_src);
	put_int(o, "type_id", 1);
	put_const(o, "type", "Regular File");
	close_obj(o);
}

static void put_proc(struct vs_ocsf *o, const char *key,
		     const struct vs_ocsf_proc *p)
{
	bool path = p->name_src && is_path(o, p->name);

	open_obj(o, key);
	if (p->has_pid)
		put_int(o, "pid", p->pid);
	if (p->has_tid)
		put_int(o, "tid", p->tid);
	if (p->key)
		put_fstr(o, "uid", p->key);
	if (p->name_src)
		put_bytes(o, "name", path ? base_name(o, p->name) : p->name,
			  p->name_src);
	if (p->cmd)
		put_fstr(o, "cmd_line", p->cmd);
	if (path)
		put_file(o, p);
	if (p->has_user) {
		open_obj(o, "user");
		put_key(o, "uid");
		g_string_append_printf(o->s, "\"%" PRId64 "\"", p->user);
		close_obj(o);
	}
	if (p->has_ppid || p->pkey) {
		open_obj(o, "parent_process");
		if (p->has_ppid)
			put_int(o, "pid", p->ppid);
		if (p->pkey)
			put_fstr(o, "uid", p->pkey);
		close_obj(o);
	}
	close_obj(o);
}

/* ---- the line ---------------------------------------------------------- */

static const char *activity_name(int id)
{
	switch (id) {
	case 1: return "Launch";
	case 2: return "Terminate";
	case 3: return "Open";
	default: return "Other";
	}
}

/* "<run-id>" of a "<run-id>-<tgid>-<start>" key, or an empty span. */
static struct vs_bytes run_id(const struct vs_field *key)
{
	struct vs_bytes r = { NULL, 0 };
	int dashes = 0;

	if (!vs_ocsf_is_str(key) || !key->v.s.ptr)
		return r;
	for (size_t i = key->v.s.len; i > 0; i--) {
		if (key->v.s.ptr[i - 1] == '-' && ++dashes == 2) {
			r.ptr = key->v.s.ptr;
			r.len = i - 1;
			break;
		}
	}
	return r;
}

static void put_classification(struct vs_ocsf *o, const struct vs_ocsf_act *m)
{
	const char *name = activity_name(m->activity);

	put_int(o, "activity_id", m->activity);
	put_const(o, "activity_name", m->label ? m->label : name);
	put_int(o, "category_uid", 1);
	put_const(o, "category_name", "System Activity");
	put_int(o, "class_uid", 1007);
	put_const(o, "class_name", "Process Activity");
	put_int(o, "type_uid", 1007 * 100 + m->activity);
	put_key(o, "type_name");
	g_string_append_printf(o->s, "\"Process Activity: %s\"", name);
	put_int(o, "severity_id", 1);
	put_const(o, "severity", "Informational");
	put_int(o, "time", (int64_t)(o->ev->time_us / 1000));
	if (m->status) {
		put_int(o, "status_id", m->status);
		put_const(o, "status", m->status == 1 ? "Success" : "Failure");
	}
	if (m->status_code && m->status_code->type == VS_FT_HEX) {
		put_key(o, "status_code");
		g_string_append_printf(o->s, "\"0x%" PRIx64 "\"",
				       m->status_code->v.u);
	} else if (m->status_code) {
		put_fstr(o, "status_code", m->status_code);
	}
}

static void put_metadata(struct vs_ocsf *o)
{
	const struct vs_event *ev = o->ev;
	const char *code = ev->kind == VS_EV_RUNNING ? "RunningProcess" :
			   ev->method ? ev->method : ev->type;

	open_obj(o, "metadata");
	put_const(o, "version", "1.3.0");
	open_obj(o, "product");
	put_const(o, "name", "vmiscope");
	put_const(o, "vendor_name", "vmiscope");
	put_const(o, "version", VS_VERSION);
	close_obj(o);
	if (code)
		put_const(o, "event_code", code);
	put_key(o, "original_time");
	g_string_append_c(o->s, '"');
	vs_fmt_time(o->s, ev->time_us);
	g_string_append_c(o->s, '"');
	close_obj(o);
}

static void put_device(struct vs_ocsf *o)
{
	static const char *const os_name[] = { "Unknown", "Linux", "Windows" };
	static const int os_type[] = { 0, 200, 100 };
	unsigned os = (unsigned)o->ev->os < 3 ? (unsigned)o->ev->os : 0;
	struct vs_bytes run = run_id(vs_ocsf_peek(o, "ProcessKey"));

	open_obj(o, "device");
	put_int(o, "type_id", 6);
	put_const(o, "type", "Virtual");
	if (run.len)
		put_bytes(o, "instance_uid", run, "ProcessKey");
	open_obj(o, "os");
	put_const(o, "name", os_name[os]);
	put_int(o, "type_id", os_type[os]);
	put_const(o, "type", os_name[os]);
	close_obj(o);
	close_obj(o);
}

/* One field's value with the json format's rules. */
static void put_value(struct vs_ocsf *o, const struct vs_field *f)
{
	GString *s = o->s;

	switch (f->type) {
	case VS_FT_NUM:
		g_string_append_printf(s, "%" PRId64, f->v.n);
		return;
	case VS_FT_UNUM:
		g_string_append_printf(s, "%" PRIu64, f->v.u);
		return;
	case VS_FT_HEX:
		g_string_append_printf(s, "\"0x%" PRIx64 "\"", f->v.u);
		return;
	case VS_FT_STRV:
		g_string_append_c(s, '[');
		for (size_t i = 0; i < f->v.strv.count; i++) {
			if (i)
				g_string_append_c(s, ',');
			str_body(o, f->v.strv.items[i].ptr,
				 f->v.strv.items[i].len, f->key);
		}
		g_string_append_c(s, ']');
		return;
	case VS_FT_PAIRS:
		g_string_append_c(s, '[');
		for (size_t i = 0; i < f->v.pairs.count; i++) {
			const struct vs_pair *p = &f->v.pairs.items[i];

			g_string_append(s, i ? ",{" : "{");
			str_body(o, p->key.ptr, p->key.len, f->key);
			g_string_append_c(s, ':');
			if (p->type == VS_FT_NUM)
				g_string_append_printf(s, "%" PRId64, p->v.n);
			else if (p->type == VS_FT_UNUM)
				g_string_append_printf(s, "%" PRIu64, p->v.u);
			else if (p->type == VS_FT_HEX)
				g_string_append_printf(s, "\"0x%" PRIx64 "\"",
						       p->v.u);
			else
				str_body(o, p->v.s.ptr, p->v.s.len, f->key);
			g_string_append_c(s, '}');
		}
		g_string_append_c(s, ']');
		return;
	default:
		str_body(o, f->v.s.ptr, f->v.s.len, f->key);
		return;
	}
}

static void put_unmapped(struct vs_ocsf *o)
{
	const struct vs_event *ev = o->ev;
	size_t n = ev->nfields < VS_EVENT_MAX_FIELDS ? ev->nfields :
		   VS_EVENT_MAX_FIELDS;

	open_obj(o, "unmapped");
	if (ev->kind == VS_EV_HOOK) {
		put_key(o, "EventUID");
		g_string_append_printf(o->s, "\"0x%" PRIx64 "\"", ev->event_uid);
		put_int(o, "VCPU", ev->vcpu);
		put_key(o, "CR3");
		g_string_append_printf(o->s, "\"0x%" PRIx64 "\"", ev->cr3);
		if (ev->os != VS_OS_LINUX)
			put_int(o, "UserId", ev->userid);
	}
	for (size_t i = 0; i < n; i++) {
		if (!ev->fields[i].present || o->used[i])
			continue;
		put_key(o, ev->fields[i].key);
		put_value(o, &ev->fields[i]);
	}
	if (o->nlossy) {
		put_key(o, "Lossy");
		g_string_append_c(o->s, '[');
		for (size_t i = 0; i < o->nlossy; i++) {
			if (i)
				g_string_append_c(o->s, ',');
			g_string_append_c(o->s, '"');
			vs_esc_json(o->s, o->lossy[i], strlen(o->lossy[i]));
			g_string_append_c(o->s, '"');
		}
		g_string_append_c(o->s, ']');
	}
	close_obj(o);
}

int vs_fmt_ocsf(struct vs_fmt *f)
{
	struct vs_ocsf o = { .ev = f->ev, .s = f->line };
	struct vs_ocsf_act m;

	o.first[0] = true;
	vs_ocsf_map(&o, &m);
	open_obj(&o, NULL);
	put_classification(&o, &m);
	put_metadata(&o);
	put_device(&o);
	open_obj(&o, "actor");
	if (m.actor_app)
		put_const(&o, "app_name", "vmiscope");
	else
		put_proc(&o, "process", &m.actor);
	close_obj(&o);
	put_proc(&o, "process", &m.target);
	if (m.has_exit)
		put_int(&o, "exit_code", m.exit_code);
	if (m.has_perm)
		put_int(&o, "requested_permissions", m.perm);
	put_unmapped(&o);
	close_obj(&o);
	g_string_append_c(f->line, '\n');
	return 0;
}

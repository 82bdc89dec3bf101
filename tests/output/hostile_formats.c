// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hostile_formats.c - one reader per format for the hostile-string test.
 * Each walks a line with the cursor of lineparse.c, in the field order the
 * docs give, and fails unless the line is consumed exactly: a forged or
 * missing field, a shifted csv column or a string that ends early all stop
 * the walk. JSON lines go through json-glib instead.
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "check.h"
#include "hostile.h"
#include "lineparse.h"

static bool compat(const struct tcase *t)
{
	return t->o.drakvuf_compat;
}

/* The value of @f in default/csv/kv, up to one of @stops. */
static void read_value(const struct tcase *t, struct cursor *c,
		       const struct vs_field *f, const char *stops,
		       GString *v)
{
	bool q;

	if (f->type == VS_FT_PAIRS) {
		cur_bare(c, stops, v);
		if (c->ok)
			expect_pairs(t, v, t->fmt == VS_FMT_DEFAULT ? ':' : 0);
	} else if (f->type == VS_FT_STRV) {
		if (cur_quoted(c, false, v))
			expect_strv(t, v);
	} else if (is_str(f)) {
		cur_value(c, raw_q(t, f), stops, v, &q);
		if (c->ok)
			expect_decoded(t, f->key, v, q, &t->hb);
	} else {
		cur_bare(c, stops, v);
	}
}

static void report(const struct tcase *t, const struct cursor *c,
		   const char *s, size_t n)
{
	CHECK(cur_at_end(c), "%s: line does not read back (stopped at %zd):\n"
	      "  %.*s", t->where, c->ok ? c->p - s : (ssize_t)-1, (int)n, s);
}

static void default_header(const struct tcase *t, struct cursor *c,
			   GString *v)
{
	cur_lit(c, "[PROCMON] TIME:");
	cur_bare(c, " ", v);
	if (t->ev->kind != VS_EV_RUNNING) {
		cur_lit(c, " VCPU:");
		cur_bare(c, " ", v);
		cur_lit(c, " CR3:");
		cur_bare(c, " ", v);
		cur_lit(c, " ");
		if (cur_quoted(c, compat(t), v))
			expect_decoded(t, "ProcessName", v, true, &t->hb);
		cur_lit(c, ":");
		cur_bare(c, " ", v);
		cur_lit(c, t->ev->os == VS_OS_WINDOWS ? " SessionID:" : " UID:");
		cur_bare(c, " ", v);
	}
	cur_lit(c, " PID:");
	cur_bare(c, " ", v);
	cur_lit(c, " PPID:");
	cur_bare(c, " ", v);
}

void check_default(const struct tcase *t, const char *s, size_t n)
{
	const struct vs_field *vis[VS_EVENT_MAX_FIELDS];
	size_t nv = visible(t, vis);
	GString *v = g_string_new(NULL);
	struct cursor c;

	cur_init(&c, s, n);
	default_header(t, &c, v);
	for (size_t i = 0; i < nv; i++) {
		const struct vs_field *f = vis[i];

		if (!f->present) {
			/* DRAKVUF's empty token for a missing exec Environment */
			if (compat(t) && t->ev->os == VS_OS_LINUX &&
			    strcmp(f->key, "Environment") == 0)
				cur_lit(&c, " ");
			continue;
		}
		cur_lit(&c, " ");
		cur_lit(&c, f->key);
		cur_lit(&c, ":");
		read_value(t, &c, f, " ", v);
	}
	report(t, &c, s, n);
	g_string_free(v, TRUE);
}

void check_csv(const struct tcase *t, const char *s, size_t n)
{
	const struct vs_field *vis[VS_EVENT_MAX_FIELDS];
	size_t nv = visible(t, vis), cols = 1;
	bool hook = t->ev->kind != VS_EV_RUNNING;
	GString *v = g_string_new(NULL);
	struct cursor c;

	cur_init(&c, s, n);
	cur_lit(&c, "procmon ");
	cur_bare(&c, ",", v);
	for (int i = 0; i < (hook ? 6 : 2); i++, cols++) {
		cur_lit(&c, ",");
		cur_bare(&c, ",", v);
	}
	if (hook) {
		cur_lit(&c, ",");
		if (cur_quoted(&c, compat(t), v))
			expect_decoded(t, "ProcessName", v, true, &t->hb);
		cur_lit(&c, ",");
		cur_bare(&c, ",", v);
		cols += 2;
	}
	for (size_t i = 0; i < nv; i++, cols++) {
		cur_lit(&c, ",");
		if (vis[i]->present)
			read_value(t, &c, vis[i], ",", v);
	}
	CHECK(cols == (hook ? 9 : 3) + nv, "%s: %zu columns", t->where, cols);
	report(t, &c, s, n);
	g_string_free(v, TRUE);
}

static void kv_pairs(const struct tcase *t, struct cursor *c, GString *v)
{
	for (int i = 0; i < 3 && c->ok; i++) {
		cur_lit(c, ",");
		cur_bare(c, "=", v);
		if (c->ok)
			expect_elem(t, v->str, v->len, i, true);
		cur_lit(c, "=");
		cur_bare(c, ",", v);
		if (c->ok)
			expect_elem(t, v->str, v->len, i, false);
	}
}

void check_kv(const struct tcase *t, const char *s, size_t n)
{
	const struct vs_field *vis[VS_EVENT_MAX_FIELDS];
	size_t nv = visible(t, vis);
	GString *v = g_string_new(NULL);
	struct cursor c;

	cur_init(&c, s, n);
	cur_lit(&c, "procmon Time=");
	cur_bare(&c, ",", v);
	cur_lit(&c, ",PID=");
	cur_bare(&c, ",", v);
	cur_lit(&c, ",PPID=");
	cur_bare(&c, ",", v);
	if (t->ev->kind != VS_EV_RUNNING) {
		cur_lit(&c, ",TID=");
		cur_bare(&c, ",", v);
		cur_lit(&c, ",ProcessName=");
		if (cur_quoted(&c, false, v))
			expect_decoded(t, "ProcessName", v, true, &t->hb);
		cur_lit(&c, ",Method=");
		cur_bare(&c, ",", v);
	}
	for (size_t i = 0; i < nv; i++) {
		const struct vs_field *f = vis[i];

		if (!f->present || (compat(t) && f->type == VS_FT_RSTR &&
				    t->hb.len == 0))
			continue;
		if (f->type == VS_FT_PAIRS) {
			kv_pairs(t, &c, v);
			continue;
		}
		cur_lit(&c, ",");
		cur_lit(&c, f->key);
		cur_lit(&c, "=");
		read_value(t, &c, f, ",", v);
	}
	report(t, &c, s, n);
	g_string_free(v, TRUE);
}

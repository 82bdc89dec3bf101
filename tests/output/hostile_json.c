// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hostile_json.c - the JSON reader of the hostile-string test: the line is
 * valid UTF-8, parses with json-glib, has exactly the expected members in
 * order (Lossy last, naming every field whose bytes were replaced) and,
 * without --drakvuf-compat, gives back the strings of the hostile table.
 */
#include <string.h>

#include <json-glib/json-glib.h>

#include "check.h"
#include "hostile.h"

struct names {
	const char *v[VS_EVENT_MAX_FIELDS + 12];
	size_t n;
};

static void expected_members(const struct tcase *t, struct names *m,
			     struct names *lossy)
{
	static const char *const head[] = { "Plugin", "TimeStamp", "PID",
		"PPID", "TID", "UserId", "ProcessName", "Method", "EventUID" };
	const struct vs_field *vis[VS_EVENT_MAX_FIELDS];
	size_t nv = visible(t, vis);
	bool hook = t->ev->kind != VS_EV_RUNNING;

	m->n = lossy->n = 0;
	for (size_t i = 0; i < (hook ? 9u : 4u); i++)
		m->v[m->n++] = head[i];
	if (hook)
		lossy->v[lossy->n++] = "ProcessName";
	for (size_t i = 0; i < nv; i++) {
		if (!vis[i]->present)
			continue;
		m->v[m->n++] = vis[i]->key;
		if (is_str(vis[i]) || vis[i]->type == VS_FT_STRV ||
		    vis[i]->type == VS_FT_PAIRS)
			lossy->v[lossy->n++] = vis[i]->key;
	}
	if (t->h->lossy)
		m->v[m->n++] = "Lossy";
}

static void same_str(const struct tcase *t, const char *what,
		     const char *got, const char *want)
{
	CHECK(got && strcmp(got, want) == 0, "%s: JSON %s differs", t->where,
	      what);
}

static void check_list(const struct tcase *t, const struct vs_field *f,
		       JsonArray *a)
{
	const char *hj = t->h->json;

	CHECK(a && json_array_get_length(a) == 3, "%s: %s not 3 items",
	      t->where, f->key);
	if (!a || json_array_get_length(a) != 3)
		return;
	if (f->type == VS_FT_STRV) {
		same_str(t, "list[0]", json_array_get_string_element(a, 0), hj);
		same_str(t, "list[1]", json_array_get_string_element(a, 1), "");
		same_str(t, "list[2]", json_array_get_string_element(a, 2), hj);
		return;
	}
	JsonObject *o0 = json_array_get_object_element(a, 0);
	JsonObject *o1 = json_array_get_object_element(a, 1);
	JsonObject *o2 = json_array_get_object_element(a, 2);

	CHECK(o0 && o1 && o2 && json_object_get_size(o0) == 1 &&
	      json_object_get_size(o2) == 1, "%s: bad pair objects", t->where);
	if (!o0 || !o1 || !o2)
		return;
	same_str(t, "pair[0]", json_object_get_string_member(o0, hj), hj);
	CHECK(json_object_get_int_member(o1, "K") == 5, "%s: pair[1]",
	      t->where);
	same_str(t, "pair[2]", json_object_get_string_member(o2, hj), "0xab");
}

static void check_values(const struct tcase *t, JsonObject *obj,
			 const struct names *lossy)
{
	const struct vs_field *vis[VS_EVENT_MAX_FIELDS];
	size_t nv = visible(t, vis);

	if (t->ev->kind != VS_EV_RUNNING)
		same_str(t, "ProcessName",
			 json_object_get_string_member(obj, "ProcessName"),
			 t->h->json);
	for (size_t i = 0; i < nv; i++) {
		const struct vs_field *f = vis[i];

		if (!f->present)
			continue;
		if (is_str(f))
			same_str(t, f->key,
				 json_object_get_string_member(obj, f->key),
				 t->h->json);
		else if (f->type == VS_FT_STRV || f->type == VS_FT_PAIRS)
			check_list(t, f, json_object_get_array_member(obj,
								      f->key));
	}
	if (!t->h->lossy)
		return;
	JsonArray *l = json_object_get_array_member(obj, "Lossy");

	CHECK(l && json_array_get_length(l) == lossy->n, "%s: Lossy size",
	      t->where);
	for (size_t i = 0; l && i < lossy->n && i < json_array_get_length(l);
	     i++)
		same_str(t, "Lossy item", json_array_get_string_element(l, i),
			 lossy->v[i]);
}

static void check_members(const struct tcase *t, JsonObject *obj,
			  const struct names *m)
{
	GList *got = json_object_get_members(obj), *it = got;
	size_t i = 0;

	for (; it && i < m->n; it = it->next, i++)
		CHECK(strcmp(it->data, m->v[i]) == 0,
		      "%s: member %zu is %s, want %s", t->where, i,
		      (char *)it->data, m->v[i]);
	CHECK(!it && i == m->n, "%s: %u members, want %zu", t->where,
	      g_list_length(got), m->n);
	g_list_free(got);
}

void check_json(const struct tcase *t, const char *s, size_t n)
{
	JsonParser *p = json_parser_new();
	GError *err = NULL;
	struct names m, lossy;
	JsonNode *root;

	CHECK(g_utf8_validate(s, (gssize)n, NULL), "%s: not UTF-8", t->where);
	CHECK(json_parser_load_from_data(p, s, (gssize)n, &err),
	      "%s: JSON does not parse: %s\n  %.*s", t->where,
	      err ? err->message : "?", (int)n, s);
	g_clear_error(&err);
	root = json_parser_get_root(p);
	CHECK(root && JSON_NODE_HOLDS_OBJECT(root), "%s: not an object",
	      t->where);
	if (root && JSON_NODE_HOLDS_OBJECT(root)) {
		expected_members(t, &m, &lossy);
		check_members(t, json_node_get_object(root), &m);
		if (!t->o.drakvuf_compat && t->h->json)
			check_values(t, json_node_get_object(root), &lossy);
	}
	if (!t->h->json)
		CHECK(strstr(s, "\\u0000") != NULL, "%s: NUL not \\u0000",
		      t->where);
	g_object_unref(p);
}

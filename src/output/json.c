// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * json.c - DRAKVUF's json format: one object per line,
 *   {"Plugin":"procmon","TimeStamp":"<t>","PID":n,"PPID":n,"TID":n,
 *    "UserId":n,"ProcessName":"..","Method":"..","EventUID":"0x<hex>",...}
 * and {"Plugin":..,"TimeStamp":..,"PID":n,"PPID":n,...} for RunningProcess.
 * Keys keep the event's order. Numbers are bare, hex is a lowercase
 * "0x.." string, lists are arrays. The line is always valid UTF-8: invalid
 * bytes become U+FFFD and the names of the fields concerned are listed in
 * "Lossy", printed last.
 */
#include <string.h>

#include "escape.h"
#include "format.h"

struct lossy {
	const char *keys[VS_EVENT_MAX_FIELDS + 2];
	size_t n;
};

static void note_lossy(struct lossy *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->keys[i], key) == 0)
			return;
	if (l->n < G_N_ELEMENTS(l->keys))
		l->keys[l->n++] = key;
}

/* A quoted JSON string; notes @key in @l when bytes were replaced. */
static void put_str(GString *s, const char *p, size_t n, struct lossy *l,
		    const char *key)
{
	g_string_append_c(s, '"');
	if (vs_esc_json(s, p ? p : "", p ? n : 0))
		note_lossy(l, key);
	g_string_append_c(s, '"');
}

/* "0x<lowercase hex>", quoted. */
static void put_hex(GString *s, uint64_t v)
{
	VS_PUT_LIT(s, "\"0x");
	vs_fmt_hex(s, v, false);
	g_string_append_c(s, '"');
}

static void header(struct vs_fmt *f, struct lossy *l)
{
	const struct vs_event *ev = f->ev;
	const char *plugin = vs_fmt_plugin(f);
	GString *s = f->line;

	VS_PUT_LIT(s, "{\"Plugin\":");
	put_str(s, plugin, strlen(plugin), l, "Plugin");
	VS_PUT_LIT(s, ",\"TimeStamp\":\"");
	vs_fmt_time(s, ev->time_us);
	VS_PUT_LIT(s, "\",\"PID\":");
	vs_fmt_i64(s, ev->pid);
	VS_PUT_LIT(s, ",\"PPID\":");
	vs_fmt_i64(s, ev->ppid);
	if (vs_fmt_running(f))
		return;
	VS_PUT_LIT(s, ",\"TID\":");
	vs_fmt_i64(s, ev->tid);
	VS_PUT_LIT(s, ",\"UserId\":");
	vs_fmt_i64(s, ev->userid);
	VS_PUT_LIT(s, ",\"ProcessName\":");
	put_str(s, ev->process_name.ptr, ev->process_name.len, l,
		"ProcessName");
	VS_PUT_LIT(s, ",\"Method\":");
	if (ev->method || (f->o.drakvuf_compat && ev->compat_method)) {
		const char *m = vs_fmt_method(f);

		put_str(s, m, strlen(m), l, "Method");
	} else {
		VS_PUT_LIT(s, "null");
	}
	VS_PUT_LIT(s, ",\"EventUID\":\"0x");
	vs_fmt_hex(s, ev->event_uid, false);
	g_string_append_c(s, '"');
}

static void put_pair(GString *s, const struct vs_pair *p, struct lossy *l,
		     const char *key)
{
	g_string_append_c(s, '{');
	put_str(s, p->key.ptr, p->key.len, l, key);
	g_string_append_c(s, ':');
	if (p->type == VS_FT_NUM)
		vs_fmt_i64(s, p->v.n);
	else if (p->type == VS_FT_UNUM)
		vs_fmt_u64(s, p->v.u);
	else if (p->type == VS_FT_HEX)
		put_hex(s, p->v.u);
	else
		put_str(s, p->v.s.ptr, p->v.s.len, l, key);
	g_string_append_c(s, '}');
}

static void put_list(struct vs_fmt *f, const struct vs_field *fld,
		     struct lossy *l)
{
	GString *s = f->line;
	bool pairs = fld->type == VS_FT_PAIRS;
	size_t n = pairs ? fld->v.pairs.count : fld->v.strv.count;

	g_string_append_c(s, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			g_string_append_c(s, ',');
		if (pairs) {
			put_pair(s, &fld->v.pairs.items[i], l, fld->key);
		} else {
			const struct vs_bytes *b = &fld->v.strv.items[i];

			put_str(s, b->ptr, b->len, l, fld->key);
		}
	}
	g_string_append_c(s, ']');
}

static void put_field(struct vs_fmt *f, const struct vs_field *fld,
		      struct lossy *l)
{
	GString *s = f->line;
	struct vs_str v;

	VS_PUT_LIT(s, ",\"");
	vs_esc_json(s, fld->key, strlen(fld->key));   /* plugin-chosen */
	VS_PUT_LIT(s, "\":");
	switch (fld->type) {
	case VS_FT_NUM:
		vs_fmt_i64(s, vs_fmt_num(f, fld));
		break;
	case VS_FT_UNUM:
		vs_fmt_u64(s, fld->v.u);
		break;
	case VS_FT_HEX:
		put_hex(s, fld->v.u);
		break;
	case VS_FT_PAIRS:
	case VS_FT_STRV:
		put_list(f, fld, l);
		break;
	default:
		vs_fmt_str(f, fld, &v);
		put_str(s, v.p, v.n, l, fld->key);
		break;
	}
}

static void put_lossy(GString *s, const struct lossy *l)
{
	if (!l->n)
		return;
	VS_PUT_LIT(s, ",\"Lossy\":[");
	for (size_t i = 0; i < l->n; i++) {
		g_string_append(s, i ? ",\"" : "\"");
		vs_esc_json(s, l->keys[i], strlen(l->keys[i]));
		g_string_append_c(s, '"');
	}
	g_string_append_c(s, ']');
}

int vs_fmt_json(struct vs_fmt *f)
{
	struct lossy l = { .n = 0 };

	header(f, &l);
	for (size_t i = 0; i < f->n; i++)
		if (f->order[i]->present)
			put_field(f, f->order[i], &l);
	put_lossy(f->line, &l);
	VS_PUT_LIT(f->line, "}\n");
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * html.c - the report page: reads the log into the model (model.c), turns
 * the model into one JSON document and fills the page template
 * (page.html, compiled in as page.h) at its two markers: @TITLE@ gets the
 * HTML-escaped log name, the comment marker inside the data <script> the
 * JSON. The JSON is written with every '<', '>' and '&' as \u003c \u003e
 * \u0026 and U+2028/U+2029 escaped, so no string in it can close the
 * <script> element or break a JS parser; the template's JS only ever puts
 * strings into the DOM through textContent and setAttribute.
 */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <glib.h>

#include "model.h"
#include "page.h"

/* ---- JS-safe JSON ------------------------------------------------------ */

/* A JSON string of @s (valid UTF-8, from the model), safe inside <script>. */
static void js_str(GString *g, const char *s)
{
	if (!s) {
		g_string_append(g, "null");
		return;
	}
	g_string_append_c(g, '"');
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (c == '"' || c == '\\')
			g_string_append_printf(g, "\\%c", (char)c);
		else if (c < 0x20 || c == 0x7f || c == '<' || c == '>' ||
			 c == '&' || c == 0x2028 || c == 0x2029)
			g_string_append_printf(g, "\\u%04x", (unsigned)c);
		else
			g_string_append_len(g, p, g_utf8_next_char(p) - p);
	}
	g_string_append_c(g, '"');
}

static void js_int_or_null(GString *g, bool has, int64_t v)
{
	if (has)
		g_string_append_printf(g, "%" PRId64, v);
	else
		g_string_append(g, "null");
}

static void put_exec(GString *g, const struct rp_exec *e)
{
	g_string_append_printf(g, "{\"t\":%" PRIu64 ",\"image\":", e->t);
	js_str(g, e->image);
	g_string_append(g, ",\"file\":");
	js_str(g, e->filename);
	g_string_append(g, ",\"cmd\":");
	js_str(g, e->cmdline);
	g_string_append(g, ",\"argv\":");
	if (e->argv) {
		g_string_append_c(g, '[');
		for (guint i = 0; i < e->argv->len; i++) {
			if (i)
				g_string_append_c(g, ',');
			js_str(g, g_ptr_array_index(e->argv, i));
		}
		g_string_append_c(g, ']');
	} else {
		g_string_append(g, "null");
	}
	if (e->has_uids)
		g_string_append_printf(g, ",\"uids\":[%" PRId64 ",%" PRId64
				       ",%" PRId64 ",%" PRId64 "]}", e->ouid,
				       e->oeuid, e->uid, e->euid);
	else
		g_string_append(g, ",\"uids\":null}");
}

static void put_exit(GString *g, const struct rp_exit *x)
{
	if (!x->set) {
		g_string_append(g, "null");
		return;
	}
	g_string_append_printf(g, "{\"t\":%" PRIu64 ",\"status\":", x->t);
	js_int_or_null(g, x->has_status, x->status);
	g_string_append(g, ",\"str\":");
	js_str(g, x->status_str);
	g_string_append(g, ",\"sig\":");
	js_int_or_null(g, x->has_signal, x->signal);
	g_string_append(g, ",\"sigstr\":");
	js_str(g, x->signal_str);
	g_string_append_printf(g, ",\"core\":%s}", x->core ? "true" : "false");
}

static void put_proc(GString *g, const struct rp_proc *p)
{
	g_string_append_printf(g, "{\"id\":%d,\"pid\":%" PRId64 ",\"ppid\":%"
			       PRId64 ",\"parent\":%d,\"key\":", p->id, p->pid,
			       p->ppid, p->parent);
	js_str(g, p->key);
	g_string_append(g, ",\"name\":");
	js_str(g, p->name);
	g_string_append_printf(g, ",\"born\":%s", p->born ? "true" : "false");
	g_string_append_printf(g, ",\"atStart\":%s,\"t0\":%" PRIu64
			       ",\"t1\":%" PRIu64 ",\"threads\":%u,\"execs\":[",
			       p->at_start ? "true" : "false", p->first_t,
			       p->last_t, p->threads);
	for (guint i = 0; i < p->execs->len; i++) {
		if (i)
			g_string_append_c(g, ',');
		put_exec(g, &g_array_index(p->execs, struct rp_exec, i));
	}
	g_string_append(g, "],\"exit\":");
	put_exit(g, &p->exit);
	g_string_append_c(g, '}');
}

static void put_data(GString *g, const struct rp_model *m, const char *name)
{
	g_string_append(g, "{\"source\":");
	js_str(g, name);
	g_string_append_printf(g, ",\"lines\":%zu,\"events\":%zu,\"bad\":%zu,"
			       "\"dropped\":%zu,\"keys\":%s,\"t0\":%" PRIu64
			       ",\"t1\":%" PRIu64 ",\"procs\":[", m->lines,
			       m->events, m->bad_lines, m->dropped,
			       m->keys_seen ? "true" : "false", m->t0, m->t1);
	for (guint i = 0; i < m->procs->len; i++) {
		if (i)
			g_string_append(g, ",\n");
		put_proc(g, g_ptr_array_index(m->procs, i));
	}
	g_string_append(g, "],\n\"signals\":[");
	for (guint i = 0; i < m->signals->len; i++) {
		const struct rp_signal *s = &g_array_index(m->signals,
							   struct rp_signal, i);

		g_string_append_printf(g, "%s{\"t\":%" PRIu64 ",\"from\":%d,"
				       "\"to\":%d,\"sig\":%" PRId64 ",\"name\":",
				       i ? ",\n" : "", s->t, s->from, s->to,
				       s->sig);
		js_str(g, s->name);
		g_string_append_c(g, '}');
	}
	g_string_append(g, "]}");
}

/* ---- the page ---------------------------------------------------------- */

static void html_esc(GString *g, const char *s)
{
	for (const char *p = s; *p; p++) {
		switch (*p) {
		case '&': g_string_append(g, "&amp;"); break;
		case '<': g_string_append(g, "&lt;"); break;
		case '>': g_string_append(g, "&gt;"); break;
		case '"': g_string_append(g, "&quot;"); break;
		case '\'': g_string_append(g, "&#39;"); break;
		default: g_string_append_c(g, *p); break;
		}
	}
}

/* The template with @TITLE@ and the data marker filled in. */
static GString *fill(const struct rp_model *m, const char *name)
{
	static const char title_mark[] = "@TITLE@";
	static const char data_mark[] = "/*@DATA@*/";
	const char *t = vs_report_page;
	GString *g = g_string_sized_new(sizeof(vs_report_page) + 65536);
	char *safe_name = g_utf8_make_valid(name, -1);
	const char *hit;

	while ((hit = strstr(t, title_mark)) != NULL) {
		g_string_append_len(g, t, hit - t);
		html_esc(g, safe_name);
		t = hit + strlen(title_mark);
	}
	hit = strstr(t, data_mark);
	if (hit) {
		g_string_append_len(g, t, hit - t);
		put_data(g, m, safe_name);
		t = hit + strlen(data_mark);
	}
	g_string_append(g, t);
	g_free(safe_name);
	return g;
}

static int read_log(FILE *in, struct rp_model *m)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	errno = 0;
	while ((n = getline(&line, &cap, in)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			n--;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		rp_model_line(m, line, (size_t)n);
	}
	free(line);
	return ferror(in) ? -(errno ? errno : EIO) : 0;
}

int vs_report_write(FILE *in, const char *in_name, FILE *out)
{
	struct rp_model m;
	GString *page;
	int err;

	rp_model_init(&m);
	err = read_log(in, &m);
	if (err) {
		fprintf(stderr, "vmiscope: report: reading %s: %s\n", in_name,
			g_strerror(-err));
		rp_model_free(&m);
		return err;
	}
	if (m.events == 0 && m.bad_lines > 0) {
		fprintf(stderr, "vmiscope: report: %s has no JSON event lines "
			"(write the log with -o json)\n", in_name);
		rp_model_free(&m);
		return -EINVAL;
	}
	rp_model_finish(&m);
	page = fill(&m, in_name);
	if (fwrite(page->str, 1, page->len, out) != page->len ||
	    fflush(out) != 0)
		err = -(errno ? errno : EIO);
	g_string_free(page, TRUE);
	if (m.bad_lines)
		fprintf(stderr, "vmiscope: report: %zu of %zu lines were not "
			"JSON event objects and were skipped\n", m.bad_lines,
			m.lines);
	if (m.dropped)
		fprintf(stderr, "vmiscope: report: %zu items over the report's "
			"limits were left out\n", m.dropped);
	rp_model_free(&m);
	return err;
}

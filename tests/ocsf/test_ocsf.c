// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_ocsf.c - the `ocsf` format against the hand-written lines of
 * tests/golden/output-ocsf.txt (every fixture of tests/output/fixtures.c,
 * in every mode: the options must not change an ocsf line), and hostile
 * strings: a header name, an argv element and a target name holding a
 * quote, a newline, NUL, "</script>" and invalid UTF-8 still give one line
 * of valid UTF-8 that json-glib parses, with the bytes back where they
 * were valid and the fields named in unmapped.Lossy.
 */
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "config.h"
#include "check.h"
#include "fixtures.h"
#include "output/output.h"

CHECK_DEFINE;

static const char *const mode_names[4] = {
	"normal", "compat", "extended", "compat+extended",
};

static bool *covered;

/* One line in @fmt for fixture @fx under mode @mode; caller frees. */
static char *format_fixture(const struct fixture *fx, int mode)
{
	struct vs_format_opts o = {
		.drakvuf_compat = mode == 1 || mode == 3,
		.extended = mode >= 2,
	};
	static struct vs_event ev;
	GString *line = g_string_new(NULL);
	int err;

	fx->build(&ev);
	err = vs_format_event(VS_FMT_OCSF, &o, &ev, line);
	CHECK(err == 0, "%s: format error %d", fx->name, err);
	CHECK(line->len && line->str[line->len - 1] == '\n' &&
	      memchr(line->str, '\n', line->len) == line->str + line->len - 1,
	      "%s: not exactly one line", fx->name);
	if (line->len && line->str[line->len - 1] == '\n')
		g_string_truncate(line, line->len - 1);
	return g_string_free(line, FALSE);
}

static void run_case(const char *where, char **w, const char *expect_raw)
{
	const struct fixture *fx = fixture_find(w[0]);
	GString *expect = g_string_new(expect_raw);
	gchar **modes;

	g_string_replace(expect, "@VS_VERSION@", VS_VERSION, 0);
	CHECK(fx != NULL, "%s: unknown fixture %s", where, w[0]);
	CHECK(strcmp(w[1], "ocsf") == 0, "%s: format %s", where, w[1]);
	modes = g_strsplit(w[2], ",", -1);
	for (gchar **m = modes; fx && *m; m++) {
		int mode = -1;
		char *got;

		for (int i = 0; i < 4; i++)
			if (strcmp(*m, mode_names[i]) == 0)
				mode = i;
		CHECK(mode >= 0, "%s: unknown mode %s", where, *m);
		if (mode < 0)
			continue;
		got = format_fixture(fx, mode);
		CHECK(strcmp(got, expect->str) == 0,
		      "%s %s %s\n  want: %s\n  got:  %s", where, fx->name, *m,
		      expect->str, got);
		covered[(size_t)(fx - fixtures) * 4 + (size_t)mode] = true;
		g_free(got);
	}
	g_strfreev(modes);
	g_string_free(expect, TRUE);
}

static void run_golden(const char *path)
{
	gchar *text = NULL, **lines;
	size_t n;

	CHECK(g_file_get_contents(path, &text, NULL, NULL), "cannot read %s",
	      path);
	if (!text)
		return;
	lines = g_strsplit(text, "\n", -1);
	n = g_strv_length(lines);
	for (size_t i = 0; i + 1 < n; i++) {
		char where[64];
		gchar **w;

		if (!g_str_has_prefix(lines[i], "== "))
			continue;
		snprintf(where, sizeof(where), "output-ocsf.txt:%zu", i + 1);
		w = g_strsplit(lines[i] + 3, " ", -1);
		CHECK(g_strv_length(w) == 3, "%s: bad case header", where);
		if (g_strv_length(w) == 3)
			run_case(where, w, lines[i + 1]);
		g_strfreev(w);
		i++;
	}
	for (size_t i = 0; i < nfixtures * 4; i++)
		CHECK(covered[i], "no ocsf golden for %s %s",
		      fixtures[i / 4].name, mode_names[i % 4]);
	g_strfreev(lines);
	g_free(text);
}

/* ---- hostile strings ------------------------------------------------- */

static const char evil[] = "a\"b\nc\0d</script>\xff\xc3(e\\";
#define EVIL_LEN (sizeof(evil) - 1)

static struct vs_bytes evil_argv[2] = { { "sh", 2 }, { evil, EVIL_LEN } };

static void build_hostile(struct vs_event *ev)
{
	vs_event_init(ev, VS_EV_HOOK, VS_OS_LINUX, "procmon",
		      "do_send_sig_info");
	ev->method = "do_send_sig_info";
	ev->pid = ev->tid = 7;
	ev->ppid = 1;
	ev->process_name.ptr = evil;
	ev->process_name.len = EVIL_LEN;
	vs_event_str(ev, "ThreadName", VS_FT_ESTR, evil, EVIL_LEN);
	vs_event_num(ev, "TargetPID", 8);
	vs_event_num(ev, "TargetTID", 8);
	vs_event_num(ev, "TargetPPID", 7);
	vs_event_str(ev, "TargetProcessName", VS_FT_ESTR, evil, EVIL_LEN);
	vs_event_cstr(ev, "TargetThreadName", VS_FT_ESTR, "x");
	vs_event_num(ev, "Signal", 9);
	vs_event_cstr(ev, "SignalStr", VS_FT_RSTR, "SIGKILL");
	vs_field_ext(vs_event_strv(ev, "Arguments", evil_argv, 2));
}

static bool same_bytes(JsonObject *o, const char *member)
{
	const char *s = o && json_object_has_member(o, member) ?
			json_object_get_string_member(o, member) : NULL;

	/* json-glib strings stop at the NUL; compare up to it. */
	return s && strcmp(s, "a\"b\nc") == 0;
}

static void test_hostile(void)
{
	static struct vs_event ev;
	GString *line = g_string_new(NULL);
	JsonParser *p = json_parser_new();
	JsonObject *root, *un, *proc, *actor;
	GError *err = NULL;
	JsonArray *lossy;

	build_hostile(&ev);
	CHECK(vs_format_event(VS_FMT_OCSF, NULL, &ev, line) == 0, "hostile");
	CHECK(memchr(line->str, '\n', line->len) == line->str + line->len - 1,
	      "hostile: one line");
	CHECK(g_utf8_validate(line->str, (gssize)line->len, NULL),
	      "hostile: valid UTF-8");
	CHECK(strstr(line->str, "\\u0000") && strstr(line->str, "\\n") &&
	      strstr(line->str, "a\\\"b"), "hostile: escapes");
	CHECK(json_parser_load_from_data(p, line->str, (gssize)line->len,
					 &err), "hostile: parses: %s",
	      err ? err->message : "");
	root = json_node_get_object(json_parser_get_root(p));
	un = json_object_get_object_member(root, "unmapped");
	actor = json_object_get_object_member(root, "actor");
	proc = json_object_get_object_member(root, "process");
	CHECK(proc && same_bytes(proc, "name"), "hostile: target name");
	CHECK(same_bytes(json_object_get_object_member(actor, "process"),
			 "name"), "hostile: actor name");
	CHECK(un && same_bytes(un, "ThreadName"), "hostile: ThreadName");
	lossy = un ? json_object_get_array_member(un, "Lossy") : NULL;
	CHECK(lossy && json_array_get_length(lossy) == 4 &&
	      strcmp(json_array_get_string_element(lossy, 0),
		     "ProcessName") == 0 &&
	      strcmp(json_array_get_string_element(lossy, 1),
		     "TargetProcessName") == 0 &&
	      strcmp(json_array_get_string_element(lossy, 2),
		     "ThreadName") == 0 &&
	      strcmp(json_array_get_string_element(lossy, 3),
		     "Arguments") == 0, "hostile: Lossy in line order");
	CHECK(memmem(line->str, line->len, "</script>\xef\xbf\xbd\xef\xbf\xbd",
		     9 + 6) != NULL, "hostile: U+FFFD per invalid byte");
	g_clear_error(&err);
	g_object_unref(p);
	g_string_free(line, TRUE);
}

int main(int argc, char **argv)
{
	covered = g_new0(bool, nfixtures * 4);
	CHECK(argc == 2, "usage: test-ocsf GOLDEN");
	if (argc == 2)
		run_golden(argv[1]);
	test_hostile();
	g_free(covered);
	return check_done("ocsf");
}

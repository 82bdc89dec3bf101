// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_golden.c - every fixture event in every format and mode against the
 * hand-written lines of tests/golden/output-*.txt (file syntax described
 * at the top of those files). Also checks that the goldens cover each
 * fixture in all four formats in the normal, compat and extended modes,
 * and that no two golden lines claim the same case.
 */
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "check.h"
#include "fixtures.h"
#include "output/output.h"

CHECK_DEFINE;

#define NMODES 4
#define NFMTS 4
static const char *const mode_names[NMODES] = {
	"normal", "compat", "extended", "compat+extended",
};
static const char *const fmt_names[NFMTS] = { "default", "csv", "kv", "json" };

/* covered[fixture][format][mode] */
static unsigned char *covered;

static int index_of(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

static void run_case(const char *fx_name, int fmt, int mode, bool exact,
		     const char *expect, const char *where)
{
	const struct fixture *fx = fixture_find(fx_name);
	struct vs_format_opts o = {
		.drakvuf_compat = mode == 1 || mode == 3,
		.extended = mode >= 2,
	};
	static struct vs_event ev;
	GString *line = g_string_new(NULL);
	int err;

	CHECK(fx != NULL, "%s: unknown fixture %s", where, fx_name);
	if (!fx)
		goto out;
	fx->build(&ev);
	err = vs_format_event((enum vs_format)fmt, &o, &ev, line);
	CHECK(err == 0, "%s: format error %d", where, err);
	CHECK(line->len > 0 && line->str[line->len - 1] == '\n' &&
	      memchr(line->str, '\n', line->len) == line->str + line->len - 1,
	      "%s: not exactly one line", where);
	if (line->len)
		g_string_truncate(line, line->len - 1);
	if (exact) {
		size_t i = (size_t)(fx - fixtures);

		CHECK(strcmp(line->str, expect) == 0,
		      "%s %s %s %s\n  want: %s\n  got:  %s", where, fx_name,
		      fmt_names[fmt], mode_names[mode], expect, line->str);
		CHECK(!covered[(i * NFMTS + fmt) * NMODES + mode],
		      "%s: case given twice", where);
		covered[(i * NFMTS + fmt) * NMODES + mode] = 1;
	} else {
		CHECK(strstr(line->str, expect) != NULL,
		      "%s %s %s %s: fragment not found\n  want: %s\n  got:  %s",
		      where, fx_name, fmt_names[fmt], mode_names[mode], expect,
		      line->str);
	}
out:
	g_string_free(line, TRUE);
}

/* "== fixture format modes" (or "~~ ..."), then the expected line. */
static void run_header(char **lines, size_t *i, size_t n, const char *file)
{
	char where[256];
	bool exact = lines[*i][0] == '=';
	gchar **w = g_strsplit(lines[*i] + 3, " ", -1);
	gchar **modes;
	int fmt;

	snprintf(where, sizeof(where), "%s:%zu", file, *i + 1);
	CHECK(g_strv_length(w) == 3 && *i + 1 < n, "%s: bad case header",
	      where);
	if (g_strv_length(w) != 3 || *i + 1 >= n) {
		g_strfreev(w);
		return;
	}
	fmt = index_of(fmt_names, NFMTS, w[1]);
	CHECK(fmt >= 0, "%s: unknown format %s", where, w[1]);
	modes = g_strsplit(w[2], ",", -1);
	for (gchar **m = modes; fmt >= 0 && *m; m++) {
		int mode = index_of(mode_names, NMODES, *m);

		CHECK(mode >= 0, "%s: unknown mode %s", where, *m);
		if (mode >= 0)
			run_case(w[0], fmt, mode, exact, lines[*i + 1], where);
	}
	g_strfreev(modes);
	g_strfreev(w);
	(*i)++;
}

static void run_file(const char *path)
{
	gchar *text = NULL;
	gchar **lines;
	size_t n;

	CHECK(g_file_get_contents(path, &text, NULL, NULL), "cannot read %s",
	      path);
	if (!text)
		return;
	lines = g_strsplit(text, "\n", -1);
	n = g_strv_length(lines);
	for (size_t i = 0; i < n; i++)
		if (g_str_has_prefix(lines[i], "== ") ||
		    g_str_has_prefix(lines[i], "~~ "))
			run_header(lines, &i, n, path);
	g_strfreev(lines);
	g_free(text);
}

static void check_coverage(void)
{
	for (size_t i = 0; i < nfixtures; i++)
		for (int f = 0; f < NFMTS; f++)
			for (int m = 0; m < 3; m++)
				CHECK(covered[(i * NFMTS + f) * NMODES + m],
				      "no golden for %s %s %s",
				      fixtures[i].name, fmt_names[f],
				      mode_names[m]);
}

int main(int argc, char **argv)
{
	covered = calloc(nfixtures * NFMTS * NMODES, 1);
	CHECK(argc > 1, "usage: test_golden GOLDEN...");
	for (int i = 1; i < argc; i++)
		run_file(argv[i]);
	check_coverage();
	free(covered);
	return check_done("golden");
}

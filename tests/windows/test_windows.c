// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_windows.c - the Windows half of vmiscope on layout-faithful
 * synthetic guests (suite 'windows'): real layouts, simulated behaviour.
 *
 * For each of the six kernel profiles of ../shared/windows-profiles the
 * test builds guest memory with that build's offsets and RVAs (from the
 * folder's README and a direct ISF read, never from the loader under
 * test), opens the Windows OS layer with -r on the memimage backend,
 * starts procmon through its plugin ops and fires the scenario's hooks
 * (scenario.c). Every event is rendered in the four formats (and csv with
 * --extended) and compared with the hand-written lines of expected.txt,
 * which hold for every build (the builder gives every build the same
 * CR3s). The process keys' run id is random per procmon start: expected
 * lines write it @RUN@; the test takes it from the first ProcessKey, checks
 * its form (8 lowercase hex digits) and that it changed since the last
 * build's run, and puts it in. Then: a wrong offset must
 * make discovery fail; cyclic, broken and garbage EPROCESS lists and
 * damaged profiles must give clear errors and no crash.
 *
 * Usage: test-windows README.md expected.txt. Exit 77 (skip) naming the
 * path when the profiles folder or a file is missing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "common/event.h"
#include "common/stats.h"
#include "os/os.h"
#include "os/profile/profile.h"
#include "os/windows/windows.h"
#include "output/output.h"
#include "pipeline/options.h"
#include "plugins/plugin.h"
#include "scenario.h"
#include "tables.h"
#include "wcheck.h"

extern const struct vs_plugin_ops vs_procmon_plugin_ops;

unsigned wc_pass, wc_fail;

#define NFMT 5
#define JSON 3
static const enum vs_format fmts[NFMT] = {
	VS_FMT_DEFAULT, VS_FMT_CSV, VS_FMT_KV, VS_FMT_JSON, VS_FMT_CSV,
};
static const struct vs_format_opts extended = { .extended = true };
static const struct vs_format_opts *const fmt_opts[NFMT] = {
	NULL, NULL, NULL, NULL, &extended,
};
static const char *const fmt_names[NFMT] = {
	"default", "csv", "kv", "json", "csv-extended",
};
static char last_run_id[16];

static GPtrArray *expected[NFMT];
static struct wt_readme readme;
static char *profdir;

/* expected.txt: "== <format>" then one line per event; '#' comments. */
static int load_expected(const char *path)
{
	char *text, **lines;
	int cur = -1;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return -1;
	for (int f = 0; f < NFMT; f++)
		expected[f] = g_ptr_array_new_with_free_func(g_free);
	lines = g_strsplit(text, "\n", 0);
	for (int i = 0; lines[i]; i++) {
		if (lines[i][0] == '#' || lines[i][0] == '\0')
			continue;
		if (g_str_has_prefix(lines[i], "== ")) {
			cur = -1;
			for (int f = 0; f < NFMT; f++)
				if (!strcmp(lines[i] + 3, fmt_names[f]))
					cur = f;
			continue;
		}
		if (cur >= 0)
			g_ptr_array_add(expected[cur], g_strdup(lines[i]));
	}
	g_strfreev(lines);
	g_free(text);
	return 0;
}

struct collect {
	GPtrArray *lines[NFMT];
};

static void emit(void *opaque, const struct vs_event *ev)
{
	struct collect *c = opaque;

	for (int f = 0; f < NFMT; f++) {
		GString *s = g_string_new(NULL);

		if (vs_format_event(fmts[f], fmt_opts[f], ev, s) == 0 && s->len &&
		    s->str[s->len - 1] == '\n')
			g_string_truncate(s, s->len - 1);
		g_ptr_array_add(c->lines[f], g_string_free(s, FALSE));
	}
}

static char *profile_path(int col)
{
	return g_build_filename(profdir, readme.file[col], NULL);
}

/* The run id of the first "ProcessKey":"<run>-..." of the json lines. */
static bool run_id_of(int col, GPtrArray *json, char *run)
{
	const char *tag = "\"ProcessKey\":\"", *k = NULL;
	size_t n = 0;

	for (unsigned i = 0; i < json->len && !k; i++)
		k = strstr(json->pdata[i], tag);
	if (k)
		for (k += strlen(tag); n < 8 && ((k[n] >= '0' && k[n] <= '9') ||
						 (k[n] >= 'a' && k[n] <= 'f')); n++)
			;
	CHECK(k && n == 8 && k[n] == '-', "%s: no ProcessKey with an 8-digit "
	      "lowercase hex run id", readme.build[col]);
	if (!k || n != 8 || k[n] != '-')
		return false;
	memcpy(run, k, 8);
	run[8] = '\0';
	CHECK(strcmp(run, last_run_id) != 0, "%s: run id %s as in the last run",
	      readme.build[col], run);
	memcpy(last_run_id, run, 9);
	return true;
}

/*
 * PID 3056 is held by cmd, then by notepad (scenario E15): the json lines
 * must name exactly two keys "<run>-3056-..." (the lines pin which).
 */
static void pid_reuse_keys(int col, GPtrArray *json, const char *run)
{
	GHashTable *keys = g_hash_table_new_full(g_str_hash, g_str_equal,
						 g_free, NULL);
	char *prefix = g_strdup_printf("\"%s-3056-", run);

	for (unsigned i = 0; i < json->len; i++) {
		const char *k = json->pdata[i], *e;

		while ((k = strstr(k, prefix)) && (e = strchr(k + 1, '"'))) {
			g_hash_table_add(keys, g_strndup(k + 1, e - k - 1));
			k = e;
		}
	}
	CHECK(g_hash_table_size(keys) == 2, "%s: %u keys for PID 3056, "
	      "expected 2 (cmd, then notepad)", readme.build[col],
	      g_hash_table_size(keys));
	g_free(prefix);
	g_hash_table_destroy(keys);
}

static void compare(int col, struct collect *c)
{
	char run[16] = "@RUN@";

	if (run_id_of(col, c->lines[JSON], run))
		pid_reuse_keys(col, c->lines[JSON], run);
	for (int f = 0; f < NFMT; f++) {
		GPtrArray *got = c->lines[f], *want = expected[f];
		unsigned same = 0;

		CHECK(got->len == want->len, "%s %s: %u lines, expected %u",
		      readme.build[col], fmt_names[f], got->len, want->len);
		for (unsigned i = 0; i < got->len && i < want->len; i++) {
			char **parts = g_strsplit(want->pdata[i], "@RUN@", -1);
			char *w = g_strjoinv(run, parts);

			g_strfreev(parts);
			if (!strcmp(got->pdata[i], w)) {
				same++;
				g_free(w);
				continue;
			}
			CHECK(0, "%s %s line %u:\n  got:  %s\n  want: %s",
			      readme.build[col], fmt_names[f], i + 1,
			      (char *)got->pdata[i], w);
			g_free(w);
		}
		wc_pass += same;
	}
}

static unsigned count_running(GPtrArray *json)
{
	unsigned n = 0;

	for (unsigned i = 0; i < json->len; i++)
		n += strstr(json->pdata[i], "\"RunningProcess\":") != NULL;
	return n;
}

static void run_profile(int col)
{
	struct vs_os_opts oo = { .vcpu = 0 };
	struct scenario_state st = { 0 };
	struct vs_monitor_opts mo;
	struct collect c;
	struct vs_stats stats;
	struct vs_plugin_ctx ctx;
	struct vs_os_info info;
	struct vs_os_inst *os = NULL;
	struct wguest g;
	int rc, fired;

	if (scenario_guest(&g, &readme, profdir, col, &st, false) < 0) {
		CHECK(0, "%s: building the guest failed", readme.build[col]);
		return;
	}
	oo.profile = profile_path(col);
	rc = vs_os_open(g.s.be, "windows", &oo, &os);
	CHECK(rc == 0, "%s: open: %s", readme.build[col], strerror(-rc));
	if (rc == 0) {
		vs_os_info(os, &info);
		CHECK(info.kernel_base == WG_KERNEL_BASE, "%s: kernel base %#llx",
		      readme.build[col], (unsigned long long)info.kernel_base);
		for (int f = 0; f < NFMT; f++)
			c.lines[f] = g_ptr_array_new_with_free_func(g_free);
		vs_monitor_opts_init(&mo);
		vs_stats_init(&stats);
		ctx = (struct vs_plugin_ctx){ .be = g.s.be, .os = os, .opts = &mo,
			.stats = &stats, .emit = emit, .emit_opaque = &c };
		rc = vs_procmon_plugin_ops.start(&ctx);
		CHECK(rc == 0 && !ctx.incomplete, "%s: procmon start %d %s",
		      readme.build[col], rc, ctx.incomplete_reason);
		fired = scenario_run(&st);
		vs_procmon_plugin_ops.stop(&ctx);
		compare(col, &c);
		printf("windows %s (%s): %u events (%u RunningProcess), "
		       "%d hook callbacks fired, %u lines compared\n",
		       readme.build[col], readme.file[col], c.lines[0]->len,
		       count_running(c.lines[JSON]), fired, c.lines[0]->len * NFMT);
		for (int f = 0; f < NFMT; f++)
			g_ptr_array_free(c.lines[f], TRUE);
		vs_monitor_opts_free(&mo);
		vs_os_close(os);
	}
	g_free((char *)oo.profile);
	scenario_free(&st);
	wg_fini(&g);
}

void test_failures(struct wt_readme *r, const char *dir, int col);
void test_strings(void);

int main(int argc, char **argv)
{
	int ran = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: %s README.md expected.txt\n", argv[0]);
		return 2;
	}
	if (access(argv[1], R_OK) != 0) {
		printf("SKIP: %s is missing (the Windows profiles folder)\n",
		       argv[1]);
		return 77;
	}
	if (wt_readme_parse(argv[1], &readme) < 0 || load_expected(argv[2]) < 0) {
		fprintf(stderr, "cannot read %s or %s\n", argv[1], argv[2]);
		return 1;
	}
	profdir = g_path_get_dirname(argv[1]);
	test_strings();
	for (int col = 0; col < readme.nbuilds; col++) {
		char *path = profile_path(col);
		bool here = access(path, R_OK) == 0;

		if (!here)
			printf("SKIP: %s is missing\n", path);
		g_free(path);
		if (!here)
			continue;
		run_profile(col);
		test_failures(&readme, profdir, col);
		ran++;
	}
	for (int f = 0; f < NFMT; f++)
		g_ptr_array_free(expected[f], TRUE);
	g_free(profdir);
	printf("test-windows: %d profiles, %u checks passed, %u failed\n", ran,
	       wc_pass, wc_fail);
	if (!ran)
		return 77;
	return wc_fail ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_options.c - the shared monitoring options (src/pipeline/options.c):
 * every key with good and bad values, the whole-set checks, and the round
 * trip through vs_monitor_opts_to_plugin_args(). Expected values are
 * written here by hand from options.h and contract §1-§3.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "config.h"
#include "pipeline/options.h"

static struct vs_monitor_opts o;
static char err[512];

static int set(const char *key, const char *value)
{
	err[0] = '\0';
	return vs_monitor_opts_set(&o, key, value, err, sizeof(err));
}

static void setup(void)
{
	vs_monitor_opts_free(&o);
	vs_monitor_opts_init(&o);
}

static void test_defaults(void)
{
	char *args;

	setup();
	g_assert_cmpint(o.format, ==, VS_FMT_DEFAULT);
	g_assert_false(o.format_set);
	g_assert_cmpint(o.events_fd, ==, 1);
	g_assert_cmpuint(o.noutputs, ==, 0);
	g_assert_cmpuint(o.nplugins, ==, 0);
	args = vs_monitor_opts_to_plugin_args(&o, err, sizeof(err));
	g_assert_cmpstr(args, ==, "");
	free(args);
}

static void test_unknown_key(void)
{
	setup();
	g_assert_cmpint(set("output-format", "json"), ==, -ENOENT);
	g_assert_cmpint(set("bogus", "1"), ==, -ENOENT);
	g_assert_nonnull(strstr(err, "bogus"));
	g_assert_cmpint(vs_monitor_opts_set(&o, NULL, "x", err, sizeof(err)),
			==, -EINVAL);
}

static void test_output_format(void)
{
	setup();
	g_assert_cmpint(set("output_format", "json"), ==, 0);
	g_assert_cmpint(o.format, ==, VS_FMT_JSON);
	g_assert_true(o.format_set);
	g_assert_cmpint(set("output_format", "csv"), ==, 0);
	g_assert_cmpint(o.format, ==, VS_FMT_CSV);
	g_assert_cmpint(set("output_format", "kv"), ==, 0);
	g_assert_cmpint(set("output_format", "default"), ==, 0);
	g_assert_cmpint(o.format, ==, VS_FMT_DEFAULT);
	g_assert_cmpint(set("output_format", "xml"), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "xml"));
	g_assert_cmpint(set("output_format", ""), ==, -EINVAL);
	g_assert_cmpint(set("output_format", "JSON "), ==, -EINVAL);
}

static void test_output(void)
{
	setup();
	g_assert_cmpint(set("output_format", "kv"), ==, 0);
	g_assert_cmpint(set("output", "csv:/tmp/a.csv"), ==, 0);
	g_assert_cmpint(set("output", "/tmp/plain"), ==, 0);
	g_assert_cmpint(set("output", "json:-"), ==, 0);
	g_assert_cmpint(set("output", "./odd:name"), ==, 0);
	g_assert_cmpint(set("output", "nosuchfmt:x"), ==, 0);
	g_assert_cmpuint(o.noutputs, ==, 5);
	g_assert_true(o.outputs[0].format_set);
	g_assert_cmpint(o.outputs[0].format, ==, VS_FMT_CSV);
	g_assert_cmpstr(o.outputs[0].path, ==, "/tmp/a.csv");
	g_assert_false(o.outputs[1].format_set);
	g_assert_cmpstr(o.outputs[1].path, ==, "/tmp/plain");
	g_assert_null(o.outputs[2].path);               /* "-": stdout */
	g_assert_cmpint(o.outputs[2].format, ==, VS_FMT_JSON);
	g_assert_cmpstr(o.outputs[3].path, ==, "./odd:name");
	g_assert_cmpstr(o.outputs[4].path, ==, "nosuchfmt:x");
	/* A plain FILE follows --output-format, even one given later. */
	g_assert_cmpint(vs_monitor_opts_output_format(&o, 1), ==, VS_FMT_KV);
	g_assert_cmpint(set("output_format", "json"), ==, 0);
	g_assert_cmpint(vs_monitor_opts_output_format(&o, 1), ==, VS_FMT_JSON);
	g_assert_cmpint(vs_monitor_opts_output_format(&o, 0), ==, VS_FMT_CSV);
	g_assert_cmpint(set("output", ""), ==, -EINVAL);
	g_assert_cmpint(set("output", "csv:"), ==, -EINVAL);
	g_assert_cmpuint(o.noutputs, ==, 5);
}

static void test_output_limit(void)
{
	char name[32];

	setup();
	for (int i = 0; i < VS_MAX_OUTPUTS; i++) {
		snprintf(name, sizeof(name), "/tmp/o%d", i);
		g_assert_cmpint(set("output", name), ==, 0);
	}
	g_assert_cmpint(set("output", "/tmp/one-more"), ==, -E2BIG);
	g_assert_cmpuint(o.noutputs, ==, VS_MAX_OUTPUTS);
}

static void test_plugin(void)
{
	setup();
	g_assert_cmpint(set("plugin", "nosuch"), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "unknown plugin 'nosuch'"));
#ifdef VS_HAVE_PLUGIN_PROCMON
	g_assert_cmpint(set("plugin", "procmon"), ==, 0);
	g_assert_cmpint(set("plugin", "procmon"), ==, 0);   /* once */
	g_assert_cmpuint(o.nplugins, ==, 1);
	g_assert_cmpstr(o.plugins[0], ==, "procmon");
#else
	g_assert_cmpint(set("plugin", "procmon"), ==, -ENOTSUP);
	g_assert_cmpstr(err, ==,
		"plugin 'procmon' is not compiled in (-Dplugin-procmon=false)");
	g_assert_cmpuint(o.nplugins, ==, 0);
#endif
}

static void test_filter_file(void)
{
	setup();
#ifdef VS_HAVE_PLUGIN_PROCMON
	g_assert_cmpint(set("procmon_filter_file", "/tmp/f"), ==, 0);
	g_assert_cmpstr(o.filter_file, ==, "/tmp/f");
	g_assert_cmpint(set("procmon_envs_list", "/tmp/g"), ==, 0);  /* alias */
	g_assert_cmpstr(o.filter_file, ==, "/tmp/g");
	g_assert_cmpint(set("procmon_filter_file", ""), ==, -EINVAL);
#else
	g_assert_cmpint(set("procmon_filter_file", "/tmp/f"), ==, -ENOTSUP);
#endif
}

static void test_paths(void)
{
	setup();
	g_assert_cmpint(set("json_kernel", "/p/k.json"), ==, 0);
	g_assert_cmpstr(o.json_kernel, ==, "/p/k.json");
	g_assert_cmpint(set("json_kernel", ""), ==, -EINVAL);
	g_assert_cmpint(set("stats_output", "/tmp/s"), ==, 0);
	g_assert_cmpstr(o.stats_output, ==, "/tmp/s");
	g_assert_cmpint(set("status_file", "/tmp/st"), ==, 0);
	g_assert_cmpstr(o.status_file, ==, "/tmp/st");
}

static void test_bools(void)
{
	static const char *const keys[] = { "extended", "drakvuf_compat",
					    "verbose", "quiet" };
	static const char *const on[] = { "on", "yes", "true", "1" };
	static const char *const off[] = { "off", "no", "false", "0" };

	setup();
	for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
		bool *slot = k == 0 ? &o.extended : k == 1 ? &o.drakvuf_compat :
			     k == 2 ? &o.verbose : &o.quiet;

		for (size_t i = 0; i < G_N_ELEMENTS(on); i++) {
			g_assert_cmpint(set(keys[k], on[i]), ==, 0);
			g_assert_true(*slot);
			g_assert_cmpint(set(keys[k], off[i]), ==, 0);
			g_assert_false(*slot);
		}
		g_assert_cmpint(set(keys[k], "maybe"), ==, -EINVAL);
		g_assert_cmpint(set(keys[k], ""), ==, -EINVAL);
		g_assert_cmpint(set(keys[k], "ON"), ==, -EINVAL);
	}
}

static void test_numbers(void)
{
	setup();
	g_assert_cmpint(set("stats_interval", "0"), ==, 0);
	g_assert_cmpint(set("stats_interval", "86400"), ==, 0);
	g_assert_cmpuint(o.stats_interval, ==, 86400);
	g_assert_cmpint(set("stats_interval", "86401"), ==, -EINVAL);
	g_assert_cmpint(set("stats_interval", "-1"), ==, -EINVAL);
	g_assert_cmpint(set("stats_interval", "+5"), ==, -EINVAL);
	g_assert_cmpint(set("stats_interval", "5s"), ==, -EINVAL);
	g_assert_cmpint(set("stats_interval", "0x10"), ==, -EINVAL);
	g_assert_cmpint(set("stats_interval", "99999999999999999999999"), ==,
			-EINVAL);
	g_assert_cmpuint(o.stats_interval, ==, 86400);
	g_assert_cmpint(set("events_fd", "3"), ==, 0);
	g_assert_cmpint(o.events_fd, ==, 3);
	g_assert_cmpint(set("events_fd", "0"), ==, -EINVAL);
	g_assert_cmpint(set("events_fd", "65536"), ==, -EINVAL);
	g_assert_cmpint(set("events_fd", ""), ==, -EINVAL);
	g_assert_cmpint(o.events_fd, ==, 3);
}

static void test_round_trip(void)
{
	struct vs_monitor_opts back;
	char *args, *copy, *save = NULL;

	setup();
	g_assert_cmpint(set("output_format", "json"), ==, 0);
	g_assert_cmpint(set("output", "csv:/tmp/a.csv"), ==, 0);
	g_assert_cmpint(set("output", "/tmp/b"), ==, 0);
	g_assert_cmpint(set("output", "-"), ==, 0);
#ifdef VS_HAVE_PLUGIN_PROCMON
	g_assert_cmpint(set("plugin", "procmon"), ==, 0);
	g_assert_cmpint(set("procmon_envs_list", "/tmp/envs"), ==, 0);
#endif
	g_assert_cmpint(set("json_kernel", "/p/k.json"), ==, 0);
	g_assert_cmpint(set("extended", "on"), ==, 0);
	g_assert_cmpint(set("drakvuf_compat", "yes"), ==, 0);
	g_assert_cmpint(set("verbose", "true"), ==, 0);
	g_assert_cmpint(set("stats_interval", "7"), ==, 0);
	g_assert_cmpint(set("stats_output", "/tmp/stats"), ==, 0);
	g_assert_cmpint(set("events_fd", "3"), ==, 0);
	g_assert_cmpint(set("status_file", "/tmp/status"), ==, 0);
	args = vs_monitor_opts_to_plugin_args(&o, err, sizeof(err));
	g_assert_nonnull(args);
	/* Spot checks of the text QEMU gets. */
	g_assert_nonnull(strstr(args, "output_format=json"));
	g_assert_nonnull(strstr(args, "output=csv:/tmp/a.csv"));
	g_assert_nonnull(strstr(args, "output=/tmp/b"));
	g_assert_nonnull(strstr(args, "output=-"));
	g_assert_nonnull(strstr(args, "events_fd=3"));
	g_assert_null(strstr(args, "quiet"));
	g_assert_cmpint(args[strlen(args) - 1], !=, ',');

	/* Feed it back the way the QEMU plugin does. */
	vs_monitor_opts_init(&back);
	copy = g_strdup(args);
	for (char *kv = strtok_r(copy, ",", &save); kv;
	     kv = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(kv, '=');

		g_assert_nonnull(eq);
		*eq = '\0';
		g_assert_cmpint(vs_monitor_opts_set(&back, kv, eq + 1, err,
						    sizeof(err)), ==, 0);
	}
	g_assert_cmpint(back.format, ==, VS_FMT_JSON);
	g_assert_cmpuint(back.noutputs, ==, 3);
	g_assert_cmpint(back.outputs[0].format, ==, VS_FMT_CSV);
	g_assert_true(back.outputs[0].format_set);
	g_assert_cmpstr(back.outputs[0].path, ==, "/tmp/a.csv");
	g_assert_false(back.outputs[1].format_set);
	g_assert_cmpstr(back.outputs[1].path, ==, "/tmp/b");
	g_assert_null(back.outputs[2].path);
#ifdef VS_HAVE_PLUGIN_PROCMON
	g_assert_cmpuint(back.nplugins, ==, 1);
	g_assert_cmpstr(back.filter_file, ==, "/tmp/envs");
#endif
	g_assert_cmpstr(back.json_kernel, ==, "/p/k.json");
	g_assert_true(back.extended && back.drakvuf_compat && back.verbose);
	g_assert_false(back.quiet);
	g_assert_cmpuint(back.stats_interval, ==, 7);
	g_assert_cmpstr(back.stats_output, ==, "/tmp/stats");
	g_assert_cmpint(back.events_fd, ==, 3);
	g_assert_cmpstr(back.status_file, ==, "/tmp/status");
	g_free(copy);
	free(args);
	vs_monitor_opts_free(&back);
}

static void test_comma_refused(void)
{
	setup();
	g_assert_cmpint(set("json_kernel", "/p/a,b.json"), ==, 0);
	g_assert_null(vs_monitor_opts_to_plugin_args(&o, err, sizeof(err)));
	g_assert_nonnull(strstr(err, ","));
	setup();
	g_assert_cmpint(set("output", "kv:/tmp/x,y"), ==, 0);
	g_assert_null(vs_monitor_opts_to_plugin_args(&o, err, sizeof(err)));
}

static void test_check(void)
{
	char dir[] = "/tmp/vs-test-options-XXXXXX";
	char path[128], bad[160];

	g_assert_nonnull(g_mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out.json", dir);
	snprintf(bad, sizeof(bad), "%s/missing-dir/out.json", dir);

	setup();
	g_assert_cmpint(vs_monitor_opts_check(&o, err, sizeof(err)), ==, 0);
	g_assert_cmpint(set("verbose", "on"), ==, 0);
	g_assert_cmpint(set("quiet", "on"), ==, 0);
	g_assert_cmpint(vs_monitor_opts_check(&o, err, sizeof(err)), ==, -EINVAL);

	setup();
	g_assert_cmpint(set("output", path), ==, 0);
	g_assert_cmpint(vs_monitor_opts_check(&o, err, sizeof(err)), ==, 0);
	g_assert_false(g_file_test(path, G_FILE_TEST_EXISTS));  /* not created */
	g_assert_cmpint(set("output", path), ==, 0);            /* twice */
	g_assert_cmpint(vs_monitor_opts_check(&o, err, sizeof(err)), ==, -EINVAL);

	setup();
	g_assert_cmpint(set("output", "-"), ==, 0);
	g_assert_cmpint(set("output", "json:-"), ==, 0);
	g_assert_cmpint(vs_monitor_opts_check(&o, err, sizeof(err)), ==, -EINVAL);

	setup();
	g_assert_cmpint(set("output", bad), ==, 0);
	g_assert_cmpint(vs_monitor_opts_check(&o, err, sizeof(err)), ==, -EINVAL);
	g_assert_nonnull(strstr(err, bad));

	setup();
	g_assert_cmpint(set("output", dir), ==, 0);             /* a directory */
	g_assert_cmpint(vs_monitor_opts_check(&o, err, sizeof(err)), ==, -EINVAL);

	setup();
	g_assert_cmpint(set("stats_output", bad), ==, 0);
	g_assert_cmpint(vs_monitor_opts_check(&o, err, sizeof(err)), ==, -EINVAL);

	setup();
	g_assert_cmpint(set("json_kernel", "/nonexistent/k.json"), ==, 0);
	g_assert_cmpint(vs_monitor_opts_check(&o, err, sizeof(err)), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "/nonexistent/k.json"));
	g_rmdir(dir);
}

#ifdef VS_HAVE_PLUGIN_PROCMON
/* The file's content is envfilter.c's to judge; here: it is consulted. */
static void test_check_filter_file(void)
{
	char path[] = "/tmp/vs-test-filter-XXXXXX";
	int fd = g_mkstemp(path);
	static const char good[] = "# comment\r\nPATH\r\n\nHOME\n";
	static const char bad[] = "PATH\nA=B\n";

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(write(fd, good, sizeof(good) - 1), ==, sizeof(good) - 1);
	close(fd);
	setup();
	g_assert_cmpint(set("procmon_filter_file", path), ==, 0);
	g_assert_cmpint(vs_monitor_opts_check(&o, err, sizeof(err)), ==, 0);
	g_assert_true(g_file_set_contents(path, bad, -1, NULL));
	g_assert_cmpint(vs_monitor_opts_check(&o, err, sizeof(err)), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "2"));     /* names the line */
	g_unlink(path);
	g_assert_cmpint(vs_monitor_opts_check(&o, err, sizeof(err)), ==, -EINVAL);
}
#endif

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	vs_monitor_opts_init(&o);
	g_test_add_func("/options/defaults", test_defaults);
	g_test_add_func("/options/unknown-key", test_unknown_key);
	g_test_add_func("/options/output-format", test_output_format);
	g_test_add_func("/options/output", test_output);
	g_test_add_func("/options/output-limit", test_output_limit);
	g_test_add_func("/options/plugin", test_plugin);
	g_test_add_func("/options/filter-file", test_filter_file);
	g_test_add_func("/options/paths", test_paths);
	g_test_add_func("/options/bools", test_bools);
	g_test_add_func("/options/numbers", test_numbers);
	g_test_add_func("/options/round-trip", test_round_trip);
	g_test_add_func("/options/comma-refused", test_comma_refused);
	g_test_add_func("/options/check", test_check);
#ifdef VS_HAVE_PLUGIN_PROCMON
	g_test_add_func("/options/check-filter-file", test_check_filter_file);
#endif
	int ret = g_test_run();

	vs_monitor_opts_free(&o);
	return ret;
}

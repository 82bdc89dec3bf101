// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cli.c - diagnostics and the shared option parser of the subcommands (see
 * cli.h). The monitoring options are one table mapping each long option to
 * its plugin-argument key (options.h), so the CLI cannot drift from the
 * QEMU plugin's arguments.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "plugins/plugin.h"

enum {
	OPT_OUTPUT = 0x100,
	OPT_FILTER,
	OPT_EXTENDED,
	OPT_COMPAT,
	OPT_QUIET,
	OPT_STATS_INTERVAL,
	OPT_STATS_OUTPUT,
};

/* Each monitoring option and its key; flags (no argument) set "on". */
static const struct {
	struct option opt;
	const char *key;
} monitor_opts[] = {
	{ { "output-format", required_argument, NULL, 'o' }, "output_format" },
	{ { "output", required_argument, NULL, OPT_OUTPUT }, "output" },
	{ { "plugin", required_argument, NULL, 'a' }, "plugin" },
	{ { "procmon-filter-file", required_argument, NULL, OPT_FILTER },
	  "procmon_filter_file" },
	{ { "procmon-envs-list", required_argument, NULL, OPT_FILTER },
	  "procmon_filter_file" },
	{ { "json-kernel", required_argument, NULL, 'r' }, "json_kernel" },
	{ { "extended", no_argument, NULL, OPT_EXTENDED }, "extended" },
	{ { "drakvuf-compat", no_argument, NULL, OPT_COMPAT }, "drakvuf_compat" },
	{ { "verbose", no_argument, NULL, 'v' }, "verbose" },
	{ { "quiet", no_argument, NULL, OPT_QUIET }, "quiet" },
	{ { "stats-interval", required_argument, NULL, OPT_STATS_INTERVAL },
	  "stats_interval" },
	{ { "stats-output", required_argument, NULL, OPT_STATS_OUTPUT },
	  "stats_output" },
};
#define N_MONITOR (sizeof(monitor_opts) / sizeof(monitor_opts[0]))
#define MONITOR_SHORT "o:a:r:v"
#define MAX_LONGOPTS 48

const char vs_cli_monitor_help[] =
"Monitoring options:\n"
"  -o, --output-format FMT     default, csv, kv, json or ocsf (default: default)\n"
"      --output [FMT:]FILE     write events to FILE instead of stdout; repeat\n"
"                              with FMT:FILE to write several formats ('-' is\n"
"                              stdout)\n"
"  -a, --plugin NAME           run plugin NAME (repeatable; default: all\n"
"                              compiled in)\n"
"      --procmon-filter-file FILE\n"
"                              environment variable names to report on exec,\n"
"                              one a line (alias --procmon-envs-list)\n"
"  -r, --json-kernel PROFILE   kernel profile (Volatility ISF JSON)\n"
"      --extended              print extended fields in default and csv\n"
"      --drakvuf-compat        DRAKVUF's formatting bytes\n"
"  -v, --verbose               debug messages on stderr\n"
"      --quiet                 errors only on stderr\n"
"      --stats-interval S      print statistics every S seconds\n"
"      --stats-output FILE     statistics to FILE instead of stderr\n"
"  -h, --help                  this help\n";

void vs_cli_msg(const char *fmt, ...)
{
	char buf[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, "vmiscope: %s\n", buf);
}

void vs_cli_error(struct vs_cli_args *a, const char *fmt, ...)
{
	va_list ap;

	if (a->nerr++)
		return;
	va_start(ap, fmt);
	vsnprintf(a->err, sizeof(a->err), fmt, ap);
	va_end(ap);
}

void vs_cli_args_init(struct vs_cli_args *a, const char *cmd, bool monitor)
{
	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	a->monitor = monitor;
	vs_monitor_opts_init(&a->mon);
}

void vs_cli_args_free(struct vs_cli_args *a)
{
	vs_monitor_opts_free(&a->mon);
}

static void apply_monitor(struct vs_cli_args *a, size_t i, const char *arg)
{
	const struct option *o = &monitor_opts[i].opt;
	char err[512];
	int ret;

	ret = vs_monitor_opts_set(&a->mon, monitor_opts[i].key,
				  o->has_arg ? arg : "on", err, sizeof(err));
	if (ret == -ENOTSUP) {
		if (!a->notcompiled[0])
			snprintf(a->notcompiled, sizeof(a->notcompiled), "%s",
				 err);
	} else if (ret) {
		vs_cli_error(a, "%s: --%s: %s", a->cmd, o->name, err);
	}
}

static bool handle_monitor(struct vs_cli_args *a, int c, const char *arg)
{
	for (size_t i = 0; i < N_MONITOR; i++) {
		if (monitor_opts[i].opt.val == c) {
			apply_monitor(a, i, arg);
			return true;
		}
	}
	return false;
}

static void build_longopts(const struct vs_cli_args *a,
			   const struct option *own, struct option *out)
{
	size_t n = 0;

	if (a->monitor)
		for (size_t i = 0; i < N_MONITOR; i++)
			out[n++] = monitor_opts[i].opt;
	for (; own && own->name && n < MAX_LONGOPTS - 2; own++)
		out[n++] = *own;
	out[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	out[n] = (struct option){ 0 };
}

/* The option getopt_long stumbled on, as the user wrote it. */
static void bad_option(struct vs_cli_args *a, char **argv, int c)
{
	const char *what = c == ':' ? "option needs a value" : "unknown option";

	const char *word = optind > 0 ? argv[optind - 1] : "";

	if (strncmp(word, "--", 2) != 0 && optopt > 0 && optopt < 0x100)
		vs_cli_error(a, "%s: %s '-%c'", a->cmd, what, optopt);
	else
		vs_cli_error(a, "%s: %s '%.*s'", a->cmd, what,
			     (int)strcspn(word, "="), word);
}

int vs_cli_parse(struct vs_cli_args *a, int argc, char **argv,
		 const char *shortopts, const struct option *longopts,
		 vs_cli_opt_fn fn, void *ctx)
{
	struct option all[MAX_LONGOPTS];
	char optstring[64];
	int c;

	build_longopts(a, longopts, all);
	snprintf(optstring, sizeof(optstring), ":h%s%s",
		 a->monitor ? MONITOR_SHORT : "", shortopts ? shortopts : "");
	opterr = 0;
	optind = 0;     /* full reset of glibc's getopt state */
	while ((c = getopt_long(argc, argv, optstring, all, NULL)) != -1) {
		if (c == '?' || c == ':')
			bad_option(a, argv, c);
		else if (c == 'h')
			a->help = true;
		else if (a->monitor && handle_monitor(a, c, optarg))
			continue;
		else if (fn)
			fn(a, c, optarg, ctx);
	}
	return optind;
}

int vs_cli_finish(struct vs_cli_args *a, bool check_mon)
{
	char err[1024];

	if (a->notcompiled[0]) {
		vs_cli_msg("%s", a->notcompiled);
		return VS_EXIT_USAGE;
	}
	if (a->nerr) {
		vs_cli_msg("%s", a->err);
		if (strstr(a->err, "unknown option") ||
		    strstr(a->err, "needs a value"))
			fprintf(stderr, "Try 'vmiscope %s --help'.\n", a->cmd);
		return VS_EXIT_USAGE;
	}
	if (check_mon && vs_monitor_opts_check(&a->mon, err, sizeof(err))) {
		vs_cli_msg("%s: %s", a->cmd, err);
		return VS_EXIT_USAGE;
	}
	return 0;
}

int vs_cli_uint(const char *s, unsigned long min, unsigned long max,
		unsigned long *out)
{
	unsigned long n = 0;

	if (!s || !*s)
		return -EINVAL;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		if (n > (max - (unsigned long)(*p - '0')) / 10)
			return -EINVAL;
		n = n * 10 + (unsigned long)(*p - '0');
	}
	if (n < min || n > max)
		return -EINVAL;
	*out = n;
	return 0;
}

static const char *plugin_value(int argc, char **argv, int *i)
{
	const char *s = argv[*i];

	if (strcmp(s, "-a") == 0 || strcmp(s, "--plugin") == 0)
		return *i + 1 < argc ? argv[++*i] : NULL;
	if (strncmp(s, "--plugin=", 9) == 0)
		return s + 9;
	if (strncmp(s, "-a", 2) == 0)
		return s + 2;
	return NULL;
}

int vs_cli_prescan_plugins(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *name = plugin_value(argc, argv, &i);

		if (name && vs_plugin_is_known(name) && !vs_plugin_find(name)) {
			vs_cli_msg("plugin '%s' is not compiled in (-Dplugin-%s=false)",
				   name, name);
			return VS_EXIT_USAGE;
		}
	}
	return 0;
}

int vs_cli_not_implemented(const char *cmd)
{
	vs_cli_msg("%s is not implemented yet", cmd);
	return VS_EXIT_NOTIMPL;
}

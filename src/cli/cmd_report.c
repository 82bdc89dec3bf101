// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_report.c - `vmiscope report EVENTS.jsonl -o FILE.html`: an HTML
 * report from a JSON event log (src/report/). Here -o names the HTML file
 * (it is not --output-format). EVENTS.jsonl may be "-" for stdin. The page
 * is written to a temporary file beside FILE.html and renamed over it, so
 * a failed run never leaves half a report. Builds without json-glib say
 * so and exit 5.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "config.h"
#include "cli/cli.h"
#include "cli/commands.h"
#ifdef VS_HAVE_REPORT
#include "report/report.h"
#endif

static const char usage[] =
"Usage: vmiscope report EVENTS.jsonl -o FILE.html\n"
"\n"
"Turn a JSON event log (vmiscope run -o json) into one self-contained HTML\n"
"page: the process tree, a timeline, command lines, uid changes, exit\n"
"statuses and killing signals, and the signals between processes.\n"
"EVENTS.jsonl may be - for standard input.\n"
"\n"
"  -o, --output FILE.html      the report to write\n"
"  -h, --help                  this help\n";

static const struct option longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ 0 },
};

static void report_opt(struct vs_cli_args *a, int c, const char *arg,
		       void *ctx)
{
	if (c == 'o')
		*(const char **)ctx = arg;
}

#ifdef VS_HAVE_REPORT
/* Write the report of @in_path to @html via a temporary file. */
static int write_report(const char *in_path, const char *html)
{
	bool is_stdin = strcmp(in_path, "-") == 0;
	FILE *in = is_stdin ? stdin : fopen(in_path, "r");
	char *tmp = g_strdup_printf("%s.XXXXXX", html);
	FILE *out = NULL;
	int fd, err;

	if (!in) {
		vs_cli_msg("report: cannot read %s: %s", in_path,
			   strerror(errno));
		g_free(tmp);
		return VS_EXIT_FAILURE;
	}
	fd = mkstemp(tmp);
	if (fd < 0 || !(out = fdopen(fd, "w"))) {
		vs_cli_msg("report: cannot write %s: %s", html,
			   strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		err = -1;
		goto out;
	}
	err = vs_report_write(in, is_stdin ? "(stdin)" : in_path, out);
	if (fchmod(fd, 0644) < 0 && !err)
		err = -errno;
	if (fclose(out) != 0 && !err)
		err = -errno;
	if (!err && rename(tmp, html) < 0)
		err = -errno;
	if (err) {
		if (err != -EINVAL)
			vs_cli_msg("report: cannot write %s: %s", html,
				   strerror(-err));
		unlink(tmp);
	}
out:
	if (!is_stdin)
		fclose(in);
	g_free(tmp);
	return err ? VS_EXIT_FAILURE : VS_EXIT_OK;
}
#endif

int vs_cmd_report(int argc, char **argv)
{
	const char *html = NULL;
	struct vs_cli_args a;
	int ind, ret;

	vs_cli_args_init(&a, "report", false);
	ind = vs_cli_parse(&a, argc, argv, "o:", longopts, report_opt, &html);
	if (a.help) {
		printf("%s", usage);
		vs_cli_args_free(&a);
		return VS_EXIT_OK;
	}
	if (ind >= argc)
		vs_cli_error(&a, "report: an EVENTS.jsonl file is required");
	else if (ind + 1 < argc)
		vs_cli_error(&a, "report: unexpected argument '%s'",
			     argv[ind + 1]);
	if (!html)
		vs_cli_error(&a, "report: -o FILE.html is required");
	ret = vs_cli_finish(&a, false);
	vs_cli_args_free(&a);
	if (ret)
		return ret;
#ifdef VS_HAVE_REPORT
	return write_report(argv[ind], html);
#else
	vs_cli_msg("report: this build has no json-glib (libjson-glib-dev)");
	return VS_EXIT_NOTIMPL;
#endif
}

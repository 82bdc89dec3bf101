// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_report.c - `vmiscope report EVENTS.jsonl -o FILE.html`: an HTML
 * report from a JSON event log. Here -o names the HTML file (it is not
 * --output-format). Not implemented yet: the options are parsed and
 * validated, then the command exits 5.
 */
#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
"Usage: vmiscope report EVENTS.jsonl -o FILE.html\n"
"\n"
"Turn a JSON event log (vmiscope run -o json) into an HTML report.\n"
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
	return ret ? ret : vs_cli_not_implemented("report");
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_profile.c - `vmiscope profile -r FILE`: what a kernel profile
 * resolves, as one JSON object on stdout. Not implemented yet: the options
 * are parsed and validated, then the command exits 5.
 */
#include "cli/cli.h"
#include "cli/commands.h"

static const char usage[] =
"Usage: vmiscope profile -r FILE\n"
"\n"
"Print what a kernel profile resolves (symbols, offsets) as one JSON\n"
"object.\n"
"\n"
"  -r, --json-kernel FILE      the profile (Volatility ISF JSON)\n"
"  -v, --verbose               debug messages on stderr\n"
"  -h, --help                  this help\n";

static const struct option longopts[] = {
	{ "json-kernel", required_argument, NULL, 'r' },
	{ "verbose", no_argument, NULL, 'v' },
	{ 0 },
};

static void profile_opt(struct vs_cli_args *a, int c, const char *arg,
			void *ctx)
{
	if (c == 'r')
		*(const char **)ctx = arg;
}

int vs_cmd_profile(int argc, char **argv)
{
	const char *profile = NULL;
	struct vs_cli_args a;
	int ind, ret;

	vs_cli_args_init(&a, "profile", false);
	ind = vs_cli_parse(&a, argc, argv, "r:v", longopts, profile_opt,
			   &profile);
	if (a.help) {
		printf("%s", usage);
		vs_cli_args_free(&a);
		return VS_EXIT_OK;
	}
	if (ind < argc)
		vs_cli_error(&a, "profile: unexpected argument '%s'", argv[ind]);
	if (!profile)
		vs_cli_error(&a, "profile: -r FILE is required");
	ret = vs_cli_finish(&a, false);
	vs_cli_args_free(&a);
	return ret ? ret : vs_cli_not_implemented("profile");
}

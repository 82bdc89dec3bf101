// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_pslist.c - `vmiscope pslist --dump FILE`: the processes of a QEMU
 * dump-guest-memory ELF core, printed as RunningProcess events. Not
 * implemented yet (the dump backend comes later): the options are parsed
 * and validated, then the command exits 5.
 */
#include "cli/cli.h"
#include "cli/commands.h"

enum { OPT_DUMP = VS_CLI_OPT_BASE };

static const char usage[] =
"Usage: vmiscope pslist [OPTIONS] --dump FILE\n"
"\n"
"List the processes of a QEMU dump-guest-memory ELF core.\n"
"\n"
"  --dump FILE                 the guest memory dump\n"
"\n";

static const struct option longopts[] = {
	{ "dump", required_argument, NULL, OPT_DUMP },
	{ 0 },
};

static void pslist_opt(struct vs_cli_args *a, int c, const char *arg,
		       void *ctx)
{
	if (c == OPT_DUMP)
		*(const char **)ctx = arg;
}

int vs_cmd_pslist(int argc, char **argv)
{
	const char *dump = NULL;
	struct vs_cli_args a;
	int ind, ret;

	vs_cli_args_init(&a, "pslist", true);
	ind = vs_cli_parse(&a, argc, argv, "", longopts, pslist_opt, &dump);
	if (a.help) {
		printf("%s%s", usage, vs_cli_monitor_help);
		vs_cli_args_free(&a);
		return VS_EXIT_OK;
	}
	if (ind < argc)
		vs_cli_error(&a, "pslist: unexpected argument '%s'", argv[ind]);
	if (!dump)
		vs_cli_error(&a, "pslist: --dump is required");
	ret = vs_cli_finish(&a, true);
	vs_cli_args_free(&a);
	return ret ? ret : vs_cli_not_implemented("pslist");
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_attach.c - `vmiscope attach`: monitor a QEMU that is already running
 * (under KVM too) through its gdbstub, optionally reading guest RAM from a
 * shared memory-backend file. Not implemented yet: the options are parsed
 * and validated, then the command exits 5.
 */
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

enum { OPT_GDB = VS_CLI_OPT_BASE, OPT_MEM_FILE };

struct attach_cfg {
	const char *gdb;
	const char *mem_file;
	unsigned long timeout;
};

static const char usage[] =
"Usage: vmiscope attach [OPTIONS] --gdb unix:PATH|tcp:HOST:PORT\n"
"                       [--mem-file PATH] [-t SECONDS]\n"
"\n"
"Monitor a running QEMU (TCG or KVM) through its gdbstub.\n"
"\n"
"  --gdb unix:PATH|tcp:HOST:PORT  the gdbstub to connect to\n"
"  --mem-file PATH             guest RAM as a shared memory-backend file\n"
"  -t, --timeout SECONDS       stop monitoring after SECONDS\n"
"\n";

static const struct option longopts[] = {
	{ "gdb", required_argument, NULL, OPT_GDB },
	{ "mem-file", required_argument, NULL, OPT_MEM_FILE },
	{ "timeout", required_argument, NULL, 't' },
	{ 0 },
};

/* unix:PATH or tcp:HOST:PORT with PORT 1..65535. */
static bool gdb_spec_ok(const char *s)
{
	const char *colon;
	unsigned long port;

	if (strncmp(s, "unix:", 5) == 0)
		return s[5] != '\0';
	if (strncmp(s, "tcp:", 4) != 0)
		return false;
	colon = strrchr(s + 4, ':');
	return colon && colon > s + 4 &&
	       vs_cli_uint(colon + 1, 1, 65535, &port) == 0;
}

static void attach_opt(struct vs_cli_args *a, int c, const char *arg,
		       void *ctx)
{
	struct attach_cfg *cfg = ctx;

	switch (c) {
	case OPT_GDB:
		if (!gdb_spec_ok(arg))
			vs_cli_error(a, "attach: --gdb '%s': expected unix:PATH or tcp:HOST:PORT",
				     arg);
		cfg->gdb = arg;
		break;
	case OPT_MEM_FILE:
		cfg->mem_file = arg;
		break;
	case 't':
		if (vs_cli_uint(arg, 1, 31536000, &cfg->timeout))
			vs_cli_error(a, "attach: -t '%s': expected whole seconds, at least 1",
				     arg);
		break;
	}
}

int vs_cmd_attach(int argc, char **argv)
{
	struct attach_cfg cfg = { 0 };
	struct vs_cli_args a;
	int ind, ret;

	vs_cli_args_init(&a, "attach", true);
	ind = vs_cli_parse(&a, argc, argv, "t:", longopts, attach_opt, &cfg);
	if (a.help) {
		printf("%s%s", usage, vs_cli_monitor_help);
		vs_cli_args_free(&a);
		return VS_EXIT_OK;
	}
	if (ind < argc)
		vs_cli_error(&a, "attach: unexpected argument '%s'", argv[ind]);
	if (!cfg.gdb)
		vs_cli_error(&a, "attach: --gdb is required");
	ret = vs_cli_finish(&a, true);
	vs_cli_args_free(&a);
	return ret ? ret : vs_cli_not_implemented("attach");
}

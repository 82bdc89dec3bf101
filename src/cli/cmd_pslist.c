// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_pslist.c - `vmiscope pslist --dump FILE`: the processes of a QEMU
 * dump-guest-memory ELF core, printed as RunningProcess events.
 *
 * The dump backend maps the file and the pipeline does the rest, exactly
 * as for a live guest: it opens the outputs, discovers the kernel from
 * memory alone (Linux: _text, kallsyms, BTF; or the -r profile) and starts
 * the plugins, whose running-process enumeration (procmon) prints one
 * RunningProcess event per task, swapper/0 first. So `pslist` prints what
 * the live monitor prints at its ready moment. stderr names the kernel
 * found, how, and the host CPU time the discovery took. Exit 1 when no
 * kernel is found, 4 when the pipeline says monitoring is incomplete.
 */
#include <errno.h>
#include <string.h>

#include "backend/backend.h"
#include "backend/dump/dump.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "common/log.h"
#include "pipeline/pipeline.h"

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

static void set_log_level(const struct vs_monitor_opts *mon)
{
	if (mon->verbose)
		vs_log_set_level(VS_LOG_DEBUG);
	else if (mon->quiet)
		vs_log_set_level(VS_LOG_WARN);
}

static int list_dump(const struct vs_monitor_opts *mon, const char *path)
{
	struct vs_pipeline *p = NULL;
	struct vs_backend *be = NULL;
	enum vs_pipeline_status st;
	char err[512] = "";
	int rc, ret = VS_EXIT_FAILURE;

	set_log_level(mon);
	rc = vs_pipeline_new(mon, &p, err, sizeof(err));
	if (rc < 0) {
		vs_cli_msg("pslist: %s", err);
		return VS_EXIT_FAILURE;
	}
	rc = vs_dump_open(path, &be);
	if (rc < 0) {
		vs_cli_msg("%s: %s", path, rc == -EPROTO ?
			   "not a QEMU dump-guest-memory ELF core" :
			   strerror(-rc));
		goto out;
	}
	/* The dump has one moment: discovery, plugins and their running-
	 * process enumeration all happen here, through vCPU 0's state. */
	st = vs_pipeline_start(p, be, 0);
	vs_pipeline_flush(p);
	if (st == VS_PIPELINE_FAILED)
		;   /* the pipeline said why */
	else if (vs_pipeline_stats(p)->output_errors)
		vs_cli_msg("some event lines could not be written");
	else
		ret = st == VS_PIPELINE_INCOMPLETE ? VS_EXIT_INCOMPLETE :
		      VS_EXIT_OK;
out:
	vs_pipeline_free(p);
	vs_backend_close(be);
	return ret;
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
	if (ret == 0)
		ret = list_dump(&a.mon, dump);
	vs_cli_args_free(&a);
	return ret;
}

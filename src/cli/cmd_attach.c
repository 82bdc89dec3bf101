// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_attach.c - `vmiscope attach`: monitor a QEMU that is already running
 * (TCG, or KVM by design) through its gdbstub, optionally reading guest
 * RAM from a shared memory-backend file.
 *
 * The gdb backend connects (QEMU pauses the VM for a new debugger), the
 * pipeline discovers the kernel through it and starts the plugins exactly
 * as `run` and `pslist` do: procmon prints the running processes and
 * places its hooks, which become breakpoints. Then the backend runs the
 * VM and serves hits until SIGINT/SIGTERM, -t or the end of the VM; on
 * the way out every breakpoint is removed and the stub detached, so the
 * VM keeps running, within the 5 s the contract allows (each request is
 * bounded by the client's timeouts). Exit: 0 after a signal, -t or the
 * guest powering off; 1 when the connection fails or breaks; 4 when
 * monitoring was incomplete.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "backend/backend.h"
#include "backend/gdb/gdb.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "common/log.h"
#include "pipeline/pipeline.h"

enum { OPT_GDB = VS_CLI_OPT_BASE, OPT_MEM_FILE, OPT_MEM_LAYOUT,
       OPT_BREAKPOINTS };

struct attach_cfg {
	const char *gdb;
	const char *mem_file;
	enum vs_gdb_layout layout;
	bool hw;
	unsigned long timeout;
};

static const char usage[] =
"Usage: vmiscope attach [OPTIONS] --gdb unix:PATH|tcp:HOST:PORT\n"
"                       [--mem-file PATH] [--mem-layout pc|q35]\n"
"                       [--breakpoints sw|hw] [-t SECONDS]\n"
"\n"
"Monitor a running QEMU (TCG or KVM) through its gdbstub.\n"
"\n"
"  --gdb unix:PATH|tcp:HOST:PORT  the gdbstub to connect to\n"
"  --mem-file PATH             guest RAM as a shared memory-backend file\n"
"                              (memory-backend-file,share=on); without it\n"
"                              memory is read through the gdbstub\n"
"  --mem-layout pc|q35         QEMU machine of the RAM file (default pc;\n"
"                              matters only above 2 GiB of RAM)\n"
"  --breakpoints sw|hw         software (default) or hardware breakpoints\n"
"                              (hw: 4 slots, entry hooks first)\n"
"  -t, --timeout SECONDS       stop monitoring after SECONDS, then detach\n"
"\n";

static const struct option longopts[] = {
	{ "gdb", required_argument, NULL, OPT_GDB },
	{ "mem-file", required_argument, NULL, OPT_MEM_FILE },
	{ "mem-layout", required_argument, NULL, OPT_MEM_LAYOUT },
	{ "breakpoints", required_argument, NULL, OPT_BREAKPOINTS },
	{ "timeout", required_argument, NULL, 't' },
	{ 0 },
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	stop_requested = 1;
}

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
	case OPT_MEM_LAYOUT:
		if (strcmp(arg, "pc") == 0)
			cfg->layout = VS_GDB_LAYOUT_PC;
		else if (strcmp(arg, "q35") == 0)
			cfg->layout = VS_GDB_LAYOUT_Q35;
		else
			vs_cli_error(a, "attach: --mem-layout '%s': expected pc or q35",
				     arg);
		break;
	case OPT_BREAKPOINTS:
		if (strcmp(arg, "sw") == 0 || strcmp(arg, "hw") == 0)
			cfg->hw = arg[0] == 'h';
		else
			vs_cli_error(a, "attach: --breakpoints '%s': expected sw or hw",
				     arg);
		break;
	case 't':
		if (vs_cli_uint(arg, 1, 31536000, &cfg->timeout))
			vs_cli_error(a, "attach: -t '%s': expected whole seconds, at least 1",
				     arg);
		break;
	}
}

static void tick(void *opaque)
{
	vs_pipeline_flush(opaque);
}

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static void report(struct vs_backend *be)
{
	struct vs_gdb_stats st;

	vs_gdb_get_stats(be, &st);
	vs_info("attach: %llu hits (%llu emulated step-overs, %llu single-steps, "
		"%llu lifted), %llu other stops, %llu packets sent, %.1f packets "
		"and %.2f ms host time per hit, %u breakpoints planted%s",
		(unsigned long long)st.hits, (unsigned long long)st.emulated,
		(unsigned long long)st.stepped, (unsigned long long)st.lifted,
		(unsigned long long)st.spurious, (unsigned long long)st.packets,
		st.hits ? (double)st.hit_packets / st.hits : 0.0,
		st.hits ? st.hit_us / 1000.0 / st.hits : 0.0, st.planted,
		st.no_slot ? ", some hooks got no hardware slot" : "");
}

/* Run until the end; returns the exit status. */
static int monitor(struct vs_pipeline *p, struct vs_backend *be,
		   const struct attach_cfg *cfg, enum vs_pipeline_status ps)
{
	int64_t deadline = cfg->timeout ?
		vs_gdb_now_ms() + (int64_t)cfg->timeout * 1000 : 0;
	enum vs_gdb_end end;
	int ret, rc;

	end = vs_gdb_run(be, &stop_requested, deadline, tick, p);
	vs_pipeline_flush(p);
	if (end == VS_GDB_END_LOST) {
		vs_cli_msg("attach: %s", vs_gdb_end_reason(be));
		return VS_EXIT_FAILURE;
	}
	if (end == VS_GDB_END_EXITED) {
		vs_info("attach: %s", vs_gdb_end_reason(be));
	} else {
		rc = vs_gdb_detach(be);
		if (rc < 0) {
			vs_cli_msg("attach: detach failed: %s", strerror(-rc));
			return VS_EXIT_FAILURE;
		}
		vs_info("attach: detached, breakpoints removed, the VM runs on");
	}
	ret = ps == VS_PIPELINE_INCOMPLETE ? VS_EXIT_INCOMPLETE : VS_EXIT_OK;
	if (vs_pipeline_stats(p)->output_errors) {
		vs_cli_msg("some event lines could not be written");
		ret = VS_EXIT_FAILURE;
	}
	return ret;
}

static int attach(const struct vs_monitor_opts *mon,
		  const struct attach_cfg *cfg)
{
	struct vs_gdb_opts go = {
		.spec = cfg->gdb, .mem_file = cfg->mem_file,
		.layout = cfg->layout, .hw_breakpoints = cfg->hw,
	};
	struct vs_pipeline *p = NULL;
	struct vs_backend *be = NULL;
	enum vs_pipeline_status ps;
	char err[512] = "";
	int ret = VS_EXIT_FAILURE;

	if (mon->verbose)
		vs_log_set_level(VS_LOG_DEBUG);
	else if (mon->quiet)
		vs_log_set_level(VS_LOG_WARN);
	if (vs_pipeline_new(mon, &p, err, sizeof(err)) < 0) {
		vs_cli_msg("attach: %s", err);
		return VS_EXIT_FAILURE;
	}
	install_signals();
	if (vs_gdb_open(&go, &be, err, sizeof(err)) < 0) {
		vs_cli_msg("attach: %s", err);
		goto out;
	}
	vs_info("attach: connected to %s, %u vCPUs, VM paused; memory %s",
		cfg->gdb, vs_backend_vcpu_count(be), cfg->mem_file ?
		cfg->mem_file : "through the gdbstub");
	ps = vs_pipeline_start(p, be, vs_gdb_boot_vcpu(be));
	vs_pipeline_flush(p);
	if (ps == VS_PIPELINE_FAILED) {
		vs_cli_msg("attach: %s", vs_pipeline_status_reason(p));
		vs_gdb_detach(be);
		goto out;
	}
	ret = monitor(p, be, cfg, ps);
	report(be);
	vs_pipeline_report_stats(p);
out:
	vs_pipeline_free(p);
	vs_backend_close(be);
	return ret;
}

int vs_cmd_attach(int argc, char **argv)
{
	struct attach_cfg cfg = { .layout = VS_GDB_LAYOUT_PC };
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
	if (ret == 0)
		ret = attach(&a.mon, &cfg);
	vs_cli_args_free(&a);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * entry.c - libvmiscope-qemu.so, the QEMU TCG plugin entry point.
 *
 * qemu_plugin_install() refuses a QEMU older than plugin API 4 or lacking
 * an API function, parses every `-plugin lib.so,key=value` argument
 * strictly (args.c for the plugin's own keys, vs_monitor_opts_set() for the
 * monitoring options: a bad one makes QEMU refuse to start), opens the
 * backend (qemu.c) and the pipeline (which opens the event outputs:
 * events_fd=N, default 1, and every output=FORMAT:FILE), and starts a
 * thread that flushes the outputs every 100 ms (and reports statistics
 * every --stats-interval seconds). At the ready moment
 * (ready=kernel|user, qemu.h) the pipeline discovers the guest OS and
 * starts the monitoring plugins on that vCPU; its status goes to the status
 * file. At QEMU's exit the outputs are flushed, statistics reported, the
 * status file written and the backend's counters logged. Diagnostics go to
 * stderr as one "vmiscope: ..." write per line. Nothing here aborts or
 * exits on anything the guest does.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "backend/backend.h"
#include "common/log.h"
#include "pipeline/options.h"
#include "pipeline/pipeline.h"
#include "args.h"
#include "debughook.h"
#include "qemu-api.h"
#include "qemu.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = VS_QEMU_PLUGIN_VERSION;

#define FLUSH_INTERVAL_US (100 * 1000)

static struct {
	struct vs_monitor_opts opts;
	struct vs_qemu_args args;
	struct vs_backend *be;
	struct vs_pipeline *pipe;
	GMutex lock;              /* stop flag and cond of the flusher */
	GCond cond;
	bool stop;
	GThread *flusher;
} plug;

static int set_monitor_opt(void *ctx, const char *key, const char *value,
			   char *err, size_t errlen)
{
	return vs_monitor_opts_set(ctx, key, value, err, errlen);
}

/* Flush every 100 ms; with --stats-interval S also report the statistics
 * every S seconds (after a flush, so the counts never run far ahead of
 * the lines written). The final report is at_exit()'s. */
static gpointer flusher_main(gpointer unused)
{
	gint64 every = (gint64)plug.opts.stats_interval * G_USEC_PER_SEC;
	gint64 next_stats = g_get_monotonic_time() + every;

	g_mutex_lock(&plug.lock);
	while (!plug.stop) {
		gint64 until = g_get_monotonic_time() + FLUSH_INTERVAL_US;
		bool stats;

		g_cond_wait_until(&plug.cond, &plug.lock, until);
		stats = every && !plug.stop &&
			g_get_monotonic_time() >= next_stats;
		g_mutex_unlock(&plug.lock);
		vs_pipeline_flush(plug.pipe);
		if (stats) {
			vs_pipeline_report_stats(plug.pipe);
			next_stats += every;
		}
		g_mutex_lock(&plug.lock);
	}
	g_mutex_unlock(&plug.lock);
	return NULL;
}

static void at_exit(qemu_plugin_id_t id, void *unused)
{
	struct vs_qemu_stats st;

	g_mutex_lock(&plug.lock);
	plug.stop = true;
	g_cond_signal(&plug.cond);
	g_mutex_unlock(&plug.lock);
	if (plug.flusher)
		g_thread_join(plug.flusher);
	plug.flusher = NULL;
	/* vCPUs may still emit: flush, never close under them. */
	vs_pipeline_flush(plug.pipe);
	vs_qemu_get_stats(plug.be, &st);
	vs_stats_add(&vs_pipeline_stats(plug.pipe)->translation_flushes,
		     st.flushes);
	vs_pipeline_report_stats(plug.pipe);
	vs_qemu_status_write();
	vs_debug("qemu: %llu hook hits, %llu failed reads, %llu late hooks, "
		 "%llu translation flushes, %llu blocks translated",
		 (unsigned long long)st.hook_hits,
		 (unsigned long long)st.reads_failed,
		 (unsigned long long)st.late_hooks,
		 (unsigned long long)st.flushes,
		 (unsigned long long)st.translations);
	vs_debug("qemu: direct RAM %s: direct_reads %llu, direct_fallbacks "
		 "%llu, direct_checks %llu, direct_mismatches %llu",
		 st.direct ? "on" : "off",
		 (unsigned long long)st.direct_reads,
		 (unsigned long long)st.direct_fallbacks,
		 (unsigned long long)st.direct_checks,
		 (unsigned long long)st.direct_mismatches);
}

/* The ready moment (qemu.h): discover the OS and start the plugins from
 * this vCPU, before the hooked kernel code is first translated. */
static void on_ready(struct vs_backend *be, unsigned vcpu, void *opaque)
{
	enum vs_pipeline_status st;

	vs_debug("qemu: ready on vCPU %u (%s)", vcpu,
		 plug.args.ready == VS_QEMU_READY_USER ? "user" : "kernel");
	st = vs_pipeline_start(plug.pipe, be, vcpu);
	if (st == VS_PIPELINE_INCOMPLETE)
		vs_qemu_status_raise(VS_QEMU_STATUS_INCOMPLETE,
				     vs_pipeline_status_reason(plug.pipe));
	else if (st != VS_PIPELINE_OK)
		vs_qemu_status_raise(VS_QEMU_STATUS_FAILED,
				     vs_pipeline_status_reason(plug.pipe));
}

static int check_qemu(const qemu_info_t *info)
{
	const char *missing = vs_qemu_api_missing();

	if (info->version.cur < VS_QEMU_PLUGIN_VERSION) {
		vs_err("QEMU plugin API version %d is too old: vmiscope needs "
		       "version %d (QEMU >= 9.2; on Debian 12 install "
		       "qemu-system-x86 from bookworm-backports)",
		       info->version.cur, VS_QEMU_PLUGIN_VERSION);
		return -1;
	}
	if (missing) {
		vs_err("this QEMU does not export %s (plugin API >= %d needed)",
		       missing, VS_QEMU_PLUGIN_VERSION);
		return -1;
	}
	if (!info->system_emulation ||
	    g_strcmp0(info->target_name, "x86_64") != 0) {
		vs_err("the vmiscope plugin needs qemu-system-x86_64 (got %s%s)",
		       info->target_name ? info->target_name : "?",
		       info->system_emulation ? "" : " user mode");
		return -1;
	}
	return 0;
}

static int parse_args(int argc, char **argv)
{
	char err[512] = "";
	int ret;

	vs_monitor_opts_init(&plug.opts);
	vs_qemu_args_init(&plug.args);
	ret = vs_qemu_args_parse(&plug.args, argc, argv, set_monitor_opt,
				 &plug.opts, err, sizeof(err));
	if (!ret)
		ret = vs_monitor_opts_check(&plug.opts, err, sizeof(err));
	if (ret < 0) {
		vs_err("%s", err);
		return -1;
	}
	if (plug.opts.verbose)
		vs_log_set_level(VS_LOG_DEBUG);
	else if (plug.opts.quiet)
		vs_log_set_level(VS_LOG_WARN);
	return 0;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	char err[512] = "";
	int ret;

	if (check_qemu(info) < 0 || parse_args(argc, argv) < 0)
		return -1;
	vs_qemu_status_set_file(plug.opts.status_file);

	ret = vs_qemu_backend_open(id, info, plug.args.ready, &plug.be);
	if (ret < 0) {
		vs_err("cannot start the QEMU backend: %s", strerror(-ret));
		return -1;
	}
	vs_qemu_set_direct_ram(plug.be, plug.args.direct_ram != 0);
	vs_qemu_set_hooks_only(plug.be, plug.args.hooks_only != 0);
	vs_qemu_set_direct_skew(plug.be, plug.args.debug_direct_skew);
	if (plug.args.debug_direct_skew)
		vs_warn("debug_direct_skew=%llu: direct RAM reads are corrupted "
			"on purpose after that many (a test aid)",
			(unsigned long long)plug.args.debug_direct_skew);
	if (plug.args.hooks_only)
		vs_warn("hooks_only=on: hooks are called but do nothing; no "
			"events after the start (a benchmark aid)");
	if (vs_pipeline_new(&plug.opts, &plug.pipe, err, sizeof(err)) < 0) {
		vs_err("%s", err);
		return -1;
	}
	if (plug.args.self_clock[0]) {
		ret = vs_qemu_selfclock_open(plug.be, plug.args.self_clock);
		if (ret < 0) {
			vs_err("cannot open self_clock=%s: %s",
			       plug.args.self_clock, strerror(-ret));
			return -1;
		}
	}
	ret = vs_qemu_debug_hooks_add(plug.be, plug.args.debug_hooks,
				      plug.args.ndebug_hooks,
				      plug.args.debug_late_hook);
	if (ret < 0) {
		vs_err("cannot place debug hooks: %s", strerror(-ret));
		return -1;
	}
	vs_qemu_set_ready_cb(plug.be, on_ready, NULL);

	g_mutex_init(&plug.lock);
	g_cond_init(&plug.cond);
	plug.flusher = g_thread_new("vmiscope-flush", flusher_main, NULL);
	vs_qemu_set_atexit_cb(plug.be, at_exit, NULL);
	vs_debug("plugin loaded: QEMU plugin API %d, %d vCPU(s), ready=%s",
		 info->version.cur, info->system.smp_vcpus,
		 plug.args.ready == VS_QEMU_READY_USER ? "user" : "kernel");
	return 0;
}

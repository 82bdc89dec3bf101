// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * procmon.c - the procmon plugin: process start, exit, clone, signal and
 * handle-open events (seed: ../shared/seed). This is the OS-neutral part:
 * registration, and the start-up enumeration the seed asks for ("On
 * initialization, the plugin enumerates all currently running processes")
 * as one RunningProcess event per process (reference §2.A.9, §3.5). The
 * per-OS hooks live in linux.c and windows.c.
 */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "backend/backend.h"
#include "common/event.h"
#include "common/log.h"
#include "common/stats.h"
#include "os/os.h"
#include "plugins/plugin.h"
#include "plugins/procmon/windows.h"

#define PROCMON "procmon"
#define RUNNING "RunningProcess"

struct running_walk {
	struct vs_plugin_ctx *ctx;
	struct vs_event ev;   /* large: lives in the heap-allocated walk */
	size_t count;
};

static int emit_running(const struct vs_proc *proc, void *opaque)
{
	struct running_walk *w = opaque;
	struct vs_event *ev = &w->ev;

	vs_event_init(ev, VS_EV_RUNNING, w->ctx->os->ops->os, PROCMON, RUNNING);
	ev->time_us = vs_backend_clock_us(w->ctx->be);
	ev->pid = proc->pid;
	ev->ppid = proc->ppid;
	ev->tid = proc->tid;
	vs_event_str(ev, RUNNING, VS_FT_QSTR, proc->name, proc->name_len);
	vs_event_num(ev, "Bitness", proc->bitness);
	if (proc->name_truncated)
		vs_field_ext(vs_event_cstr(ev, "Truncated", VS_FT_QSTR, RUNNING));
	if (proc->unreadable & (VS_PROC_U_PATH | VS_PROC_U_PPID))
		vs_field_ext(vs_event_cstr(ev, "Unreadable", VS_FT_QSTR,
			(proc->unreadable & VS_PROC_U_PATH) ? RUNNING : "PPID"));
	w->ctx->emit(w->ctx->emit_opaque, ev);
	w->count++;
	return 0;
}

static int procmon_start(struct vs_plugin_ctx *ctx)
{
	struct running_walk *w = g_new0(struct running_walk, 1);
	int ret;

	vs_stats_register_type(ctx->stats, RUNNING);
	w->ctx = ctx;
	ret = vs_os_proc_foreach(ctx->os, emit_running, w);
	if (ret < 0)
		vs_warn("procmon: process list incomplete after %zu processes: %s",
			w->count, strerror(-ret));
	else
		vs_info("procmon: %zu running processes", w->count);
	g_free(w);
	if (ctx->os->ops->os == VS_OS_WINDOWS)  /* windows.c: the eight hooks */
		return vs_procmon_win_start(ctx);
	/* The live hooks arrive with the per-OS halves (Linux: issue 4). */
	vs_warn("procmon: live events for this OS are not implemented yet; "
		"only the running-process list is shown");
	return 0;
}

static void procmon_stop(struct vs_plugin_ctx *ctx)
{
	vs_procmon_win_stop(ctx);  /* no-op unless the OS is Windows */
}

const struct vs_plugin_ops vs_procmon_plugin_ops = {
	.name = PROCMON,
	.summary = "process start, exit, clone/fork, signals, handle opens",
	.start = procmon_start,
	.stop = procmon_stop,
};

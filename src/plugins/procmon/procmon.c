// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * procmon.c - the procmon plugin: process start, exit, clone, signal and
 * handle-open events (seed: ../shared/seed). This is the OS-neutral part:
 * registration, and the start-up enumeration the seed asks for ("On
 * initialization, the plugin enumerates all currently running processes")
 * as one RunningProcess event per process (reference §2.A.9, §3.5),
 * printed before the live hooks are armed, so the list and the live events
 * form one stream. The Linux hooks live in linux.c and lx_*.c.
 */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "backend/backend.h"
#include "common/event.h"
#include "common/log.h"
#include "common/stats.h"
#include "linux_priv.h"
#include "os/os.h"
#include "plugins/plugin.h"
#include "plugins/procmon/windows.h"

#define PROCMON "procmon"
#define RUNNING "RunningProcess"

struct running_walk {
	struct vs_plugin_ctx *ctx;
	bool keys;            /* ProcessKey, ParentProcessKey, Unreadable */
	struct vs_event ev;   /* large: lives in the heap-allocated walk */
	size_t count;
};

static int emit_running(const struct vs_proc *proc, void *opaque)
{
	struct running_walk *w = opaque;
	struct vs_event *ev = &w->ev;
	struct vs_bytes bad[4];
	size_t nbad = 0;

	vs_event_init(ev, VS_EV_RUNNING, w->ctx->os->ops->os, PROCMON, RUNNING);
	ev->time_us = vs_backend_clock_us(w->ctx->be);
	ev->pid = proc->pid;
	ev->ppid = proc->ppid;
	ev->tid = proc->tid;
	vs_event_str(ev, RUNNING, VS_FT_QSTR, proc->name, proc->name_len);
	vs_event_num(ev, "Bitness", proc->bitness);
	if (w->keys) {
		if (proc->unreadable & VS_PROC_U_PATH)
			bad[nbad++] = (struct vs_bytes){ RUNNING, strlen(RUNNING) };
		if (proc->unreadable & VS_PROC_U_PPID)
			bad[nbad++] = (struct vs_bytes){ "PPID", 4 };
		if (w->ctx->os->ops->os == VS_OS_WINDOWS)
			vs_procmon_win_running_keys(w->ctx, proc, ev, bad, &nbad);
		else
			vs_procmon_linux_running_keys(w->ctx, proc, ev);
		if (nbad)
			vs_field_ext(vs_event_strv(ev, "Unreadable", bad, nbad));
		else
			vs_field_ext(vs_event_absent(ev, "Unreadable", VS_FT_STRV));
	}
	w->ctx->emit(w->ctx->emit_opaque, ev);
	w->count++;
	return 0;
}

static void enumerate(struct vs_plugin_ctx *ctx, bool keys)
{
	struct running_walk *w = g_new0(struct running_walk, 1);
	int ret;

	w->ctx = ctx;
	w->keys = keys;
	ret = vs_os_proc_foreach(ctx->os, emit_running, w);
	if (ret < 0)
		vs_warn("procmon: process list incomplete after %zu processes: %s",
			w->count, strerror(-ret));
	else
		vs_info("procmon: %zu running processes", w->count);
	g_free(w);
}

static int procmon_start(struct vs_plugin_ctx *ctx)
{
	int ret;

	vs_stats_register_type(ctx->stats, RUNNING);
	if (ctx->os->ops->os == VS_OS_WINDOWS) {  /* windows.c: the 8 hooks */
		ret = vs_procmon_win_start(ctx);
		if (ret < 0)
			return ret;
		enumerate(ctx, true);
		vs_procmon_win_arm(ctx);
		return 0;
	}
	if (ctx->os->ops->os != VS_OS_LINUX) {
		enumerate(ctx, false);
		vs_warn("procmon: live events for this OS are not implemented "
			"yet; only the running-process list is shown");
		return 0;
	}
	ret = vs_procmon_linux_start(ctx);
	if (ret < 0) {
		vs_procmon_linux_stop(ctx);
		return ret;
	}
	enumerate(ctx, true);
	if (!vs_backend_has(ctx->be, VS_CAP_HOOKS)) {  /* a dump: pslist */
		vs_info("procmon: this backend cannot hook: running processes only");
		return 0;
	}
	vs_procmon_linux_arm(ctx);
	return 0;
}

static void procmon_stop(struct vs_plugin_ctx *ctx)
{
	if (ctx->os && ctx->os->ops->os == VS_OS_LINUX)
		vs_procmon_linux_stop(ctx);
	vs_procmon_win_stop(ctx);  /* no-op unless the OS is Windows */
}

const struct vs_plugin_ops vs_procmon_plugin_ops = {
	.name = PROCMON,
	.summary = "process start, exit, clone/fork, signals, handle opens",
	.start = procmon_start,
	.stop = procmon_stop,
};

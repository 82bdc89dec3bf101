// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pipeline.c - wires backend, OS layer, plugins and outputs (pipeline.h).
 *
 * vs_pipeline_new() opens the outputs (the default stream is the
 * events_fd the entry point was given), vs_pipeline_start() discovers the
 * OS on the backend and starts each selected plugin with an emit function
 * that fans events out to every output and counts them.
 */
#include "pipeline.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backend/backend.h"
#include "common/log.h"
#include "os/os.h"
#include "output/output.h"
#include "plugins/plugin.h"

struct vs_pipeline {
	const struct vs_monitor_opts *opts;
	struct vs_output_set outs;
	struct vs_stats stats;
	struct vs_os_inst *os;
	const struct vs_plugin_ops *plugins[VS_MAX_PLUGINS];
	struct vs_plugin_ctx ctx[VS_MAX_PLUGINS];
	size_t nplugins;
	size_t started;
	enum vs_pipeline_status status;
	char reason[512];
};

static void set_status(struct vs_pipeline *p, enum vs_pipeline_status st,
		       const char *reason)
{
	if (st <= p->status)
		return;
	p->status = st;
	snprintf(p->reason, sizeof(p->reason), "%s", reason);
}

static int open_outputs(struct vs_pipeline *p, char *err, size_t errlen)
{
	const struct vs_monitor_opts *o = p->opts;
	struct vs_format_opts fo = {
		.extended = o->extended,
		.drakvuf_compat = o->drakvuf_compat,
	};
	struct vs_output_spec deflt = { .format = o->format, .path = NULL };
	const struct vs_output_spec *specs = o->noutputs ? o->outputs : &deflt;
	size_t n = o->noutputs ? o->noutputs : 1;

	for (size_t i = 0; i < n; i++) {
		struct vs_output *out = NULL;
		int ret = specs[i].path ?
			vs_output_open_path(specs[i].format, &fo, specs[i].path, &out) :
			vs_output_open_fd(specs[i].format, &fo, o->events_fd, &out);

		if (ret < 0) {
			snprintf(err, errlen, "cannot open output %s: %s",
				 specs[i].path ? specs[i].path : "(standard output)",
				 strerror(-ret));
			return ret;
		}
		if (vs_output_set_add(&p->outs, out) < 0) {
			vs_output_close(out);
			snprintf(err, errlen, "too many outputs");
			return -E2BIG;
		}
	}
	return 0;
}

static int select_plugins(struct vs_pipeline *p, char *err, size_t errlen)
{
	const struct vs_monitor_opts *o = p->opts;

	if (o->nplugins == 0) {
		const struct vs_plugin_ops *const *all = vs_plugin_list();

		for (size_t i = 0; all[i] && p->nplugins < VS_MAX_PLUGINS; i++)
			p->plugins[p->nplugins++] = all[i];
		return 0;
	}
	for (size_t i = 0; i < o->nplugins; i++) {
		const struct vs_plugin_ops *ops = vs_plugin_find(o->plugins[i]);

		if (!ops) {
			snprintf(err, errlen, vs_plugin_is_known(o->plugins[i]) ?
				 "plugin '%s' is not compiled in (-Dplugin-%s=false)" :
				 "unknown plugin '%s'%.0s", o->plugins[i], o->plugins[i]);
			return -ENOENT;
		}
		p->plugins[p->nplugins++] = ops;
	}
	return 0;
}

int vs_pipeline_new(const struct vs_monitor_opts *opts,
		    struct vs_pipeline **out, char *err, size_t errlen)
{
	struct vs_pipeline *p = g_new0(struct vs_pipeline, 1);
	int ret;

	p->opts = opts;
	vs_output_set_init(&p->outs);
	vs_stats_init(&p->stats);
	ret = select_plugins(p, err, errlen);
	if (ret == 0)
		ret = open_outputs(p, err, errlen);
	if (ret < 0) {
		vs_pipeline_free(p);
		return ret;
	}
	*out = p;
	return 0;
}

static void emit(void *opaque, const struct vs_event *ev)
{
	struct vs_pipeline *p = opaque;

	vs_stats_count_event(&p->stats, ev->type);
	if (vs_output_set_emit(&p->outs, ev) < 0)
		vs_stats_add(&p->stats.output_errors, 1);
}

void vs_pipeline_emit(struct vs_pipeline *p, const struct vs_event *ev)
{
	emit(p, ev);
}

static void log_os(struct vs_os_inst *os)
{
	struct vs_os_info info;

	if (vs_os_info(os, &info) < 0)
		return;
	vs_info("found %s by %s in %.0f ms wall, %.0f ms CPU (kernel base "
		"%#llx, %zu symbols, %zu types)",
		info.version[0] ? info.version : os->ops->name, info.method,
		info.discovery_wall_ms, info.discovery_cpu_ms,
		(unsigned long long)info.kernel_base, info.nsymbols,
		info.ntypes);
}

enum vs_pipeline_status vs_pipeline_start(struct vs_pipeline *p,
					  struct vs_backend *be,
					  unsigned vcpu)
{
	struct vs_os_opts oo = { .vcpu = vcpu, .profile = p->opts->json_kernel };
	char msg[512];
	int ret;

	ret = vs_os_open(be, NULL, &oo, &p->os);
	if (ret == -ENODATA) {
		/* The kernel was found but lacks an essential symbol or
		 * member (the OS layer named it): contract §3, exit 4. */
		snprintf(msg, sizeof(msg), "guest kernel found, but an "
			 "essential symbol or member is missing");
		vs_err("%s: nothing is monitored", msg);
		set_status(p, VS_PIPELINE_INCOMPLETE, msg);
		return p->status;
	}
	if (ret < 0) {
		snprintf(msg, sizeof(msg), "guest OS not recognised: %s",
			 ret == -ENOENT ? "no supported kernel found in guest "
			 "memory" : strerror(-ret));
		vs_err("%s", msg);
		set_status(p, VS_PIPELINE_FAILED, msg);
		return p->status;
	}
	log_os(p->os);
	for (size_t i = 0; i < p->nplugins; i++) {
		struct vs_plugin_ctx *c = &p->ctx[i];

		*c = (struct vs_plugin_ctx){
			.be = be, .os = p->os, .opts = p->opts,
			.stats = &p->stats, .emit = emit, .emit_opaque = p,
		};
		ret = p->plugins[i]->start(c);
		p->started = i + 1;
		if (ret < 0) {
			snprintf(msg, sizeof(msg), "plugin %s failed to start: %s",
				 p->plugins[i]->name, strerror(-ret));
			vs_err("%s", msg);
			set_status(p, VS_PIPELINE_INCOMPLETE, msg);
		} else if (c->incomplete) {
			snprintf(msg, sizeof(msg), "plugin %s: %s",
				 p->plugins[i]->name, c->incomplete_reason);
			vs_warn("monitoring incomplete: %s", msg);
			set_status(p, VS_PIPELINE_INCOMPLETE, msg);
		}
	}
	vs_pipeline_flush(p);
	return p->status;
}

void vs_pipeline_flush(struct vs_pipeline *p)
{
	if (vs_output_set_flush(&p->outs) < 0)
		vs_stats_add(&p->stats.output_errors, 1);
}

struct vs_stats *vs_pipeline_stats(struct vs_pipeline *p)
{
	return &p->stats;
}

void vs_pipeline_report_stats(struct vs_pipeline *p)
{
	GString *js = g_string_new(NULL);
	const char *path = p->opts->stats_output;

	vs_stats_to_json(&p->stats, js);
	if (path) {
		g_string_append_c(js, '\n');
		if (!g_file_set_contents(path, js->str, (gssize)js->len, NULL))
			vs_warn("cannot write statistics to %s", path);
	} else if (!p->opts->quiet) {
		vs_info("stats %s", js->str);
	}
	g_string_free(js, TRUE);
}

enum vs_pipeline_status vs_pipeline_status(const struct vs_pipeline *p)
{
	return p->status;
}

const char *vs_pipeline_status_reason(const struct vs_pipeline *p)
{
	return p->reason;
}

void vs_pipeline_free(struct vs_pipeline *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->started; i++)
		if (p->plugins[i]->stop)
			p->plugins[i]->stop(&p->ctx[i]);
	vs_os_close(p->os);
	vs_output_set_close(&p->outs);
	g_free(p);
}

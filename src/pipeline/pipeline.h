/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pipeline.h - the only code that wires backend, OS layer, plugins and
 * outputs together.
 *
 * An entry point (the QEMU plugin, `pslist`, later `attach`) builds a
 * pipeline from the monitoring options, hands it a backend, and calls
 * vs_pipeline_start() once the guest is ready (on a vCPU thread for live
 * backends). The pipeline opens the outputs, loads the procmon environment
 * filter, starts the selected plugins, and routes every event they emit to
 * every output while counting it. Its status says whether monitoring is
 * complete (contract §3: exit 4 when a hook or member could not be
 * resolved).
 */
#ifndef VS_PIPELINE_PIPELINE_H
#define VS_PIPELINE_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>

#include "common/event.h"
#include "common/stats.h"
#include "pipeline/options.h"

struct vs_backend;
struct vs_pipeline;

enum vs_pipeline_status {
	VS_PIPELINE_OK = 0,
	VS_PIPELINE_INCOMPLETE,   /* running, but some hook/member is missing */
	VS_PIPELINE_FAILED,       /* nothing is monitored */
};

/**
 * vs_pipeline_new() - open outputs and check plugin settings.
 * Nothing guest-related happens here; errors are configuration errors
 * (bad output path, bad filter file): -errno with @err set.
 */
int vs_pipeline_new(const struct vs_monitor_opts *opts,
		    struct vs_pipeline **out, char *err, size_t errlen);

/**
 * vs_pipeline_start() - detect the guest OS through @be and start plugins.
 * @vcpu: the vCPU whose context reads go through (live backends).
 * Returns the resulting status; the reasons are logged.
 */
enum vs_pipeline_status vs_pipeline_start(struct vs_pipeline *p,
					  struct vs_backend *be,
					  unsigned vcpu);

/* Route one event to every output (any thread). */
void vs_pipeline_emit(struct vs_pipeline *p, const struct vs_event *ev);

void vs_pipeline_flush(struct vs_pipeline *p);
struct vs_stats *vs_pipeline_stats(struct vs_pipeline *p);
/* Log "stats {json}" to stderr or write it to --stats-output. */
void vs_pipeline_report_stats(struct vs_pipeline *p);
enum vs_pipeline_status vs_pipeline_status(const struct vs_pipeline *p);
const char *vs_pipeline_status_reason(const struct vs_pipeline *p);

/* Stop plugins, flush and close outputs, free. */
void vs_pipeline_free(struct vs_pipeline *p);

#endif /* VS_PIPELINE_PIPELINE_H */

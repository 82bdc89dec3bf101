// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * procmon.c - the procmon plugin: process start, exit, clone, signal and
 * handle-open events (seed: ../shared/seed). OS-neutral part: registration
 * and the choice of the per-OS half.
 */
#include <errno.h>

#include "plugins/plugin.h"

static int procmon_start(struct vs_plugin_ctx *ctx)
{
	(void)ctx;
	/* The per-OS halves arrive with the Linux and Windows OS layers. */
	return -ENOSYS;
}

const struct vs_plugin_ops vs_procmon_plugin_ops = {
	.name = "procmon",
	.summary = "process start, exit, clone/fork, signals, handle opens",
	.start = procmon_start,
};

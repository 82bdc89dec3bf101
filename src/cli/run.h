/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * run.h - what `run` starts, shared with `demo` (which boots the demo
 * guest with run's defaults). vs_run_launch() takes options that are
 * already validated, finds QEMU and the plugin, builds QEMU's command line
 * (contract §2) and supervises it (supervise.h).
 */
#ifndef VS_CLI_RUN_H
#define VS_CLI_RUN_H

#include <stdbool.h>

#include "pipeline/options.h"

#define VS_RUN_DEFAULT_MEMORY 512
#define VS_RUN_DEFAULT_SMP 1
#define VS_RUN_CMDLINE "console=ttyS0 panic=-1 quiet"

struct vs_run_opts {
	const char *kernel;
	const char *initrd;
	const char *append;          /* after VS_RUN_CMDLINE; NULL: none */
	const char *serial_log;      /* NULL: stderr */
	const char *qemu;            /* --qemu; NULL: from PATH */
	const char *qemu_plugin;     /* --qemu-plugin; NULL: search */
	unsigned long smp, memory;   /* 0: the defaults */
	unsigned long timeout;       /* -t seconds, 0: none */
	bool timeout_fails;          /* demo's safety timeout: exit 1 */
	int user_argc;               /* `run -- QEMU_COMMAND...` */
	char **user_argv;
};

/* Returns the exit status (commands.h); @mon gets events_fd/status_file. */
int vs_run_launch(const char *cmd, struct vs_monitor_opts *mon,
		  const struct vs_run_opts *r);

#endif /* VS_CLI_RUN_H */

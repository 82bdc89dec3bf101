/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options.h - the monitoring options, one definition for the CLI and the
 * QEMU plugin.
 *
 * Every monitoring option of the CLI also exists as a QEMU plugin argument
 * named after the long option with '_' for '-' (contract §2):
 *   --output-format json        output_format=json
 *   --output csv:/tmp/e.csv     output=csv:/tmp/e.csv   (repeatable)
 *   --procmon-filter-file F     procmon_filter_file=F   (alias procmon_envs_list)
 *   -a procmon                  plugin=procmon          (repeatable)
 *   -r PROFILE                  json_kernel=PROFILE
 *   --extended                  extended=on
 *   --drakvuf-compat            drakvuf_compat=on
 *   -v / --quiet                verbose=on / quiet=on
 *   --stats-interval S          stats_interval=S
 *   --stats-output F            stats_output=F
 *   (set by run only)           events_fd=N, status_file=PATH
 *
 * status_file is how the plugin tells `run` how monitoring went: `run`
 * creates an empty file and passes its path; the plugin rewrites it with a
 * first line "ok", "incomplete" (a hook or member could not be resolved;
 * the hooks that work are still placed: exit status 4, contract §3) or
 * "failed" (monitoring did not run: exit status 1), then free text naming
 * the reason. An empty file or any other first line counts as ok. The
 * plugin never creates the file (run removes it after QEMU exits).
 * Both entry points feed (key, value) pairs to vs_monitor_opts_set(), so a
 * value is validated the same way wherever it comes from, and the CLI turns
 * its parsed options back into plugin arguments with
 * vs_monitor_opts_to_plugin_args().
 */
#ifndef VS_PIPELINE_OPTIONS_H
#define VS_PIPELINE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "output/output.h"

#define VS_MAX_OUTPUTS 8
#define VS_MAX_PLUGINS 8

/*
 * --output FILE writes the --output-format format (format_set false: use
 * vs_monitor_opts.format); --output FORMAT:FILE names its own format, when
 * the text before the first ':' is a format name. FILE "-" is standard
 * output. Without --output, events go to standard output; with it, only to
 * the outputs listed.
 */
struct vs_output_spec {
	enum vs_format format;
	bool format_set;
	char *path;          /* NULL: standard output (or the fd passed by run) */
};

struct vs_monitor_opts {
	enum vs_format format;                 /* --output-format */
	bool format_set;
	struct vs_output_spec outputs[VS_MAX_OUTPUTS];
	size_t noutputs;                       /* --output, in order given */
	char *plugins[VS_MAX_PLUGINS];
	size_t nplugins;                       /* -a; none = all compiled in */
	char *filter_file;                     /* --procmon-filter-file */
	char *json_kernel;                     /* -r */
	bool extended;
	bool drakvuf_compat;
	bool verbose;
	bool quiet;
	unsigned stats_interval;               /* seconds, 0 = only at exit */
	char *stats_output;
	/* Where "standard output" is inside QEMU: `run` passes its own stdout
	 * as this fd (events_fd=N) so QEMU's stdout can be prefixed "qemu:". */
	int events_fd;                         /* default 1 */
	char *status_file;                     /* set by run only, see above */
};

void vs_monitor_opts_init(struct vs_monitor_opts *o);
void vs_monitor_opts_free(struct vs_monitor_opts *o);

/**
 * vs_monitor_opts_set() - apply one option by its plugin-argument name.
 * @key: "output_format", "output", "plugin", "procmon_filter_file", ...
 * @value: the value ("on"/"off"/"true"/"false" for booleans)
 * @err, @errlen: a sentence for the user on failure
 * Returns 0, -ENOENT for an unknown key, -EINVAL for a bad value, -E2BIG
 * when a repeatable option is given too often. A plugin name that this
 * build left out is -ENOTSUP with the contract §3 sentence in @err.
 */
int vs_monitor_opts_set(struct vs_monitor_opts *o, const char *key,
			const char *value, char *err, size_t errlen);

/* The format of output @i: its own, else --output-format. */
enum vs_format vs_monitor_opts_output_format(const struct vs_monitor_opts *o,
					     size_t i);

/**
 * vs_monitor_opts_check() - checks that need every option: the filter file
 * is readable and well formed, output paths can be created (nothing is
 * created), -r is readable, --verbose and --quiet are not both on, no two
 * outputs share a file. Run before any process starts. Returns 0 or
 * -EINVAL with @err set.
 */
int vs_monitor_opts_check(const struct vs_monitor_opts *o, char *err,
			  size_t errlen);

/**
 * vs_monitor_opts_to_plugin_args() - the same options as one
 * comma-separated QEMU plugin argument string (without the .so path),
 * e.g. "output_format=json,plugin=procmon". Only options that differ from
 * vs_monitor_opts_init() appear (events_fd only when not 1), so an
 * untouched struct gives "". Values holding ',' are refused (QEMU splits
 * -plugin on commas): returns NULL with @err set.
 * The caller frees the result with free().
 */
char *vs_monitor_opts_to_plugin_args(const struct vs_monitor_opts *o,
				     char *err, size_t errlen);

#endif /* VS_PIPELINE_OPTIONS_H */

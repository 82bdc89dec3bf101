// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * log.c - level filter and default sink for vs_log() (see log.h).
 */
#include "log.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void default_sink(enum vs_log_level level, const char *msg)
{
	char line[4096];
	const char *tag = level == VS_LOG_ERROR ? "error: " :
			  level == VS_LOG_WARN ? "warning: " : "";
	int n = snprintf(line, sizeof(line), "vmiscope: %s%s\n", tag, msg);

	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	/* One write per line: concurrent vCPU threads never interleave. */
	ssize_t r = write(STDERR_FILENO, line, (size_t)n);
	(void)r;
}

static vs_log_sink_fn sink = default_sink;
static enum vs_log_level max_level = VS_LOG_INFO;

void vs_log_set_sink(vs_log_sink_fn fn)
{
	sink = fn ? fn : default_sink;
}

void vs_log_set_level(enum vs_log_level level)
{
	max_level = level;
}

enum vs_log_level vs_log_get_level(void)
{
	return max_level;
}

void vs_logv(enum vs_log_level level, const char *fmt, va_list ap)
{
	char msg[3072];

	if (level > max_level)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	sink(level, msg);
}

void vs_log(enum vs_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vs_logv(level, fmt, ap);
	va_end(ap);
}

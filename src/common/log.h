/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.h - the one diagnostic sink of vmiscope.
 *
 * Library layers never write to stderr themselves: they call vs_log(), and
 * the entry point (the CLI or the QEMU plugin) decides where messages go by
 * installing a sink with vs_log_set_sink(), in the manner of
 * libbpf_set_print(). The default sink writes "vmiscope: <message>\n" to
 * stderr as one write(2), so lines of different threads never interleave.
 * Warnings and errors print by default; debug needs -v at run time.
 */
#ifndef VS_COMMON_LOG_H
#define VS_COMMON_LOG_H

#include <stdarg.h>

enum vs_log_level {
	VS_LOG_ERROR = 0,
	VS_LOG_WARN,
	VS_LOG_INFO,
	VS_LOG_DEBUG,
};

typedef void (*vs_log_sink_fn)(enum vs_log_level level, const char *msg);

void vs_log_set_sink(vs_log_sink_fn fn);
/* Messages above @level are discarded. Default: VS_LOG_INFO. */
void vs_log_set_level(enum vs_log_level level);
enum vs_log_level vs_log_get_level(void);

void vs_log(enum vs_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void vs_logv(enum vs_log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#define vs_err(...)   vs_log(VS_LOG_ERROR, __VA_ARGS__)
#define vs_warn(...)  vs_log(VS_LOG_WARN, __VA_ARGS__)
#define vs_info(...)  vs_log(VS_LOG_INFO, __VA_ARGS__)
#define vs_debug(...) vs_log(VS_LOG_DEBUG, __VA_ARGS__)

#endif /* VS_COMMON_LOG_H */

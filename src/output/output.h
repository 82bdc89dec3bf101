/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output.h - the output formats (default, csv, kv, json, ocsf) and the
 * sinks that write event lines to a file descriptor.
 *
 * vs_format_event() turns one struct vs_event into exactly one line of text
 * in DRAKVUF's layout for the chosen format (docs/events.md gives the exact
 * rules; docs/compat.md the differences from DRAKVUF). Every string is
 * escaped so that a guest can never end a line or forge a field.
 *
 * A struct vs_output is one sink: a format, options, a file descriptor and a
 * buffer. vs_output_emit() may be called from any thread at once (vCPU
 * callbacks run concurrently): a line is always written whole and lines
 * never interleave. The buffer is written out once more than 4 KiB are
 * pending, on vs_output_flush() (the caller flushes at least every 100 ms)
 * and on vs_output_close(); a terminal gets every line at once. A struct
 * vs_output_set fans one event out to several sinks (`--output FORMAT:FILE`
 * given more than once).
 */
#ifndef VS_OUTPUT_OUTPUT_H
#define VS_OUTPUT_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

struct vs_event;

/* Output formats; names as on the command line. */
enum vs_format {
	VS_FMT_DEFAULT = 0,
	VS_FMT_CSV,
	VS_FMT_KV,
	VS_FMT_JSON,
	VS_FMT_OCSF,
};

/* Parse a format name ("default", "csv", "kv", "json", "ocsf"); 0 or -EINVAL. */
int vs_format_parse(const char *name, enum vs_format *out);
const char *vs_format_name(enum vs_format fmt);

/* Options that change how lines look (zero = vmiscope's own rendering). */
struct vs_format_opts {
	bool extended;        /* --extended: extended fields in default/csv too */
	bool drakvuf_compat;  /* --drakvuf-compat: DRAKVUF's formatting bytes */
};

/**
 * vs_format_event() - append one event line, ending in "\n", to @line.
 * @fmt: the format
 * @o: options (NULL = all off)
 * @ev: the event; its strings may hold any bytes
 * @line: where the text goes (appended; left unchanged on error)
 * Any thread; no shared state. Returns 0 or -EINVAL for an unknown
 * format.
 */
int vs_format_event(enum vs_format fmt, const struct vs_format_opts *o,
		    const struct vs_event *ev, GString *line);

struct vs_output;

/**
 * vs_output_open_fd() - a sink writing to @fd, which stays the caller's
 * (vs_output_close() does not close it).
 * Returns 0 and sets *@out, or -EINVAL / -ENOMEM.
 */
int vs_output_open_fd(enum vs_format fmt, const struct vs_format_opts *o,
		      int fd, struct vs_output **out);

/**
 * vs_output_open_path() - a sink writing to the file @path, created or
 * truncated (mode 0666 minus umask); the sink owns the descriptor.
 * Returns 0 and sets *@out, or -errno from open(2), or -EINVAL.
 */
int vs_output_open_path(enum vs_format fmt, const struct vs_format_opts *o,
			const char *path, struct vs_output **out);

/**
 * vs_output_emit() - format @ev and queue the line; write the queue out if
 * more than 4 KiB are pending. Any thread, concurrently.
 * Returns 0, the vs_format_event() error, or -errno of a failed write (the
 * pending data is then dropped; the next lines are still attempted).
 */
int vs_output_emit(struct vs_output *out, const struct vs_event *ev);

/* Write out everything pending. Any thread. Returns 0 or -errno. */
int vs_output_flush(struct vs_output *out);

/* Flush, close the descriptor if the sink owns it, free. NULL is a no-op.
 * Returns 0 or the first -errno seen by flush or close. */
int vs_output_close(struct vs_output *out);

enum vs_format vs_output_format(const struct vs_output *out);

/* Several sinks fed with the same events. */
#define VS_OUTPUT_SET_MAX 8

struct vs_output_set {
	struct vs_output *outs[VS_OUTPUT_SET_MAX];
	size_t count;
};

void vs_output_set_init(struct vs_output_set *set);
/* Take ownership of @out. Returns 0 or -E2BIG (then @out is still yours). */
int vs_output_set_add(struct vs_output_set *set, struct vs_output *out);
/* Emit to every sink; returns 0 or the first error (all sinks are tried). */
int vs_output_set_emit(struct vs_output_set *set, const struct vs_event *ev);
int vs_output_set_flush(struct vs_output_set *set);
/* Close every sink and empty the set; returns 0 or the first error. */
int vs_output_set_close(struct vs_output_set *set);

#endif /* VS_OUTPUT_OUTPUT_H */

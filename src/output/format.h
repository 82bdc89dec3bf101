/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * format.h - what the four formatters share (internal to src/output/).
 *
 * output.c fills a struct vs_fmt for one event: the options, the line to
 * append to, and the fields to print in print order (seed fields first,
 * then the extended fields the options let through). Each format file
 * (default.c, csv.c, kv.c, json.c) then writes its header and walks that
 * list. render.c holds the value rules the formats have in common: the
 * --drakvuf-compat transforms of string values, numbers, hex, the quoted
 * strings of default/csv/kv and the NewState pair elements.
 */
#ifndef VS_OUTPUT_FORMAT_H
#define VS_OUTPUT_FORMAT_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "common/event.h"
#include "output/output.h"

struct vs_fmt {
	enum vs_format fmt;
	struct vs_format_opts o;
	const struct vs_event *ev;
	GString *line;
	GString *tmp;                 /* compat scratch, NULL until used */
	const struct vs_field *order[VS_EVENT_MAX_FIELDS];
	size_t n;                     /* fields in print order (absent too) */
};

/* A string value after the --drakvuf-compat transforms. */
struct vs_str {
	const char *p;
	size_t n;
	bool verbatim;   /* already escaped (g_strescape): print as is */
};

/* Fill @f->order for @f->ev, @f->fmt and @f->o. */
void vs_fmt_select(struct vs_fmt *f);

static inline bool vs_fmt_compat(const struct vs_fmt *f)
{
	return f->o.drakvuf_compat;
}

static inline bool vs_fmt_running(const struct vs_fmt *f)
{
	return f->ev->kind == VS_EV_RUNNING;
}

/* "sec.usec" with a 6-digit usec. */
void vs_fmt_time(GString *s, uint64_t us);
/* Numbers exactly as "%" PRId64, "%" PRIu64 and "%" PRIx64 / PRIX64
 * print them, without printf: every event line carries several. */
void vs_fmt_i64(GString *s, int64_t v);
void vs_fmt_u64(GString *s, uint64_t v);
void vs_fmt_hex(GString *s, uint64_t v, bool upper);
/* The Method to print (compat name under --drakvuf-compat); "" if none. */
const char *vs_fmt_method(const struct vs_fmt *f);
/* The plugin name ("procmon" if unset). */
const char *vs_fmt_plugin(const struct vs_fmt *f);

/* The string value of @fld as the current options print it (valid until
 * the next call: it may live in @f->tmp). */
void vs_fmt_str(struct vs_fmt *f, const struct vs_field *fld,
		struct vs_str *out);
/* The value of a NUM field (Linux RunningProcess Bitness is 0 in compat). */
int64_t vs_fmt_num(const struct vs_fmt *f, const struct vs_field *fld);
/* True if an absent @fld leaves DRAKVUF's empty token in the default
 * format (Linux exec Environment under --drakvuf-compat). */
bool vs_fmt_gap(const struct vs_fmt *f, const struct vs_field *fld);
/* True if @fld is an empty R string, which kv omits under compat. */
bool vs_fmt_kv_omit(struct vs_fmt *f, const struct vs_field *fld);

/* A scalar, string or list value in default/csv/kv conventions (not
 * PAIRS): numbers bare, hex 0x-uppercase, strings quoted per docs. */
void vs_fmt_put_value(struct vs_fmt *f, const struct vs_field *fld);
/* The header process name, quoted, in default/csv conventions. */
void vs_fmt_put_name(struct vs_fmt *f, const struct vs_bytes *name);
/* One NewState pair element value in default/csv/kv (unquoted). */
void vs_fmt_put_pair_value(GString *s, const struct vs_pair *p);

int vs_fmt_default(struct vs_fmt *f);
int vs_fmt_csv(struct vs_fmt *f);
int vs_fmt_kv(struct vs_fmt *f);
int vs_fmt_json(struct vs_fmt *f);

#endif /* VS_OUTPUT_FORMAT_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * escape.h - every byte-level escaping rule of the output formats
 * (internal to src/output/). docs/events.md states the same rules for
 * people writing parsers.
 *
 * Each function appends the escaped form of @n bytes at @p to @s and never
 * writes a byte 0x00-0x1F or 0x7F itself, so no guest string can end a line.
 * None of them adds the surrounding quotes.
 */
#ifndef VS_OUTPUT_ESCAPE_H
#define VS_OUTPUT_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <glib.h>

#include "common/event.h"

/* g_string_append_len() without the library call when the bytes fit in
 * the allocation: a line is built from many short pieces. */
static inline void vs_put(GString *s, const char *p, size_t n)
{
	if (s->allocated_len - s->len > n) {
		memcpy(s->str + s->len, p, n);
		s->len += n;
		s->str[s->len] = '\0';
		return;
	}
	g_string_append_len(s, p, (gssize)n);
}

/* vs_put() of a string literal. */
#define VS_PUT_LIT(s, lit) vs_put((s), "" lit, sizeof(lit) - 1)

/* Backslash escaping: \\ \" \n \r \t, other C0 bytes and 0x7F as \xHH
 * (uppercase), bytes >= 0x80 as they are. Reversible. */
void vs_esc_c(GString *s, const char *p, size_t n);

/* DRAKVUF's raw quoted strings (--drakvuf-compat, default/csv, type Q):
 * backslash stays literal, '"' becomes \x22, \n \r \t, other C0 and 0x7F as
 * \xHH. The value then never holds a '"', so its end is the next '"'. */
void vs_esc_q_compat(GString *s, const char *p, size_t n);

/* JSON string body: \" \\ \n \r \t, other C0 and 0x7F as \u00xx
 * (lowercase), valid UTF-8 kept, each byte of an invalid sequence replaced
 * by U+FFFD. Returns true when a replacement happened. */
bool vs_esc_json(GString *s, const char *p, size_t n);

/* One element of an unquoted list (NewState pairs in default/csv/kv):
 * [A-Za-z0-9_.+-/@%] and bytes >= 0x80 as they are, backslash as \\,
 * \n \r \t, every other byte as \xHH. Holds no separator of any format. */
void vs_esc_elem(GString *s, const char *p, size_t n);

/* The body of a string list (Arguments, Truncated, ...) in default, csv and
 * kv: elements joined by one space; inside an element \\ \n \r \t, bytes
 * 0x00-0x20, '"' and 0x7F as \xHH; an empty element is written \"\". */
void vs_esc_strv(GString *s, const struct vs_bytes *items, size_t count);

/* GLib's g_strescape() on a byte string: \b \f \n \r \t \v \\ \" and every
 * other byte < 0x20 or >= 0x7F as a 3-digit octal \ooo (NUL too). */
void vs_esc_gstrescape(GString *s, const char *p, size_t n);

/* True when @n > 0 and every byte is in [A-Za-z0-9_.+-/@%]: such an R value
 * prints unquoted. */
bool vs_esc_raw_safe(const char *p, size_t n);

#endif /* VS_OUTPUT_ESCAPE_H */

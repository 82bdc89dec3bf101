/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lineparse.h - an independent reader of event lines, written from the
 * rules in docs/events.md (not from src/output/): a cursor over one line,
 * quoted and bare values, and the decoders of the escape forms. Used by
 * the hostile-string tests to prove lines split unambiguously and decode
 * back to the original bytes.
 */
#ifndef VS_TESTS_OUTPUT_LINEPARSE_H
#define VS_TESTS_OUTPUT_LINEPARSE_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

struct cursor {
	const char *p, *end;
	bool ok;
};

void cur_init(struct cursor *c, const char *s, size_t n);
/* Consume @s exactly, else mark the cursor failed. */
bool cur_lit(struct cursor *c, const char *s);
/* Bare text up to (not including) any byte of @stops or the end. */
void cur_bare(struct cursor *c, const char *stops, GString *out);
/* A quoted value. @raw_q: DRAKVUF-compat Q string, which ends at the next
 * '"'; otherwise a backslash escapes the next byte. @out gets the text
 * between the quotes, still escaped. */
bool cur_quoted(struct cursor *c, bool raw_q, GString *out);
/* Quoted if it starts with '"', else bare up to @stops. */
void cur_value(struct cursor *c, bool raw_q, const char *stops, GString *out,
	       bool *quoted);
bool cur_at_end(const struct cursor *c);

/* \\ \" \n \r \t \xHH; false on any other escape. */
bool decode_c(const char *s, size_t n, GString *out);
/* A string-list body: elements split on raw spaces, \"\" is an empty
 * element, else decode_c. Returns the element count, -1 on error. */
int decode_strv(const char *s, size_t n, GString **elems, int max);

#endif

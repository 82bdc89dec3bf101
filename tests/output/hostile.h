/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hostile.h - shared parts of the hostile-string test: one test case (a
 * fixture re-filled with a hostile string, a format, the options), the
 * documented field-selection rules, and the expectations each per-format
 * reader (hostile_formats.c) applies.
 */
#ifndef VS_TESTS_OUTPUT_HOSTILE_H
#define VS_TESTS_OUTPUT_HOSTILE_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

#include "common/event.h"
#include "output/output.h"

struct hostile {
	const char *name;
	const char *s;
	size_t n;
	const char *json;   /* the string a JSON reader gets; NULL: has NUL */
	bool lossy;
};

struct tcase {
	const struct hostile *h;
	struct vs_bytes hb;
	int fmt;
	struct vs_format_opts o;
	const struct vs_event *ev;
	char where[160];
};

size_t visible(const struct tcase *t, const struct vs_field **out);
bool is_str(const struct vs_field *f);
bool raw_q(const struct tcase *t, const struct vs_field *f);
void expect_bytes(const struct tcase *t, const char *what, const char *p,
		  size_t n, const struct vs_bytes *want);
void expect_decoded(const struct tcase *t, const char *what, GString *raw,
		    bool quoted, const struct vs_bytes *w);
void expect_strv(const struct tcase *t, GString *raw);
void expect_elem(const struct tcase *t, const char *p, size_t n, int i,
		 bool key);
void expect_pairs(const struct tcase *t, GString *raw, char kv_sep);

void check_default(const struct tcase *t, const char *s, size_t n);
void check_csv(const struct tcase *t, const char *s, size_t n);
void check_kv(const struct tcase *t, const char *s, size_t n);
void check_json(const struct tcase *t, const char *s, size_t n);

#endif

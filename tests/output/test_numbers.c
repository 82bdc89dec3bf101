// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_numbers.c - the output layer's printf-free number formatting
 * (vs_fmt_i64/u64/hex/time) against the C library's printf, which is the
 * independent oracle: edge values (0, powers of ten and sixteen and their
 * neighbours, INT64_MIN/MAX, UINT64_MAX) and a fixed pseudo-random sweep.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "output/format.h"

static int failures;

static void check(const char *what, GString *got, const char *want)
{
	if (strcmp(got->str, want) != 0) {
		failures++;
		fprintf(stderr, "%s: got '%s', want '%s'\n", what, got->str, want);
	}
	g_string_truncate(got, 0);
}

static void one(GString *s, uint64_t u)
{
	char want[64];

	vs_fmt_u64(s, u);
	snprintf(want, sizeof(want), "%" PRIu64, u);
	check("u64", s, want);
	vs_fmt_i64(s, (int64_t)u);
	snprintf(want, sizeof(want), "%" PRId64, (int64_t)u);
	check("i64", s, want);
	vs_fmt_hex(s, u, false);
	snprintf(want, sizeof(want), "%" PRIx64, u);
	check("hex", s, want);
	vs_fmt_hex(s, u, true);
	snprintf(want, sizeof(want), "%" PRIX64, u);
	check("HEX", s, want);
	vs_fmt_time(s, u);
	snprintf(want, sizeof(want), "%" PRIu64 ".%06" PRIu64, u / 1000000,
		 u % 1000000);
	check("time", s, want);
}

int main(void)
{
	GString *s = g_string_new("");
	uint64_t x = 0x9e3779b97f4a7c15ull, p = 1;

	g_string_append(s, "keep:");
	vs_fmt_i64(s, -42);
	check("append", s, "keep:-42");
	one(s, 0);
	one(s, UINT64_MAX);
	one(s, (uint64_t)INT64_MAX);
	one(s, (uint64_t)INT64_MIN);
	for (int i = 0; i < 20; i++, p *= 10) {
		one(s, p);
		one(s, p - 1);
		one(s, p + 1);
		one(s, -p);
	}
	for (int i = 0; i < 64; i++) {
		one(s, 1ull << i);
		one(s, (1ull << i) - 1);
	}
	for (int i = 0; i < 100000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		one(s, x >> (i % 64));
	}
	g_string_free(s, TRUE);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}

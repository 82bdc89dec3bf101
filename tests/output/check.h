/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * check.h - a tiny assertion counter for the output tests: CHECK() records
 * a pass or prints the failure and goes on, check_done() prints the totals
 * and gives the exit status (0 only if nothing failed and something ran).
 */
#ifndef VS_TESTS_OUTPUT_CHECK_H
#define VS_TESTS_OUTPUT_CHECK_H

#include <stdio.h>

extern unsigned check_pass, check_fail;

#define CHECK(cond, ...)                                                  \
	do {                                                              \
		if (cond) {                                               \
			check_pass++;                                     \
		} else {                                                  \
			check_fail++;                                     \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                     \
			fputc('\n', stderr);                              \
		}                                                         \
	} while (0)

static inline int check_done(const char *name)
{
	printf("%s: %u assertions passed, %u failed\n", name, check_pass,
	       check_fail);
	return check_fail || !check_pass ? 1 : 0;
}

#define CHECK_DEFINE unsigned check_pass, check_fail

#endif

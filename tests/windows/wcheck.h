/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wcheck.h - the assertion counter of the Windows tests: CHECK() counts a
 * pass or prints the failure and goes on.
 */
#ifndef VS_TESTS_WINDOWS_WCHECK_H
#define VS_TESTS_WINDOWS_WCHECK_H

#include <stdio.h>

extern unsigned wc_pass, wc_fail;

#define CHECK(cond, ...)                                                  \
	do {                                                              \
		if (cond) {                                               \
			wc_pass++;                                        \
		} else {                                                  \
			wc_fail++;                                        \
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);                     \
			fputc('\n', stderr);                              \
		}                                                         \
	} while (0)

#endif

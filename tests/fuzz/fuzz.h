/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz.h - what every libFuzzer target shares: the entry point's
 * prototype, a log sink that drops messages (so the fuzzer is not slowed
 * by libbpf's or the loaders' diagnostics), and FUZZ_CHECK, which aborts
 * on a broken invariant so libFuzzer records the input as a crash.
 */
#ifndef VS_TESTS_FUZZ_FUZZ_H
#define VS_TESTS_FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static void fuzz_quiet_sink(enum vs_log_level level, const char *msg)
{
	(void)level;
	(void)msg;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	vs_log_set_sink(fuzz_quiet_sink);
	vs_log_set_level(VS_LOG_DEBUG);   /* format every message: more code */
	return 0;
}

#define FUZZ_CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #c); \
	abort(); } } while (0)

#endif /* VS_TESTS_FUZZ_FUZZ_H */

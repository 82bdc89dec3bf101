// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_kallsyms.c - kallsyms location and decoding on a fuzzer-made
 * kernel image.
 *
 * Input: one mode byte, then the image, placed at _text
 * (0xffffffff81000000) and followed by zero padding so the 16 KiB token
 * window a real kernel always has readable exists here too. Mode & 3 == 1:
 * the full vs_kallsyms_load() (a 64 MiB scan, so slow: a quarter of the
 * mode values); otherwise locate() over the image and parse() with no
 * expected _text.
 * A table that decodes must answer every one of its names by lookup.
 */
#include <string.h>

#include "fuzz.h"
#include "os/linux/kallsyms.h"

#define TEXT 0xffffffff81000000ull
#define PAD (16384u + 4096u)
#define MAX_IMAGE (4u << 20)

static void exercise(const struct vs_kallsyms *ks)
{
	size_t n = vs_kallsyms_count(ks);

	FUZZ_CHECK(n >= VS_KSYMS_MIN_SYMS && n < VS_KSYMS_MAX_SYMS);
	for (size_t i = 0; i < n; i++) {
		const char *name;
		uint64_t addr, found;
		char type;

		FUZZ_CHECK(vs_kallsyms_get(ks, i, &addr, &type, &name) == 0);
		FUZZ_CHECK(strlen(name) <= VS_KSYMS_MAX_NAME);
		FUZZ_CHECK(vs_kallsyms_lookup(ks, name, &found) == 0);
	}
	FUZZ_CHECK(vs_kallsyms_get(ks, n, &(uint64_t){0}, &(char){0},
				   &(const char *){NULL}) < 0);
	vs_kallsyms_lookup(ks, "init_task", &(uint64_t){0});
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vs_kallsyms *ks = NULL;
	struct vs_gmem m;
	uint8_t *img;
	size_t n;
	uint64_t tt;
	int rc;

	if (size < 1 || size - 1 > MAX_IMAGE)
		return 0;
	n = size - 1;
	img = calloc(1, n + PAD);
	memcpy(img, data + 1, n);
	vs_gmem_from_buffer(&m, TEXT, img, n + PAD);
	if ((data[0] & 3) == 1) {
		/* relative_base may still differ from _text: linux.c checks. */
		rc = vs_kallsyms_load(&m, TEXT, &ks);
	} else {
		rc = vs_kallsyms_locate(&m, TEXT, n + PAD, &tt);
		if (rc == 0)
			rc = vs_kallsyms_parse(&m, tt, TEXT, 0, &ks);
	}
	if (rc == 0)
		exercise(ks);
	vs_kallsyms_free(ks);
	free(img);
	return 0;
}

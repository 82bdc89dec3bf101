// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_callsites.c - the `call rel32` scan of x86_callsites.c on
 * hand-assembled bytes: forward and backward calls, a call in the last 5
 * bytes, a call cut by the end of the buffer, an E8 that points elsewhere,
 * and two targets.
 */
#include <stdio.h>
#include <string.h>

#include "plugins/procmon/x86_callsites.h"

static int failures;
#define CHECK(c) do { if (!(c)) { failures++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c); } \
	} while (0)

#define BASE 0xffffffff81000000ull

static uint64_t rets[8];
static size_t idx[8], n;

static void on(uint64_t ret, size_t t, void *opaque)
{
	(void)opaque;
	if (n < 8) {
		rets[n] = ret;
		idx[n++] = t;
	}
}

static void put_call(uint8_t *code, size_t at, uint64_t target)
{
	int32_t rel = (int32_t)(target - (BASE + at + 5));

	code[at] = 0xE8;
	memcpy(code + at + 1, &rel, 4);
}

int main(void)
{
	uint8_t code[256];
	uint64_t targets[2] = { BASE + 0x80, BASE + 0x1000 };

	memset(code, 0x90, sizeof(code));
	put_call(code, 0x10, targets[0]);        /* forward */
	put_call(code, 0xa0, targets[0]);        /* backward */
	put_call(code, 0x20, targets[1]);        /* second target */
	put_call(code, 0x30, BASE + 0x81);       /* elsewhere: not a site */
	put_call(code, sizeof(code) - 5, targets[1]);   /* last 5 bytes */
	CHECK(vs_x86_callsites(code, sizeof(code), BASE, targets, 2, on,
			       NULL) == 4);
	CHECK(n == 4);
	CHECK(rets[0] == BASE + 0x15 && idx[0] == 0);
	CHECK(rets[1] == BASE + 0x25 && idx[1] == 1);
	CHECK(rets[2] == BASE + 0xa5 && idx[2] == 0);
	CHECK(rets[3] == BASE + sizeof(code) && idx[3] == 1);
	/* Cut by the end of the buffer: not reported. */
	n = 0;
	CHECK(vs_x86_callsites(code, sizeof(code) - 1, BASE, targets, 2, on,
			       NULL) == 3);
	/* Degenerate inputs. */
	CHECK(vs_x86_callsites(code, 4, BASE, targets, 2, on, NULL) == 0);
	CHECK(vs_x86_callsites(NULL, 100, BASE, targets, 2, on, NULL) == 0);
	CHECK(vs_x86_callsites(code, sizeof(code), BASE, targets, 0, on,
			       NULL) == 0);
	printf("%s\n", failures ? "FAIL" : "ok");
	return failures ? 1 : 0;
}

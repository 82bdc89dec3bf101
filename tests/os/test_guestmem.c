// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_guestmem.c - the bounded accessors over a buffer: reads outside the
 * buffer fail, strings are cut at the cap and at unreadable memory with
 * the truncation reported, array and copy caps refuse oversize requests
 * before allocating, and list walks stop at their limit and on a cycle
 * that never returns to the head.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "os/guestmem.h"

static int failures;

#define CHECK(c) do { if (!(c)) { failures++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c); } \
	} while (0)

#define BASE 0x10000ull
static uint8_t buf[0x3000];

static void set(uint64_t va, uint64_t v) { memcpy(buf + (va - BASE), &v, 8); }

static void test_reads(struct vs_gmem *m)
{
	uint64_t v;
	uint8_t *p = NULL;
	char s[8];
	size_t len;
	bool tr;

	CHECK(vs_gmem_u64(m, BASE + 0x2ffc, &v) == -EFAULT);
	CHECK(vs_gmem_u64(m, BASE - 1, &v) == -EFAULT);
	CHECK(vs_gmem_u64(m, UINT64_MAX - 3, &v) == -EFAULT);
	memcpy(buf + 0x100, "hello", 6);
	CHECK(vs_gmem_str(m, BASE + 0x100, s, sizeof(s), &len, &tr) == 0);
	CHECK(len == 5 && !tr && strcmp(s, "hello") == 0);
	memcpy(buf + 0x200, "0123456789", 11);
	CHECK(vs_gmem_str(m, BASE + 0x200, s, sizeof(s), &len, &tr) == 0);
	CHECK(len == 7 && tr && strcmp(s, "0123456") == 0);
	/* The string runs into the end of readable memory. */
	memcpy(buf + 0x2ffe, "ab", 2);
	CHECK(vs_gmem_str(m, BASE + 0x2ffe, s, sizeof(s), &len, &tr) == 0);
	CHECK(len == 2 && tr && strcmp(s, "ab") == 0);
	CHECK(vs_gmem_str(m, BASE + 0x5000, s, sizeof(s), &len, &tr) == -EFAULT);
	CHECK(vs_gmem_array(m, BASE, 8, 100, 10, s) == -E2BIG);
	CHECK(vs_gmem_dup(m, BASE, 1ull << 40, 1ull << 41, &p) == -E2BIG);
	CHECK(vs_gmem_dup(m, BASE, 0x100, 0x80, &p) == -E2BIG && p == NULL);
}

static int walk(struct vs_gmem *m, uint64_t head, unsigned limit, int *n)
{
	struct vs_gmem_list it;
	uint64_t node;
	int rc;

	*n = 0;
	vs_gmem_list_init(&it, m, head, limit);
	while ((rc = vs_gmem_list_next(&it, &node)) == 1)
		(*n)++;
	vs_gmem_list_fini(&it);
	return rc;
}

static void test_lists(struct vs_gmem *m)
{
	uint64_t h = BASE + 0x1000, a = BASE + 0x1100, b = BASE + 0x1200;
	int n;

	set(h, a);
	set(a, b);
	set(b, h);
	CHECK(walk(m, h, 10, &n) == 0 && n == 2);
	CHECK(walk(m, h, 1, &n) == -E2BIG && n == 1);
	set(b, a);                      /* b -> a: a cycle without the head */
	CHECK(walk(m, h, 1000, &n) == -EINVAL && n == 2);
	set(b, BASE + 0x9000);          /* next points outside memory */
	/* The bad node is yielded; following its next then fails. */
	CHECK(walk(m, h, 1000, &n) == -EFAULT && n == 3);
	set(h, h);                      /* empty list */
	CHECK(walk(m, h, 1000, &n) == 0 && n == 0);
}

int main(void)
{
	struct vs_gmem m;

	vs_gmem_from_buffer(&m, BASE, buf, sizeof(buf));
	test_reads(&m);
	test_lists(&m);
	CHECK(m.failures > 0);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}

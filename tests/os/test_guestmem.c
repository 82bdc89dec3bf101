// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_guestmem.c - the bounded accessors over a buffer: reads outside the
 * buffer fail, strings are cut at the cap and at unreadable memory with
 * the truncation reported, array and copy caps refuse oversize requests
 * before allocating, and list walks stop at their limit and on a cycle
 * that never returns to the head. Gathers give every field exactly what a
 * lone read of it gives (also when a shared read fails), and a memo serves
 * only kernel spans it was given, until cleared.
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

/* Every field of a gather against a lone vs_gmem_read() of the field. */
static void test_gather(struct vs_gmem *m)
{
	uint64_t v[6] = { 0 }, w;
	uint32_t x = 0;
	struct vs_gmem_field f[7] = {
		{ 0x800, 8, &v[0], 7 }, { 0x10, 8, &v[1], 7 },
		{ 0x18, 4, &x, 7 }, { 0x2ff8, 8, &v[2], 7 },
		{ 0x2ffc, 8, &v[3], 7 },          /* runs past the end */
		{ 0x400, 8, &v[4], 7 }, { 0x20, 8, &v[5], 7 },
	};

	for (int i = 0; i < 0x3000; i++)
		buf[i] = (uint8_t)(i * 7 + 3);
	CHECK(vs_gmem_gather(m, BASE, f, 7) == -EFAULT);
	for (int i = 0; i < 7; i++) {
		uint8_t lone[8];
		int rc = vs_gmem_read(m, BASE + f[i].off, lone, f[i].len);

		CHECK(f[i].rc == rc);
		if (rc == 0)
			CHECK(memcmp(lone, f[i].out, f[i].len) == 0);
	}
	CHECK(f[3].rc == 0 && f[4].rc == -EFAULT);
	memcpy(&w, buf + 0x800, 8);
	CHECK(v[0] == w);
	CHECK(vs_gmem_gather(m, BASE, f, 3) == 0);
	CHECK(vs_gmem_gather(m, BASE, f, VS_GMEM_GATHER_MAX + 1) == -EINVAL);
}

#define KBASE 0xffff888000010000ull

static void test_memo(void)
{
	static uint8_t a[0x2000], zero[0x2000];
	static struct vs_gmem_memo memo;
	struct vs_gmem m, low;
	uint64_t v = 0, w = 0;
	uint8_t big[64];

	for (int i = 0; i < 0x2000; i++)
		a[i] = (uint8_t)(i + 1);
	vs_gmem_from_buffer(&m, KBASE, a, sizeof(a));
	vs_gmem_from_buffer(&low, BASE, a, sizeof(a));
	vs_gmem_memo_clear(&memo);
	m.memo = low.memo = &memo;
	CHECK(vs_gmem_span(&m, KBASE + 0x100, big, 64) == 0);
	CHECK(vs_gmem_span(&low, BASE + 0x100, big, 64) == 0);
	CHECK(memo.nspans == 1);          /* the lower half is not kept */
	m.buf = low.buf = zero;           /* the guest changes */
	CHECK(vs_gmem_u64(&m, KBASE + 0x138, &v) == 0 && v != 0);
	CHECK(memcmp(&v, a + 0x138, 8) == 0);
	CHECK(vs_gmem_u64(&m, KBASE + 0x13c, &w) == 0 && w == 0);  /* past */
	CHECK(vs_gmem_u64(&low, BASE + 0x100, &w) == 0 && w == 0);
	vs_gmem_memo_clear(&memo);
	CHECK(vs_gmem_u64(&m, KBASE + 0x138, &v) == 0 && v == 0);
	CHECK(vs_gmem_span(&m, KBASE, big, VS_GMEM_SPAN_MAX + 1) == -E2BIG);
	/* Full: further spans are read but not kept. */
	for (unsigned i = 0; i < VS_GMEM_MEMO_SPANS + 4; i++)
		CHECK(vs_gmem_span(&m, KBASE + 8 * i, big, 8) == 0);
	CHECK(memo.nspans == VS_GMEM_MEMO_SPANS);
}

int main(void)
{
	struct vs_gmem m;

	vs_gmem_from_buffer(&m, BASE, buf, sizeof(buf));
	test_reads(&m);
	test_lists(&m);
	test_gather(&m);
	test_memo();
	CHECK(m.failures > 0);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}

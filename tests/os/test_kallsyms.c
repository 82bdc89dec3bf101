// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_kallsyms.c - kallsyms located and decoded from hand-built tables.
 *
 * The builder below writes the tables the way the kernel's build does, in
 * each of the three known orders, into a buffer seen at the kernel's text
 * address: a token table whose printable bytes stand for themselves plus a
 * few multi-character tokens (one carries the type, so the type is never a
 * raw byte), a name long enough for the two-byte length form, per-CPU
 * (absolute) and relative offsets, and the clone name foo.isra.0. The
 * expectations are the symbol list the builder started from. Damaged
 * tables must fail cleanly.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "os/linux/kallsyms.h"

static int failures;

#define CHECK(c) do { if (!(c)) { failures++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c); } \
	} while (0)

#define TEXT 0xffffffff81000000ull
#define IMG  (1u << 20)
#define N    300

struct sym { char type; char name[200]; uint64_t addr; };
static struct sym syms[N];
static char tokens[256][8];
static uint8_t img[IMG];

static void make_tokens(void)
{
	for (int c = 0; c < 256; c++) {
		if (c > 0x20 && c < 0x7f)
			snprintf(tokens[c], sizeof(tokens[c]), "%c", c);
		else
			snprintf(tokens[c], sizeof(tokens[c]), "q%02x", c);
	}
	strcpy(tokens[0x01], "Tfo");
	strcpy(tokens[0x02], "o_b");
	strcpy(tokens[0x03], "ar");
	strcpy(tokens[0x04], "tsym");
}

static void make_syms(void)
{
	syms[0] = (struct sym){ 'A', "irq_stack", 0x1000 };
	syms[1] = (struct sym){ 'T', "_text", TEXT };
	syms[2] = (struct sym){ 'T', "foo_bar", TEXT + 0x100 };
	syms[3] = (struct sym){ 't', "foo.isra.0", TEXT + 0x200 };
	syms[4] = (struct sym){ 't', "", TEXT + 0x300 };
	memset(syms[4].name, 'a', 140);
	syms[5] = (struct sym){ 'D', "init_task", TEXT + 0x10000 };
	for (int i = 6; i < N; i++) {
		syms[i].type = 't';
		snprintf(syms[i].name, sizeof(syms[i].name), "sym%03d", i);
		syms[i].addr = TEXT + 0x1000 + 16 * i;
	}
}

/* Encode one entry: token indices, multi-char tokens where they fit. */
static size_t encode(const struct sym *s, uint8_t *out)
{
	uint8_t idx[256];
	size_t n = 0, l;

	if (strcmp(s->name, "foo_bar") == 0) {
		idx[n++] = 1; idx[n++] = 2; idx[n++] = 3;
	} else if (strncmp(s->name, "sym", 3) == 0 && s->type == 't') {
		idx[n++] = 4;
		for (const char *p = s->name + 3; *p; p++)
			idx[n++] = (uint8_t)*p;
	} else {
		idx[n++] = (uint8_t)s->type;
		for (const char *p = s->name; *p; p++)
			idx[n++] = (uint8_t)*p;
	}
	if (n > 127) {
		out[0] = 0x80 | (n & 0x7f);
		out[1] = (uint8_t)(n >> 7);
		l = 2;
	} else {
		out[0] = (uint8_t)n;
		l = 1;
	}
	memcpy(out + l, idx, n);
	return l + n;
}

static size_t al8(size_t v) { return (v + 7) & ~(size_t)7; }

static size_t put_tokens(size_t p, size_t *index_at)
{
	uint16_t index[256];
	size_t start = p;

	for (int t = 0; t < 256; t++) {
		index[t] = (uint16_t)(p - start);
		memcpy(img + p, tokens[t], strlen(tokens[t]) + 1);
		p += strlen(tokens[t]) + 1;
	}
	p = al8(p);
	*index_at = p;
	memcpy(img + p, index, sizeof(index));
	return p + sizeof(index);
}

static size_t put_names(size_t p, uint32_t *marks)
{
	size_t start = p;

	for (int i = 0; i < N; i++) {
		if (i % 256 == 0)
			marks[i / 256] = (uint32_t)(p - start);
		p += encode(&syms[i], img + p);
	}
	return p;
}

static size_t put_offsets(size_t p, uint64_t rb)
{
	for (int i = 0; i < N; i++) {
		int32_t v = syms[i].type == 'A' ? (int32_t)syms[i].addr :
			    (int32_t)(rb - 1 - syms[i].addr);

		memcpy(img + p + 4 * i, &v, 4);
	}
	p = al8(p + 4 * N);
	memcpy(img + p, &rb, 8);
	return p + 8;
}

static size_t put_seqs(size_t p)
{
	for (int i = 0; i < N; i++) {
		img[p + 3 * i + 1] = (uint8_t)(i >> 8);
		img[p + 3 * i + 2] = (uint8_t)i;
	}
	return al8(p + 3 * N);
}

static void build(enum vs_ksyms_layout layout)
{
	uint32_t marks[(N + 255) / 256], n = N, zero = 0;
	size_t p = 0x4000, ti;

	memset(img, 0xcc, 0x4000);
	memset(img + 0x4000, 0, IMG - 0x4000);
	if (layout != VS_KSYMS_LAYOUT_NUM_SYMS_FIRST)
		p = put_offsets(p, TEXT);
	memcpy(img + p, &n, 4);
	memcpy(img + p + 4, &zero, 4);
	p = al8(put_names(p + 8, marks));
	memcpy(img + p, marks, sizeof(marks));
	p = al8(p + sizeof(marks));
	if (layout == VS_KSYMS_LAYOUT_SEQS_BEFORE_TOKENS)
		p = put_seqs(p);
	p = al8(put_tokens(p, &ti));
	if (layout == VS_KSYMS_LAYOUT_NUM_SYMS_FIRST)
		put_seqs(put_offsets(p, TEXT));
}

static void check_decoded(enum vs_ksyms_layout layout)
{
	struct vs_kallsyms *k = NULL;
	struct vs_gmem m;
	uint64_t a;
	int rc;

	build(layout);
	vs_gmem_from_buffer(&m, TEXT, img, IMG);
	rc = vs_kallsyms_load(&m, TEXT, &k);
	CHECK(rc == 0);
	if (rc)
		return;
	CHECK(vs_kallsyms_count(k) == N);
	CHECK(vs_kallsyms_info(k)->layout == layout);
	CHECK(vs_kallsyms_info(k)->abs_percpu);
	CHECK(vs_kallsyms_info(k)->relative_base == TEXT);
	for (size_t i = 0; i < N; i++) {
		const char *name = NULL;
		char t = 0;

		CHECK(vs_kallsyms_get(k, i, &a, &t, &name) == 0);
		CHECK(a == syms[i].addr && t == syms[i].type &&
		      strcmp(name, syms[i].name) == 0);
	}
	CHECK(vs_kallsyms_lookup(k, "init_task", &a) == 0 && a == TEXT + 0x10000);
	CHECK(vs_kallsyms_lookup(k, "foo", &a) == 0 && a == TEXT + 0x200);
	CHECK(vs_kallsyms_lookup(k, "foo.isra.0", &a) == 0 && a == TEXT + 0x200);
	CHECK(vs_kallsyms_lookup(k, "irq_stack", &a) == 0 && a == 0x1000);
	CHECK(vs_kallsyms_lookup(k, "foo.isra", &a) == -ENOENT);
	CHECK(vs_kallsyms_lookup(k, "nope", &a) == -ENOENT);
	vs_kallsyms_free(k);
}

/* Damaged tables: every case must fail without crashing. */
static void check_damage(void)
{
	struct vs_kallsyms *k = NULL;
	struct vs_gmem m;
	uint32_t big = N + 5000;

	vs_gmem_from_buffer(&m, TEXT, img, IMG);
	build(VS_KSYMS_LAYOUT_OFFSETS_FIRST);
	/* num_syms larger than the names: no consistent candidate. */
	for (size_t p = 0x4000; p < IMG; p += 8) {
		uint32_t v;

		memcpy(&v, img + p, 4);
		if (v == N) {
			memcpy(img + p, &big, 4);
			break;
		}
	}
	CHECK(vs_kallsyms_load(&m, TEXT, &k) < 0);
	/* A token index out of order: the signature hit is rejected. */
	build(VS_KSYMS_LAYOUT_OFFSETS_FIRST);
	for (size_t p = 0x4000; p + 20 < IMG; p++) {
		if (memcmp(img + p, "0\0001\0002\0003", 8) == 0) {
			uint8_t *idx = img + al8(p + 1000);

			memset(idx, 0xff, 64);
			break;
		}
	}
	CHECK(vs_kallsyms_load(&m, TEXT, &k) == -ENOENT);
	/* A buffer of digits and NULs only. */
	for (size_t p = 0; p < IMG; p++)
		img[p] = (p & 1) ? 0 : '0' + (p / 2) % 10;
	CHECK(vs_kallsyms_load(&m, TEXT, &k) < 0);
}

int main(void)
{
	make_tokens();
	make_syms();
	check_decoded(VS_KSYMS_LAYOUT_OFFSETS_FIRST);
	check_decoded(VS_KSYMS_LAYOUT_SEQS_BEFORE_TOKENS);
	check_decoded(VS_KSYMS_LAYOUT_NUM_SYMS_FIRST);
	check_damage();
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}

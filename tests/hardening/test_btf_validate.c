// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_btf_validate.c - vs_btf_validate() on hand-assembled BTF.
 *
 * A small valid blob holds one type of most kinds (INT, PTR, STRUCT,
 * ARRAY, FUNC_PROTO, FUNC, ENUM, VAR, DATASEC, TYPEDEF to void's pointer);
 * it must pass with the type count written here by hand. Then one defect
 * at a time is planted in a copy, and each must be refused with the reason
 * and type id expected (the oracle is this file's own layout, not the
 * validator). The same defects must also keep vs_btf_load_mem() from
 * handing the blob to libbpf.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "os/linux/btf.h"
#include "os/linux/btf_validate.h"

static int failures;

#define CHECK(c, ...) do { if (!(c)) { failures++; \
	fprintf(stderr, "%s:%d: ", __FILE__, __LINE__); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } } while (0)

#define INFO(kind, vlen) (((uint32_t)(kind) << 24) | (vlen))

static uint8_t blob[1024];
static size_t blob_len, types_at, strs_at;
/* Offsets (from types_at) of records that the defects patch. */
static size_t at_struct, at_array, at_func, at_datasec;

static size_t put32(size_t p, uint32_t v)
{
	memcpy(blob + p, &v, 4);
	return p + 4;
}

static size_t type(size_t p, uint32_t name, uint32_t info, uint32_t ref)
{
	return put32(put32(put32(p, name), info), ref);
}

/* Strings: "\0int\0s\0a\0b\0f\0E\0v\0.data\0" */
static const char strs[] = "\0int\0s\0a\0b\0f\0E\0v\0.data";
enum { S_INT = 1, S_S = 5, S_A = 7, S_B = 9, S_F = 11, S_E = 13, S_V = 15,
       S_DATA = 17 };

static void build(void)
{
	size_t p = 24, t;

	memset(blob, 0, sizeof(blob));
	types_at = p;
	p = type(p, S_INT, INFO(1, 0), 4);              /* 1 int */
	p = put32(p, 32);
	p = type(p, 0, INFO(2, 0), 1);                  /* 2 int * */
	at_struct = p - types_at;
	p = type(p, S_S, INFO(4, 2), 16);               /* 3 struct s */
	p = put32(put32(put32(p, S_A), 1), 0);
	p = put32(put32(put32(p, S_B), 2), 64);
	at_array = p - types_at;
	p = type(p, 0, INFO(3, 0), 0);                  /* 4 int[4] */
	p = put32(put32(put32(p, 1), 1), 4);
	p = type(p, 0, INFO(13, 1), 0);                 /* 5 void (int) */
	p = put32(put32(p, S_A), 1);
	at_func = p - types_at;
	p = type(p, S_F, INFO(12, 1), 5);               /* 6 f */
	p = type(p, S_E, INFO(6, 1), 4);                /* 7 enum E */
	p = put32(put32(p, S_A), 7);
	p = type(p, S_V, INFO(14, 0), 3);               /* 8 var v */
	p = put32(p, 1);
	at_datasec = p - types_at;
	p = type(p, S_DATA, INFO(15, 1), 16);           /* 9 .data */
	p = put32(put32(put32(p, 8), 0), 16);
	p = type(p, S_V, INFO(8, 0), 2);                /* 10 typedef */
	t = p - types_at;
	strs_at = p;
	memcpy(blob + p, strs, sizeof(strs));
	p += sizeof(strs);
	blob_len = p;
	blob[0] = 0x9f;
	blob[1] = 0xeb;
	blob[2] = 1;
	put32(4, 24);
	put32(8, 0);
	put32(12, (uint32_t)t);
	put32(16, (uint32_t)t);
	put32(20, sizeof(strs));
}

static void set_type_word(size_t rec, unsigned word, uint32_t v)
{
	put32(types_at + rec + 4 * word, v);
}

struct defect {
	const char *what;
	void (*plant)(void);
	const char *why;      /* expected reason (a prefix is enough) */
	uint32_t bad_id;
	int rc;
};

static void bad_magic(void) { blob[0] = 0x00; }
static void bad_version(void) { blob[2] = 2; }
static void hdr_too_long(void) { put32(4, (uint32_t)blob_len + 1); }
static void types_unaligned(void) { put32(8, 2); }
static void overlap(void) { put32(16, 8); }
static void strs_beyond(void) { put32(20, sizeof(strs) + 1); }
static void strs_no_nul_end(void) { blob[blob_len - 1] = 'x'; }
static void strs_no_nul_start(void) { blob[strs_at] = 'x'; }
static void kind_zero(void) { set_type_word(at_func, 1, INFO(0, 0)); }
static void kind_unknown(void) { set_type_word(at_func, 1, INFO(20, 0)); }
static void vlen_huge(void) { set_type_word(at_struct, 1, INFO(4, 0xffff)); }
static void member_type(void) { set_type_word(at_struct, 4, 11); }
static void member_void(void) { set_type_word(at_struct, 4, 0); }
static void member_name(void) { set_type_word(at_struct, 3, sizeof(strs)); }
static void type_name(void) { set_type_word(at_func, 0, 0xffffffff); }
static void func_void(void) { set_type_word(at_func, 2, 0); }
static void func_beyond(void) { set_type_word(at_func, 2, 11); }
static void array_index(void) { set_type_word(at_array, 4, 99); }
static void datasec_var(void) { set_type_word(at_datasec, 3, 0); }
static void truncated(void)
{
	put32(12, (uint32_t)(strs_at - types_at - 4));  /* cut the typedef */
}

static const struct defect defects[] = {
	{ "magic", bad_magic, "not little-endian BTF", 0, -EINVAL },
	{ "version", bad_version, "not little-endian BTF", 0, -EINVAL },
	{ "hdr_len", hdr_too_long, "header length", 0, -EINVAL },
	{ "type_off", types_unaligned, "type section not 4-byte", 0, -EINVAL },
	{ "overlap", overlap, "type section overlaps", 0, -EINVAL },
	{ "str_len", strs_beyond, "string section beyond", 0, -EINVAL },
	{ "str end", strs_no_nul_end, "string section not NUL", 0, -EINVAL },
	{ "str start", strs_no_nul_start, "string section not NUL", 0, -EINVAL },
	{ "kind 0", kind_zero, "unknown type kind", 6, -EINVAL },
	{ "kind 20", kind_unknown, "unknown type kind", 6, -EINVAL },
	{ "vlen", vlen_huge, "type data beyond", 3, -EINVAL },
	{ "member type", member_type, "member type id", 3, -EINVAL },
	{ "member void", member_void, "member type id", 3, -EINVAL },
	{ "member name", member_name, "member name offset", 3, -EINVAL },
	{ "type name", type_name, "type name offset", 6, -EINVAL },
	{ "func void", func_void, "referenced type id", 6, -EINVAL },
	{ "func beyond", func_beyond, "referenced type id", 6, -EINVAL },
	{ "array index", array_index, "array element or index", 4, -EINVAL },
	{ "datasec var", datasec_var, "member type id", 9, -EINVAL },
	{ "truncated", truncated, "truncated type record", 10, -EINVAL },
};

int main(void)
{
	struct vs_btf_verdict v;
	struct btf *btf;
	int rc;

	build();
	rc = vs_btf_validate(blob, blob_len, &v);
	CHECK(rc == 0 && v.ntypes == 11 && !v.why, "valid blob: rc %d, %u types, %s",
	      rc, v.ntypes, v.why ? v.why : "-");
	rc = vs_btf_load_mem(blob, blob_len, &btf);
	CHECK(rc == 0, "libbpf refused the valid blob: %d", rc);
	if (rc == 0) {
		CHECK(vs_btf_type_count(btf) == 11, "libbpf counts %u types",
		      vs_btf_type_count(btf));
		vs_btf_free(btf);
	}
	CHECK(vs_btf_validate(blob, 23, &v) == -EINVAL, "23 bytes accepted");
	for (size_t i = 0; i < sizeof(defects) / sizeof(defects[0]); i++) {
		const struct defect *d = &defects[i];

		build();
		d->plant();
		rc = vs_btf_validate(blob, blob_len, &v);
		CHECK(rc == d->rc, "%s: rc %d, expected %d", d->what, rc, d->rc);
		CHECK(v.why && !strncmp(v.why, d->why, strlen(d->why)),
		      "%s: reason '%s', expected '%s'", d->what,
		      v.why ? v.why : "(none)", d->why);
		CHECK(v.bad_id == d->bad_id, "%s: type id %u, expected %u",
		      d->what, v.bad_id, d->bad_id);
		CHECK(vs_btf_load_mem(blob, blob_len, &btf) < 0,
		      "%s: vs_btf_load_mem accepted it", d->what);
	}
	printf("btf_validate: %zu defects, %d failures\n",
	       sizeof(defects) / sizeof(defects[0]), failures);
	return failures ? 1 : 0;
}

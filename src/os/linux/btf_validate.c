// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * btf_validate.c - structural check of raw BTF (see btf_validate.h).
 *
 * Two linear passes over the type section, because a type may refer to a
 * later one: the first sizes every record by its kind and counts the
 * types, the second follows every type id and name offset. Each record is
 * a 12-byte struct btf_type (name_off, info = vlen | kind << 24 |
 * kind_flag << 31, size-or-type) followed by kind-specific data:
 *
 *   INT 4 | ARRAY 12 | STRUCT, UNION 12/member | ENUM 8/value |
 *   FUNC_PROTO 8/param | VAR 4 | DATASEC 12/var | DECL_TAG 4 |
 *   ENUM64 12/value | the rest nothing
 *
 * Sums are done in uint64_t; every loop is bounded by the section length.
 */
#include "os/linux/btf_validate.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "common/log.h"

#define HDR_MIN 24
#define TYPE_REC 12
#define MAGIC_LE 0xeB9F

enum {
	K_INT = 1, K_PTR, K_ARRAY, K_STRUCT, K_UNION, K_ENUM, K_FWD,
	K_TYPEDEF, K_VOLATILE, K_CONST, K_RESTRICT, K_FUNC, K_FUNC_PROTO,
	K_VAR, K_DATASEC, K_FLOAT, K_DECL_TAG, K_TYPE_TAG, K_ENUM64,
	K_MAX = K_ENUM64,
};

struct blob {
	const uint8_t *types;      /* type section */
	uint64_t types_len;
	const uint8_t *strs;       /* string section */
	uint64_t strs_len;
	uint32_t ntypes;           /* including void */
};

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static int refuse(struct vs_btf_verdict *v, uint32_t id, const char *why,
		  int rc)
{
	v->bad_id = id;
	v->why = why;
	vs_debug("btf: refused: %s (type id %u)", why, id);
	return rc;
}

/* Bytes of kind-specific data after the btf_type; -1 for an unknown kind. */
static int64_t extra_len(unsigned kind, uint32_t vlen)
{
	switch (kind) {
	case K_INT: case K_VAR: case K_DECL_TAG:
		return 4;
	case K_ARRAY:
		return 12;
	case K_STRUCT: case K_UNION: case K_DATASEC: case K_ENUM64:
		return 12ll * vlen;
	case K_ENUM: case K_FUNC_PROTO:
		return 8ll * vlen;
	case K_PTR: case K_FWD: case K_TYPEDEF: case K_VOLATILE: case K_CONST:
	case K_RESTRICT: case K_FUNC: case K_FLOAT: case K_TYPE_TAG:
		return 0;
	default:
		return -1;
	}
}

static int check_header(const uint8_t *d, size_t len, struct blob *b,
			struct vs_btf_verdict *v)
{
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
	uint16_t magic;

	if (len < HDR_MIN)
		return refuse(v, 0, "shorter than the BTF header", -EINVAL);
	memcpy(&magic, d, sizeof(magic));
	hdr_len = rd32(d + 4);
	type_off = rd32(d + 8);
	type_len = rd32(d + 12);
	str_off = rd32(d + 16);
	str_len = rd32(d + 20);
	if (magic != MAGIC_LE || d[2] != 1)
		return refuse(v, 0, "not little-endian BTF version 1", -EINVAL);
	if (hdr_len < HDR_MIN || hdr_len > len)
		return refuse(v, 0, "header length out of bounds", -EINVAL);
	if ((type_off & 3) || (type_len % 4))
		return refuse(v, 0, "type section not 4-byte aligned", -EINVAL);
	if ((uint64_t)type_off + type_len > str_off)
		return refuse(v, 0, "type section overlaps the strings", -EINVAL);
	if ((uint64_t)hdr_len + str_off + str_len > len)
		return refuse(v, 0, "string section beyond the blob", -EINVAL);
	if (str_len == 0 || d[hdr_len + str_off] != 0 ||
	    d[(uint64_t)hdr_len + str_off + str_len - 1] != 0)
		return refuse(v, 0, "string section not NUL-delimited", -EINVAL);
	b->types = d + hdr_len + type_off;
	b->types_len = type_len;
	b->strs = d + hdr_len + str_off;
	b->strs_len = str_len;
	return 0;
}

/* Pass 1: every record fits and has a known kind; count them. */
static int count_types(struct blob *b, struct vs_btf_verdict *v)
{
	uint64_t off = 0;
	uint32_t id = 1;

	while (off < b->types_len) {
		uint32_t info;
		int64_t extra;

		if (b->types_len - off < TYPE_REC)
			return refuse(v, id, "truncated type record", -EINVAL);
		info = rd32(b->types + off + 4);
		extra = extra_len((info >> 24) & 0x1f, info & 0xffff);
		if (extra < 0)
			return refuse(v, id, "unknown type kind", -EINVAL);
		if ((uint64_t)extra > b->types_len - off - TYPE_REC)
			return refuse(v, id, "type data beyond the section",
				      -EINVAL);
		if (id >= VS_BTF_MAX_TYPES)
			return refuse(v, id, "too many types", -E2BIG);
		off += TYPE_REC + (uint64_t)extra;
		id++;
	}
	b->ntypes = id;
	return 0;
}

static bool name_ok(const struct blob *b, uint32_t name_off)
{
	return name_off < b->strs_len;
}

static bool id_ok(const struct blob *b, uint32_t id)
{
	return id < b->ntypes;
}

/* Members, enum values, params, datasec vars: @n records of @rec bytes
 * with a name at @name_at and a type id at @type_at (-1: none). */
static const char *check_list(const struct blob *b, const uint8_t *p,
			      uint32_t n, unsigned rec, int name_at,
			      int type_at, bool type_zero_ok)
{
	for (uint32_t i = 0; i < n; i++, p += rec) {
		if (name_at >= 0 && !name_ok(b, rd32(p + name_at)))
			return "member name offset beyond the strings";
		if (type_at >= 0) {
			uint32_t t = rd32(p + type_at);

			if (!id_ok(b, t) || (!t && !type_zero_ok))
				return "member type id out of range";
		}
	}
	return NULL;
}

/* Pass 2 for one record at @p: names and type ids it refers to. */
static const char *check_refs(const struct blob *b, const uint8_t *p)
{
	uint32_t info = rd32(p + 4), ref = rd32(p + 8);
	uint32_t vlen = info & 0xffff;
	const uint8_t *x = p + TYPE_REC;

	if (!name_ok(b, rd32(p)))
		return "type name offset beyond the strings";
	switch ((info >> 24) & 0x1f) {
	case K_PTR: case K_TYPEDEF: case K_VOLATILE: case K_CONST:
	case K_RESTRICT: case K_TYPE_TAG: case K_FUNC_PROTO:
		/* void (0) is a valid target: void *, const void, ... */
		if (!id_ok(b, ref))
			return "referenced type id out of range";
		if ((info >> 24 & 0x1f) == K_FUNC_PROTO)
			return check_list(b, x, vlen, 8, 0, 4, true);
		return NULL;
	case K_FUNC: case K_VAR: case K_DECL_TAG:
		return ref && id_ok(b, ref) ? NULL :
		       "referenced type id out of range";
	case K_ARRAY:
		return id_ok(b, rd32(x)) && id_ok(b, rd32(x + 4)) ? NULL :
		       "array element or index type out of range";
	case K_STRUCT: case K_UNION:
		return check_list(b, x, vlen, 12, 0, 4, false);
	case K_ENUM:
		return check_list(b, x, vlen, 8, 0, -1, false);
	case K_ENUM64:
		return check_list(b, x, vlen, 12, 0, -1, false);
	case K_DATASEC:
		return check_list(b, x, vlen, 12, -1, 0, false);
	default:
		return NULL;
	}
}

int vs_btf_validate(const uint8_t *data, size_t len, struct vs_btf_verdict *out)
{
	struct vs_btf_verdict dummy;
	struct vs_btf_verdict *v = out ? out : &dummy;
	struct blob b;
	uint64_t off = 0;
	uint32_t id = 1;
	int rc;

	memset(v, 0, sizeof(*v));
	rc = check_header(data, len, &b, v);
	if (rc == 0)
		rc = count_types(&b, v);
	if (rc < 0)
		return rc;
	/* Pass 1 proved every record and its data lie inside the section. */
	while (off < b.types_len) {
		const uint8_t *p = b.types + off;
		uint32_t info = rd32(p + 4);
		const char *why = check_refs(&b, p);

		if (why)
			return refuse(v, id, why, -EINVAL);
		off += TYPE_REC +
		       (uint64_t)extra_len((info >> 24) & 0x1f, info & 0xffff);
		id++;
	}
	v->ntypes = b.ntypes;
	return 0;
}

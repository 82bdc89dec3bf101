// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lookup.c - answer questions about a loaded profile: struct sizes, member
 * offsets (with bitfield positions, through anonymous members), symbol
 * addresses. Each answer is read from the JSON tree on demand and checked
 * for type and range; callers resolve what they need once at start-up.
 *
 * ISF:    user_types[T] = {"size": N, "fields": {F: {"offset": N,
 *         "type": {"kind": "bitfield", "bit_position": P, "bit_length": L}
 *         | {"kind": "struct", "name": "unnamed_..."}, "anonymous": true}}}
 *         symbols[S] = {"address": N}
 * Rekall: $STRUCTS[T] = [N, {F: [N, ["BitField", {"start_bit": P,
 *         "end_bit": P+L}]]}], $CONSTANTS[S] = N, $FUNCTIONS[S] = N
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "os/profile/profile_priv.h"

/* Anonymous members are followed this deep, and this many in total. */
#define ANON_DEPTH 8
#define ANON_VISITS 4096

static int set_err(struct vs_profile *p, int ret, const char *fmt, ...)
	G_GNUC_PRINTF(3, 4);

static int set_err(struct vs_profile *p, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return ret;
}

const char *vs_profile_last_error(const struct vs_profile *p)
{
	return p->err;
}

static bool is_int(JsonNode *n)
{
	return n && JSON_NODE_HOLDS_VALUE(n) && json_node_get_value_type(n) == G_TYPE_INT64;
}

/*
 * An integer in 0..@max read from @n; @where names it ("a.b.c") in the
 * message. JSON integers above 2^63 come back from json-glib wrapped to
 * negative values, so they are reported with the negative ones.
 */
static int get_uint(struct vs_profile *p, JsonNode *n, uint64_t max,
		    uint64_t *out, const char *where)
{
	int64_t v;

	if (!is_int(n))
		return set_err(p, -EINVAL, "%s: expected an integer, found %s",
			       where, vs_profile_node_kind(n));
	v = json_node_get_int(n);
	if (v < 0)
		return set_err(p, -EINVAL, "%s: %" G_GINT64_FORMAT " is negative (or above 2^63)",
			       where, v);
	if ((uint64_t)v > max)
		return set_err(p, -E2BIG, "%s: %" G_GINT64_FORMAT " is above the limit %" G_GUINT64_FORMAT,
			       where, v, max);
	*out = (uint64_t)v;
	return 0;
}

static const char *types_key(const struct vs_profile *p)
{
	return p->format == VS_PROFILE_FORMAT_REKALL ? "$STRUCTS" : "user_types";
}

/* The JSON of struct @type, or NULL with the error set. */
static JsonNode *type_node(struct vs_profile *p, const char *type)
{
	JsonNode *n = p->types ? json_object_get_member(p->types, type) : NULL;

	if (!n)
		set_err(p, -ENOENT, "struct %s is not in the profile", type);
	return n;
}

bool vs_profile_has_struct(struct vs_profile *p, const char *type)
{
	return p->types && json_object_has_member(p->types, type);
}

int vs_profile_struct_size(struct vs_profile *p, const char *type,
			   uint64_t *size)
{
	JsonNode *n = type_node(p, type), *s;
	char where[160];

	if (!n)
		return -ENOENT;
	if (p->format == VS_PROFILE_FORMAT_REKALL) {
		snprintf(where, sizeof(where), "$STRUCTS.%s[0]", type);
		if (!JSON_NODE_HOLDS_ARRAY(n) || !json_array_get_length(json_node_get_array(n)))
			return set_err(p, -EINVAL, "$STRUCTS.%s: expected [size, {fields}], found %s",
				       type, vs_profile_node_kind(n));
		s = json_array_get_element(json_node_get_array(n), 0);
	} else {
		snprintf(where, sizeof(where), "user_types.%s.size", type);
		if (!JSON_NODE_HOLDS_OBJECT(n))
			return set_err(p, -EINVAL, "user_types.%s: expected an object, found %s",
				       type, vs_profile_node_kind(n));
		s = json_object_get_member(json_node_get_object(n), "size");
	}
	return get_uint(p, s, VS_PROFILE_MAX_OFFSET, size, where);
}

/* The fields object of @type (ISF "fields", Rekall element 1). */
static int fields_of(struct vs_profile *p, const char *type, JsonObject **out)
{
	JsonNode *n = type_node(p, type), *f = NULL;

	if (!n)
		return -ENOENT;
	if (p->format == VS_PROFILE_FORMAT_REKALL) {
		if (JSON_NODE_HOLDS_ARRAY(n) && json_array_get_length(json_node_get_array(n)) >= 2)
			f = json_array_get_element(json_node_get_array(n), 1);
	} else if (JSON_NODE_HOLDS_OBJECT(n)) {
		f = json_object_get_member(json_node_get_object(n), "fields");
	}
	if (!f || !JSON_NODE_HOLDS_OBJECT(f))
		return set_err(p, -EINVAL, "%s.%s: no fields object (found %s)", types_key(p),
			       type, vs_profile_node_kind(f ? f : n));
	*out = json_node_get_object(f);
	return 0;
}

static int bit_range(struct vs_profile *p, JsonObject *o, const char *pos_key,
		     const char *end_key, struct vs_profile_member *m,
		     const char *where)
{
	uint64_t a, b;
	char w[200];
	int ret;

	snprintf(w, sizeof(w), "%s.%s", where, pos_key);
	ret = get_uint(p, json_object_get_member(o, pos_key), 63, &a, w);
	snprintf(w, sizeof(w), "%s.%s", where, end_key);
	if (!ret)
		ret = get_uint(p, json_object_get_member(o, end_key), 64, &b, w);
	if (ret)
		return ret;
	if (p->format == VS_PROFILE_FORMAT_REKALL) /* end_bit is exclusive */
		b = b > a ? b - a : 0;
	if (!b || a + b > 64)
		return set_err(p, -EINVAL, "%s: bits %" G_GUINT64_FORMAT "+%" G_GUINT64_FORMAT
			       " do not fit in 64", where, a, b);
	m->bitfield = true;
	m->bit_position = (unsigned)a;
	m->bit_length = (unsigned)b;
	return 0;
}

/* One field's JSON (@n) into @m; @where is "T.F" for messages. */
static int read_field(struct vs_profile *p, JsonNode *n,
		      struct vs_profile_member *m, const char *where)
{
	JsonNode *off = NULL, *type = NULL;
	char w[200];
	int ret;

	memset(m, 0, sizeof(*m));
	if (p->format == VS_PROFILE_FORMAT_REKALL && JSON_NODE_HOLDS_ARRAY(n)) {
		JsonArray *a = json_node_get_array(n);

		off = json_array_get_length(a) ? json_array_get_element(a, 0) : NULL;
		type = json_array_get_length(a) > 1 ? json_array_get_element(a, 1) : NULL;
	} else if (p->format == VS_PROFILE_FORMAT_ISF && JSON_NODE_HOLDS_OBJECT(n)) {
		off = json_object_get_member(json_node_get_object(n), "offset");
		type = json_object_get_member(json_node_get_object(n), "type");
	} else {
		return set_err(p, -EINVAL, "%s: expected %s, found %s", where,
			       p->format == VS_PROFILE_FORMAT_REKALL ? "[offset, type]" : "an object",
			       vs_profile_node_kind(n));
	}
	snprintf(w, sizeof(w), "%s.offset", where);
	ret = get_uint(p, off, VS_PROFILE_MAX_OFFSET, &m->offset, w);
	if (ret || !type)
		return ret;
	if (p->format == VS_PROFILE_FORMAT_ISF && JSON_NODE_HOLDS_OBJECT(type)) {
		JsonObject *t = json_node_get_object(type);
		const char *kind = vs_profile_get_string(t, "kind", "");

		if (!strcmp(kind, "bitfield"))
			return bit_range(p, t, "bit_position", "bit_length", m, where);
	} else if (p->format == VS_PROFILE_FORMAT_REKALL && JSON_NODE_HOLDS_ARRAY(type)) {
		JsonArray *t = json_node_get_array(type);
		JsonNode *name = json_array_get_length(t) ? json_array_get_element(t, 0) : NULL;
		JsonNode *args = json_array_get_length(t) > 1 ? json_array_get_element(t, 1) : NULL;

		if (name && JSON_NODE_HOLDS_VALUE(name) &&
		    json_node_get_value_type(name) == G_TYPE_STRING &&
		    !strcmp(json_node_get_string(name), "BitField")) {
			if (!args || !JSON_NODE_HOLDS_OBJECT(args))
				return set_err(p, -EINVAL, "%s: BitField without {start_bit, end_bit}", where);
			return bit_range(p, json_node_get_object(args), "start_bit", "end_bit", m, where);
		}
	}
	return 0;
}

/* ISF: the struct an anonymous field embeds, or NULL. */
static const char *anon_type(JsonNode *field)
{
	JsonObject *f, *t;
	JsonNode *anon;
	const char *kind;

	if (!JSON_NODE_HOLDS_OBJECT(field))
		return NULL;
	f = json_node_get_object(field);
	anon = json_object_get_member(f, "anonymous");
	if (!anon || !JSON_NODE_HOLDS_VALUE(anon) ||
	    json_node_get_value_type(anon) != G_TYPE_BOOLEAN || !json_node_get_boolean(anon))
		return NULL;
	t = vs_profile_get_object(f, "type");
	if (!t)
		return NULL;
	kind = vs_profile_get_string(t, "kind", "");
	if (strcmp(kind, "struct") && strcmp(kind, "union"))
		return NULL;
	return vs_profile_get_string(t, "name", NULL);
}

/*
 * Find @member in @type, directly or inside its anonymous members.
 * Returns 0, -ENOENT (not there, no message yet) or another -errno with the
 * message set. *@visits bounds the work a hostile profile can cause.
 */
static int find_member(struct vs_profile *p, const char *type,
		       const char *member, struct vs_profile_member *m,
		       unsigned depth, unsigned *visits)
{
	JsonObject *fields = NULL;
	JsonObjectIter it;
	const char *fname;
	JsonNode *f;
	char where[200];
	int ret;

	if (++*visits > ANON_VISITS || depth > ANON_DEPTH)
		return -ENOENT;
	if ((ret = fields_of(p, type, &fields)))
		return depth && ret == -ENOENT ? -ENOENT : ret;
	snprintf(where, sizeof(where), "%s.%s", type, member);
	f = json_object_get_member(fields, member);
	if (f)
		return read_field(p, f, m, where);
	if (p->format != VS_PROFILE_FORMAT_ISF)
		return -ENOENT;
	json_object_iter_init(&it, fields);
	while (json_object_iter_next(&it, &fname, &f)) {
		const char *sub = anon_type(f);
		struct vs_profile_member outer;

		if (!sub || !strcmp(sub, type))
			continue;
		ret = find_member(p, sub, member, m, depth + 1, visits);
		if (ret == -ENOENT)
			continue;
		if (ret)
			return ret;
		snprintf(where, sizeof(where), "%s.%s", type, fname);
		if ((ret = read_field(p, f, &outer, where)))
			return ret;
		m->offset += outer.offset;
		if (m->offset > VS_PROFILE_MAX_OFFSET)
			return set_err(p, -E2BIG, "%s.%s: offset above the limit", type, member);
		return 0;
	}
	return -ENOENT;
}

int vs_profile_member(struct vs_profile *p, const char *type,
		      const char *member, struct vs_profile_member *out)
{
	unsigned visits = 0;
	int ret;

	if (!type_node(p, type))
		return set_err(p, -ENOENT, "%s.%s: struct %s is not in the profile",
			       type, member, type);
	ret = find_member(p, type, member, out, 0, &visits);
	if (ret == -ENOENT)
		return set_err(p, -ENOENT, "%s.%s: no such member in the profile",
			       type, member);
	return ret;
}

int vs_profile_member_offset(struct vs_profile *p, const char *type,
			     const char *member, uint64_t *offset)
{
	struct vs_profile_member m;
	int ret = vs_profile_member(p, type, member, &m);

	if (!ret)
		*offset = m.offset;
	return ret;
}

/* Any 64-bit value; above 2^63 comes back negative from json-glib. */
static int get_addr(struct vs_profile *p, JsonNode *n, uint64_t *out,
		    const char *where)
{
	if (!is_int(n))
		return set_err(p, -EINVAL, "%s: expected an integer address, found %s",
			       where, vs_profile_node_kind(n));
	*out = (uint64_t)json_node_get_int(n);
	return 0;
}

int vs_profile_symbol(struct vs_profile *p, const char *name,
		      uint64_t *address)
{
	JsonNode *n = p->symbols ? json_object_get_member(p->symbols, name) : NULL;
	char where[200];

	if (p->format == VS_PROFILE_FORMAT_REKALL) {
		snprintf(where, sizeof(where), "$CONSTANTS.%s", name);
		if (!n && p->functions) {
			n = json_object_get_member(p->functions, name);
			snprintf(where, sizeof(where), "$FUNCTIONS.%s", name);
		}
		if (n)
			return get_addr(p, n, address, where);
	} else if (n) {
		snprintf(where, sizeof(where), "symbols.%s", name);
		if (!JSON_NODE_HOLDS_OBJECT(n))
			return set_err(p, -EINVAL, "%s: expected an object, found %s",
				       where, vs_profile_node_kind(n));
		snprintf(where, sizeof(where), "symbols.%s.address", name);
		return get_addr(p, json_object_get_member(json_node_get_object(n), "address"),
				address, where);
	}
	return set_err(p, -ENOENT, "symbol %s is not in the profile", name);
}

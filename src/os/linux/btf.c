// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * btf.c - load the guest's BTF with libbpf and answer member offsets.
 * The header is validated before libbpf sees the bytes (see btf.h);
 * libbpf's own messages go to the vs_log sink at debug level.
 */
#include "os/linux/btf.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "common/log.h"
#include "os/linux/btf_validate.h"

#define BTF_MAGIC_LE 0xeB9F

int vs_btf_check_header(const uint8_t *d, size_t len)
{
	uint32_t hdr_len, type_off, type_len, str_off, str_len;
	uint16_t magic;

	if (len < 24)
		return -EINVAL;
	memcpy(&magic, d, 2);
	memcpy(&hdr_len, d + 4, 4);
	memcpy(&type_off, d + 8, 4);
	memcpy(&type_len, d + 12, 4);
	memcpy(&str_off, d + 16, 4);
	memcpy(&str_len, d + 20, 4);
	if (magic != BTF_MAGIC_LE || d[2] != 1 || hdr_len < 24 || hdr_len > len)
		return -EINVAL;
	if ((uint64_t)hdr_len + type_off + type_len > len ||
	    (uint64_t)hdr_len + str_off + str_len > len || str_len == 0)
		return -EINVAL;
	return 0;
}

static int libbpf_sink(enum libbpf_print_level level, const char *fmt,
		       va_list ap)
{
	char msg[512];

	/* libbpf's own format strings: trusted, not guest data. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	vsnprintf(msg, sizeof(msg), fmt, ap);
#pragma GCC diagnostic pop
	msg[strcspn(msg, "\n")] = '\0';
	vs_debug("libbpf: %s", msg);
	return 0;
}

int vs_btf_load_mem(const void *data, size_t len, struct btf **out)
{
	struct btf *b;
	int rc;

	if (len > VS_BTF_MAX_SIZE)
		return -E2BIG;
	rc = vs_btf_check_header(data, len);
	if (rc < 0)
		return rc;
	rc = vs_btf_validate(data, len, NULL);
	if (rc < 0)
		return rc;
	libbpf_set_print(libbpf_sink);
	b = btf__new(data, (__u32)len);
	if (!b)
		return -EINVAL;
	*out = b;
	return 0;
}

int vs_btf_load(struct vs_gmem *m, uint64_t start, uint64_t stop,
		struct btf **out, uint8_t **blob, size_t *len)
{
	uint8_t *p;
	int rc;

	if (stop <= start)
		return -EINVAL;
	rc = vs_gmem_dup(m, start, stop - start, VS_BTF_MAX_SIZE, &p);
	if (rc < 0)
		return rc;
	rc = vs_btf_load_mem(p, stop - start, out);
	if (rc < 0 || !blob) {
		g_free(p);
		return rc;
	}
	*blob = p;
	*len = stop - start;
	return 0;
}

void vs_btf_free(struct btf *btf)
{
	btf__free(btf);
}

static const struct btf_type *find_composite(const struct btf *btf,
					     const char *name, __u32 *id)
{
	__s32 r = btf__find_by_name_kind(btf, name, BTF_KIND_STRUCT);

	if (r < 0)
		r = btf__find_by_name_kind(btf, name, BTF_KIND_UNION);
	if (r < 0)
		return NULL;
	*id = (__u32)r;
	return btf__type_by_id(btf, *id);
}

struct frame {
	const struct btf_type *t;
	uint64_t base;
	unsigned next;
};

/* Depth-first over @t and its anonymous struct/union members. */
static int find_member(const struct btf *btf, const struct btf_type *t,
		       const char *member, struct vs_btf_member *out)
{
	struct frame st[VS_BTF_MAX_DEPTH];
	int depth = 0;

	st[0] = (struct frame){ t, 0, 0 };
	while (depth >= 0) {
		struct frame *f = &st[depth];
		const struct btf_member *mb;
		const struct btf_type *mt;
		const char *name;

		if (f->next >= btf_vlen(f->t)) {
			depth--;
			continue;
		}
		mb = btf_members(f->t) + f->next;
		name = btf__name_by_offset(btf, mb->name_off);
		if (name && strcmp(name, member) == 0) {
			out->bit_off = f->base + btf_member_bit_offset(f->t, f->next);
			out->bit_size = btf_member_bitfield_size(f->t, f->next);
			out->size = btf__resolve_size(btf, mb->type);
			return 0;
		}
		mt = btf__type_by_id(btf, mb->type);
		if ((!name || !*name) && mt && btf_is_composite(mt) &&
		    depth + 1 < VS_BTF_MAX_DEPTH) {
			uint64_t base = f->base +
					btf_member_bit_offset(f->t, f->next);

			f->next++;
			st[++depth] = (struct frame){ mt, base, 0 };
			continue;
		}
		f->next++;
	}
	return -ENOENT;
}

int vs_btf_member(const struct btf *btf, const char *type, const char *member,
		  struct vs_btf_member *out)
{
	__u32 id;
	const struct btf_type *t = find_composite(btf, type, &id);

	if (!t)
		return -ENOENT;
	return find_member(btf, t, member, out);
}

int vs_btf_type_size(const struct btf *btf, const char *type, uint64_t *size)
{
	__u32 id;
	const struct btf_type *t = find_composite(btf, type, &id);

	if (!t)
		return -ENOENT;
	*size = t->size;
	return 0;
}

uint32_t vs_btf_type_count(const struct btf *btf)
{
	return btf__type_cnt(btf);
}

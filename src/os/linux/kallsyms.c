// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kallsyms.c - decode every kallsyms entry once and index the names.
 *
 * An entry of `names` is a length (one byte, or two when bit 7 is set:
 * len = (b0 & 0x7f) | b1 << 7) followed by that many token indices; the
 * expansion's first character is the symbol type, the rest its name (the
 * type is compressed together with the name, so it is never a raw byte).
 * Addresses come from `offsets`: in the absolute per-CPU form a value >= 0
 * is the address itself and a negative one means relative_base - 1 - v;
 * otherwise every value is an unsigned offset from relative_base. The form
 * is detected: a per-CPU table always has negative entries.
 */
#include "os/linux/kallsyms_int.h"

#include <errno.h>
#include <string.h>

struct vs_kallsyms {
	struct vs_ksyms_info info;
	size_t n;
	uint64_t *addr;
	char *type;
	uint32_t *name;           /* offset into pool */
	char *pool;
	GHashTable *by_name;      /* name -> index + 1 */
	GHashTable *by_base;      /* base name of a clone -> index + 1 */
};

static bool clone_word(const char *w, size_t len)
{
	static const char *const words[] = {
		"isra", "constprop", "part", "cold", "localalias", "llvm",
	};
	bool digits = len > 0;

	for (size_t i = 0; i < len; i++)
		digits = digits && w[i] >= '0' && w[i] <= '9';
	if (digits)
		return true;
	for (size_t i = 0; i < G_N_ELEMENTS(words); i++)
		if (strlen(words[i]) == len && memcmp(words[i], w, len) == 0)
			return true;
	return false;
}

/* Length of the base name when @name is a compiler clone, else 0. */
static size_t clone_base_len(const char *name)
{
	const char *dot = strchr(name, '.');
	const char *p;

	if (!dot || dot == name)
		return 0;
	for (p = dot; *p == '.';) {
		const char *w = p + 1, *e = strchrnul(w, '.');

		if (!clone_word(w, (size_t)(e - w)))
			return 0;
		p = e;
	}
	return (size_t)(dot - name);
}

/* Expand entry @i at names[*off]; writes type and name into the pool. */
static int expand(const struct vs_ksyms_raw *raw, uint64_t names_len,
		  uint64_t *off, GString *pool, char *type)
{
	const uint8_t *nm = raw->names;
	char buf[VS_KSYMS_MAX_NAME + 2];
	size_t blen = 0;
	uint64_t l, o = *off;

	if (o >= names_len)
		return -EINVAL;
	l = nm[o++];
	if (l & 0x80) {
		if (o >= names_len)
			return -EINVAL;
		l = (l & 0x7f) | ((uint64_t)nm[o++] << 7);
	}
	if (l == 0 || l > names_len - o)
		return -EINVAL;
	for (uint64_t j = 0; j < l; j++) {
		const char *tok = (const char *)raw->tokens + raw->index[nm[o + j]];
		size_t tl = strlen(tok);   /* validated: NUL inside the table */

		if (blen + tl > VS_KSYMS_MAX_NAME + 1)
			return -EINVAL;
		memcpy(buf + blen, tok, tl);
		blen += tl;
	}
	if (blen < 2)
		return -EINVAL;
	*type = buf[0];
	g_string_append_len(pool, buf + 1, (gssize)(blen - 1));
	g_string_append_c(pool, '\0');
	*off = o + l;
	return 0;
}

static int decode_all(struct vs_kallsyms *k, const struct vs_ksyms_raw *raw)
{
	GString *pool = g_string_sized_new(k->n * 24);
	bool percpu = false;
	uint64_t off = 0;
	int rc = 0;

	for (size_t i = 0; i < k->n; i++)
		percpu = percpu || raw->offsets[i] < 0;
	k->info.abs_percpu = percpu;
	for (size_t i = 0; i < k->n && rc == 0; i++) {
		int32_t v = raw->offsets[i];

		k->name[i] = (uint32_t)pool->len;
		rc = expand(raw, k->info.names_len, &off, pool, &k->type[i]);
		if (percpu)
			k->addr[i] = v >= 0 ? (uint64_t)v :
				     k->info.relative_base - 1 - (int64_t)v;
		else
			k->addr[i] = k->info.relative_base + (uint32_t)v;
	}
	if (pool->len > UINT32_MAX)
		rc = -E2BIG;
	k->pool = g_string_free(pool, FALSE);
	return rc;
}

static void build_index(struct vs_kallsyms *k)
{
	k->by_name = g_hash_table_new(g_str_hash, g_str_equal);
	k->by_base = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
					   NULL);
	for (size_t i = 0; i < k->n; i++) {
		const char *name = k->pool + k->name[i];
		size_t bl = clone_base_len(name);

		if (!g_hash_table_contains(k->by_name, name))
			g_hash_table_insert(k->by_name, (gpointer)name,
					    GSIZE_TO_POINTER(i + 1));
		if (bl) {
			char *base = g_strndup(name, bl);

			if (g_hash_table_contains(k->by_base, base))
				g_free(base);
			else
				g_hash_table_insert(k->by_base, base,
						    GSIZE_TO_POINTER(i + 1));
		}
	}
}

int vs_kallsyms_parse(struct vs_gmem *m, uint64_t token_table, uint64_t lowest,
		      uint64_t text, struct vs_kallsyms **out)
{
	struct vs_kallsyms *k = g_new0(struct vs_kallsyms, 1);
	struct vs_ksyms_raw raw;
	int rc = vs_ksyms_find(m, token_table, lowest, text, &k->info, &raw);

	if (rc < 0) {
		g_free(k);
		return rc;
	}
	k->n = k->info.num_syms;
	k->addr = g_new(uint64_t, k->n);
	k->type = g_new(char, k->n);
	k->name = g_new(uint32_t, k->n);
	rc = decode_all(k, &raw);
	vs_ksyms_raw_free(&raw);
	if (rc < 0) {
		vs_kallsyms_free(k);
		return rc;
	}
	build_index(k);
	*out = k;
	return 0;
}

int vs_kallsyms_load(struct vs_gmem *m, uint64_t text,
		     struct vs_kallsyms **out)
{
	uint64_t tt;
	int rc = vs_kallsyms_locate(m, text, VS_KSYMS_SCAN_LEN, &tt);

	return rc < 0 ? rc : vs_kallsyms_parse(m, tt, text, text, out);
}

void vs_kallsyms_free(struct vs_kallsyms *k)
{
	if (!k)
		return;
	if (k->by_name)
		g_hash_table_destroy(k->by_name);
	if (k->by_base)
		g_hash_table_destroy(k->by_base);
	g_free(k->addr);
	g_free(k->type);
	g_free(k->name);
	g_free(k->pool);
	g_free(k);
}

size_t vs_kallsyms_count(const struct vs_kallsyms *k)
{
	return k->n;
}

const struct vs_ksyms_info *vs_kallsyms_info(const struct vs_kallsyms *k)
{
	return &k->info;
}

int vs_kallsyms_get(const struct vs_kallsyms *k, size_t i, uint64_t *addr,
		    char *type, const char **name)
{
	if (i >= k->n)
		return -ENOENT;
	*addr = k->addr[i];
	*type = k->type[i];
	*name = k->pool + k->name[i];
	return 0;
}

int vs_kallsyms_lookup(const struct vs_kallsyms *k, const char *name,
		       uint64_t *addr)
{
	gpointer v = g_hash_table_lookup(k->by_name, name);

	if (!v)
		v = g_hash_table_lookup(k->by_base, name);
	if (!v)
		return -ENOENT;
	*addr = k->addr[GPOINTER_TO_SIZE(v) - 1];
	return 0;
}

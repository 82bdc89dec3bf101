// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * envfilter.c - the procmon environment filter (see envfilter.h).
 *
 * Names live in a GHashTable keyed by a length-prefixed copy, so guest
 * keys (byte strings, not NUL-terminated) are looked up without copying.
 */
#include "envfilter.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct vs_envfilter {
	GHashTable *names;   /* GBytes* -> itself */
};

static struct vs_envfilter *filter_new(void)
{
	struct vs_envfilter *f = g_new0(struct vs_envfilter, 1);

	f->names = g_hash_table_new_full(g_bytes_hash, g_bytes_equal,
					 (GDestroyNotify)g_bytes_unref, NULL);
	return f;
}

static void filter_add(struct vs_envfilter *f, const char *name, size_t len)
{
	GBytes *b = g_bytes_new(name, len);

	g_hash_table_add(f->names, b);
}

struct vs_envfilter *vs_envfilter_new_default(void)
{
	static const char *const defaults[] = { "LD_PRELOAD", "PWD", "OLDPWD" };
	struct vs_envfilter *f = filter_new();

	for (size_t i = 0; i < G_N_ELEMENTS(defaults); i++)
		filter_add(f, defaults[i], strlen(defaults[i]));
	return f;
}

void vs_envfilter_free(struct vs_envfilter *f)
{
	if (!f)
		return;
	g_hash_table_destroy(f->names);
	g_free(f);
}

size_t vs_envfilter_count(const struct vs_envfilter *f)
{
	return g_hash_table_size(f->names);
}

bool vs_envfilter_has(const struct vs_envfilter *f, const char *name,
		      size_t len)
{
	GBytes *key = g_bytes_new_static(name, len);
	bool found = g_hash_table_contains(f->names, key);

	g_bytes_unref(key);
	return found;
}

/* Check one line (without its '\n'); 0 = a name, 1 = skip, <0 = error. */
static int check_line(const char *s, size_t len, size_t lineno, char *err,
		      size_t errlen)
{
	if (len == 0 || s[0] == '#')
		return 1;
	if (len > VS_ENVFILTER_MAX_NAME) {
		snprintf(err, errlen, "line %zu: name longer than %d bytes",
			 lineno, VS_ENVFILTER_MAX_NAME);
		return -E2BIG;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '=' || c == ' ' || c == '\t' || c == '\v' ||
		    c == '\f' || c == '\r' || c == '\0') {
			snprintf(err, errlen,
				 "line %zu: a variable name cannot contain %s",
				 lineno, c == '=' ? "'='" :
				 c == '\0' ? "a NUL byte" : "white space");
			return -EINVAL;
		}
	}
	return 0;
}

int vs_envfilter_parse(const char *text, size_t len, struct vs_envfilter **out,
		       char *err, size_t errlen)
{
	struct vs_envfilter *f = filter_new();
	size_t pos = 0, lineno = 0;
	int ret = 0;

	while (pos < len) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		pos += n + (nl ? 1 : 0);
		lineno++;
		if (n && s[n - 1] == '\r')
			n--;   /* files written on Windows */
		ret = check_line(s, n, lineno, err, errlen);
		if (ret < 0)
			goto fail;
		if (ret == 1)
			continue;
		if (g_hash_table_size(f->names) >= VS_ENVFILTER_MAX_NAMES) {
			snprintf(err, errlen, "line %zu: more than %d names",
				 lineno, VS_ENVFILTER_MAX_NAMES);
			ret = -E2BIG;
			goto fail;
		}
		filter_add(f, s, n);
	}
	*out = f;
	return 0;
fail:
	vs_envfilter_free(f);
	return ret;
}

int vs_envfilter_load(const char *path, struct vs_envfilter **out, char *err,
		      size_t errlen)
{
	char lineerr[256];
	char *text = NULL;
	size_t len = 0;
	GError *gerr = NULL;
	int ret;

	if (!g_file_get_contents(path, &text, &len, &gerr)) {
		ret = gerr->domain == G_FILE_ERROR ? -ENOENT : -EIO;
		snprintf(err, errlen, "filter file %s: %s", path, gerr->message);
		g_error_free(gerr);
		return ret;
	}
	if (len > VS_ENVFILTER_MAX_FILE) {
		snprintf(err, errlen, "filter file %s: larger than %u bytes",
			 path, VS_ENVFILTER_MAX_FILE);
		g_free(text);
		return -E2BIG;
	}
	ret = vs_envfilter_parse(text, len, out, lineerr, sizeof(lineerr));
	if (ret < 0)
		snprintf(err, errlen, "filter file %s: %s", path, lineerr);
	g_free(text);
	return ret;
}

int vs_envfilter_check_file(const char *path, char *err, size_t errlen)
{
	struct vs_envfilter *f = NULL;
	int ret = vs_envfilter_load(path, &f, err, errlen);

	vs_envfilter_free(f);
	return ret;
}

struct kept {
	const struct vs_bytes *entry;
	size_t keylen;
	size_t index;   /* original position: equal keys keep their order */
};

static int kept_cmp(const void *a, const void *b)
{
	const struct kept *x = a, *y = b;
	size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
	int c = memcmp(x->entry->ptr, y->entry->ptr, n);

	if (c)
		return c;
	if (x->keylen != y->keylen)
		return x->keylen < y->keylen ? -1 : 1;
	return x->index < y->index ? -1 : (x->index > y->index);
}

size_t vs_envfilter_apply(const struct vs_envfilter *f,
			  const struct vs_bytes *env, size_t n, GString *out)
{
	struct kept *k = g_new(struct kept, n ? n : 1);
	size_t nk = 0;

	for (size_t i = 0; i < n; i++) {
		const char *eq = env[i].len ?
			memchr(env[i].ptr, '=', env[i].len) : NULL;
		size_t keylen = eq ? (size_t)(eq - env[i].ptr) : 0;

		if (!eq || keylen == 0 ||
		    !vs_envfilter_has(f, env[i].ptr, keylen))
			continue;
		k[nk++] = (struct kept){ &env[i], keylen, i };
	}
	qsort(k, nk, sizeof(*k), kept_cmp);
	for (size_t i = 0; i < nk; i++) {
		if (i)
			g_string_append_c(out, ',');
		g_string_append_len(out, k[i].entry->ptr, k[i].entry->len);
	}
	g_free(k);
	return nk;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tdesc.c - read the registers out of a GDB target description (tdesc.h).
 *
 * Not an XML parser: a bounded scanner that finds the start tags it needs
 * (<reg ...> and <xi:include ...>), reads their quoted attributes, skips
 * comments, and ignores every other element. The stub is untrusted: names
 * are length-checked, numbers range-checked, includes bounded in depth
 * and count.
 */
#include "backend/gdb/tdesc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#define MAX_DEPTH 4
#define MAX_INCLUDES 32
#define MAX_ATTR 128

/* The value of attribute @name inside the tag text [s, e); false when the
 * attribute is absent or its value is too long. */
static bool attr(const char *s, const char *e, const char *name, char *val,
		 size_t cap)
{
	size_t nlen = strlen(name);

	for (const char *p = s; p + nlen + 2 < e; p++) {
		const char *q, *close;
		char quote;

		if (memcmp(p, name, nlen) != 0 ||
		    (p > s && !g_ascii_isspace(p[-1])))
			continue;
		q = p + nlen;
		while (q < e && g_ascii_isspace(*q))
			q++;
		if (q >= e || *q != '=')
			continue;
		q++;
		while (q < e && g_ascii_isspace(*q))
			q++;
		if (q >= e || (*q != '"' && *q != '\''))
			return false;
		quote = *q++;
		close = memchr(q, quote, (size_t)(e - q));
		if (!close || (size_t)(close - q) >= cap)
			return false;
		memcpy(val, q, (size_t)(close - q));
		val[close - q] = '\0';
		return true;
	}
	return false;
}

static bool parse_uint(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	if (!g_ascii_isdigit(*s))
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

static int add_reg(struct vs_tdesc *td, const char *s, const char *e)
{
	struct vs_tdesc_reg *r;
	char name[VS_TDESC_NAME], v[MAX_ATTR];
	unsigned bits, num = td->next_regnum;

	if (td->nregs >= VS_TDESC_MAX_REGS)
		return -E2BIG;
	if (!attr(s, e, "name", name, sizeof(name)) || !name[0] ||
	    !attr(s, e, "bitsize", v, sizeof(v)) ||
	    !parse_uint(v, 512, &bits) || bits == 0 || bits % 8)
		return -EINVAL;
	if (attr(s, e, "regnum", v, sizeof(v)) && !parse_uint(v, 65535, &num))
		return -EINVAL;
	for (size_t i = 0; i < td->nregs; i++)
		if (td->regs[i].regnum == num)
			return -EINVAL;
	r = &td->regs[td->nregs++];
	g_strlcpy(r->name, name, sizeof(r->name));
	r->bitsize = bits;
	r->regnum = num;
	r->g_off = -1;
	td->next_regnum = num + 1;
	return 0;
}

static int include(struct vs_tdesc *td, const char *s, const char *e,
		   vs_tdesc_fetch_fn fetch, void *opaque)
{
	char href[MAX_ATTR], *text = NULL;
	size_t len = 0;
	int rc;

	if (!attr(s, e, "href", href, sizeof(href)) || !href[0] ||
	    strchr(href, '/'))
		return -EINVAL;
	if (!fetch || td->depth >= MAX_DEPTH || td->nincludes >= MAX_INCLUDES)
		return -E2BIG;
	td->nincludes++;
	rc = fetch(opaque, href, &text, &len);
	if (rc < 0)
		return rc;
	td->depth++;
	rc = vs_tdesc_parse(td, text, len, fetch, opaque);
	td->depth--;
	g_free(text);
	return rc;
}

static bool tag_is(const char *p, const char *e, const char *name)
{
	size_t n = strlen(name);

	return (size_t)(e - p) > n && memcmp(p, name, n) == 0 &&
	       (g_ascii_isspace(p[n]) || p[n] == '/' || p[n] == '>');
}

int vs_tdesc_parse(struct vs_tdesc *td, const char *xml, size_t len,
		   vs_tdesc_fetch_fn fetch, void *opaque)
{
	const char *p = xml, *end = xml + len;

	while (p < end) {
		const char *lt = memchr(p, '<', (size_t)(end - p)), *gt;
		int rc = 0;

		if (!lt)
			break;
		if ((size_t)(end - lt) >= 4 && memcmp(lt, "<!--", 4) == 0) {
			const char *c = g_strstr_len(lt + 4, end - lt - 4, "-->");

			if (!c)
				return -EINVAL;
			p = c + 3;
			continue;
		}
		gt = memchr(lt, '>', (size_t)(end - lt));
		if (!gt)
			return -EINVAL;
		if (tag_is(lt + 1, gt, "reg"))
			rc = add_reg(td, lt + 4, gt);
		else if (tag_is(lt + 1, gt, "xi:include"))
			rc = include(td, lt + 11, gt, fetch, opaque);
		if (rc < 0)
			return rc;
		p = gt + 1;
	}
	return 0;
}

void vs_tdesc_layout(struct vs_tdesc *td)
{
	size_t off = 0;

	for (unsigned num = 0;; num++) {
		struct vs_tdesc_reg *r = NULL;

		for (size_t i = 0; i < td->nregs && !r; i++)
			if (td->regs[i].regnum == num)
				r = &td->regs[i];
		if (!r)
			break;
		r->g_off = (long)off;
		off += r->bitsize / 8;
	}
	td->g_len = off;
}

const struct vs_tdesc_reg *vs_tdesc_find(const struct vs_tdesc *td,
					 const char *name)
{
	for (size_t i = 0; name && i < td->nregs; i++)
		if (strcmp(td->regs[i].name, name) == 0)
			return &td->regs[i];
	return NULL;
}

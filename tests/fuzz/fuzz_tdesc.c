// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_tdesc.c - the GDB target-description scanner
 * (src/backend/gdb/tdesc.c): the stub serves this XML through
 * qXfer:features:read, so it is as hostile as the stub.
 *
 * Input: documents separated by NUL bytes. The first is the target.xml;
 * each later one is "NAME\nTEXT" and is what an <xi:include href="NAME">
 * fetches (a name with no document gives -ENOENT, as a stub's E reply
 * would). Invariants after a parse that succeeded or not: the include
 * depth is back to 0, at most VS_TDESC_MAX_REGS registers, each with a
 * non-empty NUL-terminated name, a bitsize that is a multiple of 8 in
 * (0, 512] and a regnum no other register has; after the layout, the
 * `g` offsets are exactly the running sum over registers 0, 1, 2, ...
 * and every other register is outside the `g` packet.
 */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "backend/gdb/tdesc.h"
#include "fuzz.h"

#define MAX_DOCS 16

struct docs {
	const char *name[MAX_DOCS], *text[MAX_DOCS];
	size_t name_len[MAX_DOCS], len[MAX_DOCS];
	size_t n;
};

static int fetch(void *opaque, const char *name, char **out, size_t *len)
{
	const struct docs *d = opaque;

	for (size_t i = 1; i < d->n; i++)
		if (d->name_len[i] == strlen(name) &&
		    memcmp(d->name[i], name, d->name_len[i]) == 0) {
			*out = g_strndup(d->text[i], d->len[i]);
			*len = d->len[i];
			return 0;
		}
	return -ENOENT;
}

static void split(const uint8_t *data, size_t size, struct docs *d)
{
	const char *p = (const char *)data, *end = p + size;

	d->n = 0;
	while (d->n < MAX_DOCS) {
		const char *z = memchr(p, 0, (size_t)(end - p));
		const char *e = z ? z : end;
		const char *nl = memchr(p, '\n', (size_t)(e - p));

		if (d->n == 0 || !nl) {
			d->name[d->n] = "";
			d->name_len[d->n] = 0;
			d->text[d->n] = p;
		} else {
			d->name[d->n] = p;
			d->name_len[d->n] = (size_t)(nl - p);
			d->text[d->n] = nl + 1;
		}
		d->len[d->n] = (size_t)(e - d->text[d->n]);
		d->n++;
		if (!z)
			break;
		p = z + 1;
	}
}

static void check(struct vs_tdesc *td)
{
	size_t off = 0;

	FUZZ_CHECK(td->depth == 0);
	FUZZ_CHECK(td->nregs <= VS_TDESC_MAX_REGS);
	for (size_t i = 0; i < td->nregs; i++) {
		const struct vs_tdesc_reg *r = &td->regs[i];

		FUZZ_CHECK(memchr(r->name, 0, sizeof(r->name)) && r->name[0]);
		FUZZ_CHECK(r->bitsize > 0 && r->bitsize <= 512 && r->bitsize % 8 == 0);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(td->regs[j].regnum != r->regnum);
		FUZZ_CHECK(vs_tdesc_find(td, r->name) != NULL);
	}
	vs_tdesc_layout(td);
	for (unsigned num = 0;; num++) {
		const struct vs_tdesc_reg *r = NULL;

		for (size_t i = 0; i < td->nregs && !r; i++)
			if (td->regs[i].regnum == num)
				r = &td->regs[i];
		if (!r)
			break;
		FUZZ_CHECK(r->g_off == (long)off);
		off += r->bitsize / 8;
	}
	FUZZ_CHECK(td->g_len == off);
	for (size_t i = 0; i < td->nregs; i++)
		FUZZ_CHECK(td->regs[i].g_off == -1 ||
			   (size_t)td->regs[i].g_off < td->g_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vs_tdesc *td;
	struct docs d;
	int rc;

	if (size == 0)
		return 0;
	td = g_new0(struct vs_tdesc, 1);
	split(data, size, &d);
	rc = vs_tdesc_parse(td, d.text[0], d.len[0], fetch, &d);
	FUZZ_CHECK(rc == 0 || rc == -EINVAL || rc == -E2BIG || rc == -ENOENT);
	check(td);
	g_free(td);
	return 0;
}

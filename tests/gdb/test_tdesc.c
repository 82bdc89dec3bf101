// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_tdesc.c - the target-description scanner on hand-written XML in
 * the shape QEMU serves (a target.xml that includes a register file):
 * numbering by document order and by regnum, the `g` layout offsets
 * (summed by hand below), comments, and the hostile cases (missing or
 * odd bitsize, duplicate numbers, include loops, names too long).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "backend/gdb/tdesc.h"

static int failures;

#define CHECK(c) do { if (!(c)) { failures++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c); } \
	} while (0)

static const char target[] =
	"<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
	"<target><architecture>i386:x86-64</architecture>\n"
	"<xi:include href=\"core.xml\"/>\n"
	"<!-- <reg name=\"commented\" bitsize=\"64\"/> -->\n"
	"<feature name='sys'><reg name='cr3' bitsize='64' regnum='7'/>"
	"<reg name=\"cr4\" bitsize=\"64\"/></feature></target>\n";

/* rax 8, rbx 8, eflags 4, cs 4, st0 10 bytes, xmm0 16: regs 0..5. */
static const char core[] =
	"<feature name=\"org.gnu.gdb.i386.core\">\n"
	"  <reg name=\"rax\" bitsize=\"64\" type=\"int64\"/>\n"
	"  <reg name=\"rbx\" bitsize=\"64\" type=\"int64\"/>\n"
	"  <reg name=\"eflags\" bitsize=\"32\" type=\"i386_eflags\"/>\n"
	"  <reg name=\"cs\" bitsize=\"32\" type=\"int32\"/>\n"
	"  <reg name=\"st0\" bitsize=\"80\" type=\"i387_ext\"/>\n"
	"  <reg name=\"xmm0\" bitsize=\"128\" type=\"vec128\"/>\n"
	"</feature>\n";

static int fetch(void *opaque, const char *name, char **out, size_t *len)
{
	const char *text = NULL;

	if (strcmp(name, "core.xml") == 0)
		text = core;
	else if (strcmp(name, "loop.xml") == 0)
		text = "<xi:include href=\"loop.xml\"/>";
	if (!text)
		return -ENOENT;
	*out = g_strdup(text);
	*len = strlen(text);
	return 0;
}

static void test_qemu_shape(void)
{
	struct vs_tdesc *td = g_new0(struct vs_tdesc, 1);
	const struct vs_tdesc_reg *r;

	CHECK(vs_tdesc_parse(td, target, strlen(target), fetch, NULL) == 0);
	vs_tdesc_layout(td);
	CHECK(td->nregs == 8);
	CHECK(!vs_tdesc_find(td, "commented"));
	r = vs_tdesc_find(td, "rbx");
	CHECK(r && r->regnum == 1 && r->g_off == 8);
	r = vs_tdesc_find(td, "cs");
	CHECK(r && r->regnum == 3 && r->g_off == 20);
	r = vs_tdesc_find(td, "xmm0");
	CHECK(r && r->regnum == 5 && r->g_off == 34);
	/* regnum 6 is missing: cr3 (7) and cr4 (8) are not in `g` */
	r = vs_tdesc_find(td, "cr3");
	CHECK(r && r->regnum == 7 && r->g_off == -1);
	r = vs_tdesc_find(td, "cr4");
	CHECK(r && r->regnum == 8 && r->g_off == -1);
	CHECK(td->g_len == 50);
	g_free(td);
}

static int parse(const char *xml)
{
	struct vs_tdesc *td = g_new0(struct vs_tdesc, 1);
	int rc = vs_tdesc_parse(td, xml, strlen(xml), fetch, NULL);

	g_free(td);
	return rc;
}

static void test_hostile(void)
{
	CHECK(parse("<reg name=\"a\"/>") == -EINVAL);
	CHECK(parse("<reg name=\"a\" bitsize=\"12\"/>") == -EINVAL);
	CHECK(parse("<reg name=\"a\" bitsize=\"1024\"/>") == -EINVAL);
	CHECK(parse("<reg name=\"a\" bitsize=\"-8\"/>") == -EINVAL);
	CHECK(parse("<reg name=\"a\" bitsize=\"64\" regnum=\"2\"/>"
		    "<reg name=\"b\" bitsize=\"64\" regnum=\"2\"/>") == -EINVAL);
	CHECK(parse("<reg name=\"a0123456789012345678901234567890123\" "
		    "bitsize=\"64\"/>") == -EINVAL);
	CHECK(parse("<reg name=\"a\" bitsize=\"64\"") == -EINVAL);
	CHECK(parse("<!-- open comment") == -EINVAL);
	CHECK(parse("<xi:include href=\"loop.xml\"/>") == -E2BIG);
	CHECK(parse("<xi:include href=\"none.xml\"/>") == -ENOENT);
	CHECK(parse("<xi:include href=\"../etc/passwd\"/>") == -EINVAL);
	CHECK(parse("<registers/><regx name=\"a\"/>") == 0);   /* not <reg> */
}

int main(void)
{
	test_qemu_shape();
	test_hostile();
	if (failures)
		fprintf(stderr, "%d checks failed\n", failures);
	return failures ? 1 : 0;
}

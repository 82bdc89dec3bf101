// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_event.c - building event records: field order, absent fields,
 * the string arena and its bound.
 */
#include <string.h>

#include <glib.h>

#include "common/event.h"

static struct vs_event ev;

static void test_order_and_absent(void)
{
	vs_event_init(&ev, VS_EV_HOOK, VS_OS_LINUX, "procmon", "do_exit");
	vs_event_cstr(&ev, "ThreadName", VS_FT_ESTR, "sh");
	vs_event_num(&ev, "ExitStatus", 7);
	vs_event_absent(&ev, "Environment", VS_FT_ESTR);
	vs_field_ext(vs_event_num(&ev, "GroupExit", 1));
	g_assert_cmpuint(ev.nfields, ==, 4);
	g_assert_cmpstr(ev.fields[0].key, ==, "ThreadName");
	g_assert_cmpuint(ev.fields[0].v.s.len, ==, 2);
	g_assert_true(ev.fields[1].present);
	g_assert_false(ev.fields[2].present);
	g_assert_cmpint(ev.fields[3].cls, ==, VS_FC_EXTENDED);
	g_assert_cmpint(vs_event_field(&ev, "ExitStatus")->v.n, ==, 7);
	g_assert_null(vs_event_field(&ev, "Missing"));
}

static void test_field_limit(void)
{
	vs_event_init(&ev, VS_EV_HOOK, VS_OS_LINUX, "procmon", "t");
	for (int i = 0; i < VS_EVENT_MAX_FIELDS; i++)
		g_assert_nonnull(vs_event_num(&ev, "k", i));
	g_assert_null(vs_event_num(&ev, "one-too-many", 0));
	g_assert_cmpuint(ev.nfields, ==, VS_EVENT_MAX_FIELDS);
}

static void test_arena(void)
{
	static char big[VS_EVENT_ARENA_SIZE];
	const char *a, *b;

	vs_event_init(&ev, VS_EV_HOOK, VS_OS_LINUX, "procmon", "t");
	a = vs_event_strdup(&ev, "a\0b", 3);
	g_assert_nonnull(a);
	g_assert_cmpint(memcmp(a, "a\0b", 4), ==, 0);
	memset(big, 'x', sizeof(big));
	/* Larger than what is left: refused, arena untouched. */
	g_assert_null(vs_event_strdup(&ev, big, sizeof(big) - 4));
	b = vs_event_strdup(&ev, big, sizeof(big) - 6);
	g_assert_nonnull(b);
	/* One byte left: room for an empty string's NUL, then nothing. */
	g_assert_nonnull(vs_event_strdup(&ev, "", 0));
	g_assert_null(vs_event_strdup(&ev, "", 0));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/event/order-and-absent", test_order_and_absent);
	g_test_add_func("/event/field-limit", test_field_limit);
	g_test_add_func("/event/arena", test_arena);
	return g_test_run();
}

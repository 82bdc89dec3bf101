// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_stats.c - counters add up across threads and render as the JSON the
 * contract names (§6), parsed back with json-free string checks.
 */
#include <glib.h>

#include "common/stats.h"

static struct vs_stats st;

static gpointer worker(gpointer data)
{
	const char *type = data;

	for (int i = 0; i < 100000; i++) {
		vs_stats_count_event(&st, type);
		vs_stats_add(&st.read_failures, 1);
	}
	return NULL;
}

static void test_concurrent_counts(void)
{
	GThread *t[4];
	GString *js = g_string_new(NULL);

	vs_stats_init(&st);
	g_assert_cmpint(vs_stats_register_type(&st, "do_exit"), ==, 0);
	g_assert_cmpint(vs_stats_register_type(&st, "kernel_clone"), ==, 1);
	g_assert_cmpint(vs_stats_register_type(&st, "do_exit"), ==, 0);
	t[0] = g_thread_new("a", worker, "do_exit");
	t[1] = g_thread_new("b", worker, "do_exit");
	t[2] = g_thread_new("c", worker, "kernel_clone");
	t[3] = g_thread_new("d", worker, "unregistered");
	for (int i = 0; i < 4; i++)
		g_thread_join(t[i]);
	vs_stats_to_json(&st, js);
	g_assert_cmpstr(js->str, ==,
		"{\"events\":{\"do_exit\":200000,\"kernel_clone\":100000},"
		"\"events_total\":400000,\"events_other\":100000,"
		"\"read_failures\":400000,\"fields_truncated\":0,"
		"\"unresolved_hooks\":0,\"pending_returns_dropped\":0,"
		"\"output_errors\":0,\"translation_flushes\":0}");
	g_string_free(js, TRUE);
}

static void test_table_full(void)
{
	static char names[VS_STATS_MAX_TYPES + 1][8];

	vs_stats_init(&st);
	for (int i = 0; i < VS_STATS_MAX_TYPES; i++) {
		g_snprintf(names[i], sizeof(names[i]), "t%d", i);
		g_assert_cmpint(vs_stats_register_type(&st, names[i]), ==, i);
	}
	g_assert_cmpint(vs_stats_register_type(&st, "overflow"), ==, -1);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/stats/concurrent-counts", test_concurrent_counts);
	g_test_add_func("/stats/table-full", test_table_full);
	return g_test_run();
}

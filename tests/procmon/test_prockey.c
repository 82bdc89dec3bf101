// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_prockey.c - vs_pm_key_format() against hand-written keys: the
 * "<run id>-<pid>-<start ns>" form DRAKVUF-style tools join events on,
 * at the extremes of both numbers and with short buffers (truncated like
 * snprintf: the length written, always NUL-terminated).
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "plugins/procmon/prockey.h"

static void expect(const char *run, int64_t pid, uint64_t start,
		   size_t len, const char *want)
{
	char buf[VS_PM_KEY_SIZE + 8];
	size_t n;

	memset(buf, 'X', sizeof(buf));
	n = vs_pm_key_format(buf, len, run, pid, start);
	g_assert_cmpstr(buf, ==, want);
	g_assert_cmpuint(n, ==, strlen(want));
	g_assert_cmpint(buf[len], ==, 'X');   /* nothing past @len */
}

static void test_forms(void)
{
	expect("1a2b3c4d", 1234, 5678, VS_PM_KEY_SIZE, "1a2b3c4d-1234-5678");
	expect("00000000", 0, 0, VS_PM_KEY_SIZE, "00000000-0-0");
	expect("ffffffff", -1, 1, VS_PM_KEY_SIZE, "ffffffff--1-1");
	expect("deadbeef", INT64_MIN, UINT64_MAX, VS_PM_KEY_SIZE,
	       "deadbeef--9223372036854775808-18446744073709551615");
	expect("deadbeef", INT64_MAX, 10, VS_PM_KEY_SIZE,
	       "deadbeef-9223372036854775807-10");
}

static void test_truncation(void)
{
	char buf[4] = "abc";

	expect("1a2b3c4d", 42, 7, 10, "1a2b3c4d-");
	expect("1a2b3c4d", 42, 7, 1, "");
	g_assert_cmpuint(vs_pm_key_format(buf, 0, "1a2b3c4d", 42, 7), ==, 0);
	g_assert_cmpstr(buf, ==, "abc");      /* len 0: untouched */
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/prockey/forms", test_forms);
	g_test_add_func("/prockey/truncation", test_truncation);
	return g_test_run();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_args.c - the QEMU plugin's argument parsing and log escaping,
 * without QEMU: internal keys (ready=, debug_hook=), strict rejection of
 * malformed or unknown arguments, hand-off of the other keys to the
 * monitoring options (the real vs_monitor_opts_set()), and the escaper of
 * debug_hook lines. Expectations are written by hand.
 */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "backend/qemu/args.h"
#include "backend/qemu/debughook.h"
#include "pipeline/options.h"

static int to_opts(void *ctx, const char *key, const char *value, char *err,
		   size_t errlen)
{
	return vs_monitor_opts_set(ctx, key, value, err, errlen);
}

/* Parse a NULL-terminated list; returns the parser's answer. */
static int parse(struct vs_qemu_args *a, struct vs_monitor_opts *o,
		 char *err, const char *const *argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	vs_qemu_args_init(a);
	vs_monitor_opts_init(o);
	return vs_qemu_args_parse(a, argc, (char **)argv, to_opts, o, err, 256);
}

static void test_internal_keys(void)
{
	const char *argv[] = { "ready=user", "debug_hook=0x401615",
			       "debug_hook=4198400", "verbose=on",
			       "debug_late_hook=0x401647", "events_fd=5",
			       "self_clock=/tmp/a b=c", "direct_ram=off",
			       "hooks_only=on", "debug_direct_skew=100",
			       NULL };
	struct vs_qemu_args a;
	struct vs_monitor_opts o;
	char err[256] = "";

	g_assert_cmpint(parse(&a, &o, err, argv), ==, 0);
	g_assert_cmpint(a.ready, ==, VS_QEMU_READY_USER);
	g_assert_cmpuint(a.ndebug_hooks, ==, 2);
	g_assert_cmphex(a.debug_hooks[0], ==, 0x401615);
	g_assert_cmphex(a.debug_hooks[1], ==, 0x401000);
	g_assert_cmphex(a.debug_late_hook, ==, 0x401647);
	g_assert_cmpstr(a.self_clock, ==, "/tmp/a b=c");
	g_assert_cmpint(a.direct_ram, ==, 0);
	g_assert_cmpint(a.hooks_only, ==, 1);
	g_assert_cmpuint(a.debug_direct_skew, ==, 100);
	g_assert_true(o.verbose);
	g_assert_cmpint(o.events_fd, ==, 5);
	vs_monitor_opts_free(&o);
}

static void test_defaults(void)
{
	const char *argv[] = { NULL };
	struct vs_qemu_args a;
	struct vs_monitor_opts o;
	char err[256] = "";

	g_assert_cmpint(parse(&a, &o, err, argv), ==, 0);
	g_assert_cmpint(a.ready, ==, VS_QEMU_READY_KERNEL);
	g_assert_cmpuint(a.ndebug_hooks, ==, 0);
	g_assert_cmphex(a.debug_late_hook, ==, 0);
	g_assert_cmpstr(a.self_clock, ==, "");
	g_assert_cmpint(a.direct_ram, ==, 1);
	g_assert_cmpint(a.hooks_only, ==, 0);
	g_assert_cmpuint(a.debug_direct_skew, ==, 0);
	g_assert_cmpint(o.events_fd, ==, 1);
	vs_monitor_opts_free(&o);
}

struct bad_case {
	const char *arg;
	int ret;
	const char *msg;     /* must appear in the error sentence */
};

static void test_rejects(void)
{
	static const struct bad_case cases[] = {
		{ "bogus=1", -ENOENT, "unknown plugin argument 'bogus'" },
		{ "noequals", -EINVAL, "'noequals' is not key=value" },
		{ "=x", -EINVAL, "'=x' is not key=value" },
		{ "ready=", -EINVAL, "ready=" },
		{ "ready=boot", -EINVAL, "expected kernel or user" },
		{ "debug_hook=", -EINVAL, "debug_hook=" },
		{ "debug_hook=0x40zz", -EINVAL, "0x40zz" },
		{ "debug_hook=-1", -EINVAL, "debug_hook=-1" },
		{ "debug_hook=0x1ffffffffffffffff", -EINVAL, "debug_hook" },
		{ "debug_late_hook=0", -EINVAL, "debug_late_hook=0" },
		{ "debug_late_hook=x", -EINVAL, "debug_late_hook=x" },
		{ "output_format=xml", -EINVAL, "xml" },
		{ "verbose=maybe", -EINVAL, "maybe" },
		{ "self_clock=", -EINVAL, "expected a file path" },
		{ "direct_ram=", -EINVAL, "expected on or off" },
		{ "direct_ram=yes", -EINVAL, "direct_ram=yes (expected on or off)" },
		{ "hooks_only=1", -EINVAL, "hooks_only=1 (expected on or off)" },
		{ "debug_direct_skew=0", -EINVAL, "expected a read count" },
		{ "debug_direct_skew=x", -EINVAL, "debug_direct_skew=x" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		const char *argv[] = { "verbose=on", cases[i].arg, NULL };
		struct vs_qemu_args a;
		struct vs_monitor_opts o;
		char err[256] = "";
		int ret = parse(&a, &o, err, argv);

		g_test_message("%s -> %d '%s'", cases[i].arg, ret, err);
		g_assert_cmpint(ret, ==, cases[i].ret);
		g_assert_nonnull(strstr(err, cases[i].msg));
		vs_monitor_opts_free(&o);
	}
}

static void test_too_many_hooks(void)
{
	const char *argv[VS_QEMU_MAX_DEBUG_HOOKS + 2];
	struct vs_qemu_args a;
	struct vs_monitor_opts o;
	char err[256] = "";

	for (int i = 0; i <= VS_QEMU_MAX_DEBUG_HOOKS; i++)
		argv[i] = "debug_hook=0x1000";
	argv[VS_QEMU_MAX_DEBUG_HOOKS + 1] = NULL;
	g_assert_cmpint(parse(&a, &o, err, argv), ==, -E2BIG);
	g_assert_cmpuint(a.ndebug_hooks, ==, VS_QEMU_MAX_DEBUG_HOOKS);
	vs_monitor_opts_free(&o);
}

static void test_no_other_handler(void)
{
	char *argv[] = { (char *)"verbose=on" };
	struct vs_qemu_args a;
	char err[64] = "";

	vs_qemu_args_init(&a);
	g_assert_cmpint(vs_qemu_args_parse(&a, 1, argv, NULL, NULL, err,
					   sizeof(err)), ==, -ENOENT);
	g_assert_cmpstr(err, ==, "unknown plugin argument 'verbose'");
}

static void test_escape(void)
{
	static const uint8_t raw[] = "a\"b\\c\n\x01\xff~ ";
	char out[64];
	char small[6];

	g_assert_cmpuint(vs_qemu_escape(raw, sizeof(raw) - 1, out, sizeof(out)),
			 ==, strlen(out));
	g_assert_cmpstr(out, ==, "a\\\"b\\\\c\\x0a\\x01\\xff~ ");
	/* Room for 5 characters: "ab" then no partial "\x0a". */
	vs_qemu_escape((const uint8_t *)"ab\ncd", 5, small, sizeof(small));
	g_assert_cmpstr(small, ==, "ab");
	g_assert_cmpuint(vs_qemu_escape(raw, 3, out, 1), ==, 0);
	g_assert_cmpstr(out, ==, "");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/qemu/args/internal", test_internal_keys);
	g_test_add_func("/qemu/args/defaults", test_defaults);
	g_test_add_func("/qemu/args/rejects", test_rejects);
	g_test_add_func("/qemu/args/too-many-hooks", test_too_many_hooks);
	g_test_add_func("/qemu/args/no-other-handler", test_no_other_handler);
	g_test_add_func("/qemu/escape", test_escape);
	return g_test_run();
}

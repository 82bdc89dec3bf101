// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_envfilter.c - the procmon environment filter against the contract
 * (§4): file syntax, errors naming the line, sorting and joining.
 * Expected strings are written by hand from the contract.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "plugins/procmon/envfilter.h"

static char err[256];

static struct vs_envfilter *parse_ok(const char *text)
{
	struct vs_envfilter *f = NULL;

	err[0] = '\0';
	g_assert_cmpint(vs_envfilter_parse(text, strlen(text), &f, err,
					   sizeof(err)), ==, 0);
	g_assert_nonnull(f);
	return f;
}

/* Apply @f to a NULL-terminated list of C strings, return the value. */
static char *apply(const struct vs_envfilter *f, const char *const *env)
{
	struct vs_bytes b[64];
	size_t n = 0;
	GString *out = g_string_new(NULL);

	for (; env[n]; n++)
		b[n] = (struct vs_bytes){ env[n], strlen(env[n]) };
	vs_envfilter_apply(f, b, n, out);
	return g_string_free(out, FALSE);
}

static void test_defaults(void)
{
	struct vs_envfilter *f = vs_envfilter_new_default();
	const char *env[] = { "PATH=/bin", "PWD=/tmp", "HOME=/root",
			      "OLDPWD=/root", "LD_PRELOAD=/x.so", NULL };
	char *v = apply(f, env);

	g_assert_cmpuint(vs_envfilter_count(f), ==, 3);
	g_assert_cmpstr(v, ==, "LD_PRELOAD=/x.so,OLDPWD=/root,PWD=/tmp");
	g_free(v);
	vs_envfilter_free(f);
}

static void test_file_replaces_defaults(void)
{
	struct vs_envfilter *f = parse_ok("# comment\r\nHOME\r\n\nPATH\n");
	const char *env[] = { "PATH=/bin", "PWD=/tmp", "HOME=/root", NULL };
	char *v = apply(f, env);

	g_assert_cmpuint(vs_envfilter_count(f), ==, 2);
	g_assert_true(vs_envfilter_has(f, "HOME", 4));
	g_assert_false(vs_envfilter_has(f, "PWD", 3));
	g_assert_false(vs_envfilter_has(f, "HOME\r", 5));
	g_assert_cmpstr(v, ==, "HOME=/root,PATH=/bin");
	g_free(v);
	vs_envfilter_free(f);
}

static void test_values_kept_exactly(void)
{
	struct vs_envfilter *f = parse_ok("A\nB\nC\nD\n");
	/* Value = every byte after the first '='; no '=' or empty key skipped. */
	const char *env[] = { "D=x=y", "C=", "B= sp", "A", "=A", "A==b", NULL };
	char *v = apply(f, env);

	g_assert_cmpstr(v, ==, "A==b,B= sp,C=,D=x=y");
	g_free(v);
	vs_envfilter_free(f);
}

static void test_equal_keys_keep_order(void)
{
	struct vs_envfilter *f = parse_ok("K\nKK\n");
	const char *env[] = { "KK=1", "K=2", "K=1", NULL };
	char *v = apply(f, env);

	g_assert_cmpstr(v, ==, "K=2,K=1,KK=1");
	g_free(v);
	vs_envfilter_free(f);
}

static void expect_error(const char *text, int code, const char *needle)
{
	struct vs_envfilter *f = NULL;

	err[0] = '\0';
	g_assert_cmpint(vs_envfilter_parse(text, strlen(text), &f, err,
					   sizeof(err)), ==, code);
	g_assert_null(f);
	if (!strstr(err, needle))
		g_error("error '%s' lacks '%s'", err, needle);
}

static void test_errors_name_the_line(void)
{
	expect_error("PWD\nA=B\n", -EINVAL, "line 2");
	expect_error("PWD\n\n# x\n A\n", -EINVAL, "line 4");
	expect_error("A B\n", -EINVAL, "line 1: a variable name cannot contain white space");
	expect_error("X\nY\tZ\n", -EINVAL, "line 2");
	expect_error("OK\nA=\n", -EINVAL, "'='");
}

static void test_nul_in_file(void)
{
	struct vs_envfilter *f = NULL;
	static const char text[] = "A\nB\0C\n";

	g_assert_cmpint(vs_envfilter_parse(text, sizeof(text) - 1, &f, err,
					   sizeof(err)), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "line 2"));
}

static void test_load_file(void)
{
	char path[] = "/tmp/vs-envfilter-XXXXXX";
	int fd = mkstemp(path);
	struct vs_envfilter *f = NULL;

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(write(fd, "LD_PRELOAD\nMY_VAR\n", 18), ==, 18);
	close(fd);
	g_assert_cmpint(vs_envfilter_load(path, &f, err, sizeof(err)), ==, 0);
	g_assert_cmpuint(vs_envfilter_count(f), ==, 2);
	vs_envfilter_free(f);
	g_assert_cmpint(vs_envfilter_check_file(path, err, sizeof(err)), ==, 0);
	unlink(path);
	g_assert_cmpint(vs_envfilter_check_file(path, err, sizeof(err)), <, 0);
	g_assert_nonnull(strstr(err, path));
}

static void test_empty_file_keeps_nothing(void)
{
	struct vs_envfilter *f = parse_ok("");
	const char *env[] = { "PWD=/", NULL };
	char *v = apply(f, env);

	g_assert_cmpuint(vs_envfilter_count(f), ==, 0);
	g_assert_cmpstr(v, ==, "");
	g_free(v);
	vs_envfilter_free(f);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/envfilter/defaults", test_defaults);
	g_test_add_func("/envfilter/file-replaces-defaults", test_file_replaces_defaults);
	g_test_add_func("/envfilter/values-kept-exactly", test_values_kept_exactly);
	g_test_add_func("/envfilter/equal-keys-keep-order", test_equal_keys_keep_order);
	g_test_add_func("/envfilter/errors-name-the-line", test_errors_name_the_line);
	g_test_add_func("/envfilter/nul-in-file", test_nul_in_file);
	g_test_add_func("/envfilter/load-file", test_load_file);
	g_test_add_func("/envfilter/empty-file", test_empty_file_keeps_nothing);
	return g_test_run();
}

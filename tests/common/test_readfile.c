// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_readfile.c - the bounded whole read (common/readfile.c) returns
 * every byte up to its cap: from a file, from a /proc file longer than a
 * page (line for line what GLib reads), and from a pipe whose writer
 * sends in small pieces (short reads); a missing file or a bad
 * descriptor gives its errno.
 */
#include <errno.h>
#include <glib.h>
#include <string.h>
#include <unistd.h>

#include "common/readfile.h"

static void test_file(void)
{
	char path[] = "/tmp/vs-readfile-XXXXXX";
	size_t size = 300 * 1000;
	char *data = g_malloc(size), *got = g_malloc(size + 16);
	int fd = g_mkstemp(path);

	for (size_t i = 0; i < size; i++)
		data[i] = (char)(i * 31 + 7);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(write(fd, data, size), ==, (ssize_t)size);
	close(fd);
	/* larger cap: the whole file; smaller: exactly the cap */
	g_assert_cmpint(vs_read_path(path, got, size + 16), ==, (ssize_t)size);
	g_assert_cmpint(memcmp(got, data, size), ==, 0);
	g_assert_cmpint(vs_read_path(path, got, 1000), ==, 1000);
	g_assert_cmpint(memcmp(got, data, 1000), ==, 0);
	unlink(path);
	g_assert_cmpint(vs_read_path(path, got, 10), ==, -ENOENT);
	g_free(data);
	g_free(got);
}

/* /proc/self/maps, made a few pages long: the loop reaches its last line. */
static void test_proc(void)
{
	size_t cap = 1 << 20;
	char *buf = g_malloc(cap);
	GPtrArray *keep = g_ptr_array_new_with_free_func(g_free);
	gchar *all = NULL;
	gsize all_len = 0;
	ssize_t n;

	/* Many small separate mappings make the file a few pages long. */
	for (int i = 0; i < 64; i++)
		g_ptr_array_add(keep, g_malloc(256 * 1024));
	n = vs_read_path("/proc/self/maps", buf, cap);
	g_assert_true(g_file_get_contents("/proc/self/maps", &all, &all_len,
					  NULL));
	g_assert_cmpint(n, >, 4096);
	g_assert_cmpint(buf[n - 1], ==, '\n');
	/* same number of lines as GLib's own whole read */
	{
		size_t a = 0, b = 0;

		for (ssize_t i = 0; i < n; i++)
			a += buf[i] == '\n';
		for (gsize i = 0; i < all_len; i++)
			b += all[i] == '\n';
		g_assert_cmpuint(a, ==, b);
	}
	g_free(all);
	g_free(buf);
	g_ptr_array_free(keep, TRUE);
}

/* A pipe delivers what its writer wrote so far: read on to the end. */
static void test_pipe(void)
{
	int p[2];
	char got[64];
	pid_t pid;

	g_assert_cmpint(pipe(p), ==, 0);
	pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		close(p[0]);
		for (int i = 0; i < 10; i++) {
			if (write(p[1], "abcd", 4) != 4)
				_exit(1);
			g_usleep(2000);
		}
		_exit(0);
	}
	close(p[1]);
	g_assert_cmpint(vs_read_full(p[0], got, sizeof(got)), ==, 40);
	g_assert_cmpint(memcmp(got, "abcdabcd", 8), ==, 0);
	close(p[0]);
	g_assert_cmpint(vs_read_full(-1, got, 4), ==, -EBADF);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/readfile/file", test_file);
	g_test_add_func("/readfile/proc", test_proc);
	g_test_add_func("/readfile/pipe", test_pipe);
	return g_test_run();
}

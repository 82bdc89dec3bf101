/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wlog.h - what the self-logging guest workloads of the integration tests
 * (procmon/pmwork.c, identity/idwork.c, adversarial/advwork.c) have in
 * common: one `TAG {json}` line per write() on the console, hex encoding
 * of strings that may hold any byte, waiting for a child, and the small
 * process chores (own name, copy of the own binary, ns_last_pid).
 *
 * Header only (static functions), included by a relative path so that
 * each workload still compiles as one source: `gcc -static x.c`. Before
 * including it a workload defines WLOG_TAG (the line prefix, e.g. "PMW ")
 * and may define WLOG_CAP (the longest line, 8192 by default). The line
 * formats are the tests' contract: this file only assembles them.
 */
#ifndef VS_TESTS_WLOG_H
#define VS_TESTS_WLOG_H

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef WLOG_TAG
#error "define WLOG_TAG (the log line prefix) before including wlog.h"
#endif
#ifndef WLOG_CAP
#define WLOG_CAP 8192
#endif

/*
 * One log line, WLOG_TAG then the formatted text, cut to WLOG_CAP bytes.
 * One write() so lines of concurrent threads and processes never mix;
 * the buffer is on the stack because several threads log at once.
 */
__attribute__((format(printf, 1, 2), unused))
static void plog(const char *fmt, ...)
{
	char buf[WLOG_CAP];
	va_list ap;
	int n = snprintf(buf, sizeof(buf), "%s", WLOG_TAG);

	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(1, buf, n) < 0)
		_exit(99);
}

__attribute__((unused))
static pid_t tid(void)
{
	return (pid_t)syscall(SYS_gettid);
}

/* A handler that only makes a signal interrupt instead of kill. */
__attribute__((unused))
static void on_usr1(int sig)
{
	(void)sig;
}

/* Lower-case hex of the string @s into @out (always terminated). */
__attribute__((unused))
static void hexs(const char *s, char *out, size_t cap)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p && n + 3 < cap; p++)
		n += snprintf(out + n, cap - n, "%02x", *p);
	out[n] = '\0';
}

/* "[\"hex\",...]" of a NULL-terminated vector into @out. */
__attribute__((unused))
static void hexv(char *const *v, char *out, size_t cap)
{
	size_t n = snprintf(out, cap, "[");

	for (int i = 0; v[i] && n + 8 < cap; i++) {
		n += snprintf(out + n, cap - n, "%s\"", i ? "," : "");
		hexs(v[i], out + n, cap - n - 4);
		n += strlen(out + n);
		n += snprintf(out + n, cap - n, "\"");
	}
	snprintf(out + n, cap - n, "]");
}

/* Wait for @pid (any kind of child) and return its wait status. */
__attribute__((unused))
static int wait_child(pid_t pid)
{
	int st = 0;

	while (waitpid(pid, &st, __WALL) < 0 && errno == EINTR)
		;
	return st;
}

/*
 * A child that must exist before its parent acts on it: the child calls
 * pause_ready() with the two ends of a pipe made before the fork (it
 * says "r" and waits in pause() for good), the parent wait_ready().
 */
__attribute__((noreturn, unused))
static void pause_ready(int p[2])
{
	close(p[0]);
	if (write(p[1], "r", 1) != 1)
		_exit(92);
	for (;;)
		pause();
}

__attribute__((unused))
static void wait_ready(int p[2])
{
	char b;

	close(p[1]);
	if (read(p[0], &b, 1) != 1)
		_exit(91);
	close(p[0]);
}

/* An exec that did not happen: logged, and the child ends with 97. */
__attribute__((unused))
static void exec_failed(const char *sc)
{
	plog("{\"ev\":\"exec_failed\",\"sc\":\"%s\",\"pid\":%d,\"errno\":%d}",
	     sc, getpid(), errno);
	_exit(97);
}

/* The base name this binary runs as (the roles hang on it). */
__attribute__((unused))
static const char *self_name(char *buf, size_t cap)
{
	ssize_t n = readlink("/proc/self/exe", buf, cap - 1);

	buf[n > 0 ? n : 0] = '\0';
	return strrchr(buf, '/') ? strrchr(buf, '/') + 1 : buf;
}

/* A copy of this binary at @dst (mode 0755): 0 or -1. */
__attribute__((unused))
static int copy_self(const char *dst)
{
	static char buf[1 << 16];
	int in = open("/proc/self/exe", O_RDONLY);
	int out = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ssize_t n;

	if (in < 0 || out < 0)
		return -1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			return -1;
	close(in);
	return close(out);
}

/* Make @pid + 1 the next PID the kernel hands out: 0 or -1. */
__attribute__((unused))
static int set_last_pid(int pid)
{
	char buf[32];
	int fd = open("/proc/sys/kernel/ns_last_pid", O_WRONLY);
	int n = snprintf(buf, sizeof(buf), "%d", pid), rc;

	if (fd < 0)
		return -1;
	rc = write(fd, buf, n) == n ? 0 : -1;
	close(fd);
	return rc;
}

#endif

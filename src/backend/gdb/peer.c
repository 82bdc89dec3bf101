// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * peer.c - the QEMU behind a unix-socket gdbstub, and how it ended
 * (peer.h). Linux only: SO_PEERCRED names the process that listens on
 * the socket (QEMU's gdbstub); /proc/PID/exe says it is a QEMU;
 * /proc/PID/stat gives its start time (to tell it from a later process
 * with the same PID) and, once it is dying, its exit code.
 *
 * Why the exit code is already there at EOF: the kernel records a task's
 * exit code before it closes the task's files, and QEMU's threads share
 * one file table, closed by the last thread to go; by then the main
 * thread (whose line /proc/PID/stat shows) has recorded its code. Its
 * state is only final (Z, or X) a moment later, hence the short wait.
 * A QEMU still there after it, not even exiting (PF_EXITING), closed the
 * connection and runs on.
 */
#include "backend/gdb/peer.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/readfile.h"

#define STAT_MAX    2048
#define POLL_MS     10
#define FIELD_FLAGS 9
#define FIELD_START 22
#define FIELD_EXIT  52
#define PF_EXITING_BIT 0x4ul     /* include/linux/sched.h PF_EXITING */

/* The decimal field at @p (text ends at @end, not NUL-terminated) into
 * @v; 0 or -EINVAL. */
static int number(const char *p, const char *end, unsigned long long *v)
{
	const char *q = p;

	*v = 0;
	for (; q < end && *q >= '0' && *q <= '9'; q++) {
		if (*v > (ULLONG_MAX - 9) / 10)
			return -EINVAL;
		*v = *v * 10 + (unsigned)(*q - '0');
	}
	return q == p ? -EINVAL : 0;
}

int vs_gdb_proc_stat_parse(const char *text, size_t len,
			   struct vs_proc_stat *st)
{
	const char *p = NULL, *end = text + len;
	unsigned long long v;
	int field = 3, have = 0;

	/* comm (field 2) may hold spaces and ')': the last ')' ends it. */
	for (const char *q = text; q < end; q++)
		if (*q == ')')
			p = q;
	if (!p || end - p < 3 || p[1] != ' ')
		return -EINVAL;
	p += 2;
	st->state = *p;
	while (p < end && field <= FIELD_EXIT) {
		if (field == FIELD_FLAGS || field == FIELD_START ||
		    field == FIELD_EXIT) {
			if (number(p, end, &v) < 0)
				return -EINVAL;
			if (field == FIELD_FLAGS)
				st->flags = (unsigned long)v;
			else if (field == FIELD_START)
				st->start = v;
			else if (v <= 0xffff)
				st->exit_code = (int)v;
			else
				return -EINVAL;
			have++;
		}
		p = memchr(p, ' ', (size_t)(end - p));
		if (!p)
			break;
		p++;
		field++;
	}
	return have == 3 ? 0 : -EINVAL;
}

static int stat_of(pid_t pid, struct vs_proc_stat *st)
{
	char path[64], buf[STAT_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	n = vs_read_path(path, buf, sizeof(buf));
	if (n <= 0)
		return -ESRCH;
	return vs_gdb_proc_stat_parse(buf, (size_t)n, st);
}

static bool is_qemu(pid_t pid)
{
	char path[64], exe[4096];
	const char *base;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	if (n <= 0)
		return false;
	exe[n] = '\0';
	base = strrchr(exe, '/');
	base = base ? base + 1 : exe;
	return strncmp(base, "qemu", 4) == 0;
}

void vs_gdb_peer_note(int fd, struct vs_gdb_peer *p)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	struct vs_proc_stat st;

	p->pid = 0;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
	    cred.pid <= 0 || !is_qemu(cred.pid) || stat_of(cred.pid, &st) < 0)
		return;
	p->pid = cred.pid;
	p->start = st.start;
}

enum vs_gdb_fate vs_gdb_peer_fate(const struct vs_gdb_peer *p, int wait_ms,
				  int *code)
{
	struct timespec nap = { 0, POLL_MS * 1000000L };
	struct vs_proc_stat st;

	if (!p->pid)
		return VS_GDB_FATE_UNKNOWN;
	for (int waited = 0;; waited += POLL_MS) {
		if (stat_of(p->pid, &st) < 0 || st.start != p->start)
			return VS_GDB_FATE_UNKNOWN;      /* reaped, or reused */
		if (st.state == 'Z' || st.state == 'X') {
			if (st.exit_code & 0x7f) {
				*code = st.exit_code & 0x7f;
				return VS_GDB_FATE_KILLED;
			}
			*code = (st.exit_code >> 8) & 0xff;
			return VS_GDB_FATE_EXITED;
		}
		if (waited >= wait_ms)
			return st.flags & PF_EXITING_BIT ? VS_GDB_FATE_UNKNOWN :
			       VS_GDB_FATE_ALIVE;
		nanosleep(&nap, NULL);
	}
}

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
 */
#include "backend/gdb/peer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "common/readfile.h"

#define STAT_MAX    2048
#define POLL_MS     10
#define FIELD_START 22
#define FIELD_EXIT  52

int vs_gdb_proc_stat_parse(const char *text, size_t len, char *state,
			   unsigned long long *start, int *exit_code)
{
	const char *p = NULL, *end = text + len;
	int field = 3, have = 0;

	/* comm (field 2) may hold spaces and ')': the last ')' ends it. */
	for (const char *q = text; q < end; q++)
		if (*q == ')')
			p = q;
	if (!p || end - p < 3 || p[1] != ' ')
		return -EINVAL;
	p += 2;
	*state = *p;
	while (p < end && field <= FIELD_EXIT) {
		char *next;
		unsigned long long v;

		if (field == FIELD_START || field == FIELD_EXIT) {
			errno = 0;
			v = strtoull(p, &next, 10);
			if (errno || next == p)
				return -EINVAL;
			if (field == FIELD_START) {
				*start = v;
			} else {
				if (v > 0xffff)
					return -EINVAL;
				*exit_code = (int)v;
			}
			have++;
		}
		p = memchr(p, ' ', (size_t)(end - p));
		if (!p)
			break;
		p++;
		field++;
	}
	return have == 2 ? 0 : -EINVAL;
}

static int stat_of(pid_t pid, char *state, unsigned long long *start,
		   int *exit_code)
{
	char path[64], buf[STAT_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	n = vs_read_path(path, buf, sizeof(buf));

	if (n <= 0)
		return -ESRCH;
	return vs_gdb_proc_stat_parse(buf, (size_t)n, state, start, exit_code);
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
	char state;
	int code;

	p->pid = 0;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
	    cred.pid <= 0 || !is_qemu(cred.pid) ||
	    stat_of(cred.pid, &state, &p->start, &code) < 0)
		return;
	p->pid = cred.pid;
}

enum vs_gdb_fate vs_gdb_peer_fate(const struct vs_gdb_peer *p, int wait_ms,
				  int *code)
{
	struct timespec nap = { 0, POLL_MS * 1000000L };

	if (!p->pid)
		return VS_GDB_FATE_UNKNOWN;
	for (int waited = 0;; waited += POLL_MS) {
		unsigned long long start;
		char state;
		int ec;

		if (stat_of(p->pid, &state, &start, &ec) < 0 ||
		    start != p->start)
			return VS_GDB_FATE_UNKNOWN;      /* reaped, or reused */
		if (state == 'Z' || state == 'X') {
			if (ec & 0x7f) {
				*code = ec & 0x7f;
				return VS_GDB_FATE_KILLED;
			}
			*code = (ec >> 8) & 0xff;
			return VS_GDB_FATE_EXITED;
		}
		if (waited >= wait_ms)
			return VS_GDB_FATE_UNKNOWN;      /* still alive */
		nanosleep(&nap, NULL);
	}
}

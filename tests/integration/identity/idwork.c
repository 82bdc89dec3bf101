// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * idwork.c - the guest workload of test_identity.py (issue 9): a known
 * process tree whose every process logs itself (`IDW {json}` on the
 * console: its PID and parent PID right after fork, every argv it passes
 * to exec, every signal it sends, which thread is a process's last), so
 * the test can check process keys, parent keys, clone and signal target
 * keys, Arguments, GroupExit and the report's tree against the guest's
 * own account.
 *
 * One static binary: `idwork` is the driver; under any other name
 * (/bin/idhelper, /tmp/hold-*) argv[1] picks a role. Scenarios: exec with
 * awkward arguments (spaces, quotes, empty ones, UTF-8, backslash, tab);
 * a three-level tree of forks and execs; an exec chain (three execs, one
 * process); signals both ways between parent and child; threads that end
 * before their process; a leader that leaves first (the last thread
 * carries GroupExit); exit_group with 8 live threads, twenty times; one PID
 * held three times (ns_last_pid) by processes of different parents.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WLOG_TAG "IDW "
#define WLOG_CAP 4096
#include "../lib/wlog.h"

#define HELPER "/bin/idhelper"
#define REUSE_PID 30000

/* A new process says who it is (its parent is alive: it waits for it). */
static void born(const char *role)
{
	plog("{\"ev\":\"proc\",\"pid\":%d,\"ppid\":%d,\"role\":\"%s\"}",
	     getpid(), getppid(), role);
}

static void do_exec(const char *file, char *const argv[])
{
	char a[2048];
	char *env[] = { "PATH=/bin", NULL };

	hexv(argv, a, sizeof(a));
	plog("{\"ev\":\"exec\",\"pid\":%d,\"argvh\":%s}", getpid(), a);
	execve(file, argv, env);
	plog("{\"ev\":\"exec_failed\",\"pid\":%d,\"errno\":%d}", getpid(), errno);
	_exit(97);
}

/* Fork a child that runs @fn(@arg) and exits with its result; reap it. */
static void child(const char *role, int (*fn)(const char *), const char *arg)
{
	pid_t c = fork();

	if (c < 0)
		_exit(98);
	if (c == 0) {
		born(role);
		_exit(fn(arg));
	}
	wait_child(c);
}

static int exec_helper(const char *what)
{
	char *argv[] = { "idhelper", (char *)what, NULL };

	do_exec(HELPER, argv);
	return 1;
}

/* ---- scenarios -------------------------------------------------------- */

static int exec_awkward(const char *unused)
{
	char *argv[] = { "idhelper", "a b", "q\"uote", "'single'", "",
			 "\xc3\xbc\xe6\x97\xa5\xe6\x9c\xac", "back\\slash",
			 "tab\there", "  two  spaces ", "", "end", "", NULL };

	(void)unused;
	do_exec(HELPER, argv);
	return 1;
}

static int tree_a(const char *unused)
{
	(void)unused;
	child("a1", exec_helper, "leaf");
	child("a2", exec_helper, "forker");
	return 0;
}

static int exec_chain(const char *unused)
{
	char *argv[] = { "idhelper", "chain", "2", NULL };

	(void)unused;
	do_exec(HELPER, argv);
	return 1;
}

static void sc_signals(void)
{
	int p[2];
	pid_t c;

	if (pipe(p) < 0)
		_exit(93);
	c = fork();
	if (c == 0) {
		born("sigchild");
		plog("{\"ev\":\"signal\",\"pid\":%d,\"tpid\":%d,\"sig\":10}",
		     getpid(), getppid());
		kill(getppid(), SIGUSR1);
		pause_ready(p);
	}
	wait_ready(p);
	plog("{\"ev\":\"signal\",\"pid\":%d,\"tpid\":%d,\"sig\":15}", getpid(), c);
	kill(c, SIGTERM);
	wait_child(c);
}

static void *quick(void *arg)
{
	return arg;
}

/* Four threads that end before their process does. */
static int threads_first(const char *unused)
{
	pthread_t th[4];

	(void)unused;
	for (int i = 0; i < 4; i++)
		if (pthread_create(&th[i], NULL, quick, NULL) != 0)
			return 88;
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	return 0;
}

static pid_t leader;

/* State of a thread from /proc (R, S, Z, ...), '?' when unreadable. */
static char task_state(pid_t p, pid_t t)
{
	char path[64], buf[256], *r;
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", p, t);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	r = strrchr(buf, ')');
	return r && r[1] == ' ' ? r[2] : '?';
}

static void *outlive(void *arg)
{
	(void)arg;
	/* Wait (bounded) until the leader has left: it is a zombie then. */
	for (long i = 0; i < 2000000 && task_state(leader, leader) != 'Z'; i++)
		sched_yield();
	plog("{\"ev\":\"last\",\"pid\":%d,\"tid\":%d,\"leader\":\"%c\"}",
	     getpid(), tid(), task_state(leader, leader));
	return NULL;
}

/* The leader leaves first; the thread left is the process's last. */
static int leader_first(const char *unused)
{
	pthread_t th;

	(void)unused;
	leader = getpid();
	if (pthread_create(&th, NULL, outlive, NULL) != 0)
		return 88;
	pthread_exit(NULL);
}

static void *spin(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* exit_group with eight threads alive. */
static int group_exit(const char *unused)
{
	pthread_t th;

	(void)unused;
	for (int i = 0; i < 8; i++)
		if (pthread_create(&th, NULL, spin, NULL) != 0)
			return 88;
	exit(6);
}

/* ---- PID reuse -------------------------------------------------------- */

static int holder(const char *path)
{
	char *argv[] = { (char *)strrchr(path, '/') + 1, "holder", NULL };

	if (getpid() != REUSE_PID)
		plog("{\"ev\":\"reuse_failed\",\"pid\":%d}", getpid());
	do_exec(path, argv);
	return 1;
}

static void hold(const char *path)
{
	if (copy_self(path) < 0 || set_last_pid(REUSE_PID - 1) < 0)
		plog("{\"ev\":\"error\",\"errno\":%d}", errno);
	child("holder", holder, path);
}

static int middle(const char *path)
{
	hold(path);
	return 0;
}

/* ---- roles ------------------------------------------------------------ */

static int helper(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "forker") == 0) {
		child("a2a", threads_first, NULL);
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "chain") == 0 && atoi(argv[2]) > 0) {
		char n[16];
		char *next[] = { "idhelper", "chain", n, NULL };

		snprintf(n, sizeof(n), "%d", atoi(argv[2]) - 1);
		do_exec(HELPER, next);
	}
	if (argc > 1 && strcmp(argv[1], "holder") == 0)
		return 20;
	return 0;
}

int main(int argc, char **argv)
{
	char self[PATH_MAX];
	const char *base = self_name(self, sizeof(self));

	if (strcmp(base, "idwork") != 0)
		return helper(argc, argv);
	signal(SIGUSR1, on_usr1);
	plog("{\"ev\":\"start\",\"pid\":%d,\"ppid\":%d}", getpid(), getppid());
	child("awkward", exec_awkward, NULL);
	child("a", tree_a, NULL);
	child("chain", exec_chain, NULL);
	sc_signals();
	child("threads_first", threads_first, NULL);
	child("leader_first", leader_first, NULL);
	for (int i = 0; i < 20; i++)
		child("group_exit", group_exit, NULL);
	hold("/tmp/hold-a");
	child("middle", middle, "/tmp/hold-b");
	hold("/tmp/hold-c");
	plog("{\"ev\":\"done\"}");
	return 0;
}

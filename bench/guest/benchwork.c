// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * benchwork.c - the guest side of bench/run: five workloads, each timed
 * with the guest's own clock (CLOCK_MONOTONIC) and each logging what it
 * did, so the host can compute slowdowns and prove that no event was lost.
 *
 * Usage (static, run by the guest kit's /init):
 *   benchwork EXEC FORK THREAD SIGNAL COMPUTE_ITERS [GO_DEV]
 *   exec     EXEC x (fork, child execs /bin/bnop, which exits; waitpid)
 *   fork     FORK x fork + _exit(0), 4 children in flight at a time
 *   thread   THREAD x pthread_create + join, 4 threads in flight at a time
 *   signal   SIGNAL round trips of kill(SIGUSR1) between this process and
 *            a child (2 x SIGNAL signals), each waiting with sigwaitinfo
 *   compute  COMPUTE_ITERS rounds of an integer mix: no system calls
 *   GO_DEV   optional: before each workload write `BENCH-READY w` on the
 *            console and wait for one byte on GO_DEV (e.g. /dev/ttyS1), so
 *            the host can attach a monitor first, or run the workload in
 *            two VMs one right after the other (bench/run's lockstep
 *            pairs). Without it nothing waits.
 * BENCH_REPS (environment, 1-20, default 1) runs the five in sequence that
 * many times in one boot; each result line carries its "rep" number (the
 * host pairs repetition r of one VM with repetition r of the other).
 * Around each timed loop it writes `BENCH-BEGIN w` / `BENCH-END w` on the
 * console (the host samples QEMU's CPU time there), then one line
 * `BENCH {json}` with the elapsed nanoseconds and the PIDs/TIDs it made
 * (written after the clock stopped, so logging costs nothing timed).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MAXN 4096
#define BATCH 4
#define NOP "/bin/bnop"

static pid_t ids[MAXN];
static int nids;
static int rep;
static int go_fd = -1;
static char line[MAXN * 8 + 256];

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void out(const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(1, s, n);

		if (w <= 0)
			_exit(99);
		s += w;
		n -= (size_t)w;
	}
}

static void mark(const char *what, const char *w)
{
	char b[64];
	int n = snprintf(b, sizeof(b), "BENCH-%s %s\n", what, w);

	out(b, (size_t)n);
}

/* A workload's clock, between its console marks (the host samples QEMU's
 * CPU time at the marks; the guest's own time is what is reported). */
static uint64_t clock_start(const char *w)
{
	mark("BEGIN", w);
	return now_ns();
}

/* Stops the clock started at @t0: the elapsed nanoseconds. */
static uint64_t clock_stop(const char *w, uint64_t t0)
{
	uint64_t ns = now_ns() - t0;

	mark("END", w);
	return ns;
}

/*
 * The host's go: announce the workload, then block on the go device until
 * one byte arrives. A blocking read runs none of the monitored kernel paths,
 * so the wait itself makes (almost) no events. EOF or an error ends the run.
 */
static void gate(const char *w)
{
	char c;

	if (go_fd < 0)
		return;
	mark("READY", w);
	for (;;) {
		ssize_t r = read(go_fd, &c, 1);

		if (r == 1)
			return;
		if (r == 0 || errno != EINTR)
			_exit(98);
	}
}

static void open_go(const char *path)
{
	struct termios t;

	go_fd = open(path, O_RDONLY | O_NOCTTY);
	if (go_fd < 0)
		_exit(97);
	/* Raw: every byte counts, none is echoed or translated. */
	if (tcgetattr(go_fd, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(go_fd, TCSANOW, &t);
	}
	tcflush(go_fd, TCIFLUSH);
}

/* BENCH {"w":..,"ns":..,"pid":..,<extra>,"ids":[...]} */
static void report(const char *w, uint64_t ns, const char *fmt, ...)
{
	size_t n = (size_t)snprintf(line, sizeof(line),
				    "BENCH {\"w\":\"%s\",\"rep\":%d,\"ns\":%llu,"
				    "\"pid\":%d", w, rep,
				    (unsigned long long)ns, (int)getpid());
	va_list ap;

	va_start(ap, fmt);
	n += (size_t)vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	n += (size_t)snprintf(line + n, sizeof(line) - n, ",\"ids\":[");
	for (int i = 0; i < nids && n < sizeof(line) - 16; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%d",
				      i ? "," : "", (int)ids[i]);
	n += (size_t)snprintf(line + n, sizeof(line) - n, "]}\n");
	out(line, n);
}

static int reap(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		return -1;
	return 0;
}

static void w_exec(int n)
{
	char *argv[] = { NOP, NULL }, *envp[] = { NULL };
	int bad = 0;
	uint64_t t0;

	gate("exec");
	nids = 0;
	t0 = clock_start("exec");
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			execve(NOP, argv, envp);
			_exit(127);
		}
		if (pid < 0 || reap(pid) < 0)
			bad++;
		if (pid > 0)
			ids[nids++] = pid;
	}
	t0 = clock_stop("exec", t0);
	report("exec", t0, ",\"forks\":%d,\"execs\":%d,\"exits\":%d,\"bad\":%d",
	       nids, nids - bad, nids, bad);
}

static void w_fork(int n)
{
	pid_t batch[BATCH];
	int bad = 0;
	uint64_t t0;

	gate("fork");
	nids = 0;
	t0 = clock_start("fork");
	for (int i = 0; i < n; i += BATCH) {
		int k = 0;

		for (; k < BATCH && i + k < n; k++) {
			batch[k] = fork();
			if (batch[k] == 0)
				_exit(0);
			if (batch[k] < 0)
				bad++;
		}
		for (int j = 0; j < k; j++)
			if (batch[j] > 0) {
				bad += reap(batch[j]) < 0;
				ids[nids++] = batch[j];
			}
	}
	t0 = clock_stop("fork", t0);
	report("fork", t0, ",\"forks\":%d,\"exits\":%d,\"bad\":%d", nids,
	       nids, bad);
}

static void *thread_fn(void *arg)
{
	*(pid_t *)arg = (pid_t)syscall(SYS_gettid);
	return NULL;
}

static void w_thread(int n)
{
	pthread_t th[BATCH];
	pid_t tid[BATCH];
	int bad = 0;
	uint64_t t0;

	gate("thread");
	nids = 0;
	t0 = clock_start("thread");
	for (int i = 0; i < n; i += BATCH) {
		int k = 0;

		for (; k < BATCH && i + k < n; k++)
			if (pthread_create(&th[k], NULL, thread_fn, &tid[k])) {
				bad++;
				break;
			}
		for (int j = 0; j < k; j++) {
			pthread_join(th[j], NULL);
			ids[nids++] = tid[j];
		}
	}
	t0 = clock_stop("thread", t0);
	report("thread", t0, ",\"threads\":%d,\"exits\":%d,\"bad\":%d", nids,
	       nids, bad);
}

/* Child of the signal storm: answer each SIGUSR1 with one, @n times. */
static void pong(pid_t parent, int n, int fd)
{
	sigset_t set;
	int sent = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	for (int i = 0; i < n; i++) {
		if (sigwaitinfo(&set, NULL) != SIGUSR1)
			break;
		sent += kill(parent, SIGUSR1) == 0;
	}
	if (write(fd, &sent, sizeof(sent)) != sizeof(sent))
		_exit(2);
	_exit(0);
}

static void w_signal(int n)
{
	sigset_t set;
	int fds[2], sent = 0, csent = -1;
	pid_t child;
	uint64_t t0;

	gate("signal");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (pipe(fds) < 0)
		return;
	nids = 0;
	child = fork();
	if (child == 0)
		pong(getppid(), n, fds[1]);
	if (child < 0)
		return;
	ids[nids++] = child;
	t0 = clock_start("signal");
	for (int i = 0; i < n; i++) {
		if (kill(child, SIGUSR1) == 0)
			sent++;
		if (sigwaitinfo(&set, NULL) != SIGUSR1)
			break;
	}
	t0 = clock_stop("signal", t0);
	if (read(fds[0], &csent, sizeof(csent)) != sizeof(csent))
		csent = -1;
	reap(child);
	close(fds[0]);
	close(fds[1]);
	report("signal", t0, ",\"sent\":%d,\"child_sent\":%d", sent, csent);
}

static void w_compute(unsigned long iters)
{
	volatile uint64_t sink;
	uint64_t x = 88172645463325252ull, acc = 0, t0;

	gate("compute");
	nids = 0;
	t0 = clock_start("compute");
	for (unsigned long i = 0; i < iters; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		acc += x * 0x9E3779B97F4A7C15ull;
	}
	t0 = clock_stop("compute", t0);
	sink = acc;
	(void)sink;
	report("compute", t0, ",\"iters\":%lu", iters);
}

static int count(int argc, char **argv, int i)
{
	int n = argc > i ? atoi(argv[i]) : 300;

	return n < 1 || n > MAXN ? 300 : n;
}

int main(int argc, char **argv)
{
	unsigned long iters = argc > 5 ? strtoul(argv[5], NULL, 0) : 100000000ul;
	const char *r = getenv("BENCH_REPS");
	int reps = r ? atoi(r) : 1;
	char b[64];

	if (reps < 1 || reps > 20)
		reps = 1;
	if (argc > 6)
		open_go(argv[6]);
	snprintf(b, sizeof(b), "BENCH-START %d\n", (int)getpid());
	out(b, strlen(b));
	for (rep = 0; rep < reps; rep++) {
		w_exec(count(argc, argv, 1));
		w_fork(count(argc, argv, 2));
		w_thread(count(argc, argv, 3));
		w_signal(count(argc, argv, 4));
		w_compute(iters);
	}
	out("BENCH-DONE\n", 11);
	return 0;
}

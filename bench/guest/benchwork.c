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
 * BENCH_CHUNKS (environment, 1-64, default 1; only with GO_DEV) splits
 * each timed loop into that many chunks with the gate before each (see
 * struct wclock): bench/run alternates two VMs chunk by chunk.
 * Around each timed chunk it writes `BENCH-BEGIN w` / `BENCH-END w` on the
 * console (the host samples QEMU's CPU time there) and `BENCH-CHUNK w ns`,
 * then after the loop one line `BENCH {json}` with the elapsed nanoseconds
 * (the sum of the chunks), "chunks", and the PIDs/TIDs it made (written
 * after the clock stopped, so logging costs nothing timed).
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
static int nchunks = 1;      /* BENCH_CHUNKS */
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

/*
 * A workload's clock. Its loop runs in BENCH_CHUNKS chunks (default 1);
 * each chunk is timed between console marks (the host samples QEMU's CPU
 * time there) and ends with `BENCH-CHUNK w ns`; before every chunk but the
 * first, the gate waits for the host's go again. The clock stands still
 * while the workload waits, so the reported time is the sum of the chunks:
 * the host alternates two VMs chunk by chunk, and a short burst of a busy
 * host lands on both VMs' sums alike.
 */
struct wclock {
	const char *w;
	uint64_t t0, ns, n;   /* chunk start, time so far, loop length */
	int chunk;            /* chunks done */
};

static void chunk_begin(struct wclock *k)
{
	mark("BEGIN", k->w);
	k->t0 = now_ns();
}

static void chunk_end(struct wclock *k)
{
	char b[64];
	uint64_t ns = now_ns() - k->t0;
	int n;

	k->ns += ns;
	k->chunk++;
	mark("END", k->w);
	n = snprintf(b, sizeof(b), "BENCH-CHUNK %s %llu\n", k->w,
		     (unsigned long long)ns);
	out(b, (size_t)n);
}

static void gate(const char *w);

/* Starts the first chunk of a loop of @n iterations (after the gate). */
static void clock_start(struct wclock *k, const char *w, uint64_t n)
{
	k->w = w;
	k->ns = 0;
	k->n = n;
	k->chunk = 0;
	chunk_begin(k);
}

/* At the top of the loop with @done iterations done: ends the chunk and
 * waits for the go when @done reached the next chunk's share of the loop. */
static void clock_point(struct wclock *k, uint64_t done)
{
	if (k->chunk + 1 >= nchunks ||
	    done < (k->n * (uint64_t)(k->chunk + 1)) / (uint64_t)nchunks)
		return;
	chunk_end(k);
	gate(k->w);
	chunk_begin(k);
}

/* Ends the last chunk: the loop's time, the sum of its chunks. */
static uint64_t clock_stop(struct wclock *k)
{
	chunk_end(k);
	return k->ns;
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
				    "\"chunks\":%d,\"pid\":%d", w, rep,
				    (unsigned long long)ns, nchunks, (int)getpid());
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
	struct wclock k;
	uint64_t ns;

	gate("exec");
	nids = 0;
	clock_start(&k, "exec", (uint64_t)n);
	for (int i = 0; i < n; i++) {
		pid_t pid;

		clock_point(&k, (uint64_t)i);
		pid = fork();

		if (pid == 0) {
			execve(NOP, argv, envp);
			_exit(127);
		}
		if (pid < 0 || reap(pid) < 0)
			bad++;
		if (pid > 0)
			ids[nids++] = pid;
	}
	ns = clock_stop(&k);
	report("exec", ns, ",\"forks\":%d,\"execs\":%d,\"exits\":%d,\"bad\":%d",
	       nids, nids - bad, nids, bad);
}

static void w_fork(int n)
{
	pid_t batch[BATCH];
	int bad = 0;
	struct wclock c;
	uint64_t ns;

	gate("fork");
	nids = 0;
	clock_start(&c, "fork", (uint64_t)n);
	for (int i = 0; i < n; i += BATCH) {
		int k = 0;

		clock_point(&c, (uint64_t)i);
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
	ns = clock_stop(&c);
	report("fork", ns, ",\"forks\":%d,\"exits\":%d,\"bad\":%d", nids,
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
	struct wclock c;
	uint64_t ns;

	gate("thread");
	nids = 0;
	clock_start(&c, "thread", (uint64_t)n);
	for (int i = 0; i < n; i += BATCH) {
		int k = 0;

		clock_point(&c, (uint64_t)i);
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
	ns = clock_stop(&c);
	report("thread", ns, ",\"threads\":%d,\"exits\":%d,\"bad\":%d", nids,
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
	struct wclock k;
	uint64_t ns;

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
	clock_start(&k, "signal", (uint64_t)n);
	for (int i = 0; i < n; i++) {
		clock_point(&k, (uint64_t)i);
		if (kill(child, SIGUSR1) == 0)
			sent++;
		if (sigwaitinfo(&set, NULL) != SIGUSR1)
			break;
	}
	ns = clock_stop(&k);
	if (read(fds[0], &csent, sizeof(csent)) != sizeof(csent))
		csent = -1;
	reap(child);
	close(fds[0]);
	close(fds[1]);
	report("signal", ns, ",\"sent\":%d,\"child_sent\":%d", sent, csent);
}

/*
 * The compute loop comes in eight variants (xorshift shift triples): each
 * is its own translated block in QEMU, at its own place in the code
 * buffer. One hot loop's speed depends on where TCG put its host code (a
 * whole boot 20 % faster in one QEMU than in its partner, chunk after
 * chunk); spread over eight placements, that luck averages out.
 */
#define MIX(n, a, b, c)							\
static __attribute__((noinline)) uint64_t mix##n(uint64_t *xp,		\
						 uint64_t iters)	\
{									\
	uint64_t x = *xp, acc = 0;					\
									\
	for (uint64_t i = 0; i < iters; i++) {				\
		x ^= x << a;						\
		x ^= x >> b;						\
		x ^= x << c;						\
		acc += x * 0x9E3779B97F4A7C15ull;			\
	}								\
	*xp = x;							\
	return acc;							\
}
MIX(0, 13, 7, 17)
MIX(1, 12, 25, 27)
MIX(2, 21, 35, 4)
MIX(3, 23, 17, 26)
MIX(4, 11, 29, 14)
MIX(5, 17, 31, 8)
MIX(6, 5, 15, 27)
MIX(7, 25, 27, 11)

static uint64_t (*const mixes[8])(uint64_t *, uint64_t) = {
	mix0, mix1, mix2, mix3, mix4, mix5, mix6, mix7,
};

static void w_compute(unsigned long iters)
{
	volatile uint64_t sink;
	uint64_t x = 88172645463325252ull, acc = 0, i = 0, ns;
	struct wclock k;

	gate("compute");
	nids = 0;
	clock_start(&k, "compute", iters);
	/* Chunks as an outer loop; each chunk runs the eight variants. */
	for (int c = 0; c < nchunks; c++) {
		uint64_t end = (uint64_t)iters * (uint64_t)(c + 1) /
			       (uint64_t)nchunks;

		clock_point(&k, i);
		for (int v = 0; v < 8; v++) {
			uint64_t part = (end - i) / (uint64_t)(8 - v);

			acc += mixes[v](&x, part);
			i += part;
		}
	}
	ns = clock_stop(&k);
	sink = acc;
	(void)sink;
	report("compute", ns, ",\"iters\":%lu", iters);
}

static int count(int argc, char **argv, int i)
{
	int n = argc > i ? atoi(argv[i]) : 300;

	return n < 1 || n > MAXN ? 300 : n;
}

int main(int argc, char **argv)
{
	unsigned long iters = argc > 5 ? strtoul(argv[5], NULL, 0) : 100000000ul;
	const char *r = getenv("BENCH_REPS"), *c = getenv("BENCH_CHUNKS");
	int reps = r ? atoi(r) : 1;
	char b[64];

	if (reps < 1 || reps > 20)
		reps = 1;
	nchunks = c ? atoi(c) : 1;
	/* Chunks need the gate. The host keeps every loop at least this long:
	 * a loop of fewer iterations than chunks would end fewer chunks. */
	if (nchunks < 1 || nchunks > 64 || argc <= 6)
		nchunks = 1;
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

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pmwork.c - the guest workload of test_procmon_linux.py: it does known
 * process things and logs each one itself, so the test can compare
 * vmiscope's events with the guest's own account.
 *
 * One static binary, three roles chosen by the name it runs as
 * (/proc/self/exe): pmwork (the driver), pmhelper (an exec target that
 * exits with $PMW_EXIT) and pmsuid (a setuid-root copy that logs its
 * uids). Every log line is one write() of `PMW {json}` on stdout (the
 * console); strings that may hold any byte are hex-encoded ("h" keys).
 * Scenarios: exec with awkward arguments, LD_PRELOAD and a filtered
 * variable, a setuid exec by uid 1000, a #! script, fexecve, an exec from
 * a non-leader thread, execveat with a directory fd, exit codes 0/1/7/127, SIGKILL, SIGSEGV by raise()
 * and by a NULL store, kill and tkill of a child, fork, vfork, pthread
 * creation, 8 threads forking at once, and a 200-process fork/exec storm.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WLOG_TAG "PMW "
#include "../lib/wlog.h"

#define HELPER "/bin/pmhelper"
#define SUID "/bin/pmsuid"
#define SCRIPT "/tmp/pmscript.sh"
#define STORM 200
#define NTHREADS 8

static char *envp_std[] = { "PATH=/bin", "PWD=/tmp", NULL };

/* Log an exec the child at @pid (thread @t) is about to make. */
static void log_exec(const char *sc, pid_t pid, pid_t t, const char *file,
		     char *const argv[], char *const envp[], const char *image,
		     const char *interp, const char *fdpath)
{
	char a[4096], e[4096];

	hexv(argv, a, sizeof(a));
	hexv(envp, e, sizeof(e));
	plog("{\"ev\":\"exec\",\"sc\":\"%s\",\"pid\":%d,\"tid\":%d,"
	     "\"file\":\"%s\",\"argvh\":%s,\"envh\":%s,\"image\":\"%s\","
	     "\"interp\":\"%s\",\"fdpath\":\"%s\",\"uid\":%d,\"euid\":%d}",
	     sc, pid, t, file, a, e, image, interp, fdpath ? fdpath : "",
	     (int)getuid(), (int)geteuid());
}

static void log_clone(const char *sc, const char *kind, pid_t parent_tid,
		      pid_t newpid)
{
	plog("{\"ev\":\"clone\",\"sc\":\"%s\",\"kind\":\"%s\",\"pid\":%d,"
	     "\"tid\":%d,\"newpid\":%d}", sc, kind, getpid(), parent_tid, newpid);
}

/* Reap @pid and log how it ended (as its parent sees it). */
static void reap(const char *sc, pid_t pid)
{
	int st = wait_child(pid);

	if (WIFSIGNALED(st))
		plog("{\"ev\":\"exit\",\"sc\":\"%s\",\"pid\":%d,\"tid\":%d,"
		     "\"signal\":%d,\"core\":%d,\"last\":1}", sc, pid, pid,
		     WTERMSIG(st), WCOREDUMP(st) ? 1 : 0);
	else
		plog("{\"ev\":\"exit\",\"sc\":\"%s\",\"pid\":%d,\"tid\":%d,"
		     "\"code\":%d,\"last\":1}", sc, pid, pid, WEXITSTATUS(st));
}

static pid_t xfork(const char *sc)
{
	pid_t p = fork();

	if (p < 0)
		_exit(98);
	if (p > 0)
		log_clone(sc, "fork", tid(), p);
	return p;
}

static void real_path(const char *p, char *out)
{
	if (!realpath(p, out))
		snprintf(out, PATH_MAX, "%s", p);
}

static void sc_exec(const char *sc, char *const argv[], char *const envp[])
{
	char img[PATH_MAX];
	pid_t c;

	real_path(HELPER, img);
	c = xfork(sc);
	if (c == 0) {
		log_exec(sc, getpid(), tid(), HELPER, argv, envp, img, HELPER,
			 NULL);
		execve(HELPER, argv, envp);
		exec_failed(sc);
	}
	reap(sc, c);
}

static void sc_setuid(void)
{
	char *argv[] = { "pmsuid", "ids", NULL };
	char img[PATH_MAX];
	pid_t c;

	real_path(SUID, img);
	c = xfork("setuid");
	if (c == 0) {
		/* Raw syscall: glibc's setuid may signal other threads. */
		if (syscall(SYS_setuid, 1000) < 0)
			_exit(96);
		log_exec("setuid", getpid(), tid(), SUID, argv, envp_std, img,
			 SUID, NULL);
		execve(SUID, argv, envp_std);
		_exit(97);
	}
	reap("setuid", c);
}

static void sc_script(void)
{
	char *argv[] = { SCRIPT, "x y", NULL };
	char *shown[] = { "/bin/sh", SCRIPT, "x y", NULL };
	char img[PATH_MAX];
	int fd = open(SCRIPT, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	pid_t c;

	if (fd < 0 || write(fd, "#!/bin/sh\nexit 5\n", 17) != 17)
		_exit(95);
	close(fd);
	real_path("/bin/sh", img);
	c = xfork("script");
	if (c == 0) {
		log_exec("script", getpid(), tid(), SCRIPT, shown, envp_std, img,
			 "/bin/sh", NULL);
		execve(SCRIPT, argv, envp_std);
		_exit(97);
	}
	reap("script", c);
}

/*
 * fexecve(fd) or execveat(dirfd, name): the kernel names the file
 * /dev/fd/N or /dev/fd/N/name. @sc ("fexecve" or "execveat") picks the
 * call and is the helper's argv[1].
 */
static void sc_fdexec(const char *sc)
{
	char *argv[] = { "pmhelper", (char *)sc, NULL };
	int at = strcmp(sc, "execveat") == 0;
	char img[PATH_MAX], fdp[64];
	pid_t c;

	real_path(HELPER, img);
	c = xfork(sc);
	if (c == 0) {
		int fd = at ? open("/bin", O_RDONLY | O_DIRECTORY) :
			      open(HELPER, O_RDONLY);

		if (at)
			snprintf(fdp, sizeof(fdp), "/dev/fd/%d/pmhelper", fd);
		else
			snprintf(fdp, sizeof(fdp), "/dev/fd/%d", fd);
		log_exec(sc, getpid(), tid(), fdp, argv, envp_std, img, fdp,
			 fdp);
		if (at)
			syscall(SYS_execveat, fd, "pmhelper", argv, envp_std, 0);
		else
			fexecve(fd, argv, envp_std);
		exec_failed(sc);
	}
	reap(sc, c);
}

static void *thread_exec(void *arg)
{
	char *argv[] = { "pmhelper", "from-thread", NULL };
	char img[PATH_MAX];

	(void)arg;
	log_clone("thread_exec", "thread", getpid(), tid());
	real_path(HELPER, img);
	/* The exec'ing thread takes the leader's TID: the event says so. */
	log_exec("thread_exec", getpid(), getpid(), HELPER, argv, envp_std, img,
		 HELPER, NULL);
	plog("{\"ev\":\"exit\",\"sc\":\"thread_exec\",\"pid\":%d,\"tid\":%d,"
	     "\"code\":0,\"last\":0,\"zapped\":1}", getpid(), getpid());
	execve(HELPER, argv, envp_std);
	_exit(97);
}

static void sc_thread_exec(void)
{
	pid_t c = xfork("thread_exec");

	if (c == 0) {
		pthread_t th;

		/* The leader waits in pause(); the exec kills it. */
		if (pthread_create(&th, NULL, thread_exec, NULL) != 0)
			_exit(94);
		for (;;)
			pause();
	}
	reap("thread_exec", c);
}

static void sc_exit_codes(void)
{
	static const int codes[] = { 0, 1, 7, 127 };

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		pid_t c = xfork("exit_code");

		if (c == 0)
			_exit(codes[i]);
		reap("exit_code", c);
	}
}

static void log_signal(const char *sc, pid_t target_pid, pid_t target_tid,
		       int sig)
{
	plog("{\"ev\":\"signal\",\"sc\":\"%s\",\"pid\":%d,\"tid\":%d,"
	     "\"tpid\":%d,\"ttid\":%d,\"sig\":%d}", sc, getpid(), tid(),
	     target_pid, target_tid, sig);
}

/* Read at run time, so the compiler cannot turn the store into a trap. */
static int *volatile nullp;

/*
 * Fork a child that waits in pause() (surviving SIGUSR1 when @usr1) and
 * return once it runs, so a signal sent then cannot come before it.
 */
static pid_t paused_child(const char *sc, int usr1)
{
	int p[2];
	pid_t c;

	if (pipe(p) < 0)
		_exit(93);
	c = xfork(sc);
	if (c == 0) {
		if (usr1)
			signal(SIGUSR1, on_usr1);
		pause_ready(p);
	}
	wait_ready(p);
	return c;
}

static void sc_signals(void)
{
	pid_t c;

	/* SIGKILL of a paused child. */
	c = paused_child("sigkill", 0);
	log_signal("sigkill", c, c, SIGKILL);
	kill(c, SIGKILL);
	reap("sigkill", c);

	/* SIGSEGV by raise(): a signal event, then the death. */
	c = xfork("raise");
	if (c == 0) {
		log_signal("raise", getpid(), tid(), SIGSEGV);
		raise(SIGSEGV);
		_exit(90);
	}
	reap("raise", c);

	/* SIGSEGV by a NULL store: only the death (a kernel-forced fault). */
	c = xfork("nullderef");
	if (c == 0) {
		*nullp = 1;
		_exit(89);
	}
	reap("nullderef", c);

	/* tkill(SIGUSR1) then kill(SIGTERM) of a child. */
	c = paused_child("killtkill", 1);
	log_signal("killtkill", c, c, SIGUSR1);
	syscall(SYS_tkill, c, SIGUSR1);
	log_signal("killtkill", c, c, SIGTERM);
	kill(c, SIGTERM);
	reap("killtkill", c);
}

static void sc_vfork(void)
{
	pid_t c = vfork();

	if (c == 0)
		_exit(0);
	log_clone("vfork", "vfork", tid(), c);
	reap("vfork", c);
}

static pthread_barrier_t barrier;
static pid_t thread_tids[NTHREADS];

static void *forker(void *arg)
{
	long i = (long)arg;
	pid_t c;

	thread_tids[i] = tid();
	pthread_barrier_wait(&barrier);
	c = fork();
	if (c == 0)
		_exit(0);
	log_clone("threads", "fork", tid(), c);
	reap("threads", c);
	plog("{\"ev\":\"exit\",\"sc\":\"threads\",\"pid\":%d,\"tid\":%d,"
	     "\"code\":0,\"last\":0}", getpid(), tid());
	return NULL;
}

static void sc_threads(void)
{
	pthread_t th[NTHREADS];

	pthread_barrier_init(&barrier, NULL, NTHREADS + 1);
	for (long i = 0; i < NTHREADS; i++)
		if (pthread_create(&th[i], NULL, forker, (void *)i) != 0)
			_exit(88);
	pthread_barrier_wait(&barrier);
	for (int i = 0; i < NTHREADS; i++)
		log_clone("threads", "thread", tid(), thread_tids[i]);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
}

static void sc_storm(void)
{
	pid_t kids[STORM];
	char img[PATH_MAX];

	real_path(HELPER, img);
	for (int i = 0; i < STORM; i++) {
		char num[16];
		char *argv[] = { "pmhelper", "storm", num, NULL };

		snprintf(num, sizeof(num), "%d", i);
		kids[i] = xfork("storm");
		if (kids[i] == 0) {
			log_exec("storm", getpid(), tid(), HELPER, argv, envp_std,
				 img, HELPER, NULL);
			execve(HELPER, argv, envp_std);
			_exit(97);
		}
	}
	for (int i = 0; i < STORM; i++)
		reap("storm", kids[i]);
}

static int driver(void)
{
	char *awkward[] = { "pmhelper", "a b", "q\"uote", "'single'",
			    "\xc3\xbc\xe6\x97\xa5\xe6\x9c\xac", "", "back\\slash",
			    "end", NULL };
	char *preload_env[] = { "PATH=/bin", "LD_PRELOAD=/tmp/pre load.so",
				"PMW_VAR=x=y z", "PWD=/tmp", NULL };
	char *plain[] = { "pmhelper", "plain", NULL };
	char self[PATH_MAX];

	real_path("/proc/self/exe", self);
	plog("{\"ev\":\"start\",\"pid\":%d,\"tid\":%d,\"ppid\":%d,\"image\":\"%s\"}",
	     getpid(), tid(), getppid(), self);
	sc_exec("args", awkward, envp_std);
	sc_exec("preload", plain, preload_env);
	sc_setuid();
	sc_script();
	sc_fdexec("fexecve");
	sc_fdexec("execveat");
	sc_thread_exec();
	sc_exit_codes();
	sc_signals();
	sc_vfork();
	sc_threads();
	sc_storm();
	plog("{\"ev\":\"exit\",\"sc\":\"driver\",\"pid\":%d,\"tid\":%d,"
	     "\"code\":0,\"last\":1}", getpid(), tid());
	plog("{\"ev\":\"done\"}");
	return 0;
}

int main(int argc, char **argv)
{
	char self[PATH_MAX];
	const char *base = self_name(self, sizeof(self));

	if (strcmp(base, "pmsuid") == 0) {
		plog("{\"ev\":\"suid\",\"pid\":%d,\"uid\":%d,\"euid\":%d}",
		     getpid(), (int)getuid(), (int)geteuid());
		return 0;
	}
	if (strcmp(base, "pmhelper") == 0) {
		const char *e = getenv("PMW_EXIT");

		return e ? atoi(e) : 0;
	}
	(void)argc;
	(void)argv;
	return driver();
}

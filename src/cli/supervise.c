// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * supervise.c - QEMU as a child of vmiscope (see supervise.h for the
 * descriptors and the rules). One poll() loop watches QEMU's stdout and
 * stderr, the serial pipe and a signalfd (SIGCHLD, SIGINT, SIGTERM,
 * SIGHUP); deadlines for -t, the SIGKILL grace and the final drain become
 * poll timeouts, so nothing spins. The verdict reads the serial scanner,
 * QEMU's wait status and the plugin's status file.
 */
#include "supervise.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/serial_scan.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#define QEMU_LINE_MAX 4096
#define DRAIN_MS 2000          /* pipes still open after QEMU was reaped */

struct linebuf {
	bool from_stderr;
	size_t len;
	char buf[QEMU_LINE_MAX];
};

struct sup {
	const struct vs_supervise_cfg *cfg;
	pid_t pid;
	int sigfd;
	int fd_out, fd_err, fd_serial;   /* read ends; -1 after EOF */
	int serial_dst;
	struct linebuf lb_out, lb_err;
	struct vs_serial_scan scan;
	bool reaped, stopping, timed_out;
	int wstatus;
	long timeout_at, kill_at, drain_at;   /* CLOCK_MONOTONIC ms, 0: none */
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			struct pollfd pf = { .fd = fd, .events = POLLOUT };

			poll(&pf, 1, 100);
			continue;
		}
		if (w <= 0)
			return;     /* the reader is gone: drop, keep going */
		p += w;
		n -= (size_t)w;
	}
}

/*
 * One "qemu: ..." line, written at once so lines never mix. On QEMU's
 * stderr, lines the vmiscope plugin logged ("vmiscope: ...") are vmiscope's
 * own diagnostics and keep their prefix alone. (stdout may carry a guest
 * console, which must not pass for vmiscope, so it is always prefixed.)
 */
static void emit_qemu_line(const char *p, size_t n, bool from_stderr)
{
	char line[QEMU_LINE_MAX + 16];
	size_t pre = 6;

	if (from_stderr && n >= 10 && memcmp(p, "vmiscope: ", 10) == 0)
		pre = 0;
	memcpy(line, "qemu: ", pre);
	memcpy(line + pre, p, n);
	line[pre + n] = '\n';
	write_all(STDERR_FILENO, line, pre + n + 1);
}

static void linebuf_feed(struct linebuf *lb, const char *p, size_t n)
{
	while (n) {
		size_t room = sizeof(lb->buf) - lb->len;
		size_t take = n < room ? n : room;
		char *nl;

		memcpy(lb->buf + lb->len, p, take);
		lb->len += take;
		p += take;
		n -= take;
		while ((nl = memchr(lb->buf, '\n', lb->len))) {
			size_t used = (size_t)(nl - lb->buf) + 1;

			emit_qemu_line(lb->buf, used - 1, lb->from_stderr);
			memmove(lb->buf, lb->buf + used, lb->len - used);
			lb->len -= used;
		}
		if (lb->len == sizeof(lb->buf)) {   /* no newline: cut */
			emit_qemu_line(lb->buf, lb->len, lb->from_stderr);
			lb->len = 0;
		}
	}
}

static void linebuf_flush(struct linebuf *lb)
{
	if (lb->len)
		emit_qemu_line(lb->buf, lb->len, lb->from_stderr);
	lb->len = 0;
}

/* In the child: descriptors 0-4 as supervise.h says, then exec. */
static void __attribute__((noreturn))
child_exec(const struct vs_supervise_cfg *cfg, const int src[5], int errfd,
	   pid_t parent, const sigset_t *oldmask)
{
	int nfds = cfg->serial_pipe ? 5 : 4, hi[5], e;

	setpgid(0, 0);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(127);
	signal(SIGPIPE, SIG_DFL);
	sigprocmask(SIG_SETMASK, oldmask, NULL);
	/* Lift every source above 9 first, so no dup2 clobbers another. */
	for (int i = 0; i < nfds; i++)
		if ((hi[i] = fcntl(src[i], F_DUPFD_CLOEXEC, 10)) < 0)
			goto fail;
	for (int i = 0; i < nfds; i++)
		if (dup2(hi[i], i) < 0)
			goto fail;
	close_range((unsigned)nfds, ~0U, CLOSE_RANGE_CLOEXEC);
	execv(cfg->argv[0], cfg->argv);
fail:
	e = errno;
	write_all(errfd, (const char *)&e, sizeof(e));
	_exit(127);
}

static void stop_qemu(struct sup *s, const char *why)
{
	if (s->reaped)
		return;
	if (s->stopping) {
		kill(-s->pid, SIGKILL);
		return;
	}
	if (!s->cfg->quiet)
		vs_cli_msg("%s: %s, stopping QEMU", s->cfg->cmd, why);
	kill(-s->pid, SIGTERM);
	s->stopping = true;
	s->kill_at = now_ms() + VS_KILL_GRACE_MS;
}

static void on_signal(struct sup *s)
{
	struct signalfd_siginfo si;

	while (read(s->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo != SIGCHLD) {
			stop_qemu(s, strsignal((int)si.ssi_signo));
			continue;
		}
		if (!s->reaped && waitpid(s->pid, &s->wstatus, WNOHANG) == s->pid) {
			s->reaped = true;
			s->kill_at = 0;
			s->drain_at = now_ms() + DRAIN_MS;
		}
	}
}

/* Read what @*fd has; at EOF close it and set -1. */
static void on_pipe(struct sup *s, int *fd)
{
	char buf[65536];
	ssize_t n = read(*fd, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close(*fd);
		*fd = -1;
		return;
	}
	if (fd == &s->fd_serial) {
		write_all(s->serial_dst, buf, (size_t)n);
		vs_serial_scan_feed(&s->scan, buf, (size_t)n);
		return;
	}
	/* A user's own command line: the console, if any, is on stdout. */
	if (fd == &s->fd_out && !s->cfg->serial_pipe)
		vs_serial_scan_feed(&s->scan, buf, (size_t)n);
	linebuf_feed(fd == &s->fd_out ? &s->lb_out : &s->lb_err, buf,
		     (size_t)n);
}

static int next_timeout(const struct sup *s, long now)
{
	long t = -1;
	const long d[] = { s->timeout_at, s->kill_at, s->drain_at };

	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		long left = d[i] - now > 0 ? d[i] - now : 0;

		if (d[i] && (t < 0 || left < t))
			t = left;
	}
	return (int)t;
}

static void loop(struct sup *s)
{
	while (!s->reaped || s->fd_out >= 0 || s->fd_err >= 0 ||
	       s->fd_serial >= 0) {
		struct pollfd p[4];
		int *fds[4] = { &s->sigfd, &s->fd_out, &s->fd_err, &s->fd_serial };
		long now = now_ms();
		int n;

		if (s->timeout_at && now >= s->timeout_at) {
			s->timeout_at = 0;
			s->timed_out = !s->stopping;
			stop_qemu(s, "the -t time is up");
		}
		if (s->kill_at && now >= s->kill_at && !s->reaped) {
			s->kill_at = 0;
			vs_cli_msg("%s: QEMU did not stop in %d s, killing it",
				   s->cfg->cmd, VS_KILL_GRACE_MS / 1000);
			kill(-s->pid, SIGKILL);
		}
		if (s->drain_at && now >= s->drain_at)
			break;  /* something else holds the pipes open */
		for (int i = 0; i < 4; i++)
			p[i] = (struct pollfd){ .fd = *fds[i], .events = POLLIN };
		n = poll(p, 4, next_timeout(s, now));
		if (n < 0 && errno != EINTR)
			break;
		for (int i = 1; i < 4 && n > 0; i++)
			if (p[i].revents && *fds[i] >= 0)
				on_pipe(s, fds[i]);
		if (n > 0 && p[0].revents)
			on_signal(s);
	}
	linebuf_flush(&s->lb_out);
	linebuf_flush(&s->lb_err);
}

/* The first line of the plugin's status file (options.h), or "". */
static void read_status(const char *path, char *word, size_t len)
{
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	ssize_t n = 0;

	word[0] = '\0';
	if (fd < 0)
		return;
	while ((n = read(fd, word, len - 1)) < 0 && errno == EINTR)
		;
	close(fd);
	word[n > 0 ? n : 0] = '\0';
	word[strcspn(word, "\r\n")] = '\0';
}

static int verdict(const struct sup *s)
{
	const char *cmd = s->cfg->cmd;
	int st = s->wstatus;
	char status[64];

	if (s->scan.seen & VS_SERIAL_PANIC) {
		vs_cli_msg("%s: the guest kernel panicked", cmd);
		return VS_EXIT_GUEST;
	}
	if (s->scan.seen & VS_SERIAL_RESET) {
		vs_cli_msg("%s: the guest reset (reboot: Restarting system)", cmd);
		return VS_EXIT_GUEST;
	}
	if (s->timed_out && s->cfg->timeout_fails) {
		vs_cli_msg("%s: the guest did not power off within %u s", cmd,
			   s->cfg->timeout);
		return VS_EXIT_FAILURE;
	}
	if (!s->stopping && WIFSIGNALED(st)) {
		vs_cli_msg("%s: QEMU was killed by signal %d (%s)", cmd,
			   WTERMSIG(st), strsignal(WTERMSIG(st)));
		return VS_EXIT_FAILURE;
	}
	if (!s->stopping && WEXITSTATUS(st) != 0) {
		vs_cli_msg("%s: QEMU exited with status %d", cmd, WEXITSTATUS(st));
		return VS_EXIT_FAILURE;
	}
	if (!s->stopping && s->cfg->serial_pipe &&
	    !(s->scan.seen & VS_SERIAL_POWEROFF)) {
		vs_cli_msg("%s: QEMU ended without the guest powering off (reset or triple fault?)",
			   cmd);
		return VS_EXIT_GUEST;
	}
	read_status(s->cfg->status_file, status, sizeof(status));
	if (strcmp(status, "failed") == 0) {
		vs_cli_msg("%s: monitoring failed (see the plugin's messages above)",
			   cmd);
		return VS_EXIT_FAILURE;
	}
	if (strcmp(status, "incomplete") == 0) {
		vs_cli_msg("%s: monitoring was incomplete (see the plugin's messages above)",
			   cmd);
		return VS_EXIT_INCOMPLETE;
	}
	return VS_EXIT_OK;
}

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

/*
 * Fork and exec QEMU. Returns 0, or -errno when it could not start (the
 * child reports a failed exec through a close-on-exec pipe).
 */
static int start_child(struct sup *s, const sigset_t *oldmask)
{
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, ser[2] = { -1, -1 };
	int ex[2] = { -1, -1 }, devnull, e = 0, ret = 0;
	int *all[] = { &devnull, &out[0], &out[1], &err[0], &err[1], &ser[0],
		       &ser[1], &ex[0], &ex[1] };
	pid_t parent = getpid();
	ssize_t n;

	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull < 0 || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC) ||
	    pipe2(ex, O_CLOEXEC) ||
	    (s->cfg->serial_pipe && pipe2(ser, O_CLOEXEC))) {
		ret = -errno;
		goto out;
	}
	s->pid = fork();
	if (s->pid < 0) {
		ret = -errno;
		goto out;
	}
	if (s->pid == 0) {
		const int src[5] = { devnull, out[1], err[1], STDOUT_FILENO, ser[1] };

		child_exec(s->cfg, src, ex[1], parent, oldmask);
	}
	setpgid(s->pid, s->pid);    /* also in the child: no race */
	close_fd(&ex[1]);
	while ((n = read(ex[0], &e, sizeof(e))) < 0 && errno == EINTR)
		;
	if (n == sizeof(e)) {
		while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
			;
		s->reaped = true;
		ret = -e;
		goto out;
	}
	s->fd_out = out[0];
	s->fd_err = err[0];
	s->fd_serial = ser[0];
	out[0] = err[0] = ser[0] = -1;
out:
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		close_fd(all[i]);
	return ret;
}

static int open_serial_dst(const struct vs_supervise_cfg *cfg)
{
	int fd;

	if (!cfg->serial_log)
		return STDERR_FILENO;
	fd = open(cfg->serial_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		  0644);
	if (fd < 0)
		vs_cli_msg("%s: --serial-log %s: %s", cfg->cmd, cfg->serial_log,
			   strerror(errno));
	return fd;
}

int vs_supervise(const struct vs_supervise_cfg *cfg)
{
	struct sup s = { .cfg = cfg, .fd_out = -1, .fd_err = -1,
			 .fd_serial = -1, .sigfd = -1 };
	sigset_t mask, oldmask;
	void (*old_pipe)(int);
	int ret;

	vs_serial_scan_init(&s.scan);
	s.lb_err.from_stderr = true;
	s.serial_dst = open_serial_dst(cfg);
	if (s.serial_dst < 0)
		return VS_EXIT_FAILURE;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, &oldmask);
	old_pipe = signal(SIGPIPE, SIG_IGN);
	s.sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	ret = s.sigfd < 0 ? -errno : start_child(&s, &oldmask);
	if (ret) {
		vs_cli_msg("%s: cannot start %s: %s", cfg->cmd, cfg->argv[0],
			   strerror(-ret));
		ret = VS_EXIT_FAILURE;
		goto out;
	}
	if (cfg->timeout)
		s.timeout_at = now_ms() + (long)cfg->timeout * 1000L;
	loop(&s);
	if (!s.reaped) {    /* the drain gave up: make sure it is gone */
		kill(-s.pid, SIGKILL);
		while (waitpid(s.pid, &s.wstatus, 0) < 0 && errno == EINTR)
			;
		s.reaped = true;
	}
	ret = verdict(&s);
out:
	close_fd(&s.fd_out);
	close_fd(&s.fd_err);
	close_fd(&s.fd_serial);
	close_fd(&s.sigfd);
	if (s.serial_dst != STDERR_FILENO)
		close(s.serial_dst);
	signal(SIGPIPE, old_pipe);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	return ret;
}

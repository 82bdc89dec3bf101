// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qemu_host.c - find and vet QEMU and the vmiscope plugin (qemu_host.h).
 * The version check runs `qemu -version` with a bounded wait, because it
 * happens before anything else is started and must not hang `run`.
 */
#include "qemu_host.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "cli/cli.h"
#include "cli/commands.h"

#define VERSION_WAIT_MS 10000
#define BACKPORTS_HINT \
	"install the Debian package qemu-system-x86 from bookworm-backports " \
	"(apt-get install -t bookworm-backports qemu-system-x86)"

static bool is_exec_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

char *vs_find_program(const char *name)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];

	if (!name || !*name)
		return NULL;
	if (strchr(name, '/'))
		return is_exec_file(name) ? strdup(name) : NULL;
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		int len = snprintf(buf, sizeof(buf), "%.*s/%s", (int)n,
				   n ? path : ".", name);

		if (n == 0)
			len = snprintf(buf, sizeof(buf), "./%s", name);
		if (len > 0 && (size_t)len < sizeof(buf) && is_exec_file(buf))
			return strdup(buf);
		path += n;
		if (*path == ':')
			path++;
	}
	return NULL;
}

int vs_qemu_parse_version(const char *text, unsigned *major, unsigned *minor,
			  unsigned *micro)
{
	static const char tag[] = "QEMU emulator version ";
	const char *p = text ? strstr(text, tag) : NULL;
	unsigned v[3] = { 0, 0, 0 };

	if (!p)
		return -EINVAL;
	p += sizeof(tag) - 1;
	if (*p < '0' || *p > '9' ||
	    sscanf(p, "%5u.%5u.%5u", &v[0], &v[1], &v[2]) < 2)
		return -EINVAL;          /* "major.minor" at least */
	*major = v[0];
	*minor = v[1];
	*micro = v[2];
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Up to @cap-1 bytes of `@qemu -version`; -errno or the length. */
static int read_version(const char *qemu, char *buf, size_t cap)
{
	int fds[2], status;
	size_t len = 0;
	long deadline = now_ms() + VERSION_WAIT_MS;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return -EAGAIN;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		dup2(devnull, 0);
		dup2(fds[1], 1);
		dup2(fds[1], 2);
		signal(SIGPIPE, SIG_DFL);
		execl(qemu, qemu, "-version", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	for (;;) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		long left = deadline - now_ms();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) == 0)
			break;      /* timeout: use what arrived */
		n = read(fds[0], buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == cap - 1)
			break;
	}
	close(fds[0]);
	buf[len] = '\0';
	kill(pid, SIGKILL);     /* no-op when it already exited */
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return (int)len;
}

int vs_qemu_check(const char *cmd, const char *qemu)
{
	char text[4096];
	unsigned major, minor, micro;
	int n = read_version(qemu, text, sizeof(text));

	if (n < 0) {
		vs_cli_msg("%s: cannot run %s -version: %s", cmd, qemu,
			   strerror(-n));
		return VS_EXIT_USAGE;
	}
	if (vs_qemu_parse_version(text, &major, &minor, &micro)) {
		vs_cli_msg("%s: %s -version did not print a QEMU version; vmiscope needs QEMU %d.%d or later: %s",
			   cmd, qemu, VS_QEMU_MIN_MAJOR, VS_QEMU_MIN_MINOR,
			   BACKPORTS_HINT);
		return VS_EXIT_USAGE;
	}
	if (major < VS_QEMU_MIN_MAJOR ||
	    (major == VS_QEMU_MIN_MAJOR && minor < VS_QEMU_MIN_MINOR)) {
		vs_cli_msg("%s: %s is QEMU %u.%u.%u, too old for the vmiscope plugin (needs %d.%d or later, plugin API 4): %s",
			   cmd, qemu, major, minor, micro, VS_QEMU_MIN_MAJOR,
			   VS_QEMU_MIN_MINOR, BACKPORTS_HINT);
		return VS_EXIT_USAGE;
	}
	return 0;
}

static char *plugin_at(const char *dir)
{
	char path[PATH_MAX];
	char *real;

	if (snprintf(path, sizeof(path), "%s/%s", dir, VS_QEMU_PLUGIN_NAME) >=
	    (int)sizeof(path))
		return NULL;
	if (access(path, R_OK) < 0)
		return NULL;
	real = realpath(path, NULL);
	return real;
}

char *vs_qemu_find_plugin(const char *cmd, const char *explicit_path)
{
	char self[PATH_MAX], libdir[PATH_MAX];
	ssize_t n;
	char *found, *slash;
	struct stat st;

	if (explicit_path) {
		if (stat(explicit_path, &st) == 0 && S_ISREG(st.st_mode) &&
		    access(explicit_path, R_OK) == 0)
			return realpath(explicit_path, NULL);
		vs_cli_msg("%s: --qemu-plugin %s: %s", cmd, explicit_path,
			   strerror(errno ? errno : EINVAL));
		return NULL;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = '\0';
	slash = strrchr(self, '/');
	if (slash) {
		*slash = '\0';
		found = plugin_at(self);
		if (found)
			return found;
	}
	snprintf(libdir, sizeof(libdir), "%s/vmiscope", VS_LIBDIR);
	found = plugin_at(libdir);
	if (found)
		return found;
	vs_cli_msg("%s: cannot find %s (looked in %s and %s); use --qemu-plugin PATH",
		   cmd, VS_QEMU_PLUGIN_NAME, slash ? self : "(unknown)",
		   libdir);
	return NULL;
}

/*
 * The first accelerator in @list other than tcg: "kvm", "kvm:tcg",
 * "tcg,thread=multi" (-accel, where the first item names it) or
 * "q35,accel=kvm" (-machine). NULL when only tcg is named.
 */
static const char *bad_accel(const char *list, bool implied, char *out,
			     size_t outlen)
{
	char *copy = strdup(list), *save = NULL, *item;
	const char *ret = NULL;
	bool first = true;

	for (item = copy ? strtok_r(copy, ",", &save) : NULL; item && !ret;
	     item = strtok_r(NULL, ",", &save), first = false) {
		char *names = NULL, *save2 = NULL, *name;

		if (strncmp(item, "accel=", 6) == 0)
			names = item + 6;
		else if (implied && first && !strchr(item, '='))
			names = item;
		for (name = names ? strtok_r(names, ":", &save2) : NULL; name;
		     name = strtok_r(NULL, ":", &save2)) {
			if (strcmp(name, "tcg") != 0) {
				snprintf(out, outlen, "%s", name);
				ret = out;
				break;
			}
		}
	}
	free(copy);
	return ret;
}

int vs_qemu_check_user_args(int argc, char *const *argv, char *err,
			    size_t errlen)
{
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : "";
		const char *acc = NULL;
		char name[32];

		if (o[0] != '-')
			continue;
		if (o[1] == '-' && o[2])        /* QEMU takes --opt as -opt */
			o++;
		if (strcmp(o, "-enable-kvm") == 0)
			acc = "kvm";
		else if (strcmp(o, "-accel") == 0)
			acc = bad_accel(val, true, name, sizeof(name));
		else if (strcmp(o, "-machine") == 0 || strcmp(o, "-M") == 0)
			acc = bad_accel(val, false, name, sizeof(name));
		if (acc) {
			bool kvm = strcmp(acc, "kvm") == 0;

			snprintf(err, errlen,
				 "'%s%s%s' is refused: QEMU plugins see nothing under %s (they only work under TCG); use vmiscope attach",
				 argv[i], strcmp(o, "-enable-kvm") ? " " : "",
				 strcmp(o, "-enable-kvm") ? val : "",
				 kvm ? "KVM" : acc);
			return -EINVAL;
		}
		if (strcmp(o, "-daemonize") == 0) {
			snprintf(err, errlen,
				 "'%s' is refused: QEMU must stay vmiscope's child", argv[i]);
			return -EINVAL;
		}
		if (strcmp(o, "-plugin") == 0) {
			snprintf(err, errlen,
				 "'%s %s' is refused: vmiscope adds its own -plugin and QEMU would run a second one",
				 argv[i], val);
			return -EINVAL;
		}
	}
	return 0;
}

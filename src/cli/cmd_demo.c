// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_demo.c - `vmiscope demo`: build the demo guest with the guest kit of
 * the source tree (guest/fetch-kernel prints "SUITE VERSION PATH" of a
 * Debian kernel,
 * guest/build-initramfs packs the scripted workload), then boot it like
 * `run` with a safety timeout: events on stdout, console on stderr, exit 0
 * when the guest powers off. It never installs packages: the kit only uses
 * what is there (and apt's cache of kernels).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/run.h"

#define DEMO_TIMEOUT 300        /* s: boot + ~20 s workload, slow TCG */
#define DEMO_SUITE "bookworm"

enum { OPT_KERNEL = VS_CLI_OPT_BASE, OPT_SERIAL_LOG, OPT_QEMU,
       OPT_QEMU_PLUGIN };

static const char usage[] =
"Usage: vmiscope demo [OPTIONS] [--kernel FILE] [-t SECONDS]\n"
"                     [--serial-log FILE] [--qemu PATH] [--qemu-plugin PATH]\n"
"\n"
"Build the demo guest with the guest kit (" VS_SOURCE_DIR "/guest),\n"
"boot it under QEMU TCG, run a scripted workload (exec, fork, signals,\n"
"exits) for about 20 s and print its events. Exits 0 when the guest\n"
"powers off. Never installs packages.\n"
"\n"
"  --kernel FILE               boot FILE instead of the kit's Debian kernel\n"
"  -t, --timeout SECONDS       give up after SECONDS (default 300: exit 1)\n"
"  --serial-log FILE           the guest console to FILE instead of stderr\n"
"  --qemu PATH                 the QEMU binary\n"
"  --qemu-plugin PATH          the vmiscope QEMU plugin\n"
"\n";

static const struct option longopts[] = {
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "timeout", required_argument, NULL, 't' },
	{ "serial-log", required_argument, NULL, OPT_SERIAL_LOG },
	{ "qemu", required_argument, NULL, OPT_QEMU },
	{ "qemu-plugin", required_argument, NULL, OPT_QEMU_PLUGIN },
	{ 0 },
};

static void demo_opt(struct vs_cli_args *a, int c, const char *arg, void *ctx)
{
	struct vs_run_opts *r = ctx;

	switch (c) {
	case OPT_KERNEL:      r->kernel = arg; break;
	case OPT_SERIAL_LOG:  r->serial_log = arg; break;
	case OPT_QEMU:        r->qemu = arg; break;
	case OPT_QEMU_PLUGIN: r->qemu_plugin = arg; break;
	case 't':
		if (vs_cli_uint(arg, 1, 86400, &r->timeout))
			vs_cli_error(a, "demo: -t '%s': expected whole seconds, 1 to 86400",
				     arg);
		break;
	}
}

/* Keep the last non-empty line of @buf (fed in pieces) in @out. */
static void last_line(const char *buf, size_t n, char *cur, size_t *curlen,
		      char *out, size_t outlen)
{
	for (size_t i = 0; i < n; i++) {
		if (buf[i] != '\n') {
			if (*curlen + 1 < outlen)
				cur[(*curlen)++] = buf[i];
			continue;
		}
		if (*curlen) {
			memcpy(out, cur, *curlen);
			out[*curlen] = '\0';
		}
		*curlen = 0;
	}
}

/*
 * Run a guest-kit tool. Its stdout goes to stderr (the event stream stays
 * clean) unless @out is given: then its last non-empty line lands there.
 */
static int run_tool(char *const argv[], char *out, size_t outlen)
{
	int fds[2] = { -1, -1 }, status;
	pid_t pid;

	if (out && pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		dup2(out ? fds[1] : STDERR_FILENO, STDOUT_FILENO);
		execv(argv[0], argv);
		vs_cli_msg("demo: cannot run %s: %s", argv[0], strerror(errno));
		_exit(127);
	}
	if (out) {
		char buf[4096], *cur = malloc(outlen);
		size_t curlen = 0;
		ssize_t n;

		close(fds[1]);
		out[0] = '\0';
		while (cur && (n = read(fds[0], buf, sizeof(buf))) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				break;
			last_line(buf, (size_t)n, cur, &curlen, out, outlen);
		}
		last_line("\n", 1, cur, &curlen, out, outlen);
		free(cur);
		close(fds[0]);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

/* ${XDG_CACHE_HOME:-$HOME/.cache}/vmiscope/demo, created. */
static int cache_dir(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *p;

	if (xdg && *xdg)
		snprintf(buf, len, "%s/vmiscope/demo", xdg);
	else
		snprintf(buf, len, "%s/.cache/vmiscope/demo",
			 home && *home ? home : "/tmp");
	for (p = strchr(buf + 1, '/'); ; p = strchr(p + 1, '/')) {
		if (p)
			*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		if (!p)
			return 0;
		*p = '/';
	}
}

static int build_guest(struct vs_run_opts *r, char *kernel, char *initrd,
		       size_t len)
{
	char dir[4096], tool[4200], workload[4200];
	int ret;

	snprintf(tool, sizeof(tool), "%s/guest/build-initramfs", VS_SOURCE_DIR);
	if (access(tool, X_OK) < 0) {
		vs_cli_msg("demo: the guest kit is missing (%s: %s); demo runs from a vmiscope source tree",
			   tool, strerror(errno));
		return VS_EXIT_USAGE;
	}
	if (!r->kernel) {
		char fetch[4200], line[4200], *sep;
		char *argv[] = { fetch, DEMO_SUITE, NULL };

		snprintf(fetch, sizeof(fetch), "%s/guest/fetch-kernel",
			 VS_SOURCE_DIR);
		ret = run_tool(argv, line, sizeof(line));
		/* "SUITE VERSION PATH": the path may hold spaces. */
		sep = strchr(line, ' ');
		sep = sep ? strchr(sep + 1, ' ') : NULL;
		if (!ret && sep && snprintf(kernel, len, "%s", sep + 1) >= (int)len)
			sep = NULL;
		if (ret || !sep || !sep[1]) {
			vs_cli_msg("demo: %s %s failed: no kernel", fetch,
				   DEMO_SUITE);
			return VS_EXIT_FAILURE;
		}
		r->kernel = kernel;
	}
	ret = cache_dir(dir, sizeof(dir));
	if (!ret && snprintf(initrd, len, "%s/initramfs.cpio.gz", dir) >= (int)len)
		ret = -ENAMETOOLONG;
	snprintf(workload, sizeof(workload), "%s/guest/demo-workload.sh",
		 VS_SOURCE_DIR);
	char *argv[] = { tool, "--workload", workload, "-o", initrd, NULL };
	if (ret || run_tool(argv, NULL, 0)) {
		vs_cli_msg("demo: building the demo initramfs failed (%s)",
			   ret ? strerror(-ret) : tool);
		return VS_EXIT_FAILURE;
	}
	r->initrd = initrd;
	return 0;
}

int vs_cmd_demo(int argc, char **argv)
{
	struct vs_run_opts r = { 0 };
	struct vs_cli_args a;
	char kernel[4096], initrd[4200];
	int ind, ret;

	vs_cli_args_init(&a, "demo", true);
	ind = vs_cli_parse(&a, argc, argv, "t:", longopts, demo_opt, &r);
	if (a.help) {
		printf("%s%s", usage, vs_cli_monitor_help);
		vs_cli_args_free(&a);
		return VS_EXIT_OK;
	}
	if (ind < argc)
		vs_cli_error(&a, "demo: unexpected argument '%s'", argv[ind]);
	if (r.kernel && access(r.kernel, R_OK) < 0)
		vs_cli_error(&a, "demo: --kernel %s: %s", r.kernel,
			     strerror(errno));
	ret = vs_cli_finish(&a, true);
	if (!ret) {
		if (!r.timeout) {
			r.timeout = DEMO_TIMEOUT;
			r.timeout_fails = true;
		}
		ret = build_guest(&r, kernel, initrd, sizeof(kernel));
	}
	if (!ret)
		ret = vs_run_launch("demo", &a.mon, &r);
	vs_cli_args_free(&a);
	return ret;
}

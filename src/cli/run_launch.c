// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * run_launch.c - from validated `run` options to a supervised QEMU (see
 * run.h): find QEMU and check its version, find the plugin, create the
 * plugin's status file, and build the command line of contract §2:
 *
 *   qemu-system-x86_64 -accel tcg -m MB -smp N -display none -monitor none
 *     -no-reboot -kernel K -initrd I -append "console=ttyS0 panic=-1 quiet
 *     <--append>" -plugin <so>,<monitoring options>,events_fd=3,
 *     status_file=<tmp> -chardev file,id=vsser0,path=/dev/fd/4,append=on
 *     -serial chardev:vsser0
 *
 * or the user's own command line with only the -plugin argument added.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/qemu_host.h"
#include "cli/run.h"
#include "cli/supervise.h"

#define MAX_ARGS 4096

struct argvb {
	char *v[MAX_ARGS + 1];
	size_t n;
	bool oom;
};

static void push(struct argvb *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void push(struct argvb *b, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s || b->n >= MAX_ARGS) {
		free(s);
		b->oom = true;
		return;
	}
	b->v[b->n++] = s;
	b->v[b->n] = NULL;
}

static void argvb_free(struct argvb *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i]);
	b->n = 0;
}

static void build_own(struct argvb *b, const char *qemu,
		      const struct vs_run_opts *r, const char *plugin_arg)
{
	push(b, "%s", qemu);
	push(b, "-accel");
	push(b, "tcg");
	push(b, "-m");
	push(b, "%lu", r->memory ? r->memory : VS_RUN_DEFAULT_MEMORY);
	push(b, "-smp");
	push(b, "%lu", r->smp ? r->smp : VS_RUN_DEFAULT_SMP);
	push(b, "-display");
	push(b, "none");
	push(b, "-monitor");
	push(b, "none");
	push(b, "-no-reboot");
	push(b, "-kernel");
	push(b, "%s", r->kernel);
	push(b, "-initrd");
	push(b, "%s", r->initrd);
	push(b, "-append");
	push(b, "%s%s%s", VS_RUN_CMDLINE, r->append ? " " : "",
	     r->append ? r->append : "");
	push(b, "-plugin");
	push(b, "%s", plugin_arg);
	push(b, "-chardev");
	push(b, "file,id=vsser0,path=/dev/fd/%d,append=on", VS_CHILD_SERIAL_FD);
	push(b, "-serial");
	push(b, "chardev:vsser0");
}

static void build_user(struct argvb *b, const char *qemu,
		       const struct vs_run_opts *r, const char *plugin_arg)
{
	push(b, "%s", qemu);
	for (int i = 1; i < r->user_argc; i++)
		push(b, "%s", r->user_argv[i]);
	push(b, "-plugin");
	push(b, "%s", plugin_arg);
}

/* -v: the QEMU command line, one word per argument. */
static void print_command(const char *cmd, const struct argvb *b)
{
	char line[8192];
	size_t used = 0;

	line[0] = '\0';
	for (size_t i = 0; i < b->n && used < sizeof(line); i++) {
		int n = snprintf(line + used, sizeof(line) - used, "%s%s",
				 i ? " " : "", b->v[i]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
	vs_cli_msg("%s: starting %s", cmd, line);
}

/* An empty file for the plugin to write "incomplete" into (options.h). */
static char *make_status_file(void)
{
	const char *tmp = getenv("TMPDIR");
	char *path = NULL;
	int fd;

	if (!tmp || !*tmp || strchr(tmp, ','))
		tmp = "/tmp";
	if (asprintf(&path, "%s/vmiscope-status-XXXXXX", tmp) < 0)
		return NULL;
	fd = mkstemp(path);
	if (fd < 0) {
		free(path);
		return NULL;
	}
	close(fd);
	return path;
}

/* "<so>,<options>" for -plugin; NULL after a message. */
static char *plugin_argument(const char *cmd, const char *so,
			     const struct vs_monitor_opts *mon)
{
	char err[512];
	char *args, *out = NULL;

	if (strchr(so, ',')) {
		vs_cli_msg("%s: the plugin path %s holds a ',', which QEMU's -plugin cannot carry",
			   cmd, so);
		return NULL;
	}
	args = vs_monitor_opts_to_plugin_args(mon, err, sizeof(err));
	if (!args) {
		vs_cli_msg("%s: %s", cmd, err);
		return NULL;
	}
	if (asprintf(&out, "%s%s%s", so, *args ? "," : "", args) < 0)
		out = NULL;
	free(args);
	return out;
}

static char *find_qemu(const char *cmd, const struct vs_run_opts *r)
{
	const char *name = r->user_argc ? r->user_argv[0] :
			   r->qemu ? r->qemu : VS_QEMU_DEFAULT;
	char *path = vs_find_program(name);

	if (!path)
		vs_cli_msg("%s: %s: no such program%s; vmiscope needs QEMU %d.%d or later: install the Debian package qemu-system-x86 (from bookworm-backports on Debian 12)%s",
			   cmd, name, strchr(name, '/') ? "" : " on PATH",
			   VS_QEMU_MIN_MAJOR, VS_QEMU_MIN_MINOR,
			   r->user_argc || r->qemu ? "" : " or use --qemu PATH");
	return path;
}

int vs_run_launch(const char *cmd, struct vs_monitor_opts *mon,
		  const struct vs_run_opts *r)
{
	struct argvb *b = calloc(1, sizeof(*b));
	char *qemu = NULL, *so = NULL, *status = NULL, *parg = NULL;
	char events_fd[8];
	int ret = VS_EXIT_USAGE;

	if (!b)
		return VS_EXIT_FAILURE;
	so = vs_qemu_find_plugin(cmd, r->qemu_plugin);
	if (!so)
		goto out;
	qemu = find_qemu(cmd, r);
	if (!qemu || vs_qemu_check(cmd, qemu))
		goto out;
	ret = VS_EXIT_FAILURE;
	status = make_status_file();
	snprintf(events_fd, sizeof(events_fd), "%d", VS_CHILD_EVENTS_FD);
	if (!status) {
		vs_cli_msg("%s: cannot create a status file: %s", cmd,
			   strerror(errno));
		goto out;
	}
	if (vs_monitor_opts_set(mon, "events_fd", events_fd, NULL, 0) ||
	    vs_monitor_opts_set(mon, "status_file", status, NULL, 0))
		goto out;
	parg = plugin_argument(cmd, so, mon);
	if (!parg) {
		ret = VS_EXIT_USAGE;
		goto out;
	}
	if (r->user_argc)
		build_user(b, qemu, r, parg);
	else
		build_own(b, qemu, r, parg);
	if (b->oom)
		goto out;
	if (mon->verbose)
		print_command(cmd, b);
	ret = vs_supervise(&(struct vs_supervise_cfg){
		.cmd = cmd, .argv = b->v, .serial_pipe = !r->user_argc,
		.serial_log = r->serial_log, .timeout = (unsigned)r->timeout,
		.timeout_fails = r->timeout_fails,
		.status_file = status, .quiet = mon->quiet,
	});
out:
	if (status)
		unlink(status);
	argvb_free(b);
	free(b);
	free(parg);
	free(status);
	free(so);
	free(qemu);
	return ret;
}

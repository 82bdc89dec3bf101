// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_run.c - `vmiscope run`: boot a guest under QEMU TCG with the
 * vmiscope plugin, or add the plugin to the user's own QEMU command line
 * (`run [OPTIONS] -- QEMU_COMMAND...`). Everything is validated first;
 * then vs_run_launch() finds QEMU (version >= 9.2) and the plugin, builds
 * the command line of contract §2 and hands it to supervise.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/qemu_host.h"
#include "cli/run.h"
#include "cli/supervise.h"

#define KERNEL_CMDLINE_MAX 2047   /* x86 COMMAND_LINE_SIZE - 1 */
#define TIMEOUT_MAX 31536000UL    /* a year */

enum {
	OPT_KERNEL = VS_CLI_OPT_BASE, OPT_INITRD, OPT_APPEND, OPT_SMP,
	OPT_MEMORY, OPT_SERIAL_LOG, OPT_QEMU, OPT_QEMU_PLUGIN,
};

static const char usage[] =
"Usage: vmiscope run [OPTIONS] --kernel FILE --initrd FILE [--append STR]\n"
"                    [--smp N] [--memory MB] [--serial-log FILE] [-t SECONDS]\n"
"                    [--qemu PATH] [--qemu-plugin PATH]\n"
"       vmiscope run [OPTIONS] [-t SECONDS] [--qemu-plugin PATH] -- QEMU_COMMAND...\n"
"\n"
"Boot a guest under QEMU TCG with the vmiscope plugin and print its events\n"
"on stdout. The guest console goes to --serial-log or stderr, QEMU's own\n"
"output to stderr prefixed 'qemu: '.\n"
"\n"
"  --kernel FILE               the guest kernel (bzImage)\n"
"  --initrd FILE               the guest initramfs\n"
"  --append STR                more kernel parameters, after\n"
"                              '" VS_RUN_CMDLINE "'\n"
"  --smp N                     virtual CPUs (default 1)\n"
"  --memory MB                 guest RAM in MiB (default 512)\n"
"  --serial-log FILE           the guest console to FILE instead of stderr\n"
"  -t, --timeout SECONDS       stop QEMU after SECONDS\n"
"  --qemu PATH                 the QEMU binary (default qemu-system-x86_64\n"
"                              from PATH)\n"
"  --qemu-plugin PATH          the plugin (default: beside vmiscope, then\n"
"                              $libdir/vmiscope/libvmiscope-qemu.so)\n"
"  -- QEMU_COMMAND...          your own QEMU command line; vmiscope adds\n"
"                              -plugin (refused: -enable-kvm, -accel kvm,\n"
"                              -daemonize, -plugin)\n"
"\n";

static const struct option longopts[] = {
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "smp", required_argument, NULL, OPT_SMP },
	{ "memory", required_argument, NULL, OPT_MEMORY },
	{ "serial-log", required_argument, NULL, OPT_SERIAL_LOG },
	{ "timeout", required_argument, NULL, 't' },
	{ "qemu", required_argument, NULL, OPT_QEMU },
	{ "qemu-plugin", required_argument, NULL, OPT_QEMU_PLUGIN },
	{ 0 },
};

static void number(struct vs_cli_args *a, const char *opt, const char *arg,
		   unsigned long min, unsigned long max, unsigned long *out)
{
	if (vs_cli_uint(arg, min, max, out))
		vs_cli_error(a, "run: %s '%s': expected a whole number from %lu to %lu",
			     opt, arg, min, max);
}

static void run_opt(struct vs_cli_args *a, int c, const char *arg, void *ctx)
{
	struct vs_run_opts *r = ctx;

	switch (c) {
	case OPT_KERNEL:      r->kernel = arg; break;
	case OPT_INITRD:      r->initrd = arg; break;
	case OPT_APPEND:      r->append = arg; break;
	case OPT_SERIAL_LOG:  r->serial_log = arg; break;
	case OPT_QEMU:        r->qemu = arg; break;
	case OPT_QEMU_PLUGIN: r->qemu_plugin = arg; break;
	case OPT_SMP:    number(a, "--smp", arg, 1, 255, &r->smp); break;
	case OPT_MEMORY: number(a, "--memory", arg, 16, 1048576, &r->memory); break;
	case 't':        number(a, "-t", arg, 1, TIMEOUT_MAX, &r->timeout); break;
	}
}

static void check_readable(struct vs_cli_args *a, const char *opt,
			   const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		vs_cli_error(a, "run: %s %s: %s", opt, path, strerror(errno));
		return;
	}
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode))
		vs_cli_error(a, "run: %s %s: not a regular file", opt, path);
	close(fd);
}

/* Could --serial-log be created or truncated? Nothing is created here. */
static void check_creatable(struct vs_cli_args *a, const char *path)
{
	char *dir = strdup(path), *slash;
	struct stat st;

	if (!dir)
		return;
	slash = strrchr(dir, '/');
	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode) || access(path, W_OK) < 0)
			vs_cli_error(a, "run: --serial-log %s: %s", path,
				     strerror(S_ISDIR(st.st_mode) ? EISDIR : errno));
	} else if (errno != ENOENT) {
		vs_cli_error(a, "run: --serial-log %s: %s", path, strerror(errno));
	} else {
		if (!slash)
			strcpy(dir, ".");
		else
			slash[slash == dir] = '\0';
		if (access(dir, W_OK | X_OK) < 0)
			vs_cli_error(a, "run: --serial-log %s: %s", path,
				     strerror(errno));
	}
	free(dir);
}

/* The generated command line's options vs. the user's own. */
static void validate(struct vs_cli_args *a, struct vs_run_opts *r,
		     bool dashdash)
{
	char err[512];

	if (dashdash) {
		const char *own = r->kernel ? "--kernel" : r->initrd ? "--initrd" :
			r->append ? "--append" : r->smp ? "--smp" :
			r->memory ? "--memory" : r->qemu ? "--qemu" :
			r->serial_log ? "--serial-log" : NULL;

		if (own)
			vs_cli_error(a, "run: %s cannot be combined with -- QEMU_COMMAND (put it in the QEMU command line)",
				     own);
		if (r->user_argc == 0)
			vs_cli_error(a, "run: -- needs a QEMU command line");
		else if (vs_qemu_check_user_args(r->user_argc, r->user_argv,
						 err, sizeof(err)))
			vs_cli_error(a, "run: %s", err);
		return;
	}
	if (!r->kernel || !r->initrd) {
		vs_cli_error(a, "run: --kernel FILE and --initrd FILE are required (or -- QEMU_COMMAND...)");
		return;
	}
	if (r->append && strlen(VS_RUN_CMDLINE) + 1 + strlen(r->append) >
	    KERNEL_CMDLINE_MAX)
		vs_cli_error(a, "run: --append: the kernel command line would exceed %d bytes",
			     KERNEL_CMDLINE_MAX);
	if (r->append && strpbrk(r->append, "\n\r"))
		vs_cli_error(a, "run: --append: no line breaks in kernel parameters");
	check_readable(a, "--kernel", r->kernel);
	check_readable(a, "--initrd", r->initrd);
	if (r->serial_log)
		check_creatable(a, r->serial_log);
}

int vs_cmd_run(int argc, char **argv)
{
	struct vs_run_opts r = { 0 };
	struct vs_cli_args a;
	int dd = argc, ind, ret;

	/* getopt never sees the QEMU command line after "--". */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--") == 0) {
			dd = i;
			break;
		}
	if (dd < argc) {
		r.user_argc = argc - dd - 1;
		r.user_argv = argv + dd + 1;
	}
	vs_cli_args_init(&a, "run", true);
	ind = vs_cli_parse(&a, dd, argv, "t:", longopts, run_opt, &r);
	if (a.help) {
		printf("%s%s", usage, vs_cli_monitor_help);
		vs_cli_args_free(&a);
		return VS_EXIT_OK;
	}
	if (ind < dd)
		vs_cli_error(&a, "run: unexpected argument '%s'", argv[ind]);
	validate(&a, &r, dd < argc);
	ret = vs_cli_finish(&a, true);
	if (!ret)
		ret = vs_run_launch("run", &a.mon, &r);
	vs_cli_args_free(&a);
	return ret;
}

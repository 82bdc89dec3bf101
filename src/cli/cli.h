/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli.h - what the subcommands share: diagnostics, and one option parser
 * that knows the monitoring options (contract §1) so every command that
 * prints events accepts the same ones, mapped to their plugin-argument
 * keys and applied with vs_monitor_opts_set().
 *
 * A command calls vs_cli_parse() with its own extra options and a callback
 * for them, then records its own checks with vs_cli_error(), and finally
 * asks vs_cli_finish() for the verdict. Errors are collected, not printed
 * at once, so that "plugin 'x' is not compiled in" wins over every other
 * mistake on the line (contract §3) and only one message is printed.
 */
#ifndef VS_CLI_CLI_H
#define VS_CLI_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "pipeline/options.h"

struct vs_cli_args {
	const char *cmd;                /* "run", for messages */
	bool monitor;                   /* accepts the monitoring options */
	bool help;                      /* --help was given */
	struct vs_monitor_opts mon;
	int nerr;
	char err[1024];                 /* the first error */
	char notcompiled[512];          /* wins over err */
};

/* Handles one of the command's own options; reports with vs_cli_error(). */
typedef void (*vs_cli_opt_fn)(struct vs_cli_args *a, int c, const char *arg,
			      void *ctx);

/* First value for a command's own long-only options. */
#define VS_CLI_OPT_BASE 0x200

/* "vmiscope: <message>" on stderr. */
void vs_cli_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Record an error (only the first is kept and printed). */
void vs_cli_error(struct vs_cli_args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

void vs_cli_args_init(struct vs_cli_args *a, const char *cmd, bool monitor);
void vs_cli_args_free(struct vs_cli_args *a);

/**
 * vs_cli_parse() - parse @argv[1..@argc) with getopt_long.
 * @shortopts: the command's own short options ("t:"), may be ""
 * @longopts: the command's own long options, zero-terminated, may be NULL
 * @fn, @ctx: called for each of the command's own options
 * -h/--help, and with @a->monitor the monitoring options, are handled
 * here. Non-option arguments are permuted to the end (getopt_long's
 * default); returns the index of the first one.
 */
int vs_cli_parse(struct vs_cli_args *a, int argc, char **argv,
		 const char *shortopts, const struct option *longopts,
		 vs_cli_opt_fn fn, void *ctx);

/**
 * vs_cli_finish() - the verdict after parsing and the command's checks:
 * prints the winning error and returns VS_EXIT_USAGE, or returns 0. With
 * @check_mon also runs vs_monitor_opts_check() (files, conflicts).
 */
int vs_cli_finish(struct vs_cli_args *a, bool check_mon);

/* Whole decimal number in [min, max]; 0 or -EINVAL. */
int vs_cli_uint(const char *s, unsigned long min, unsigned long max,
		unsigned long *out);

/*
 * vs_cli_prescan_plugins() - before anything else: if any -a/--plugin on
 * the line (up to "--") names a plugin this build left out, print the
 * contract §3 sentence and return VS_EXIT_USAGE; else 0.
 */
int vs_cli_prescan_plugins(int argc, char **argv);

/* The monitoring options' help text, for the commands' usage. */
extern const char vs_cli_monitor_help[];

/* "vmiscope: <cmd> is not implemented yet", VS_EXIT_NOTIMPL. */
int vs_cli_not_implemented(const char *cmd);

#endif /* VS_CLI_CLI_H */

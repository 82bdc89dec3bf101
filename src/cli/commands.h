/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * commands.h - the subcommands of vmiscope and their exit statuses.
 *
 * main.c keeps the table {name, fn, summary}; each command lives in its
 * own cmd_<name>.c and has this signature: @argc/@argv start at the
 * command's own name (argv[0] == "run"), like a program's main(), and the
 * return value is the process exit status (contract §3). A command parses
 * and validates all its options before it opens a file or starts a
 * process, prints its usage to stdout and returns 0 on --help, and writes
 * diagnostics to stderr prefixed "vmiscope: ".
 */
#ifndef VS_CLI_COMMANDS_H
#define VS_CLI_COMMANDS_H

enum vs_exit {
	VS_EXIT_OK = 0,          /* done: guest powered off, -t, signal */
	VS_EXIT_FAILURE = 1,     /* runtime failure */
	VS_EXIT_USAGE = 2,       /* usage or configuration error */
	VS_EXIT_GUEST = 3,       /* guest kernel panic or unexpected reset */
	VS_EXIT_INCOMPLETE = 4,  /* monitoring incomplete */
	VS_EXIT_NOTIMPL = 5,     /* not implemented yet */
};

typedef int (*vs_cmd_fn)(int argc, char **argv);

int vs_cmd_run(int argc, char **argv);
int vs_cmd_attach(int argc, char **argv);
int vs_cmd_pslist(int argc, char **argv);
int vs_cmd_profile(int argc, char **argv);
int vs_cmd_report(int argc, char **argv);
int vs_cmd_demo(int argc, char **argv);

#endif /* VS_CLI_COMMANDS_H */

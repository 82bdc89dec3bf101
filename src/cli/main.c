// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - the vmiscope command table, in the manner of bpftool: a word
 * picks an entry {name, fn, summary} (exactly, or as an unambiguous
 * prefix) and the rest of the line belongs to that command (commands.h).
 * Global options are only --help and --version. Before dispatching, a
 * -a/--plugin naming a plugin this build left out ends the program with
 * the contract §3 sentence, whatever else is wrong with the line.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "cli/cli.h"
#include "cli/commands.h"

struct cmd {
	const char *name;
	vs_cmd_fn fn;
	const char *summary;
};

static const struct cmd commands[] = {
	{ "run",     vs_cmd_run,     "boot a guest under QEMU TCG and monitor it" },
	{ "attach",  vs_cmd_attach,  "monitor a running QEMU through its gdbstub" },
	{ "pslist",  vs_cmd_pslist,  "list the processes of a guest memory dump" },
	{ "profile", vs_cmd_profile, "show what a kernel profile resolves" },
	{ "report",  vs_cmd_report,  "turn a JSON event log into an HTML report" },
	{ "demo",    vs_cmd_demo,    "build and boot the demo guest, print its events" },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: vmiscope COMMAND [OPTIONS] [ARGS]\n"
		"       vmiscope COMMAND --help\n"
		"       vmiscope --help | --version\n"
		"\n"
		"Agentless process monitor for virtual machines.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
		"\n"
		"Exit status: 0 done, 1 runtime failure, 2 usage or configuration\n"
		"error, 3 guest kernel panic or unexpected reset, 4 monitoring\n"
		"incomplete, 5 not implemented yet. See vmiscope(1).\n");
}

/* Exact name, else the only command @word is a prefix of. */
static const struct cmd *find_command(const char *word)
{
	const struct cmd *found = NULL;
	size_t len = strlen(word);

	for (size_t i = 0; i < N_COMMANDS; i++) {
		if (strcmp(commands[i].name, word) == 0)
			return &commands[i];
		if (len && strncmp(commands[i].name, word, len) == 0) {
			if (found)
				return NULL;    /* ambiguous */
			found = &commands[i];
		}
	}
	return found;
}

static size_t prefix_count(const char *word)
{
	size_t n = 0;

	for (size_t i = 0; i < N_COMMANDS; i++)
		n += strncmp(commands[i].name, word, strlen(word)) == 0;
	return n;
}

int main(int argc, char **argv)
{
	const struct cmd *cmd;
	int ret;

	ret = vs_cli_prescan_plugins(argc, argv);
	if (ret)
		return ret;
	if (argc < 2) {
		usage(stderr);
		return VS_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		if (argc > 2 && strcmp(argv[1], "help") == 0 &&
		    (cmd = find_command(argv[2]))) {
			char *help_argv[] = { (char *)cmd->name, "--help", NULL };

			return cmd->fn(2, help_argv);
		}
		usage(stdout);
		return VS_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("vmiscope %s\n", VS_VERSION);
		return VS_EXIT_OK;
	}
	if (argv[1][0] == '-') {
		vs_cli_msg("unknown option '%s'", argv[1]);
		fprintf(stderr, "Try 'vmiscope --help'.\n");
		return VS_EXIT_USAGE;
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		vs_cli_msg("%s command '%s'", prefix_count(argv[1]) > 1 ?
			   "ambiguous" : "unknown", argv[1]);
		fprintf(stderr, "Try 'vmiscope --help'.\n");
		return VS_EXIT_USAGE;
	}
	argv[1] = (char *)cmd->name;    /* messages name the full command */
	return cmd->fn(argc - 1, argv + 1);
}

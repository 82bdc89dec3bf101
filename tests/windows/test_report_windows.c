// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_report_windows.c - `vmiscope report`'s process model (src/report/
 * model.c) on a Windows event stream: the json lines of expected.txt
 * (the hand-written lines test-windows checks procmon's output against),
 * with a run id put in. The tree expected below is written by hand from
 * the scenario (scenario.c): who is whose child by the keys, PID 3056 as
 * two processes (cmd, then notepad), app32 not under explorer (explorer
 * is younger: app32's PPID is a reused PID, the line has no
 * ParentProcessKey), exits named by TargetProcessKey.
 *
 * Usage: test-report-windows expected.txt
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "model.h"
#include "wcheck.h"

unsigned wc_pass, wc_fail;

#define RUN "0123abcd"

static struct rp_proc *by_key(struct rp_model *m, int64_t pid,
			      const char *ns)
{
	char key[96];

	snprintf(key, sizeof(key), RUN "-%lld-%s", (long long)pid, ns);
	return g_hash_table_lookup(m->by_key, key);
}

static const char *parent_name(struct rp_model *m, struct rp_proc *p)
{
	struct rp_proc *q;

	if (!p || p->parent < 0)
		return "(root)";
	q = g_ptr_array_index(m->procs, p->parent);
	return q->name ? q->name : "(no name)";
}

static int feed(struct rp_model *m, const char *path)
{
	char *text, **lines;
	bool json = false;
	int n = 0;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return -1;
	lines = g_strsplit(text, "\n", 0);
	for (int i = 0; lines[i]; i++) {
		if (g_str_has_prefix(lines[i], "== ")) {
			json = !strcmp(lines[i] + 3, "json");
			continue;
		}
		if (json && lines[i][0] == '{') {
			char **parts = g_strsplit(lines[i], "@RUN@", -1);
			char *ln = g_strjoinv(RUN, parts);

			n += rp_model_line(m, ln, strlen(ln));
			g_strfreev(parts);
			g_free(ln);
		}
	}
	g_strfreev(lines);
	g_free(text);
	return n;
}

#define HV "\\Device\\HarddiskVolume2"
#define EXPECT_PARENT(p, want) \
	CHECK((p) && !strcmp(parent_name(&m, (p)), (want)), \
	      "%s: parent %s, expected %s", (p) && (p)->name ? (p)->name : "?", \
	      parent_name(&m, (p)), (want))

int main(int argc, char **argv)
{
	struct rp_model m;
	struct rp_proc *sys, *reg, *smss, *lsass, *app32, *expl, *cmd, *setup,
		       *fork, *notepad;
	int n;

	if (argc < 2) {
		fprintf(stderr, "usage: %s expected.txt\n", argv[0]);
		return 2;
	}
	rp_model_init(&m);
	n = feed(&m, argv[1]);
	rp_model_finish(&m);
	CHECK(n == 23, "%d json lines read, expected 23", n);
	CHECK(m.keys_seen, "the model saw no ProcessKey");
	CHECK(m.procs->len == 10, "%u processes, expected 10", m.procs->len);
	sys = by_key(&m, 4, "13440326400000000000");
	reg = by_key(&m, 92, "13440326400500000000");
	smss = by_key(&m, 348, "13440326401234567800");
	lsass = by_key(&m, 600, "13440326408000000100");
	app32 = by_key(&m, 1800, "13440326460000000000");
	expl = by_key(&m, 2468, "13440326490000000000");
	cmd = by_key(&m, 3056, "13440326520000000000");
	setup = by_key(&m, 3100, "13440326521000000000");
	fork = by_key(&m, 3200, "13440326522000000000");
	notepad = by_key(&m, 3056, "13440326530000000000");
	CHECK(sys && reg && smss && lsass && app32 && expl && cmd && setup &&
	      fork && notepad, "a process is missing by its key");
	if (wc_fail)
		goto out;
	EXPECT_PARENT(sys, "(root)");
	EXPECT_PARENT(reg, "System");
	EXPECT_PARENT(smss, "System");
	EXPECT_PARENT(lsass, "(root)");       /* 480 has exited */
	EXPECT_PARENT(app32, "(root)");       /* 2468 is a younger process */
	EXPECT_PARENT(expl, "(root)");        /* 2440 has exited */
	EXPECT_PARENT(cmd, HV "\\Windows\\explorer.exe");
	EXPECT_PARENT(setup, HV "\\Windows\\explorer.exe");
	EXPECT_PARENT(fork, HV "\\Windows\\explorer.exe");
	EXPECT_PARENT(notepad, HV "\\Windows\\explorer.exe");
	CHECK(cmd != notepad && cmd->pid == 3056 && notepad->pid == 3056,
	      "PID 3056 must be two processes");
	CHECK(cmd->ended && cmd->exit.set && cmd->exit.status_str &&
	      !strcmp(cmd->exit.status_str, "STATUS_SUCCESS"),
	      "cmd: ended %d, exit %s", cmd->ended,
	      cmd->exit.status_str ? cmd->exit.status_str : "(none)");
	CHECK(!notepad->ended && notepad->exit.set &&
	      !strcmp(notepad->exit.status_str, "STATUS_SUCCESS"),
	      "notepad: ended %d (no MmClean yet), exit set %d",
	      notepad->ended, notepad->exit.set);
	CHECK(fork->exit.set && fork->exit.status_str &&
	      !strcmp(fork->exit.status_str, "STATUS_ACCESS_VIOLATION"),
	      "forkchild: exit %s", fork->exit.status_str ?
	      fork->exit.status_str : "(none)");
	CHECK(setup->exit.set && !strcmp(setup->exit.status_str, "STATUS_WAIT_1"),
	      "setup32: exit set %d", setup->exit.set);
	CHECK(notepad->execs->len == 1 && !strcmp(g_array_index(notepad->execs,
	      struct rp_exec, 0).cmdline, "notepad.exe"),
	      "notepad: its creation is its first image");
out:
	rp_model_free(&m);
	printf("test-report-windows: %u checks passed, %u failed\n", wc_pass,
	       wc_fail);
	return wc_fail ? 1 : 0;
}

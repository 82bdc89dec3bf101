/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * model.h - the process history a report shows (internal to src/report/).
 *
 * model.c reads a JSON event log line by line and builds one struct
 * rp_proc per process instance. Identity: the ProcessKey (and the keys
 * naming parents, targets and children) when the log has them; otherwise
 * (PID, first sighting): a PID belongs to the live process that last used
 * it, and a clone that hands the PID out again, or the process's exit,
 * ends that instance, so PID reuse never merges two processes. Parents
 * are linked at the end (start-up lines come in any order): by the
 * parent's key, else by PPID, except for a start-up line with a
 * ProcessKey and no ParentProcessKey (not Unreadable): its parent is gone
 * (Windows: exited, its PID maybe another process's now). Windows exits
 * name their process by TargetProcessKey when the log has it. Every list
 * is bounded; a hostile log costs at most the caps below.
 */
#ifndef VS_REPORT_MODEL_H
#define VS_REPORT_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#define RP_MAX_LINE (1u << 20)       /* longer lines are skipped */
#define RP_MAX_PROCS 100000
#define RP_MAX_EXECS 256             /* per process */
#define RP_MAX_SIGNALS 200000
#define RP_MAX_ARGV 1024             /* elements kept per exec */

/* One exec (or Windows process creation) of a process. */
struct rp_exec {
	uint64_t t;                  /* µs since the epoch */
	char *image, *cmdline;       /* valid UTF-8, or NULL */
	char *filename;              /* the path given to exec, or NULL */
	GPtrArray *argv;             /* char *, or NULL */
	bool has_uids;
	int64_t ouid, oeuid, uid, euid;
};

struct rp_exit {
	bool set;
	uint64_t t;
	bool has_status, has_signal, core;
	int64_t status, signal;
	char *status_str, *signal_str;
};

struct rp_proc {
	int id;                      /* index in rp_model.procs */
	int64_t pid, ppid;
	char *key, *parent_key;      /* NULL without keys */
	int parent;                  /* id, -1 for a root */
	bool at_start;               /* listed by RunningProcess */
	bool ended;
	bool born;                   /* created by a clone seen in the log */
	bool parent_gone;            /* keyed start-up line without a parent key */
	size_t first_line, end_line; /* start-up lines count as line 0 */
	uint64_t first_t, last_t;
	char *name;                  /* image or name when first seen */
	GArray *execs;               /* struct rp_exec */
	struct rp_exit exit;
	unsigned threads, thread_exits;
};

struct rp_signal {
	uint64_t t;
	int from, to;                /* process ids */
	int64_t sig;
	char *name;
};

struct rp_model {
	GPtrArray *procs;            /* struct rp_proc *, owned */
	GHashTable *by_key;          /* key -> struct rp_proc * */
	GHashTable *live;            /* pid (gint64 *) -> struct rp_proc * */
	GArray *signals;             /* struct rp_signal */
	size_t lines, events, bad_lines, dropped;
	uint64_t t0, t1;             /* first and last time seen, µs */
	bool group_exit_seen;        /* the log marks last-thread exits */
	bool keys_seen;
};

void rp_model_init(struct rp_model *m);
void rp_model_free(struct rp_model *m);

/* Feed one line (without its newline). Returns false if it was skipped
 * (not a JSON object, or too long); the model counts it. */
bool rp_model_line(struct rp_model *m, const char *line, size_t len);

/* Link parents once every line has been read. */
void rp_model_finish(struct rp_model *m);

#endif /* VS_REPORT_MODEL_H */

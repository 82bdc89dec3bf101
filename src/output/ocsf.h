/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocsf.h - the `ocsf` output format (internal to src/output/): each event
 * as one OCSF 1.3.0 Process Activity (class_uid 1007) JSON object. The
 * mapping of every event and field is in docs/ocsf.md. ocsf_map.c decides
 * what each event means in OCSF terms (struct vs_ocsf_act), ocsf.c writes it.
 */
#ifndef VS_OUTPUT_OCSF_H
#define VS_OUTPUT_OCSF_H

#include <stdbool.h>
#include <stdint.h>

#include "output/format.h"

#define VS_OCSF_DEPTH 8

/* One line being written. */
struct vs_ocsf {
	const struct vs_event *ev;
	GString *s;
	bool used[VS_EVENT_MAX_FIELDS];      /* mapped: not in unmapped */
	const char *lossy[VS_EVENT_MAX_FIELDS + 4];
	size_t nlossy;
	bool first[VS_OCSF_DEPTH];           /* no member written yet */
	int depth;
};

/* An OCSF process object; every member is optional. */
struct vs_ocsf_proc {
	bool has_pid, has_tid, has_user, has_ppid;
	int64_t pid, tid, user, ppid;
	const struct vs_field *key;          /* our key -> process.uid */
	const struct vs_field *pkey;         /* parent's key */
	const struct vs_field *cmd;          /* cmd_line */
	const char *name_src;                /* field the name comes from */
	struct vs_bytes name;
};

/* What an event is in OCSF terms (ocsf_map.c fills it). */
struct vs_ocsf_act {
	int activity;                        /* activity_id */
	const char *label;                   /* activity_name */
	int status;                          /* 0 none, 1 success, 2 failure */
	const struct vs_field *status_code;
	bool actor_app;                      /* actor is vmiscope itself */
	struct vs_ocsf_proc actor, target;
	bool has_exit, has_perm;
	int64_t exit_code, perm;
};

/* ocsf_map.c: the present field @key, left for unmapped (NULL if none). */
const struct vs_field *vs_ocsf_peek(const struct vs_ocsf *o, const char *key);
/* True for a string field (Q, E or R). */
bool vs_ocsf_is_str(const struct vs_field *f);
/* Map @o->ev to an activity, actor and target; marks the fields it used. */
void vs_ocsf_map(struct vs_ocsf *o, struct vs_ocsf_act *m);

/* Append one OCSF line for @f->ev to @f->line. The options (--extended,
 * --drakvuf-compat) do not change it: every field the event carries is
 * used. Returns 0. */
int vs_fmt_ocsf(struct vs_fmt *f);

#endif /* VS_OUTPUT_OCSF_H */

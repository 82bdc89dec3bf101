/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * scenario.h - the Windows procmon scenario shared by the six profiles:
 * scenario_setup() plants the running processes and threads (before the
 * OS layer opens), scenario_run() fires the hooks (after procmon started)
 * and returns how many hook callbacks ran.
 */
#ifndef VS_TESTS_WINDOWS_SCENARIO_H
#define VS_TESTS_WINDOWS_SCENARIO_H

#include <glib.h>

#include <stdbool.h>

#include "tables.h"
#include "wguest.h"

struct scenario_state {
	void *priv;
};

/* Build @g for build @col (profile in @dir) and plant the processes:
 * 0, or -1 when the data cannot be read or memory ran out. */
int scenario_guest(struct wguest *g, const struct wt_readme *r,
		   const char *dir, int col, struct scenario_state *st,
		   bool wrong_offset);
/* The EPROCESS of planted process @pid (0 if none). */
uint64_t scenario_eprocess(struct scenario_state *st, int pid);
void scenario_setup(struct wguest *g, struct scenario_state *st);
int scenario_run(struct scenario_state *st);
void scenario_free(struct scenario_state *st);

#endif /* VS_TESTS_WINDOWS_SCENARIO_H */

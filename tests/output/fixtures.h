/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fixtures.h - hand-made sample events for the output tests: one or more
 * per event type of both OSes, with the values of the reference's worked
 * examples where it has one (drakvuf-procmon-behaviour.md §3.3, §3.5).
 */
#ifndef VS_TESTS_OUTPUT_FIXTURES_H
#define VS_TESTS_OUTPUT_FIXTURES_H

#include <stddef.h>

#include "common/event.h"

struct fixture {
	const char *name;
	void (*build)(struct vs_event *ev);
};

extern const struct fixture fixtures[];
extern const size_t nfixtures;

const struct fixture *fixture_find(const char *name);

#endif

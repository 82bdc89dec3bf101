/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * stats.h - loss accounting: nothing is dropped without being counted.
 *
 * Counters are updated from vCPU threads with relaxed atomics (no lock on
 * the hot path) and rendered as one JSON object for `vmiscope: stats {...}`
 * on stderr at exit and every --stats-interval (contract §6), never into
 * the event stream. Event counts are kept per event type name, from a small
 * fixed table the plugins register at start-up.
 */
#ifndef VS_COMMON_STATS_H
#define VS_COMMON_STATS_H

#include <stdint.h>

#include <glib.h>

#define VS_STATS_MAX_TYPES 32

struct vs_stats {
	/* Registered once before any hook runs; then read-only. */
	const char *type_names[VS_STATS_MAX_TYPES];
	unsigned ntypes;
	uint64_t events[VS_STATS_MAX_TYPES];
	uint64_t events_other;          /* a type that was not registered */
	uint64_t read_failures;         /* guest reads that failed */
	uint64_t fields_truncated;      /* events with a Truncated field */
	uint64_t unresolved_hooks;      /* hooks that could not be placed */
	uint64_t pending_returns_dropped;
	uint64_t output_errors;         /* lines a sink could not write */
	uint64_t translation_flushes;
};

void vs_stats_init(struct vs_stats *s);
/* Returns the index for @type (registering it if new), or -1 when full. */
int vs_stats_register_type(struct vs_stats *s, const char *type);
/* Count one emitted event of @type (thread-safe). */
void vs_stats_count_event(struct vs_stats *s, const char *type);
/* Add @n to one of the plain counters (thread-safe). */
static inline void vs_stats_add(uint64_t *counter, uint64_t n)
{
	__atomic_fetch_add(counter, n, __ATOMIC_RELAXED);
}
/* Append the statistics as one JSON object (no newline) to @out. */
void vs_stats_to_json(const struct vs_stats *s, GString *out);

#endif /* VS_COMMON_STATS_H */

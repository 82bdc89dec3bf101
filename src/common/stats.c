// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stats.c - counters for loss accounting (see stats.h).
 */
#include "stats.h"

#include <string.h>

void vs_stats_init(struct vs_stats *s)
{
	memset(s, 0, sizeof(*s));
}

int vs_stats_register_type(struct vs_stats *s, const char *type)
{
	for (unsigned i = 0; i < s->ntypes; i++)
		if (strcmp(s->type_names[i], type) == 0)
			return (int)i;
	if (s->ntypes >= VS_STATS_MAX_TYPES)
		return -1;
	s->type_names[s->ntypes] = type;
	return (int)s->ntypes++;
}

void vs_stats_count_event(struct vs_stats *s, const char *type)
{
	for (unsigned i = 0; type && i < s->ntypes; i++) {
		/* Plugins pass the same static strings they registered. */
		if (s->type_names[i] == type || strcmp(s->type_names[i], type) == 0) {
			vs_stats_add(&s->events[i], 1);
			return;
		}
	}
	vs_stats_add(&s->events_other, 1);
}

static uint64_t load(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

void vs_stats_to_json(const struct vs_stats *s, GString *out)
{
	uint64_t total = load(&s->events_other);

	g_string_append(out, "{\"events\":{");
	for (unsigned i = 0; i < s->ntypes; i++) {
		/* Type names are ASCII identifiers chosen by the plugins. */
		g_string_append_printf(out, "%s\"%s\":%" G_GUINT64_FORMAT,
				       i ? "," : "", s->type_names[i],
				       load(&s->events[i]));
		total += load(&s->events[i]);
	}
	g_string_append_printf(out,
		"},\"events_total\":%" G_GUINT64_FORMAT
		",\"events_other\":%" G_GUINT64_FORMAT
		",\"read_failures\":%" G_GUINT64_FORMAT
		",\"fields_truncated\":%" G_GUINT64_FORMAT
		",\"unresolved_hooks\":%" G_GUINT64_FORMAT
		",\"pending_returns_dropped\":%" G_GUINT64_FORMAT
		",\"output_errors\":%" G_GUINT64_FORMAT
		",\"translation_flushes\":%" G_GUINT64_FORMAT "}",
		total, load(&s->events_other), load(&s->read_failures),
		load(&s->fields_truncated), load(&s->unresolved_hooks),
		load(&s->pending_returns_dropped), load(&s->output_errors),
		load(&s->translation_flushes));
}

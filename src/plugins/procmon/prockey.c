// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * prockey.c - the run id and the process-key format shared by procmon's
 * Linux and Windows halves (prockey.h says what the parts mean).
 */
#include "plugins/procmon/prockey.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

void vs_pm_run_id_new(char *out, size_t len)
{
	snprintf(out, len, "%08x", g_random_int());
}

size_t vs_pm_key_format(char *buf, size_t len, const char *run_id,
			int64_t pid, uint64_t start_time_ns)
{
	int n = snprintf(buf, len, "%s-%lld-%llu", run_id, (long long)pid,
			 (unsigned long long)start_time_ns);

	if (n < 0)
		return 0;
	return (size_t)n < len ? (size_t)n : (len ? len - 1 : 0);
}

bool vs_pm_key_put(struct vs_event *ev, const char *field, const char *key)
{
	const char *copy = key ? vs_event_strdup(ev, key, strlen(key)) : NULL;

	if (copy) {
		vs_field_ext(vs_event_str(ev, field, VS_FT_QSTR, copy,
					  strlen(copy)));
		return true;
	}
	vs_field_ext(vs_event_absent(ev, field, VS_FT_QSTR));
	return false;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * prockey.c - the run id and the process-key format shared by procmon's
 * Linux and Windows halves (prockey.h says what the parts mean).
 */
#include "plugins/procmon/prockey.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "common/decimal.h"

void vs_pm_run_id_new(char *out, size_t len)
{
	snprintf(out, len, "%08x", g_random_int());
}

/* Built by hand rather than with snprintf (common/decimal.h says why): a
 * key is formatted for nearly every event. */
size_t vs_pm_key_format(char *buf, size_t len, const char *run_id,
			int64_t pid, uint64_t start_time_ns)
{
	char t[VS_PM_KEY_SIZE + 48], *e = t + sizeof(t), *p;
	size_t rl = strnlen(run_id, VS_PM_KEY_SIZE), n;
	uint64_t mag = pid < 0 ? 0 - (uint64_t)pid : (uint64_t)pid;

	p = vs_dec_backwards(e, start_time_ns);
	*--p = '-';
	p = vs_dec_backwards(p, mag);
	if (pid < 0)
		*--p = '-';
	*--p = '-';
	p -= rl;
	memcpy(p, run_id, rl);
	n = (size_t)(e - p);
	if (!len)
		return 0;
	if (n > len - 1)
		n = len - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
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

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * prockey.h - the process keys of contract §6 (ProcessKey,
 * ParentProcessKey, TargetProcessKey, NewProcessKey), one format for the
 * Linux and the Windows half: "<run-id>-<pid>-<start_time_ns>".
 *
 * The run id is 8 lowercase hex digits drawn once per procmon start, so
 * keys of two runs never compare equal. pid is the process id (Linux
 * tgid, Windows UniqueProcessId); start_time_ns is the kernel's own record
 * of when the process was created, in nanoseconds: Linux
 * task_struct->start_time (monotonic, since boot), Windows
 * EPROCESS.CreateTime (100 ns units since 1601-01-01 UTC) times 100.
 * Both survive exec and differ between two processes that held one PID
 * (docs/events.md §9).
 */
#ifndef VS_PLUGINS_PROCMON_PROCKEY_H
#define VS_PLUGINS_PROCMON_PROCKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/event.h"

#define VS_PM_RUN_ID_SIZE 16   /* room for the 8 digits and the NUL */
#define VS_PM_KEY_SIZE    64   /* longest key: 8 + 1 + 20 + 1 + 20 + NUL */

/* A fresh run id into @out (@len >= VS_PM_RUN_ID_SIZE bytes). */
void vs_pm_run_id_new(char *out, size_t len);

/* The key into @buf; returns its length (cut at @len - 1 bytes). */
size_t vs_pm_key_format(char *buf, size_t len, const char *run_id,
			int64_t pid, uint64_t start_time_ns);

/* @key (NULL: none) as the extended string field @field of @ev, copied
 * into the event; false when the field is printed absent (no key, or no
 * room left in the event), so the caller can name it in Unreadable. */
bool vs_pm_key_put(struct vs_event *ev, const char *field, const char *key);

#endif /* VS_PLUGINS_PROCMON_PROCKEY_H */

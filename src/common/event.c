// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * event.c - building struct vs_event records (see event.h).
 */
#include "event.h"

#include <string.h>

#include "log.h"

void vs_event_init(struct vs_event *ev, enum vs_event_kind kind, enum vs_os os,
		   const char *plugin, const char *type)
{
	/* Not memset: the arena is large and only arena_used matters. */
	ev->kind = kind;
	ev->os = os;
	ev->plugin = plugin;
	ev->type = type;
	ev->method = NULL;
	ev->compat_method = NULL;
	ev->time_us = 0;
	ev->vcpu = 0;
	ev->cr3 = 0;
	ev->pid = ev->ppid = ev->tid = 0;
	ev->userid = 0;
	ev->process_name.ptr = NULL;
	ev->process_name.len = 0;
	ev->event_uid = 0;
	ev->nfields = 0;
	ev->arena_used = 0;
}

static struct vs_field *append(struct vs_event *ev, const char *key,
			       enum vs_field_type type)
{
	struct vs_field *f;

	if (ev->nfields >= VS_EVENT_MAX_FIELDS) {
		vs_err("event %s: more than %d fields, '%s' dropped",
		       ev->type ? ev->type : "?", VS_EVENT_MAX_FIELDS, key);
		return NULL;
	}
	f = &ev->fields[ev->nfields++];
	memset(f, 0, sizeof(*f));
	f->key = key;
	f->type = type;
	f->cls = VS_FC_SEED;
	f->present = true;
	return f;
}

struct vs_field *vs_event_num(struct vs_event *ev, const char *key, int64_t n)
{
	struct vs_field *f = append(ev, key, VS_FT_NUM);

	if (f)
		f->v.n = n;
	return f;
}

struct vs_field *vs_event_unum(struct vs_event *ev, const char *key, uint64_t u)
{
	struct vs_field *f = append(ev, key, VS_FT_UNUM);

	if (f)
		f->v.u = u;
	return f;
}

struct vs_field *vs_event_hex(struct vs_event *ev, const char *key, uint64_t u)
{
	struct vs_field *f = append(ev, key, VS_FT_HEX);

	if (f)
		f->v.u = u;
	return f;
}

struct vs_field *vs_event_str(struct vs_event *ev, const char *key,
			      enum vs_field_type type, const char *s, size_t len)
{
	struct vs_field *f = append(ev, key, type);

	if (f) {
		f->v.s.ptr = s ? s : "";
		f->v.s.len = s ? len : 0;
	}
	return f;
}

struct vs_field *vs_event_cstr(struct vs_event *ev, const char *key,
			       enum vs_field_type type, const char *s)
{
	return vs_event_str(ev, key, type, s, s ? strlen(s) : 0);
}

struct vs_field *vs_event_pairs(struct vs_event *ev, const char *key,
				const struct vs_pair *items, size_t count)
{
	struct vs_field *f = append(ev, key, VS_FT_PAIRS);

	if (f) {
		f->v.pairs.items = items;
		f->v.pairs.count = count;
	}
	return f;
}

struct vs_field *vs_event_strv(struct vs_event *ev, const char *key,
			       const struct vs_bytes *items, size_t count)
{
	struct vs_field *f = append(ev, key, VS_FT_STRV);

	if (f) {
		f->v.strv.items = items;
		f->v.strv.count = count;
	}
	return f;
}

struct vs_field *vs_event_absent(struct vs_event *ev, const char *key,
				 enum vs_field_type type)
{
	struct vs_field *f = append(ev, key, type);

	if (f)
		f->present = false;
	return f;
}

const char *vs_event_strdup(struct vs_event *ev, const char *s, size_t len)
{
	char *dst;

	if (len >= sizeof(ev->arena) - ev->arena_used)
		return NULL;
	dst = ev->arena + ev->arena_used;
	if (len)
		memcpy(dst, s, len);
	dst[len] = '\0';
	ev->arena_used += len + 1;
	return dst;
}

const struct vs_field *vs_event_field(const struct vs_event *ev, const char *key)
{
	for (size_t i = 0; i < ev->nfields; i++)
		if (strcmp(ev->fields[i].key, key) == 0)
			return &ev->fields[i];
	return NULL;
}

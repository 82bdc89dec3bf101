/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * event.h - the typed event record that plugins fill and formatters print.
 *
 * A plugin builds one struct vs_event per hook hit (or per running process at
 * start-up) and hands it to the output layer. The record carries the common
 * DRAKVUF header (time, vCPU, CR3, PID, PPID, TID, UserId, ProcessName,
 * Method, EventUID) and an ordered list of typed fields. The order of the
 * fields is the order the formats print them in (reference §3.4), so a plugin
 * appends every field its event type can carry, in the seed's order, and marks
 * the ones it has no value for as absent: csv still gives them a column.
 *
 * Field types mirror DRAKVUF's value kinds (reference §3.1):
 *   NUM  signed decimal             UNUM unsigned decimal
 *   HEX  0x-prefixed hex            QSTR quoted string
 *   ESTR escaped string             RSTR raw (unquoted in default/csv) string
 *   PAIRS list of key/value pairs   STRV list of strings (Arguments)
 * Strings are byte strings with an explicit length: they come from the guest
 * and may hold NUL, control bytes or invalid UTF-8. The output layer escapes
 * them; nothing before it may assume they are printable.
 *
 * The record does not own its strings: they must outlive the emit call. Use
 * vs_event_strdup() to copy a transient string into the event's arena.
 */
#ifndef VS_COMMON_EVENT_H
#define VS_COMMON_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bump on any change a consumer can see; docs/events.schema.json carries it. */
#define VS_EVENT_SCHEMA_VERSION 2

#define VS_EVENT_MAX_FIELDS 48
#define VS_EVENT_ARENA_SIZE 16384

enum vs_os {
	VS_OS_UNKNOWN = 0,
	VS_OS_LINUX,
	VS_OS_WINDOWS,
};

enum vs_event_kind {
	VS_EV_HOOK = 0,   /* a hook hit: full common header */
	VS_EV_RUNNING,    /* start-up enumeration: no Method, TID, UserId */
};

enum vs_field_type {
	VS_FT_NUM = 0,
	VS_FT_UNUM,
	VS_FT_HEX,
	VS_FT_QSTR,
	VS_FT_ESTR,
	VS_FT_RSTR,
	VS_FT_PAIRS,
	VS_FT_STRV,
};

/* Where a field may print: seed fields everywhere, extended fields only in
 * json/kv, or in default/csv with --extended (contract §6). */
enum vs_field_class {
	VS_FC_SEED = 0,
	VS_FC_EXTENDED,
};

struct vs_bytes {
	const char *ptr;   /* may be NULL only when len == 0 */
	size_t len;
};

struct vs_pair {
	struct vs_bytes key;
	enum vs_field_type type;   /* NUM, UNUM, HEX or RSTR/QSTR/ESTR */
	union {
		int64_t n;
		uint64_t u;
		struct vs_bytes s;
	} v;
};

struct vs_field {
	const char *key;            /* static, ASCII, chosen by the plugin */
	enum vs_field_type type;
	enum vs_field_class cls;
	bool present;               /* false: csv prints an empty column */
	union {
		int64_t n;
		uint64_t u;
		struct vs_bytes s;
		struct {
			const struct vs_pair *items;
			size_t count;
		} pairs;
		struct {
			const struct vs_bytes *items;
			size_t count;
		} strv;
	} v;
};

struct vs_event {
	enum vs_event_kind kind;
	enum vs_os os;
	const char *plugin;         /* "procmon" */
	/* Stable event-type name used for csv column sets, the schema and the
	 * docs: the seed's Method (e.g. "begin_new_exec") or "RunningProcess". */
	const char *type;
	const char *method;         /* printed Method (seed name) */
	const char *compat_method;  /* printed under --drakvuf-compat, or NULL */
	uint64_t time_us;           /* wall clock, microseconds since the epoch */
	uint32_t vcpu;
	uint64_t cr3;
	int64_t pid, ppid, tid;
	int64_t userid;
	struct vs_bytes process_name;
	uint64_t event_uid;
	size_t nfields;
	struct vs_field fields[VS_EVENT_MAX_FIELDS];
	/* Backing store for strings copied into the event. */
	size_t arena_used;
	char arena[VS_EVENT_ARENA_SIZE];
};

/**
 * vs_event_init() - reset @ev for a new event of @type.
 * Any thread; @ev is caller-owned (usually per vCPU, never shared).
 */
void vs_event_init(struct vs_event *ev, enum vs_event_kind kind, enum vs_os os,
		   const char *plugin, const char *type);

/* Appenders: each adds one present field and returns it, or NULL when the
 * event is full (VS_EVENT_MAX_FIELDS): a programming error, logged once. */
struct vs_field *vs_event_num(struct vs_event *ev, const char *key, int64_t n);
struct vs_field *vs_event_unum(struct vs_event *ev, const char *key, uint64_t u);
struct vs_field *vs_event_hex(struct vs_event *ev, const char *key, uint64_t u);
struct vs_field *vs_event_str(struct vs_event *ev, const char *key,
			      enum vs_field_type type, const char *s, size_t len);
struct vs_field *vs_event_cstr(struct vs_event *ev, const char *key,
			       enum vs_field_type type, const char *s);
struct vs_field *vs_event_pairs(struct vs_event *ev, const char *key,
				const struct vs_pair *items, size_t count);
struct vs_field *vs_event_strv(struct vs_event *ev, const char *key,
			       const struct vs_bytes *items, size_t count);
/* An absent field of the given type: a column in csv, nothing elsewhere. */
struct vs_field *vs_event_absent(struct vs_event *ev, const char *key,
				 enum vs_field_type type);

/* Mark the last-appended field (or any returned field) as extended. */
static inline struct vs_field *vs_field_ext(struct vs_field *f)
{
	if (f)
		f->cls = VS_FC_EXTENDED;
	return f;
}

/**
 * vs_event_strdup() - copy @len bytes into @ev's arena.
 * Returns the copy, or NULL when the arena is full (the caller then reports
 * the field in Truncated).
 */
const char *vs_event_strdup(struct vs_event *ev, const char *s, size_t len);

/* Look a field up by key; NULL if the event has none. */
const struct vs_field *vs_event_field(const struct vs_event *ev, const char *key);

#endif /* VS_COMMON_EVENT_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tables.h - the test's own knowledge of the six Windows kernel builds,
 * independent of the profile loader under test:
 *  - the "Key offsets" and "Symbol RVAs" tables of
 *    ../shared/windows-profiles/README.md, parsed from the markdown;
 *  - a few members the README does not list (ApcStateIndex,
 *    SeAuditProcessCreationInfo, Flags2.ExitProcessReported,
 *    PEB.SessionId, the handle-entry ObjectPointerBits bitfield,
 *    EPROCESS.CreateTime), read from the ISF file with liblzma +
 *    json-glib directly;
 *  - EPROCESS.CreateTime per build, written by hand (wt_create_time_off),
 *    against which the ISF read is checked.
 */
#ifndef VS_TESTS_WINDOWS_TABLES_H
#define VS_TESTS_WINDOWS_TABLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WT_MAX_BUILDS 6
#define WT_MAX_ROWS   96

struct wt_row {
	char key[96];                 /* "_EPROCESS.Peb", "sizeof _EPROCESS" */
	int64_t val[WT_MAX_BUILDS];   /* -1: "—" */
};

struct wt_readme {
	int nbuilds;
	char build[WT_MAX_BUILDS][16];       /* "9600", ... */
	char file[WT_MAX_BUILDS][96];        /* profile file names */
	struct wt_row rows[WT_MAX_ROWS];
	int nrows;
};

/* Parse @path. 0 or -errno (with a message on stderr). */
int wt_readme_parse(const char *path, struct wt_readme *out);
/* Value of @key for build column @col; -1 when absent (aborts if no row). */
int64_t wt_get(const struct wt_readme *r, const char *key, int col);

/* Members read from the ISF file itself (not from the README). */
struct wt_isf_extra {
	uint64_t apc_state_index;
	uint64_t seaudit;
	uint64_t flags2;
	unsigned exit_reported_bit;
	uint64_t peb_session_id;
	uint64_t hte_size;
	unsigned objptr_pos, objptr_len;
	uint64_t objname_name;
	uint64_t create_time;         /* _EPROCESS.CreateTime */
};

int wt_isf_extra(const char *path, struct wt_isf_extra *out);
/* _EPROCESS.CreateTime of build @build ("9600", ...) as written by hand
 * from each profile: -1 for a build this table does not know. */
int64_t wt_create_time_off(const char *build);
/* The decompressed bytes of an xz file (g_free), or NULL. */
char *wt_xz_read(const char *path, size_t *len);

#endif /* VS_TESTS_WINDOWS_TABLES_H */

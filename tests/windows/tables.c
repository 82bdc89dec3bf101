// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * tables.c - see tables.h. The README parser reads markdown table rows
 * ("| `_EPROCESS.Peb` | 0x3e8 | ... |"): the first cell's backticked
 * names give the key(s), "A / B" cells give one value per name. The ISF
 * reader decompresses with liblzma and walks user_types with json-glib;
 * it shares no code with src/os/profile/.
 */
#include "tables.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>
#include <lzma.h>

static int split_cells(char *line, char **cells, int max)
{
	int n = 0;
	char *p = line, *bar;

	if (*p != '|')
		return 0;
	p++;
	while (n < max && (bar = strchr(p, '|'))) {
		*bar = '\0';
		cells[n++] = g_strstrip(p);
		p = bar + 1;
	}
	return n;
}

/* The backticked names of a cell, in order. */
static int ticks(const char *cell, char names[][96], int max)
{
	int n = 0;
	const char *p = cell, *e;

	while (n < max && (p = strchr(p, '`')) && (e = strchr(p + 1, '`'))) {
		snprintf(names[n++], 96, "%.*s", (int)(e - p - 1), p + 1);
		p = e + 1;
	}
	return n;
}

static int64_t parse_val(const char *s)
{
	if (!*s || strstr(s, "\u2014"))
		return -1;
	return (int64_t)strtoull(s, NULL, 0);
}

static void add_row(struct wt_readme *r, const char *key, char **cells,
		    int part)
{
	struct wt_row *row;

	if (r->nrows >= WT_MAX_ROWS)
		return;
	row = &r->rows[r->nrows++];
	snprintf(row->key, sizeof(row->key), "%s", key);
	for (int c = 0; c < r->nbuilds; c++) {
		char **parts = g_strsplit(cells[c + 1], " / ", 0);
		int np = (int)g_strv_length(parts);

		row->val[c] = part < np ? parse_val(g_strstrip(parts[part])) : -1;
		g_strfreev(parts);
	}
}

static void table_row(struct wt_readme *r, char **cells, int n)
{
	char names[4][96], key[200];
	int nt = ticks(cells[0], names, 4);

	if (nt == 0 || n < r->nbuilds + 1)
		return;
	if (g_str_has_prefix(cells[0], "sizeof")) {
		snprintf(key, sizeof(key), "sizeof %s", names[0]);
		add_row(r, key, cells, 0);
		return;
	}
	add_row(r, names[0], cells, 0);
	/* "`_CLIENT_ID.UniqueProcess` / `UniqueThread`": two values. */
	if (nt == 2 && strstr(cells[1], " / ") && !strchr(names[1], '.')) {
		const char *dot = strchr(names[0], '.');

		snprintf(key, sizeof(key), "%.*s.%s", (int)(dot - names[0]),
			 names[0], names[1]);
		add_row(r, key, cells, 1);
	}
}

int wt_readme_parse(const char *path, struct wt_readme *out)
{
	char *text = NULL, **lines;
	int section = 0;

	memset(out, 0, sizeof(*out));
	if (!g_file_get_contents(path, &text, NULL, NULL)) {
		fprintf(stderr, "cannot read %s\n", path);
		return -ENOENT;
	}
	lines = g_strsplit(text, "\n", 0);
	for (int i = 0; lines[i]; i++) {
		char *cells[16];
		int n;

		if (g_str_has_prefix(lines[i], "## "))
			section = strstr(lines[i], "Key offsets") ? 1 :
				  strstr(lines[i], "Symbol RVAs") ? 2 :
				  strstr(lines[i], "Files") ? 3 : 0;
		n = split_cells(lines[i], cells, 16);
		if (n < 2 || g_str_has_prefix(cells[0], "---"))
			continue;
		if (section == 1 && !strcmp(cells[0], "Field")) {
			out->nbuilds = n - 1 > WT_MAX_BUILDS ? WT_MAX_BUILDS : n - 1;
			for (int c = 0; c < out->nbuilds; c++)
				snprintf(out->build[c], 16, "%s", cells[c + 1]);
		} else if (section == 1 || section == 2) {
			table_row(out, cells, n);
		}
		/* The Files table comes first: remember its rows for later. */
		if (section == 3 && out->nbuilds == 0) {
			char names[1][96];

			if (ticks(cells[0], names, 1) == 1 && strstr(names[0], ".json")) {
				for (int c = 0; c < WT_MAX_BUILDS; c++)
					if (!out->file[c][0]) {
						snprintf(out->file[c], 96, "%s", names[0]);
						break;
					}
			}
		}
	}
	g_strfreev(lines);
	g_free(text);
	if (out->nbuilds != WT_MAX_BUILDS || out->nrows < 30) {
		fprintf(stderr, "%s: expected 6 builds and the two tables, "
			"found %d builds and %d rows\n", path, out->nbuilds,
			out->nrows);
		return -EINVAL;
	}
	/* Match the file names (listed before the builds were known). */
	char files[WT_MAX_BUILDS][96];

	memcpy(files, out->file, sizeof(files));
	memset(out->file, 0, sizeof(out->file));
	for (int c = 0; c < WT_MAX_BUILDS; c++) {
		char pat[24];

		snprintf(pat, sizeof(pat), "-%s-", out->build[c]);
		for (int f = 0; f < WT_MAX_BUILDS; f++)
			if (strstr(files[f], pat))
				memcpy(out->file[c], files[f], 96);
		if (!out->file[c][0]) {
			fprintf(stderr, "%s: no file for build %s\n", path,
				out->build[c]);
			return -EINVAL;
		}
	}
	return 0;
}

int64_t wt_get(const struct wt_readme *r, const char *key, int col)
{
	for (int i = 0; i < r->nrows; i++)
		if (!strcmp(r->rows[i].key, key))
			return r->rows[i].val[col];
	fprintf(stderr, "README has no row %s\n", key);
	abort();
}

/*
 * _EPROCESS.CreateTime (a _LARGE_INTEGER), read by hand from each of the
 * six files with `xz -dc FILE | python3 -c ...` (user_types._EPROCESS.
 * fields.CreateTime.offset); it sits 0x10 before UniqueProcessId on 8.1
 * and 0x20/0x28 after it from Windows 10 on.
 */
int64_t wt_create_time_off(const char *build)
{
	static const struct { const char *build; int64_t off; } t[] = {
		{ "9600", 0x2d0 }, { "14393", 0x308 }, { "17763", 0x308 },
		{ "19041", 0x468 }, { "20348", 0x468 }, { "22000", 0x468 },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(t); i++)
		if (!strcmp(t[i].build, build))
			return t[i].off;
	return -1;
}

/* ---- the ISF file, read directly ---------------------------------------- */

char *wt_xz_read(const char *path, size_t *len)
{
	gchar *in = NULL;
	gsize inlen = 0;
	lzma_stream s = LZMA_STREAM_INIT;
	GByteArray *out;
	uint8_t buf[1 << 16];
	lzma_ret rc;

	if (!g_file_get_contents(path, &in, &inlen, NULL))
		return NULL;
	if (lzma_stream_decoder(&s, UINT64_MAX, 0) != LZMA_OK) {
		g_free(in);
		return NULL;
	}
	out = g_byte_array_new();
	s.next_in = (const uint8_t *)in;
	s.avail_in = inlen;
	do {
		s.next_out = buf;
		s.avail_out = sizeof(buf);
		rc = lzma_code(&s, LZMA_FINISH);
		g_byte_array_append(out, buf, sizeof(buf) - s.avail_out);
	} while (rc == LZMA_OK);
	lzma_end(&s);
	g_free(in);
	if (rc != LZMA_STREAM_END) {
		g_byte_array_free(out, TRUE);
		return NULL;
	}
	*len = out->len;
	return (char *)g_byte_array_free(out, FALSE);
}

static JsonObject *field(JsonObject *types, const char *t, const char *m)
{
	JsonObject *st, *fields;

	if (!json_object_has_member(types, t))
		return NULL;
	st = json_object_get_object_member(types, t);
	fields = json_object_get_object_member(st, "fields");
	if (!fields || !json_object_has_member(fields, m))
		return NULL;
	return json_object_get_object_member(fields, m);
}

static uint64_t off(JsonObject *types, const char *t, const char *m)
{
	JsonObject *f = field(types, t, m);

	if (!f) {
		fprintf(stderr, "ISF lacks %s.%s\n", t, m);
		abort();
	}
	return (uint64_t)json_object_get_int_member(f, "offset");
}

int wt_isf_extra(const char *path, struct wt_isf_extra *out)
{
	size_t len = 0;
	char *text = wt_xz_read(path, &len);
	JsonParser *p;
	JsonObject *root, *types, *f, *ty;

	if (!text)
		return -EINVAL;
	p = json_parser_new();
	if (!json_parser_load_from_data(p, text, (gssize)len, NULL)) {
		g_object_unref(p);
		g_free(text);
		return -EINVAL;
	}
	root = json_node_get_object(json_parser_get_root(p));
	types = json_object_get_object_member(root, "user_types");
	out->apc_state_index = off(types, "_KTHREAD", "ApcStateIndex");
	out->seaudit = off(types, "_EPROCESS", "SeAuditProcessCreationInfo");
	f = field(types, "_EPROCESS", "ExitProcessReported");
	out->flags2 = (uint64_t)json_object_get_int_member(f, "offset");
	ty = json_object_get_object_member(f, "type");
	out->exit_reported_bit = (unsigned)json_object_get_int_member(ty, "bit_position");
	out->peb_session_id = off(types, "_PEB", "SessionId");
	out->hte_size = (uint64_t)json_object_get_int_member(
		json_object_get_object_member(types, "_HANDLE_TABLE_ENTRY"), "size");
	ty = json_object_get_object_member(field(types, "_HANDLE_TABLE_ENTRY",
						 "ObjectPointerBits"), "type");
	out->objptr_pos = (unsigned)json_object_get_int_member(ty, "bit_position");
	out->objptr_len = (unsigned)json_object_get_int_member(ty, "bit_length");
	out->objname_name = off(types, "_OBJECT_NAME_INFORMATION", "Name");
	out->create_time = off(types, "_EPROCESS", "CreateTime");
	g_object_unref(p);
	g_free(text);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_hostile.c - guest-chosen strings cannot break a line or forge a
 * field, in any format and any mode.
 *
 * Every fixture event is re-filled with one hostile string in every string
 * slot (process name, string fields, list elements, pair keys and values)
 * and printed in all four formats and all four mode combinations. Each line
 * must: end in its only '\n' and hold no other byte 0x00-0x1F or 0x7F; read
 * back field by field with the documented splitting rules (lineparse.c),
 * giving exactly the expected keys and, for csv, the fixed column count of
 * the event type; and without --drakvuf-compat decode back to the original
 * bytes. JSON lines must be valid UTF-8, parse with json-glib, hold exactly
 * the expected members (Lossy naming the fields whose bytes were replaced)
 * and give back the strings written in the table below by hand.
 */
#include <string.h>

#include <glib.h>

#include "check.h"
#include "fixtures.h"
#include "hostile.h"
#include "lineparse.h"
#include "output/output.h"

CHECK_DEFINE;

#define FFFD "\xef\xbf\xbd"
#define H(name, lit, json, lossy) { name, lit, sizeof(lit) - 1, json, lossy }
#define HS(name, lit) H(name, lit, lit, false)

static const struct hostile hostiles[] = {
	HS("quotes", "a\"b\"\""),
	HS("backslash", "C:\\dir\\"),
	HS("newlines", "l1\nl2\r\nl3"),
	HS("esc", "\x1b[31mred\x1b[0m"),
	HS("c0", "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e"
		 "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c"
		 "\x1d\x1e\x1f"),
	HS("del", "a\x7f" "b"),
	H("nul", "a\0b\0", NULL, false),
	HS("separators", "x, Forged=\"1\" y:z;w=1,Method=evil PID:1 |A|"),
	HS("forge_json", "\",\"PID\":0,\"x\":\""),
	HS("forge_csv", "\",1,2,3,\""),
	HS("forge_default", "\" PID:1 PPID:2 Key:\"v"),
	HS("escape_text", "\\x22\\n\\\\\\"),
	HS("spaces", " lead  and trail "),
	HS("utf8_ok", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"),
	H("continuation", "\x80\xbf", FFFD FFFD, true),
	H("truncated_end", "a\xe2\x82", "a" FFFD FFFD, true),
	H("truncated_mid", "\xe2\x82z", FFFD FFFD "z", true),
	H("overlong2", "\xc0\xaf", FFFD FFFD, true),
	H("overlong3", "\xe0\x80\xaf", FFFD FFFD FFFD, true),
	H("surrogate", "\xed\xa0\x80", FFFD FFFD FFFD, true),
	H("above_10ffff", "\xf4\x90\x80\x80", FFFD FFFD FFFD FFFD, true),
	H("f5_ff", "\xf5\xff", FFFD FFFD, true),
	H("mixed", "ok\xc3\xa9\xc3", "ok\xc3\xa9" FFFD, true),
	HS("empty", ""),
};

static const char *const fmt_names[] = { "default", "csv", "kv", "json" };

static struct vs_bytes strv_items[3];
static struct vs_pair pair_items[3];

/* Put @h into every string slot of @ev. */
static void hostilize(struct vs_event *ev, const struct vs_bytes *h)
{
	strv_items[0] = *h;
	strv_items[1] = (struct vs_bytes){ "", 0 };
	strv_items[2] = *h;
	pair_items[0] = (struct vs_pair){ *h, VS_FT_RSTR, .v.s = *h };
	pair_items[1] = (struct vs_pair){ { "K", 1 }, VS_FT_NUM, .v.n = 5 };
	pair_items[2] = (struct vs_pair){ *h, VS_FT_HEX, .v.u = 0xAB };
	ev->process_name = *h;
	for (size_t i = 0; i < ev->nfields; i++) {
		struct vs_field *f = &ev->fields[i];

		if (f->type == VS_FT_QSTR || f->type == VS_FT_ESTR ||
		    f->type == VS_FT_RSTR) {
			f->v.s = *h;
		} else if (f->type == VS_FT_STRV) {
			f->v.strv.items = strv_items;
			f->v.strv.count = 3;
		} else if (f->type == VS_FT_PAIRS) {
			f->v.pairs.items = pair_items;
			f->v.pairs.count = 3;
		}
	}
}

/* ---- the documented selection rules ---------------------------------- */

static bool ext_shown(const struct tcase *t)
{
	return t->o.extended || (!t->o.drakvuf_compat && t->fmt >= VS_FMT_KV);
}

/* The fields in print order: seed, then the shown extended ones. */
size_t visible(const struct tcase *t, const struct vs_field **out)
{
	size_t n = 0;

	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1 && !ext_shown(t))
			break;
		for (size_t i = 0; i < t->ev->nfields; i++) {
			const struct vs_field *f = &t->ev->fields[i];

			if ((int)f->cls != pass)
				continue;
			if (t->fmt == VS_FMT_DEFAULT &&
			    t->ev->kind == VS_EV_RUNNING &&
			    strcmp(f->key, "Bitness") == 0)
				continue;
			out[n++] = f;
		}
	}
	return n;
}

bool is_str(const struct vs_field *f)
{
	return f->type == VS_FT_QSTR || f->type == VS_FT_ESTR ||
	       f->type == VS_FT_RSTR;
}

/* Under compat, default/csv Q strings are raw (end at the next quote),
 * except the g_strescape'd Windows CommandLine. */
bool raw_q(const struct tcase *t, const struct vs_field *f)
{
	return t->o.drakvuf_compat && f->type == VS_FT_QSTR &&
	       t->fmt != VS_FMT_KV &&
	       !(t->ev->os == VS_OS_WINDOWS &&
		 strcmp(f->key, "CommandLine") == 0);
}

/* ---- shared checks --------------------------------------------------- */

void expect_bytes(const struct tcase *t, const char *what,
			 const char *p, size_t n, const struct vs_bytes *want)
{
	CHECK(n == want->len && memcmp(p, want->ptr, n) == 0,
	      "%s: %s does not decode back (%zu vs %zu bytes)", t->where,
	      what, n, want->len);
}

/* A string value read from default/csv/kv in normal mode. */
void expect_decoded(const struct tcase *t, const char *what,
			   GString *raw, bool quoted, const struct vs_bytes *w)
{
	GString *dec = g_string_new(NULL);

	if (t->o.drakvuf_compat)
		goto out;
	if (quoted)
		CHECK(decode_c(raw->str, raw->len, dec), "%s: %s: bad escape",
		      t->where, what);
	else
		g_string_assign(dec, raw->str);
	expect_bytes(t, what, dec->str, dec->len, w);
out:
	g_string_free(dec, TRUE);
}

void expect_strv(const struct tcase *t, GString *raw)
{
	GString *el[4];
	int n;

	for (int i = 0; i < 4; i++)
		el[i] = g_string_new(NULL);
	n = decode_strv(raw->str, raw->len, el, 4);
	CHECK(n == 3, "%s: string list has %d elements", t->where, n);
	if (n == 3 && !t->o.drakvuf_compat) {
		static const struct vs_bytes empty = { "", 0 };

		expect_bytes(t, "list[0]", el[0]->str, el[0]->len, &t->hb);
		expect_bytes(t, "list[1]", el[1]->str, el[1]->len, &empty);
		expect_bytes(t, "list[2]", el[2]->str, el[2]->len, &t->hb);
	}
	for (int i = 0; i < 4; i++)
		g_string_free(el[i], TRUE);
}

/* Pair element @i of the hostile NewState, as text. */
static void pair_text(const struct tcase *t, int i, bool key,
		      struct vs_bytes *out)
{
	static const struct vs_bytes k = { "K", 1 }, five = { "5", 1 },
				     hex = { "0xAB", 4 };

	if (key)
		*out = i == 1 ? k : t->hb;
	else
		*out = i == 0 ? t->hb : i == 1 ? five : hex;
}

void expect_elem(const struct tcase *t, const char *p, size_t n,
			int i, bool key)
{
	GString *dec = g_string_new(NULL);
	struct vs_bytes want;

	pair_text(t, i, key, &want);
	CHECK(decode_c(p, n, dec), "%s: pair element: bad escape", t->where);
	expect_bytes(t, key ? "pair key" : "pair value", dec->str, dec->len,
		     &want);
	g_string_free(dec, TRUE);
}

/* "k:v;k:v;k:v" (default, @kv_sep ':') or "v;v;v" (csv, 0). */
void expect_pairs(const struct tcase *t, GString *raw, char kv_sep)
{
	gchar **parts = g_strsplit(raw->str, ";", -1);

	CHECK(g_strv_length(parts) == 3, "%s: NewState has %u parts",
	      t->where, g_strv_length(parts));
	for (int i = 0; i < 3 && i < (int)g_strv_length(parts); i++) {
		const char *p = parts[i];
		const char *sep = kv_sep ? strchr(p, kv_sep) : NULL;

		CHECK(!kv_sep || sep, "%s: pair without separator", t->where);
		if (kv_sep && !sep)
			continue;
		if (sep)
			expect_elem(t, p, (size_t)(sep - p), i, true);
		p = sep ? sep + 1 : p;
		expect_elem(t, p, strlen(p), i, false);
	}
	g_strfreev(parts);
}

static void check_bytes(const struct tcase *t, const GString *line)
{
	size_t bad = 0;

	for (size_t i = 0; i + 1 < line->len; i++) {
		unsigned char c = (unsigned char)line->str[i];

		bad += c < 0x20 || c == 0x7f;
	}
	CHECK(line->len > 0 && line->str[line->len - 1] == '\n',
	      "%s: no final newline", t->where);
	CHECK(bad == 0, "%s: %zu raw control bytes in the line", t->where,
	      bad);
}

static void run(const struct tcase *t)
{
	GString *line = g_string_new(NULL);
	int err = vs_format_event((enum vs_format)t->fmt, &t->o, t->ev, line);

	CHECK(err == 0, "%s: format error %d", t->where, err);
	check_bytes(t, line);
	if (line->len) {
		if (t->fmt == VS_FMT_DEFAULT)
			check_default(t, line->str, line->len - 1);
		else if (t->fmt == VS_FMT_CSV)
			check_csv(t, line->str, line->len - 1);
		else if (t->fmt == VS_FMT_KV)
			check_kv(t, line->str, line->len - 1);
		else
			check_json(t, line->str, line->len - 1);
	}
	g_string_free(line, TRUE);
}

int main(void)
{
	static struct vs_event ev;

	for (size_t fx = 0; fx < nfixtures; fx++) {
		for (size_t h = 0; h < G_N_ELEMENTS(hostiles); h++) {
			for (int fmt = 0; fmt < 4; fmt++) {
				for (int mode = 0; mode < 4; mode++) {
					struct tcase t = {
						.h = &hostiles[h],
						.hb = { hostiles[h].s,
							hostiles[h].n },
						.fmt = fmt,
						.o.drakvuf_compat = mode & 1,
						.o.extended = mode & 2,
						.ev = &ev,
					};

					fixtures[fx].build(&ev);
					hostilize(&ev, &t.hb);
					snprintf(t.where, sizeof(t.where),
						 "%s/%s/%s/%s%s",
						 fixtures[fx].name,
						 hostiles[h].name,
						 fmt_names[fmt],
						 mode & 1 ? "compat" : "normal",
						 mode & 2 ? "+extended" : "");
					run(&t);
				}
			}
		}
	}
	return check_done("hostile");
}

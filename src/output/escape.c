// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * escape.c - the byte-level escaping of every output format (escape.h).
 *
 * All guest strings pass through one of these functions before they reach
 * an event line. The common shape: copy runs of harmless bytes in one go,
 * and replace each other byte by its escape. JSON additionally validates
 * UTF-8 (Unicode Table 3-7, so overlongs, surrogates and code points above
 * U+10FFFF are invalid) and replaces each byte of a bad sequence by U+FFFD.
 */
#include "escape.h"

#include <string.h>

static const char hex_upper[] = "0123456789ABCDEF";
static const char hex_lower[] = "0123456789abcdef";

static void put_xhh(GString *s, unsigned char c)
{
	char e[4] = { '\\', 'x', hex_upper[c >> 4], hex_upper[c & 15] };

	g_string_append_len(s, e, 4);
}

/* \n \r \t as two characters; false for any other byte. */
static bool put_short(GString *s, unsigned char c)
{
	char e = c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : 0;

	if (!e)
		return false;
	g_string_append_c(s, '\\');
	g_string_append_c(s, e);
	return true;
}

static bool is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

void vs_esc_c(GString *s, const char *p, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (!is_ctl(c) && c != '\\' && c != '"')
			continue;
		g_string_append_len(s, p + run, (gssize)(i - run));
		run = i + 1;
		if (c == '\\' || c == '"') {
			g_string_append_c(s, '\\');
			g_string_append_c(s, (char)c);
		} else if (!put_short(s, c)) {
			put_xhh(s, c);
		}
	}
	g_string_append_len(s, p + run, (gssize)(n - run));
}

void vs_esc_q_compat(GString *s, const char *p, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (!is_ctl(c) && c != '"')
			continue;
		g_string_append_len(s, p + run, (gssize)(i - run));
		run = i + 1;
		if (!put_short(s, c))
			put_xhh(s, c);
	}
	g_string_append_len(s, p + run, (gssize)(n - run));
}

/* Length of the valid UTF-8 sequence starting at @p (a byte >= 0x80), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t len;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (c == 0xe0)
		lo = 0xa0;
	else if (c == 0xed)
		hi = 0x9f;
	else if (c == 0xf0)
		lo = 0x90;
	else if (c == 0xf4)
		hi = 0x8f;
	if (n < len || p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

static void put_json_ascii(GString *s, unsigned char c)
{
	if (c == '"' || c == '\\') {
		g_string_append_c(s, '\\');
		g_string_append_c(s, (char)c);
	} else if (!put_short(s, c)) {
		char e[6] = { '\\', 'u', '0', '0',
			      hex_lower[c >> 4], hex_lower[c & 15] };

		g_string_append_len(s, e, 6);
	}
}

bool vs_esc_json(GString *s, const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	bool lossy = false;
	size_t run = 0, i = 0;

	while (i < n) {
		unsigned char c = u[i];
		size_t len;

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0x80 && (len = utf8_len(u + i, n - i)) > 0) {
			i += len;
			continue;
		}
		vs_put(s, p + run, i - run);
		if (c >= 0x80) {
			VS_PUT_LIT(s, "\xef\xbf\xbd");
			lossy = true;
		} else {
			put_json_ascii(s, c);
		}
		run = ++i;
	}
	vs_put(s, p + run, n - run);
	return lossy;
}

static bool is_plain(unsigned char c)
{
	return g_ascii_isalnum(c) || c == '_' || c == '.' || c == '+' ||
	       c == '-' || c == '/' || c == '@' || c == '%';
}

bool vs_esc_raw_safe(const char *p, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_plain((unsigned char)p[i]))
			return false;
	return true;
}

void vs_esc_elem(GString *s, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (is_plain(c) || c >= 0x80)
			g_string_append_c(s, (char)c);
		else if (c == '\\')
			g_string_append(s, "\\\\");
		else if (!put_short(s, c))
			put_xhh(s, c);
	}
}

static void strv_elem(GString *s, const struct vs_bytes *b)
{
	if (b->len == 0) {
		g_string_append(s, "\\\"\\\"");
		return;
	}
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->ptr[i];

		if (c == '\\')
			g_string_append(s, "\\\\");
		else if (c == '\n' || c == '\r' || c == '\t')
			put_short(s, c);
		else if (c <= 0x20 || c == '"' || c == 0x7f)
			put_xhh(s, c);
		else
			g_string_append_c(s, (char)c);
	}
}

void vs_esc_strv(GString *s, const struct vs_bytes *items, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		if (i)
			g_string_append_c(s, ' ');
		strv_elem(s, &items[i]);
	}
}

void vs_esc_gstrescape(GString *s, const char *p, size_t n)
{
	static const char from[] = "\b\f\n\r\t\v\\\"";
	static const char to[] = "bfnrtv\\\"";

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		const char *hit = c ? strchr(from, c) : NULL;

		if (hit) {
			g_string_append_c(s, '\\');
			g_string_append_c(s, to[hit - from]);
		} else if (c < 0x20 || c >= 0x7f) {
			char e[4] = { '\\', (char)('0' + (c >> 6)),
				      (char)('0' + ((c >> 3) & 7)),
				      (char)('0' + (c & 7)) };

			g_string_append_len(s, e, 4);
		} else {
			g_string_append_c(s, (char)c);
		}
	}
}

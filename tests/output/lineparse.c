// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lineparse.c - see lineparse.h. Deliberately simple and separate from
 * src/output/escape.c: it reads what the docs promise.
 */
#include "lineparse.h"

#include <string.h>

void cur_init(struct cursor *c, const char *s, size_t n)
{
	c->p = s;
	c->end = s + n;
	c->ok = true;
}

bool cur_lit(struct cursor *c, const char *s)
{
	size_t n = strlen(s);

	if (!c->ok || (size_t)(c->end - c->p) < n || memcmp(c->p, s, n) != 0)
		return c->ok = false;
	c->p += n;
	return true;
}

void cur_bare(struct cursor *c, const char *stops, GString *out)
{
	g_string_truncate(out, 0);
	while (c->ok && c->p < c->end && !strchr(stops, *c->p))
		g_string_append_c(out, *c->p++);
}

bool cur_quoted(struct cursor *c, bool raw_q, GString *out)
{
	g_string_truncate(out, 0);
	if (!cur_lit(c, "\""))
		return false;
	while (c->p < c->end) {
		char ch = *c->p++;

		if (ch == '"')
			return true;
		if (ch == '\\' && !raw_q) {
			if (c->p >= c->end)
				break;
			g_string_append_c(out, ch);
			ch = *c->p++;
		}
		g_string_append_c(out, ch);
	}
	return c->ok = false;
}

void cur_value(struct cursor *c, bool raw_q, const char *stops, GString *out,
	       bool *quoted)
{
	*quoted = c->ok && c->p < c->end && *c->p == '"';
	if (*quoted)
		cur_quoted(c, raw_q, out);
	else
		cur_bare(c, stops, out);
}

bool cur_at_end(const struct cursor *c)
{
	return c->ok && c->p == c->end;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;   /* the docs promise uppercase */
}

bool decode_c(const char *s, size_t n, GString *out)
{
	g_string_truncate(out, 0);
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			g_string_append_c(out, s[i]);
			continue;
		}
		if (++i >= n)
			return false;
		switch (s[i]) {
		case '\\': g_string_append_c(out, '\\'); break;
		case '"': g_string_append_c(out, '"'); break;
		case 'n': g_string_append_c(out, '\n'); break;
		case 'r': g_string_append_c(out, '\r'); break;
		case 't': g_string_append_c(out, '\t'); break;
		case 'x':
			if (i + 2 >= n || hexval(s[i + 1]) < 0 ||
			    hexval(s[i + 2]) < 0)
				return false;
			g_string_append_c(out, (char)(hexval(s[i + 1]) * 16 +
						      hexval(s[i + 2])));
			i += 2;
			break;
		default:
			return false;
		}
	}
	return true;
}

int decode_strv(const char *s, size_t n, GString **elems, int max)
{
	int count = 0;
	size_t start = 0;

	if (n == 0)
		return 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != ' ')
			continue;
		if (count >= max)
			return -1;
		if (i - start == 4 && memcmp(s + start, "\\\"\\\"", 4) == 0)
			g_string_truncate(elems[count], 0);
		else if (!decode_c(s + start, i - start, elems[count]))
			return -1;
		count++;
		start = i + 1;
	}
	return count;
}

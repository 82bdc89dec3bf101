// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rsp.c - the GDB Remote Serial Protocol codec (rsp.h): frame decoding
 * with checksum, escapes and run-length expansion bounded by the caller's
 * capacity, frame encoding, hex helpers, thread ids, stop replies and the
 * qSupported fields we use. Everything here treats its input as hostile:
 * each loop is bounded by an input or output length.
 */
#include "backend/gdb/rsp.h"

#include <errno.h>
#include <string.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

struct dec {
	uint8_t *out;
	size_t cap, len;
	int err;
	bool restart;
};

static void put(struct dec *d, uint8_t c, size_t n)
{
	if (d->err)
		return;
	if (n > d->cap - d->len) {
		d->err = -EMSGSIZE;
		return;
	}
	memset(d->out + d->len, c, n);
	d->len += n;
}

/* Decode the payload from in[j] on; returns the index of the final '#'
 * (or of an unescaped '$': d->restart), or inlen when the frame is not
 * complete yet. */
static size_t decode_body(const uint8_t *in, size_t inlen, size_t j,
			  struct dec *d, uint8_t *sum)
{
	bool esc = false;

	for (; j < inlen; j++) {
		uint8_t c = in[j];

		if (c == '#' && !esc)
			return j;
		if (c == '$' && !esc) {
			d->restart = true;      /* a frame inside a frame */
			return j;
		}
		*sum += c;
		if (esc) {
			put(d, c ^ 0x20, 1);
			esc = false;
		} else if (c == '}') {
			esc = true;
		} else if (c == '*') {
			uint8_t n;

			if (j + 1 >= inlen)
				return inlen;
			n = in[j + 1];
			if (n == '#') {
				if (!d->err)
					d->err = -EBADMSG;
				continue;       /* '#' ends the frame next turn */
			}
			*sum += n;
			j++;
			if (n < 32 || n > 126 || n == '$' || d->len == 0) {
				if (!d->err)
					d->err = -EBADMSG;
				continue;
			}
			put(d, d->out[d->len - 1], (size_t)n - 29);
		} else {
			put(d, c, 1);
		}
	}
	return inlen;
}

int vs_rsp_decode(const uint8_t *in, size_t inlen, uint8_t *out, size_t cap,
		  struct vs_rsp_frame *f)
{
	struct dec d = { .out = out, .cap = cap };
	uint8_t sum = 0;
	size_t i = 0, j;
	int hi, lo;

	memset(f, 0, sizeof(*f));
	for (; i < inlen; i++) {
		if (in[i] == '+' || in[i] == '-') {
			f->kind = in[i] == '+' ? VS_RSP_ACK : VS_RSP_NAK;
			f->skipped = i;
			f->consumed = i + 1;
			return 1;
		}
		if (in[i] == '$' || in[i] == '%')
			break;
	}
	f->skipped = i;
	f->consumed = i;
	if (i == inlen)
		return 0;
	f->kind = in[i] == '$' ? VS_RSP_PACKET : VS_RSP_NOTIFY;
	j = decode_body(in, inlen, i + 1, &d, &sum);
	if (d.restart) {
		/* The stub started over: drop the broken frame, keep the new. */
		f->consumed = j;
		return -EBADMSG;
	}
	if (j >= inlen || j + 3 > inlen) {
		/* Not complete: no valid frame can be longer than every
		 * payload byte escaped, plus framing. */
		if (inlen - i > 2 * cap + 4) {
			f->consumed = inlen;
			return -EMSGSIZE;
		}
		return 0;
	}
	f->consumed = j + 3;
	hi = hexval(in[j + 1]);
	lo = hexval(in[j + 2]);
	if (d.err)
		return d.err;
	if (hi < 0 || lo < 0 || (uint8_t)(hi << 4 | lo) != sum)
		return -EBADMSG;
	f->len = d.len;
	if (d.len < cap)
		out[d.len] = '\0';
	return 1;
}

int vs_rsp_encode(const void *payload, size_t len, char *out, size_t cap)
{
	const uint8_t *p = payload;
	uint8_t sum = 0;
	size_t o = 0;

	if (cap < 4)
		return -EMSGSIZE;
	out[o++] = '$';
	for (size_t i = 0; i < len; i++) {
		uint8_t c = p[i];
		bool esc = c == '#' || c == '$' || c == '}' || c == '*';

		if (o + (esc ? 2 : 1) + 3 > cap)
			return -EMSGSIZE;
		if (esc) {
			out[o++] = '}';
			sum += '}';
			c ^= 0x20;
		}
		out[o++] = (char)c;
		sum += c;
	}
	out[o++] = '#';
	out[o++] = "0123456789abcdef"[sum >> 4];
	out[o++] = "0123456789abcdef"[sum & 15];
	if (o < cap)
		out[o] = '\0';
	return (int)o;
}

int vs_rsp_hex_decode(const char *hex, size_t n, uint8_t *out)
{
	if (n % 2)
		return -EINVAL;
	for (size_t i = 0; i < n; i += 2) {
		int hi = hexval((unsigned char)hex[i]);
		int lo = hexval((unsigned char)hex[i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

void vs_rsp_hex_encode(const uint8_t *in, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = "0123456789abcdef"[in[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int vs_rsp_parse_hex(const char **p, const char *end, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	int n = 0;

	while (s < end && hexval((unsigned char)*s) >= 0) {
		if (++n > 16)
			return -EINVAL;
		x = x << 4 | (uint64_t)hexval((unsigned char)*s);
		s++;
	}
	if (n == 0)
		return -EINVAL;
	*p = s;
	*v = x;
	return 0;
}

/* "-1" or a hex number that fits in int64_t. */
static int parse_id(const char **p, const char *end, int64_t *v)
{
	uint64_t x;

	if (end - *p >= 2 && (*p)[0] == '-' && (*p)[1] == '1') {
		*p += 2;
		*v = -1;
		return 0;
	}
	if (vs_rsp_parse_hex(p, end, &x) < 0 || x > INT64_MAX)
		return -EINVAL;
	*v = (int64_t)x;
	return 0;
}

int vs_rsp_parse_tid(const char **p, const char *end, struct vs_rsp_tid *t)
{
	const char *s = *p;

	t->pid = 0;
	t->tid = -1;
	if (s < end && *s == 'p') {
		s++;
		if (parse_id(&s, end, &t->pid) < 0)
			return -EINVAL;
		if (s < end && *s == '.') {
			s++;
			if (parse_id(&s, end, &t->tid) < 0)
				return -EINVAL;
		}
	} else if (parse_id(&s, end, &t->tid) < 0) {
		return -EINVAL;
	}
	*p = s;
	return 0;
}

static bool name_is(const char *n, size_t nlen, const char *want)
{
	return strlen(want) == nlen && memcmp(n, want, nlen) == 0;
}

/* One "name:value;" pair of a T reply starting at *p. */
static int stop_pair(const char **p, const char *end, struct vs_rsp_stop *st)
{
	const char *n = *p, *colon = memchr(n, ':', (size_t)(end - n));
	const char *semi, *v;
	size_t nlen;

	if (!colon || colon == n)
		return -EINVAL;
	nlen = (size_t)(colon - n);
	v = colon + 1;
	semi = memchr(v, ';', (size_t)(end - v));
	if (!semi)
		semi = end;       /* a last pair without ';' */
	if (name_is(n, nlen, "thread")) {
		const char *s = v;

		if (vs_rsp_parse_tid(&s, semi, &st->thread) < 0 || s != semi)
			return -EINVAL;
		st->has_thread = true;
	} else if (name_is(n, nlen, "swbreak")) {
		st->swbreak = true;
	} else if (name_is(n, nlen, "hwbreak")) {
		st->hwbreak = true;
	} else if (name_is(n, nlen, "watch") || name_is(n, nlen, "rwatch") ||
		   name_is(n, nlen, "awatch")) {
		const char *s = v;

		if (vs_rsp_parse_hex(&s, semi, &st->watch_addr) < 0 || s != semi)
			return -EINVAL;
		st->watch = true;
	}
	*p = semi < end ? semi + 1 : end;
	return 0;
}

static int parse_code(const char *p, size_t len, uint8_t *code)
{
	uint8_t b;

	if (len < 3 || vs_rsp_hex_decode(p + 1, 2, &b) < 0)
		return -EINVAL;
	*code = b;
	return 0;
}

int vs_rsp_parse_stop(const char *p, size_t len, struct vs_rsp_stop *st,
		      uint8_t *out, size_t cap)
{
	const char *end = p + len, *s;

	memset(st, 0, sizeof(*st));
	if (len == 0)
		return -EINVAL;
	st->kind = p[0];
	switch (p[0]) {
	case 'O':
		if ((len - 1) % 2 || (len - 1) / 2 > cap)
			return -EINVAL;
		st->outlen = (len - 1) / 2;
		return vs_rsp_hex_decode(p + 1, len - 1, out);
	case 'S':
		return len == 3 ? parse_code(p, len, &st->code) : -EINVAL;
	case 'W':
	case 'X':
		/* An optional ";process:PID" follows; nothing we need. */
		if (parse_code(p, len, &st->code) < 0 || (len > 3 && p[3] != ';'))
			return -EINVAL;
		return 0;
	case 'T':
		if (parse_code(p, len, &st->code) < 0)
			return -EINVAL;
		for (s = p + 3; s < end;)
			if (stop_pair(&s, end, st) < 0)
				return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

/* The first ';'-separated item of a qSupported reply starting @prefix. */
static const char *find_item(const char *p, size_t len, const char *prefix,
			     size_t *itemlen)
{
	const char *end = p + len;
	size_t plen = strlen(prefix);

	while (p < end) {
		const char *semi = memchr(p, ';', (size_t)(end - p));
		size_t n = semi ? (size_t)(semi - p) : (size_t)(end - p);

		if (n >= plen && memcmp(p, prefix, plen) == 0) {
			*itemlen = n;
			return p;
		}
		p += n + 1;
	}
	return NULL;
}

size_t vs_rsp_packet_size(const char *p, size_t len)
{
	size_t n;
	const char *it = find_item(p, len, "PacketSize=", &n);
	const char *s, *e;
	uint64_t v;

	if (!it)
		return VS_RSP_DEFAULT_PACKET;
	s = it + 11;
	e = it + n;
	if (vs_rsp_parse_hex(&s, e, &v) < 0 || s != e)
		return VS_RSP_DEFAULT_PACKET;
	if (v < 256)
		return 256;
	return v > VS_RSP_MAX_PACKET ? VS_RSP_MAX_PACKET : (size_t)v;
}

bool vs_rsp_has_feature(const char *p, size_t len, const char *feature)
{
	size_t n, flen = strlen(feature);
	const char *it = find_item(p, len, feature, &n);

	/* Exactly "feature+" (not a longer name with the same prefix). */
	while (it) {
		if (n == flen + 1 && it[flen] == '+')
			return true;
		len -= (size_t)(it - p) + n;
		if (len == 0)
			break;
		len--;
		p = it + n + 1;
		it = find_item(p, len, feature, &n);
	}
	return false;
}

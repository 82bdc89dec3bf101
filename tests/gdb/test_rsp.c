// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_rsp.c - the RSP codec against hand-written frames: checksums were
 * summed by hand ("OK" = 0x4f + 0x4b = 0x9a), run-length and escape
 * examples follow the protocol's own description, and every malformed
 * frame (bad checksum, repeat with nothing to repeat, '#' as a count,
 * oversized payload, a frame inside a frame) must fail without writing
 * past the output capacity.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backend/gdb/rsp.h"

static int failures;

#define CHECK(c) do { if (!(c)) { failures++; \
	fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c); } \
	} while (0)

static int dec(const char *in, uint8_t *out, size_t cap,
	       struct vs_rsp_frame *f)
{
	return vs_rsp_decode((const uint8_t *)in, strlen(in), out, cap, f);
}

static void test_frames(void)
{
	struct vs_rsp_frame f;
	uint8_t out[64];

	CHECK(dec("$OK#9a", out, sizeof(out), &f) == 1);
	CHECK(f.kind == VS_RSP_PACKET && f.len == 2 && f.consumed == 6);
	CHECK(memcmp(out, "OK", 3) == 0);
	CHECK(dec("$OK#9A", out, sizeof(out), &f) == 1);     /* upper case */
	CHECK(dec("$#00", out, sizeof(out), &f) == 1 && f.len == 0);
	CHECK(dec("+$g#67", out, sizeof(out), &f) == 1);
	CHECK(f.kind == VS_RSP_ACK && f.consumed == 1);
	CHECK(dec("-", out, sizeof(out), &f) == 1 && f.kind == VS_RSP_NAK);
	/* noise before a frame is skipped and reported */
	CHECK(dec("xy$?#3f", out, sizeof(out), &f) == 1);
	CHECK(f.skipped == 2 && f.consumed == 7 && out[0] == '?');
	/* run-length: '0' then ' ' (32 - 29 = 3 more) */
	CHECK(dec("$0* #7a", out, sizeof(out), &f) == 1);
	CHECK(f.len == 4 && memcmp(out, "0000", 4) == 0);
	/* escape: "}]" is '}' (0x5d ^ 0x20 = 0x7d); sum 0x7d + 0x5d = 0xda */
	CHECK(dec("$}]#da", out, sizeof(out), &f) == 1);
	CHECK(f.len == 1 && out[0] == '}');
	/* notification */
	CHECK(dec("%OK#9a", out, sizeof(out), &f) == 1);
	CHECK(f.kind == VS_RSP_NOTIFY);
}

static void test_bad_frames(void)
{
	struct vs_rsp_frame f;
	uint8_t out[8];

	CHECK(dec("$OK#9b", out, sizeof(out), &f) == -EBADMSG);
	CHECK(f.consumed == 6);
	CHECK(dec("$OK#zz", out, sizeof(out), &f) == -EBADMSG);
	CHECK(dec("$* #4a", out, sizeof(out), &f) == -EBADMSG);  /* nothing */
	CHECK(dec("$0*##00", out, sizeof(out), &f) < 0);         /* '#' count */
	CHECK(dec("$0*\x1f#00", out, sizeof(out), &f) == -EBADMSG);
	CHECK(dec("$}#00", out, sizeof(out), &f) == 0);   /* '#' escaped */
	/* 8 bytes fit ("01234567" sums to 0x19c), 9 do not (0x1d4) */
	CHECK(dec("$01234567#9c", out, sizeof(out), &f) == 1 && f.len == 8);
	CHECK(dec("$012345678#d4", out, sizeof(out), &f) == -EMSGSIZE);
	/* run-length past the capacity: '0' + 94 more */
	CHECK(dec("$0*~#d8", out, sizeof(out), &f) == -EMSGSIZE);
	/* a new frame starts inside a broken one: drop up to it */
	CHECK(dec("$O$OK#9a", out, sizeof(out), &f) == -EBADMSG);
	CHECK(f.consumed == 2);
	/* incomplete: nothing consumed but noise */
	CHECK(dec("ab$OK#9", out, sizeof(out), &f) == 0 && f.consumed == 2);
	CHECK(dec("", out, sizeof(out), &f) == 0 && f.consumed == 0);
	/* no '#' within what any valid frame could be */
	CHECK(dec("$0123456789012345678901", out, sizeof(out), &f) ==
	      -EMSGSIZE);
}

static void test_encode(void)
{
	char buf[32];

	CHECK(vs_rsp_encode("OK", 2, buf, sizeof(buf)) == 6);
	CHECK(strcmp(buf, "$OK#9a") == 0);
	/* '#' escaped as "}\x03": sum 0x7d + 0x03 = 0x80 */
	CHECK(vs_rsp_encode("#", 1, buf, sizeof(buf)) == 6);
	CHECK(memcmp(buf, "$}\x03#80", 6) == 0);
	CHECK(vs_rsp_encode("OK", 2, buf, 5) == -EMSGSIZE);
}

static void test_hex(void)
{
	uint8_t b[4];
	char s[9];
	const char *p, *e;
	uint64_t v;
	struct vs_rsp_tid t;

	CHECK(vs_rsp_hex_decode("0aFf", 4, b) == 0 && b[0] == 0x0a &&
	      b[1] == 0xff);
	CHECK(vs_rsp_hex_decode("0a0", 3, b) == -EINVAL);
	CHECK(vs_rsp_hex_decode("0g", 2, b) == -EINVAL);
	vs_rsp_hex_encode((const uint8_t *)"\x01\xab", 2, s);
	CHECK(strcmp(s, "01ab") == 0);
	p = "ffffffff81000000,"; e = p + strlen(p);
	CHECK(vs_rsp_parse_hex(&p, e, &v) == 0 && v == 0xffffffff81000000ull &&
	      *p == ',');
	p = "10000000000000000"; e = p + strlen(p);
	CHECK(vs_rsp_parse_hex(&p, e, &v) == -EINVAL);   /* 17 digits */
	p = "p1.2"; e = p + 4;
	CHECK(vs_rsp_parse_tid(&p, e, &t) == 0 && t.pid == 1 && t.tid == 2);
	p = "p1.-1"; e = p + 5;
	CHECK(vs_rsp_parse_tid(&p, e, &t) == 0 && t.tid == -1);
	p = "1f"; e = p + 2;
	CHECK(vs_rsp_parse_tid(&p, e, &t) == 0 && t.pid == 0 && t.tid == 0x1f);
	p = "p"; e = p + 1;
	CHECK(vs_rsp_parse_tid(&p, e, &t) == -EINVAL);
}

static int stop(const char *s, struct vs_rsp_stop *st, uint8_t *out,
		size_t cap)
{
	return vs_rsp_parse_stop(s, strlen(s), st, out, cap);
}

static void test_stop(void)
{
	struct vs_rsp_stop st;
	uint8_t out[8];

	CHECK(stop("T05thread:p01.02;swbreak:;", &st, out, 0) == 0);
	CHECK(st.kind == 'T' && st.code == 5 && st.has_thread &&
	      st.thread.pid == 1 && st.thread.tid == 2 && st.swbreak);
	CHECK(stop("T02thread:01;", &st, out, 0) == 0 && st.code == 2 &&
	      st.thread.tid == 1 && !st.swbreak);
	/* registers and unknown pairs are skipped, last ';' optional */
	CHECK(stop("T0506:0000000000000000;core:1;thread:3", &st, out, 0) == 0
	      && st.thread.tid == 3);
	CHECK(stop("T05watch:ffff8000;", &st, out, 0) == 0 && st.watch &&
	      st.watch_addr == 0xffff8000);
	CHECK(stop("S05", &st, out, 0) == 0 && st.kind == 'S');
	CHECK(stop("W00", &st, out, 0) == 0 && st.kind == 'W' && st.code == 0);
	CHECK(stop("X09;process:1", &st, out, 0) == 0 && st.code == 9);
	CHECK(stop("O48690a", &st, out, sizeof(out)) == 0 && st.outlen == 3 &&
	      memcmp(out, "Hi\n", 3) == 0);
	CHECK(stop("O48690a", &st, out, 2) == -EINVAL);     /* too long */
	CHECK(stop("T0", &st, out, 0) == -EINVAL);
	CHECK(stop("T05thread;", &st, out, 0) == -EINVAL);
	CHECK(stop("T05thread:zz;", &st, out, 0) == -EINVAL);
	CHECK(stop("S0500", &st, out, 0) == -EINVAL);
	CHECK(stop("W00x", &st, out, 0) == -EINVAL);
	CHECK(stop("", &st, out, 0) == -EINVAL);
	CHECK(stop("Q", &st, out, 0) == -EINVAL);
}

static void test_qsupported(void)
{
	const char *q = "PacketSize=1000;qXfer:features:read+;"
			"vContSupported+;multiprocess+";
	size_t n = strlen(q);

	CHECK(vs_rsp_packet_size(q, n) == 4096);
	CHECK(vs_rsp_has_feature(q, n, "multiprocess"));
	CHECK(vs_rsp_has_feature(q, n, "qXfer:features:read"));
	CHECK(!vs_rsp_has_feature(q, n, "qXfer:features"));
	CHECK(!vs_rsp_has_feature(q, n, "swbreak"));
	CHECK(vs_rsp_packet_size("", 0) == VS_RSP_DEFAULT_PACKET);
	CHECK(vs_rsp_packet_size("PacketSize=10", 13) == 256);
	CHECK(vs_rsp_packet_size("PacketSize=fffffff", 18) == VS_RSP_MAX_PACKET);
	CHECK(vs_rsp_packet_size("PacketSize=zz", 13) == VS_RSP_DEFAULT_PACKET);
}

int main(void)
{
	test_frames();
	test_bad_frames();
	test_encode();
	test_hex();
	test_stop();
	test_qsupported();
	if (failures)
		fprintf(stderr, "%d checks failed\n", failures);
	return failures ? 1 : 0;
}

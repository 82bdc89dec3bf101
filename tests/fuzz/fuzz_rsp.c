// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_rsp.c - the GDB Remote Serial Protocol codec (src/backend/gdb/rsp.c):
 * a stub is as hostile as the guest behind it.
 *
 * Input: one byte choosing the decode capacity, then the byte stream from
 * the "stub". Every frame is decoded in turn (the caller's loop: drop
 * f.consumed bytes, stop at 0), and each packet's payload goes through the
 * stop-reply, qSupported, thread-id and hex parsers. Invariants: consumed
 * and len stay inside their buffers and progress is made; a decoded
 * payload encodes and decodes back to the same bytes.
 */
#include <errno.h>
#include <string.h>

#include "backend/gdb/rsp.h"
#include "fuzz.h"

#define CAP_MAX 4096

static void parsers(const uint8_t *pl, size_t len)
{
	const char *p = (const char *)pl, *end = p + len;
	uint8_t out[CAP_MAX], hex[CAP_MAX / 2];
	struct vs_rsp_stop st;
	struct vs_rsp_tid t;
	const char *q = p;
	uint64_t v;

	if (vs_rsp_parse_stop(p, len, &st, out, sizeof(out)) == 0 &&
	    st.kind == 'O')
		FUZZ_CHECK(st.outlen <= sizeof(out));
	FUZZ_CHECK(vs_rsp_packet_size(p, len) >= 256 &&
		   vs_rsp_packet_size(p, len) <= VS_RSP_MAX_PACKET);
	vs_rsp_has_feature(p, len, "qXfer:features:read");
	if (vs_rsp_parse_tid(&q, end, &t) == 0)
		FUZZ_CHECK(q > p && q <= end);
	q = p;
	if (vs_rsp_parse_hex(&q, end, &v) == 0)
		FUZZ_CHECK(q > p && q <= end);
	if (len / 2 <= sizeof(hex))
		vs_rsp_hex_decode(p, len & ~(size_t)1, hex);
}

static void roundtrip(const uint8_t *pl, size_t len)
{
	static char enc[2 * CAP_MAX + 8];
	static uint8_t back[CAP_MAX + 1];
	struct vs_rsp_frame f;
	int n = vs_rsp_encode(pl, len, enc, sizeof(enc));

	FUZZ_CHECK(n > 0 && (size_t)n <= sizeof(enc));
	FUZZ_CHECK(vs_rsp_decode((const uint8_t *)enc, (size_t)n, back,
				 sizeof(back), &f) == 1);
	FUZZ_CHECK(f.kind == VS_RSP_PACKET && f.len == len &&
		   f.consumed == (size_t)n && memcmp(back, pl, len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[CAP_MAX + 1];
	size_t cap, off = 1;

	if (size < 1)
		return 0;
	cap = ((size_t)data[0] * 16) % CAP_MAX + 1;
	while (off < size) {
		struct vs_rsp_frame f;
		int rc = vs_rsp_decode(data + off, size - off, out, cap, &f);

		FUZZ_CHECK(f.consumed <= size - off);
		if (rc == 1) {
			FUZZ_CHECK(f.len <= cap && f.consumed > 0);
			if (f.kind == VS_RSP_PACKET || f.kind == VS_RSP_NOTIFY) {
				parsers(out, f.len);
				roundtrip(out, f.len);
			}
		}
		if (f.consumed == 0)
			break;   /* no complete frame yet: wait for more */
		off += f.consumed;
	}
	return 0;
}

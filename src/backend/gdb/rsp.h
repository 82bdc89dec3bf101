/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rsp.h - a small, strict codec for the GDB Remote Serial Protocol (pure:
 * no I/O, no allocation, no state beyond the caller's buffers).
 *
 * What arrives from a stub is a byte stream of frames:
 *   '+' ack   '-' nak (resend)
 *   '$' payload '#' xx   a packet; xx = sum of the raw payload bytes mod 256
 *   '%' payload '#' xx   a notification (same framing, never acked)
 * Inside a payload '}' escapes the next byte (byte ^ 0x20) and "c*n" is
 * run-length encoding: c repeated n - 29 more times (n printable, not '#'
 * or '$'). The decoder bounds every output by the caller's capacity (the
 * stub's PacketSize), so a hostile or broken stub can make it fail but
 * never overflow. Stop replies (T, S, W, X, O) and thread ids ("p1.2",
 * "2", "-1") are parsed here too; they are untrusted input as well.
 *
 * Errors: -EBADMSG (bad checksum, escape or repeat), -EMSGSIZE (payload
 * larger than the capacity), -EINVAL (malformed field).
 */
#ifndef VS_BACKEND_GDB_RSP_H
#define VS_BACKEND_GDB_RSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The packet size assumed before qSupported says otherwise, and the
 * largest PacketSize we accept from a stub. */
#define VS_RSP_DEFAULT_PACKET 4096u
#define VS_RSP_MAX_PACKET (256u << 10)

enum vs_rsp_kind {
	VS_RSP_ACK = 1,
	VS_RSP_NAK,
	VS_RSP_PACKET,
	VS_RSP_NOTIFY,
};

struct vs_rsp_frame {
	enum vs_rsp_kind kind;
	size_t consumed;   /* input bytes used, also on error (skip them) */
	size_t skipped;    /* noise bytes before the frame (part of consumed) */
	size_t len;        /* decoded payload length */
};

/**
 * vs_rsp_decode() - decode the first frame of @in.
 * @out, @cap: where the decoded payload goes (at most @cap bytes; a NUL
 *   is added when room is left, payloads are binary otherwise).
 * Returns 1 with @f filled, 0 when @in holds no complete frame yet
 * (f->consumed says how many noise bytes may be dropped), or a negative
 * errno with f->consumed set to the bytes of the bad frame.
 */
int vs_rsp_decode(const uint8_t *in, size_t inlen, uint8_t *out, size_t cap,
		  struct vs_rsp_frame *f);

/**
 * vs_rsp_encode() - frame @len payload bytes as "$...#xx" into @out,
 * escaping '#', '$', '}' and '*'. Returns the frame length, or -EMSGSIZE
 * when it does not fit in @cap bytes.
 */
int vs_rsp_encode(const void *payload, size_t len, char *out, size_t cap);

/* Hex digits (either case) to bytes: 0, or -EINVAL on an odd count or a
 * bad digit. @n is the number of hex characters. */
int vs_rsp_hex_decode(const char *hex, size_t n, uint8_t *out);
/* Bytes to lowercase hex; @out gets 2 * @n characters and a NUL. */
void vs_rsp_hex_encode(const uint8_t *in, size_t n, char *out);

/**
 * vs_rsp_parse_hex() - a hex number at *@p (before @end), at most 16
 * digits; *@p moves past it. 0 or -EINVAL (no digit, too many).
 */
int vs_rsp_parse_hex(const char **p, const char *end, uint64_t *v);

/* A thread id: "p<pid>.<tid>", "p<pid>", "<tid>", "-1" (all), "0" (any). */
struct vs_rsp_tid {
	int64_t pid;      /* 0 when absent (no multiprocess), -1 all */
	int64_t tid;      /* -1 all, 0 any */
};
int vs_rsp_parse_tid(const char **p, const char *end, struct vs_rsp_tid *t);

/* A stop reply. */
struct vs_rsp_stop {
	char kind;            /* 'T', 'S', 'W', 'X' or 'O' */
	uint8_t code;         /* signal (T, S, X) or exit status (W) */
	bool has_thread;
	struct vs_rsp_tid thread;
	bool swbreak, hwbreak;
	bool watch;           /* watch/rwatch/awatch */
	uint64_t watch_addr;
	size_t outlen;        /* 'O': decoded console bytes in the out buffer */
};

/**
 * vs_rsp_parse_stop() - parse a stop reply payload.
 * @out, @cap: for 'O' packets, the decoded console output.
 * Unknown "name:value;" pairs of a T reply are skipped (the protocol
 * says so); a malformed one is -EINVAL.
 */
int vs_rsp_parse_stop(const char *p, size_t len, struct vs_rsp_stop *st,
		      uint8_t *out, size_t cap);

/* PacketSize from a qSupported reply (hex), clamped to
 * [256, VS_RSP_MAX_PACKET]; VS_RSP_DEFAULT_PACKET when absent. */
size_t vs_rsp_packet_size(const char *p, size_t len);
/* Whether a qSupported reply lists "@feature+". */
bool vs_rsp_has_feature(const char *p, size_t len, const char *feature);

#endif /* VS_BACKEND_GDB_RSP_H */

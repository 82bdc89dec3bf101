// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * client.c - the GDB remote connection (client.h): socket set-up, framed
 * packets with acks and deadlines, and the plain requests. Protocol
 * knowledge that needs no socket lives in rsp.c (framing) and tdesc.c
 * (register list); this file only moves bytes and checks replies.
 *
 * Deadlines: the socket is non-blocking and every wait is a poll() with
 * the time left, so a silent stub costs at most VS_GDB_REPLY_MS per
 * request. EOF is -ECONNRESET (QEMU exited or closed the connection).
 */
#include "backend/gdb/client.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#include "common/log.h"

#define CONNECT_MS 5000
#define MAX_RESEND 3

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *vs_gdb_strerror(int err)
{
	switch (err) {
	case -ETIMEDOUT:
		return "the gdbstub stopped answering";
	case -ECONNRESET:
	case -EPIPE:
		return "the gdbstub closed the connection (QEMU exited?)";
	case -EPROTO:
		return "the gdbstub sent something unexpected";
	default:
		return strerror(-err);
	}
}

static int wait_fd(int fd, short ev, int64_t deadline)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int64_t left = deadline - now_ms();
	int n;

	if (left < 0)
		left = 0;
	do
		n = poll(&p, 1, (int)left);
	while (n < 0 && errno == EINTR && now_ms() < deadline);
	/* A signal (attach's SIGINT, say) that lands as the wait runs out is
	 * the wait running out: the caller then looks at its stop flag. As
	 * an error it ended a detach with "Interrupted system call". */
	if (n < 0 && errno == EINTR)
		return -ETIMEDOUT;
	if (n < 0)
		return -errno;
	return n == 0 ? -ETIMEDOUT : 0;
}

static int write_all(struct vs_gdb_conn *c, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	int64_t deadline = now_ms() + VS_GDB_REPLY_MS;

	while (len) {
		ssize_t n = send(c->fd, p, len, MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			int rc = wait_fd(c->fd, POLLOUT, deadline);

			if (rc < 0)
				return rc;
			continue;
		}
		if (n < 0)
			return errno == EPIPE ? -EPIPE : -errno;
		p += n;
		len -= (size_t)n;
		c->bytes_out += (uint64_t)n;
	}
	return 0;
}

/* More input, waiting until @deadline. */
static int fill(struct vs_gdb_conn *c, int64_t deadline)
{
	ssize_t n;
	int rc;

	if (c->rxlen == c->rxcap)
		return -EPROTO;   /* no frame fits: the decoder said so first */
	for (;;) {
		n = recv(c->fd, c->rx + c->rxlen, c->rxcap - c->rxlen, 0);
		if (n > 0) {
			c->rxlen += (size_t)n;
			c->bytes_in += (uint64_t)n;
			return 0;
		}
		if (n == 0)
			return -ECONNRESET;
		if (errno != EAGAIN && errno != EINTR)
			return errno == EPIPE ? -EPIPE : -ECONNRESET;
		rc = wait_fd(c->fd, POLLIN, deadline);
		if (rc < 0)
			return rc;
	}
}

static void drop(struct vs_gdb_conn *c, size_t n)
{
	memmove(c->rx, c->rx + n, c->rxlen - n);
	c->rxlen -= n;
}

/* The next frame; packets are acked ('+') or refused ('-'). */
static int next_frame(struct vs_gdb_conn *c, int64_t deadline,
		      enum vs_rsp_kind *kind)
{
	for (;;) {
		struct vs_rsp_frame f;
		int rc = vs_rsp_decode(c->rx, c->rxlen, (uint8_t *)c->reply,
				       2 * c->pkt, &f);

		drop(c, f.consumed);
		if (rc == 1) {
			*kind = f.kind;
			if (f.kind != VS_RSP_PACKET)
				return 0;
			c->reply_len = f.len;
			c->reply[f.len] = '\0';
			c->packets_in++;
			rc = write_all(c, "+", 1);
			/* QEMU's last words (a stop or exit reply) come just
			 * before it closes: keep the packet, the next request
			 * meets the closed socket. */
			return rc == -EPIPE || rc == -ECONNRESET ? 0 : rc;
		}
		if (rc < 0) {
			c->naks++;
			vs_debug("gdb: bad frame from the stub (%s), asking again",
				 strerror(-rc));
			rc = write_all(c, "-", 1);
		} else {
			rc = fill(c, deadline);
		}
		if (rc < 0)
			return rc;
		/* A stub streaming noise or broken frames never lets the
		 * socket go quiet: the deadline still holds. */
		if (now_ms() > deadline)
			return -ETIMEDOUT;
	}
}

/* A stop reply the stub sent on its own (QEMU 7.2 announces the stop it
 * makes when a debugger connects): kept for vs_gdb_wait(). */
static bool keep_async(struct vs_gdb_conn *c)
{
	char k = c->reply[0];

	if (c->reply_len == 0 || c->reply_len >= sizeof(c->async) ||
	    (k != 'T' && k != 'S' && k != 'W' && k != 'X'))
		return false;
	memcpy(c->async, c->reply, c->reply_len + 1);
	c->async_len = c->reply_len;
	vs_debug("gdb: stop reply '%s' before an ack, kept", c->async);
	return true;
}

void vs_gdb_drop_async(struct vs_gdb_conn *c)
{
	c->async_len = 0;
}

static int send_packet(struct vs_gdb_conn *c, const char *payload, size_t len)
{
	int64_t deadline = now_ms() + VS_GDB_REPLY_MS;
	int n = vs_rsp_encode(payload, len, c->tx, c->txcap);

	if (n < 0)
		return n;
	bool resend = true;
	int asyncs = 0;

	c->packets_out++;
	for (int tries = 0; tries < MAX_RESEND; tries++) {
		enum vs_rsp_kind k;
		int rc = resend ? write_all(c, c->tx, (size_t)n) : 0;

		if (rc < 0)
			return rc;
		resend = true;
		rc = next_frame(c, deadline, &k);
		if (rc < 0)
			return rc;
		if (k == VS_RSP_ACK)
			return 0;
		if (k == VS_RSP_PACKET && ++asyncs <= 8 && keep_async(c)) {
			tries--;          /* still waiting for this ack */
			resend = false;
			continue;
		}
		if (k != VS_RSP_NAK) {
			vs_debug("gdb: '%s' came before the ack of '%.*s'",
				 c->reply, (int)len, payload);
			return -EPROTO;   /* a packet before the ack */
		}
	}
	return -EPROTO;
}

__attribute__((format(printf, 2, 0)))
static int vsend(struct vs_gdb_conn *c, const char *fmt, va_list ap)
{
	char buf[512];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n < 0 || (size_t)n >= sizeof(buf))
		return -EMSGSIZE;
	return send_packet(c, buf, (size_t)n);
}

int vs_gdb_send(struct vs_gdb_conn *c, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vsend(c, fmt, ap);
	va_end(ap);
	return rc;
}

static int read_reply(struct vs_gdb_conn *c, int64_t deadline)
{
	for (;;) {
		enum vs_rsp_kind k;
		int rc = next_frame(c, deadline, &k);

		if (rc < 0)
			return rc;
		if (k == VS_RSP_PACKET)
			return 0;
		/* stray acks and notifications: nothing to do, but a stub
		 * that sends nothing else must not keep us here */
		if (now_ms() > deadline)
			return -ETIMEDOUT;
	}
}

int vs_gdb_request(struct vs_gdb_conn *c, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vsend(c, fmt, ap);
	va_end(ap);
	return rc < 0 ? rc : read_reply(c, now_ms() + VS_GDB_REPLY_MS);
}

static bool is_console(const struct vs_gdb_conn *c)
{
	if (c->reply_len < 3 || c->reply[0] != 'O' || (c->reply_len - 1) % 2)
		return false;
	for (size_t i = 1; i < c->reply_len; i++)
		if (!g_ascii_isxdigit(c->reply[i]))
			return false;
	return true;
}

int vs_gdb_wait(struct vs_gdb_conn *c, int ms)
{
	int64_t deadline = now_ms() + ms;

	if (c->async_len) {
		memcpy(c->reply, c->async, c->async_len + 1);
		c->reply_len = c->async_len;
		c->async_len = 0;
		return 0;
	}
	for (;;) {
		int rc = read_reply(c, deadline);

		if (rc == -ETIMEDOUT)
			return -EAGAIN;
		if (rc < 0)
			return rc;
		if (!is_console(c))
			return 0;
		c->console_bytes += (c->reply_len - 1) / 2;
		if (now_ms() > deadline)
			return -EAGAIN;
	}
}

int vs_gdb_interrupt(struct vs_gdb_conn *c)
{
	return write_all(c, "\x03", 1);
}

static int open_unix(const char *path, int *fd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	*fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*fd < 0)
		return -errno;
	if (connect(*fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	return 0;
}

/* Non-blocking connect bounded by CONNECT_MS. */
static int connect_timed(int fd, const struct sockaddr *sa, socklen_t len)
{
	int soerr = 0, rc;
	socklen_t sl = sizeof(soerr);

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	if (connect(fd, sa, len) == 0)
		return 0;
	if (errno != EINPROGRESS)
		return -errno;
	rc = wait_fd(fd, POLLOUT, now_ms() + CONNECT_MS);
	if (rc < 0)
		return rc;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0)
		return -errno;
	return -soerr;
}

static int open_tcp(const char *hostport, int *fd)
{
	char *host = g_strdup(hostport), *colon = strrchr(host, ':');
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	char *h = host;
	int rc = -EINVAL;

	if (!colon)
		goto out;
	*colon = '\0';
	if (h[0] == '[' && colon > h + 1 && colon[-1] == ']') {
		h++;
		colon[-1] = '\0';
	}
	if (getaddrinfo(h, colon + 1, &hints, &res) != 0 || !res) {
		rc = -EHOSTUNREACH;
		goto out;
	}
	rc = -ECONNREFUSED;
	for (struct addrinfo *ai = res; ai && rc < 0; ai = ai->ai_next) {
		if (*fd >= 0)
			close(*fd);
		*fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			     ai->ai_protocol);
		if (*fd < 0) {
			rc = -errno;
			continue;
		}
		rc = connect_timed(*fd, ai->ai_addr, ai->ai_addrlen);
	}
	freeaddrinfo(res);
out:
	g_free(host);
	return rc;
}

static void set_packet_size(struct vs_gdb_conn *c, size_t pkt)
{
	c->pkt = pkt;
	c->rxcap = 4 * pkt + 64;
	c->rx = g_realloc(c->rx, c->rxcap);
	c->reply = g_realloc(c->reply, 2 * pkt + 1);
	c->txcap = 2 * pkt + 8;
	c->tx = g_realloc(c->tx, c->txcap);
}

static int handshake(struct vs_gdb_conn *c)
{
	int rc = vs_gdb_request(c, "qSupported:multiprocess+;swbreak+;"
				"hwbreak+;vContSupported+;xmlRegisters=i386");

	if (rc < 0)
		return rc;
	c->multiprocess = vs_rsp_has_feature(c->reply, c->reply_len,
					     "multiprocess");
	c->xfer_features = vs_rsp_has_feature(c->reply, c->reply_len,
					      "qXfer:features:read");
	set_packet_size(c, vs_rsp_packet_size(c->reply, c->reply_len));
	vs_debug("gdb: qSupported: %s (packet size %zu)", c->reply, c->pkt);
	rc = vs_gdb_request(c, "vCont?");
	if (rc < 0)
		return rc;
	c->vcont = strncmp(c->reply, "vCont", 5) == 0 &&
		   strstr(c->reply, ";c") && strstr(c->reply, ";s");
	return 0;
}

int vs_gdb_connect(const char *spec, struct vs_gdb_conn **out, char *err,
		   size_t errlen)
{
	struct vs_gdb_conn *c = g_new0(struct vs_gdb_conn, 1);
	int rc;

	c->fd = -1;
	c->g_thread = -1;
	set_packet_size(c, VS_RSP_DEFAULT_PACKET);
	if (strncmp(spec, "unix:", 5) == 0) {
		rc = open_unix(spec + 5, &c->fd);
		if (rc == 0)
			vs_gdb_peer_note(c->fd, &c->peer);
	} else if (strncmp(spec, "tcp:", 4) == 0) {
		rc = open_tcp(spec + 4, &c->fd);
	} else {
		rc = -EINVAL;
	}
	if (rc < 0) {
		snprintf(err, errlen, "cannot connect to %s: %s", spec,
			 strerror(-rc));
		goto fail;
	}
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
	rc = handshake(c);
	if (rc < 0) {
		snprintf(err, errlen, "%s: no GDB remote protocol answer: %s",
			 spec, vs_gdb_strerror(rc));
		goto fail;
	}
	*out = c;
	return 0;
fail:
	vs_gdb_close(c);
	return rc;
}

void vs_gdb_close(struct vs_gdb_conn *c)
{
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	g_free(c->rx);
	g_free(c->reply);
	g_free(c->tx);
	g_free(c);
}

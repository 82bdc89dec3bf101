/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * client.h - one connection to a GDB remote stub (QEMU's gdbstub): the
 * socket, packet exchange with acks, and the requests the gdb backend
 * needs (target description, thread list, registers, memory,
 * breakpoints, resume, interrupt, detach).
 *
 * Every wait has a deadline: a stub that stops answering, a dropped
 * connection or a QEMU that exits give -ETIMEDOUT, -ECONNRESET or -EPIPE,
 * never a hang. The client is not thread-safe: the backend's event loop
 * owns it, and the hook callbacks it runs call back in on the same thread.
 * Counters (packets, bytes, round trips) feed the attach statistics.
 */
#ifndef VS_BACKEND_GDB_CLIENT_H
#define VS_BACKEND_GDB_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/gdb/peer.h"
#include "backend/gdb/rsp.h"
#include "backend/gdb/tdesc.h"

#define VS_GDB_MAX_THREADS 256
#define VS_GDB_REPLY_MS 5000      /* every request/reply exchange */

struct vs_gdb_conn {
	int fd;
	struct vs_gdb_peer peer;       /* the QEMU behind a unix socket */
	size_t pkt;                   /* max packet size (stub's PacketSize) */
	uint8_t *rx;                  /* undecoded input */
	size_t rxlen, rxcap;
	char *reply;                  /* last decoded packet, NUL-terminated */
	size_t reply_len;
	char *tx;                     /* encoded frame */
	size_t txcap;
	bool multiprocess, vcont, xfer_features;
	struct vs_tdesc td;
	struct vs_rsp_tid threads[VS_GDB_MAX_THREADS];
	size_t nthreads;
	int g_thread;                 /* index of the Hg thread, -1 unknown */
	char async[128];              /* a stop reply that came unasked */
	size_t async_len;
	/* statistics */
	uint64_t packets_out, packets_in, bytes_in, bytes_out, naks;
	uint64_t console_bytes;       /* 'O' packets seen */
};

/**
 * vs_gdb_connect() - connect to "unix:PATH" or "tcp:HOST:PORT" and agree
 * on the protocol (qSupported). @err gets a sentence on failure.
 */
int vs_gdb_connect(const char *spec, struct vs_gdb_conn **out, char *err,
		   size_t errlen);
void vs_gdb_close(struct vs_gdb_conn *c);

/* Send a packet and read its reply into c->reply (timeout:
 * VS_GDB_REPLY_MS). An "Exx" reply is returned as-is (the caller
 * decides); an empty reply means "not supported". */
int vs_gdb_request(struct vs_gdb_conn *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Send a packet whose answer is a later stop reply (c, vCont). */
int vs_gdb_send(struct vs_gdb_conn *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Wait up to @ms for the next packet (stop reply); -EAGAIN on timeout.
 * 'O' console packets are counted and skipped. */
int vs_gdb_wait(struct vs_gdb_conn *c, int ms);
/* Forget a stop reply that came unasked (after '?' has answered). */
void vs_gdb_drop_async(struct vs_gdb_conn *c);
/* Send the interrupt byte 0x03. */
int vs_gdb_interrupt(struct vs_gdb_conn *c);

/* Target description (qXfer:features:read) into c->td, with layout. */
int vs_gdb_load_tdesc(struct vs_gdb_conn *c);
/* Thread list (qfThreadInfo/qsThreadInfo) into c->threads. */
int vs_gdb_load_threads(struct vs_gdb_conn *c);
/* Index of @t in c->threads, or -1. */
int vs_gdb_thread_index(const struct vs_gdb_conn *c,
			const struct vs_rsp_tid *t);
/* Select thread @idx for register and memory requests (Hg), if needed. */
int vs_gdb_select(struct vs_gdb_conn *c, int idx);

/* All `g` registers of the selected thread into @buf (td.g_len bytes;
 * a shorter reply leaves *@got smaller). */
int vs_gdb_read_g(struct vs_gdb_conn *c, uint8_t *buf, size_t cap,
		  size_t *got);
/* One register by number (p), little-endian into @buf. */
int vs_gdb_read_p(struct vs_gdb_conn *c, unsigned regnum, uint8_t *buf,
		  size_t len);
/* Write one register (P). */
int vs_gdb_write_p(struct vs_gdb_conn *c, unsigned regnum,
		   const uint8_t *buf, size_t len);
/* Memory of the selected thread's address space (m), chunked. */
int vs_gdb_read_mem(struct vs_gdb_conn *c, uint64_t addr, void *buf,
		    size_t len);
/* Insert/remove a breakpoint: @type 0 software, 1 hardware. -ENOSPC when
 * the stub refuses (no slot), -EOPNOTSUPP when it lacks the type. */
int vs_gdb_break(struct vs_gdb_conn *c, bool insert, int type, uint64_t addr);

/* Human-readable text for the connection errors. */
const char *vs_gdb_strerror(int err);

#endif /* VS_BACKEND_GDB_CLIENT_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * requests.c - the GDB remote requests the backend uses (client.h): the
 * target description (qXfer:features:read, includes fetched the same
 * way), the thread list, thread selection, register reads and writes
 * (g, p, P), memory reads (m, chunked to the packet size) and
 * breakpoints (Z/z). Every reply is checked for its exact shape.
 */
#include "backend/gdb/client.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "common/log.h"

#define MAX_XML (1u << 20)

/* "Exx" error reply. */
static bool is_error(const struct vs_gdb_conn *c)
{
	return c->reply_len == 3 && c->reply[0] == 'E' &&
	       g_ascii_isxdigit(c->reply[1]) && g_ascii_isxdigit(c->reply[2]);
}

/* One qXfer:features:read object, read in packet-sized pieces. */
static int xfer_read(struct vs_gdb_conn *c, const char *annex, char **out,
		     size_t *outlen)
{
	GString *s = g_string_new(NULL);
	size_t chunk = c->pkt - 16;
	int rc;

	for (;;) {
		rc = vs_gdb_request(c, "qXfer:features:read:%s:%zx,%zx", annex,
				    s->len, chunk);
		if (rc < 0)
			break;
		if (c->reply_len == 0 || (c->reply[0] != 'm' &&
					  c->reply[0] != 'l')) {
			rc = c->reply_len ? -ENOENT : -EOPNOTSUPP;
			break;
		}
		g_string_append_len(s, c->reply + 1, (gssize)c->reply_len - 1);
		if (s->len > MAX_XML) {
			rc = -E2BIG;
			break;
		}
		if (c->reply[0] == 'l' || c->reply_len == 1)
			break;
	}
	if (rc < 0) {
		g_string_free(s, TRUE);
		return rc;
	}
	*outlen = s->len;
	*out = g_string_free(s, FALSE);
	return 0;
}

static int fetch_include(void *opaque, const char *name, char **out,
			 size_t *len)
{
	return xfer_read(opaque, name, out, len);
}

int vs_gdb_load_tdesc(struct vs_gdb_conn *c)
{
	char *xml = NULL;
	size_t len = 0;
	int rc;

	if (!c->xfer_features)
		return -EOPNOTSUPP;
	rc = xfer_read(c, "target.xml", &xml, &len);
	if (rc < 0)
		return rc;
	memset(&c->td, 0, sizeof(c->td));
	rc = vs_tdesc_parse(&c->td, xml, len, fetch_include, c);
	g_free(xml);
	if (rc < 0)
		return rc;
	vs_tdesc_layout(&c->td);
	vs_debug("gdb: target description: %zu registers, g layout %zu bytes",
		 c->td.nregs, c->td.g_len);
	return c->td.nregs ? 0 : -ENOENT;
}

/* Append the ids of a "m<id>,<id>,..." reply. */
static int add_threads(struct vs_gdb_conn *c)
{
	const char *p = c->reply + 1, *end = c->reply + c->reply_len;

	while (p < end) {
		struct vs_rsp_tid t;

		if (vs_rsp_parse_tid(&p, end, &t) < 0 || t.tid <= 0)
			return -EPROTO;
		if (c->nthreads >= VS_GDB_MAX_THREADS)
			return -E2BIG;
		c->threads[c->nthreads++] = t;
		if (p < end && *p++ != ',')
			return -EPROTO;
	}
	return 0;
}

int vs_gdb_load_threads(struct vs_gdb_conn *c)
{
	int rc = vs_gdb_request(c, "qfThreadInfo");

	c->nthreads = 0;
	for (int i = 0; rc == 0 && i <= VS_GDB_MAX_THREADS; i++) {
		if (c->reply_len >= 1 && c->reply[0] == 'l')
			return c->nthreads ? 0 : -ENOENT;
		if (c->reply_len < 2 || c->reply[0] != 'm')
			return -EPROTO;
		rc = add_threads(c);
		if (rc == 0)
			rc = vs_gdb_request(c, "qsThreadInfo");
	}
	return rc < 0 ? rc : -E2BIG;
}

int vs_gdb_thread_index(const struct vs_gdb_conn *c,
			const struct vs_rsp_tid *t)
{
	for (size_t i = 0; i < c->nthreads; i++)
		if (c->threads[i].tid == t->tid &&
		    (t->pid <= 0 || c->threads[i].pid <= 0 ||
		     c->threads[i].pid == t->pid))
			return (int)i;
	return -1;
}

static void tid_str(const struct vs_gdb_conn *c, int idx, char *buf,
		    size_t len)
{
	const struct vs_rsp_tid *t = &c->threads[idx];

	if (c->multiprocess && t->pid > 0)
		snprintf(buf, len, "p%llx.%llx", (unsigned long long)t->pid,
			 (unsigned long long)t->tid);
	else
		snprintf(buf, len, "%llx", (unsigned long long)t->tid);
}

int vs_gdb_select(struct vs_gdb_conn *c, int idx)
{
	char tid[48];
	int rc;

	if (idx < 0 || (size_t)idx >= c->nthreads)
		return -EINVAL;
	if (c->g_thread == idx)
		return 0;
	tid_str(c, idx, tid, sizeof(tid));
	rc = vs_gdb_request(c, "Hg%s", tid);
	if (rc < 0)
		return rc;
	if (strcmp(c->reply, "OK") != 0)
		return -EPROTO;
	c->g_thread = idx;
	return 0;
}

int vs_gdb_read_g(struct vs_gdb_conn *c, uint8_t *buf, size_t cap,
		  size_t *got)
{
	size_t n;
	int rc = vs_gdb_request(c, "g");

	if (rc < 0)
		return rc;
	if (is_error(c) || c->reply_len % 2)
		return -EPROTO;
	n = c->reply_len / 2;
	if (n > cap)
		n = cap;
	if (vs_rsp_hex_decode(c->reply, 2 * n, buf) < 0)
		return -EPROTO;
	*got = n;
	return 0;
}

int vs_gdb_read_p(struct vs_gdb_conn *c, unsigned regnum, uint8_t *buf,
		  size_t len)
{
	int rc = vs_gdb_request(c, "p%x", regnum);

	if (rc < 0)
		return rc;
	if (c->reply_len == 0)
		return -EOPNOTSUPP;
	if (is_error(c))
		return -ENOENT;
	if (c->reply_len != 2 * len ||
	    vs_rsp_hex_decode(c->reply, 2 * len, buf) < 0)
		return -EPROTO;
	return 0;
}

int vs_gdb_write_p(struct vs_gdb_conn *c, unsigned regnum,
		   const uint8_t *buf, size_t len)
{
	char hex[2 * 64 + 1];
	int rc;

	if (len > 64)
		return -EINVAL;
	vs_rsp_hex_encode(buf, len, hex);
	rc = vs_gdb_request(c, "P%x=%s", regnum, hex);
	if (rc < 0)
		return rc;
	if (c->reply_len == 0)
		return -EOPNOTSUPP;
	return strcmp(c->reply, "OK") == 0 ? 0 : -EIO;
}

int vs_gdb_read_mem(struct vs_gdb_conn *c, uint64_t addr, void *buf,
		    size_t len)
{
	uint8_t *out = buf;
	/* QEMU answers at most 2048 bytes per m whatever its PacketSize. */
	size_t chunk = (c->pkt - 8) / 2 < 2048 ? (c->pkt - 8) / 2 : 2048;

	while (len) {
		size_t n = len < chunk ? len : chunk;
		int rc;

		/* Never across a page boundary in one request: a fault
		 * then names the page. */
		if (((addr & 0xfff) + n) > 0x1000)
			n = 0x1000 - (addr & 0xfff);
		rc = vs_gdb_request(c, "m%llx,%zx", (unsigned long long)addr, n);
		if (rc < 0)
			return rc;
		if (is_error(c) || c->reply_len == 0)
			return -EFAULT;
		if (c->reply_len != 2 * n ||
		    vs_rsp_hex_decode(c->reply, 2 * n, out) < 0)
			return -EPROTO;
		out += n;
		addr += n;
		len -= n;
	}
	return 0;
}

int vs_gdb_break(struct vs_gdb_conn *c, bool insert, int type, uint64_t addr)
{
	int rc = vs_gdb_request(c, "%c%d,%llx,1", insert ? 'Z' : 'z', type,
				(unsigned long long)addr);

	if (rc < 0)
		return rc;
	if (strcmp(c->reply, "OK") == 0)
		return 0;
	if (c->reply_len == 0)
		return -EOPNOTSUPP;
	return type == 1 ? -ENOSPC : -EFAULT;
}

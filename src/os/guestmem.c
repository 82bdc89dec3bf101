// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * guestmem.c - bounded guest reads (see guestmem.h). Strings are read in
 * pieces that never cross a 4 KiB page, so a short string at the end of a
 * mapped page is still readable; list walks remember every visited node
 * in a hash set whose size the step limit bounds.
 */
#include "os/guestmem.h"

#include <errno.h>
#include <string.h>

#include "backend/backend.h"

#define PAGE 4096u

void vs_gmem_from_backend(struct vs_gmem *m, struct vs_backend *be,
			  unsigned vcpu, uint64_t dtb)
{
	memset(m, 0, sizeof(*m));
	m->be = be;
	m->vcpu = vcpu;
	m->dtb = dtb;
}

void vs_gmem_from_buffer(struct vs_gmem *m, uint64_t base, const void *buf,
			 size_t len)
{
	memset(m, 0, sizeof(*m));
	m->buf = buf;
	m->buf_len = len;
	m->buf_base = base;
}

int vs_gmem_read(struct vs_gmem *m, uint64_t va, void *buf, size_t len)
{
	int rc;

	if (len > VS_GMEM_MAX_READ)
		return -E2BIG;
	if (!len)
		return 0;
	if (m->be) {
		rc = vs_backend_read_va(m->be, m->vcpu, m->dtb, va, buf, len);
		if (rc < 0) {
			m->failures++;
			return -EFAULT;
		}
		return 0;
	}
	if (va < m->buf_base || va - m->buf_base > m->buf_len ||
	    len > m->buf_len - (va - m->buf_base)) {
		m->failures++;
		return -EFAULT;
	}
	memcpy(buf, m->buf + (va - m->buf_base), len);
	return 0;
}

int vs_gmem_u8(struct vs_gmem *m, uint64_t va, uint8_t *out)
{
	return vs_gmem_read(m, va, out, sizeof(*out));
}

int vs_gmem_u16(struct vs_gmem *m, uint64_t va, uint16_t *out)
{
	return vs_gmem_read(m, va, out, sizeof(*out));
}

int vs_gmem_u32(struct vs_gmem *m, uint64_t va, uint32_t *out)
{
	return vs_gmem_read(m, va, out, sizeof(*out));
}

int vs_gmem_u64(struct vs_gmem *m, uint64_t va, uint64_t *out)
{
	return vs_gmem_read(m, va, out, sizeof(*out));
}

int vs_gmem_str(struct vs_gmem *m, uint64_t va, char *buf, size_t cap,
		size_t *len, bool *truncated)
{
	size_t n = 0;

	*truncated = false;
	if (!cap)
		return -EINVAL;
	while (n < cap - 1) {
		size_t want = PAGE - ((va + n) & (PAGE - 1));
		char *nul;

		if (want > cap - 1 - n)
			want = cap - 1 - n;
		if (vs_gmem_read(m, va + n, buf + n, want) < 0) {
			if (n == 0) {
				buf[0] = '\0';
				*len = 0;
				return -EFAULT;
			}
			*truncated = true;
			break;
		}
		nul = memchr(buf + n, '\0', want);
		if (nul) {
			*len = (size_t)(nul - buf);
			return 0;
		}
		n += want;
	}
	if (n == cap - 1)
		*truncated = true;
	buf[n] = '\0';
	*len = n;
	return 0;
}

int vs_gmem_array(struct vs_gmem *m, uint64_t va, size_t elem, uint64_t count,
		  uint64_t max, void *out)
{
	if (count > max || (elem && count > VS_GMEM_MAX_READ / elem))
		return -E2BIG;
	return vs_gmem_read(m, va, out, elem * count);
}

int vs_gmem_dup(struct vs_gmem *m, uint64_t va, uint64_t len, uint64_t cap,
		uint8_t **out)
{
	uint8_t *p;
	int rc;

	if (len > cap || len > VS_GMEM_MAX_READ)
		return -E2BIG;
	p = g_malloc(len ? len : 1);
	rc = vs_gmem_read(m, va, p, len);
	if (rc < 0) {
		g_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

void vs_gmem_list_init(struct vs_gmem_list *it, struct vs_gmem *m,
		       uint64_t head, unsigned limit)
{
	it->m = m;
	it->head = head;
	it->cur = head;
	it->steps = 0;
	it->limit = limit;
	it->seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
					 NULL);
}

int vs_gmem_list_next(struct vs_gmem_list *it, uint64_t *node)
{
	uint64_t next;
	int rc = vs_gmem_u64(it->m, it->cur, &next);

	if (rc < 0)
		return rc;
	if (next == it->head)
		return 0;
	if (it->steps >= it->limit)
		return -E2BIG;
	if (g_hash_table_contains(it->seen, &next))
		return -EINVAL;
	it->steps++;
	/* The key must outlive the call: keep it in the table itself. */
	g_hash_table_add(it->seen, g_memdup2(&next, sizeof(next)));
	it->cur = next;
	*node = next;
	return 1;
}

void vs_gmem_list_fini(struct vs_gmem_list *it)
{
	if (!it->seen)
		return;
	g_hash_table_destroy(it->seen);
	it->seen = NULL;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * guestmem.c - bounded guest reads (see guestmem.h). Strings are read in
 * pieces that never cross a 4 KiB page, so a short string at the end of a
 * mapped page is still readable; list walks remember every visited node
 * in a hash set whose size the step limit bounds. Gathers sort their
 * fields by offset, cut them into spans and fall back to lone reads for a
 * span that fails; the memo is a flat arena searched newest first.
 */
#include "os/guestmem.h"

#include <errno.h>
#include <string.h>

#include "backend/backend.h"

#define KERNEL_HALF 0xffff800000000000ull

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

/* True (and @buf filled) when [va, va + len) lies in a remembered span. */
static bool memo_get(const struct vs_gmem_memo *mm, uint64_t va, void *buf,
		     size_t len)
{
	for (unsigned i = mm->nspans; i-- > 0;) {
		/* Unsigned: va below the span wraps d past any length. */
		uint64_t d = va - mm->span[i].va;

		if (d < mm->span[i].len && len <= mm->span[i].len - d) {
			memcpy(buf, mm->data + mm->span[i].at + d, len);
			return true;
		}
	}
	return false;
}

static void memo_put(struct vs_gmem_memo *mm, uint64_t va, const void *buf,
		     size_t len)
{
	if (va < KERNEL_HALF || va + len < va || !len ||
	    mm->nspans >= VS_GMEM_MEMO_SPANS ||
	    len > VS_GMEM_MEMO_BYTES - mm->used)
		return;
	memcpy(mm->data + mm->used, buf, len);
	mm->span[mm->nspans].va = va;
	mm->span[mm->nspans].len = (uint32_t)len;
	mm->span[mm->nspans].at = mm->used;
	mm->nspans++;
	mm->used += (uint32_t)len;
}

int vs_gmem_read(struct vs_gmem *m, uint64_t va, void *buf, size_t len)
{
	int rc;

	if (len > VS_GMEM_MAX_READ)
		return -E2BIG;
	if (!len)
		return 0;
	if (m->memo && m->memo->nspans && memo_get(m->memo, va, buf, len))
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

int vs_gmem_span(struct vs_gmem *m, uint64_t va, void *buf, size_t len)
{
	int rc;

	if (len > VS_GMEM_SPAN_MAX)
		return -E2BIG;
	rc = vs_gmem_read(m, va, buf, len);
	if (rc == 0 && m->memo)
		memo_put(m->memo, va, buf, len);
	return rc;
}

/* One share of a gather: fields ord[i..j) read as [base+lo, base+hi). */
static void gather_one(struct vs_gmem *m, uint64_t base,
		       struct vs_gmem_field *f, const uint8_t *ord, size_t i,
		       size_t j, uint64_t lo, uint64_t hi)
{
	uint8_t buf[VS_GMEM_SPAN_MAX];

	if (j - i > 1 && vs_gmem_span(m, base + lo, buf, hi - lo) == 0) {
		for (size_t k = i; k < j; k++) {
			struct vs_gmem_field *x = &f[ord[k]];

			memcpy(x->out, buf + (x->off - lo), x->len);
			x->rc = 0;
		}
		return;
	}
	/* A single field, or the shared read failed: exactly the lone reads. */
	for (size_t k = i; k < j; k++) {
		struct vs_gmem_field *x = &f[ord[k]];

		x->rc = j - i > 1 ? vs_gmem_read(m, base + x->off, x->out, x->len) :
			vs_gmem_span(m, base + x->off, x->out, x->len);
	}
}

int vs_gmem_gather(struct vs_gmem *m, uint64_t base, struct vs_gmem_field *f,
		   size_t n)
{
	uint8_t ord[VS_GMEM_GATHER_MAX];
	size_t i = 0, cnt = n;

	if (n > VS_GMEM_GATHER_MAX)
		return -EINVAL;
	/* Insertion sort by offset; a field too large for a span reads alone. */
	for (size_t k = 0; k < n; k++) {
		size_t p = i;

		if (!f[k].len || f[k].len > VS_GMEM_SPAN_MAX ||
		    f[k].off > (UINT64_MAX >> 1)) {
			f[k].rc = vs_gmem_read(m, base + f[k].off, f[k].out,
					       f[k].len);
			continue;
		}
		while (p > 0 && f[ord[p - 1]].off > f[k].off) {
			ord[p] = ord[p - 1];
			p--;
		}
		ord[p] = (uint8_t)k;
		i++;
	}
	n = i;
	for (i = 0; i < n;) {
		uint64_t lo = f[ord[i]].off, hi = lo + f[ord[i]].len;
		size_t j = i + 1;

		for (; j < n; j++) {
			uint64_t o = f[ord[j]].off, e = o + f[ord[j]].len;

			/* Sorted, so o >= lo; offsets are below 2^63. */
			if (o > hi + VS_GMEM_GATHER_GAP || e - lo > VS_GMEM_SPAN_MAX)
				break;
			if (e > hi)
				hi = e;
		}
		gather_one(m, base, f, ord, i, j, lo, hi);
		i = j;
	}
	for (size_t k = 0; k < cnt; k++)
		if (f[k].rc < 0)
			return f[k].rc;
	return 0;
}

int vs_gmem_str(struct vs_gmem *m, uint64_t va, char *buf, size_t cap,
		size_t *len, bool *truncated)
{
	/* 64 bytes first, then growing (vs_gmem_step), not to the page's end:
	 * that was two 4 KiB copies per exec event. */
	size_t n = 0, step = 64;

	*truncated = false;
	if (!cap)
		return -EINVAL;
	while (n < cap - 1) {
		size_t want = vs_gmem_step(va + n, &step, cap - 1 - n);
		char *nul;

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

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * winhandle.c - handle tables and UNICODE_STRINGs of the Windows layer.
 *
 * A handle table (EPROCESS.ObjectTable -> _HANDLE_TABLE) has up to three
 * levels; the low two bits of TableCode give the level, the rest the
 * top page:
 *
 *   level 0: TableCode -> page of 4096/sizeof(_HANDLE_TABLE_ENTRY) entries
 *   level 1: TableCode -> page of 512 pointers -> level-0 pages
 *   level 2: TableCode -> page of 512 pointers -> level-1 pages
 *   index = (handle & 0x3ffffffc) / 4 (handle values are multiples of 4)
 *
 * An entry's first 8 bytes hold the object header: from Windows 8.1 on,
 * ObjectPointerBits (bits 20..63 here) << 4 with the top 16 bits set;
 * before, the pointer with 3 flag bits (Object & ~7). Both layouts are
 * taken from the profile's bitfield. The body follows the header at
 * _OBJECT_HEADER.Body. From Windows 10 on, the header's TypeIndex is
 * stored as TypeIndex ^ (second byte of the header address) ^ the low
 * byte of ObHeaderCookie.
 */
#include "os/windows/windows.h"

#include <errno.h>
#include <string.h>

#define OFF(v, id) VS_WINO(&(v)->w->off, id)
#define KERNEL_HANDLE 0x80000000ull
#define PTRS_PER_PAGE (VS_WIN_PAGE / 8)

int vs_win_type_index(struct vs_win_view *v, uint64_t header, int *type)
{
	uint8_t ti;

	if (!v->w->off.found[VS_WINO_OBJECT_HEADER_TYPEINDEX])
		return -ENOENT;
	if (vs_gmem_u8(&v->k, header + OFF(v, VS_WINO_OBJECT_HEADER_TYPEINDEX),
		       &ti) < 0)
		return -EFAULT;
	if (v->w->have_cookie)
		ti ^= (uint8_t)(header >> 8) ^ v->w->header_cookie;
	*type = ti;
	return 0;
}

/* Address of entry @idx in the table whose TableCode is @code. */
static int entry_addr(struct vs_win_view *v, uint64_t code, uint64_t idx,
		      uint64_t *entry)
{
	uint64_t esize = v->w->off.size[VS_WINS_HANDLE_TABLE_ENTRY];
	uint64_t per_page, base = code & ~3ull, page;

	if (esize < 8 || esize > VS_WIN_PAGE)
		return -EINVAL;
	per_page = VS_WIN_PAGE / esize;
	switch (code & 3) {
	case 0:
		break;
	case 1:
		if (idx / per_page >= PTRS_PER_PAGE)
			return -ERANGE;
		if (vs_gmem_u64(&v->k, base + 8 * (idx / per_page), &page) < 0)
			return -EFAULT;
		base = page;
		idx %= per_page;
		break;
	case 2:
		if (idx / (per_page * PTRS_PER_PAGE) >= PTRS_PER_PAGE)
			return -ERANGE;
		if (vs_gmem_u64(&v->k, base + 8 * (idx / (per_page * PTRS_PER_PAGE)),
				&page) < 0)
			return -EFAULT;
		idx %= per_page * PTRS_PER_PAGE;
		if (!page || vs_gmem_u64(&v->k, page + 8 * (idx / per_page),
					 &base) < 0)
			return -EFAULT;
		idx %= per_page;
		break;
	default:
		return -EINVAL;
	}
	if (idx >= per_page)
		return -ERANGE;
	if (!base)
		return -ENOENT;
	*entry = base + idx * esize;
	return 0;
}

/* Object header address from the entry's first 8 bytes. */
static int entry_header(struct vs_win_view *v, uint64_t low, uint64_t *header)
{
	const struct vs_win_offsets *o = &v->w->off;
	const struct vs_profile_member *m = &o->m[VS_WINO_HTE_OBJPTRBITS];

	if (o->found[VS_WINO_HTE_OBJPTRBITS] && m->bitfield &&
	    m->offset == 0 && m->bit_length + 4 <= 64 &&
	    m->bit_position + m->bit_length <= 64) {
		uint64_t bits = low >> m->bit_position;

		if (m->bit_length < 64)
			bits &= (1ull << m->bit_length) - 1;
		*header = (bits << 4) | VS_WIN_KERNEL_TOP;
	} else {
		*header = low & ~7ull;
	}
	return *header ? 0 : -ENOENT;
}

static bool type_ok(struct vs_win_view *v, uint64_t header,
		    enum vs_win_objtype want)
{
	int known = want == VS_WIN_OBJ_PROCESS ? v->w->process_type :
		    want == VS_WIN_OBJ_THREAD ? v->w->thread_type : -1;
	int type;

	if (known < 0)
		return true;  /* nothing to compare with */
	return vs_win_type_index(v, header, &type) == 0 && type == known;
}

int vs_win_handle_object(struct vs_win_view *v, uint64_t eprocess,
			 uint64_t handle, enum vs_win_objtype want,
			 uint64_t *body)
{
	uint64_t table, code, entry, low, header, idx;
	int rc;

	/* 0, and -1..-6 (current process/thread/tokens): no table entry. */
	if (handle == 0 || handle >= (uint64_t)-6)
		return -ENOENT;
	if (handle & KERNEL_HANDLE)
		eprocess = v->w->system;
	idx = (handle & 0x3ffffffcull) >> 2;
	if (idx >= VS_WIN_MAX_HANDLE_IDX)
		return -ERANGE;
	if (vs_gmem_u64(&v->k, eprocess + OFF(v, VS_WINO_EPROCESS_OBJECTTABLE),
			&table) < 0)
		return -EFAULT;
	if (!table)
		return -ENOENT;
	if (vs_gmem_u64(&v->k, table + OFF(v, VS_WINO_HANDLE_TABLE_TABLECODE),
			&code) < 0)
		return -EFAULT;
	rc = entry_addr(v, code, idx, &entry);
	if (rc < 0)
		return rc;
	if (vs_gmem_u64(&v->k, entry, &low) < 0)
		return -EFAULT;
	if (!low)
		return -ENOENT;
	rc = entry_header(v, low, &header);
	if (rc < 0)
		return rc;
	if (!type_ok(v, header, want))
		return -EINVAL;
	*body = header + OFF(v, VS_WINO_OBJECT_HEADER_BODY);
	return 0;
}

int vs_win_handle_pid(struct vs_win_view *v, uint64_t eprocess,
		      uint64_t handle, int64_t *pid)
{
	uint64_t body, val;
	int rc = vs_win_handle_object(v, eprocess, handle, VS_WIN_OBJ_PROCESS,
				      &body);

	if (rc < 0)
		return rc;
	if (vs_gmem_u64(&v->k, body + OFF(v, VS_WINO_EPROCESS_PID), &val) < 0)
		return -EFAULT;
	*pid = (int64_t)val;
	return 0;
}

int vs_win_handle_tid(struct vs_win_view *v, uint64_t eprocess,
		      uint64_t handle, int64_t *tid)
{
	uint64_t body;
	int rc = vs_win_handle_object(v, eprocess, handle, VS_WIN_OBJ_THREAD,
				      &body);

	return rc < 0 ? rc : vs_win_thread_tid(v, body, tid);
}

/* Append code point @cp as UTF-8 if it fits in @cap - 1 bytes. */
static bool put_utf8(char *out, size_t cap, size_t *n, uint32_t cp)
{
	char b[4];
	size_t k;

	if (cp < 0x80) {
		b[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		k = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		k = 3;
	} else {
		b[0] = (char)(0xf0 | cp >> 18);
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		k = 4;
	}
	if (*n + k + 1 > cap)
		return false;
	memcpy(out + *n, b, k);
	*n += k;
	return true;
}

size_t vs_win_utf16_to_utf8(const uint8_t *src, size_t nunits, char *out,
			    size_t cap, bool *truncated)
{
	size_t n = 0;

	for (size_t i = 0; i < nunits; i++) {
		uint32_t u = src[2 * i] | (uint32_t)src[2 * i + 1] << 8, cp = u;

		if (u >= 0xd800 && u < 0xdc00 && i + 1 < nunits) {
			uint32_t l = src[2 * i + 2] | (uint32_t)src[2 * i + 3] << 8;

			if (l >= 0xdc00 && l < 0xe000) {
				cp = 0x10000 + ((u - 0xd800) << 10) + (l - 0xdc00);
				i++;
			}
		}
		if (cp >= 0xd800 && cp < 0xe000)
			cp = 0xfffd;  /* an unpaired surrogate */
		if (!put_utf8(out, cap, &n, cp)) {
			*truncated = true;
			break;
		}
	}
	if (cap)
		out[n] = '\0';
	return n;
}

int vs_win_ustr(struct vs_gmem *m, const struct vs_win_offsets *o,
		uint64_t va, char *out, size_t cap, size_t *len,
		bool *truncated)
{
	uint16_t length;
	uint64_t buffer;
	uint8_t *raw;
	int rc;

	*len = 0;
	*truncated = false;
	if (cap)
		out[0] = '\0';
	if (vs_gmem_u16(m, va + VS_WINO(o, VS_WINO_USTR_LENGTH), &length) < 0 ||
	    vs_gmem_u64(m, va + VS_WINO(o, VS_WINO_USTR_BUFFER), &buffer) < 0)
		return -EFAULT;
	length &= ~1u;
	if (!length || !buffer || !cap)
		return 0;
	raw = g_malloc(length);  /* at most 64 KiB: Length is 16 bits */
	rc = vs_gmem_read(m, buffer, raw, length);
	if (rc == 0)
		*len = vs_win_utf16_to_utf8(raw, length / 2, out, cap, truncated);
	g_free(raw);
	return rc < 0 ? -EFAULT : 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kallsyms_find.c - locate the kallsyms tables with no address known.
 *
 *  1. signature: tokens 0x30..0x39 are the digits themselves, so the token
 *     table contains "0\0" "1\0" ... "9\0";
 *  2. validate: tokens 0x30..0xff follow; token_index (u16[256]) sits at
 *     the next 8-aligned address; index[0] = 0, ascending, and every index
 *     equals the one recomputed from the token lengths;
 *  3. num_syms: scanning back from token_table in 8-byte steps for a
 *     (u32 N, u32 0) with 256 <= N < 2^22;
 *  4. confirm N: walking N names entries (length byte, two bytes when bit
 *     7 is set) must land, after zero padding, on markers equal to the
 *     measured offsets of entries 0, 256, 512, ...; then either
 *     token_table or 3N bytes of seqs_of_names follow;
 *  5. relative_base: the u64 just before num_syms (offsets before it) or
 *     after offsets that start at align8(token_index + 512).
 * Every table is copied once with a size cap; no loop runs longer than the
 * guest's claimed N, which is itself capped.
 */
#include "os/linux/kallsyms_int.h"

#include <errno.h>
#include <string.h>

#define PAGE 4096u
#define MAX_BACK (32ull << 20)        /* names + markers + seqs, at most */
#define MAX_CANDIDATES 64
#define TOKENS_WINDOW 16384u

static const char signature[] = "0\0001\0002\0003\0004\0005\0006\0007\0008\0009";
#define SIG_LEN 20

static uint64_t align8(uint64_t v)
{
	return (v + 7) & ~7ull;
}

/* Check the token table around a signature hit; fill raw->tokens/index. */
static int validate_tokens(struct vs_gmem *m, uint64_t hit, uint64_t *tt,
			   struct vs_ksyms_raw *raw)
{
	uint8_t win[TOKENS_WINDOW];
	uint64_t pos = 0, table, len;
	int rc = vs_gmem_read(m, hit, win, sizeof(win));

	if (rc < 0)
		return rc;
	for (unsigned t = 0x30; t <= 0xff; t++) {
		uint8_t *nul = memchr(win + pos, 0, sizeof(win) - pos);

		if (!nul || nul == win + pos)
			return -EINVAL;
		pos = (uint64_t)(nul - win) + 1;
	}
	rc = vs_gmem_read(m, align8(hit + pos), raw->index, sizeof(raw->index));
	if (rc < 0)
		return rc;
	if (raw->index[0] != 0 || raw->index[0x30] > hit)
		return -EINVAL;
	table = hit - raw->index[0x30];
	len = hit + pos - table;
	if (len > TOKENS_WINDOW)
		return -EINVAL;
	g_free(raw->tokens);
	raw->tokens = NULL;
	rc = vs_gmem_dup(m, table, len, TOKENS_WINDOW, &raw->tokens);
	if (rc < 0)
		return rc;
	raw->tokens_len = len;
	/* Recompute every index from the token lengths. */
	for (unsigned t = 0, off = 0; t < 256; t++) {
		uint8_t *nul;

		if (raw->index[t] != off || off >= len)
			return -EINVAL;
		nul = memchr(raw->tokens + off, 0, len - off);
		if (!nul || nul == raw->tokens + off)
			return -EINVAL;
		off = (unsigned)(nul - raw->tokens) + 1;
		if (t == 255 && off != len)
			return -EINVAL;
	}
	*tt = table;
	return 0;
}

int vs_kallsyms_locate(struct vs_gmem *m, uint64_t start, uint64_t len,
		       uint64_t *token_table)
{
	uint8_t buf[SIG_LEN - 1 + PAGE];
	struct vs_ksyms_raw raw = { 0 };
	size_t carry = 0;
	int rc = -ENOENT;

	for (uint64_t off = 0; off < len && rc != 0; off += PAGE) {
		uint64_t base = start + off - carry;
		uint8_t *p = buf, *end;

		if (vs_gmem_read(m, start + off, buf + carry, PAGE) < 0) {
			carry = 0;
			continue;
		}
		end = buf + carry + PAGE;
		while ((p = memmem(p, end - p, signature, SIG_LEN)) != NULL) {
			if (validate_tokens(m, base + (p - buf), token_table,
					    &raw) == 0) {
				rc = 0;
				break;
			}
			p++;
		}
		carry = SIG_LEN - 1;
		memmove(buf, end - carry, carry);
	}
	vs_ksyms_raw_free(&raw);
	return rc;
}

/* Walk @n names entries in @names[0..len); record every 256th offset. */
static int walk_names(const uint8_t *names, uint64_t len, uint64_t n,
		      uint32_t *marks, uint64_t *end)
{
	uint64_t off = 0;

	for (uint64_t i = 0; i < n; i++) {
		uint64_t l;

		if (off >= len)
			return -EINVAL;
		if ((i & 255) == 0)
			marks[i >> 8] = (uint32_t)off;
		l = names[off++];
		if (l & 0x80) {
			if (off >= len)
				return -EINVAL;
			l = (l & 0x7f) | ((uint64_t)names[off++] << 7);
		}
		if (l == 0 || l > len - off)
			return -EINVAL;
		off += l;
	}
	*end = off;
	return 0;
}

/* Step 4 for one candidate: names at @win[@at..], token_table at win end. */
static int confirm(const uint8_t *win, uint64_t wlen, uint64_t at,
		   uint64_t n, uint64_t wbase, struct vs_ksyms_info *info)
{
	uint64_t nm = (n + 255) / 256, end, q;
	const uint8_t *names = win + at;
	uint64_t nlen = wlen - at;
	uint32_t *marks = g_new(uint32_t, nm);
	int rc = walk_names(names, nlen, n, marks, &end);

	for (q = end; rc == 0 && q < end + 8; q++) {
		uint64_t va = wbase + at + q, gap;

		if (q > nlen || (q > end && names[q - 1] != 0))
			break;
		if ((va & 3) || q + 4 * nm > nlen ||
		    memcmp(names + q, marks, 4 * nm) != 0)
			continue;
		gap = nlen - (q + 4 * nm);
		info->names = wbase + at;
		info->names_len = end;
		info->markers = va;
		if (gap < 8) {
			info->layout = VS_KSYMS_LAYOUT_OFFSETS_FIRST;
		} else if (gap >= 3 * n && gap - 3 * n < 16) {
			info->layout = VS_KSYMS_LAYOUT_SEQS_BEFORE_TOKENS;
		} else {
			continue;
		}
		g_free(marks);
		return 0;
	}
	g_free(marks);
	return -EINVAL;
}

/* Step 3+4: fill info->num_syms, names, markers; copy names to raw. */
static int find_num_syms(struct vs_gmem *m, uint64_t tt, uint64_t lowest,
			 struct vs_ksyms_info *info, struct vs_ksyms_raw *raw)
{
	uint64_t top = tt & ~7ull, back = top > lowest ? top - lowest : 0;
	uint64_t filled = 0, chunk = 1u << 20;
	unsigned tried = 0;
	uint8_t *win;
	int rc = -ENOENT;

	if (back > MAX_BACK)
		back = MAX_BACK;
	back &= ~7ull;
	win = g_malloc(back ? back : 1);
	/* Fill from the top down until the first unreadable piece. */
	while (filled < back) {
		uint64_t n = back - filled < chunk ? back - filled : chunk;

		if (vs_gmem_read(m, top - filled - n, win + back - filled - n,
				 n) < 0)
			break;
		filled += n;
	}
	for (uint64_t p = back; p >= back - filled + 8 && tried < MAX_CANDIDATES;
	     p -= 8) {
		uint32_t n, zero;
		uint64_t at = p - 8;

		memcpy(&n, win + at, 4);
		memcpy(&zero, win + at + 4, 4);
		if (zero || n < VS_KSYMS_MIN_SYMS || n >= VS_KSYMS_MAX_SYMS)
			continue;
		tried++;
		if (confirm(win, back, at + 8, n, top - back, info) == 0) {
			info->num_syms = n;
			raw->names = g_memdup2(win + at + 8, info->names_len);
			rc = 0;
			break;
		}
	}
	g_free(win);
	return rc;
}

static bool kernel_va(uint64_t v)
{
	return (v & 0xffffffff80000000ull) == 0xffffffff80000000ull;
}

/* Step 5: relative_base and offsets; decides the final layout. */
static int find_offsets(struct vs_gmem *m, uint64_t text,
			struct vs_ksyms_info *info, struct vs_ksyms_raw *raw)
{
	uint64_t n = info->num_syms, nsyms_va = info->names - 8;
	uint64_t cand[2][2] = {
		{ nsyms_va - 8 - align8(4 * n), nsyms_va - 8 },
		{ align8(info->token_index + 512), 0 },
	};
	uint64_t val[2] = { 0, 0 };
	int pick = -1;

	cand[1][1] = align8(cand[1][0] + 4 * n);
	for (int i = 0; i < 2; i++)
		if (vs_gmem_u64(m, cand[i][1], &val[i]) < 0 || !kernel_va(val[i]))
			val[i] = 0;
	if (info->layout == VS_KSYMS_LAYOUT_SEQS_BEFORE_TOKENS)
		val[1] = 0;
	for (int i = 0; i < 2 && pick < 0; i++)
		if (val[i] && (!text || val[i] == text))
			pick = i;
	for (int i = 0; i < 2 && pick < 0; i++)
		if (val[i])
			pick = i;
	if (pick < 0)
		return -EINVAL;
	if (pick == 1)
		info->layout = VS_KSYMS_LAYOUT_NUM_SYMS_FIRST;
	info->offsets = cand[pick][0];
	info->relative_base = val[pick];
	raw->offsets = g_new(int32_t, n);
	return vs_gmem_array(m, info->offsets, 4, n, VS_KSYMS_MAX_SYMS,
			     raw->offsets);
}

int vs_ksyms_find(struct vs_gmem *m, uint64_t token_table, uint64_t lowest,
		  uint64_t text, struct vs_ksyms_info *info,
		  struct vs_ksyms_raw *raw)
{
	uint8_t win[TOKENS_WINDOW];
	uint8_t *hit;
	uint64_t tt;
	int rc;

	memset(info, 0, sizeof(*info));
	memset(raw, 0, sizeof(*raw));
	rc = vs_gmem_read(m, token_table, win, sizeof(win));
	if (rc < 0)
		return rc;
	hit = memmem(win, sizeof(win), signature, SIG_LEN);
	if (!hit)
		return -EINVAL;
	rc = validate_tokens(m, token_table + (hit - win), &tt, raw);
	if (rc == 0 && tt != token_table)
		rc = -EINVAL;
	if (rc == 0) {
		info->token_table = tt;
		info->token_index = align8(tt + raw->tokens_len);
		rc = find_num_syms(m, tt, lowest, info, raw);
	}
	if (rc == 0)
		rc = find_offsets(m, text, info, raw);
	if (rc < 0)
		vs_ksyms_raw_free(raw);
	return rc;
}

void vs_ksyms_raw_free(struct vs_ksyms_raw *raw)
{
	g_free(raw->names);
	g_free(raw->tokens);
	g_free(raw->offsets);
	memset(raw, 0, sizeof(*raw));
}

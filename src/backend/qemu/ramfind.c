// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ramfind.c - candidate guest-RAM mappings from /proc/self/maps text and
 * their verification through the guest's page tables (see ramfind.h).
 *
 * A maps line is "start-end perms offset major:minor inode [path]", the
 * numbers in hex except the inode. The parser accepts exactly that shape
 * with bounded fields and rejects anything else, so a strange line (a
 * path with spaces, a kernel that adds a column) costs only itself.
 * Lines are never merged: QEMU marks RAM blocks (MADV_DONTFORK,
 * MADV_HUGEPAGE, MADV_MERGEABLE) so the kernel keeps each block one VMA
 * of its own, with a guard page after it, and a neighbouring mapping
 * glued to a candidate would shift where physical address 0 is.
 */
#include "backend/qemu/ramfind.h"

#include <errno.h>
#include <string.h>

#include "backend/pagewalk.h"
#include "backend/ramview.h"

#define MAX_LINE 8192

/* Up to 16 hex digits at *p; advances *p. */
static int hex_field(const char **p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;

	while (*p < end && n < 17) {
		char c = **p;
		int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			break;
		v = v << 4 | (uint64_t)d;
		n++;
		(*p)++;
	}
	if (n == 0 || n > 16)
		return -EINVAL;
	*out = v;
	return 0;
}

static int dec_field(const char **p, const char *end, uint64_t *out)
{
	uint64_t v = 0;
	int n = 0;

	while (*p < end && **p >= '0' && **p <= '9' && n < 20) {
		uint64_t d = (uint64_t)(**p - '0');

		if (v > (UINT64_MAX - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
		n++;
		(*p)++;
	}
	if (n == 0)
		return -EINVAL;
	*out = v;
	return 0;
}

static int expect(const char **p, const char *end, char c)
{
	if (*p >= end || **p != c)
		return -EINVAL;
	(*p)++;
	return 0;
}

int vs_ramfind_line(const char *line, size_t len, struct vs_maps_line *out)
{
	const char *p = line, *end = line + len;
	uint64_t major, minor;

	memset(out, 0, sizeof(*out));
	out->path = "";
	if (len > MAX_LINE ||
	    hex_field(&p, end, &out->start) || expect(&p, end, '-') ||
	    hex_field(&p, end, &out->end) || expect(&p, end, ' ') ||
	    out->end <= out->start || end - p < 5)
		return -EINVAL;
	memcpy(out->perms, p, 4);
	p += 4;
	if (strspn(out->perms, "rwxps-") != 4 ||
	    (out->perms[3] != 'p' && out->perms[3] != 's') ||
	    expect(&p, end, ' ') || hex_field(&p, end, &out->offset) ||
	    expect(&p, end, ' ') || hex_field(&p, end, &major) ||
	    expect(&p, end, ':') || hex_field(&p, end, &minor) ||
	    expect(&p, end, ' ') || dec_field(&p, end, &out->inode))
		return -EINVAL;
	if (p < end && *p != ' ')
		return -EINVAL;
	while (p < end && *p == ' ')
		p++;
	out->path = p;
	out->path_len = (size_t)(end - p);
	return 0;
}

static int starts(const struct vs_maps_line *l, const char *prefix)
{
	size_t n = strlen(prefix);

	return l->path_len >= n && memcmp(l->path, prefix, n) == 0;
}

/* Whether guest RAM may live in @l: read-write, anonymous or a memory
 * file a memory backend would use (memfd, POSIX shm, hugetlbfs). */
static int ram_like(const struct vs_maps_line *l)
{
	if (l->perms[0] != 'r' || l->perms[1] != 'w')
		return 0;
	if (l->path_len == 0)
		return l->inode == 0;
	return starts(l, "/memfd:") || starts(l, "/dev/shm/") ||
	       starts(l, "/dev/hugepages");
}

size_t vs_ramfind_maps(const char *text, size_t len, uint64_t min_len,
		       struct vs_ram_cand *out, size_t max)
{
	const char *p = text, *end = text + len;
	struct vs_maps_line cur;
	size_t n = 0;

	while (p < end && n < max) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		if (vs_ramfind_line(p, (size_t)(eol - p), &cur) == 0 &&
		    ram_like(&cur) && cur.end - cur.start >= min_len)
			out[n++] = (struct vs_ram_cand){ cur.start,
							 cur.end - cur.start };
		p = nl ? nl + 1 : end;
	}
	return n;
}

int vs_ramfind_verify(const uint8_t *base, uint64_t limit, uint64_t cr3,
		      unsigned pwflags, const struct vs_ram_probe *probes,
		      size_t n)
{
	struct vs_ram_view view = { base, limit, limit };
	struct vs_pagewalk pw = { vs_ram_view_read, &view, pwflags };
	uint8_t got[VS_RAMFIND_PROBE];
	int matched = 0;

	for (size_t i = 0; i < n; i++) {
		if (vs_pagewalk_read(&pw, cr3, probes[i].va, got,
				     sizeof(got)) < 0)
			continue;
		if (memcmp(got, probes[i].bytes, sizeof(got)) != 0)
			return -1;
		matched++;
	}
	return matched;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuzz_exec_args.c - procmon-linux's exec argument reader
 * (lxp_exec_strings in src/plugins/procmon/lx_exec.c: bprm->argc/envc/p,
 * the strings area read page by page, argv/envp split, CommandLine and
 * the filtered Environment) over a memory the fuzzer writes.
 *
 * Input: a header, then the memory, placed at 0xffffc90000000000 through
 * guestmem's buffer source (the fake every fuzz target uses; a read that
 * runs past its end fails, see readable()). Header: the byte offsets / 4 of bprm->p, argc
 * and envc, a flags byte (bit 0: a filter file keeping A, B and PATH
 * instead of the default filter; bit 1: no bprm, as with the fallback
 * hook) and a u16 offset of the bprm in the memory.
 * Invariants: argv entries inside the area and within LXP_MAX_STR, at
 * most LXP_MAX_ARGS, CommandLine and Environment no longer than the area;
 * and an independent reference (a direct walk of the input bytes) decides
 * whether the arguments were complete, in which case CommandLine must be
 * them joined by spaces with no `Truncated` entry, else it must be marked.
 */
#include <string.h>

#include "fuzz.h"
#include "plugins/procmon/envfilter.h"
#include "plugins/procmon/linux_priv.h"

#define BASE 0xffffc90000000000ull
#define HDR 6

static struct lxp lx;
static struct lxp_vcpu v;
static struct vs_envfilter *deflt, *custom;

static bool listed(const struct vs_bytes *l, size_t n, const char *field)
{
	for (size_t i = 0; i < n; i++)
		if (l[i].len == strlen(field) && memcmp(l[i].ptr, field, l[i].len) == 0)
			return true;
	return false;
}

static void setup(void)
{
	char err[64];

	if (deflt)
		return;
	deflt = vs_envfilter_new_default();
	FUZZ_CHECK(vs_envfilter_parse("A\nB\nPATH\n", 9, &custom, err,
				      sizeof(err)) == 0);
	v.area = g_malloc(LXP_ARGS_AREA + 1);
	v.argv = g_new(struct vs_bytes, LXP_MAX_ARGS);
	v.envv = g_new(struct vs_bytes, LXP_MAX_ENVS);
	v.s1 = g_string_sized_new(256);
	v.s2 = g_string_sized_new(256);
}

/* How much of the area at @p the reader can read: it reads in the steps
 * of vs_gmem_step() and stops at the first read that runs past the buffer
 * (a real guest's pages are readable whole or not at all, so there the
 * steps change nothing). */
static uint64_t readable(uint64_t p, size_t size)
{
	uint64_t got = 0, top = BASE + size;
	size_t step = LXP_AREA_STEP;

	if (p < BASE || p >= top)
		return 0;
	while (got < LXP_ARGS_AREA) {
		uint64_t n = vs_gmem_step(p + got, &step,
					  LXP_ARGS_AREA - (size_t)got);

		if (n > top - (p + got))
			break;
		got += n;
	}
	return got;
}

/* The reference: read bprm's fields and the first argc strings straight
 * from the input. Returns -1 when the fields cannot be read (the code
 * must then say Unreadable), 0 when the arguments are complete (joined
 * into @want), 1 when they are not (cut, too many, or the area ended). */
static int reference(const uint8_t *mem, size_t size, uint64_t bprm,
		     GString *want, bool *area_ok)
{
	uint64_t off[3] = { lx.off.bprm_argc, lx.off.bprm_envc, lx.off.bprm_p };
	int32_t argc, envc;
	uint64_t p, limit, pos;

	if (!bprm)
		return -1;
	for (int i = 0; i < 3; i++)
		if (bprm - BASE + off[i] + (i == 2 ? 8 : 4) > size)
			return -1;
	memcpy(&argc, mem + (bprm - BASE) + off[0], 4);
	memcpy(&envc, mem + (bprm - BASE) + off[1], 4);
	memcpy(&p, mem + (bprm - BASE) + off[2], 8);
	if (argc < 0 || envc < 0)
		return -1;
	limit = readable(p, size);
	*area_ok = limit > 0 || (uint64_t)argc + (uint64_t)envc == 0;
	if (!*area_ok)
		return -1;
	if (argc > LXP_MAX_ARGS)
		return 1;
	pos = 0;
	for (int32_t i = 0; i < argc; i++) {
		const uint8_t *s = mem + (p - BASE) + pos;
		const uint8_t *nul = memchr(s, 0, limit - pos);

		if (!nul || (size_t)(nul - s) > LXP_MAX_STR)
			return 1;
		if (i)
			g_string_append_c(want, ' ');
		g_string_append_len(want, (const char *)s, nul - s);
		pos += (uint64_t)(nul - s) + 1;
		if (pos >= limit && i + 1 < argc)
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *mem = data + HDR;
	size_t msize, na;
	uint16_t boff;
	uint64_t bprm;
	GString *want;
	bool area_ok = false, trunc, unread;
	int ref;

	if (size < HDR)
		return 0;
	setup();
	msize = size - HDR;
	memset(&lx.off, 0, sizeof(lx.off));
	lx.off.bprm_p = (uint64_t)data[0] * 4;
	lx.off.bprm_argc = (uint64_t)data[1] * 4;
	lx.off.bprm_envc = (uint64_t)data[2] * 4;
	lx.env = (data[3] & 1) ? custom : deflt;
	memcpy(&boff, data + 4, 2);
	bprm = (data[3] & 2) ? 0 : BASE + boff;
	vs_gmem_from_buffer(&v.gm, BASE, mem, msize);
	v.nunreadable = v.ntruncated = 0;

	na = lxp_exec_strings(&lx, &v, bprm);

	FUZZ_CHECK(na <= LXP_MAX_ARGS);
	for (size_t i = 0; i < na; i++) {
		const uint8_t *s = (const uint8_t *)v.argv[i].ptr;

		FUZZ_CHECK(s >= v.area && s + v.argv[i].len <= v.area + LXP_ARGS_AREA);
		FUZZ_CHECK(v.argv[i].len <= LXP_MAX_STR);
		FUZZ_CHECK(v.argv[i].len == LXP_MAX_STR || s[v.argv[i].len] == '\0');
	}
	FUZZ_CHECK(v.s1->len <= LXP_ARGS_AREA && v.s2->len <= LXP_ARGS_AREA);
	FUZZ_CHECK(v.nunreadable <= LXP_MAX_UNREADABLE &&
		   v.ntruncated <= LXP_MAX_UNREADABLE);

	want = g_string_new(NULL);
	ref = reference(mem, msize, bprm, want, &area_ok);
	unread = listed(v.unreadable, v.nunreadable, "CommandLine");
	trunc = listed(v.truncated, v.ntruncated, "CommandLine");
	FUZZ_CHECK(unread == (ref < 0));
	FUZZ_CHECK(unread == listed(v.unreadable, v.nunreadable, "Environment"));
	if (ref == 0) {
		FUZZ_CHECK(!trunc);
		FUZZ_CHECK(v.s1->len == want->len &&
			   memcmp(v.s1->str, want->str, want->len) == 0);
	} else if (ref == 1) {
		FUZZ_CHECK(trunc);
	}
	g_string_free(want, TRUE);
	return 0;
}

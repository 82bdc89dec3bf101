// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lxprofile.c - the Linux OS layer with a kernel profile (-r/--json-kernel).
 *
 * With a profile, symbols and struct layouts come from the file (a
 * Volatility 3 ISF or Rekall profile, src/os/profile/) and the guest's own
 * kallsyms and BTF are not read. What is still taken from memory is where
 * the kernel sits: _text by the page-table method (kaslr.c), so the KASLR
 * slide is runtime _text - the profile's _text. It applies to addresses in
 * the kernel image region only; per-CPU symbols (small absolute values,
 * kallsyms type A) are offsets and stay as they are. The slide is
 * confirmed by reading linux_banner at its slid address: it must be a
 * Linux banner, and the profile's own banner when it carries one (a
 * profile of another build is refused instead of misreading memory).
 *
 * Profile lookups are not thread-safe (profile.h); hooks may query
 * symbols and members from vCPU threads, so every query takes one lock.
 */
#include "os/linux/linux.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "os/profile/profile.h"

static GMutex prof_lock;

int vs_lx_symbol(struct vs_lx *lx, const char *name, uint64_t *va)
{
	uint64_t a;
	int rc;

	if (!lx->prof)
		return vs_kallsyms_lookup(lx->ks, name, va);
	g_mutex_lock(&prof_lock);
	rc = vs_profile_symbol(lx->prof, name, &a);
	g_mutex_unlock(&prof_lock);
	if (rc < 0)
		return rc;
	*va = a >= VS_LX_TEXT_REGION ? a + (uint64_t)lx->slide : a;
	return 0;
}

static int prof_member(struct vs_profile *prof, const char *type,
		       const char *member, struct vs_btf_member *out)
{
	struct vs_profile_member m;
	int rc;

	g_mutex_lock(&prof_lock);
	rc = vs_profile_member(prof, type, member, &m);
	g_mutex_unlock(&prof_lock);
	if (rc < 0)
		return rc;
	out->bit_off = m.offset * 8 + (m.bitfield ? m.bit_position : 0);
	out->bit_size = m.bitfield ? m.bit_length : 0;
	out->size = -1;   /* profiles give no member sizes through profile.h */
	return 0;
}

int vs_lx_member(struct vs_lx *lx, const char *type, const char *member,
		 struct vs_btf_member *out)
{
	if (!lx->prof)
		return vs_btf_member(lx->btf, type, member, out);
	return prof_member(lx->prof, type, member, out);
}

/* The offsets table from the profile, with the same required/alternative
 * rules as vs_lx_offsets_resolve() (offsets.c). */
int vs_lx_profile_offsets(struct vs_lx *lx)
{
	struct vs_lx_offsets *o = &lx->off;

	memset(o, 0, sizeof(*o));
	for (int i = 0; i < VS_LXO_MAX; i++) {
		const struct vs_lxo_desc *d = vs_lxo_desc(i);

		o->found[i] = prof_member(lx->prof, d->type, d->member,
					  &o->m[i]) == 0;
	}
	for (int i = 0; i < VS_LXO_MAX; i++) {
		const struct vs_lxo_desc *d = vs_lxo_desc(i);

		if (o->found[i] || !d->required ||
		    (d->alt >= 0 && o->found[d->alt]))
			continue;
		vs_err("linux: the profile has no %s.%s, which vmiscope needs",
		       d->type, d->member);
		return -ENODATA;
	}
	return 0;
}

/* Is the slid linux_banner a banner, and the profile's? */
static int check_banner(struct vs_lx *lx)
{
	const char *want = vs_profile_identity(lx->prof)->banner;
	char got[256];
	uint64_t va;
	size_t len;
	bool trunc;

	if (vs_lx_symbol(lx, "linux_banner", &va) < 0)
		return 0;   /* nothing to check against */
	if (vs_gmem_str(&lx->km, va, got, sizeof(got), &len, &trunc) < 0 ||
	    strncmp(got, "Linux version ", 14) != 0)
		return -EINVAL;
	got[strcspn(got, "\n")] = '\0';
	if (want && strcmp(want, got) != 0) {
		vs_err("linux: the profile is for another kernel build: it says "
		       "\"%s\", the guest runs \"%s\"", want, got);
		return -ESTALE;
	}
	return 0;
}

/* _text through @dtb, the slide, and the banner check; 0 when they fit. */
int vs_lx_profile_try_dtb(struct vs_lx *lx, unsigned vcpu, uint64_t dtb)
{
	uint64_t ptext;
	int rc;

	if (vs_profile_symbol(lx->prof, "_text", &ptext) < 0 &&
	    vs_profile_symbol(lx->prof, "_stext", &ptext) < 0) {
		vs_err("linux: the profile has no _text symbol: cannot compute "
		       "the KASLR slide");
		return -ENODATA;
	}
	rc = vs_lx_find_text(lx->be, vcpu, dtb, &lx->text, &lx->text_pa);
	if (rc < 0)
		return rc;
	lx->slide = (int64_t)(lx->text - ptext);
	vs_gmem_from_backend(&lx->km, lx->be, vcpu, dtb);
	return check_banner(lx);
}

/*
 * Load @path for Linux: 0, -ENOENT when it describes another OS (that
 * OS's layer takes it), or a load error (logged).
 */
int vs_lx_profile_load(struct vs_lx *lx, const char *path)
{
	char err[512];
	int rc = vs_profile_load(path, &lx->prof, err, sizeof(err));

	if (rc < 0) {
		vs_err("linux: %s", err);
		return rc;
	}
	if (vs_profile_os(lx->prof) == VS_PROFILE_OS_WINDOWS) {
		vs_profile_free(lx->prof);
		lx->prof = NULL;
		return -ENOENT;
	}
	vs_info("linux: kernel profile %s: symbols and offsets from it, the "
		"guest's kallsyms and BTF are not read", path);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * linux.c - the Linux OS ops: discovery from guest memory alone.
 *
 * open(): _text from the kernel mapping (kaslr.c) through the bootstrap
 * vCPU's CR3 (its kernel half when the vCPU sits in user mode under PTI),
 * kallsyms found and decoded in [_text, _text + 64 MiB) and cross-checked
 * (relative_base == _text), kernel reads then moved to init_top_pgt, the
 * banner from linux_banner, BTF from [__start_BTF, __stop_BTF), and the
 * offsets table resolved. With a profile (-r, lxprofile.c) only _text is
 * found in memory; symbols (slid) and offsets come from the profile.
 * Host CPU time of the whole discovery is kept in the info record. A
 * kernel that is found but lacks an essential symbol or member fails with
 * -ENODATA after naming it (monitoring incomplete, contract §3). Every
 * other op answers from what open() found.
 */
#include "os/linux/linux.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "os/profile/profile.h"

static double now_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint64_t reg(struct vs_backend *be, unsigned vcpu, const char *name)
{
	uint64_t v = 0;
	int id;

	if (vs_backend_reg_id(be, name, &id) == 0)
		vs_backend_read_reg(be, vcpu, id, &v);
	return v;
}

static int reg_id_or_none(struct vs_backend *be, const char *name)
{
	int id;

	return vs_backend_reg_id(be, name, &id) == 0 ? id : -1;
}

/* _text and kallsyms through one candidate DTB; 0 when consistent. */
static int try_dtb(struct vs_lx *lx, unsigned vcpu, uint64_t dtb)
{
	int rc = vs_lx_find_text(lx->be, vcpu, dtb, &lx->text, &lx->text_pa);

	if (rc < 0)
		return rc;
	vs_gmem_from_backend(&lx->km, lx->be, vcpu, dtb);
	rc = vs_kallsyms_load(&lx->km, lx->text, &lx->ks);
	if (rc < 0)
		return rc;
	if (vs_kallsyms_info(lx->ks)->relative_base != lx->text) {
		vs_debug("linux: kallsyms relative_base %#llx != _text %#llx",
			 (unsigned long long)vs_kallsyms_info(lx->ks)->relative_base,
			 (unsigned long long)lx->text);
		vs_kallsyms_free(lx->ks);
		lx->ks = NULL;
		return -EINVAL;
	}
	return 0;
}

typedef int (*try_dtb_fn)(struct vs_lx *lx, unsigned vcpu, uint64_t dtb);

static int find_kernel(struct vs_lx *lx, unsigned vcpu, try_dtb_fn try)
{
	uint64_t cr3 = reg(lx->be, vcpu, "cr3"), cs = reg(lx->be, vcpu, "cs");
	uint64_t cand[2] = { VS_DTB_CURRENT, VS_DTB_CURRENT };
	int n = 1, rc = -ENOENT;

	if (vs_backend_has(lx->be, VS_CAP_ANY_DTB) && cr3) {
		cand[0] = cr3;
		/* Under PTI a user-mode CR3 is the user half of the pair. */
		if ((cs & 3) && (cr3 & 0x1000)) {
			cand[0] = cr3 & ~0x1000ull;
			cand[1] = cr3;
			n = 2;
		}
	}
	for (int i = 0; i < n && rc < 0; i++)
		rc = try(lx, vcpu, cand[i]);
	return rc;
}

/* Kernel reads through init_top_pgt: not a borrowed, dying mm. */
static void settle_dtb(struct vs_lx *lx)
{
	uint64_t va, pa;

	if (!vs_backend_has(lx->be, VS_CAP_ANY_DTB) ||
	    vs_lx_symbol(lx, "init_top_pgt", &va) < 0 ||
	    vs_backend_translate(lx->be, lx->km.vcpu, lx->km.dtb, va, &pa) < 0)
		return;
	lx->km.dtb = pa;
}

static int need_sym(struct vs_lx *lx, const char *name, uint64_t *va)
{
	int rc = vs_lx_symbol(lx, name, va);

	if (rc < 0) {
		vs_err("linux: symbol %s not found in %s", name,
		       lx->prof ? "the profile" : "kallsyms");
		return -ENODATA;
	}
	return 0;
}

static int load_btf(struct vs_lx *lx)
{
	uint64_t start, stop;
	const char *missing = NULL;
	int rc = need_sym(lx, "__start_BTF", &start);

	if (rc == 0)
		rc = need_sym(lx, "__stop_BTF", &stop);
	if (rc == 0)
		rc = vs_btf_load(&lx->km, start, stop, &lx->btf, &lx->btf_blob,
				 &lx->btf_len);
	if (rc < 0) {
		vs_err("linux: cannot load BTF: %s", strerror(-rc));
		return rc;
	}
	rc = vs_lx_offsets_resolve(lx->btf, &lx->off, &missing);
	if (rc < 0) {
		vs_err("linux: BTF has no %s, which vmiscope needs", missing);
		return -ENODATA;
	}
	return 0;
}

static int find_globals(struct vs_lx *lx)
{
	int rc = need_sym(lx, "init_task", &lx->init_task);

	if (rc < 0)
		return rc;
	vs_lx_symbol(lx, "__per_cpu_offset", &lx->per_cpu_offset);
	if (vs_lx_symbol(lx, "current_task", &lx->cur_sym) == 0)
		return 0;
	if (vs_lx_symbol(lx, "pcpu_hot", &lx->cur_sym) == 0 &&
	    lx->off.found[VS_LXO_PCPU_HOT_CURRENT_TASK]) {
		lx->cur_member = VS_LXO_BYTES(&lx->off,
					      VS_LXO_PCPU_HOT_CURRENT_TASK);
		return 0;
	}
	vs_warn("linux: neither current_task nor pcpu_hot: no current task");
	return 0;
}

static void describe(struct vs_lx *lx)
{
	struct vs_os_info *i = &lx->info;
	uint64_t banner;
	size_t len;
	bool trunc;

	i->os = VS_OS_LINUX;
	i->kernel_base = lx->text;
	i->kernel_dtb = lx->km.dtb;
	if (lx->prof) {
		snprintf(i->method, sizeof(i->method), "profile (%s, KASLR "
			 "slide %#llx)", vs_profile_format_name(
			 vs_profile_format(lx->prof)),
			 (unsigned long long)lx->slide);
	} else {
		i->nsymbols = vs_kallsyms_count(lx->ks);
		i->ntypes = vs_btf_type_count(lx->btf);
		snprintf(i->method, sizeof(i->method), "kallsyms+BTF");
	}
	if (vs_lx_symbol(lx, "linux_banner", &banner) < 0 ||
	    vs_gmem_str(&lx->km, banner, i->version, sizeof(i->version), &len,
			&trunc) < 0)
		snprintf(i->version, sizeof(i->version), "Linux (no banner)");
	i->version[strcspn(i->version, "\n")] = '\0';
}

static void lx_free(struct vs_lx *lx)
{
	vs_kallsyms_free(lx->ks);
	if (lx->btf)
		vs_btf_free(lx->btf);
	g_free(lx->btf_blob);
	if (lx->prof)
		vs_profile_free(lx->prof);
	g_free(lx);
}

static int lx_open(struct vs_backend *be, const struct vs_os_opts *o,
		   struct vs_os_inst **out)
{
	double cpu0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
	double wall0 = now_ms(CLOCK_MONOTONIC);
	struct vs_lx *lx = g_new0(struct vs_lx, 1);
	struct vs_os_inst *os;
	int rc;

	lx->be = be;
	lx->reg_cs = reg_id_or_none(be, "cs");
	lx->reg_gs_base = reg_id_or_none(be, "gs_base");
	lx->reg_k_gs_base = reg_id_or_none(be, "k_gs_base");
	if (o->profile) {
		rc = vs_lx_profile_load(lx, o->profile);
		if (rc == 0)
			rc = find_kernel(lx, o->vcpu, vs_lx_profile_try_dtb);
		if (rc < 0 && rc != -ENOENT && rc != -ESTALE && rc != -ENODATA)
			vs_err("linux: the kernel the profile describes was not "
			       "found in guest memory: %s", strerror(-rc));
	} else {
		rc = find_kernel(lx, o->vcpu, try_dtb);
		if (rc < 0)
			vs_debug("linux: no kernel image with kallsyms found");
	}
	if (rc < 0) {
		lx_free(lx);
		return rc;
	}
	settle_dtb(lx);
	rc = lx->prof ? vs_lx_profile_offsets(lx) : load_btf(lx);
	if (rc == 0)
		rc = find_globals(lx);
	if (rc < 0) {
		lx_free(lx);
		return rc;
	}
	describe(lx);
	lx->info.discovery_cpu_ms = now_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	lx->info.discovery_wall_ms = now_ms(CLOCK_MONOTONIC) - wall0;
	os = g_new0(struct vs_os_inst, 1);
	os->ops = &vs_linux_os_ops;
	os->be = be;
	os->priv = lx;
	*out = os;
	return 0;
}

static void lx_close(struct vs_os_inst *os)
{
	lx_free(vs_lx_of(os));
	g_free(os);
}

static int lx_info(struct vs_os_inst *os, struct vs_os_info *out)
{
	*out = vs_lx_of(os)->info;
	return 0;
}

static int lx_symbol(struct vs_os_inst *os, const char *name, uint64_t *va)
{
	return vs_lx_symbol(vs_lx_of(os), name, va);
}

static int lx_member(struct vs_os_inst *os, const char *type, const char *member,
		     struct vs_os_member *out)
{
	struct vs_btf_member m;
	int rc = vs_lx_member(vs_lx_of(os), type, member, &m);

	if (rc == 0)
		*out = (struct vs_os_member){ m.bit_off, m.bit_size, m.size };
	return rc;
}

static int lx_proc_foreach(struct vs_os_inst *os, vs_proc_fn fn, void *opaque)
{
	return vs_lx_task_foreach(vs_lx_of(os), fn, opaque);
}

static int lx_proc_read(struct vs_os_inst *os, uint64_t obj, struct vs_proc *out)
{
	return vs_lx_task_read(vs_lx_of(os), obj, out);
}

static int lx_current(struct vs_os_inst *os, unsigned vcpu, uint64_t *obj)
{
	return vs_lx_current_task(vs_lx_of(os), vcpu, obj);
}

const struct vs_os_ops vs_linux_os_ops = {
	.name = "linux",
	.os = VS_OS_LINUX,
	.open = lx_open,
	.close = lx_close,
	.info = lx_info,
	.symbol = lx_symbol,
	.member = lx_member,
	.proc_foreach = lx_proc_foreach,
	.proc_read = lx_proc_read,
	.current = lx_current,
};

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * linux.c - start and stop of procmon's Linux half.
 *
 * At start (the ready moment: the kernel's first instruction, before any
 * hooked function has been translated) it resolves the four hooks of the
 * seed with their fallbacks, the struct members the events read (BTF via
 * the OS layer), the argument registers, and places the entry hooks. Exec
 * and clone are printed when the call returns: their return sites are the
 * instructions after every direct `call` to them in kernel text, found now
 * by a byte scan and hooked like entry points, so no translation flush is
 * needed later. A call reached another way (a tail call) has its return
 * site hooked when first seen: one counted flush.
 */
#include "linux_priv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"
#include "common/stats.h"
#include "envfilter.h"
#include "os/linux/procmon_read.h"
#include "pipeline/options.h"
#include "plugins/procmon/prockey.h"
#include "x86_callsites.h"

#define SCAN_CHUNK (64u << 10)
#define SCAN_FALLBACK_LEN (48u << 20)

const char *const lxp_method[LXP_NKINDS] = {
	"begin_new_exec", "do_exit", "do_send_sig_info", "kernel_clone",
};
const char *const lxp_compat_method[LXP_NKINDS] = {
	"do_execveat_common", NULL, "send_signal", NULL,
};

/* Symbols per hook, preferred first (the seed's name, then fallbacks). */
static const char *const hook_syms[LXP_NKINDS][6] = {
	[LXP_EXEC] = { "begin_new_exec", "do_execveat_common",
		       "do_execveat_common.isra.0", NULL },
	/* do_exit's own call acct_collect(code, group_dead) first: it comes
	 * after the kernel decided group_dead, which signal->live read at
	 * do_exit's entry cannot tell when threads exit concurrently. */
	[LXP_EXIT] = { "acct_collect", "do_exit", NULL },
	[LXP_SIGNAL] = { "do_send_sig_info", "send_signal_locked",
			 "send_signal", "__send_signal_locked", "__send_signal",
			 NULL },
	[LXP_CLONE] = { "kernel_clone", "_do_fork", NULL },
};

static const vs_hook_fn hook_fns[LXP_NKINDS] = {
	lxp_on_exec, lxp_on_exit, lxp_on_signal, lxp_on_clone,
};

uint64_t lxp_reg(struct lxp *lx, unsigned vcpu, int id)
{
	uint64_t v = 0;

	if (id >= 0 && vs_backend_read_reg(lx->be, vcpu, id, &v) < 0)
		v = 0;
	return v;
}

static int reg(struct lxp *lx, const char *name)
{
	int id = -1;

	if (vs_backend_reg_id(lx->be, name, &id) < 0) {
		vs_warn("procmon: register %s unknown to the backend", name);
		return -1;
	}
	return id;
}

/* Byte offset of @type.@member; false (and *@off 0) when missing. */
static bool member(struct lxp *lx, const char *type, const char *name,
		   uint64_t *off)
{
	struct vs_os_member m;

	*off = 0;
	if (vs_os_member(lx->os, type, name, &m) < 0)
		return false;
	*off = m.bit_off / 8;
	return true;
}

static bool member_bits(struct lxp *lx, const char *type, const char *name,
			struct vs_os_member *m)
{
	return vs_os_member(lx->os, type, name, m) == 0;
}

/* Required members: a missing one disables the hook that needs it. */
static bool resolve_offsets(struct lxp *lx, bool need[LXP_NKINDS],
			    GString *missing)
{
	struct lxp_off *o = &lx->off;
	bool ok = true;
#define REQ(k, t, m, dst) do { if (!member(lx, #t, #m, dst)) { \
		need[k] = false; ok = false; \
		g_string_append_printf(missing, " %s.%s", #t, #m); } } while (0)

	REQ(LXP_EXEC, linux_binprm, p, &o->bprm_p);
	REQ(LXP_EXEC, linux_binprm, argc, &o->bprm_argc);
	REQ(LXP_EXEC, linux_binprm, envc, &o->bprm_envc);
	REQ(LXP_EXEC, linux_binprm, filename, &o->bprm_filename);
	REQ(LXP_EXEC, linux_binprm, interp, &o->bprm_interp);
	REQ(LXP_CLONE, kernel_clone_args, flags, &o->clone_flags);
	REQ(LXP_CLONE, kernel_clone_args, exit_signal, &o->clone_exit_signal);
#undef REQ
	/* Only an exec printed at its entry reads these (argv in the new mm,
	 * the new image's path). */
	o->has_new_mm = member(lx, "linux_binprm", "mm", &o->bprm_mm) &&
		member(lx, "mm_struct", "pgd", &o->mm_pgd);
	o->has_bprm_file = member(lx, "linux_binprm", "file", &o->bprm_file) &&
		member(lx, "file", "f_path", &o->file_f_path);
	o->has_fdpath = member(lx, "linux_binprm", "fdpath", &o->bprm_fdpath);
	o->has_execfd = member(lx, "linux_binprm", "execfd", &o->bprm_execfd);
	o->has_have_execfd = member_bits(lx, "linux_binprm", "have_execfd",
					 &o->have_execfd);
	o->has_secureexec = member_bits(lx, "linux_binprm", "secureexec",
					&o->secureexec);
	member(lx, "task_struct", "real_cred", &o->task_real_cred);
	member(lx, "task_struct", "signal", &o->task_signal);
	member(lx, "task_struct", "group_leader", &o->task_group_leader);
	member(lx, "task_struct", "real_parent", &o->task_real_parent);
	member(lx, "task_struct", "start_time", &o->task_start_time);
	member(lx, "task_struct", "fs", &o->task_fs);
	member(lx, "task_struct", "comm", &o->task_comm);
	member(lx, "task_struct", "pid", &o->task_pid);
	member(lx, "task_struct", "tgid", &o->task_tgid);
	o->has_children = member(lx, "task_struct", "children",
				 &o->task_children) &&
		member(lx, "task_struct", "sibling", &o->task_sibling);
	member(lx, "cred", "uid", &o->cred_uid);
	member(lx, "cred", "suid", &o->cred_suid);
	member(lx, "cred", "euid", &o->cred_euid);
	o->has_live = member(lx, "signal_struct", "live", &o->signal_live);
	o->has_pids = member(lx, "signal_struct", "pids", &o->signal_pids);
	o->has_pgid = o->has_pids &&
		member(lx, "pid", "numbers", &o->pid_numbers) &&
		member(lx, "upid", "nr", &o->upid_nr);
	o->has_cwd = member(lx, "fs_struct", "pwd", &o->fs_pwd);
	return ok;
}

static void on_site(uint64_t ret, size_t target, void *opaque)
{
	GArray *sites = opaque;

	g_array_append_val(sites, ret);
}

/* Text to scan: [_stext, _etext), else a generous window after _text. */
static void text_range(struct lxp *lx, uint64_t *start, uint64_t *end)
{
	uint64_t s = 0, e = 0;

	if (vs_os_symbol(lx->os, "_stext", &s) < 0 &&
	    vs_os_symbol(lx->os, "_text", &s) < 0)
		s = 0;
	if (vs_os_symbol(lx->os, "_etext", &e) < 0 || e <= s ||
	    e - s > (256u << 20))
		e = s ? s + SCAN_FALLBACK_LEN : 0;
	*start = s;
	*end = e;
}

/* Hook every return site of a direct call to exec or clone. */
static size_t scan_return_sites(struct lxp *lx)
{
	uint64_t targets[2], start, end;
	size_t nt = 0, chunks = 0, bad = 0;
	struct vs_gmem m;
	GArray *sites = g_array_new(FALSE, FALSE, sizeof(uint64_t));
	uint8_t *buf = g_malloc(SCAN_CHUNK + 4);

	if (lx->entry[LXP_EXEC])
		targets[nt++] = lx->entry[LXP_EXEC];
	if (lx->entry[LXP_CLONE])
		targets[nt++] = lx->entry[LXP_CLONE];
	text_range(lx, &start, &end);
	vs_gmem_from_backend(&m, lx->be, vs_lx_view_vcpu(lx->os),
			     VS_DTB_CURRENT);
	for (uint64_t va = start; nt && va && va < end; va += SCAN_CHUNK) {
		size_t len = end - va < SCAN_CHUNK ? end - va : SCAN_CHUNK;
		/* 4 bytes of overlap: a call straddling two chunks. */
		size_t want = len + (end - va > len ? 4 : 0);

		chunks++;
		if (vs_gmem_read(&m, va, buf, want) < 0 &&
		    vs_gmem_read(&m, va, buf, want = len) < 0) {
			bad++;
			continue;
		}
		vs_x86_callsites(buf, want, va, targets, nt, on_site, sites);
	}
	g_free(buf);
	for (guint i = 0; i < sites->len; i++)
		lxp_retsite_ensure(lx, g_array_index(sites, uint64_t, i));
	if (bad)
		vs_warn("procmon: %zu of %zu kernel text chunks unreadable while "
			"looking for return sites", bad, chunks);
	vs_debug("procmon: %u return sites in [%#llx, %#llx)", sites->len,
		 (unsigned long long)start, (unsigned long long)end);
	nt = sites->len;
	g_array_free(sites, TRUE);
	return nt;
}

/* Values of lx->retsites: the site is hooked (or being hooked), or the
 * backend refused it. */
#define SITE_HOOKED GINT_TO_POINTER(1)
#define SITE_REFUSED GINT_TO_POINTER(2)

int lxp_retsite_ensure(struct lxp *lx, uint64_t ret)
{
	uint64_t *key;
	gpointer state;
	int id, rc;

	g_mutex_lock(&lx->lock);
	state = g_hash_table_lookup(lx->retsites, &ret);
	if (!state) {
		key = g_new(uint64_t, 1);
		*key = ret;
		g_hash_table_insert(lx->retsites, key, SITE_HOOKED);
	}
	g_mutex_unlock(&lx->lock);
	if (state)
		return state == SITE_REFUSED ? -ENOSPC : 0;
	rc = vs_backend_hook_add(lx->be, ret, lxp_on_return, lx, &id);
	if (rc < 0) {
		g_mutex_lock(&lx->lock);
		g_hash_table_replace(lx->retsites, g_memdup2(&ret, sizeof(ret)),
				     SITE_REFUSED);
		g_mutex_unlock(&lx->lock);
		__atomic_add_fetch(&lx->unhooked_sites, 1, __ATOMIC_RELAXED);
		vs_stats_add(&lx->ctx->stats->unresolved_hooks, 1);
		return rc;
	}
	/* Found after start: its code may be translated, one flush. */
	if (lx->started) {
		__atomic_add_fetch(&lx->late_sites, 1, __ATOMIC_RELAXED);
		vs_stats_add(&lx->ctx->stats->translation_flushes, 1);
	}
	return 0;
}

static bool place_hook(struct lxp *lx, enum lxp_kind k, GString *missing)
{
	for (size_t i = 0; hook_syms[k][i]; i++) {
		uint64_t va;
		int rc, id;

		if (vs_os_symbol(lx->os, hook_syms[k][i], &va) < 0 || !va)
			continue;
		rc = vs_backend_hook_add(lx->be, va, hook_fns[k], lx, &id);
		if (rc < 0) {
			vs_warn("procmon: cannot hook %s at %#llx: %s",
				hook_syms[k][i], (unsigned long long)va,
				strerror(-rc));
			break;
		}
		lx->entry[k] = va;
		lx->hooked[k] = hook_syms[k][i];
		vs_info("procmon: %s hooked at %s (%#llx)", lxp_method[k],
			hook_syms[k][i], (unsigned long long)va);
		return true;
	}
	vs_stats_add(&lx->ctx->stats->unresolved_hooks, 1);
	g_string_append_printf(missing, " %s", lxp_method[k]);
	return false;
}

static int vcpus_init(struct lxp *lx)
{
	lx->nvcpus = vs_backend_vcpu_count(lx->be);
	if (lx->nvcpus == 0)
		lx->nvcpus = 1;
	lx->vcpus = g_new0(struct lxp_vcpu, lx->nvcpus);
	for (unsigned i = 0; i < lx->nvcpus; i++) {
		struct lxp_vcpu *v = &lx->vcpus[i];

		/* Another OS implementation (a test's) reads on any vCPU. */
		v->view = vs_lx_view_new(lx->os, i);
		v->own_view = v->view != NULL;
		if (!v->view)
			v->view = lx->os;
		vs_gmem_from_backend(&v->gm, lx->be, i, VS_DTB_CURRENT);
		v->area = g_malloc(LXP_ARGS_AREA + 1);
		v->argv = g_new(struct vs_bytes, LXP_MAX_ARGS);
		v->envv = g_new(struct vs_bytes, LXP_MAX_ENVS);
		v->s1 = g_string_sized_new(256);
		v->s2 = g_string_sized_new(256);
		v->scratch.name = g_malloc(VS_PROC_PATH_MAX);
		v->scratch.owner = i;
	}
	return 0;
}

static int load_filter(struct lxp *lx)
{
	const char *path = lx->ctx->opts ? lx->ctx->opts->filter_file : NULL;
	char err[256] = "";
	int rc;

	if (!path) {
		lx->env = vs_envfilter_new_default();
		return lx->env ? 0 : -ENOMEM;
	}
	rc = vs_envfilter_load(path, &lx->env, err, sizeof(err));
	if (rc < 0)
		vs_err("procmon: filter file %s: %s", path, err);
	return rc;
}

static void regs_init(struct lxp *lx)
{
	lx->r_rdi = reg(lx, "rdi");
	lx->r_rsi = reg(lx, "rsi");
	lx->r_rdx = reg(lx, "rdx");
	lx->r_rcx = reg(lx, "rcx");
	lx->r_rax = reg(lx, "rax");
	lx->r_rsp = reg(lx, "rsp");
	lx->r_cr3 = reg(lx, "cr3");
}

int vs_procmon_linux_start(struct vs_plugin_ctx *ctx)
{
	struct lxp *lx = g_new0(struct lxp, 1);
	int rc;

	lx->ctx = ctx;
	lx->be = ctx->be;
	lx->os = ctx->os;
	lx->compat = ctx->opts && ctx->opts->drakvuf_compat;
	vs_pm_run_id_new(lx->run_id, sizeof(lx->run_id));
	ctx->priv = lx;
	g_mutex_init(&lx->lock);
	rc = load_filter(lx);
	if (rc == 0)
		rc = lxp_pending_init(lx);
	if (rc == 0)
		rc = vcpus_init(lx);
	if (rc < 0)
		return rc;
	regs_init(lx);
	member(lx, "task_struct", "group_leader", &lx->off.task_group_leader);
	member(lx, "task_struct", "tgid", &lx->off.task_tgid);
	member(lx, "task_struct", "start_time", &lx->off.task_start_time);
	member(lx, "task_struct", "real_parent", &lx->off.task_real_parent);
	for (int k = 0; k < LXP_NKINDS; k++)
		vs_stats_register_type(ctx->stats, lxp_method[k]);
	return 0;
}

void vs_procmon_linux_arm(struct vs_plugin_ctx *ctx)
{
	struct lxp *lx = ctx->priv;
	bool need[LXP_NKINDS] = { true, true, true, true };
	GString *missing = g_string_new(NULL);

	resolve_offsets(lx, need, missing);
	if (missing->len)
		vs_warn("procmon: kernel lacks members:%s", missing->str);
	for (int k = 0; k < LXP_NKINDS; k++)
		if (need[k])
			place_hook(lx, (enum lxp_kind)k, missing);
		else
			vs_stats_add(&ctx->stats->unresolved_hooks, 1);
	scan_return_sites(lx);
	if (lx->unhooked_sites)
		vs_warn("procmon: %llu return sites got no hook from the backend: "
			"exec and clone calls from them are printed at entry, "
			"their return-only fields named in Unreadable",
			(unsigned long long)lx->unhooked_sites);
	lx->exit_at_acct = lx->entry[LXP_EXIT] &&
		strcmp(lx->hooked[LXP_EXIT], "acct_collect") == 0;
	lx->started = true;
	if (missing->len) {
		ctx->incomplete = true;
		snprintf(ctx->incomplete_reason, sizeof(ctx->incomplete_reason),
			 "not monitored:%s", missing->str);
	}
	g_string_free(missing, TRUE);
}

void vs_procmon_linux_stop(struct vs_plugin_ctx *ctx)
{
	struct lxp *lx = ctx->priv;

	if (!lx)
		return;
	/* Hooks cannot be removed from translated code: disarm by keeping
	 * lx alive if the backend still runs; here the VM has ended. */
	for (unsigned i = 0; lx->vcpus && i < lx->nvcpus; i++) {
		struct lxp_vcpu *v = &lx->vcpus[i];

		vs_stats_add(&ctx->stats->read_failures,
			     v->gm.failures +
			     (v->own_view ? vs_lx_view_failures(v->view) : 0));
		if (v->own_view)
			vs_lx_view_free(v->view);
		g_free(v->area);
		g_free(v->argv);
		g_free(v->envv);
		g_free(v->scratch.name);
		if (v->s1)
			g_string_free(v->s1, TRUE);
		if (v->s2)
			g_string_free(v->s2, TRUE);
	}
	g_free(lx->vcpus);
	lxp_pending_fini(lx);
	vs_envfilter_free(lx->env);
	g_mutex_clear(&lx->lock);
	g_free(lx);
	ctx->priv = NULL;
}

void vs_procmon_linux_running_keys(struct vs_plugin_ctx *ctx,
				   const struct vs_proc *p, struct vs_event *ev)
{
	struct lxp *lx = ctx->priv;
	struct lxp_vcpu *v;
	uint64_t parent = 0;
	char buf[VS_PM_KEY_SIZE];
	bool ok;

	if (!lx)
		return;
	v = &lx->vcpus[vs_lx_view_vcpu(lx->os) % lx->nvcpus];
	ok = lxp_process_key(lx, v, p->obj, buf, sizeof(buf));
	vs_pm_key_put(ev, "ProcessKey", ok ? buf : NULL);
	ok = p->pid > 0 &&
	     vs_gmem_u64(&v->gm, p->obj + lx->off.task_real_parent,
			 &parent) == 0 &&
	     parent && lxp_process_key(lx, v, parent, buf, sizeof(buf));
	vs_pm_key_put(ev, "ParentProcessKey", ok ? buf : NULL);
}

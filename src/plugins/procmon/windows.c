// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * windows.c - procmon's Windows half: starts (state, run id of the
 * process keys) before the start-up list and places the eight ntoskrnl
 * hooks after it (windows_events.c has their logic), fills the common
 * header of each event from the attached process of the current thread
 * (reference §2: PID, PPID, TID, SessionId, NT-path name), ends each with
 * the keys (windows_keys.c), and keeps the pending returns (windows.h
 * explains the matching). Hooks whose symbol the profile lacks
 * are named and make monitoring "incomplete" (contract §3, exit 4); the
 * others are still placed.
 */
#include "plugins/procmon/windows.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "backend/backend.h"
#include "common/log.h"
#include "common/stats.h"
#include "pipeline/options.h"

#define PROCMON "procmon"

void vs_pmw_mark_unreadable(struct vs_pmw_hit *h, const char *field)
{
	if (h->nunreadable < VS_PMW_MAX_MARKS)
		h->unreadable[h->nunreadable++] =
			(struct vs_bytes){ field, strlen(field) };
	vs_stats_add(&h->pm->ctx->stats->read_failures, 1);
}

void vs_pmw_mark_truncated(struct vs_pmw_hit *h, const char *field)
{
	if (h->ntruncated < VS_PMW_MAX_MARKS)
		h->truncated[h->ntruncated++] =
			(struct vs_bytes){ field, strlen(field) };
}

/* Header of the event: the attached process at this trap (reference §2). */
void vs_pmw_begin(struct vs_pmw_hit *h, enum vs_pmw_hook kind)
{
	struct vs_pmw *pm = h->pm;
	struct vs_event *ev = &h->ev;
	uint64_t cr3 = 0;

	vs_event_init(ev, VS_EV_HOOK, VS_OS_WINDOWS, PROCMON,
		      vs_pmw_hooks[kind].method);
	ev->method = vs_pmw_hooks[kind].method;
	ev->time_us = vs_backend_clock_us(pm->ctx->be);
	ev->vcpu = h->v.vcpu;
	vs_win_reg(&h->v, "cr3", &cr3);
	ev->cr3 = cr3;
	ev->event_uid = __atomic_add_fetch(&pm->event_uid, 1, __ATOMIC_RELAXED);
	ev->pid = ev->ppid = ev->tid = ev->userid = -1;
	if (!h->attached || vs_win_proc_read(&h->v, h->attached, &h->caller) < 0) {
		vs_pmw_mark_unreadable(h, "ProcessName");
		h->caller.pid = -1;
		return;
	}
	ev->pid = h->caller.pid;
	ev->ppid = h->caller.ppid;
	ev->userid = h->caller.uid;
	ev->process_name = (struct vs_bytes){ h->caller.name, h->caller.name_len };
	if (h->caller.name_truncated)
		vs_pmw_mark_truncated(h, "ProcessName");
	if (vs_win_thread_tid(&h->v, h->thread, &ev->tid) < 0)
		vs_pmw_mark_unreadable(h, "TID");
}

/* The extended tail every Windows event has, then out it goes. */
void vs_pmw_finish(struct vs_pmw_hit *h)
{
	struct vs_event *ev = &h->ev;

	vs_pmw_keys(h);

	if (h->ntruncated) {
		vs_field_ext(vs_event_strv(ev, "Truncated", h->truncated,
					   h->ntruncated));
		vs_stats_add(&h->pm->ctx->stats->fields_truncated, 1);
	} else {
		vs_field_ext(vs_event_absent(ev, "Truncated", VS_FT_STRV));
	}
	if (h->nunreadable)
		vs_field_ext(vs_event_strv(ev, "Unreadable", h->unreadable,
					   h->nunreadable));
	else
		vs_field_ext(vs_event_absent(ev, "Unreadable", VS_FT_STRV));
	h->pm->ctx->emit(h->pm->ctx->emit_opaque, ev);
}

int vs_pmw_lookup_pid(struct vs_pmw_hit *h, int64_t pid)
{
	uint64_t ep;
	int rc = vs_win_find_pid(&h->v, pid, &ep);

	return rc < 0 ? rc : vs_win_proc_read(&h->v, ep, &h->other);
}

static struct vs_pmw_hit *hit_new(struct vs_pmw *pm, unsigned vcpu)
{
	struct vs_pmw_hit *h = g_new0(struct vs_pmw_hit, 1);

	h->pm = pm;
	vs_win_view_init(&h->v, pm->w, vcpu);
	if (vs_win_current_thread(&h->v, &h->thread) < 0 ||
	    vs_win_thread_process(&h->v, h->thread, &h->owner, &h->attached) < 0)
		h->thread = h->owner = h->attached = 0;
	return h;
}

static void hit_free(struct vs_pmw_hit *h)
{
	if (h->scratch)
		g_string_free(h->scratch, TRUE);
	g_free(h);
}

static void on_return(const struct vs_hook_ctx *c);

/* A hook at @va for returns, unless one is there already (lock held). */
static bool ensure_site(struct vs_pmw *pm, uint64_t va)
{
	int id;

	for (unsigned i = 0; i < pm->nsites; i++)
		if (pm->sites[i] == va)
			return true;
	if (pm->nsites >= VS_PMW_MAX_SITES)
		return false;
	if (vs_backend_hook_add(pm->ctx->be, va, on_return, pm, &id) < 0)
		return false;
	pm->site_ids[pm->nsites] = id;
	pm->sites[pm->nsites++] = va;
	return true;
}

void vs_pmw_expect_return(struct vs_pmw_hit *h, struct vs_pmw_pending *p)
{
	struct vs_pmw *pm = h->pm;
	struct vs_pmw_pending *slot = NULL;
	uint64_t rsp = 0, ret = 0;

	if (!h->thread || vs_win_reg(&h->v, "rsp", &rsp) < 0 ||
	    vs_gmem_u64(&h->v.cur, rsp, &ret) < 0 ||
	    (ret & VS_WIN_KERNEL_TOP) != VS_WIN_KERNEL_TOP) {
		/* No way to see this call return: counted, not guessed. */
		vs_stats_add(&pm->ctx->stats->pending_returns_dropped, 1);
		return;
	}
	p->used = true;
	p->thread = h->thread;
	p->rsp = rsp;
	p->ret_va = ret;
	g_mutex_lock(&pm->lock);
	for (unsigned i = 0; i < VS_PMW_MAX_PENDING; i++) {
		if (!pm->pending[i].used) {
			slot = &pm->pending[i];
			break;
		}
		if (!slot || pm->pending[i].seq < slot->seq)
			slot = &pm->pending[i];
	}
	if (slot->used)
		vs_stats_add(&pm->ctx->stats->pending_returns_dropped, 1);
	p->seq = ++pm->seq;
	if (ensure_site(pm, ret))
		*slot = *p;
	else
		vs_stats_add(&pm->ctx->stats->pending_returns_dropped, 1);
	g_mutex_unlock(&pm->lock);
}

/* Take the pending call this return belongs to (reference §1.3). */
static bool take_pending(struct vs_pmw *pm, uint64_t thread, uint64_t rsp,
			 uint64_t va, struct vs_pmw_pending *out)
{
	struct vs_pmw_pending *best = NULL;

	g_mutex_lock(&pm->lock);
	for (unsigned i = 0; i < VS_PMW_MAX_PENDING; i++) {
		struct vs_pmw_pending *p = &pm->pending[i];

		if (p->used && p->thread == thread && p->ret_va == va &&
		    rsp >= p->rsp && (!best || p->rsp > best->rsp))
			best = p;
	}
	if (best) {
		*out = *best;
		best->used = false;
	}
	g_mutex_unlock(&pm->lock);
	return best != NULL;
}

static void on_return(const struct vs_hook_ctx *c)
{
	struct vs_pmw *pm = c->opaque;
	struct vs_pmw_pending p;
	struct vs_pmw_hit *h;
	uint64_t rsp = 0;

	h = hit_new(pm, c->vcpu);
	if (h->thread && vs_win_reg(&h->v, "rsp", &rsp) == 0 &&
	    take_pending(pm, h->thread, rsp, c->addr, &p)) {
		vs_pmw_begin(h, p.kind);
		vs_pmw_hooks[p.kind].ret(h, &p);
		vs_pmw_finish(h);
	}
	hit_free(h);
}

static void on_entry(const struct vs_hook_ctx *c)
{
	struct vs_pmw_hook_slot *s = c->opaque;
	struct vs_pmw_hit *h = hit_new(s->pm, c->vcpu);

	if (!vs_pmw_hooks[s->kind].ret)
		vs_pmw_begin(h, s->kind);
	vs_pmw_hooks[s->kind].entry(h);
	if (!vs_pmw_hooks[s->kind].ret)
		vs_pmw_finish(h);
	hit_free(h);
}

static void place_hooks(struct vs_pmw *pm)
{
	struct vs_plugin_ctx *ctx = pm->ctx;
	GString *missing = g_string_new(NULL);

	for (unsigned i = 0; i < VS_PMW_NHOOKS; i++) {
		const struct vs_pmw_hook_desc *d = &vs_pmw_hooks[i];
		struct vs_pmw_hook_slot *s = &pm->slots[i];
		int rc = -ENOENT;

		*s = (struct vs_pmw_hook_slot){ pm, i, -1 };
		vs_stats_register_type(ctx->stats, d->method);
		if (pm->w->off.sym_found[d->sym])
			rc = vs_backend_hook_add(ctx->be, pm->w->kernel_base +
						 pm->w->off.rva[d->sym],
						 on_entry, s, &s->hook_id);
		if (rc < 0) {
			vs_stats_add(&ctx->stats->unresolved_hooks, 1);
			g_string_append_printf(missing, "%s%s (%s)",
					       missing->len ? ", " : "", d->method,
					       rc == -ENOENT ? "not in the profile" :
					       strerror(-rc));
		}
	}
	if (missing->len) {
		ctx->incomplete = true;
		snprintf(ctx->incomplete_reason, sizeof(ctx->incomplete_reason),
			 "Windows hooks not placed: %s", missing->str);
	}
	g_string_free(missing, TRUE);
}

int vs_procmon_win_start(struct vs_plugin_ctx *ctx)
{
	struct vs_pmw *pm;

	if (!ctx->os || ctx->os->ops->os != VS_OS_WINDOWS)
		return -EINVAL;
	pm = g_new0(struct vs_pmw, 1);
	pm->ctx = ctx;
	pm->w = vs_win_of(ctx->os);
	g_mutex_init(&pm->lock);
	for (unsigned i = 0; i < VS_PMW_NHOOKS; i++)
		pm->slots[i] = (struct vs_pmw_hook_slot){ pm, i, -1 };
	vs_pm_run_id_new(pm->run_id, sizeof(pm->run_id));
	if (!pm->w->off.found[VS_WINO_EPROCESS_CREATETIME])
		vs_warn("procmon: the profile has no _EPROCESS.CreateTime: "
			"process keys are printed absent (Unreadable)");
	ctx->priv = pm;
	return 0;
}

/* After the start-up list: the hooks, when the backend can place them. */
void vs_procmon_win_arm(struct vs_plugin_ctx *ctx)
{
	struct vs_pmw *pm = ctx->priv;

	if (!pm || !ctx->os || ctx->os->ops->os != VS_OS_WINDOWS)
		return;
	if (pm->start_pids) {
		g_hash_table_destroy(pm->start_pids);
		pm->start_pids = NULL;
	}
	if (!vs_backend_has(ctx->be, VS_CAP_HOOKS)) {
		vs_info("procmon: this backend cannot hook: running processes only");
		return;
	}
	place_hooks(pm);
}

void vs_procmon_win_stop(struct vs_plugin_ctx *ctx)
{
	struct vs_pmw *pm = ctx->priv;

	if (!pm || !ctx->os || ctx->os->ops->os != VS_OS_WINDOWS)
		return;
	for (unsigned i = 0; i < VS_PMW_NHOOKS; i++)
		if (pm->slots[i].hook_id >= 0)
			vs_backend_hook_del(ctx->be, pm->slots[i].hook_id);
	for (unsigned i = 0; i < pm->nsites; i++)
		vs_backend_hook_del(ctx->be, pm->site_ids[i]);
	if (pm->start_pids)
		g_hash_table_destroy(pm->start_pids);
	g_mutex_clear(&pm->lock);
	ctx->priv = NULL;
	g_free(pm);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * windows_keys.c - the process keys of procmon's Windows half (contract
 * §6; windows.h says which event carries which key). A key needs only an
 * EPROCESS: its UniqueProcessId and its CreateTime, the kernel's creation
 * stamp (100 ns units since 1601), printed as nanoseconds (times 100) in
 * the format of prockey.h. A key that cannot be read is printed absent
 * and named in Unreadable; a process the event does not name (a failed
 * create, a parent that has exited) leaves its key absent, unnamed.
 */
#include "plugins/procmon/windows.h"

#include <string.h>

/*
 * Key of @ep into @buf (VS_PM_KEY_SIZE bytes), its CreateTime in *@ticks.
 * False when the PID or CreateTime is unreadable, the profile lacks
 * CreateTime, or the stamp is no kernel value (its nanoseconds would not
 * fit 64 bits: a date after the year 2185).
 */
static bool key_of(struct vs_pmw *pm, struct vs_win_view *v, uint64_t ep,
		   uint64_t *ticks, char *buf)
{
	uint64_t pid;

	if (!ep || vs_gmem_u64(&v->k, ep + VS_WINO(&pm->w->off,
			       VS_WINO_EPROCESS_PID), &pid) < 0 ||
	    vs_win_create_time(v, ep, ticks) < 0 || *ticks > UINT64_MAX / 100)
		return false;
	vs_pm_key_format(buf, VS_PM_KEY_SIZE, pm->run_id, (int64_t)pid,
			 *ticks * 100);
	return true;
}

static void hit_key(struct vs_pmw_hit *h, const char *field, uint64_t ep,
		    bool unreadable)
{
	char buf[VS_PM_KEY_SIZE];
	uint64_t ticks;
	bool ok = ep && key_of(h->pm, &h->v, ep, &ticks, buf);

	if (!vs_pm_key_put(&h->ev, field, ok ? buf : NULL) && (ep || unreadable))
		vs_pmw_mark_unreadable(h, field);
}

void vs_pmw_key_of(struct vs_pmw_hit *h, const char *field,
		   uint64_t eprocess, bool unreadable)
{
	h->key2 = field;
	h->key2_ep = eprocess;
	h->key2_unreadable = unreadable;
}

void vs_pmw_keys(struct vs_pmw_hit *h)
{
	/* The header's process: without it the header is Unreadable too. */
	hit_key(h, "ProcessKey", h->caller.pid >= 0 ? h->attached : 0, true);
	if (h->key2)
		hit_key(h, h->key2, h->key2_ep, h->key2_unreadable);
}

/* ---- RunningProcess ---------------------------------------------------- */

/* PID -> EPROCESS of the whole ring, once per start-up list (a lookup per
 * line would make the list quadratic in a hostile ring's length). */
static GHashTable *start_pids(struct vs_pmw *pm, struct vs_win_view *v)
{
	uint64_t links = VS_WINO(&pm->w->off, VS_WINO_EPROCESS_LINKS);
	uint64_t pid_off = VS_WINO(&pm->w->off, VS_WINO_EPROCESS_PID), node, pid;
	struct vs_gmem_list it;

	if (pm->start_pids)
		return pm->start_pids;
	pm->start_pids = g_hash_table_new(g_direct_hash, g_direct_equal);
	vs_gmem_list_init(&it, &v->k, pm->w->active_head, VS_WIN_MAX_PROCS);
	while (vs_gmem_list_next(&it, &node) == 1) {
		gpointer k;

		if (vs_gmem_u64(&v->k, node - links + pid_off, &pid) < 0)
			continue;
		k = GSIZE_TO_POINTER((gsize)pid);
		if (!g_hash_table_contains(pm->start_pids, k))
			g_hash_table_insert(pm->start_pids, k,
					    GSIZE_TO_POINTER((gsize)(node - links)));
	}
	vs_gmem_list_fini(&it);
	return pm->start_pids;
}

static void name_bad(struct vs_bytes *bad, size_t *nbad, const char *field)
{
	bad[(*nbad)++] = (struct vs_bytes){ field, strlen(field) };
}

/*
 * ParentProcessKey: the process now holding PID @p->ppid is @p's parent
 * only if it was created no later than @p; else the parent has exited
 * and its PID went to a younger process.
 */
static void parent_key(struct vs_pmw *pm, struct vs_win_view *v,
		       const struct vs_proc *p, bool child_ok,
		       uint64_t child_ticks, struct vs_event *ev,
		       struct vs_bytes *bad, size_t *nbad)
{
	char buf[VS_PM_KEY_SIZE];
	uint64_t pep, ticks;
	bool ok;

	if (p->unreadable & VS_PROC_U_PPID) {
		vs_pm_key_put(ev, "ParentProcessKey", NULL);
		name_bad(bad, nbad, "ParentProcessKey");
		return;
	}
	pep = p->ppid > 0 ? (uint64_t)GPOINTER_TO_SIZE(g_hash_table_lookup(
		start_pids(pm, v), GSIZE_TO_POINTER((gsize)p->ppid))) : 0;
	if (!pep) {                     /* PID 0, or the parent has exited */
		vs_pm_key_put(ev, "ParentProcessKey", NULL);
		return;
	}
	ok = child_ok && key_of(pm, v, pep, &ticks, buf);
	if (ok && ticks > child_ticks) {      /* a younger process: not it */
		vs_pm_key_put(ev, "ParentProcessKey", NULL);
		return;
	}
	if (!vs_pm_key_put(ev, "ParentProcessKey", ok ? buf : NULL))
		name_bad(bad, nbad, "ParentProcessKey");
}

void vs_procmon_win_running_keys(struct vs_plugin_ctx *ctx,
				 const struct vs_proc *p, struct vs_event *ev,
				 struct vs_bytes *bad, size_t *nbad)
{
	struct vs_pmw *pm = ctx->priv;
	struct vs_win_view v;
	char buf[VS_PM_KEY_SIZE];
	uint64_t ticks = 0;
	bool ok;

	if (!pm)
		return;
	vs_win_view_init(&v, pm->w, 0);
	ok = key_of(pm, &v, p->obj, &ticks, buf);
	if (!vs_pm_key_put(ev, "ProcessKey", ok ? buf : NULL))
		name_bad(bad, nbad, "ProcessKey");
	parent_key(pm, &v, p, ok, ticks, ev, bad, nbad);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lx_pending.c - Linux calls that wait for their return (exec, clone).
 *
 * An entry hook stores what it read under the key (task_struct address,
 * return address, stack pointer at entry); the return-site hook looks the
 * key up with its own current task, its address and rsp - 8 (the `ret`
 * popped the return address). Not keyed by TID: a non-leader thread that
 * execs takes the leader's TID on the way. Two calls from one call site on
 * different tasks, or nested on one task, never share a key (DRAKVUF keys
 * by return address only and loses one of them).
 *
 * Entries come from a pool sized LXP_PENDING_PER_VCPU per vCPU; each vCPU
 * may hold at most that many (counted against the vCPU that entered the
 * call, wherever it returns), and a call beyond that is counted in
 * pending_returns_dropped. A task's entries are dropped when it exits. One
 * mutex guards the table: a call may return on another vCPU.
 */
#include "linux_priv.h"

#include <errno.h>
#include <string.h>

#include "common/stats.h"

#define KEY_WORDS 3

static guint key_hash(gconstpointer k)
{
	const uint64_t *w = k;
	uint64_t h = w[0] * 0x9E3779B97F4A7C15ull ^ w[1] * 0xC2B2AE3D27D4EB4Full ^
		     w[2];

	return (guint)(h ^ (h >> 32));
}

static gboolean key_equal(gconstpointer a, gconstpointer b)
{
	return memcmp(a, b, KEY_WORDS * sizeof(uint64_t)) == 0;
}

int lxp_pending_init(struct lxp *lx)
{
	unsigned nv = vs_backend_vcpu_count(lx->be);

	lx->npool = (size_t)(nv ? nv : 1) * LXP_PENDING_PER_VCPU;
	lx->pool = g_new0(struct lxp_pending, lx->npool);
	for (size_t i = 0; i < lx->npool; i++) {
		lx->pool[i].name = g_malloc(VS_PROC_PATH_MAX);
		lx->pool[i].next_free = i + 1 < lx->npool ? &lx->pool[i + 1] : NULL;
	}
	lx->free_list = lx->pool;
	lx->pending = g_hash_table_new(key_hash, key_equal);
	lx->retsites = g_hash_table_new_full(g_int64_hash, g_int64_equal,
					     g_free, NULL);
	return lx->pending && lx->retsites ? 0 : -ENOMEM;
}

void lxp_pending_fini(struct lxp *lx)
{
	for (size_t i = 0; lx->pool && i < lx->npool; i++)
		g_free(lx->pool[i].name);
	g_free(lx->pool);
	lx->pool = NULL;
	if (lx->pending)
		g_hash_table_destroy(lx->pending);
	if (lx->retsites)
		g_hash_table_destroy(lx->retsites);
	lx->pending = lx->retsites = NULL;
}

static void release_locked(struct lxp *lx, struct lxp_pending *p)
{
	if (p->owner < lx->nvcpus && lx->vcpus[p->owner].pending)
		lx->vcpus[p->owner].pending--;
	p->next_free = lx->free_list;
	lx->free_list = p;
}

struct lxp_pending *lxp_pending_get(struct lxp *lx, unsigned vcpu)
{
	struct lxp_pending *p = NULL;

	g_mutex_lock(&lx->lock);
	if (vcpu < lx->nvcpus &&
	    lx->vcpus[vcpu].pending < LXP_PENDING_PER_VCPU && lx->free_list) {
		p = lx->free_list;
		lx->free_list = p->next_free;
		p->next_free = NULL;
		p->owner = vcpu;
		lx->vcpus[vcpu].pending++;
	}
	g_mutex_unlock(&lx->lock);
	if (!p)
		vs_stats_add(&lx->ctx->stats->pending_returns_dropped, 1);
	return p;
}

void lxp_pending_put(struct lxp *lx, struct lxp_pending *p)
{
	struct lxp_pending *old;

	g_mutex_lock(&lx->lock);
	old = g_hash_table_lookup(lx->pending, &p->task);
	if (old) {
		/* Same task, site and stack: the old call cannot return. */
		g_hash_table_remove(lx->pending, &old->task);
		release_locked(lx, old);
		vs_stats_add(&lx->ctx->stats->pending_returns_dropped, 1);
	}
	else
		__atomic_add_fetch(&lx->npending, 1, __ATOMIC_RELAXED);
	g_hash_table_insert(lx->pending, &p->task, p);
	g_mutex_unlock(&lx->lock);
}

struct lxp_pending *lxp_pending_take(struct lxp *lx, uint64_t task,
				     uint64_t ret, uint64_t rsp)
{
	uint64_t key[KEY_WORDS] = { task, ret, rsp };
	struct lxp_pending *p;

	g_mutex_lock(&lx->lock);
	p = g_hash_table_lookup(lx->pending, key);
	if (p) {
		g_hash_table_remove(lx->pending, key);
		__atomic_sub_fetch(&lx->npending, 1, __ATOMIC_RELAXED);
	}
	g_mutex_unlock(&lx->lock);
	return p;
}

void lxp_pending_release(struct lxp *lx, struct lxp_pending *p)
{
	if (!p)
		return;
	g_mutex_lock(&lx->lock);
	release_locked(lx, p);
	g_mutex_unlock(&lx->lock);
}

static gboolean of_task(gpointer key, gpointer value, gpointer opaque)
{
	const struct lxp_pending *p = value;

	return p->task == *(const uint64_t *)opaque;
}

void lxp_pending_drop_task(struct lxp *lx, uint64_t task)
{
	GHashTableIter it;
	gpointer k, v;
	guint n = 0;

	g_mutex_lock(&lx->lock);
	if (g_hash_table_size(lx->pending)) {
		g_hash_table_iter_init(&it, lx->pending);
		while (g_hash_table_iter_next(&it, &k, &v)) {
			if (!of_task(k, v, &task))
				continue;
			g_hash_table_iter_remove(&it);
			__atomic_sub_fetch(&lx->npending, 1, __ATOMIC_RELAXED);
			release_locked(lx, v);
			n++;
		}
	}
	g_mutex_unlock(&lx->lock);
	if (n)
		vs_stats_add(&lx->ctx->stats->pending_returns_dropped, n);
}

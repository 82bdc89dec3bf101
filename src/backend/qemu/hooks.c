// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hooks.c - execution hooks and the ready triggers of the QEMU plugin
 * backend, both placed at translation time.
 *
 * A hook is a guest virtual address plus a vs_hook_fn. Hooks on one
 * address share a "site"; the sites sit in a hash table that the
 * translation callback consults for every instruction of a new block
 * (read lock). For a hooked instruction it registers an instruction
 * callback (registers readable) with the site as udata, so the callback
 * knows the hooked address: rip read there is stale, it is the start of
 * the block. The callback runs before the instruction executes.
 *
 * Translated code keeps its callbacks until QEMU retranslates it, and the
 * plugin API (v4) cannot flush one block. So:
 * - hook_del() only marks the hook dead; the callback skips it;
 * - a hook added after its code may have been translated ("late": its page
 *   holds code translated before - a coarse, page-sized test) is counted
 *   and makes the backend flush QEMU's whole translation cache: the only
 *   flush the API offers is qemu_plugin_reset(), which, with every vCPU
 *   stopped, unregisters all our callbacks, flushes, and calls us back to
 *   register them again (vs_qemu_register_cbs). Late hooks added while a
 *   flush is pending share it. A flush costs a retranslation of the
 *   working set (tens of ms), so the pipeline hooks from the ready
 *   callback, before the hooked kernel functions first run, and normally
 *   never needs one.
 * Sites and hooks are never freed (translated code may point to them).
 *
 * The ready triggers (qemu.h) instrument the first instruction of blocks
 * until their moment has fired once: any block at or above the kernel
 * text base, then (ready=user) any user-half block, whose callback checks
 * CS & 3 == 3.
 */
#include "priv.h"

#include <errno.h>

#include "common/log.h"

#define PAGE_MASK_4K (~(uint64_t)0xfff)

int vs_qemu_hooks_init(struct vs_qemu *q)
{
	g_rw_lock_init(&q->hook_lock);
	g_mutex_init(&q->page_lock);
	q->sites = g_hash_table_new(g_int64_hash, g_int64_equal);
	q->pages = g_hash_table_new(g_int64_hash, g_int64_equal);
	return q->sites && q->pages ? 0 : -ENOMEM;
}

/* The instruction callback of a hooked address (vCPU thread). */
static void hook_exec(unsigned int vcpu_index, void *udata)
{
	struct vs_qemu_site *site = udata;
	struct vs_qemu *q = site->q;
	unsigned n = atomic_load_explicit(&site->n, memory_order_acquire);
	int saved = vs_qemu_cur_vcpu;
	uint64_t t0 = q->clock ? vs_qemu_clock_now() : 0;

	vs_qemu_cur_vcpu = (int)vcpu_index;
	vs_qemu_cb_begin();
	for (unsigned i = 0; i < n && i < VS_QEMU_SITE_HOOKS; i++) {
		struct vs_qemu_hook *h = site->hooks[i];
		struct vs_hook_ctx ctx = {
			.be = &q->be, .vcpu = vcpu_index,
			.addr = site->addr, .opaque = h->opaque,
		};

		if (!atomic_load_explicit(&h->live, memory_order_relaxed))
			continue;
		if (vcpu_index < q->max_vcpus)
			q->vcpus[vcpu_index].hits++;
		if (!q->hooks_only)
			h->fn(&ctx);
	}
	vs_qemu_cur_vcpu = saved;
	if (q->clock && vcpu_index < q->max_vcpus) {
		struct vs_qemu_clock *c = &q->clock[vcpu_index];

		atomic_fetch_add_explicit(&c->hook_ns, vs_qemu_clock_now() - t0,
					  memory_order_relaxed);
		atomic_fetch_add_explicit(&c->hits, 1, memory_order_relaxed);
	}
}

/* Whether code on @va's page was translated before (page_lock held). */
static bool page_translated(struct vs_qemu *q, uint64_t va)
{
	uint64_t page = va & PAGE_MASK_4K;

	return q->pages_full || g_hash_table_contains(q->pages, &page);
}

static void page_note(struct vs_qemu *q, uint64_t va)
{
	uint64_t page = va & PAGE_MASK_4K;
	uint64_t *key;

	if (q->pages_full || g_hash_table_contains(q->pages, &page))
		return;
	if (g_hash_table_size(q->pages) >= VS_QEMU_MAX_PAGES) {
		q->pages_full = true;   /* from now on every page is "maybe" */
		return;
	}
	key = g_new(uint64_t, 1);
	*key = page;
	g_hash_table_add(q->pages, key);
}

static struct vs_qemu_site *site_get(struct vs_qemu *q, uint64_t va)
{
	struct vs_qemu_site *site = g_hash_table_lookup(q->sites, &va);

	if (site)
		return site;
	site = g_new0(struct vs_qemu_site, 1);
	site->addr = va;
	site->q = q;
	g_hash_table_insert(q->sites, &site->addr, site);
	atomic_fetch_add(&q->nsites, 1);
	return site;
}

/* qemu_plugin_reset() done (all vCPUs stopped, cache empty). */
static void flush_done(qemu_plugin_id_t id)
{
	struct vs_qemu *q = vs_qemu_self;

	vs_qemu_register_cbs(q);
	g_mutex_lock(&q->page_lock);
	g_hash_table_remove_all(q->pages);
	q->pages_full = false;
	g_mutex_unlock(&q->page_lock);
	atomic_fetch_add(&q->flushes, 1);
	atomic_store(&q->flush_pending, 0);
	vs_debug("qemu: translation cache flushed for late hooks");
}

/* Ask for a flush unless one is pending. Only from a vCPU thread: QEMU
 * takes a call without a current vCPU for "before any vCPU exists" and
 * then skips the flush. */
static void flush_request(struct vs_qemu *q, uint64_t va)
{
	if (vs_qemu_cur_vcpu < 0) {
		vs_warn("qemu: hook at 0x%016llx added outside a vCPU after its "
			"code may have run: it fires once QEMU retranslates it",
			(unsigned long long)va);
		return;
	}
	if (atomic_exchange(&q->flush_pending, 1))
		return;
	qemu_plugin_reset(q->id, flush_done);
}

int vs_qemu_hook_add(struct vs_backend *be, uint64_t va, vs_hook_fn fn,
		     void *opaque, int *hook_id)
{
	struct vs_qemu *q = vs_qemu_of(be);
	struct vs_qemu_site *site;
	struct vs_qemu_hook *h;
	bool late = false;
	unsigned n;
	int ret = 0;

	if (!fn)
		return -EINVAL;
	g_rw_lock_writer_lock(&q->hook_lock);
	if (q->nhooks >= VS_QEMU_MAX_HOOKS) {
		ret = -ENOSPC;
		goto out;
	}
	site = site_get(q, va);
	n = atomic_load(&site->n);
	if (n >= VS_QEMU_SITE_HOOKS) {
		ret = -ENOSPC;
		goto out;
	}
	h = g_new0(struct vs_qemu_hook, 1);
	h->addr = va;
	h->fn = fn;
	h->opaque = opaque;
	atomic_store(&h->live, true);
	site->hooks[n] = h;
	atomic_store_explicit(&site->n, n + 1, memory_order_release);
	q->hooks[q->nhooks] = h;
	if (hook_id)
		*hook_id = (int)q->nhooks;
	q->nhooks++;

	g_mutex_lock(&q->page_lock);
	late = page_translated(q, va);
	g_mutex_unlock(&q->page_lock);
out:
	g_rw_lock_writer_unlock(&q->hook_lock);
	if (!ret && late) {
		atomic_fetch_add(&q->late_hooks, 1);
		vs_debug("qemu: hook at 0x%016llx: code on its page was "
			 "translated before, flushing", (unsigned long long)va);
		flush_request(q, va);
	}
	return ret;
}

int vs_qemu_hook_del(struct vs_backend *be, int hook_id)
{
	struct vs_qemu *q = vs_qemu_of(be);
	struct vs_qemu_hook *h = NULL;
	int ret = -ENOENT;

	g_rw_lock_reader_lock(&q->hook_lock);
	if (hook_id >= 0 && (unsigned)hook_id < q->nhooks)
		h = q->hooks[hook_id];
	if (h && atomic_exchange(&h->live, false))
		ret = 0;
	g_rw_lock_reader_unlock(&q->hook_lock);
	return ret;
}

static void ready_kernel_exec(unsigned int vcpu_index, void *udata)
{
	struct vs_qemu *q = vs_qemu_self;
	int saved = vs_qemu_cur_vcpu;

	if (atomic_exchange(&q->kernel_reached, 1))
		return;
	vs_qemu_cur_vcpu = (int)vcpu_index;
	vs_qemu_cb_begin();
	vs_qemu_on_first_kernel_exec(&q->be, vcpu_index,
				     (uint64_t)(uintptr_t)udata);
	vs_qemu_cur_vcpu = saved;
}

static void ready_user_exec(unsigned int vcpu_index, void *udata)
{
	struct vs_qemu *q = vs_qemu_self;
	int saved = vs_qemu_cur_vcpu;
	uint64_t cs;

	if (atomic_load(&q->user_reached))
		return;
	vs_qemu_cur_vcpu = (int)vcpu_index;
	vs_qemu_cb_begin();
	if (vs_qemu_read_reg(&q->be, vcpu_index, q->cs_id, &cs) == 0 &&
	    (cs & 3) == 3 && !atomic_exchange(&q->user_reached, 1))
		vs_qemu_on_first_user_exec(&q->be, vcpu_index,
					   (uint64_t)(uintptr_t)udata);
	vs_qemu_cur_vcpu = saved;
}

static void ready_instrument(struct vs_qemu *q, struct qemu_plugin_tb *tb,
			     uint64_t va)
{
	struct qemu_plugin_insn *insn;

	if (!atomic_load(&q->kernel_reached)) {
		if (va < VS_QEMU_KERNEL_TEXT_BASE)
			return;
		insn = qemu_plugin_tb_get_insn(tb, 0);
		qemu_plugin_register_vcpu_insn_exec_cb(insn, ready_kernel_exec,
			QEMU_PLUGIN_CB_R_REGS, (void *)(uintptr_t)va);
		return;
	}
	if (q->ready_mode != VS_QEMU_READY_USER ||
	    atomic_load(&q->user_reached) || va >= VS_QEMU_USER_TOP)
		return;
	insn = qemu_plugin_tb_get_insn(tb, 0);
	qemu_plugin_register_vcpu_insn_exec_cb(insn, ready_user_exec,
		QEMU_PLUGIN_CB_R_REGS, (void *)(uintptr_t)va);
}

static void tb_instrument(struct vs_qemu *q, struct qemu_plugin_tb *tb,
			  size_t n, uint64_t start);

/* Translation callback (vCPU thread, concurrently on several). */
void vs_qemu_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	struct vs_qemu *q = vs_qemu_self;
	size_t n = qemu_plugin_tb_n_insns(tb);
	uint64_t t0;

	if (!q || n == 0)
		return;
	t0 = q->clock ? vs_qemu_clock_now() : 0;
	tb_instrument(q, tb, n, qemu_plugin_tb_vaddr(tb));
	/* QEMU does not say which vCPU translates: record 0 takes it all
	 * (the benchmark reads only the sum over vCPUs). */
	if (q->clock)
		atomic_fetch_add_explicit(&q->clock[0].trans_ns,
					  vs_qemu_clock_now() - t0,
					  memory_order_relaxed);
}

/* Note the TB's pages; put hook_exec on each hooked instruction. */
static void tb_instrument(struct vs_qemu *q, struct qemu_plugin_tb *tb,
			  size_t n, uint64_t start)
{
	uint64_t last;

	atomic_fetch_add_explicit(&q->translations, 1, memory_order_relaxed);
	ready_instrument(q, tb, start);
	last = qemu_plugin_insn_vaddr(qemu_plugin_tb_get_insn(tb, n - 1));

	g_mutex_lock(&q->page_lock);
	page_note(q, start);
	if ((last & PAGE_MASK_4K) != (start & PAGE_MASK_4K))
		page_note(q, last);
	g_mutex_unlock(&q->page_lock);

	if (atomic_load(&q->nsites) == 0)
		return;
	g_rw_lock_reader_lock(&q->hook_lock);
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);
		struct vs_qemu_site *site = g_hash_table_lookup(q->sites, &va);

		if (site)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, hook_exec,
				QEMU_PLUGIN_CB_R_REGS, site);
	}
	g_rw_lock_reader_unlock(&q->hook_lock);
}

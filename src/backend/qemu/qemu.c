// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * qemu.c - the QEMU TCG plugin backend instance and its ops table.
 *
 * vs_qemu_backend_open() sizes the per-vCPU state from QEMU's -smp values,
 * registers the vCPU-init callback (which loads QEMU's register list: that
 * is only allowed on a vCPU thread) and the translation callback of
 * hooks.c. The ready moments (see qemu.h) end up in
 * vs_qemu_on_first_kernel_exec()/vs_qemu_on_first_user_exec() here.
 * Capabilities: live VM and hooks; reads go through the vCPU's current
 * CR3 only (API v4 has no physical read and no translation), so no
 * VS_CAP_PHYS and no VS_CAP_ANY_DTB.
 */
#include "priv.h"

#include <errno.h>
#include <stdlib.h>

#include "common/log.h"

__thread int vs_qemu_cur_vcpu = -1;
__thread uint64_t vs_qemu_cb_gen;
struct vs_qemu *vs_qemu_self;

static void vcpu_init(qemu_plugin_id_t id, unsigned int vcpu_index)
{
	struct vs_qemu *q = vs_qemu_self;
	int saved = vs_qemu_cur_vcpu;

	if (!q)
		return;
	vs_qemu_cur_vcpu = (int)vcpu_index;
	vs_qemu_cb_begin();
	vs_qemu_regs_load(q);
	vs_qemu_cur_vcpu = saved;
	vs_debug("qemu: vCPU %u started", vcpu_index);
}

void vs_qemu_set_ready_cb(struct vs_backend *be, vs_qemu_ready_fn cb,
			  void *opaque)
{
	struct vs_qemu *q = vs_qemu_of(be);

	q->ready_opaque = opaque;
	q->ready_cb = cb;
}

void vs_qemu_on_first_kernel_exec(struct vs_backend *be, unsigned vcpu,
				  uint64_t addr)
{
	struct vs_qemu *q = vs_qemu_of(be);

	vs_debug("qemu: kernel reached at 0x%016llx on vCPU %u",
		 (unsigned long long)addr, vcpu);
	if (q->ready_mode == VS_QEMU_READY_KERNEL && q->ready_cb)
		q->ready_cb(be, vcpu, q->ready_opaque);
}

void vs_qemu_on_first_user_exec(struct vs_backend *be, unsigned vcpu,
				uint64_t addr)
{
	struct vs_qemu *q = vs_qemu_of(be);

	vs_debug("qemu: user mode reached at 0x%016llx on vCPU %u",
		 (unsigned long long)addr, vcpu);
	if (q->ready_mode == VS_QEMU_READY_USER && q->ready_cb)
		q->ready_cb(be, vcpu, q->ready_opaque);
}

void vs_qemu_get_stats(struct vs_backend *be, struct vs_qemu_stats *st)
{
	struct vs_qemu *q = vs_qemu_of(be);

	*st = (struct vs_qemu_stats){0};
	for (unsigned i = 0; i < q->max_vcpus; i++) {
		st->hook_hits += __atomic_load_n(&q->vcpus[i].hits,
						 __ATOMIC_RELAXED);
		st->reads_failed += __atomic_load_n(&q->vcpus[i].reads_failed,
						    __ATOMIC_RELAXED);
		st->direct_reads += __atomic_load_n(&q->vcpus[i].direct_reads,
						    __ATOMIC_RELAXED);
		st->direct_fallbacks += __atomic_load_n(
			&q->vcpus[i].direct_fallbacks, __ATOMIC_RELAXED);
		st->direct_checks += __atomic_load_n(
			&q->vcpus[i].direct_checks, __ATOMIC_RELAXED);
		st->direct_mismatches += __atomic_load_n(
			&q->vcpus[i].direct_mismatches, __ATOMIC_RELAXED);
	}
	st->late_hooks = atomic_load(&q->late_hooks);
	st->flushes = atomic_load(&q->flushes);
	st->translations = atomic_load(&q->translations);
	st->direct = atomic_load(&q->direct.state) == VS_QEMU_DIRECT_ON;
}

void vs_qemu_register_cbs(struct vs_qemu *q)
{
	qemu_plugin_register_vcpu_init_cb(q->id, vcpu_init);
	qemu_plugin_register_vcpu_tb_trans_cb(q->id, vs_qemu_tb_trans);
	if (q->atexit_cb)
		qemu_plugin_register_atexit_cb(q->id, q->atexit_cb,
					       q->atexit_udata);
}

void vs_qemu_set_atexit_cb(struct vs_backend *be, qemu_plugin_udata_cb_t cb,
			   void *udata)
{
	struct vs_qemu *q = vs_qemu_of(be);

	q->atexit_udata = udata;
	q->atexit_cb = cb;
	qemu_plugin_register_atexit_cb(q->id, cb, udata);
}

void vs_qemu_set_direct_ram(struct vs_backend *be, bool on)
{
	vs_qemu_direct_setup(vs_qemu_of(be), on);
}

void vs_qemu_set_direct_skew(struct vs_backend *be, uint64_t after)
{
	vs_qemu_of(be)->direct.skew_after = after;
}

void vs_qemu_set_hooks_only(struct vs_backend *be, bool on)
{
	vs_qemu_of(be)->hooks_only = on;
}

static unsigned qemu_vcpu_count(struct vs_backend *be)
{
	return vs_qemu_of(be)->nvcpus;
}

static uint64_t qemu_clock_us(struct vs_backend *be)
{
	gint64 t = g_get_real_time();

	return t > 0 ? (uint64_t)t : 0;
}

/* Never frees: translated code keeps pointers to hook sites, and QEMU may
 * still run vCPUs while atexit handlers run. */
static void qemu_close(struct vs_backend *be)
{
}

const struct vs_backend_ops vs_qemu_backend_ops = {
	.name = "qemu",
	.caps = VS_CAP_LIVE | VS_CAP_HOOKS,
	.close = qemu_close,
	.reg_id = vs_qemu_reg_id,
	.read_reg = vs_qemu_read_reg,
	.read_va = vs_qemu_read_va,
	.hook_add = vs_qemu_hook_add,
	.hook_del = vs_qemu_hook_del,
	.vcpu_count = qemu_vcpu_count,
	.clock_us = qemu_clock_us,
};

int vs_qemu_backend_open(qemu_plugin_id_t id, const qemu_info_t *info,
			 enum vs_qemu_ready ready, struct vs_backend **out)
{
	struct vs_qemu *q;
	int smp, maxv;

	if (!info->system_emulation)
		return -EINVAL;
	smp = info->system.smp_vcpus;
	maxv = info->system.max_vcpus;
	if (smp < 1 || smp > 4096 || maxv > 4096)
		return -EINVAL;
	if (maxv < smp)
		maxv = smp;
	if (vs_qemu_self)
		return -EBUSY;

	q = g_new0(struct vs_qemu, 1);
	q->id = id;
	q->nvcpus = (unsigned)smp;
	q->max_vcpus = (unsigned)maxv;
	/* One cache line per vCPU: the type is 64-byte aligned. */
	q->vcpus = g_aligned_alloc0(q->max_vcpus, sizeof(*q->vcpus), 64);
	for (unsigned i = 0; i < q->max_vcpus; i++)
		q->vcpus[i].buf = g_byte_array_sized_new(256);
	g_mutex_init(&q->reg_lock);
	g_mutex_init(&q->direct.lock);
	atomic_store(&q->direct.state, VS_QEMU_DIRECT_OFF);
	q->cs_id = -1;
	q->ready_mode = ready;
	q->be.ops = &vs_qemu_backend_ops;
	q->be.priv = q;
	if (vs_qemu_hooks_init(q) < 0)
		return -ENOMEM;
	if (ready == VS_QEMU_READY_USER && vs_qemu_reg_id(&q->be, "cs",
							  &q->cs_id) < 0)
		return -ENOENT;

	vs_qemu_self = q;
	vs_qemu_register_cbs(q);
	*out = &q->be;
	return 0;
}

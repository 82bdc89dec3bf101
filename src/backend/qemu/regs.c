// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * regs.c - registers by name for the QEMU plugin backend.
 *
 * QEMU lists a vCPU's registers (gdb's view: rax ... rip, eflags, cs ...,
 * fs_base, gs_base, k_gs_base, cr0 ... efer, x87 and SSE state) only on a
 * vCPU thread, so the list is loaded at the first vCPU-init callback; its
 * handles are the same on every vCPU. reg_id() may be called before that
 * (at install time): the name is then kept and resolved when the list
 * arrives, and a name QEMU does not have reads as -ENOENT. read_reg() works
 * on the calling vCPU only and reuses that vCPU's buffer.
 */
#include "priv.h"

#include <errno.h>
#include <string.h>

#include "common/log.h"

static struct qemu_plugin_register *qemu_reg_lookup(struct vs_qemu *q,
						     const char *name)
{
	for (guint i = 0; i < q->qemu_regs->len; i++) {
		qemu_plugin_reg_descriptor *d =
			&g_array_index(q->qemu_regs, qemu_plugin_reg_descriptor, i);

		if (d->name && strcmp(d->name, name) == 0)
			return d->handle;
	}
	return NULL;
}

/* First vCPU init: copy QEMU's list and resolve the names asked so far.
 * Caller has set vs_qemu_cur_vcpu (a vCPU thread). */
void vs_qemu_regs_load(struct vs_qemu *q)
{
	GArray *list;

	g_mutex_lock(&q->reg_lock);
	if (q->regs_loaded)
		goto out;
	list = qemu_plugin_get_registers();
	q->qemu_regs = g_array_new(FALSE, TRUE,
				   sizeof(qemu_plugin_reg_descriptor));
	for (guint i = 0; list && i < list->len; i++) {
		qemu_plugin_reg_descriptor d =
			g_array_index(list, qemu_plugin_reg_descriptor, i);

		d.name = g_intern_string(d.name ? d.name : "");
		d.feature = NULL;
		g_array_append_val(q->qemu_regs, d);
	}
	if (list)
		g_array_free(list, TRUE);
	q->regs_loaded = true;
	vs_debug("qemu: %u registers", q->qemu_regs->len);

	for (unsigned i = 0; i < atomic_load(&q->nregs); i++) {
		struct qemu_plugin_register *h =
			qemu_reg_lookup(q, q->regs[i].name);

		if (!h)
			vs_warn("qemu: this QEMU has no register '%s'",
				q->regs[i].name);
		atomic_store(&q->regs[i].handle, h);
	}
out:
	g_mutex_unlock(&q->reg_lock);
}

int vs_qemu_reg_id(struct vs_backend *be, const char *name, int *id)
{
	struct vs_qemu *q = vs_qemu_of(be);
	struct qemu_plugin_register *h = NULL;
	unsigned n;
	int ret = 0;

	if (!name || !*name || !id)
		return -EINVAL;
	g_mutex_lock(&q->reg_lock);
	n = atomic_load(&q->nregs);
	for (unsigned i = 0; i < n; i++) {
		if (strcmp(q->regs[i].name, name) == 0) {
			*id = (int)i;
			goto out;
		}
	}
	if (q->regs_loaded) {
		h = qemu_reg_lookup(q, name);
		if (!h) {
			ret = -ENOENT;
			goto out;
		}
	}
	if (n >= VS_QEMU_MAX_REGS) {
		ret = -ENOSPC;
		goto out;
	}
	q->regs[n].name = g_strdup(name);
	atomic_store(&q->regs[n].handle, h);
	atomic_store(&q->nregs, n + 1);   /* publish after the entry */
	*id = (int)n;
out:
	g_mutex_unlock(&q->reg_lock);
	return ret;
}

int vs_qemu_read_reg(struct vs_backend *be, unsigned vcpu, int id,
		     uint64_t *val)
{
	struct vs_qemu *q = vs_qemu_of(be);
	struct vs_qemu_vcpu *v = vs_qemu_vcpu_here(q, vcpu);
	struct qemu_plugin_register *h;
	uint64_t x = 0;
	int n;

	if (!v || !val || id < 0 || (unsigned)id >= atomic_load(&q->nregs))
		return -EINVAL;
	h = atomic_load(&q->regs[id].handle);
	if (!h) {
		v->reads_failed++;
		return -ENOENT;
	}
	g_byte_array_set_size(v->buf, 0);
	n = qemu_plugin_read_register(h, v->buf);
	if (n <= 0 || v->buf->len == 0) {
		v->reads_failed++;
		return -EFAULT;
	}
	/* x86 registers come little-endian; wider ones are cut to 64 bits. */
	memcpy(&x, v->buf->data, v->buf->len < 8 ? v->buf->len : 8);
	*val = GUINT64_FROM_LE(x);
	return 0;
}

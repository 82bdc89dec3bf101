// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * backend.c - the dispatch wrappers of backend.h.
 *
 * Each wrapper checks that the op exists and answers -EOPNOTSUPP when it
 * does not, so a missing capability is never mistaken for success. The
 * registry (vs_backend_list/find) is generated per binary from
 * registry.c.in, because the CLI and the QEMU plugin hold different
 * backends (see the root meson.build).
 */
#include "backend.h"

#include <errno.h>
#include <string.h>

void vs_backend_close(struct vs_backend *be)
{
	if (be && be->ops && be->ops->close)
		be->ops->close(be);
}

int vs_backend_reg_id(struct vs_backend *be, const char *name, int *id)
{
	if (!be->ops->reg_id)
		return -EOPNOTSUPP;
	return be->ops->reg_id(be, name, id);
}

int vs_backend_read_reg(struct vs_backend *be, unsigned vcpu, int id,
			uint64_t *val)
{
	if (!be->ops->read_reg)
		return -EOPNOTSUPP;
	return be->ops->read_reg(be, vcpu, id, val);
}

int vs_backend_read_va(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
		       uint64_t va, void *buf, size_t len)
{
	if (!be->ops->read_va)
		return -EOPNOTSUPP;
	if (dtb != VS_DTB_CURRENT && !vs_backend_has(be, VS_CAP_ANY_DTB))
		return -EOPNOTSUPP;
	return be->ops->read_va(be, vcpu, dtb, va, buf, len);
}

int vs_backend_read_pa(struct vs_backend *be, uint64_t pa, void *buf,
		       size_t len)
{
	if (!be->ops->read_pa)
		return -EOPNOTSUPP;
	return be->ops->read_pa(be, pa, buf, len);
}

int vs_backend_translate(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
			 uint64_t va, uint64_t *pa)
{
	if (!be->ops->translate)
		return -EOPNOTSUPP;
	return be->ops->translate(be, vcpu, dtb, va, pa);
}

int vs_backend_hook_add(struct vs_backend *be, uint64_t va, vs_hook_fn fn,
			void *opaque, int *hook_id)
{
	if (!be->ops->hook_add || !(be->ops->caps & VS_CAP_HOOKS))
		return -EOPNOTSUPP;
	return be->ops->hook_add(be, va, fn, opaque, hook_id);
}

int vs_backend_hook_del(struct vs_backend *be, int hook_id)
{
	if (!be->ops->hook_del)
		return -EOPNOTSUPP;
	return be->ops->hook_del(be, hook_id);
}

unsigned vs_backend_vcpu_count(struct vs_backend *be)
{
	return be->ops->vcpu_count ? be->ops->vcpu_count(be) : 0;
}

uint64_t vs_backend_clock_us(struct vs_backend *be)
{
	return be->ops->clock_us ? be->ops->clock_us(be) : 0;
}

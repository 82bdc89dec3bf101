// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * procmon_read.c - per-vCPU views of the Linux instance and path reads
 * for the procmon hooks (see procmon_read.h). A view copies struct vs_lx
 * by value and points its kernel reader at another vCPU; the pointers it
 * copies (kallsyms, BTF) stay owned by the original instance.
 */
#include "os/linux/procmon_read.h"

#include <errno.h>

#include <glib.h>

#include "os/linux/linux.h"

struct vs_os_inst *vs_lx_view_new(struct vs_os_inst *os, unsigned vcpu)
{
	struct vs_os_inst *view;
	struct vs_lx *lx;

	if (!os || os->ops != &vs_linux_os_ops)
		return NULL;
	lx = g_new(struct vs_lx, 1);
	*lx = *vs_lx_of(os);
	lx->km.vcpu = vcpu;
	lx->km.failures = 0;
	lx->km.memo = NULL;
	view = g_new0(struct vs_os_inst, 1);
	*view = *os;
	view->priv = lx;
	return view;
}

void vs_lx_view_free(struct vs_os_inst *view)
{
	if (!view)
		return;
	g_free(view->priv);   /* shallow: nothing inside is owned */
	g_free(view);
}

unsigned vs_lx_view_vcpu(struct vs_os_inst *os)
{
	return os && os->ops == &vs_linux_os_ops ? vs_lx_of(os)->km.vcpu : 0;
}

void vs_lx_view_memo(struct vs_os_inst *view, struct vs_gmem_memo *memo)
{
	if (view && view->ops == &vs_linux_os_ops)
		vs_lx_of(view)->km.memo = memo;
}

uint64_t vs_lx_view_failures(struct vs_os_inst *view)
{
	return view ? vs_lx_of(view)->km.failures : 0;
}

int vs_lx_view_path(struct vs_os_inst *view, uint64_t path_va, char *buf,
		    size_t cap, size_t *len, bool *truncated)
{
	if (!view || view->ops != &vs_linux_os_ops)
		return -EOPNOTSUPP;
	if (cap < 2)
		return -EINVAL;
	return vs_lx_path_read(vs_lx_of(view), path_va, buf, cap, len,
			       truncated);
}

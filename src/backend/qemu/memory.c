// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memory.c - guest virtual reads for the QEMU plugin backend.
 *
 * API v4 reads virtual memory only through the calling vCPU's current page
 * tables (qemu_plugin_read_memory_vaddr), so read_va accepts VS_DTB_CURRENT
 * only and only for the calling vCPU: user memory is readable in its own
 * process's context, kernel memory always. QEMU answers false for NULL,
 * non-canonical or unmapped addresses; that is -EFAULT here. Large reads go
 * in chunks through the vCPU's reusable buffer, so no read allocates on
 * the hot path and no guest-chosen length allocates without bound.
 * direct.c serves most reads first, from QEMU's own mapping of guest RAM,
 * with the same answers; whatever it cannot serve comes here.
 */
#include "priv.h"

#include <errno.h>
#include <string.h>

int vs_qemu_read_va(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
		    uint64_t va, void *buf, size_t len)
{
	struct vs_qemu *q = vs_qemu_of(be);
	struct vs_qemu_vcpu *v = vs_qemu_vcpu_here(q, vcpu);
	uint8_t *dst = buf;

	if (!v || (!buf && len))
		return -EINVAL;
	if (dtb != VS_DTB_CURRENT)
		return -EOPNOTSUPP;
	if (len == 0)
		return 0;
	if (va + (len - 1) < va) {        /* wraps past the top */
		v->reads_failed++;
		return -EFAULT;
	}
	if (vs_qemu_direct_read(q, v, vcpu, va, buf, len) == 0)
		return 0;
	while (len) {
		size_t n = len < VS_QEMU_READ_CHUNK ? len : VS_QEMU_READ_CHUNK;

		if (!qemu_plugin_read_memory_vaddr(va, v->buf, n) ||
		    v->buf->len != n) {
			v->reads_failed++;
			return -EFAULT;
		}
		memcpy(dst, v->buf->data, n);
		dst += n;
		va += n;
		len -= n;
	}
	return 0;
}

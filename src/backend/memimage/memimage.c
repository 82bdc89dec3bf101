// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * memimage.c - the "memimage" test backend (see memimage.h): a few
 * physical regions, a register file per vCPU, a stored hook table. The
 * clock is a counter that moves one microsecond per call, so tests get
 * distinct, predictable timestamps.
 */
#include "backend/memimage/memimage.h"

#include <errno.h>
#include <string.h>

#include <glib.h>

#include "backend/pagewalk.h"
#include "backend/x86regs.h"

struct region {
	uint64_t pa;
	size_t len;
	uint8_t *data;
};

struct hook {
	bool used;
	uint64_t va;
	vs_hook_fn fn;
	void *opaque;
};

struct memimage {
	struct region regions[VS_MEMIMAGE_MAX_REGIONS];
	unsigned nregions;
	unsigned nvcpus;
	uint64_t regs[VS_MEMIMAGE_MAX_VCPUS][VS_X86_NREGS];
	struct hook hooks[VS_MEMIMAGE_MAX_HOOKS];
	uint64_t clock;
};

static struct region *find_region(struct memimage *m, uint64_t pa)
{
	for (unsigned i = 0; i < m->nregions; i++)
		if (pa >= m->regions[i].pa && pa - m->regions[i].pa <
		    m->regions[i].len)
			return &m->regions[i];
	return NULL;
}

/* Copy between @buf and physical memory; @write picks the direction. */
static int pa_copy(struct memimage *m, uint64_t pa, void *buf, size_t len,
		   bool write)
{
	uint8_t *p = buf;

	while (len) {
		struct region *r = find_region(m, pa);
		size_t n;

		if (!r)
			return -EFAULT;
		n = r->len - (pa - r->pa);
		if (n > len)
			n = len;
		if (write)
			memcpy(r->data + (pa - r->pa), p, n);
		else
			memcpy(p, r->data + (pa - r->pa), n);
		p += n;
		pa += n;
		len -= n;
	}
	return 0;
}

static int mi_read_raw(void *opaque, uint64_t pa, void *buf, size_t len)
{
	return pa_copy(opaque, pa, buf, len, false);
}

int vs_memimage_new(unsigned nvcpus, struct vs_backend **out)
{
	struct vs_backend *be;

	if (nvcpus == 0 || nvcpus > VS_MEMIMAGE_MAX_VCPUS)
		return -EINVAL;
	be = g_new0(struct vs_backend, 1);
	be->ops = &vs_memimage_backend_ops;
	be->priv = g_new0(struct memimage, 1);
	((struct memimage *)be->priv)->nvcpus = nvcpus;
	*out = be;
	return 0;
}

int vs_memimage_add_region(struct vs_backend *be, uint64_t pa, size_t len)
{
	struct memimage *m = be->priv;

	if (!len || pa + len < pa)
		return -EINVAL;
	if (m->nregions >= VS_MEMIMAGE_MAX_REGIONS)
		return -E2BIG;
	for (unsigned i = 0; i < m->nregions; i++)
		if (pa < m->regions[i].pa + m->regions[i].len &&
		    m->regions[i].pa < pa + len)
			return -EINVAL;
	m->regions[m->nregions++] = (struct region){ pa, len, g_malloc0(len) };
	return 0;
}

int vs_memimage_write_pa(struct vs_backend *be, uint64_t pa, const void *buf,
			 size_t len)
{
	return pa_copy(be->priv, pa, (void *)buf, len, true);
}

int vs_memimage_set_reg(struct vs_backend *be, unsigned vcpu,
			const char *name, uint64_t val)
{
	struct memimage *m = be->priv;
	int id, rc = vs_x86_reg_lookup(name, &id);

	if (rc < 0)
		return rc;
	if (vcpu >= m->nvcpus)
		return -EINVAL;
	m->regs[vcpu][id] = val;
	return 0;
}

int vs_memimage_fire(struct vs_backend *be, unsigned vcpu, uint64_t va)
{
	struct memimage *m = be->priv;
	int n = 0;

	for (unsigned i = 0; i < VS_MEMIMAGE_MAX_HOOKS; i++) {
		struct hook *h = &m->hooks[i];
		struct vs_hook_ctx ctx = { be, vcpu, va, h->opaque };

		if (h->used && h->va == va) {
			h->fn(&ctx);
			n++;
		}
	}
	return n;
}

static int mi_walker(struct memimage *m, unsigned vcpu, uint64_t *dtb,
		     struct vs_pagewalk *pw)
{
	if (vcpu >= m->nvcpus)
		return -EINVAL;
	vs_pagewalk_for_vcpu(pw, mi_read_raw, m, m->regs[vcpu][VS_X86_CR3],
			     m->regs[vcpu][VS_X86_CR4], dtb);
	return 0;
}

static int mi_read_va(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
		      uint64_t va, void *buf, size_t len)
{
	struct vs_pagewalk pw;
	int rc = mi_walker(be->priv, vcpu, &dtb, &pw);

	return rc < 0 ? rc : vs_pagewalk_read(&pw, dtb, va, buf, len);
}

static int mi_translate(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
			uint64_t va, uint64_t *pa)
{
	struct vs_pagewalk pw;
	int rc = mi_walker(be->priv, vcpu, &dtb, &pw);

	return rc < 0 ? rc : vs_pagewalk_translate(&pw, dtb, va, pa, NULL);
}

static int mi_read_pa(struct vs_backend *be, uint64_t pa, void *buf,
		      size_t len)
{
	return pa_copy(be->priv, pa, buf, len, false);
}

static int mi_reg_id(struct vs_backend *be, const char *name, int *id)
{
	return vs_x86_reg_lookup(name, id);
}

static int mi_read_reg(struct vs_backend *be, unsigned vcpu, int id,
		       uint64_t *val)
{
	struct memimage *m = be->priv;

	if (vcpu >= m->nvcpus || id < 0 || id >= VS_X86_NREGS)
		return -EINVAL;
	*val = m->regs[vcpu][id];
	return 0;
}

static int mi_hook_add(struct vs_backend *be, uint64_t va, vs_hook_fn fn,
		       void *opaque, int *hook_id)
{
	struct memimage *m = be->priv;

	for (int i = 0; i < VS_MEMIMAGE_MAX_HOOKS; i++) {
		if (!m->hooks[i].used) {
			m->hooks[i] = (struct hook){ true, va, fn, opaque };
			*hook_id = i;
			return 0;
		}
	}
	return -ENOSPC;
}

static int mi_hook_del(struct vs_backend *be, int hook_id)
{
	struct memimage *m = be->priv;

	if (hook_id < 0 || hook_id >= VS_MEMIMAGE_MAX_HOOKS ||
	    !m->hooks[hook_id].used)
		return -ENOENT;
	m->hooks[hook_id].used = false;
	return 0;
}

static unsigned mi_vcpu_count(struct vs_backend *be)
{
	return ((struct memimage *)be->priv)->nvcpus;
}

static uint64_t mi_clock_us(struct vs_backend *be)
{
	return ++((struct memimage *)be->priv)->clock;
}

static void mi_close(struct vs_backend *be)
{
	struct memimage *m = be->priv;

	for (unsigned i = 0; i < m->nregions; i++)
		g_free(m->regions[i].data);
	g_free(m);
	g_free(be);
}

const struct vs_backend_ops vs_memimage_backend_ops = {
	.name = "memimage",
	.caps = VS_CAP_HOOKS | VS_CAP_PHYS | VS_CAP_ANY_DTB,
	.close = mi_close,
	.reg_id = mi_reg_id,
	.read_reg = mi_read_reg,
	.read_va = mi_read_va,
	.read_pa = mi_read_pa,
	.translate = mi_translate,
	.hook_add = mi_hook_add,
	.hook_del = mi_hook_del,
	.vcpu_count = mi_vcpu_count,
	.clock_us = mi_clock_us,
};

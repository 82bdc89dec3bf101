// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * gdb.c - the gdb backend's ops (gdb.h): opening the connection and the
 * RAM file, registers by name through the target description, memory
 * (shared file + page walker, the stub's physical mode + page walker, or
 * the stub's virtual reads), and hooks as breakpoints planted once.
 * Running the VM is loop.c's.
 */
#include "backend/gdb/priv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/log.h"

int64_t vs_gdb_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- registers ---- */

static int gdb_reg_id(struct vs_backend *be, const char *name, int *id)
{
	struct vs_gdb *g = vs_gdb_of(be);
	const struct vs_tdesc_reg *r;

	if (name && strcmp(name, "rflags") == 0)
		name = "eflags";
	r = vs_tdesc_find(&g->c->td, name);
	if (!r)
		return -ENOENT;
	*id = (int)(r - g->c->td.regs);
	return 0;
}

static int fill_regs(struct vs_gdb *g, unsigned vcpu)
{
	struct gdb_vcpu *v = &g->vcpus[vcpu];
	int rc;

	if (v->valid)
		return 0;
	rc = vs_gdb_select(g->c, (int)vcpu);
	if (rc == 0)
		rc = vs_gdb_read_g(g->c, v->g, sizeof(v->g), &v->glen);
	if (rc == 0)
		v->valid = true;
	return rc;
}

int vs_gdb_reg_read(struct vs_gdb *g, unsigned vcpu, int idx, uint64_t *val)
{
	const struct vs_tdesc_reg *r;
	size_t n;
	uint8_t buf[64];
	int rc;

	if (vcpu >= g->nvcpus || idx < 0 || (size_t)idx >= g->c->td.nregs)
		return -EINVAL;
	r = &g->c->td.regs[idx];
	n = r->bitsize / 8 < 8 ? r->bitsize / 8 : 8;
	rc = fill_regs(g, vcpu);
	if (rc < 0)
		return rc;
	*val = 0;
	if (r->g_off >= 0 && (size_t)r->g_off + r->bitsize / 8 <=
	    g->vcpus[vcpu].glen) {
		memcpy(val, g->vcpus[vcpu].g + r->g_off, n);  /* LE host */
		return 0;
	}
	if (r->bitsize / 8 > sizeof(buf))
		return -EINVAL;
	rc = vs_gdb_select(g->c, (int)vcpu);
	if (rc == 0)
		rc = vs_gdb_read_p(g->c, r->regnum, buf, r->bitsize / 8);
	if (rc == 0)
		memcpy(val, buf, n);
	return rc;
}

int vs_gdb_reg_write(struct vs_gdb *g, unsigned vcpu, int idx, uint64_t val)
{
	const struct vs_tdesc_reg *r = &g->c->td.regs[idx];
	struct gdb_vcpu *v = &g->vcpus[vcpu];
	int rc;

	if (r->bitsize != 64)
		return -EINVAL;
	rc = vs_gdb_select(g->c, (int)vcpu);
	if (rc == 0)
		rc = vs_gdb_write_p(g->c, r->regnum, (uint8_t *)&val, 8);
	if (rc == 0 && v->valid && r->g_off >= 0 &&
	    (size_t)r->g_off + 8 <= v->glen)
		memcpy(v->g + r->g_off, &val, 8);
	return rc;
}

static int gdb_read_reg(struct vs_backend *be, unsigned vcpu, int id,
			uint64_t *val)
{
	return vs_gdb_reg_read(vs_gdb_of(be), vcpu, id, val);
}

void vs_gdb_invalidate(struct vs_gdb *g)
{
	for (unsigned i = 0; i < g->nvcpus; i++)
		g->vcpus[i].valid = false;
	g_hash_table_remove_all(g->xlat);
	g_hash_table_remove_all(g->pages);
	g->c->g_thread = -1;
}

/* ---- memory ---- */

/* A guest-physical page through the stub, cached until the VM resumes:
 * a hook's reads and page walks touch few pages, many times. */
static const uint8_t *stub_page(struct vs_gdb *g, uint64_t page)
{
	uint8_t *buf = g_hash_table_lookup(g->pages, &page);
	uint64_t *key;

	if (buf)
		return buf;
	if (g_hash_table_size(g->pages) >= VS_GDB_PAGE_CACHE)
		g_hash_table_remove_all(g->pages);
	buf = g_malloc(0x1000);
	if (vs_gdb_read_mem(g->c, page, buf, 0x1000) < 0) {
		g_free(buf);
		return NULL;
	}
	key = g_new(uint64_t, 1);
	*key = page;
	g_hash_table_insert(g->pages, key, buf);
	return buf;
}

static int stub_read_pa(void *opaque, uint64_t pa, void *buf, size_t len)
{
	struct vs_gdb *g = opaque;
	uint8_t *out = buf;

	while (len) {
		size_t off = pa & 0xfff, n = 0x1000 - off;
		const uint8_t *page = stub_page(g, pa - off);

		if (!page)
			return -EFAULT;
		if (n > len)
			n = len;
		memcpy(out, page + off, n);
		out += n;
		pa += n;
		len -= n;
	}
	return 0;
}

static int read_pa_raw(void *opaque, uint64_t pa, void *buf, size_t len)
{
	struct vs_gdb *g = opaque;

	if (g->have_shm)
		return vs_ram_view_read(&g->shm.view, pa, buf, len);
	return stub_read_pa(g, pa, buf, len);
}

static int gdb_read_pa(struct vs_backend *be, uint64_t pa, void *buf,
		       size_t len)
{
	return read_pa_raw(vs_gdb_of(be), pa, buf, len);
}

static int walker(struct vs_gdb *g, unsigned vcpu, uint64_t *dtb,
		  struct vs_pagewalk *pw)
{
	uint64_t cr4 = 0;
	int rc;

	if (vcpu >= g->nvcpus)
		return -EINVAL;
	pw->read = read_pa_raw;
	pw->opaque = g;
	pw->flags = VS_PW_PTI;
	if (g->cr4 >= 0 && vs_gdb_reg_read(g, vcpu, g->cr4, &cr4) == 0 &&
	    (cr4 & VS_CR4_LA57))
		pw->flags |= VS_PW_LA57;
	if (*dtb == VS_DTB_CURRENT) {
		if (g->cr3 < 0)
			return -EOPNOTSUPP;
		rc = vs_gdb_reg_read(g, vcpu, g->cr3, dtb);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* Translation with a per-stop cache of 4 KiB page results. */
static int xlat(struct vs_gdb *g, const struct vs_pagewalk *pw, uint64_t dtb,
		uint64_t va, uint64_t *pa)
{
	uint64_t key = (dtb & VS_PTE_ADDR_MASK) ^ (va & ~0xfffull) ^
		       (va >> 52), page;
	gpointer hit;
	int rc;

	/* The key mixes dtb and page; a value stores both to check. */
	hit = g_hash_table_lookup(g->xlat, &key);
	if (hit) {
		uint64_t *e = hit;

		if (e[0] == dtb && e[1] == (va & ~0xfffull)) {
			*pa = e[2] | (va & 0xfff);
			return 0;
		}
	}
	rc = vs_pagewalk_translate(pw, dtb, va, pa, NULL);
	if (rc < 0 || g_hash_table_size(g->xlat) > 65536)
		return rc;
	page = *pa & ~0xfffull;
	{
		uint64_t *e = g_new(uint64_t, 4);

		e[0] = dtb;
		e[1] = va & ~0xfffull;
		e[2] = page;
		e[3] = key;
		g_hash_table_replace(g->xlat, &e[3], e);
	}
	return 0;
}

static int gdb_read_va(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
		       uint64_t va, void *buf, size_t len)
{
	struct vs_gdb *g = vs_gdb_of(be);
	struct vs_pagewalk pw;
	uint8_t *out = buf;
	int rc;

	if (!g->have_shm && !g->phys_stub) {
		if (dtb != VS_DTB_CURRENT)
			return -EOPNOTSUPP;
		if (vcpu >= g->nvcpus)
			return -EINVAL;
		rc = vs_gdb_select(g->c, (int)vcpu);
		return rc < 0 ? rc : vs_gdb_read_mem(g->c, va, buf, len);
	}
	rc = walker(g, vcpu, &dtb, &pw);
	while (rc == 0 && len) {
		size_t n = 0x1000 - (va & 0xfff);
		uint64_t pa;

		if (n > len)
			n = len;
		rc = xlat(g, &pw, dtb, va, &pa);
		if (rc == 0)
			rc = read_pa_raw(g, pa, out, n);
		out += n;
		va += n;
		len -= n;
	}
	return rc;
}

static int gdb_translate(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
			 uint64_t va, uint64_t *pa)
{
	struct vs_gdb *g = vs_gdb_of(be);
	struct vs_pagewalk pw;
	int rc = walker(g, vcpu, &dtb, &pw);

	return rc < 0 ? rc : xlat(g, &pw, dtb, va, pa);
}

/* ---- hooks ---- */

int vs_gdb_plant(struct vs_gdb *g, struct gdb_site *s, bool insert)
{
	int rc = vs_gdb_break(g->c, insert, g->bp_type, s->addr);

	if (rc == 0) {
		s->planted = insert;
		if (insert)
			g->st.planted++;
		else
			g->st.planted--;
	}
	return rc;
}

/* Bytes at @addr to a step-over length: 5 for ftrace's NOP, 4 for
 * endbr64, 0 for anything else (single-step). */
static unsigned emu_len(const uint8_t b[5])
{
	static const uint8_t nop5[5] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };
	static const uint8_t endbr[4] = { 0xf3, 0x0f, 0x1e, 0xfa };

	if (memcmp(b, nop5, 5) == 0)
		return 5;
	return memcmp(b, endbr, 4) == 0 ? 4 : 0;
}

/* How to step over the first instruction at @s (read before planting:
 * a software breakpoint under KVM writes int3 into guest memory). */
static void classify(struct vs_gdb *g, struct gdb_site *s)
{
	uint8_t b[5];

	s->emu_len = 0;
	if (gdb_read_va(&g->be, 0, VS_DTB_CURRENT, s->addr, b, 5) == 0)
		s->emu_len = emu_len(b);
}

int vs_gdb_recheck(struct vs_gdb *g, unsigned vcpu, struct gdb_site *s)
{
	uint8_t b[5];

	/* The kernel may have patched the site since (ftrace turning the
	 * NOP into a call): never skip an instruction that is not a NOP.
	 * An int3 there is our own breakpoint (KVM): keep what we saw. */
	if (gdb_read_va(&g->be, vcpu, VS_DTB_CURRENT, s->addr, b, 5) < 0)
		return -EFAULT;
	if (b[0] != 0xcc)
		s->emu_len = emu_len(b);
	return 0;
}

static int new_site(struct vs_gdb *g, uint64_t va, unsigned *idx)
{
	struct gdb_site s = { .addr = va };
	uint64_t *key;

	if (g->sites->len >= VS_GDB_MAX_SITES)
		return -ENOSPC;
	classify(g, &s);
	g_array_append_val(g->sites, s);
	*idx = g->sites->len - 1;
	key = g_new(uint64_t, 1);
	*key = va;
	g_hash_table_insert(g->by_addr, key, GUINT_TO_POINTER(*idx + 1));
	return 0;
}

static int gdb_hook_add(struct vs_backend *be, uint64_t va, vs_hook_fn fn,
			void *opaque, int *hook_id)
{
	struct vs_gdb *g = vs_gdb_of(be);
	struct gdb_hook h = { .fn = fn, .opaque = opaque, .live = true };
	struct gdb_site *s;
	unsigned idx;
	int rc;

	if (!fn || g->running)
		return -EINVAL;
	idx = GPOINTER_TO_UINT(g_hash_table_lookup(g->by_addr, &va));
	if (idx) {
		idx--;
	} else {
		rc = new_site(g, va, &idx);
		if (rc < 0)
			return rc;
	}
	s = &g_array_index(g->sites, struct gdb_site, idx);
	if (!s->planted) {
		if (g->bp_type == 1 && g->st.planted >= VS_GDB_HW_SLOTS) {
			g->st.no_slot++;
			return -ENOSPC;
		}
		rc = vs_gdb_plant(g, s, true);
		if (rc < 0)
			return rc;
	}
	s->live++;
	h.site = idx;
	g_array_append_val(g->hooks, h);
	if (hook_id)
		*hook_id = (int)g->hooks->len - 1;
	return 0;
}

static int gdb_hook_del(struct vs_backend *be, int hook_id)
{
	struct vs_gdb *g = vs_gdb_of(be);
	struct gdb_hook *h;
	struct gdb_site *s;

	if (hook_id < 0 || (unsigned)hook_id >= g->hooks->len)
		return -ENOENT;
	h = &g_array_index(g->hooks, struct gdb_hook, hook_id);
	if (!h->live)
		return -ENOENT;
	h->live = false;
	s = &g_array_index(g->sites, struct gdb_site, h->site);
	/* Lift the breakpoint with its last hook (the VM is stopped: hooks
	 * are only changed from set-up or from hook callbacks). */
	if (--s->live == 0 && s->planted && !g->running)
		return vs_gdb_plant(g, s, false);
	return 0;
}

static unsigned gdb_vcpu_count(struct vs_backend *be)
{
	return vs_gdb_of(be)->nvcpus;
}

static uint64_t gdb_clock_us(struct vs_backend *be)
{
	gint64 t = g_get_real_time();

	return t > 0 ? (uint64_t)t : 0;
}

static void gdb_close(struct vs_backend *be)
{
	struct vs_gdb *g = vs_gdb_of(be);

	vs_gdb_close(g->c);
	if (g->have_shm)
		vs_gdb_shm_close(&g->shm);
	g_array_free(g->sites, TRUE);
	g_array_free(g->hooks, TRUE);
	g_hash_table_destroy(g->by_addr);
	g_hash_table_destroy(g->xlat);
	g_hash_table_destroy(g->pages);
	g_free(g->vcpus);
	g_free(g);
}

#define GDB_OPS(sym, capbits, pa, tr) \
const struct vs_backend_ops sym = { \
	.name = "gdb", .caps = (capbits), .close = gdb_close, \
	.reg_id = gdb_reg_id, .read_reg = gdb_read_reg, \
	.read_va = gdb_read_va, .read_pa = (pa), .translate = (tr), \
	.hook_add = gdb_hook_add, .hook_del = gdb_hook_del, \
	.vcpu_count = gdb_vcpu_count, .clock_us = gdb_clock_us, \
}

/* With physical memory (RAM file or the stub's physical mode). */
GDB_OPS(vs_gdb_backend_ops, VS_CAP_LIVE | VS_CAP_HOOKS | VS_CAP_PHYS |
	VS_CAP_ANY_DTB, gdb_read_pa, gdb_translate);
/* Virtual reads through the current CR3 only. */
GDB_OPS(vs_gdb_va_backend_ops, VS_CAP_LIVE | VS_CAP_HOOKS, NULL, NULL);

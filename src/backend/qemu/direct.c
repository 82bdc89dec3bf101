// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * direct.c - guest virtual reads straight from QEMU's mapping of guest RAM
 * (direct_ram=on, the default), instead of qemu_plugin_read_memory_vaddr,
 * whose debug page walk costs ~0.5-1 us per call.
 *
 * The plugin lives in QEMU's process, and pc/q35 guest RAM below 2 GiB is
 * one block mapped at offset = physical address. The command line is not
 * touched: the block is found among our own mappings (ramfind.c) and
 * trusted only after proof, at the first read inside a callback: walking
 * the guest's page tables (CR3) inside a candidate must give, for several
 * live addresses (RIP, RSP, GS base), the very bytes QEMU's API reads
 * there. Exactly one candidate must pass; else reads stay on the API and
 * one warning says why. After that:
 *   - a read is served here only when every page translates, through the
 *     current CR3 alone (no PTI retry: QEMU reads through CR3 as it is),
 *     to a PA below min(block length, 2 GiB) and outside the legacy
 *     VGA/ROM window (0xa0000-0xfffff); anything else goes to the API.
 *     Answers differ from the API's only where a hostile guest maps
 *     what QEMU itself refuses or hides (reserved PTE bits, q35's TSEG):
 *     there the fast path gives the guest RAM bytes beneath, never
 *     anything outside guest RAM;
 *   - the first 256 reads of each vCPU and 1 in 256 after are compared
 *     with the API (direct_checks); a difference that survives two
 *     re-reads (another vCPU may be writing) turns the fast path off for
 *     good with a warning (direct_mismatches); debug_direct_skew=N, a
 *     test aid, corrupts every direct read after N so that tests can
 *     watch this happen (tests/integration/test_direct_ram.py);
 *   - CR3 and CR4 are read once per callback (vs_qemu_cb_gen), and the
 *     pages (4 KiB, 2 MiB, 1 GiB) the callback's walks found are cached
 *     per vCPU for that callback only (VS_QEMU_TLB).
 * Guest page tables are hostile: the walker is bounded, and no read
 * leaves [base, base + limit).
 */
#include "priv.h"

#include <errno.h>
#include <string.h>

#include "backend/pagewalk.h"
#include "backend/ramview.h"
#include "backend/qemu/ramfind.h"
#include "common/log.h"
#include "common/readfile.h"

#define MAX_CANDS     32
#define MAX_ATTEMPTS  64         /* callbacks with too few readable probes */
#define MAPS_MAX      (4u << 20)
#define FIRST_CHECKS  256
#define CHECK_EVERY   256        /* a power of two */
#define CHECK_MAX     4096       /* bytes compared per check */
#define NPROBES       6
/* VGA window and ROMs overlay RAM there in the address space. */
#define LEGACY_HOLE   0xa0000ull
#define LEGACY_END    0x100000ull

/*
 * Under AddressSanitizer (scripts/sanitize runs the plugin so inside
 * QEMU) ASan's own shadow is among our mappings: large, anonymous,
 * writable, a candidate like any other. Reading it through ASan's checked
 * memcpy looks up the shadow of the shadow, which is ASan's unmapped gap:
 * a crash. Its x86-64 layout keeps all of it below 0x10007fff8000, and
 * QEMU's RAM never lands there, so sanitizer builds skip that range.
 */
#if defined(__SANITIZE_ADDRESS__)
#define VS_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VS_ASAN 1
#endif
#endif

static bool asan_shadow(uint64_t start)
{
#ifdef VS_ASAN
	return start < 0x10007fff8000ull;
#else
	(void)start;
	return false;
#endif
}

void vs_qemu_direct_setup(struct vs_qemu *q, bool on)
{
	struct vs_qemu_direct *d = &q->direct;

	if (!on ||
	    vs_qemu_reg_id(&q->be, "cr3", &d->cr3_id) < 0 ||
	    vs_qemu_reg_id(&q->be, "cr4", &d->cr4_id) < 0 ||
	    vs_qemu_reg_id(&q->be, "rip", &d->rip_id) < 0 ||
	    vs_qemu_reg_id(&q->be, "rsp", &d->rsp_id) < 0 ||
	    vs_qemu_reg_id(&q->be, "gs_base", &d->gs_id) < 0) {
		atomic_store(&d->state, VS_QEMU_DIRECT_OFF);
		return;
	}
	atomic_store(&d->state, VS_QEMU_DIRECT_PENDING);
}

/* CR3/CR4 of the current callback: false when unreadable. */
static bool callback_regs(struct vs_qemu *q, struct vs_qemu_vcpu *v,
			  unsigned vcpu)
{
	uint64_t cr4;

	if (v->dgen == vs_qemu_cb_gen)
		return v->regs_ok;
	v->dgen = vs_qemu_cb_gen;
	memset(v->tlb_va, 0, sizeof(v->tlb_va));
	v->regs_ok = vs_qemu_read_reg(&q->be, vcpu, q->direct.cr3_id,
				      &v->cr3) == 0 &&
		     vs_qemu_read_reg(&q->be, vcpu, q->direct.cr4_id,
				      &cr4) == 0;
	if (v->regs_ok)
		v->pwflags = (cr4 & VS_CR4_LA57) ? VS_PW_LA57 : 0;
	return v->regs_ok;
}

/* /proc/self/maps into a bounded buffer (g_free it); NULL on error. */
static char *read_maps(size_t *len)
{
	char *buf = g_malloc(MAPS_MAX);
	ssize_t n = vs_read_path("/proc/self/maps", buf, MAPS_MAX);

	if (n < 0) {
		g_free(buf);
		return NULL;
	}
	*len = (size_t)n;
	return buf;
}

/* Reference bytes from QEMU's API at a few live addresses. */
static size_t collect_probes(struct vs_qemu *q, struct vs_qemu_vcpu *v,
			     unsigned vcpu, struct vs_ram_probe *pr)
{
	struct vs_qemu_direct *d = &q->direct;
	uint64_t rip = 0, rsp = 0, gs = 0, va[NPROBES];
	size_t n = 0;

	vs_qemu_read_reg(&q->be, vcpu, d->rip_id, &rip);
	vs_qemu_read_reg(&q->be, vcpu, d->rsp_id, &rsp);
	vs_qemu_read_reg(&q->be, vcpu, d->gs_id, &gs);
	va[0] = rip;
	va[1] = rip & ~0xfffull;
	va[2] = rsp & ~63ull;
	va[3] = (rsp & ~0xfffull) + 0x1000 - VS_RAMFIND_PROBE;
	va[4] = gs;
	va[5] = gs + 0x1000;
	for (size_t i = 0; i < NPROBES; i++) {
		if (!va[i] ||
		    !qemu_plugin_read_memory_vaddr(va[i], v->buf,
						   VS_RAMFIND_PROBE) ||
		    v->buf->len != VS_RAMFIND_PROBE)
			continue;
		pr[n].va = va[i];
		memcpy(pr[n].bytes, v->buf->data, VS_RAMFIND_PROBE);
		n++;
	}
	return n;
}

static void give_up(struct vs_qemu_direct *d, const char *why, size_t n)
{
	atomic_store_explicit(&d->state, VS_QEMU_DIRECT_OFF,
			      memory_order_release);
	vs_warn("qemu: direct guest RAM reads off (%s%s%zu): using QEMU's "
		"memory API (slower)", why, n ? ", candidates " : "", n);
}

/* d->lock held, state PENDING: find and prove the RAM mapping. */
static void try_enable(struct vs_qemu *q, struct vs_qemu_vcpu *v,
		       unsigned vcpu)
{
	struct vs_qemu_direct *d = &q->direct;
	struct vs_ram_probe pr[NPROBES];
	struct vs_ram_cand cand[MAX_CANDS];
	size_t np, nc, len = 0, found = 0, pick = 0;
	char *maps;

	if (!callback_regs(q, v, vcpu))
		return;
	np = collect_probes(q, v, vcpu, pr);
	if (np < 3) {
		if (++d->attempts >= MAX_ATTEMPTS)
			give_up(d, "too few readable addresses to verify", 0);
		return;
	}
	maps = read_maps(&len);
	if (!maps) {
		give_up(d, "cannot read /proc/self/maps", 0);
		return;
	}
	nc = vs_ramfind_maps(maps, len, VS_RAMFIND_MIN_LEN, cand, MAX_CANDS);
	g_free(maps);
	for (size_t i = 0; i < nc; i++) {
		uint64_t lim = cand[i].len < VS_RAMFIND_MAX_LIMIT ?
			       cand[i].len : VS_RAMFIND_MAX_LIMIT;
		int r;

		if (asan_shadow(cand[i].start))
			continue;
		r = vs_ramfind_verify((const uint8_t *)(uintptr_t)
					  cand[i].start, lim, v->cr3,
					  v->pwflags, pr, np);

		if (r)
			vs_debug("qemu: RAM candidate 0x%llx, %llu MiB: %s",
				 (unsigned long long)cand[i].start,
				 (unsigned long long)(cand[i].len >> 20),
				 r < 0 ? "different bytes" : "matches");
		if (r >= 2) {
			found++;
			pick = i;
		}
	}
	if (found != 1) {
		give_up(d, found ? "more than one mapping looks like guest RAM"
			: "no mapping verified as guest RAM", nc);
		return;
	}
	d->base = (const uint8_t *)(uintptr_t)cand[pick].start;
	d->limit = cand[pick].len < VS_RAMFIND_MAX_LIMIT ?
		   cand[pick].len : VS_RAMFIND_MAX_LIMIT;
	atomic_store_explicit(&d->state, VS_QEMU_DIRECT_ON,
			      memory_order_release);
	vs_debug("qemu: direct guest RAM reads on: %llu MiB mapping, %zu of "
		 "%zu candidates, %zu addresses verified",
		 (unsigned long long)(cand[pick].len >> 20), found, nc, np);
}

static bool usable(struct vs_qemu *q, struct vs_qemu_vcpu *v, unsigned vcpu)
{
	struct vs_qemu_direct *d = &q->direct;
	int st = atomic_load_explicit(&d->state, memory_order_acquire);

	if (st == VS_QEMU_DIRECT_PENDING) {
		g_mutex_lock(&d->lock);
		if (atomic_load(&d->state) == VS_QEMU_DIRECT_PENDING)
			try_enable(q, v, vcpu);
		g_mutex_unlock(&d->lock);
		st = atomic_load_explicit(&d->state, memory_order_acquire);
	}
	return st == VS_QEMU_DIRECT_ON;
}

/* The PA of @page (4 KiB aligned) through this callback's CR3. The
 * cache keeps whole pages as the walk found them: kernel data sits in
 * the direct map's 2 MiB or 1 GiB pages, so one walk serves most of a
 * callback's reads (tasks, mm, files, dentries). */
static int translate(struct vs_qemu *q, struct vs_qemu_vcpu *v,
		     uint64_t page, uint64_t *pa)
{
	struct vs_ram_view view = { q->direct.base, q->direct.limit,
				    q->direct.limit };
	struct vs_pagewalk pw = { vs_ram_view_read, &view, v->pwflags };
	uint64_t full, psz;
	unsigned slot;

	for (unsigned i = 0; i < VS_QEMU_TLB; i++) {
		if (((page & ~v->tlb_mask[i]) | 1) == v->tlb_va[i]) {
			*pa = v->tlb_pa[i] + (page & v->tlb_mask[i]);
			return 0;
		}
	}
	if (vs_pagewalk_translate(&pw, v->cr3, page, &full, &psz) < 0)
		return -EFAULT;
	if (psz != 0x1000 && psz != (1ull << 21) && psz != (1ull << 30))
		psz = 0x1000;
	*pa = full & ~0xfffull;
	slot = v->tlb_next++ % VS_QEMU_TLB;
	v->tlb_mask[slot] = psz - 1;
	v->tlb_va[slot] = (page & ~(psz - 1)) | 1;
	/* The walker's own arithmetic: base + offset in the page. */
	v->tlb_pa[slot] = full - (page & (psz - 1));
	return 0;
}

static int fast_copy(struct vs_qemu *q, struct vs_qemu_vcpu *v, uint64_t va,
		     uint8_t *dst, size_t len)
{
	const struct vs_qemu_direct *d = &q->direct;
	uint8_t *first = dst;
	bool skew = d->skew_after && v->direct_reads >= d->skew_after && len;

	while (len) {
		uint64_t off = va & 0xfff, pa;
		size_t n = 0x1000 - off < len ? 0x1000 - off : len;

		if (translate(q, v, va & ~0xfffull, &pa) < 0 ||
		    pa >= d->limit || off + n > d->limit - pa ||
		    (pa >= LEGACY_HOLE && pa < LEGACY_END))
			return -EFAULT;
		memcpy(dst, d->base + pa + off, n);
		dst += n;
		va += n;
		len -= n;
	}
	/* debug_direct_skew= (a test aid): a wrong RAM mapping, every time,
	 * re-reads included, so only the cross-check can catch it. */
	if (skew)
		first[0] ^= 0x5a;
	return 0;
}

/* Compare the first bytes of a fast read with the API: 0 when they agree
 * (maybe on a re-read: another vCPU may be writing; @buf then holds the
 * API's bytes), -EAGAIN when a re-read cannot translate any more (the
 * tables changed: the caller asks the API), -EIO when they keep
 * differing: the fast path is then off for good. */
static int cross_check(struct vs_qemu *q, struct vs_qemu_vcpu *v,
		       uint64_t va, uint8_t *buf, size_t len)
{
	size_t n = len < CHECK_MAX ? len : CHECK_MAX;
	uint8_t again[CHECK_MAX];

	v->direct_checks++;
	for (int tries = 0; tries < 3; tries++) {
		const uint8_t *mine = buf;

		if (tries) {
			memset(v->tlb_va, 0, sizeof(v->tlb_va));
			if (fast_copy(q, v, va, again, n) < 0)
				return -EAGAIN;
			mine = again;
		}
		if (qemu_plugin_read_memory_vaddr(va, v->buf, n) &&
		    v->buf->len == n && memcmp(mine, v->buf->data, n) == 0) {
			if (tries)
				memcpy(buf, v->buf->data, n);
			return 0;
		}
	}
	v->direct_mismatches++;
	if (atomic_exchange(&q->direct.state, VS_QEMU_DIRECT_OFF) ==
	    VS_QEMU_DIRECT_ON)
		vs_warn("qemu: a direct guest RAM read at 0x%016llx differed "
			"from QEMU's; direct reads off for the rest of the run",
			(unsigned long long)va);
	return -EIO;
}

int vs_qemu_direct_read(struct vs_qemu *q, struct vs_qemu_vcpu *v,
			unsigned vcpu, uint64_t va, void *buf, size_t len)
{
	if (!usable(q, v, vcpu))
		return -EAGAIN;
	if (!callback_regs(q, v, vcpu) || fast_copy(q, v, va, buf, len) < 0) {
		v->direct_fallbacks++;
		return -EAGAIN;
	}
	if ((v->direct_checks < FIRST_CHECKS ||
	     ((v->direct_reads + 1) & (CHECK_EVERY - 1)) == 0) &&
	    cross_check(q, v, va, buf, len) < 0) {
		v->direct_fallbacks++;
		return -EAGAIN;
	}
	v->direct_reads++;
	return 0;
}

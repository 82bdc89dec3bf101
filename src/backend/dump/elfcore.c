// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * elfcore.c - QEMU dump-guest-memory ELF core parser (see elfcore.h for the
 * layouts). Only PT_LOAD and the QEMU CPU-state notes are used: the
 * CORE/NT_PRSTATUS notes carry no control registers.
 */
#include "backend/dump/elfcore.h"

#include <elf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#define QCS_MIN_SIZE    432     /* through cr[4] */
#define QCS_KGS_SIZE    440     /* with kernel_gs_base */

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static void cpu_regs(const uint8_t *d, uint32_t size, uint64_t *r)
{
	static const int gpr[16] = {
		VS_X86_RAX, VS_X86_RBX, VS_X86_RCX, VS_X86_RDX,
		VS_X86_RSI, VS_X86_RDI, VS_X86_RSP, VS_X86_RBP,
		VS_X86_R8, VS_X86_R9, VS_X86_R10, VS_X86_R11,
		VS_X86_R12, VS_X86_R13, VS_X86_R14, VS_X86_R15,
	};

	for (int i = 0; i < 16; i++)
		r[gpr[i]] = rd64(d + 8 + 8 * i);
	r[VS_X86_RIP] = rd64(d + 136);
	r[VS_X86_RFLAGS] = rd64(d + 144);
	r[VS_X86_CS] = rd32(d + 152);
	r[VS_X86_FS_BASE] = rd64(d + 152 + 3 * 24 + 16);
	r[VS_X86_GS_BASE] = rd64(d + 152 + 4 * 24 + 16);
	r[VS_X86_SS] = rd32(d + 152 + 5 * 24);
	r[VS_X86_CR0] = rd64(d + 392);
	r[VS_X86_CR2] = rd64(d + 408);
	r[VS_X86_CR3] = rd64(d + 416);
	r[VS_X86_CR4] = rd64(d + 424);
	r[VS_X86_K_GS_BASE] = size >= QCS_KGS_SIZE ? rd64(d + 432) : 0;
}

/* Walk one PT_NOTE segment; append a register set per QEMU/0 note. */
static int parse_notes(const uint8_t *p, uint64_t len, GArray *cpus)
{
	uint64_t off = 0;

	while (off + 12 <= len) {
		uint32_t namesz = rd32(p + off), descsz = rd32(p + off + 4);
		uint32_t type = rd32(p + off + 8);
		uint64_t name_off = off + 12;
		uint64_t desc_off = name_off + (((uint64_t)namesz + 3) & ~3ull);
		uint64_t next = desc_off + (((uint64_t)descsz + 3) & ~3ull);

		if (next > len)
			return -EPROTO;
		if (type == 0 && namesz == 5 &&
		    memcmp(p + name_off, "QEMU", 5) == 0) {
			const uint8_t *d = p + desc_off;
			uint64_t r[VS_X86_NREGS] = { 0 };

			if (descsz < QCS_MIN_SIZE || rd32(d) != 1 ||
			    rd32(d + 4) > descsz || rd32(d + 4) < QCS_MIN_SIZE)
				return -EPROTO;
			if (cpus->len >= VS_ELFCORE_MAX_VCPUS)
				return -E2BIG;
			cpu_regs(d, rd32(d + 4), r);
			g_array_append_vals(cpus, r, 1);
		}
		off = next;
	}
	return 0;
}

static int cmp_range(const void *a, const void *b)
{
	const struct vs_elfcore_range *x = a, *y = b;

	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

static int check_ehdr(const uint8_t *buf, size_t len, const Elf64_Ehdr *eh)
{
	if (len < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_type != ET_CORE ||
	    eh->e_machine != EM_X86_64 ||
	    eh->e_phentsize != sizeof(Elf64_Phdr))
		return -EPROTO;
	/* Two steps: e_phoff near 2^64 must not wrap the sum. */
	if (eh->e_phoff > len ||
	    (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > len - eh->e_phoff)
		return -EPROTO;
	(void)buf;
	return 0;
}

int vs_elfcore_parse(const uint8_t *buf, size_t len, struct vs_elfcore *out)
{
	Elf64_Ehdr eh;
	GArray *cpus = g_array_new(FALSE, TRUE, sizeof(uint64_t[VS_X86_NREGS]));
	GArray *rng = g_array_new(FALSE, TRUE, sizeof(struct vs_elfcore_range));
	int rc;

	memset(out, 0, sizeof(*out));
	if (len >= sizeof(eh))
		memcpy(&eh, buf, sizeof(eh));
	rc = check_ehdr(buf, len, &eh);
	for (unsigned i = 0; rc == 0 && i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, buf + eh.e_phoff + i * sizeof(ph), sizeof(ph));
		if (ph.p_offset > len || ph.p_filesz > len - ph.p_offset) {
			rc = -EPROTO;
		} else if (ph.p_type == PT_NOTE) {
			rc = parse_notes(buf + ph.p_offset, ph.p_filesz, cpus);
		} else if (ph.p_type == PT_LOAD && ph.p_filesz) {
			struct vs_elfcore_range r = {
				ph.p_paddr, ph.p_filesz, ph.p_offset };

			if (ph.p_paddr + ph.p_filesz < ph.p_paddr)
				rc = -EPROTO;
			else if (rng->len >= VS_ELFCORE_MAX_RANGES)
				rc = -E2BIG;
			else
				g_array_append_val(rng, r);
		}
	}
	if (rc == 0 && (rng->len == 0 || cpus->len == 0))
		rc = -EPROTO;
	out->nranges = rng->len;
	out->nvcpus = cpus->len;
	out->ranges = (void *)g_array_free(rng, FALSE);
	out->regs = (void *)g_array_free(cpus, FALSE);
	if (rc < 0) {
		vs_elfcore_free(out);
		return rc;
	}
	qsort(out->ranges, out->nranges, sizeof(*out->ranges), cmp_range);
	return 0;
}

void vs_elfcore_free(struct vs_elfcore *c)
{
	g_free(c->ranges);
	g_free(c->regs);
	memset(c, 0, sizeof(*c));
}

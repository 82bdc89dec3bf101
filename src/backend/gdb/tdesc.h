/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tdesc.h - the register list of a GDB target description (the XML a stub
 * serves through qXfer:features:read), so the client never hard-codes the
 * `g` packet layout or `p`/`P` register numbers: they changed between
 * QEMU 7.2 and 10.0.
 *
 * Only <reg> elements (name, bitsize, regnum) and <xi:include href=...>
 * are read; everything else is skipped. A register's number is its regnum
 * attribute, else one more than the previous register's (GDB's rule), in
 * document order with includes expanded where they appear. The `g` packet
 * carries registers 0, 1, 2, ... back to back (little-endian, bitsize / 8
 * bytes each) for as long as the numbers are contiguous; what the stub
 * actually sends is bounded by its reply length, checked by the caller.
 */
#ifndef VS_BACKEND_GDB_TDESC_H
#define VS_BACKEND_GDB_TDESC_H

#include <stddef.h>
#include <stdint.h>

#define VS_TDESC_MAX_REGS 512
#define VS_TDESC_NAME 32

struct vs_tdesc_reg {
	char name[VS_TDESC_NAME];
	unsigned bitsize;
	unsigned regnum;
	long g_off;           /* byte offset in the `g` reply, -1 if not in it */
};

struct vs_tdesc {
	struct vs_tdesc_reg regs[VS_TDESC_MAX_REGS];
	size_t nregs;
	unsigned next_regnum;
	size_t g_len;         /* bytes of the contiguous prefix */
	int depth, nincludes;
};

/* Fetch an included document (e.g. "i386-64bit.xml"): 0 and a g_malloc'd
 * NUL-terminated text in *out, or -errno. */
typedef int (*vs_tdesc_fetch_fn)(void *opaque, const char *name, char **out,
				 size_t *len);

/**
 * vs_tdesc_parse() - add the registers of @xml (and its includes) to @td.
 * @td must be zeroed before the first call. Returns 0, -EINVAL (malformed
 * reg element, duplicate regnum, bitsize not a multiple of 8 or > 512),
 * -E2BIG (too many registers, includes nested too deep or too many).
 */
int vs_tdesc_parse(struct vs_tdesc *td, const char *xml, size_t len,
		   vs_tdesc_fetch_fn fetch, void *opaque);

/* Compute g_off/g_len after parsing. */
void vs_tdesc_layout(struct vs_tdesc *td);

/* The register called @name, or NULL. */
const struct vs_tdesc_reg *vs_tdesc_find(const struct vs_tdesc *td,
					 const char *name);

#endif /* VS_BACKEND_GDB_TDESC_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ramview.h - guest-physical reads from one host mapping of QEMU's RAM
 * block, the one way the tree reads guest RAM it holds in its own address
 * space: the QEMU plugin's direct reads (qemu/direct.c, the block found
 * among QEMU's mappings) and attach's shared memory-backend file
 * (gdb/shm.c). The block holds RAM in the order QEMU allocated it: the
 * first @low bytes at physical address 0, the rest from 4 GiB (QEMU's x86
 * split around the PCI hole; low == size when there is none). The page
 * walker (pagewalk.h) reads page tables through vs_ram_view_read().
 * Every read stays inside [base, base + size), whatever the address.
 */
#ifndef VS_BACKEND_RAMVIEW_H
#define VS_BACKEND_RAMVIEW_H

#include <stddef.h>
#include <stdint.h>

struct vs_ram_view {
	const uint8_t *base;
	uint64_t size;        /* bytes of RAM in the mapping */
	uint64_t low;         /* of which at PA 0 (<= size) */
};

/* Offset in the mapping of @pa: 0, or -EFAULT in the hole or past RAM. */
int vs_ram_view_offset(const struct vs_ram_view *v, uint64_t pa,
		       uint64_t *off);

/* Physical read (vs_pa_read_fn shape, @view a struct vs_ram_view): 0,
 * or -EFAULT when any byte is outside RAM. */
int vs_ram_view_read(void *view, uint64_t pa, void *buf, size_t len);

#endif /* VS_BACKEND_RAMVIEW_H */

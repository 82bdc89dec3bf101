/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * shm.h - guest RAM read straight from QEMU's shared memory-backend file
 * (`-object memory-backend-file,id=ram0,size=<-m>,mem-path=FILE,share=on
 * -machine memory-backend=ram0`), mapped read-only.
 *
 * The file holds RAM in the order QEMU allocated it, which is physical
 * order only below the PCI hole. QEMU's x86 machines split RAM when it is
 * large (facts of hw/i386/pc_piix.c and pc_q35.c, default options):
 *   pc   (i440fx, QEMU's default machine): RAM >= 3.5 GiB keeps 3 GiB
 *        below 4 GiB (gigabyte-aligned split), the rest from 4 GiB;
 *        smaller RAM is all below 3.5 GiB, no split.
 *   q35: RAM >= 2.75 GiB keeps 2 GiB below 4 GiB, the rest from 4 GiB;
 *        smaller RAM is all below 2.75 GiB, no split.
 * So guests of 2 GiB or less read the same under either layout. A
 * machine started with max-ram-below-4g is not described here.
 */
#ifndef VS_BACKEND_GDB_SHM_H
#define VS_BACKEND_GDB_SHM_H

#include <stddef.h>
#include <stdint.h>

#include "backend/ramview.h"

enum vs_gdb_layout { VS_GDB_LAYOUT_PC, VS_GDB_LAYOUT_Q35 };

/* The mapped file: view.base, view.size = file size = guest RAM size,
 * view.low = bytes at PA 0 (below 4 GiB). Reads: vs_ram_view_read(). */
struct vs_gdb_shm {
	struct vs_ram_view view;
};

/* Map @path; -errno with @err set. */
int vs_gdb_shm_open(const char *path, enum vs_gdb_layout layout,
		    struct vs_gdb_shm *shm, char *err, size_t errlen);
void vs_gdb_shm_close(struct vs_gdb_shm *shm);
/* The low-RAM size QEMU uses for @size bytes of RAM on @layout. */
uint64_t vs_gdb_shm_low(enum vs_gdb_layout layout, uint64_t size);

#endif /* VS_BACKEND_GDB_SHM_H */

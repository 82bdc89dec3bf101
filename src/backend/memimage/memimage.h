/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * memimage.h - the in-memory test backend.
 *
 * Tests build a guest by hand: physical regions (zero-filled, written with
 * vs_memimage_write_pa), per-vCPU registers by name, and hooks that stay
 * stored until the test fires one with vs_memimage_fire(). Virtual reads go
 * through the x86-64 page walker with any CR3 (VS_CAP_ANY_DTB), LA57 taken
 * from the vCPU's CR4 and the PTI retry on. Nothing here is thread-safe:
 * a test drives it from one thread.
 */
#ifndef VS_BACKEND_MEMIMAGE_MEMIMAGE_H
#define VS_BACKEND_MEMIMAGE_MEMIMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"

#define VS_MEMIMAGE_MAX_REGIONS 64
#define VS_MEMIMAGE_MAX_VCPUS   64
#define VS_MEMIMAGE_MAX_HOOKS   256

/* A backend with @nvcpus vCPUs (1..VS_MEMIMAGE_MAX_VCPUS) and no memory. */
int vs_memimage_new(unsigned nvcpus, struct vs_backend **out);
/* Add zeroed physical memory [pa, pa+len). 0, -EINVAL (overlap), -E2BIG. */
int vs_memimage_add_region(struct vs_backend *be, uint64_t pa, size_t len);
/* Copy @len bytes into physical memory; -EFAULT if not all backed. */
int vs_memimage_write_pa(struct vs_backend *be, uint64_t pa, const void *buf,
			 size_t len);
/* Set a register by name ("cr3", "gs_base", "rdi", ...). */
int vs_memimage_set_reg(struct vs_backend *be, unsigned vcpu,
			const char *name, uint64_t val);
/* Run every hook registered at @va on @vcpu; returns how many ran. */
int vs_memimage_fire(struct vs_backend *be, unsigned vcpu, uint64_t va);

extern const struct vs_backend_ops vs_memimage_backend_ops;

#endif /* VS_BACKEND_MEMIMAGE_MEMIMAGE_H */

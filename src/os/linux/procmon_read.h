/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * procmon_read.h - what the Linux procmon hooks need from the OS layer
 * beyond os.h: a per-vCPU view of the Linux instance, and path rebuilding
 * for any `struct path` (the current directory).
 *
 * Why a view: the instance reads kernel memory through the vCPU that
 * bootstrapped discovery, and a backend such as QEMU's plugin can read
 * only through the vCPU whose thread is calling. A hook on vCPU 1 must
 * read through vCPU 1. A view is a shallow copy of the instance whose
 * reads go through another vCPU (symbols, BTF and offsets are shared and
 * read-only); each view has its own failure counter, so vCPU threads never
 * write shared state. Every os.h call works on a view.
 */
#ifndef VS_OS_LINUX_PROCMON_READ_H
#define VS_OS_LINUX_PROCMON_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "os/os.h"

struct vs_gmem_memo;

/**
 * vs_lx_view_new() - a view of the Linux instance @os reading through
 * @vcpu. Returns NULL when @os is not a Linux instance. Free it with
 * vs_lx_view_free() before @os is closed.
 */
struct vs_os_inst *vs_lx_view_new(struct vs_os_inst *os, unsigned vcpu);
void vs_lx_view_free(struct vs_os_inst *view);

/* The vCPU the instance reads through (the one discovery started on). */
unsigned vs_lx_view_vcpu(struct vs_os_inst *os);

/* Reads through the view share @memo (NULL: none) with the caller's other
 * readers of this vCPU (guestmem.h: a memo lives for one hook call). */
void vs_lx_view_memo(struct vs_os_inst *view, struct vs_gmem_memo *memo);

/* Reads through the view that failed so far (for the statistics). */
uint64_t vs_lx_view_failures(struct vs_os_inst *view);

/**
 * vs_lx_view_path() - rebuild the path of the `struct path` at @path_va
 * across mount points (as for mm->exe_file). 0, or -EFAULT/-EINVAL.
 */
int vs_lx_view_path(struct vs_os_inst *view, uint64_t path_va, char *buf,
		    size_t cap, size_t *len, bool *truncated);

#endif /* VS_OS_LINUX_PROCMON_READ_H */

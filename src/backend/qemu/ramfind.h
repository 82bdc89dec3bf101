/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ramfind.h - finding and trusting QEMU's own mapping of guest RAM (pure).
 *
 * The plugin runs inside QEMU, so guest RAM is a mapping of our process.
 * direct.c reads it at memcpy cost instead of QEMU's debug read; this file
 * holds the parts that need no QEMU, unit-tested in tests/qemu:
 *   - vs_ramfind_maps(): the candidate mappings in /proc/self/maps text
 *     (writable, private or shared, anonymous or memfd/shm-backed, at
 *     least a minimum length; one candidate per line, never merged);
 *   - vs_ramfind_verify(): whether one candidate really is RAM from
 *     physical address 0, by walking the guest's page tables inside it
 *     and comparing bytes with what QEMU itself read at the same virtual
 *     addresses.
 * The text and every byte of the candidate are untrusted: lines are
 * bounded, and physical reads never leave [base, base + limit).
 */
#ifndef VS_BACKEND_QEMU_RAMFIND_H
#define VS_BACKEND_QEMU_RAMFIND_H

#include <stddef.h>
#include <stdint.h>

#define VS_RAMFIND_MIN_LEN   (16ull << 20)
#define VS_RAMFIND_MAX_LIMIT (2ull << 30)  /* RAM is identity below 2 GiB */
#define VS_RAMFIND_PROBE     64            /* bytes compared per address */

/* One /proc/<pid>/maps line. */
struct vs_maps_line {
	uint64_t start, end, offset, inode;
	char perms[5];
	const char *path;    /* into the parsed text; "" when anonymous */
	size_t path_len;
};

/* A candidate RAM mapping in our own address space. */
struct vs_ram_cand {
	uint64_t start;
	uint64_t len;
};

/**
 * vs_ramfind_line() - parse one maps line (without its newline).
 * Returns 0 or -EINVAL (malformed; the caller skips it).
 */
int vs_ramfind_line(const char *line, size_t len, struct vs_maps_line *out);

/**
 * vs_ramfind_maps() - up to @max candidates of at least @min_len bytes
 * from maps @text (@len bytes, need not be NUL-terminated). Returns how
 * many were stored in @out; more are dropped.
 */
size_t vs_ramfind_maps(const char *text, size_t len, uint64_t min_len,
		       struct vs_ram_cand *out, size_t max);

/* A virtual address and the bytes QEMU read there (the reference). */
struct vs_ram_probe {
	uint64_t va;
	uint8_t bytes[VS_RAMFIND_PROBE];
};

/**
 * vs_ramfind_verify() - walk @cr3 (VS_PW_* @pwflags) over the memory at
 * @base (@limit bytes readable, physical address 0 at @base) for each of
 * @n probes, and compare VS_RAMFIND_PROBE bytes at the result.
 * Returns how many probes matched, or -1 when any probe's bytes differ
 * (a wrong candidate). A probe whose walk fails or leaves @limit counts
 * as not matched, not as a mismatch (RAM above the limit exists).
 */
int vs_ramfind_verify(const uint8_t *base, uint64_t limit, uint64_t cr3,
		      unsigned pwflags, const struct vs_ram_probe *probes,
		      size_t n);

#endif /* VS_BACKEND_QEMU_RAMFIND_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * btf.h - the guest kernel's BTF, read from [__start_BTF, __stop_BTF).
 *
 * The blob is raw BTF (what libbpf's btf__new() parses). Its header is
 * checked here first, in uint64_t arithmetic, because libbpf should never
 * see bounds we have not checked:
 *
 *   +0 u16 magic 0xeB9F  +2 u8 version 1  +3 u8 flags  +4 u32 hdr_len
 *   +8 u32 type_off  +12 u32 type_len  +16 u32 str_off  +20 u32 str_len
 *   types at hdr_len + type_off, strings at hdr_len + str_off, both
 *   inside the blob.
 *
 * Member lookup descends into anonymous structs and unions (summing their
 * offsets), with an explicit depth cap instead of recursion.
 */
#ifndef VS_OS_LINUX_BTF_H
#define VS_OS_LINUX_BTF_H

#include <stddef.h>
#include <stdint.h>

#include "os/guestmem.h"

#define VS_BTF_MAX_SIZE (64u << 20)
#define VS_BTF_MAX_DEPTH 8

struct btf;

struct vs_btf_member {
	uint64_t bit_off;     /* from the start of the outer struct */
	uint32_t bit_size;    /* bitfield width, 0 for a plain member */
	int64_t size;         /* bytes of the member's type, -1 unknown */
};

/* Check the header of @data (see above): 0 or -EINVAL. */
int vs_btf_check_header(const uint8_t *data, size_t len);
/* Header check, then btf__new() on a private copy: 0, -EINVAL, -E2BIG. */
int vs_btf_load_mem(const void *data, size_t len, struct btf **out);
/* Copy [start, stop) out of the guest and load it; *@blob (g_malloc'd) and
 * *@len keep the raw bytes for callers that want to save them. */
int vs_btf_load(struct vs_gmem *m, uint64_t start, uint64_t stop,
		struct btf **out, uint8_t **blob, size_t *len);
void vs_btf_free(struct btf *btf);

/* Member @member of struct or union @type: 0, or -ENOENT. */
int vs_btf_member(const struct btf *btf, const char *type, const char *member,
		  struct vs_btf_member *out);
/* Size of struct or union @type: 0, or -ENOENT. */
int vs_btf_type_size(const struct btf *btf, const char *type, uint64_t *size);
/* Number of types (for the report). */
uint32_t vs_btf_type_count(const struct btf *btf);

#endif /* VS_OS_LINUX_BTF_H */

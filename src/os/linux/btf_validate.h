/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * btf_validate.h - a full structural check of guest BTF before libbpf
 * parses it.
 *
 * The BTF comes from guest memory, so every length, offset and type id in
 * it is hostile. vs_btf_validate() walks the whole blob once, iteratively
 * (no recursion, no allocation): the header and section bounds, every
 * btf_type record (its trailing data sized per kind, vlen within the type
 * section), every referenced type id below the number of types, and every
 * name offset inside the string section, whose first and last bytes must
 * be NUL so every name ends inside it. Only little-endian BTF version 1 is
 * accepted (the guests are x86-64). A failure names what was wrong in
 * @why (static storage) and the type id where it was found.
 */
#ifndef VS_OS_LINUX_BTF_VALIDATE_H
#define VS_OS_LINUX_BTF_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

/* More types than any kernel has (6.12: about 150 000). */
#define VS_BTF_MAX_TYPES (1u << 22)

struct vs_btf_verdict {
	uint32_t ntypes;      /* types including void (id 0), when valid */
	uint32_t bad_id;      /* type id where a check failed, 0 otherwise */
	const char *why;      /* NULL when valid */
};

/**
 * vs_btf_validate() - check @len bytes of raw BTF at @data.
 * @v: out (may be NULL), the type count or the reason for refusal.
 * Any thread; a refusal is also logged at debug level. Returns 0, -EINVAL (malformed) or -E2BIG (more than
 * VS_BTF_MAX_TYPES types).
 */
int vs_btf_validate(const uint8_t *data, size_t len, struct vs_btf_verdict *v);

#endif /* VS_OS_LINUX_BTF_VALIDATE_H */

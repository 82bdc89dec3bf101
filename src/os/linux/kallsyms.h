/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kallsyms.h - the kernel's own symbol table, decoded from guest memory.
 *
 * With no System.map and no profile the only symbol source is the
 * compressed kallsyms tables in .rodata. vs_kallsyms_locate() finds them by
 * the token-table signature ("0\0" .. "9\0"), vs_kallsyms_parse() works out
 * the layout (three orders are known, see kallsyms_find.c), decodes every
 * symbol once and builds the name index. Both take a struct vs_gmem, so a
 * test or fuzzer can hand them a buffer instead of a guest.
 *
 * Lookup is by exact name; a name that only exists as a compiler clone
 * (`foo.isra.0`, `foo.constprop.0`, `foo.part.0`, `foo.cold`) is also found
 * by its base name `foo`.
 *
 * Errors: -EFAULT, -EINVAL (nothing consistent found), -E2BIG, -ENOENT.
 */
#ifndef VS_OS_LINUX_KALLSYMS_H
#define VS_OS_LINUX_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>

#include "os/guestmem.h"

#define VS_KSYMS_MIN_SYMS 256
#define VS_KSYMS_MAX_SYMS (1u << 22)
#define VS_KSYMS_MAX_NAME 512        /* KSYM_NAME_LEN since 6.1 */
#define VS_KSYMS_SCAN_LEN (64ull << 20)

enum vs_ksyms_layout {
	/* offsets, relative_base, num_syms, names, markers, token_table,
	 * token_index (upstream until 6.1) */
	VS_KSYMS_LAYOUT_OFFSETS_FIRST = 0,
	/* as above with seqs_of_names between markers and token_table
	 * (upstream 6.2-6.3, Debian 6.1) */
	VS_KSYMS_LAYOUT_SEQS_BEFORE_TOKENS,
	/* num_syms, names, markers, token_table, token_index, offsets,
	 * relative_base, seqs_of_names (upstream 6.4+) */
	VS_KSYMS_LAYOUT_NUM_SYMS_FIRST,
};

/* Where each table was found (virtual addresses). */
struct vs_ksyms_info {
	enum vs_ksyms_layout layout;
	bool abs_percpu;              /* offsets use the absolute per-CPU form */
	uint64_t num_syms;
	uint64_t names, markers, token_table, token_index, offsets;
	uint64_t relative_base;       /* the value (the runtime _text) */
	uint64_t names_len;
};

struct vs_kallsyms;

/**
 * vs_kallsyms_locate() - find the token table in [start, start + len).
 * Reads page by page; a hit must pass the token-index validation.
 * Returns 0 and *@token_table, -ENOENT when no valid table is found.
 */
int vs_kallsyms_locate(struct vs_gmem *m, uint64_t start, uint64_t len,
		       uint64_t *token_table);

/**
 * vs_kallsyms_parse() - decode the tables around @token_table.
 * @lowest: no table lies below this address (e.g. _text); bounds the
 *          backward search for num_syms.
 * @text: the expected _text for choosing relative_base, or 0.
 */
int vs_kallsyms_parse(struct vs_gmem *m, uint64_t token_table, uint64_t lowest,
		      uint64_t text, struct vs_kallsyms **out);

/* locate() in [text, text + VS_KSYMS_SCAN_LEN), then parse(). */
int vs_kallsyms_load(struct vs_gmem *m, uint64_t text,
		     struct vs_kallsyms **out);

void vs_kallsyms_free(struct vs_kallsyms *k);

size_t vs_kallsyms_count(const struct vs_kallsyms *k);
const struct vs_ksyms_info *vs_kallsyms_info(const struct vs_kallsyms *k);
/* Symbol @i in table order: 0 or -ENOENT. @name stays valid until free. */
int vs_kallsyms_get(const struct vs_kallsyms *k, size_t i, uint64_t *addr,
		    char *type, const char **name);
/* By exact name, else by base name of a compiler clone; 0 or -ENOENT. */
int vs_kallsyms_lookup(const struct vs_kallsyms *k, const char *name,
		       uint64_t *addr);

#endif /* VS_OS_LINUX_KALLSYMS_H */

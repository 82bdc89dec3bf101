/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * kallsyms_int.h - between kallsyms_find.c (locating the tables and their
 * layout) and kallsyms.c (decoding and lookup). Not used outside them.
 */
#ifndef VS_OS_LINUX_KALLSYMS_INT_H
#define VS_OS_LINUX_KALLSYMS_INT_H

#include "os/linux/kallsyms.h"

/* The raw tables, copied out of the guest (all g_malloc'd). */
struct vs_ksyms_raw {
	uint8_t *names;          /* names_len bytes */
	uint8_t *tokens;         /* the token table */
	size_t tokens_len;
	uint16_t index[256];     /* token_index */
	int32_t *offsets;        /* num_syms entries */
};

int vs_ksyms_find(struct vs_gmem *m, uint64_t token_table, uint64_t lowest,
		  uint64_t text, struct vs_ksyms_info *info,
		  struct vs_ksyms_raw *raw);
void vs_ksyms_raw_free(struct vs_ksyms_raw *raw);

#endif /* VS_OS_LINUX_KALLSYMS_INT_H */

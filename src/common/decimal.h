/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * decimal.h - unsigned decimal digits without printf, for the hot paths
 * that format numbers for nearly every event (the output formats'
 * integers, procmon's process keys): snprintf costs ~1,500 instructions a
 * call there.
 */
#ifndef VS_COMMON_DECIMAL_H
#define VS_COMMON_DECIMAL_H

#include <stdint.h>

/* Room for the digits of any uint64_t. */
#define VS_DEC_U64_MAX 20

/* Writes the digits of @v backwards, ending just before @end (at least
 * VS_DEC_U64_MAX bytes must precede it); returns the first digit. */
static inline char *vs_dec_backwards(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

#endif

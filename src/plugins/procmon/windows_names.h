/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * windows_names.h - decoding tables of the Windows procmon events:
 * NTSTATUS names (NtTerminateProcess ExitStatusStr), page-protection
 * strings (NtProtectVirtualMemory NewProtectWin32), privilege and
 * privilege-attribute names (NtAdjustPrivilegesToken NewState).
 *
 * Pure functions over numbers (no guest access), unit-tested in
 * tests/profile/. The formats are DRAKVUF's (reference §2.A.3, 2.A.7,
 * 2.A.8); where vmiscope differs from DRAKVUF (facility gaps) the
 * function takes @compat and docs/profiles.md says why.
 */
#ifndef VS_PLUGINS_PROCMON_WINDOWS_NAMES_H
#define VS_PLUGINS_PROCMON_WINDOWS_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

/* Longest string vs_win_ntstatus_str() formats itself, with the NUL. */
#define VS_WIN_NTSTATUS_BUFLEN 64

/* One row of the generated table (ntstatus_table.c, sorted by code). */
struct vs_ntstatus_entry {
	uint32_t code;
	const char *name;
};
extern const struct vs_ntstatus_entry vs_ntstatus_table[];
extern const size_t vs_ntstatus_table_len;

/* "STATUS_ACCESS_VIOLATION" for 0xC0000005, ...; NULL for an unnamed code. */
const char *vs_win_ntstatus_name(uint32_t code);

/**
 * vs_win_ntstatus_str() - ExitStatusStr of an NTSTATUS taken from a 64-bit
 * register: the name of its low 32 bits, else
 * "SEVERITY:customer:FACILITY:0xcode" (SUCCESS/INFO/WARNING/ERROR, bit 29
 * as 0/1, the facility's name, bits 15-0 in lowercase hex). A facility at or
 * above 0xED is "UNKNOWN"; an unnamed one below it is its number ("0x5")
 * unless @compat, where it is DRAKVUF's "(null)". Returns the static name
 * or @buf (at least VS_WIN_NTSTATUS_BUFLEN bytes).
 */
const char *vs_win_ntstatus_str(uint64_t status, bool compat, char *buf,
				size_t buflen);

/* Facility name of bits 27-16 ("NONE" for 0), NULL without a name. */
const char *vs_win_facility_name(unsigned facility);

/**
 * vs_win_protection_str() - NewProtectWin32 of a page protection: the
 * names of the set bits from the lowest up joined by ';' (PAGE_NOACCESS ...
 * PAGE_WRITECOMBINE), other bits as "0x<bit>", 0 as "NONE". Appends to @out.
 */
void vs_win_protection_str(uint32_t prot, GString *out);

/**
 * vs_win_privilege_name() - key of one NewState pair: the SE_*_PRIVILEGE
 * name of LUIDs 2..35, else "0x<luid in lowercase hex>" in @buf (at least
 * 24 bytes).
 */
const char *vs_win_privilege_name(uint64_t luid, char *buf, size_t buflen);

/**
 * vs_win_privilege_attr_name() - value of one NewState pair: exact match of
 * SE_PRIVILEGE_DISABLED (0), _ENABLED_BY_DEFAULT (1), _ENABLED (2),
 * _REMOVED (4), _USED_FOR_ACCESS (0x80000000); else "0x<hex>" in @buf (at
 * least 16 bytes).
 */
const char *vs_win_privilege_attr_name(uint32_t attr, char *buf,
				       size_t buflen);

#endif /* VS_PLUGINS_PROCMON_WINDOWS_NAMES_H */

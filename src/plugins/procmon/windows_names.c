// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * windows_names.c - decoding tables of the Windows procmon events (see
 * windows_names.h). Facility numbers, protection bits and privilege LUIDs
 * are Windows ABI facts (winnt.h, ntstatus.h); the names of the status
 * codes themselves are generated into ntstatus_table.c.
 */
#include "windows_names.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static int cmp_status(const void *key, const void *elem)
{
	uint32_t k = *(const uint32_t *)key;
	uint32_t c = ((const struct vs_ntstatus_entry *)elem)->code;

	return k < c ? -1 : k > c;
}

const char *vs_win_ntstatus_name(uint32_t code)
{
	const struct vs_ntstatus_entry *e;

	e = bsearch(&code, vs_ntstatus_table, vs_ntstatus_table_len,
		    sizeof(vs_ntstatus_table[0]), cmp_status);
	return e ? e->name : NULL;
}

/* DRAKVUF's facility list (reference §2.A.3) with the FACILITY_* values. */
static const struct {
	unsigned num;
	const char *name;
} facilities[] = {
	{ 0x00, "NONE" },                { 0x01, "DEBUGGER" },
	{ 0x02, "RPC_RUNTIME" },         { 0x03, "RPC_STUBS" },
	{ 0x04, "IO_ERROR_CODE" },       { 0x06, "CODCLASS_ERROR_CODE" },
	{ 0x07, "NTWIN32" },             { 0x08, "NTCERT" },
	{ 0x09, "NTSSPI" },              { 0x0A, "TERMINAL_SERVER" },
	{ 0x10, "USB_ERROR_CODE" },      { 0x11, "HID_ERROR_CODE" },
	{ 0x12, "FIREWIRE_ERROR_CODE" }, { 0x13, "CLUSTER_ERROR_CODE" },
	{ 0x14, "ACPI_ERROR_CODE" },     { 0x15, "SXS_ERROR_CODE" },
	{ 0x19, "TRANSACTION" },         { 0x1A, "COMMONLOG" },
	{ 0x1B, "VIDEO" },               { 0x1C, "FILTER_MANAGER" },
	{ 0x1D, "MONITOR" },             { 0x1E, "GRAPHICS_KERNEL" },
	{ 0x20, "DRIVER_FRAMEWORK" },    { 0x21, "FVE_ERROR_CODE" },
	{ 0x22, "FWP_ERROR_CODE" },      { 0x23, "NDIS_ERROR_CODE" },
	{ 0x29, "TPM" },                 { 0x2A, "RTPM" },
	{ 0x35, "HYPERVISOR" },          { 0x36, "IPSEC" },
	{ 0x37, "VIRTUALIZATION" },      { 0x38, "VOLMGR" },
	{ 0x39, "BCD_ERROR_CODE" },      { 0x3E, "WIN32K_NTUSER" },
	{ 0x3F, "WIN32K_NTGDI" },        { 0x40, "RESUME_KEY_FILTER" },
	{ 0x41, "RDBSS" },               { 0x42, "BTH_ATT" },
	{ 0x43, "SECUREBOOT" },          { 0x44, "AUDIO_KERNEL" },
	{ 0x45, "VSM" },                 { 0x50, "VOLSNAP" },
	{ 0x51, "SDBUS" },               { 0x5C, "SHARED_VHDX" },
	{ 0x5D, "SMB" },                 { 0x99, "INTERIX" },
	{ 0xE7, "SPACES" },              { 0xE8, "SECURITY_CORE" },
	{ 0xE9, "SYSTEM_INTEGRITY" },    { 0xEA, "LICENSING" },
	{ 0xEB, "PLATFORM_MANIFEST" },   { 0xEC, "APP_EXEC" },
};

/* First facility DRAKVUF calls UNKNOWN (one past FACILITY_APP_EXEC). */
#define FACILITY_FIRST_UNKNOWN 0xED

const char *vs_win_facility_name(unsigned facility)
{
	for (size_t i = 0; i < G_N_ELEMENTS(facilities); i++)
		if (facilities[i].num == facility)
			return facilities[i].name;
	return NULL;
}

const char *vs_win_ntstatus_str(uint64_t status, bool compat, char *buf,
				size_t buflen)
{
	static const char *const severity[4] = {
		"SUCCESS", "INFO", "WARNING", "ERROR",
	};
	uint32_t code = (uint32_t)status;
	unsigned facility = (code >> 16) & 0xfff;
	const char *name = vs_win_ntstatus_name(code);
	char num[16];

	if (name)
		return name;
	if (facility >= FACILITY_FIRST_UNKNOWN) {
		name = "UNKNOWN";
	} else {
		name = vs_win_facility_name(facility);
		if (!name && compat) {
			name = "(null)";
		} else if (!name) {
			snprintf(num, sizeof(num), "0x%x", facility);
			name = num;
		}
	}
	snprintf(buf, buflen, "%s:%u:%s:0x%x", severity[code >> 30],
		 (code >> 29) & 1, name, code & 0xffff);
	return buf;
}

static const char *const protection_names[] = {
	"PAGE_NOACCESS", "PAGE_READONLY", "PAGE_READWRITE",
	"PAGE_WRITECOPY", "PAGE_EXECUTE", "PAGE_EXECUTE_READ",
	"PAGE_EXECUTE_READWRITE", "PAGE_EXECUTE_WRITECOPY", "PAGE_GUARD",
	"PAGE_NOCACHE", "PAGE_WRITECOMBINE",
};

void vs_win_protection_str(uint32_t prot, GString *out)
{
	bool first = true;

	if (!prot) {
		g_string_append(out, "NONE");
		return;
	}
	for (unsigned bit = 0; bit < 32; bit++) {
		if (!(prot & (1u << bit)))
			continue;
		if (!first)
			g_string_append_c(out, ';');
		first = false;
		if (bit < G_N_ELEMENTS(protection_names))
			g_string_append(out, protection_names[bit]);
		else
			g_string_append_printf(out, "0x%x", 1u << bit);
	}
}

/* Index = LUID (winnt.h SE_*_PRIVILEGE values), 2..35. */
static const char *const privilege_names[] = {
	[2] = "SE_CREATE_TOKEN_PRIVILEGE",
	[3] = "SE_ASSIGNPRIMARYTOKEN_PRIVILEGE",
	[4] = "SE_LOCK_MEMORY_PRIVILEGE",
	[5] = "SE_INCREASE_QUOTA_PRIVILEGE",
	[6] = "SE_MACHINE_ACCOUNT_PRIVILEGE",
	[7] = "SE_TCB_PRIVILEGE",
	[8] = "SE_SECURITY_PRIVILEGE",
	[9] = "SE_TAKE_OWNERSHIP_PRIVILEGE",
	[10] = "SE_LOAD_DRIVER_PRIVILEGE",
	[11] = "SE_SYSTEM_PROFILE_PRIVILEGE",
	[12] = "SE_SYSTEMTIME_PRIVILEGE",
	[13] = "SE_PROF_SINGLE_PROCESS_PRIVILEGE",
	[14] = "SE_INC_BASE_PRIORITY_PRIVILEGE",
	[15] = "SE_CREATE_PAGEFILE_PRIVILEGE",
	[16] = "SE_CREATE_PERMANENT_PRIVILEGE",
	[17] = "SE_BACKUP_PRIVILEGE",
	[18] = "SE_RESTORE_PRIVILEGE",
	[19] = "SE_SHUTDOWN_PRIVILEGE",
	[20] = "SE_DEBUG_PRIVILEGE",
	[21] = "SE_AUDIT_PRIVILEGE",
	[22] = "SE_SYSTEM_ENVIRONMENT_PRIVILEGE",
	[23] = "SE_CHANGE_NOTIFY_PRIVILEGE",
	[24] = "SE_REMOTE_SHUTDOWN_PRIVILEGE",
	[25] = "SE_UNDOCK_PRIVILEGE",
	[26] = "SE_SYNC_AGENT_PRIVILEGE",
	[27] = "SE_ENABLE_DELEGATION_PRIVILEGE",
	[28] = "SE_MANAGE_VOLUME_PRIVILEGE",
	[29] = "SE_IMPERSONATE_PRIVILEGE",
	[30] = "SE_CREATE_GLOBAL_PRIVILEGE",
	[31] = "SE_TRUSTED_CREDMAN_ACCESS_PRIVILEGE",
	[32] = "SE_RELABEL_PRIVILEGE",
	[33] = "SE_INC_WORKING_SET_PRIVILEGE",
	[34] = "SE_TIME_ZONE_PRIVILEGE",
	[35] = "SE_CREATE_SYMBOLIC_LINK_PRIVILEGE",
};

const char *vs_win_privilege_name(uint64_t luid, char *buf, size_t buflen)
{
	if (luid < G_N_ELEMENTS(privilege_names) && privilege_names[luid])
		return privilege_names[luid];
	snprintf(buf, buflen, "0x%" PRIx64, luid);
	return buf;
}

const char *vs_win_privilege_attr_name(uint32_t attr, char *buf,
				       size_t buflen)
{
	switch (attr) {
	case 0x0:
		return "SE_PRIVILEGE_DISABLED";
	case 0x1:
		return "SE_PRIVILEGE_ENABLED_BY_DEFAULT";
	case 0x2:
		return "SE_PRIVILEGE_ENABLED";
	case 0x4:
		return "SE_PRIVILEGE_REMOVED";
	case 0x80000000u:
		return "SE_PRIVILEGE_USED_FOR_ACCESS";
	}
	snprintf(buf, buflen, "0x%x", attr);
	return buf;
}

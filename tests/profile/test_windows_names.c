// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_windows_names.c - procmon's Windows decoding tables. Oracles:
 * hand-written expectations from reference §2.A.3 (NTSTATUS names and the
 * SEVERITY:customer:FACILITY:0xcode format), §2.A.7 (protections), §2.A.8
 * (privileges, attributes) and Microsoft's published NTSTATUS values.
 */
#include <string.h>

#include <glib.h>

#include "plugins/procmon/windows_names.h"

static void test_known_names(void)
{
	g_assert_cmpstr(vs_win_ntstatus_name(0x00000000), ==, "STATUS_SUCCESS");
	g_assert_cmpstr(vs_win_ntstatus_name(0xC0000005), ==, "STATUS_ACCESS_VIOLATION");
	g_assert_cmpstr(vs_win_ntstatus_name(0xC000013A), ==, "STATUS_CONTROL_C_EXIT");
	g_assert_cmpstr(vs_win_ntstatus_name(0xC0000022), ==, "STATUS_ACCESS_DENIED");
	g_assert_cmpstr(vs_win_ntstatus_name(0x80000003), ==, "STATUS_BREAKPOINT");
	g_assert_cmpstr(vs_win_ntstatus_name(0x00000103), ==, "STATUS_PENDING");
	g_assert_cmpstr(vs_win_ntstatus_name(0x40010005), ==, "DBG_CONTROL_C");
	g_assert_cmpstr(vs_win_ntstatus_name(0xC0000409), ==, "STATUS_STACK_BUFFER_OVERRUN");
	g_assert_cmpstr(vs_win_ntstatus_name(0x00000080), ==, "STATUS_ABANDONED");
	g_assert_null(vs_win_ntstatus_name(0xC0001234));
	g_assert_null(vs_win_ntstatus_name(0xFFFFFFFF));
}

static void test_table_sorted(void)
{
	g_assert_cmpuint(vs_ntstatus_table_len, >, 1700);
	for (size_t i = 1; i < vs_ntstatus_table_len; i++)
		g_assert_cmpuint(vs_ntstatus_table[i - 1].code, <, vs_ntstatus_table[i].code);
	/* every entry is found by the search */
	for (size_t i = 0; i < vs_ntstatus_table_len; i++)
		g_assert_cmpstr(vs_win_ntstatus_name(vs_ntstatus_table[i].code), ==,
				vs_ntstatus_table[i].name);
}

static const char *st(uint64_t v, bool compat)
{
	static char buf[VS_WIN_NTSTATUS_BUFLEN];

	return vs_win_ntstatus_str(v, compat, buf, sizeof(buf));
}

static void test_status_str(void)
{
	g_assert_cmpstr(st(0xC0001234, false), ==, "ERROR:0:NONE:0x1234");
	g_assert_cmpstr(st(0xC0001234, true), ==, "ERROR:0:NONE:0x1234");
	/* named by the low 32 bits of a 64-bit register */
	g_assert_cmpstr(st(0xdeadbeefC0000005ull, false), ==, "STATUS_ACCESS_VIOLATION");
	g_assert_cmpstr(st(0xFFFFFFFF00000000ull, false), ==, "STATUS_SUCCESS");
	g_assert_cmpstr(st(0x0001FFFF, false), ==, "SUCCESS:0:DEBUGGER:0xffff");
	g_assert_cmpstr(st(0x40070001, false), ==, "INFO:0:NTWIN32:0x1");
	g_assert_cmpstr(st(0xA0230042, false), ==, "WARNING:1:NDIS_ERROR_CODE:0x42");
	g_assert_cmpstr(st(0xE0EC0000, false), ==, "ERROR:1:APP_EXEC:0x0");
	g_assert_cmpstr(st(0xC0ED0001, false), ==, "ERROR:0:UNKNOWN:0x1");
	g_assert_cmpstr(st(0xCFFF0001, true), ==, "ERROR:0:UNKNOWN:0x1");
	/* facility 5 has no name: its number, DRAKVUF's "(null)" in compat */
	g_assert_cmpstr(st(0xC005ABCD, false), ==, "ERROR:0:0x5:0xabcd");
	g_assert_cmpstr(st(0xC005ABCD, true), ==, "ERROR:0:(null):0xabcd");
	g_assert_cmpstr(st(0xC0E60001, false), ==, "ERROR:0:0xe6:0x1");
}

static void test_facilities(void)
{
	/* the FACILITY_* numbers of Microsoft's ntstatus.h */
	g_assert_cmpstr(vs_win_facility_name(0x0), ==, "NONE");
	g_assert_cmpstr(vs_win_facility_name(0x2), ==, "RPC_RUNTIME");
	g_assert_cmpstr(vs_win_facility_name(0xA), ==, "TERMINAL_SERVER");
	g_assert_cmpstr(vs_win_facility_name(0x19), ==, "TRANSACTION");
	g_assert_cmpstr(vs_win_facility_name(0x1E), ==, "GRAPHICS_KERNEL");
	g_assert_cmpstr(vs_win_facility_name(0x22), ==, "FWP_ERROR_CODE");
	g_assert_cmpstr(vs_win_facility_name(0x35), ==, "HYPERVISOR");
	g_assert_cmpstr(vs_win_facility_name(0x99), ==, "INTERIX");
	g_assert_cmpstr(vs_win_facility_name(0xEC), ==, "APP_EXEC");
	g_assert_null(vs_win_facility_name(0x5));
	g_assert_null(vs_win_facility_name(0xED));
}

static const char *prot(uint32_t v)
{
	static GString *s;

	if (!s)
		s = g_string_new(NULL);
	g_string_truncate(s, 0);
	vs_win_protection_str(v, s);
	return s->str;
}

static void test_protection(void)
{
	g_assert_cmpstr(prot(0x300), ==, "PAGE_GUARD;PAGE_NOCACHE");
	g_assert_cmpstr(prot(0), ==, "NONE");
	g_assert_cmpstr(prot(0x1), ==, "PAGE_NOACCESS");
	g_assert_cmpstr(prot(0x40), ==, "PAGE_EXECUTE_READWRITE");
	g_assert_cmpstr(prot(0x104), ==, "PAGE_READWRITE;PAGE_GUARD");
	g_assert_cmpstr(prot(0x400), ==, "PAGE_WRITECOMBINE");
	g_assert_cmpstr(prot(0x40000000), ==, "0x40000000");
	g_assert_cmpstr(prot(0x80000802), ==, "PAGE_READONLY;0x800;0x80000000");
	g_assert_cmpstr(prot(0xFFFFFFFF), ==,
		"PAGE_NOACCESS;PAGE_READONLY;PAGE_READWRITE;PAGE_WRITECOPY;PAGE_EXECUTE;"
		"PAGE_EXECUTE_READ;PAGE_EXECUTE_READWRITE;PAGE_EXECUTE_WRITECOPY;PAGE_GUARD;"
		"PAGE_NOCACHE;PAGE_WRITECOMBINE;0x800;0x1000;0x2000;0x4000;0x8000;0x10000;"
		"0x20000;0x40000;0x80000;0x100000;0x200000;0x400000;0x800000;0x1000000;"
		"0x2000000;0x4000000;0x8000000;0x10000000;0x20000000;0x40000000;0x80000000");
}

static void test_privileges(void)
{
	char buf[32];

	g_assert_cmpstr(vs_win_privilege_name(2, buf, sizeof(buf)), ==, "SE_CREATE_TOKEN_PRIVILEGE");
	g_assert_cmpstr(vs_win_privilege_name(20, buf, sizeof(buf)), ==, "SE_DEBUG_PRIVILEGE");
	g_assert_cmpstr(vs_win_privilege_name(23, buf, sizeof(buf)), ==, "SE_CHANGE_NOTIFY_PRIVILEGE");
	g_assert_cmpstr(vs_win_privilege_name(35, buf, sizeof(buf)), ==,
			"SE_CREATE_SYMBOLIC_LINK_PRIVILEGE");
	g_assert_cmpstr(vs_win_privilege_name(36, buf, sizeof(buf)), ==, "0x24");
	g_assert_cmpstr(vs_win_privilege_name(0, buf, sizeof(buf)), ==, "0x0");
	g_assert_cmpstr(vs_win_privilege_name(1, buf, sizeof(buf)), ==, "0x1");
	g_assert_cmpstr(vs_win_privilege_name(0x100000014ull, buf, sizeof(buf)), ==, "0x100000014");
	g_assert_cmpstr(vs_win_privilege_name(UINT64_MAX, buf, sizeof(buf)), ==,
			"0xffffffffffffffff");
	g_assert_cmpstr(vs_win_privilege_attr_name(0, buf, sizeof(buf)), ==, "SE_PRIVILEGE_DISABLED");
	g_assert_cmpstr(vs_win_privilege_attr_name(1, buf, sizeof(buf)), ==,
			"SE_PRIVILEGE_ENABLED_BY_DEFAULT");
	g_assert_cmpstr(vs_win_privilege_attr_name(2, buf, sizeof(buf)), ==, "SE_PRIVILEGE_ENABLED");
	g_assert_cmpstr(vs_win_privilege_attr_name(4, buf, sizeof(buf)), ==, "SE_PRIVILEGE_REMOVED");
	g_assert_cmpstr(vs_win_privilege_attr_name(0x80000000u, buf, sizeof(buf)), ==,
			"SE_PRIVILEGE_USED_FOR_ACCESS");
	g_assert_cmpstr(vs_win_privilege_attr_name(3, buf, sizeof(buf)), ==, "0x3");
	g_assert_cmpstr(vs_win_privilege_attr_name(0x80000002u, buf, sizeof(buf)), ==, "0x80000002");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/windows_names/ntstatus/known", test_known_names);
	g_test_add_func("/windows_names/ntstatus/table", test_table_sorted);
	g_test_add_func("/windows_names/ntstatus/format", test_status_str);
	g_test_add_func("/windows_names/ntstatus/facilities", test_facilities);
	g_test_add_func("/windows_names/protection", test_protection);
	g_test_add_func("/windows_names/privileges", test_privileges);
	return g_test_run();
}

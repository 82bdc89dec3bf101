// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_linux_names.c - procmon's Linux decoding tables. Oracles: the host C
 * library (same x86-64 Linux ABI: strerrorname_np, sigabbrev_np) and
 * hand-written expectations from the contract (§4, §6) and reference §2.B.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <glib.h>

#include "plugins/procmon/linux_names.h"

static void test_signal_names_match_libc(void)
{
	char buf[32], want[32];

	for (int s = 1; s < 32; s++) {
		const char *abbrev = sigabbrev_np(s);

		g_assert_nonnull(abbrev);
		g_snprintf(want, sizeof(want), "SIG%s", abbrev);
		/* glibc calls 6 "ABRT" and 29 "IO"/"POLL"; the kernel: SIGABRT, SIGIO */
		if (s == SIGIO)
			g_strlcpy(want, "SIGIO", sizeof(want));
		g_assert_cmpstr(vs_linux_signal_name(s, false, buf, sizeof(buf)), ==, want);
	}
}

static void test_signal_edges(void)
{
	char buf[32];

	g_assert_cmpstr(vs_linux_signal_name(0, false, buf, sizeof(buf)), ==, "SIGCHECK");
	g_assert_cmpstr(vs_linux_signal_name(34, false, buf, sizeof(buf)), ==, "SIGRTMIN+2");
	g_assert_cmpstr(vs_linux_signal_name(64, false, buf, sizeof(buf)), ==, "SIGRTMIN+32");
	g_assert_cmpstr(vs_linux_signal_name(34, true, buf, sizeof(buf)), ==, "UNDEFINED");
	g_assert_cmpstr(vs_linux_signal_name(65, false, buf, sizeof(buf)), ==, "UNDEFINED");
	g_assert_cmpstr(vs_linux_signal_name(-1, false, buf, sizeof(buf)), ==, "UNDEFINED");
	g_assert_cmpstr(vs_linux_signal_name(1LL << 40, false, buf, sizeof(buf)), ==, "UNDEFINED");
}

static void test_exit_names(void)
{
	char buf[32];

	g_assert_cmpstr(vs_linux_exit_status_name(0), ==, "EXIT_SUCCESS");
	g_assert_cmpstr(vs_linux_exit_status_name(1), ==, "EXIT_FAILURE");
	g_assert_cmpstr(vs_linux_exit_status_name(7), ==, "UNDEFINED");
	g_assert_cmpstr(vs_linux_exit_status_name(64), ==, "EXIT_USAGE");
	g_assert_cmpstr(vs_linux_exit_status_name(127), ==, "EXIT_COMMAND_NOT_FOUND");
	g_assert_cmpstr(vs_linux_exit_status_name(0x8F), ==, "EXIT_SIGTERM");
	g_assert_cmpstr(vs_linux_exit_status_name(0x85), ==, "UNDEFINED");
	g_assert_cmpstr(vs_linux_exit_signal_name(9, buf, sizeof(buf)), ==, "EXIT_SIGKILL");
	g_assert_cmpstr(vs_linux_exit_signal_name(11, buf, sizeof(buf)), ==, "EXIT_SIGSEGV");
	g_assert_cmpstr(vs_linux_exit_signal_name(10, buf, sizeof(buf)), ==, "EXIT_SIGUSR1");
	g_assert_cmpstr(vs_linux_exit_signal_name(35, buf, sizeof(buf)), ==, "EXIT_SIGRTMIN+3");
}

static char *flags(uint64_t f)
{
	GString *s = g_string_new(NULL);

	vs_linux_clone_flags(f, s);
	return g_string_free(s, FALSE);
}

static void test_clone_flags(void)
{
	struct { uint64_t v; const char *want; } cases[] = {
		{ 0, "" },
		/* glibc fork(): the seed's example */
		{ 0x01200000, "CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID" },
		/* glibc pthread_create() */
		{ 0x003d0f00, "CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|"
			      "CLONE_SYSVSEM|CLONE_SETTLS|CLONE_PARENT_SETTID|CLONE_CHILD_CLEARTID" },
		/* vfork() */
		{ 0x4100, "CLONE_VM|CLONE_VFORK" },
		{ 0x300000000ULL, "CLONE_CLEAR_SIGHAND|CLONE_INTO_CGROUP" },
		/* unnamed bits: appended as one hex value */
		{ 0x100 | 0x11, "CLONE_VM|0x11" },
		{ 0x7, "0x7" },
		{ 1ULL << 40 | 0x80, "CLONE_NEWTIME|0x10000000000" },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		char *got = flags(cases[i].v);

		g_assert_cmpstr(got, ==, cases[i].want);
		g_free(got);
	}
}

static void test_errno_names_match_libc(void)
{
	int named = 0;

	for (int e = 1; e < 134; e++) {
		const char *want = strerrorname_np(e);
		const char *got = vs_linux_errno_name(e);

		if (!want) {
			g_assert_null(got);
			continue;
		}
		/* glibc aliases: EWOULDBLOCK=EAGAIN, EDEADLOCK=EDEADLK, ENOTSUP=EOPNOTSUPP */
		g_assert_cmpstr(got, ==, want);
		named++;
	}
	g_assert_cmpint(named, >, 120);
	g_assert_null(vs_linux_errno_name(0));
	g_assert_null(vs_linux_errno_name(-11));
	g_assert_null(vs_linux_errno_name(100000));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/linux-names/signals-match-libc", test_signal_names_match_libc);
	g_test_add_func("/linux-names/signal-edges", test_signal_edges);
	g_test_add_func("/linux-names/exit", test_exit_names);
	g_test_add_func("/linux-names/clone-flags", test_clone_flags);
	g_test_add_func("/linux-names/errno-match-libc", test_errno_names_match_libc);
	return g_test_run();
}

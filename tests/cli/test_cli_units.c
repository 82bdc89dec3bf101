// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_cli_units.c - the pure parts of `run`: the serial console scanner
 * (markers split across reads, at every split point), the QEMU version
 * parser, and the vetting of a user's own QEMU command line (contract §1:
 * no KVM, no -daemonize, no second -plugin).
 */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "cli/qemu_host.h"
#include "cli/serial_scan.h"

static unsigned scan_in_pieces(const char *text, size_t piece)
{
	struct vs_serial_scan s;
	size_t len = strlen(text);

	vs_serial_scan_init(&s);
	for (size_t off = 0; off < len; off += piece)
		vs_serial_scan_feed(&s, text + off,
				    len - off < piece ? len - off : piece);
	return s.seen;
}

static void test_scan_markers(void)
{
	g_assert_cmpuint(scan_in_pieces("[ 2.1] reboot: Power down\r\n", 4096),
			 ==, VS_SERIAL_POWEROFF);
	g_assert_cmpuint(scan_in_pieces("reboot: Restarting system\n", 4096),
			 ==, VS_SERIAL_RESET);
	g_assert_cmpuint(scan_in_pieces(
		"Kernel panic - not syncing: Attempted to kill init! exitcode=0x100\n",
		4096), ==, VS_SERIAL_PANIC);
	g_assert_cmpuint(scan_in_pieces("reboot: Power dow\nn\n", 4096), ==, 0);
	g_assert_cmpuint(scan_in_pieces("Kernel panic - not", 4096), ==, 0);
	g_assert_cmpuint(scan_in_pieces("", 1), ==, 0);
}

/* Every split point and every piece size finds the marker. */
static void test_scan_split(void)
{
	static const char text[] =
		"noise before\nKernel panic - not syncing: VFS\nreboot: Power down\n";

	for (size_t piece = 1; piece <= sizeof(text); piece++)
		g_assert_cmpuint(scan_in_pieces(text, piece), ==,
				 VS_SERIAL_PANIC | VS_SERIAL_POWEROFF);
}

/* A marker straddling a 4 KiB slice boundary inside one big feed. */
static void test_scan_big_feed(void)
{
	static const char marker[] = "reboot: Restarting system";
	size_t len = 3 * 4096 + 100;
	char *buf = g_malloc(len);
	struct vs_serial_scan s;

	for (size_t at = 4096 - 20; at < 4096 + 5; at++) {
		memset(buf, 'x', len);
		memcpy(buf + at, marker, strlen(marker));
		vs_serial_scan_init(&s);
		g_assert_cmpuint(vs_serial_scan_feed(&s, buf, len), ==,
				 VS_SERIAL_RESET);
	}
	/* A long stream without markers stays clean and bounded. */
	memset(buf, 'K', len);
	vs_serial_scan_init(&s);
	for (int i = 0; i < 100; i++)
		vs_serial_scan_feed(&s, buf, len);
	g_assert_cmpuint(s.seen, ==, 0);
	g_assert_cmpuint(s.ntail, <, VS_SERIAL_TAIL);
	g_free(buf);
}

static void test_version(void)
{
	unsigned a, b, c;

	g_assert_cmpint(vs_qemu_parse_version(
		"QEMU emulator version 10.0.2 (Debian 1:10.0.2+ds-2+deb13u1~bpo12+1)\n"
		"Copyright (c) 2003-2025 Fabrice Bellard and the QEMU Project developers\n",
		&a, &b, &c), ==, 0);
	g_assert_cmpuint(a, ==, 10);
	g_assert_cmpuint(b, ==, 0);
	g_assert_cmpuint(c, ==, 2);
	g_assert_cmpint(vs_qemu_parse_version(
		"QEMU emulator version 7.2.19 (Debian 1:7.2+dfsg-7+deb12u16)\n",
		&a, &b, &c), ==, 0);
	g_assert_cmpuint(a, ==, 7);
	g_assert_cmpuint(b, ==, 2);
	g_assert_cmpuint(c, ==, 19);
	g_assert_cmpint(vs_qemu_parse_version("QEMU emulator version 9.2\n",
					      &a, &b, &c), ==, 0);
	g_assert_cmpuint(a, ==, 9);
	g_assert_cmpuint(b, ==, 2);
	g_assert_cmpint(vs_qemu_parse_version("QEMU emulator version 9\n",
					      &a, &b, &c), ==, -EINVAL);
	g_assert_cmpint(vs_qemu_parse_version("QEMU emulator version -1.2\n",
					      &a, &b, &c), ==, -EINVAL);
	g_assert_cmpint(vs_qemu_parse_version("bash: qemu: not found\n",
					      &a, &b, &c), ==, -EINVAL);
	g_assert_cmpint(vs_qemu_parse_version("", &a, &b, &c), ==, -EINVAL);
}

static int check(const char *const *argv)
{
	char err[512];
	int argc = 0;

	while (argv[argc])
		argc++;
	return vs_qemu_check_user_args(argc, (char *const *)argv, err,
				       sizeof(err));
}

static void test_user_args(void)
{
#define Q "qemu-system-x86_64"
	static const char *const ok1[] = { Q, "-accel", "tcg", "-m", "512", NULL };
	static const char *const ok2[] = { Q, "-accel", "tcg,thread=multi", NULL };
	static const char *const ok3[] = { Q, "-machine", "q35", NULL };
	static const char *const ok4[] = { Q, "-M", "pc,accel=tcg", NULL };
	static const char *const ok5[] = { Q, "-kernel", "k", "-append",
					   "console=ttyS0 kvm.foo=1", NULL };
	static const char *const bad[][6] = {
		{ Q, "-enable-kvm", NULL },
		{ Q, "--enable-kvm", NULL },
		{ Q, "-accel", "kvm", NULL },
		{ Q, "--accel", "kvm", NULL },
		{ Q, "-accel", "kvm,kernel-irqchip=on", NULL },
		{ Q, "-accel", "accel=kvm", NULL },
		{ Q, "-machine", "q35,accel=kvm", NULL },
		{ Q, "-M", "pc,accel=kvm:tcg", NULL },
		{ Q, "-machine", "accel=tcg:kvm", NULL },
		{ Q, "-accel", "xen", NULL },
		{ Q, "-daemonize", NULL },
		{ Q, "--daemonize", NULL },
		{ Q, "-plugin", "other.so", NULL },
		{ Q, "-m", "256", "-plugin", "file=x.so,arg=1", NULL },
	};

	g_assert_cmpint(check(ok1), ==, 0);
	g_assert_cmpint(check(ok2), ==, 0);
	g_assert_cmpint(check(ok3), ==, 0);
	g_assert_cmpint(check(ok4), ==, 0);
	g_assert_cmpint(check(ok5), ==, 0);
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_test_message("case %zu: %s", i, bad[i][1]);
		g_assert_cmpint(check(bad[i]), ==, -EINVAL);
	}
#undef Q
}

static void test_kvm_message(void)
{
	static const char *const argv[] = { "qemu", "-enable-kvm", NULL };
	char err[512];

	g_assert_cmpint(vs_qemu_check_user_args(2, (char *const *)argv, err,
						sizeof(err)), ==, -EINVAL);
	g_assert_nonnull(strstr(err, "KVM"));
	g_assert_nonnull(strstr(err, "vmiscope attach"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cli/scan/markers", test_scan_markers);
	g_test_add_func("/cli/scan/split", test_scan_split);
	g_test_add_func("/cli/scan/big-feed", test_scan_big_feed);
	g_test_add_func("/cli/qemu/version", test_version);
	g_test_add_func("/cli/qemu/user-args", test_user_args);
	g_test_add_func("/cli/qemu/kvm-message", test_kvm_message);
	return g_test_run();
}

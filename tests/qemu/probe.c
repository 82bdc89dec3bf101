// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * probe.c - guest program for tests/integration/test_qemu_backend.py.
 *
 * Built static and non-PIE, so vs_probe() sits at the address `nm` shows
 * on the host. It calls vs_probe(n, "probe-<n>:<magic>") and then
 * vs_probe2(n, "again-<n>:<magic>") for n = 1..COUNT (argv[1] is the magic,
 * argv[2] the count, default 50) and prints its own account of the calls
 * to the console: the test's oracle, independent of the plugin. vs_probe2
 * is the target of a hook added while the program runs (debug_late_hook).
 */
#include <stdio.h>
#include <stdlib.h>

volatile long vs_probe_sum;

__attribute__((noinline)) void vs_probe(long n, const char *s);
__attribute__((noinline)) void vs_probe(long n, const char *s)
{
	vs_probe_sum += n + s[0];
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) void vs_probe2(long n, const char *s);
__attribute__((noinline)) void vs_probe2(long n, const char *s)
{
	vs_probe_sum -= n + s[0];
	__asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
	const char *magic = argc > 1 ? argv[1] : "nomagic";
	long count = argc > 2 ? atol(argv[2]) : 50;
	long done = 0;
	char buf[64];

	for (long n = 1; n <= count; n++) {
		snprintf(buf, sizeof(buf), "probe-%ld:%s", n, magic);
		vs_probe(n, buf);
		snprintf(buf, sizeof(buf), "again-%ld:%s", n, magic);
		vs_probe2(n, buf);
		done++;
	}
	printf("vs-probe: called vs_probe %ld times magic=%s\n", done, magic);
	fflush(stdout);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_ramfind.c - the pure half of direct guest RAM reads (ramfind.c):
 * the /proc/self/maps parser and candidate filter over hand-written
 * fixture text (real QEMU shapes plus hostile and odd lines), and the
 * verification walk over a hand-built 4-level page table in a buffer.
 * Expectations are written by hand.
 */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "backend/pagewalk.h"
#include "backend/ramview.h"
#include "backend/qemu/ramfind.h"

#define MIB (1ull << 20)

static void test_line(void)
{
	const char *l = "7f1200000000-7f1220000000 rw-p 00000000 00:00 0 ";
	const char *f = "55d0c0a00000-55d0c0e00000 r-xp 00123000 fd:01 "
			"1835011                    /usr/bin/qemu-system-x86_64";
	struct vs_maps_line m;

	g_assert_cmpint(vs_ramfind_line(l, strlen(l), &m), ==, 0);
	g_assert_cmphex(m.start, ==, 0x7f1200000000ull);
	g_assert_cmphex(m.end, ==, 0x7f1220000000ull);
	g_assert_cmpstr(m.perms, ==, "rw-p");
	g_assert_cmpuint(m.inode, ==, 0);
	g_assert_cmpuint(m.path_len, ==, 0);

	g_assert_cmpint(vs_ramfind_line(f, strlen(f), &m), ==, 0);
	g_assert_cmphex(m.offset, ==, 0x123000);
	g_assert_cmpuint(m.inode, ==, 1835011);
	g_assert_cmpuint(m.path_len, ==, strlen("/usr/bin/qemu-system-x86_64"));
	g_assert_true(memcmp(m.path, "/usr/bin/qemu-system-x86_64",
			     m.path_len) == 0);
}

static void test_line_rejects(void)
{
	const char *bad[] = {
		"",
		"garbage",
		"7f1200000000 rw-p 00000000 00:00 0",          /* no end */
		"7f1220000000-7f1200000000 rw-p 00000000 00:00 0", /* end<start */
		"1000-1000 rw-p 00000000 00:00 0",              /* empty */
		"1000-2000 rw-q 00000000 00:00 0",              /* bad perm */
		"1000-2000 rw-p 00000000 00:00",                /* no inode */
		"1000-2000 rw-p 00000000 0000 0",               /* bad dev */
		"1000-2000 rw-p 0 00:00 99999999999999999999999",  /* inode */
		"10000000000000000-10000000000000001 rw-p 0 00:00 0",
		"1000-2000 rw-p 00000000 00:00 0x1",            /* junk */
		"-2000 rw-p 00000000 00:00 0",
		"1000-2000 rw-",                                /* cut short */
	};
	struct vs_maps_line m;

	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		g_assert_cmpint(vs_ramfind_line(bad[i], strlen(bad[i]), &m),
				==, -EINVAL);
}

/* A QEMU-like map: code, heap, a 16 MiB VGA RAM, guard pages, two
 * adjacent anonymous VMAs (never merged: each is its own candidate), a
 * small anon, a read-only anon, a file, [stack]. */
static const char MAPS[] =
	"55d0c0a00000-55d0c0e00000 r-xp 00000000 fd:01 1835011 /usr/bin/qemu\n"
	"55d0c2000000-55d0c4000000 rw-p 00000000 00:00 0 [heap]\n"
	"7f0000000000-7f0001000000 rw-s 00000000 00:01 4242 /memfd:vga.vram (deleted)\n"
	"7f0001000000-7f0001001000 ---p 00000000 00:00 0 \n"
	"7f1200000000-7f1210000000 rw-p 00000000 00:00 0 \n"
	"7f1210000000-7f1220000000 rw-p 00000000 00:00 0 \n"
	"7f1220000000-7f1220001000 ---p 00000000 00:00 0 \n"
	"7f1300000000-7f1300800000 rw-p 00000000 00:00 0 \n"
	"7f1400000000-7f1402000000 r--p 00000000 00:00 0 \n"
	"7f1500000000-7f1502000000 rw-p 00000000 fd:01 77 /var/lib/some.db\n"
	"this line is hostile garbage 7f1600000000-7f1700000000 rw-p\n"
	"7f1600000000-7f1640000000 rw-s 00000000 00:1a 9 /dev/shm/guest-ram\n"
	"7ffc00000000-7ffc02000000 rw-p 00000000 00:00 0 [stack]\n"
	"7f1700000000-7f1702000000 rw-p 00000000 00:00 0"; /* no newline */

static void test_candidates(void)
{
	struct vs_ram_cand c[8];
	size_t n = vs_ramfind_maps(MAPS, strlen(MAPS), 16 * MIB, c, 8);

	g_assert_cmpuint(n, ==, 5);
	g_assert_cmphex(c[0].start, ==, 0x7f0000000000ull);   /* memfd */
	g_assert_cmphex(c[0].len, ==, 16 * MIB);
	g_assert_cmphex(c[1].start, ==, 0x7f1200000000ull);   /* not merged */
	g_assert_cmphex(c[1].len, ==, 256 * MIB);
	g_assert_cmphex(c[2].start, ==, 0x7f1210000000ull);
	g_assert_cmphex(c[2].len, ==, 256 * MIB);
	g_assert_cmphex(c[3].start, ==, 0x7f1600000000ull);   /* /dev/shm */
	g_assert_cmphex(c[3].len, ==, 1024 * MIB);
	g_assert_cmphex(c[4].start, ==, 0x7f1700000000ull);   /* last line */

	/* The output bound holds; nothing is found in an empty text. */
	g_assert_cmpuint(vs_ramfind_maps(MAPS, strlen(MAPS), 16 * MIB, c, 2),
			 ==, 2);
	g_assert_cmpuint(vs_ramfind_maps("", 0, 16 * MIB, c, 8), ==, 0);
	/* A text cut in the middle of a line loses that line only. */
	g_assert_cmpuint(vs_ramfind_maps(MAPS, strlen(MAPS) - 10, 16 * MIB,
					 c, 8), ==, 4);
}

static void test_lengths(void)
{
	const char *t =
		"100000000-101000000 rw-p 00000000 00:00 0 \n"
		"101000000-102000000 rw-s 00000000 00:00 0 \n"
		"102000000-103000000 rw-s 00000000 00:05 3 /memfd:a\n"
		"103000000-104000000 rw-s 05000000 00:05 3 /memfd:a\n"
		"104000000-105000000 rw-s 00000000 00:05 3 /memfd:b\n"
		"105000000-105fff000 rw-p 00000000 00:00 0 \n"     /* short */
		"200000000-201000000 rw-p 00000000 00:00 7 \n"     /* inode */
		"300000000-301000000 -w-p 00000000 00:00 0 \n";    /* no r */
	struct vs_ram_cand c[8];

	g_assert_cmpuint(vs_ramfind_maps(t, strlen(t), 16 * MIB, c, 8), ==, 5);
	g_assert_cmpuint(vs_ramfind_maps(t, strlen(t), 17 * MIB, c, 8), ==, 0);
}

/* A fake guest: 4-level tables at 0x1000.. mapping VA -> PA 0x6000 and a
 * 2 MiB page, in a 4 MiB "RAM". */
#define RAM_LEN (4 * MIB)
#define VA_4K   0xffffffff81234000ull
#define VA_2M   0xffff888000200000ull

static void set_pte(uint8_t *ram, uint64_t table, unsigned idx, uint64_t v)
{
	memcpy(ram + table + idx * 8, &v, 8);
}

static unsigned ix(uint64_t va, int level)
{
	return (unsigned)(va >> (12 + 9 * level)) & 511;
}

static uint8_t *fake_ram(void)
{
	uint8_t *ram = g_malloc0(RAM_LEN);

	set_pte(ram, 0x1000, ix(VA_4K, 3), 0x2000 | 3);
	set_pte(ram, 0x2000, ix(VA_4K, 2), 0x3000 | 3);
	set_pte(ram, 0x3000, ix(VA_4K, 1), 0x4000 | 3);
	set_pte(ram, 0x4000, ix(VA_4K, 0), 0x6000 | 3);
	set_pte(ram, 0x4000, ix(VA_4K, 0) + 1, 0x7000 | 3);
	set_pte(ram, 0x1000, ix(VA_2M, 3), 0x8000 | 3);
	set_pte(ram, 0x8000, ix(VA_2M, 2), 0x9000 | 3);
	set_pte(ram, 0x9000, ix(VA_2M, 1), 0x200000 | 0x83);   /* PS */
	for (unsigned i = 0; i < 0x2000; i++)
		ram[0x6000 + i] = (uint8_t)(i * 7 + 1);
	for (unsigned i = 0; i < 0x1000; i++)
		ram[0x200000 + 0x40 + i] = (uint8_t)(i ^ 0x5a);
	return ram;
}

static void probe_at(struct vs_ram_probe *p, uint64_t va, const uint8_t *src)
{
	p->va = va;
	memcpy(p->bytes, src, VS_RAMFIND_PROBE);
}

static void test_verify(void)
{
	uint8_t *ram = fake_ram();
	struct vs_ram_probe p[4];

	probe_at(&p[0], VA_4K + 0x10, ram + 0x6010);
	probe_at(&p[1], VA_4K + 0xfe0, ram + 0x6fe0);        /* crosses */
	probe_at(&p[2], VA_2M + 0x40, ram + 0x200040);
	probe_at(&p[3], 0xffffffff90000000ull, ram);         /* unmapped */
	/* PCID bits in CR3 are ignored; 3 of 4 translate and match. */
	g_assert_cmpint(vs_ramfind_verify(ram, RAM_LEN, 0x1000 | 5, 0, p, 4),
			==, 3);
	/* The wrong bytes: a wrong candidate. */
	p[2].bytes[63] ^= 1;
	g_assert_cmpint(vs_ramfind_verify(ram, RAM_LEN, 0x1000, 0, p, 4),
			==, -1);
	p[2].bytes[63] ^= 1;
	/* A limit below the 2 MiB page: that probe is not matched. */
	g_assert_cmpint(vs_ramfind_verify(ram, 0x200000, 0x1000, 0, p, 4),
			==, 2);
	/* A CR3 outside the candidate reads nothing. */
	g_assert_cmpint(vs_ramfind_verify(ram, RAM_LEN, 0x7ff000, 0, p, 4),
			==, 0);
	g_assert_cmpint(vs_ramfind_verify(ram, RAM_LEN, 1ull << 40, 0, p, 4),
			==, 0);
	g_free(ram);
}

static void test_verify_hostile(void)
{
	uint8_t *ram = fake_ram();
	struct vs_ram_probe p[1];
	struct vs_ram_view view = { ram, RAM_LEN, RAM_LEN };
	uint8_t b[16];

	/* A PTE pointing far past the mapping, and a table loop. */
	set_pte(ram, 0x4000, ix(VA_4K, 0), 0x000ffffffffff000ull | 1);
	set_pte(ram, 0x3000, ix(VA_4K, 1) + 1, 0x3000 | 3);
	probe_at(&p[0], VA_4K, ram + 0x6000);
	g_assert_cmpint(vs_ramfind_verify(ram, RAM_LEN, 0x1000, 0, p, 1),
			==, 0);
	probe_at(&p[0], VA_4K + 0x200000, ram + 0x6000);
	g_assert_cmpint(vs_ramfind_verify(ram, RAM_LEN, 0x1000, 0, p, 1),
			==, 0);
	/* The read callback never leaves the view, even near 2^64. */
	g_assert_cmpint(vs_ram_view_read(&view, RAM_LEN - 8, b, 16), ==,
			-EFAULT);
	g_assert_cmpint(vs_ram_view_read(&view, UINT64_MAX - 4, b, 16), ==,
			-EFAULT);
	g_assert_cmpint(vs_ram_view_read(&view, RAM_LEN - 16, b, 16), ==, 0);
	g_free(ram);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/qemu/ramfind/line", test_line);
	g_test_add_func("/qemu/ramfind/line-rejects", test_line_rejects);
	g_test_add_func("/qemu/ramfind/candidates", test_candidates);
	g_test_add_func("/qemu/ramfind/lengths", test_lengths);
	g_test_add_func("/qemu/ramfind/verify", test_verify);
	g_test_add_func("/qemu/ramfind/verify-hostile", test_verify_hostile);
	return g_test_run();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * failures.c - what must fail, and fail cleanly, on the synthetic guests:
 * a wrong offset (UniqueProcessId planted 8 bytes off) makes discovery
 * fail; cyclic, broken, self-looping and garbage ActiveProcessLinks give
 * -EINVAL / -EFAULT after the processes seen before the damage; damaged
 * profiles (truncated xz, a missing required struct, garbage) are refused
 * with a message; a profile without _EPROCESS.CreateTime still opens
 * (keys absent, Unreadable); a CreateTime no kernel writes (its
 * nanoseconds overflow 64 bits) gives an absent key named Unreadable, the
 * boundary value a key.
 * Run under AddressSanitizer too (README, tests section).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "common/stats.h"
#include "os/os.h"
#include "os/windows/windows.h"
#include "output/output.h"
#include "pipeline/options.h"
#include "plugins/plugin.h"
#include "scenario.h"
#include "wcheck.h"

extern const struct vs_plugin_ops vs_procmon_plugin_ops;

static int counted(const struct vs_proc *p, void *opaque)
{
	(void)p;
	(*(unsigned *)opaque)++;
	return 0;
}

static int open_os(struct wguest *g, const char *path,
		   struct vs_os_inst **os)
{
	struct vs_os_opts oo = { .vcpu = 0, .profile = path };

	return vs_os_open(g->s.be, "windows", &oo, os);
}

static void wrong_offset(const struct wt_readme *r, const char *dir, int col,
			 const char *path)
{
	struct scenario_state st = { 0 };
	struct vs_os_inst *os = NULL;
	struct wguest g;
	int rc;

	if (scenario_guest(&g, r, dir, col, &st, true) == 0) {
		rc = open_os(&g, path, &os);
		CHECK(rc == -ENOENT, "%s: a wrong UniqueProcessId offset must "
		      "fail discovery, got %d", r->build[col], rc);
		if (rc == 0)
			vs_os_close(os);
	}
	scenario_free(&st);
	wg_fini(&g);
}

/* Point app32's Flink at @target, then walk. */
static void damaged_ring(const struct wt_readme *r, const char *dir, int col,
			 const char *path, const char *what, int target_pid,
			 uint64_t raw_target, int want_rc, unsigned want_seen)
{
	struct scenario_state st = { 0 };
	struct vs_os_inst *os = NULL;
	struct wguest g;
	unsigned seen = 0;
	uint64_t ep, target = raw_target;
	int rc;

	if (scenario_guest(&g, r, dir, col, &st, false) < 0 ||
	    open_os(&g, path, &os) < 0) {
		CHECK(0, "%s %s: setup", r->build[col], what);
		goto out;
	}
	ep = scenario_eprocess(&st, 1800);
	if (target_pid)
		target = scenario_eprocess(&st, target_pid) + g.L.ep_links;
	synth_w64(&g.s, g.s.kpml4, ep + g.L.ep_links, target);
	rc = vs_os_proc_foreach(os, counted, &seen);
	CHECK(rc == want_rc && (want_seen == 0 || seen == want_seen),
	      "%s %s: rc %d (want %d), %u processes (want %u)",
	      r->build[col], what, rc, want_rc, seen, want_seen);
	/* A lookup through the same ring ends too. */
	{
		struct vs_win_view v;

		vs_win_view_init(&v, vs_win_of(os), 0);
		rc = vs_win_find_pid(&v, 99999, &ep);
		CHECK(rc == want_rc, "%s %s: find_pid %d", r->build[col], what, rc);
	}
	vs_os_close(os);
out:
	scenario_free(&st);
	wg_fini(&g);
}

/* A ring that never reaches PsActiveProcessHead: discovery says so. */
static void headless_ring(const struct wt_readme *r, const char *dir, int col,
			  const char *path)
{
	struct scenario_state st = { 0 };
	struct vs_os_inst *os = NULL;
	struct wguest g;
	uint64_t ep;
	int rc;

	if (scenario_guest(&g, r, dir, col, &st, false) == 0) {
		ep = scenario_eprocess(&st, 2468);
		synth_w64(&g.s, g.s.kpml4, ep + g.L.ep_links,
			  scenario_eprocess(&st, 1800) + g.L.ep_links);
		rc = open_os(&g, path, &os);
		CHECK(rc == -ENOENT, "%s: headless ring: %d", r->build[col], rc);
		if (rc == 0)
			vs_os_close(os);
	}
	scenario_free(&st);
	wg_fini(&g);
}

/* A page of random kernel-looking pointers as the next node. */
static void garbage_ring(const struct wt_readme *r, const char *dir, int col,
			 const char *path)
{
	struct scenario_state st = { 0 };
	struct vs_os_inst *os = NULL;
	struct wguest g;
	GRand *rnd = g_rand_new_with_seed(5 + col);
	unsigned seen = 0;
	uint64_t page, junk[512];
	int rc;

	if (scenario_guest(&g, r, dir, col, &st, false) < 0 ||
	    open_os(&g, path, &os) < 0) {
		CHECK(0, "%s garbage: setup", r->build[col]);
		goto out;
	}
	page = synth_kpage(&g.s);
	for (int i = 0; i < 512; i++)   /* into the page itself, or anywhere */
		junk[i] = i % 3 ? page + 8 * g_rand_int_range(rnd, 0, 512) :
			  ((uint64_t)g_rand_int(rnd) << 32) | g_rand_int(rnd);
	synth_write(&g.s, g.s.kpml4, page, junk, sizeof(junk));
	synth_w64(&g.s, g.s.kpml4, scenario_eprocess(&st, 1800) + g.L.ep_links,
		  page);
	rc = vs_os_proc_foreach(os, counted, &seen);
	CHECK(rc < 0 && seen >= 5 && seen < 600, "%s garbage ring: rc %d, %u "
	      "processes", r->build[col], rc, seen);
	vs_os_close(os);
out:
	g_rand_free(rnd);
	scenario_free(&st);
	wg_fini(&g);
}

static void write_tmp(const char *dir, const char *name, const void *buf,
		      size_t len, char **path)
{
	*path = g_build_filename(dir, name, NULL);
	g_file_set_contents(*path, buf, (gssize)len, NULL);
}

/* Damaged profiles: refused with a message, no crash. */
static void damaged_profiles(const struct wt_readme *r, const char *dir,
			     int col, const char *path)
{
	struct scenario_state st = { 0 };
	struct vs_win *w = NULL;
	struct wguest g;
	char *tmp = g_dir_make_tmp("vs-win-XXXXXX", NULL), *xz = NULL, *p;
	char err[512], *json, *hit;
	gsize xzlen = 0;
	size_t jlen = 0;
	int rc;

	if (!tmp || scenario_guest(&g, r, dir, col, &st, false) < 0) {
		CHECK(0, "damaged profiles: setup");
		goto out;
	}
	g_file_get_contents(path, &xz, &xzlen, NULL);
	write_tmp(tmp, "half.json.xz", xz, xzlen / 2, &p);
	err[0] = '\0';
	rc = vs_win_new(g.s.be, p, 0, &w, err, sizeof(err));
	CHECK(rc < 0 && strstr(err, "truncated"), "truncated xz: %d %s", rc, err);
	unlink(p);
	g_free(p);

	json = wt_xz_read(path, &jlen);
	hit = json ? strstr(json, "\"_KPCR\":") : NULL;
	if (hit) {
		memcpy(hit + 1, "_XPCR", 5);  /* the struct disappears */
		write_tmp(tmp, "nokpcr.json", json, jlen, &p);
		err[0] = '\0';
		rc = vs_win_new(g.s.be, p, 0, &w, err, sizeof(err));
		CHECK(rc == -ENOENT && strstr(err, "_KPCR"),
		      "profile without _KPCR: %d %s", rc, err);
		unlink(p);
		g_free(p);
		write_tmp(tmp, "cut.json", json, jlen / 3, &p);
		rc = vs_win_new(g.s.be, p, 0, &w, err, sizeof(err));
		CHECK(rc == -EINVAL && err[0], "truncated JSON: %d %s", rc, err);
		unlink(p);
		g_free(p);
	}
	CHECK(hit != NULL, "no _KPCR in the ISF text");
	write_tmp(tmp, "garbage.json", "\x01\x02garbage{{{", 13, &p);
	rc = vs_win_new(g.s.be, p, 0, &w, err, sizeof(err));
	CHECK(rc < 0 && err[0], "garbage profile: %d %s", rc, err);
	unlink(p);
	g_free(p);
	g_free(json);
	g_free(xz);
	rmdir(tmp);
out:
	g_free(tmp);
	scenario_free(&st);
	wg_fini(&g);
}

static void json_line(void *opaque, const struct vs_event *ev)
{
	GString *s = g_string_new(NULL);

	vs_format_event(VS_FMT_JSON, NULL, ev, s);
	g_ptr_array_add(opaque, g_string_free(s, FALSE));
}

/* The start-up line of @pid contains @want (and not @not, if given). */
static void line_has(GPtrArray *lines, const char *build, int pid,
		    const char *want, const char *not)
{
	char tag[32];
	const char *ln = NULL;

	snprintf(tag, sizeof(tag), "\"PID\":%d,", pid);
	for (unsigned i = 0; i < lines->len && !ln; i++)
		if (strstr(lines->pdata[i], tag))
			ln = lines->pdata[i];
	CHECK(ln && strstr(ln, want) && (!not || !strstr(ln, not)),
	      "%s: PID %d line lacks %s: %s", build, pid, want, ln ? ln : "none");
}

/* Start and stop procmon once over @g, its json lines into @lines. */
static void procmon_once(struct wguest *g, struct vs_os_inst *os,
			 GPtrArray *lines, const char *build)
{
	struct vs_monitor_opts mo;
	struct vs_stats stats;
	struct vs_plugin_ctx ctx;

	vs_monitor_opts_init(&mo);
	vs_stats_init(&stats);
	ctx = (struct vs_plugin_ctx){ .be = g->s.be, .os = os, .opts = &mo,
		.stats = &stats, .emit = json_line, .emit_opaque = lines };
	CHECK(vs_procmon_plugin_ops.start(&ctx) == 0, "%s: start", build);
	vs_procmon_plugin_ops.stop(&ctx);
	vs_monitor_opts_free(&mo);
}

/*
 * System's CreateTime all ones, app32's one past the largest value whose
 * nanoseconds fit 64 bits, lsass's exactly that value.
 */
static void hostile_create_time(const struct wt_readme *r, const char *dir,
				int col, const char *path)
{
	struct scenario_state st = { 0 };
	struct vs_os_inst *os = NULL;
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	struct wguest g;
	const uint64_t max = UINT64_MAX / 100;

	memset(&g, 0, sizeof(g));
	if (scenario_guest(&g, r, dir, col, &st, false) < 0 ||
	    open_os(&g, path, &os) < 0) {
		CHECK(0, "%s hostile CreateTime: setup", r->build[col]);
		goto out;
	}
	synth_w64(&g.s, g.s.kpml4, scenario_eprocess(&st, 4) + g.L.ep_ctime,
		  UINT64_MAX);
	synth_w64(&g.s, g.s.kpml4, scenario_eprocess(&st, 1800) + g.L.ep_ctime,
		  max + 1);
	synth_w64(&g.s, g.s.kpml4, scenario_eprocess(&st, 600) + g.L.ep_ctime,
		  max);
	procmon_once(&g, os, lines, r->build[col]);
	line_has(lines, r->build[col], 4, "\"Unreadable\":[\"ProcessKey\"]",
		 "\"ProcessKey\":\"");
	line_has(lines, r->build[col], 92,
		 "\"Unreadable\":[\"ParentProcessKey\"]", NULL);
	line_has(lines, r->build[col], 600, "-600-18446744073709551600\"",
		 "Unreadable");
	line_has(lines, r->build[col], 1800,
		 "\"Unreadable\":[\"ProcessKey\",\"ParentProcessKey\"]",
		 NULL);
out:
	if (os)
		vs_os_close(os);
	g_ptr_array_free(lines, TRUE);
	scenario_free(&st);
	wg_fini(&g);
}

/* A profile without _EPROCESS.CreateTime: the layer opens, every key is
 * absent and named Unreadable (and procmon warns once). */
static void no_create_time(const struct wt_readme *r, const char *dir,
			   int col, const char *path)
{
	struct scenario_state st = { 0 };
	struct vs_os_inst *os = NULL;
	GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
	char *tmp = g_dir_make_tmp("vs-win-XXXXXX", NULL), *json, *ep, *hit;
	char *p = NULL;
	struct wguest g;
	size_t jlen = 0;

	memset(&g, 0, sizeof(g));
	json = wt_xz_read(path, &jlen);
	ep = json ? strstr(json, "\"_EPROCESS\":") : NULL;
	hit = ep ? strstr(ep, "\"CreateTime\":") : NULL;
	CHECK(hit != NULL, "%s: no _EPROCESS.CreateTime in the ISF text",
	      r->build[col]);
	if (!hit || !tmp || scenario_guest(&g, r, dir, col, &st, false) < 0)
		goto out;
	hit[1] = 'X';                     /* "XreateTime": the member goes */
	write_tmp(tmp, "noctime.json", json, jlen, &p);
	CHECK(open_os(&g, p, &os) == 0, "%s: open without CreateTime",
	      r->build[col]);
	if (!os)
		goto out;
	procmon_once(&g, os, lines, r->build[col]);
	line_has(lines, r->build[col], 4, "\"Unreadable\":[\"ProcessKey\"]",
		 "\"ProcessKey\":\"");
	line_has(lines, r->build[col], 348,
		 "\"Unreadable\":[\"ProcessKey\",\"ParentProcessKey\"]",
		 "\"ProcessKey\":\"");
	vs_os_close(os);
out:
	if (p) {
		unlink(p);
		g_free(p);
	}
	if (tmp)
		rmdir(tmp);
	g_free(tmp);
	g_free(json);
	g_ptr_array_free(lines, TRUE);
	scenario_free(&st);
	wg_fini(&g);
}

/* UTF-16 to UTF-8: pairs, unpaired surrogates, truncation at a boundary. */
void test_strings(void);
void test_strings(void)
{
	/* "a", U+00E9, U+1F600 as a pair, lone high, lone low, high at end */
	const uint8_t u[] = { 'a', 0, 0xe9, 0, 0x3d, 0xd8, 0x00, 0xde,
			      0x3d, 0xd8, 'b', 0, 0x00, 0xde, 0x3d, 0xd8 };
	char out[64];
	bool tr = false;
	size_t n = vs_win_utf16_to_utf8(u, sizeof(u) / 2, out, sizeof(out), &tr);

	CHECK(n == 17 && !tr &&
	      !strcmp(out, "a\xc3\xa9\xf0\x9f\x98\x80\xef\xbf\xbd" "b"
		      "\xef\xbf\xbd\xef\xbf\xbd"),
	      "utf16: %zu bytes '%s' truncated %d", n, out, tr);
	/* Room for "a" and U+00E9 but not the 4-byte character. */
	n = vs_win_utf16_to_utf8(u, sizeof(u) / 2, out, 6, &tr);
	CHECK(n == 3 && tr && !strcmp(out, "a\xc3\xa9"),
	      "utf16 cut: %zu '%s' %d", n, out, tr);
}

void test_failures(struct wt_readme *r, const char *dir, int col);
void test_failures(struct wt_readme *r, const char *dir, int col)
{
	char *path = g_build_filename(dir, r->file[col], NULL);
	unsigned before = wc_fail;

	wrong_offset(r, dir, col, path);
	hostile_create_time(r, dir, col, path);
	/* The list and profile damage does not depend on the layout: two
	 * builds (8.1 and 19041, the two _EPROCESS families) suffice. */
	if (col != 0 && col != 3)
		goto out;
	/* System, Registry, smss, lsass, app32, then smss again: a cycle. */
	damaged_ring(r, dir, col, path, "cycle", 348, 0, -EINVAL, 5);
	damaged_ring(r, dir, col, path, "self-loop", 1800, 0, -EINVAL, 5);
	damaged_ring(r, dir, col, path, "broken link", 0,
		     0xFFFFF80FFFFF0000ull, -EFAULT, 5);
	headless_ring(r, dir, col, path);
	garbage_ring(r, dir, col, path);
	if (col == 3) {
		damaged_profiles(r, dir, col, path);
		no_create_time(r, dir, col, path);
	}
out:
	printf("windows %s: failure cases %s\n", r->build[col],
	       wc_fail == before ? "ok" : "FAILED");
	g_free(path);
}

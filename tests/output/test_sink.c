// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_sink.c - format names and the sinks of output.h: buffering (nothing
 * written below 4 KiB until a flush, whole lines only), several vCPU-like
 * threads emitting into one sink (every line intact, none lost, per-thread
 * order kept), an output set feeding two formats, a non-blocking pipe with
 * a slow reader (EAGAIN and short writes), and write errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "check.h"
#include "common/event.h"
#include "output/output.h"

CHECK_DEFINE;

#define NTHREADS 8
#define PER_THREAD 3000

static char big[600];

/* A small event whose line is long enough to make interleaving likely. */
static void make_event(struct vs_event *ev, int thread, int i)
{
	vs_event_init(ev, VS_EV_HOOK, VS_OS_LINUX, "procmon", "do_exit");
	ev->method = "do_exit";
	ev->time_us = 1700000000000000ULL + (uint64_t)i;
	ev->pid = 1000 + thread;
	ev->tid = i;
	ev->process_name.ptr = "/bin/t";
	ev->process_name.len = 6;
	vs_event_str(ev, "ThreadName", VS_FT_ESTR, big,
		     sizeof(big) - 1 - (size_t)thread * 7);
	vs_event_num(ev, "ExitStatus", i);
	vs_event_cstr(ev, "ExitStatusStr", VS_FT_RSTR, "EXIT_SUCCESS");
}

static char *tmp_path(const char *tag)
{
	return g_strdup_printf("%s/vs-output-%s-%d", g_get_tmp_dir(), tag,
			       (int)getpid());
}

static off_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_size : -1;
}

static void test_names(void)
{
	static const char *const names[] = { "default", "csv", "kv", "json",
					      "ocsf" };
	static const char *const bad[] = { "", "JSON", "def", "json ", "k",
					   "defaults" };
	enum vs_format f;

	for (int i = 0; i < 5; i++) {
		CHECK(vs_format_parse(names[i], &f) == 0 && (int)f == i,
		      "parse %s", names[i]);
		CHECK(strcmp(vs_format_name((enum vs_format)i), names[i]) == 0,
		      "name %d", i);
	}
	for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
		CHECK(vs_format_parse(bad[i], &f) == -EINVAL, "parse '%s'",
		      bad[i]);
	CHECK(vs_format_parse(NULL, &f) == -EINVAL, "parse NULL");
}

static void test_ocsf(void)
{
	static struct vs_event ev;
	GString *s = g_string_new("keep");

	make_event(&ev, 0, 1);
	CHECK(vs_format_event((enum vs_format)42, NULL, &ev, s) == -EINVAL,
	      "unknown format");
	CHECK(strcmp(s->str, "keep") == 0, "line untouched on error");
	/* ocsf lines are pinned by tests/ocsf; here: one line appended. */
	CHECK(vs_format_event(VS_FMT_OCSF, NULL, &ev, s) == 0 &&
	      g_str_has_prefix(s->str, "keep{") &&
	      strchr(s->str, '\n') == s->str + s->len - 1, "ocsf line");
	g_string_free(s, TRUE);
}

static void test_buffering(void)
{
	static struct vs_event ev;
	char *path = tmp_path("buf");
	struct vs_output *out = NULL;
	GString *line = g_string_new(NULL);
	off_t size;
	int n = 1;

	CHECK(vs_output_open_path(VS_FMT_KV, NULL, path, &out) == 0, "open");
	make_event(&ev, 0, 0);
	vs_format_event(VS_FMT_KV, NULL, &ev, line);
	CHECK(line->len < 64 * 1024, "test line shorter than the threshold");
	CHECK(vs_output_emit(out, &ev) == 0, "emit");
	CHECK(file_size(path) == 0, "one line stays buffered");
	CHECK(vs_output_flush(out) == 0, "flush");
	CHECK(file_size(path) == (off_t)line->len, "flush writes it");
	while (file_size(path) == (off_t)line->len && n < 100000) {
		vs_output_emit(out, &ev);
		n++;
	}
	size = file_size(path);
	CHECK(size > (off_t)line->len, "a write came before the limit");
	CHECK(n > 2 && (size_t)n * line->len > 64 * 1024 + line->len &&
	      (size_t)(n - 1) * line->len <= 64 * 1024 + line->len,
	      "written once just past 64 KiB (%d lines)", n);
	CHECK(size % (off_t)line->len == 0, "only whole lines written");
	CHECK(vs_output_close(out) == 0, "close");
	CHECK(file_size(path) == (off_t)((size_t)n * line->len),
	      "close flushes the rest");
	unlink(path);
	g_free(path);
	g_string_free(line, TRUE);
}

struct worker {
	struct vs_output *out;
	int thread;
};

static gpointer emit_thread(gpointer p)
{
	struct worker *w = p;
	struct vs_event *ev = g_new(struct vs_event, 1);

	for (int i = 0; i < PER_THREAD; i++) {
		make_event(ev, w->thread, i);
		if (vs_output_emit(w->out, ev) != 0)
			break;
	}
	g_free(ev);
	return NULL;
}

/* Every line must be exactly the line of its (thread, i), in order. */
static void check_concurrent_file(const char *path)
{
	static struct vs_event ev;
	int next[NTHREADS] = { 0 };
	gchar *text = NULL, **lines;
	GString *want = g_string_new(NULL);
	unsigned bad = 0, n;

	g_file_get_contents(path, &text, NULL, NULL);
	lines = g_strsplit(text ? text : "", "\n", -1);
	n = g_strv_length(lines);
	CHECK(n == NTHREADS * PER_THREAD + 1 && lines[n - 1][0] == '\0',
	      "%u lines, want %d", n - 1, NTHREADS * PER_THREAD);
	for (unsigned i = 0; i + 1 < n; i++) {
		const char *pid = strstr(lines[i], ",PID=");
		int t = pid ? atoi(pid + 5) - 1000 : -1;

		if (t < 0 || t >= NTHREADS || next[t] >= PER_THREAD) {
			bad++;
			continue;
		}
		make_event(&ev, t, next[t]++);
		g_string_truncate(want, 0);
		vs_format_event(VS_FMT_KV, NULL, &ev, want);
		g_string_truncate(want, want->len - 1);
		bad += strcmp(want->str, lines[i]) != 0;
	}
	CHECK(bad == 0, "%u lines torn, foreign or out of order", bad);
	g_strfreev(lines);
	g_free(text);
	g_string_free(want, TRUE);
}

static void test_concurrency(void)
{
	char *path = tmp_path("mt");
	struct vs_output *out = NULL;
	struct worker w[NTHREADS];
	GThread *th[NTHREADS];

	CHECK(vs_output_open_path(VS_FMT_KV, NULL, path, &out) == 0, "open");
	for (int i = 0; i < NTHREADS; i++) {
		w[i] = (struct worker){ out, i };
		th[i] = g_thread_new("emit", emit_thread, &w[i]);
	}
	/* A flusher racing the emitters, as the 100 ms timer does. */
	for (int i = 0; i < 200; i++) {
		CHECK(vs_output_flush(out) == 0, "flush while emitting");
		g_usleep(500);
	}
	for (int i = 0; i < NTHREADS; i++)
		g_thread_join(th[i]);
	CHECK(vs_output_close(out) == 0, "close");
	check_concurrent_file(path);
	unlink(path);
	g_free(path);
}

static unsigned count_lines(const char *s)
{
	unsigned n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_set(void)
{
	static struct vs_event ev;
	char *pj = tmp_path("set.json"), *pc = tmp_path("set.csv");
	struct vs_output_set set;
	struct vs_output *a = NULL, *b = NULL;
	gchar *tj = NULL, *tc = NULL;

	vs_output_set_init(&set);
	CHECK(vs_output_open_path(VS_FMT_JSON, NULL, pj, &a) == 0, "open json");
	CHECK(vs_output_open_path(VS_FMT_CSV, NULL, pc, &b) == 0, "open csv");
	CHECK(vs_output_set_add(&set, a) == 0 && vs_output_set_add(&set, b) == 0,
	      "add");
	for (int i = 0; i < 3; i++) {
		make_event(&ev, 1, i);
		CHECK(vs_output_set_emit(&set, &ev) == 0, "set emit");
	}
	CHECK(vs_output_set_flush(&set) == 0, "set flush");
	CHECK(vs_output_set_close(&set) == 0 && set.count == 0, "set close");
	g_file_get_contents(pj, &tj, NULL, NULL);
	g_file_get_contents(pc, &tc, NULL, NULL);
	CHECK(tj && g_str_has_prefix(tj, "{\"Plugin\":\"procmon\"") &&
	      count_lines(tj) == 3, "json file");
	CHECK(tc && g_str_has_prefix(tc, "procmon 1700000000.000000,0,0x0,0,"
				     "1001,0,0,\"/bin/t\",do_exit,\"") &&
	      count_lines(tc) == 3, "csv file");
	CHECK(vs_output_open_path(VS_FMT_JSON, NULL, "/dev/null", &a) == 0,
	      "open /dev/null");
	for (int i = 0; i < VS_OUTPUT_SET_MAX; i++)
		vs_output_set_add(&set, a);
	CHECK(vs_output_set_add(&set, a) == -E2BIG, "set full");
	set.count = 0;
	vs_output_close(a);
	unlink(pj);
	unlink(pc);
	g_free(tj);
	g_free(tc);
	g_free(pj);
	g_free(pc);
}

struct reader {
	int fd;
	GString *got;
};

static gpointer slow_reader(gpointer p)
{
	struct reader *r = p;
	char buf[700];
	ssize_t n;

	while ((n = read(r->fd, buf, sizeof(buf))) != 0) {
		if (n > 0)
			g_string_append_len(r->got, buf, n);
		else if (errno != EINTR)
			break;
		g_usleep(200);
	}
	return NULL;
}

static void test_pipe(void)
{
	static struct vs_event ev;
	struct reader r = { .got = g_string_new(NULL) };
	GString *want = g_string_new(NULL);
	struct vs_output *out = NULL;
	int fds[2];
	GThread *th;

	CHECK(pipe(fds) == 0, "pipe");
	fcntl(fds[1], F_SETPIPE_SZ, 4096);
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	r.fd = fds[0];
	th = g_thread_new("reader", slow_reader, &r);
	CHECK(vs_output_open_fd(VS_FMT_CSV, NULL, fds[1], &out) == 0, "open");
	for (int i = 0; i < 400; i++) {
		make_event(&ev, 2, i);
		vs_format_event(VS_FMT_CSV, NULL, &ev, want);
		CHECK(vs_output_emit(out, &ev) == 0, "emit to a full pipe");
	}
	CHECK(vs_output_close(out) == 0, "close flushes into the pipe");
	close(fds[1]);
	g_thread_join(th);
	close(fds[0]);
	CHECK(r.got->len == want->len && memcmp(r.got->str, want->str,
						want->len) == 0,
	      "pipe got %zu of %zu bytes intact", r.got->len, want->len);
	g_string_free(r.got, TRUE);
	g_string_free(want, TRUE);
}

static void test_errors(void)
{
	static struct vs_event ev;
	struct vs_output *out = NULL;
	int fds[2];

	CHECK(vs_output_open_path(VS_FMT_JSON, NULL, "/nonexistent/dir/x",
				  &out) == -ENOENT, "open in a missing dir");
	CHECK(vs_output_open_fd(VS_FMT_JSON, NULL, -1, &out) == -EINVAL,
	      "bad fd");
	signal(SIGPIPE, SIG_IGN);
	CHECK(pipe(fds) == 0, "pipe");
	close(fds[0]);
	CHECK(vs_output_open_fd(VS_FMT_JSON, NULL, fds[1], &out) == 0, "open");
	make_event(&ev, 0, 0);
	CHECK(vs_output_emit(out, &ev) == 0, "buffered emit succeeds");
	CHECK(vs_output_flush(out) == -EPIPE, "flush reports EPIPE");
	CHECK(vs_output_flush(out) == 0, "the failed data was dropped");
	CHECK(vs_output_close(out) == 0, "close");
	close(fds[1]);
	CHECK(vs_output_close(NULL) == 0, "close NULL");
}

int main(void)
{
	memset(big, 'x', sizeof(big) - 1);
	test_names();
	test_ocsf();
	test_buffering();
	test_concurrency();
	test_set();
	test_pipe();
	test_errors();
	return check_done("sink");
}

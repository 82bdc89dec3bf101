// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * output.c - format names, the dispatch of vs_format_event() to the format
 * files, and the sinks (struct vs_output, struct vs_output_set).
 *
 * A sink formats each event outside its lock, into a per-thread scratch
 * string, then appends the finished line to its buffer under the lock, so
 * lines of concurrent vCPU threads never interleave and the lock is held
 * only for a copy (and a write when the buffer passes 4 KiB). Writes retry
 * on EINTR and short writes; a failed write drops the pending data and is
 * reported to the caller, which decides whether to stop.
 */
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "common/event.h"
#include "format.h"
#include "ocsf.h"

/*
 * Whole lines are buffered and written when more than this many bytes are
 * pending (or by the caller's periodic flush: the QEMU plugin's flusher
 * thread every 100 ms, the CLI at exit). The write then happens inside a
 * hook callback on a vCPU thread, i.e. in guest time: at 64 KiB that is one
 * write per ~150 events instead of one per ~10 (bench/README.md measured
 * the 4 KiB writes at about a tenth of the callbacks' time).
 */
#define FLUSH_THRESHOLD (64 * 1024)

static const char *const format_names[] = {
	[VS_FMT_DEFAULT] = "default",
	[VS_FMT_CSV] = "csv",
	[VS_FMT_KV] = "kv",
	[VS_FMT_JSON] = "json",
	[VS_FMT_OCSF] = "ocsf",
};

int vs_format_parse(const char *name, enum vs_format *out)
{
	if (!name)
		return -EINVAL;
	for (size_t i = 0; i < G_N_ELEMENTS(format_names); i++) {
		if (strcmp(name, format_names[i]) == 0) {
			*out = (enum vs_format)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *vs_format_name(enum vs_format fmt)
{
	if ((unsigned)fmt >= G_N_ELEMENTS(format_names))
		return "?";
	return format_names[fmt];
}

int vs_format_event(enum vs_format fmt, const struct vs_format_opts *o,
		    const struct vs_event *ev, GString *line)
{
	static const struct vs_format_opts none;
	struct vs_fmt f = {
		.fmt = fmt, .o = o ? *o : none, .ev = ev, .line = line,
	};
	gsize start = line->len;
	int err;

	if ((unsigned)fmt > VS_FMT_OCSF)
		return -EINVAL;
	vs_fmt_select(&f);
	switch (fmt) {
	case VS_FMT_DEFAULT:
		err = vs_fmt_default(&f);
		break;
	case VS_FMT_CSV:
		err = vs_fmt_csv(&f);
		break;
	case VS_FMT_KV:
		err = vs_fmt_kv(&f);
		break;
	case VS_FMT_OCSF:
		err = vs_fmt_ocsf(&f);
		break;
	default:
		err = vs_fmt_json(&f);
		break;
	}
	if (f.tmp)
		g_string_free(f.tmp, TRUE);
	if (err)
		g_string_truncate(line, start);
	return err;
}

struct vs_output {
	enum vs_format fmt;
	struct vs_format_opts opts;
	int fd;
	bool own_fd;
	bool per_line;      /* a terminal: write every line at once */
	GMutex lock;
	GString *buf;       /* pending bytes, whole lines only */
};

static void free_scratch(gpointer p)
{
	g_string_free(p, TRUE);
}

/* Per-thread scratch line, so emit allocates nothing in the steady state. */
static GPrivate scratch_key = G_PRIVATE_INIT(free_scratch);

static GString *scratch(void)
{
	GString *s = g_private_get(&scratch_key);

	if (!s) {
		s = g_string_sized_new(1024);
		g_private_set(&scratch_key, s);
	}
	g_string_truncate(s, 0);
	return s;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w > 0) {
			p += w;
			n -= (size_t)w;
		} else if (w < 0 && errno == EINTR) {
			continue;
		} else if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };

			if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
				return -errno;
		} else {
			return w < 0 ? -errno : -EIO;
		}
	}
	return 0;
}

static int flush_locked(struct vs_output *out)
{
	int err;

	if (out->buf->len == 0)
		return 0;
	err = write_all(out->fd, out->buf->str, out->buf->len);
	g_string_truncate(out->buf, 0);
	return err;
}

int vs_output_open_fd(enum vs_format fmt, const struct vs_format_opts *o,
		      int fd, struct vs_output **out)
{
	struct vs_output *s;

	if (fd < 0 || (unsigned)fmt >= G_N_ELEMENTS(format_names) || !out)
		return -EINVAL;
	s = g_try_new0(struct vs_output, 1);
	if (!s)
		return -ENOMEM;
	s->fmt = fmt;
	if (o)
		s->opts = *o;
	s->fd = fd;
	s->per_line = isatty(fd) == 1;
	g_mutex_init(&s->lock);
	s->buf = g_string_sized_new(2 * FLUSH_THRESHOLD);
	*out = s;
	return 0;
}

int vs_output_open_path(enum vs_format fmt, const struct vs_format_opts *o,
			const char *path, struct vs_output **out)
{
	int fd, err;

	if (!path || !out)
		return -EINVAL;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return -errno;
	err = vs_output_open_fd(fmt, o, fd, out);
	if (err) {
		close(fd);
		return err;
	}
	(*out)->own_fd = true;
	return 0;
}

int vs_output_emit(struct vs_output *out, const struct vs_event *ev)
{
	GString *line = scratch();
	int err = vs_format_event(out->fmt, &out->opts, ev, line);

	if (err)
		return err;
	g_mutex_lock(&out->lock);
	g_string_append_len(out->buf, line->str, (gssize)line->len);
	if (out->per_line || out->buf->len > FLUSH_THRESHOLD)
		err = flush_locked(out);
	g_mutex_unlock(&out->lock);
	return err;
}

int vs_output_flush(struct vs_output *out)
{
	int err;

	g_mutex_lock(&out->lock);
	err = flush_locked(out);
	g_mutex_unlock(&out->lock);
	return err;
}

int vs_output_close(struct vs_output *out)
{
	int err;

	if (!out)
		return 0;
	err = vs_output_flush(out);
	if (out->own_fd && close(out->fd) < 0 && !err && errno != EINTR)
		err = -errno;
	g_string_free(out->buf, TRUE);
	g_mutex_clear(&out->lock);
	g_free(out);
	return err;
}

enum vs_format vs_output_format(const struct vs_output *out)
{
	return out->fmt;
}

void vs_output_set_init(struct vs_output_set *set)
{
	memset(set, 0, sizeof(*set));
}

int vs_output_set_add(struct vs_output_set *set, struct vs_output *out)
{
	if (set->count >= VS_OUTPUT_SET_MAX)
		return -E2BIG;
	set->outs[set->count++] = out;
	return 0;
}

int vs_output_set_emit(struct vs_output_set *set, const struct vs_event *ev)
{
	int first = 0;

	for (size_t i = 0; i < set->count; i++) {
		int err = vs_output_emit(set->outs[i], ev);

		if (err && !first)
			first = err;
	}
	return first;
}

int vs_output_set_flush(struct vs_output_set *set)
{
	int first = 0;

	for (size_t i = 0; i < set->count; i++) {
		int err = vs_output_flush(set->outs[i]);

		if (err && !first)
			first = err;
	}
	return first;
}

int vs_output_set_close(struct vs_output_set *set)
{
	int first = 0;

	for (size_t i = 0; i < set->count; i++) {
		int err = vs_output_close(set->outs[i]);

		if (err && !first)
			first = err;
		set->outs[i] = NULL;
	}
	set->count = 0;
	return first;
}

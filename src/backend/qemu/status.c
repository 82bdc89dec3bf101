// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * status.c - the monitoring status the QEMU plugin reports to `vmiscope
 * run` through status_file= (options.h): a first line "ok", "incomplete"
 * or "failed", then the reason. `run` creates the file and exits 4 when it
 * says incomplete. The file is rewritten on every raise (so a QEMU that is
 * killed still leaves the news) and at exit; it is never created here.
 */
#include "qemu.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "common/log.h"

static GMutex status_lock;
static enum vs_qemu_status status;
static char *status_reason;
static char *status_path;

const char *vs_qemu_status_name(enum vs_qemu_status st)
{
	switch (st) {
	case VS_QEMU_STATUS_OK:
		return "ok";
	case VS_QEMU_STATUS_INCOMPLETE:
		return "incomplete";
	default:
		return "failed";
	}
}

void vs_qemu_status_set_file(const char *path)
{
	g_mutex_lock(&status_lock);
	g_free(status_path);
	status_path = g_strdup(path);
	g_mutex_unlock(&status_lock);
}

/* status_lock held. */
static int status_write_locked(void)
{
	GString *text;
	ssize_t n;
	int fd, ret = 0;

	if (!status_path)
		return 0;
	fd = open(status_path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		vs_warn("cannot write status file %s: %s", status_path,
			strerror(errno));
		return ret;
	}
	text = g_string_new(vs_qemu_status_name(status));
	g_string_append_c(text, '\n');
	if (status_reason)
		g_string_append_printf(text, "%s\n", status_reason);
	n = write(fd, text->str, text->len);
	if (n < 0 || (size_t)n != text->len)
		ret = n < 0 ? -errno : -EIO;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	g_string_free(text, TRUE);
	return ret;
}

int vs_qemu_status_write(void)
{
	int ret;

	g_mutex_lock(&status_lock);
	ret = status_write_locked();
	g_mutex_unlock(&status_lock);
	return ret;
}

void vs_qemu_status_raise(enum vs_qemu_status st, const char *reason)
{
	g_mutex_lock(&status_lock);
	if (st > status) {
		status = st;
		g_free(status_reason);
		status_reason = g_strdup(reason ? reason : "");
		/* One line: the reason is free text from any layer. */
		g_strdelimit(status_reason, "\r\n", ' ');
		status_write_locked();
	}
	g_mutex_unlock(&status_lock);
}

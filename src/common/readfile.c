// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * readfile.c - bounded whole reads (readfile.h). /proc files hand out a
 * page or so per read() and a signal may cut any read short, so "read
 * once" is never "read all"; this loop is.
 */
#include "common/readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

ssize_t vs_read_full(int fd, void *buf, size_t cap)
{
	char *p = buf;
	size_t used = 0;

	while (used < cap) {
		ssize_t n = read(fd, p + used, cap - used);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		used += (size_t)n;
	}
	return (ssize_t)used;
}

ssize_t vs_read_path(const char *path, void *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = vs_read_full(fd, buf, cap);
	close(fd);
	return n;
}

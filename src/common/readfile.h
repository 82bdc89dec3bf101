/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * readfile.h - bounded whole reads: fill a caller's buffer from a file
 * descriptor or a path until it is full or the file ends, retrying on
 * EINTR. The one read loop behind /proc reads (the QEMU plugin's maps
 * scan, attach's look at the QEMU process) and profile loading.
 */
#ifndef VS_COMMON_READFILE_H
#define VS_COMMON_READFILE_H

#include <stddef.h>
#include <sys/types.h>

/* Read up to @cap bytes; fewer only at end of file. Bytes read or -errno. */
ssize_t vs_read_full(int fd, void *buf, size_t cap);

/* The same from the start of file @path (opened and closed here). */
ssize_t vs_read_path(const char *path, void *buf, size_t cap);

#endif /* VS_COMMON_READFILE_H */

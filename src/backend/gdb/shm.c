// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * shm.c - guest RAM from a shared memory-backend file (shm.h): the file
 * is mapped read-only and shared, so reads (backend/ramview.c) see the
 * guest's stores as they happen, at memcpy cost; here the file is
 * mapped and its layout (where the PCI hole splits it) chosen.
 */
#include "backend/gdb/shm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define GIB (1ull << 30)

uint64_t vs_gdb_shm_low(enum vs_gdb_layout layout, uint64_t size)
{
	if (layout == VS_GDB_LAYOUT_Q35)
		return size >= 0xb0000000ull ? 2 * GIB : size;
	return size >= 0xe0000000ull ? 3 * GIB : size;
}

int vs_gdb_shm_open(const char *path, enum vs_gdb_layout layout,
		    struct vs_gdb_shm *shm, char *err, size_t errlen)
{
	struct stat st;
	void *map;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	memset(shm, 0, sizeof(*shm));
	if (fd < 0 || fstat(fd, &st) < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-rc));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < (1 << 20)) {
		snprintf(err, errlen, "%s: not a guest RAM file (a regular "
			 "file of at least 1 MiB)", path);
		close(fd);
		return -EINVAL;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	rc = map == MAP_FAILED ? -errno : 0;
	close(fd);
	if (rc < 0) {
		snprintf(err, errlen, "%s: cannot map: %s", path, strerror(-rc));
		return rc;
	}
	shm->view.base = map;
	shm->view.size = (uint64_t)st.st_size;
	shm->view.low = vs_gdb_shm_low(layout, shm->view.size);
	return 0;
}

void vs_gdb_shm_close(struct vs_gdb_shm *shm)
{
	if (shm->view.base)
		munmap((void *)shm->view.base, shm->view.size);
	shm->view.base = NULL;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * shm.c - guest-physical reads from a shared memory-backend file (shm.h):
 * the file is mapped read-only and shared, so reads see the guest's
 * stores as they happen, at memcpy cost. Physical addresses in the PCI
 * hole or past the end of RAM are -EFAULT.
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
#define FOUR_GIB (4ull << 30)

uint64_t vs_gdb_shm_low(enum vs_gdb_layout layout, uint64_t size)
{
	if (layout == VS_GDB_LAYOUT_Q35)
		return size >= 0xb0000000ull ? 2 * GIB : size;
	return size >= 0xe0000000ull ? 3 * GIB : size;
}

int vs_gdb_shm_offset(uint64_t size, uint64_t low, uint64_t pa,
		      uint64_t *off)
{
	if (pa < low) {
		*off = pa;
		return 0;
	}
	if (pa >= FOUR_GIB && pa - FOUR_GIB < size - low) {
		*off = low + (pa - FOUR_GIB);
		return 0;
	}
	return -EFAULT;
}

int vs_gdb_shm_read(void *opaque, uint64_t pa, void *buf, size_t len)
{
	const struct vs_gdb_shm *shm = opaque;
	uint8_t *out = buf;

	while (len) {
		uint64_t off, n;

		if (vs_gdb_shm_offset(shm->size, shm->low, pa, &off) < 0)
			return -EFAULT;
		/* Stay inside the contiguous piece this offset is in. */
		n = pa < shm->low ? shm->low - pa :
		    shm->size - off;
		if (n > len)
			n = len;
		memcpy(out, shm->map + off, n);
		out += n;
		pa += n;
		len -= n;
	}
	return 0;
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
	shm->map = map;
	shm->size = (uint64_t)st.st_size;
	shm->low = vs_gdb_shm_low(layout, shm->size);
	return 0;
}

void vs_gdb_shm_close(struct vs_gdb_shm *shm)
{
	if (shm->map)
		munmap((void *)shm->map, shm->size);
	shm->map = NULL;
}

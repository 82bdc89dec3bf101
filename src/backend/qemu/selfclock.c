// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * selfclock.c - the plugin's own clock for benchmarks (self_clock=PATH).
 *
 * Guest time under TCG is host time, and on a shared host it swings by a
 * factor of two from one second to the next (bench/README.md, the A/A
 * noise floor), so a 2 % slowdown cannot be seen in guest time alone. What
 * can be measured at the same moments as the guest's own clock is how long
 * the vCPU thread spent inside vmiscope: every hook callback and every
 * translation callback is timed (CLOCK_MONOTONIC) and added to a counter
 * of that vCPU (translations, whose vCPU QEMU does not name, to vCPU 0's)
 * in a small file shared with the benchmark (MAP_SHARED), which
 * reads it when the guest prints a workload's begin and end marks. Layout:
 * one 64-byte record per vCPU of struct vs_qemu_clock (host byte order).
 * Off unless asked for: then the hot path costs one well-predicted branch.
 */
#include "priv.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

uint64_t vs_qemu_clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

int vs_qemu_selfclock_open(struct vs_backend *be, const char *path)
{
	struct vs_qemu *q = vs_qemu_of(be);
	size_t len = (size_t)q->max_vcpus * sizeof(struct vs_qemu_clock);
	void *m;
	int fd, err;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (ftruncate(fd, (off_t)len) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	err = m == MAP_FAILED ? -errno : 0;
	close(fd);
	if (err)
		return err;
	memset(m, 0, len);
	q->clock = m;
	return 0;
}

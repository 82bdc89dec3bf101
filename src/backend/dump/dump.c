// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dump.c - the "dump" backend: a QEMU dump-guest-memory ELF core mapped
 * read-only. Physical reads are served from the PT_LOAD ranges (binary
 * search, a read may span adjacent ranges), virtual reads by the page
 * walker with the vCPU's CR4.LA57 and PTI retry, registers from the QEMU
 * CPU-state notes. The clock is the dump's modification time.
 */
#include "backend/dump/dump.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "backend/dump/elfcore.h"
#include "backend/pagewalk.h"

struct dump {
	const uint8_t *map;
	size_t size;
	uint64_t mtime_us;
	struct vs_elfcore core;
};

static const struct vs_elfcore_range *find_range(const struct dump *d,
						 uint64_t pa)
{
	size_t lo = 0, hi = d->core.nranges;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct vs_elfcore_range *r = &d->core.ranges[mid];

		if (pa < r->pa)
			hi = mid;
		else if (pa - r->pa >= r->len)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

static int dump_read_pa_raw(void *opaque, uint64_t pa, void *buf, size_t len)
{
	const struct dump *d = opaque;
	uint8_t *out = buf;

	while (len) {
		const struct vs_elfcore_range *r = find_range(d, pa);
		uint64_t n;

		if (!r)
			return -EFAULT;
		n = r->len - (pa - r->pa);
		if (n > len)
			n = len;
		memcpy(out, d->map + r->file_off + (pa - r->pa), n);
		out += n;
		pa += n;
		len -= n;
	}
	return 0;
}

static int dump_read_pa(struct vs_backend *be, uint64_t pa, void *buf,
			size_t len)
{
	return dump_read_pa_raw(be->priv, pa, buf, len);
}

static int dump_walker(struct dump *d, unsigned vcpu, uint64_t *dtb,
		       struct vs_pagewalk *pw)
{
	if (vcpu >= d->core.nvcpus)
		return -EINVAL;
	vs_pagewalk_for_vcpu(pw, dump_read_pa_raw, d,
			     d->core.regs[vcpu][VS_X86_CR3],
			     d->core.regs[vcpu][VS_X86_CR4], dtb);
	return 0;
}

static int dump_read_va(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
			uint64_t va, void *buf, size_t len)
{
	struct vs_pagewalk pw;
	int rc = dump_walker(be->priv, vcpu, &dtb, &pw);

	return rc < 0 ? rc : vs_pagewalk_read(&pw, dtb, va, buf, len);
}

static int dump_translate(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
			  uint64_t va, uint64_t *pa)
{
	struct vs_pagewalk pw;
	int rc = dump_walker(be->priv, vcpu, &dtb, &pw);

	return rc < 0 ? rc : vs_pagewalk_translate(&pw, dtb, va, pa, NULL);
}

static int dump_reg_id(struct vs_backend *be, const char *name, int *id)
{
	return vs_x86_reg_lookup(name, id);
}

static int dump_read_reg(struct vs_backend *be, unsigned vcpu, int id,
			 uint64_t *val)
{
	struct dump *d = be->priv;

	if (vcpu >= d->core.nvcpus || id < 0 || id >= VS_X86_NREGS)
		return -EINVAL;
	*val = d->core.regs[vcpu][id];
	return 0;
}

static unsigned dump_vcpu_count(struct vs_backend *be)
{
	return ((struct dump *)be->priv)->core.nvcpus;
}

static uint64_t dump_clock_us(struct vs_backend *be)
{
	return ((struct dump *)be->priv)->mtime_us;
}

static void dump_close(struct vs_backend *be)
{
	struct dump *d = be->priv;

	vs_elfcore_free(&d->core);
	munmap((void *)d->map, d->size);
	g_free(d);
	g_free(be);
}

int vs_dump_open(const char *path, struct vs_backend **out)
{
	struct dump *d = g_new0(struct dump, 1);
	struct vs_backend *be;
	struct stat st;
	void *map;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		rc = -errno;
		goto out;
	}
	if (st.st_size <= 0) {
		rc = -EPROTO;
		goto out;
	}
	map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		rc = -errno;
		goto out;
	}
	d->map = map;
	d->size = st.st_size;
	d->mtime_us = (uint64_t)st.st_mtim.tv_sec * 1000000 +
		      st.st_mtim.tv_nsec / 1000;
	rc = vs_elfcore_parse(d->map, d->size, &d->core);
	if (rc < 0) {
		munmap(map, d->size);
		goto out;
	}
	be = g_new0(struct vs_backend, 1);
	be->ops = &vs_dump_backend_ops;
	be->priv = d;
	*out = be;
	close(fd);
	return 0;
out:
	if (fd >= 0)
		close(fd);
	g_free(d);
	return rc;
}

const struct vs_backend_ops vs_dump_backend_ops = {
	.name = "dump",
	.caps = VS_CAP_PHYS | VS_CAP_ANY_DTB,
	.close = dump_close,
	.reg_id = dump_reg_id,
	.read_reg = dump_read_reg,
	.read_va = dump_read_va,
	.read_pa = dump_read_pa,
	.translate = dump_translate,
	.vcpu_count = dump_vcpu_count,
	.clock_us = dump_clock_us,
};

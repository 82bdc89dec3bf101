/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linux.h - the Linux OS instance, shared inside src/os/linux/ and with
 * the unit and integration test tools (which compare what was discovered
 * with the guest's own account). Nothing outside src/os/ and tests/
 * includes it: everyone else uses os.h.
 */
#ifndef VS_OS_LINUX_LINUX_H
#define VS_OS_LINUX_LINUX_H

#include "os/guestmem.h"
#include "os/linux/btf.h"
#include "os/linux/kallsyms.h"
#include "os/linux/offsets.h"
#include "os/os.h"

struct vs_profile;

#define VS_LX_TEXT_REGION 0xffffffff80000000ull  /* PML4[511], PDPT[510] */
#define VS_LX_PF_KTHREAD  0x00200000u
#define VS_LX_TIF_ADDR32  29
#define VS_LX_MAX_TASKS   (1u << 18)
#define VS_LX_MAX_PATH_DEPTH 256

struct vs_lx {
	struct vs_backend *be;
	struct vs_gmem km;            /* kernel address space */
	uint64_t text, text_pa;       /* _text; text_pa 0 when unknown */
	struct vs_kallsyms *ks;
	struct btf *btf;
	uint8_t *btf_blob;
	size_t btf_len;
	struct vs_profile *prof;      /* -r: symbols and offsets from it */
	int64_t slide;                /* with prof: runtime - profile _text */
	struct vs_lx_offsets off;
	uint64_t init_task;
	uint64_t cur_sym;             /* per-CPU current_task or pcpu_hot */
	uint64_t cur_member;          /* 0, or pcpu_hot.current_task */
	uint64_t per_cpu_offset;      /* __per_cpu_offset[], 0 unknown */
	/* Register ids resolved once at open: the current-task lookup runs on
	 * every hook hit. -1 where the backend has no such register. */
	int reg_cs, reg_gs_base, reg_k_gs_base;
	struct vs_os_info info;
};

/* The instance behind a Linux struct vs_os_inst. */
static inline struct vs_lx *vs_lx_of(struct vs_os_inst *os)
{
	return os->priv;
}

/**
 * vs_lx_find_text() - _text from the kernel mapping (method A).
 * The kernel image is the first present 2 MiB page of
 * [0xffffffff80000000, +1 GiB): boot clears every other level2_kernel_pgt
 * entry. Translates through @dtb where the backend can, else probes with
 * 1-byte virtual reads. Returns 0, *@text and *@pa (0 if not translated),
 * or -ENOENT.
 */
int vs_lx_find_text(struct vs_backend *be, unsigned vcpu, uint64_t dtb,
		    uint64_t *text, uint64_t *pa);

extern const struct vs_os_ops vs_linux_os_ops;

/* lxprofile.c: the -r path; symbol and member lookups of either path. */
int vs_lx_profile_load(struct vs_lx *lx, const char *path);
int vs_lx_profile_try_dtb(struct vs_lx *lx, unsigned vcpu, uint64_t dtb);
int vs_lx_profile_offsets(struct vs_lx *lx);
int vs_lx_symbol(struct vs_lx *lx, const char *name, uint64_t *va);
int vs_lx_member(struct vs_lx *lx, const char *type, const char *member,
		 struct vs_btf_member *out);

/* tasks.c */
int vs_lx_task_read(struct vs_lx *lx, uint64_t task, struct vs_proc *p);
int vs_lx_task_foreach(struct vs_lx *lx, vs_proc_fn fn, void *opaque);
int vs_lx_current_task(struct vs_lx *lx, unsigned vcpu, uint64_t *task);
/* Rebuild the path of a `struct path` at @path across mount points. */
int vs_lx_path_read(struct vs_lx *lx, uint64_t path, char *buf, size_t cap,
		    size_t *len, bool *truncated);

#endif /* VS_OS_LINUX_LINUX_H */

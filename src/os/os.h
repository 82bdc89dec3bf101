/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * os.h - the OS layer: what the guest's memory means.
 *
 * An OS implementation (Linux today; Windows next) opens on top of any
 * backend, discovers the kernel from memory alone (no profile needed for
 * Linux: kallsyms and BTF come from the guest) and then answers, for the
 * plugins and the CLI: kernel symbols by name, struct member offsets by
 * name, the process list, one process by its kernel object, and the
 * current task of a vCPU. The same code serves a dump and a live VM: it
 * only uses backend.h, through the bounded readers of guestmem.h.
 *
 * struct vs_proc is the OS-neutral process record. Strings are byte
 * strings from the guest (NUL-terminated copies, but not necessarily
 * printable); the output layer escapes them.
 *
 * Errors: 0 or -errno as in guestmem.h; -ENOENT for an unknown symbol,
 * type or member; -EOPNOTSUPP for an op an OS lacks.
 */
#ifndef VS_OS_OS_H
#define VS_OS_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend/backend.h"
#include "common/event.h"

#define VS_PROC_COMM_MAX 64
#define VS_PROC_PATH_MAX 4096

/* Fields of struct vs_proc that could not be read (vs_proc.unreadable). */
#define VS_PROC_U_PPID   (1u << 0)
#define VS_PROC_U_COMM   (1u << 1)
#define VS_PROC_U_CRED   (1u << 2)
#define VS_PROC_U_PATH   (1u << 3)
#define VS_PROC_U_FLAGS  (1u << 4)

struct vs_proc {
	uint64_t obj;              /* task_struct (Linux) / EPROCESS address */
	int64_t pid;               /* process id: Linux tgid */
	int64_t tid;               /* thread id: Linux task pid */
	int64_t ppid;              /* parent's process id, -1 unknown */
	int64_t uid, euid;         /* -1 unknown */
	bool kernel_thread;
	int bitness;               /* 64, or 32 for compat tasks */
	uint64_t start_time_ns;    /* since boot */
	char comm[VS_PROC_COMM_MAX];
	size_t comm_len;
	/* Full image path; comm for kernel threads and tasks without one. */
	char name[VS_PROC_PATH_MAX];
	size_t name_len;
	bool name_truncated;
	unsigned unreadable;       /* VS_PROC_U_* */
};

/* Returning non-zero stops the walk (and is returned by proc_foreach). */
typedef int (*vs_proc_fn)(const struct vs_proc *p, void *opaque);

struct vs_os_info {
	enum vs_os os;
	char version[256];         /* e.g. the Linux banner */
	char method[128];          /* how it was found: "kallsyms+BTF" */
	uint64_t kernel_base;      /* Linux: _text */
	uint64_t kernel_dtb;       /* page-table root used for kernel reads */
	size_t nsymbols;
	size_t ntypes;
	double discovery_cpu_ms;   /* host CPU time spent in open() */
	double discovery_wall_ms;
};

struct vs_os_member {
	uint64_t bit_off;
	uint32_t bit_size;         /* bitfield width, 0 for plain members */
	int64_t size;              /* bytes, -1 unknown */
};

struct vs_os_opts {
	unsigned vcpu;             /* vCPU whose registers bootstrap discovery */
	const char *profile;       /* -r FILE, or NULL (Windows needs one) */
};

struct vs_os_inst;

struct vs_os_ops {
	const char *name;
	enum vs_os os;
	int (*open)(struct vs_backend *be, const struct vs_os_opts *o,
		    struct vs_os_inst **out);
	void (*close)(struct vs_os_inst *os);
	int (*info)(struct vs_os_inst *os, struct vs_os_info *out);
	int (*symbol)(struct vs_os_inst *os, const char *name, uint64_t *va);
	int (*member)(struct vs_os_inst *os, const char *type, const char *member,
		      struct vs_os_member *out);
	int (*proc_foreach)(struct vs_os_inst *os, vs_proc_fn fn, void *opaque);
	int (*proc_read)(struct vs_os_inst *os, uint64_t obj, struct vs_proc *out);
	int (*current)(struct vs_os_inst *os, unsigned vcpu, uint64_t *obj);
};

struct vs_os_inst {
	const struct vs_os_ops *ops;
	struct vs_backend *be;
	void *priv;
};

/**
 * vs_os_open() - discover the guest OS on @be.
 * @name: "linux", or NULL to try every compiled-in OS.
 * Any thread, before hooks run. Returns 0 and *@out, or the error of the
 * last OS tried (-ENOENT when none matched).
 */
int vs_os_open(struct vs_backend *be, const char *name,
	       const struct vs_os_opts *o, struct vs_os_inst **out);
void vs_os_close(struct vs_os_inst *os);

/* Dispatch wrappers (-EOPNOTSUPP for a missing op). */
int vs_os_info(struct vs_os_inst *os, struct vs_os_info *out);
int vs_os_symbol(struct vs_os_inst *os, const char *name, uint64_t *va);
int vs_os_member(struct vs_os_inst *os, const char *type, const char *member,
		 struct vs_os_member *out);
int vs_os_proc_foreach(struct vs_os_inst *os, vs_proc_fn fn, void *opaque);
int vs_os_proc_read(struct vs_os_inst *os, uint64_t obj, struct vs_proc *out);
int vs_os_current(struct vs_os_inst *os, unsigned vcpu, uint64_t *obj);

#endif /* VS_OS_OS_H */

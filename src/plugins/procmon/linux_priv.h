/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linux_priv.h - state shared by the files of procmon's Linux half:
 * linux.c (start: symbols, offsets, hooks, return-site scan), lx_pending.c
 * (calls waiting for their return), lx_events.c (header, exit, signal,
 * clone) and lx_exec.c (exec).
 *
 * Threads: hook callbacks run on vCPU threads, several at once under
 * --smp N. Everything a callback writes is per vCPU (struct lxp_vcpu: the
 * event being built, process records, an OS view reading through that
 * vCPU) except the pending-return table (one mutex: a call may return on
 * another vCPU than it entered) and relaxed atomic counters.
 *
 * A call whose return cannot be waited for (its return site got no hook,
 * e.g. no hardware breakpoint slot left; the pending cap; an unreadable
 * return address) is printed at its entry from what the entry can read,
 * with the return-only fields named in Unreadable: the vCPU's scratch
 * entry carries the entry data then, never the shared pool.
 */
#ifndef VS_PLUGINS_PROCMON_LINUX_PRIV_H
#define VS_PLUGINS_PROCMON_LINUX_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "backend/backend.h"
#include "common/event.h"
#include "os/guestmem.h"
#include "os/os.h"
#include "plugins/plugin.h"

struct vs_envfilter;

enum lxp_kind { LXP_EXEC, LXP_EXIT, LXP_SIGNAL, LXP_CLONE, LXP_NKINDS };

/* Bounds on what an exec may make us read (guest-chosen sizes). */
#define LXP_MAX_ARGS      1024      /* argv entries kept */
#define LXP_MAX_ENVS      1024      /* envp entries looked at */
#define LXP_MAX_STR       (32u << 10)   /* bytes of one string kept */
#define LXP_ARGS_AREA     (256u << 10)  /* bytes read from bprm->p */
#define LXP_AREA_STEP     256u          /* its first read (vs_gmem_step) */
#define LXP_PENDING_PER_VCPU 256
#define LXP_MAX_UNREADABLE 8

/* Byte offsets (BTF) the hooks read; has_* for the optional ones. */
struct lxp_off {
	uint64_t bprm_p, bprm_argc, bprm_envc, bprm_filename, bprm_interp;
	uint64_t bprm_fdpath, bprm_execfd;
	uint64_t bprm_mm, bprm_file, mm_pgd, file_f_path;
	bool has_new_mm, has_bprm_file;   /* entry-time exec reads */
	struct vs_os_member have_execfd, secureexec;
	bool has_fdpath, has_execfd, has_have_execfd, has_secureexec;
	uint64_t clone_flags, clone_exit_signal;
	uint64_t task_real_cred, task_signal, task_group_leader;
	uint64_t task_real_parent, task_start_time, task_fs, task_comm;
	uint64_t task_children, task_sibling, task_pid, task_tgid;
	bool has_children;
	uint64_t cred_uid, cred_suid, cred_euid;
	uint64_t signal_live, signal_pids;
	bool has_live, has_pids;
	uint64_t pid_numbers, upid_nr, fs_pwd;
	bool has_pgid, has_cwd;
};

/* A call waiting for its return: key (task, return address, entry rsp). */
struct lxp_pending {
	uint64_t task, ret, rsp;        /* the key: first, compared as a block */
	enum lxp_kind kind;
	unsigned owner;                 /* vCPU that counts it against its cap */
	struct lxp_pending *next_free;
	union {
		struct {
			uint64_t bprm;
			int64_t ouid, osuid, oeuid;
			char comm[16];
			size_t comm_len;
			bool comm_bad, name_bad, name_trunc;
			size_t name_len;
		} exec;
		struct {
			uint64_t flags;
			int32_t exit_signal;
			bool bad;
		} clone;
	} u;
	char *name;                     /* exec: old image (VS_PROC_PATH_MAX) */
};

struct lxp_vcpu {
	struct vs_os_inst *view;        /* OS reads through this vCPU */
	bool own_view;                  /* view is ours to free */
	struct vs_gmem gm;              /* raw reads through this vCPU */
	struct vs_event ev;
	struct vs_proc cur, other;
	struct vs_bytes unreadable[LXP_MAX_UNREADABLE];
	size_t nunreadable;
	struct vs_bytes truncated[LXP_MAX_UNREADABLE];
	size_t ntruncated;
	uint8_t *area;                  /* exec: the argv/envp strings */
	struct vs_bytes *argv, *envv;
	GString *s1, *s2;
	char path[VS_PROC_PATH_MAX];
	char path2[VS_PROC_PATH_MAX];
	unsigned pending;               /* entries counted against the cap */
	struct lxp_pending scratch;     /* entry data of a call printed at entry */
	/* One hook call: the kernel spans read (a guestmem memo shared by gm
	 * and the view) and the current task (0: not read yet). Emptied by
	 * lxp_moment() when a hook starts: the guest ran since the last one. */
	struct vs_gmem_memo memo;
	uint64_t task;
};

struct lxp {
	struct vs_plugin_ctx *ctx;
	struct vs_backend *be;
	struct vs_os_inst *os;
	int r_rdi, r_rsi, r_rdx, r_rcx, r_rax, r_rsp, r_cr3;
	struct lxp_off off;
	uint64_t entry[LXP_NKINDS];     /* hooked address, 0 when none */
	const char *hooked[LXP_NKINDS]; /* symbol actually hooked */
	struct vs_envfilter *env;
	bool compat;
	bool exit_at_acct;              /* exit hook is acct_collect(code, group_dead) */
	char run_id[16];
	uint64_t event_uid;             /* atomic, per hook hit */
	unsigned nvcpus;
	struct lxp_vcpu *vcpus;
	/* Pending returns and return sites (lock). */
	GMutex lock;
	GHashTable *pending;            /* &key -> struct lxp_pending */
	unsigned npending;              /* atomic: table size, for a peek */
	GHashTable *retsites;           /* return addresses hooked */
	struct lxp_pending *pool, *free_list;
	size_t npool;
	uint64_t late_sites;            /* return sites found after start */
	uint64_t unhooked_sites;        /* return sites the backend refused */
	bool started;
};

extern const char *const lxp_method[LXP_NKINDS];
extern const char *const lxp_compat_method[LXP_NKINDS];

/* linux.c */
/* State, registers, filter: before the start-up list. */
int vs_procmon_linux_start(struct vs_plugin_ctx *ctx);
/* Members, hooks and return sites: after it. */
void vs_procmon_linux_arm(struct vs_plugin_ctx *ctx);
void vs_procmon_linux_stop(struct vs_plugin_ctx *ctx);
/* Extended key fields of a RunningProcess line (start-up, one thread). */
void vs_procmon_linux_running_keys(struct vs_plugin_ctx *ctx,
				   const struct vs_proc *p, struct vs_event *ev);
uint64_t lxp_reg(struct lxp *lx, unsigned vcpu, int id);
/* Make sure @ret is hooked as a return site (a late one flushes once).
 * 0, or -errno when the site has no hook: the backend's answer the first
 * time (-ENOSPC: no slot left), -ENOSPC later; a refusal is remembered,
 * the backend is asked once per site. */
int lxp_retsite_ensure(struct lxp *lx, uint64_t ret);

/* lx_pending.c */
int lxp_pending_init(struct lxp *lx);
void lxp_pending_fini(struct lxp *lx);
/* A free entry owned by @vcpu, or NULL (cap hit: counted as dropped). */
struct lxp_pending *lxp_pending_get(struct lxp *lx, unsigned vcpu);
/* Publish a filled entry; an older entry with the same key is dropped. */
void lxp_pending_put(struct lxp *lx, struct lxp_pending *p);
/* Take the entry of this key out of the table, or NULL. */
struct lxp_pending *lxp_pending_take(struct lxp *lx, uint64_t task,
				     uint64_t ret, uint64_t rsp);
void lxp_pending_release(struct lxp *lx, struct lxp_pending *p);
/* Drop every entry of @task (it exits). */
void lxp_pending_drop_task(struct lxp *lx, uint64_t task);

/* lx_events.c */
/* First call of every hook on @vcpu: attaches and empties the vCPU's memo.
 * NULL for a vCPU we do not know. (The start-up RunningProcess list runs
 * before any hook is placed, so it never meets a memo.) */
struct lxp_vcpu *lxp_moment(struct lxp *lx, unsigned vcpu);
/* The current task of this hook call, read once per call. */
int lxp_current(struct lxp *lx, unsigned vcpu, uint64_t *task);
/* Read the linux_binprm fields the exec event uses in one go (the memo
 * then serves them). */
void lxp_bprm_prefetch(struct lxp *lx, struct lxp_vcpu *v, uint64_t bprm);
/* Start an event of @kind for the current task of @vcpu; fills the header.
 * *@task: the current task (0 when unknown). */
struct vs_event *lxp_begin(struct lxp *lx, unsigned vcpu, enum lxp_kind kind,
			   uint64_t *task);
void lxp_unreadable(struct lxp_vcpu *v, const char *field);
void lxp_truncated(struct lxp_vcpu *v, const char *field);
/* Append ProcessKey-style field for @task (absent when unreadable). */
bool lxp_process_key(struct lxp *lx, struct lxp_vcpu *v, uint64_t task,
		     char *buf, size_t len);
void lxp_key_field(struct lxp *lx, struct lxp_vcpu *v, const char *key,
		   uint64_t task);
/* Append the Truncated/Unreadable lists (as requested) and emit. */
void lxp_finish(struct lxp *lx, struct lxp_vcpu *v, bool with_truncated);
int lxp_read_uids(struct lxp *lx, struct lxp_vcpu *v, uint64_t task,
		  int64_t *uid, int64_t *suid, int64_t *euid);
void lxp_on_exit(const struct vs_hook_ctx *hc);
void lxp_on_signal(const struct vs_hook_ctx *hc);
void lxp_on_clone(const struct vs_hook_ctx *hc);
void lxp_clone_return(struct lxp *lx, unsigned vcpu, struct lxp_pending *p);
/* Print a clone from its entry data (NewPid, NewProcessKey Unreadable). */
void lxp_clone_entry(struct lxp *lx, unsigned vcpu, struct lxp_pending *p);

/* lx_exec.c */
void lxp_on_exec(const struct vs_hook_ctx *hc);
void lxp_exec_return(struct lxp *lx, unsigned vcpu, struct lxp_pending *p);
/* Print an exec from its entry (argv through bprm->mm; suid, euid and
 * secureexec Unreadable). */
void lxp_exec_entry(struct lxp *lx, unsigned vcpu, struct lxp_pending *p);
/* The argv/envp strings of @bprm (0: none) read through v->gm into
 * v->area, v->argv and v->envv: CommandLine in v->s1, the filtered
 * Environment in v->s2, cuts and failed reads noted in v's Truncated and
 * Unreadable lists. Needs only lx->off.bprm_{p,argc,envc} and lx->env.
 * Returns the number of argv strings kept (v->argv[0..n)). */
size_t lxp_exec_strings(struct lxp *lx, struct lxp_vcpu *v, uint64_t bprm);

/* Common to the entry hooks that wait for a return: the entry to fill,
 * from the pool, or the vCPU's scratch entry with *@at_entry set when the
 * return cannot be waited for (then print from it at once, and neither
 * put nor release it). Never NULL. */
struct lxp_pending *lxp_entry_pending(struct lxp *lx, unsigned vcpu,
				      enum lxp_kind kind, uint64_t task,
				      bool *at_entry);
void lxp_on_return(const struct vs_hook_ctx *hc);

#endif /* VS_PLUGINS_PROCMON_LINUX_PRIV_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * windows.h - procmon's Windows half, shared by windows.c (start/stop, the
 * hook table, event headers, pending returns), windows_events.c (the
 * eight hooks' entry and return logic, reference §2.A, seed fields in the
 * reference's order) and windows_keys.c (process keys).
 *
 * Return hooks (reference §1.3): an entry saves a pending return keyed by
 * (current KTHREAD, RSP at entry) with the arguments it needs later, and
 * makes sure a hook sits at the return address read at [RSP]. A return
 * hit matches the pending entry of the same thread and return address
 * with the largest saved RSP <= current RSP (the innermost call). Return
 * sites stay hooked once placed: every Nt* syscall returns to the same
 * site (KiSystemServiceCopyEnd), and re-adding a hook costs a translation
 * flush on QEMU; they are removed at stop. The pending table is bounded; the oldest entry is dropped
 * and counted (stats pending_returns_dropped) when it is full.
 *
 * Process keys (contract §6, prockey.h): a process's key is its
 * UniqueProcessId and EPROCESS.CreateTime (times 100: ns since 1601), so
 * it needs only the EPROCESS. Every hook event ends with the caller's
 * ProcessKey (the attached process, as the header), then the key of the
 * process the event names, if any (NewProcessKey, TargetProcessKey: the
 * EPROCESS behind the returned or passed handle, else the one with the
 * event's PID), then Truncated and Unreadable. RunningProcess lines carry
 * ProcessKey and ParentProcessKey: the process with PID
 * InheritedFromUniqueProcessId, if it exists and was created no later
 * than the child (else that PID is a later process's and the parent has
 * exited: absent).
 */
#ifndef VS_PLUGINS_PROCMON_WINDOWS_H
#define VS_PLUGINS_PROCMON_WINDOWS_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "common/event.h"
#include "os/os.h"
#include "os/windows/windows.h"
#include "plugins/plugin.h"
#include "plugins/procmon/prockey.h"

#define VS_PMW_MAX_PENDING 256
#define VS_PMW_MAX_SITES   32
#define VS_PMW_MAX_ARGS    9
#define VS_PMW_STR_CAP     8192   /* bytes kept of one UTF-8 string */
#define VS_PMW_MAX_PRIVS   64     /* NewState pairs kept */
#define VS_PMW_MAX_MARKS   8      /* Unreadable / Truncated names */

enum vs_pmw_hook {
	VS_PMW_CREATE_USER,
	VS_PMW_CREATE_EX,
	VS_PMW_TERMINATE,
	VS_PMW_MMCLEAN,
	VS_PMW_OPEN_PROCESS,
	VS_PMW_OPEN_THREAD,
	VS_PMW_PROTECT,
	VS_PMW_ADJUST_PRIVS,
	VS_PMW_NHOOKS
};

struct vs_pmw;

/* What an entry saves for its return. */
struct vs_pmw_pending {
	bool used;
	enum vs_pmw_hook kind;
	uint64_t thread;          /* KTHREAD at entry */
	uint64_t rsp;             /* RSP at entry */
	uint64_t ret_va;          /* return address read at [RSP] */
	uint64_t seq;             /* age, for dropping the oldest */
	uint64_t args[VS_PMW_MAX_ARGS + 1]; /* args[n] = argument n */
	int64_t client_pid;       /* NtOpen*: ClientID decided at entry */
	int64_t client_tid;
	bool client_tid_unreadable;
};

/* Everything one hook hit builds; heap-allocated per hit (large). */
struct vs_pmw_hit {
	struct vs_pmw *pm;
	struct vs_win_view v;
	struct vs_event ev;
	uint64_t thread, owner, attached;
	struct vs_proc caller;    /* the attached process: the header */
	struct vs_proc other;     /* a looked-up process (name, bitness) */
	char str[4][VS_PMW_STR_CAP];
	struct vs_bytes unreadable[VS_PMW_MAX_MARKS];
	size_t nunreadable;
	struct vs_bytes truncated[VS_PMW_MAX_MARKS];
	size_t ntruncated;
	struct vs_pair pairs[VS_PMW_MAX_PRIVS];
	char pairbuf[VS_PMW_MAX_PRIVS][2][24];
	char ntstatus[64];
	GString *scratch;
	/* The key printed after ProcessKey (vs_pmw_key_of): name or NULL. */
	const char *key2;
	uint64_t key2_ep;         /* its EPROCESS; 0: none */
	bool key2_unreadable;     /* 0 because a read failed */
};

typedef void (*vs_pmw_entry_fn)(struct vs_pmw_hit *h);
typedef void (*vs_pmw_return_fn)(struct vs_pmw_hit *h,
				 const struct vs_pmw_pending *p);

struct vs_pmw_hook_desc {
	enum vs_winsym sym;
	const char *method;       /* Method and event type */
	vs_pmw_entry_fn entry;
	vs_pmw_return_fn ret;     /* NULL: entry-only */
};

struct vs_pmw_hook_slot {
	struct vs_pmw *pm;
	enum vs_pmw_hook kind;
	int hook_id;              /* -1: not placed */
};

struct vs_pmw {
	struct vs_plugin_ctx *ctx;
	struct vs_win *w;
	GMutex lock;              /* pending[], sites[], seq */
	struct vs_pmw_pending pending[VS_PMW_MAX_PENDING];
	uint64_t sites[VS_PMW_MAX_SITES];
	int site_ids[VS_PMW_MAX_SITES];
	unsigned nsites;
	uint64_t seq;
	uint64_t event_uid;       /* atomic: one per hook hit */
	struct vs_pmw_hook_slot slots[VS_PMW_NHOOKS];
	char run_id[VS_PM_RUN_ID_SIZE];
	GHashTable *start_pids;   /* PID -> EPROCESS during the start-up list */
};

/* windows_events.c: the table, in DRAKVUF's installation order. */
extern const struct vs_pmw_hook_desc vs_pmw_hooks[VS_PMW_NHOOKS];

/* windows.c helpers for the events. */
void vs_pmw_begin(struct vs_pmw_hit *h, enum vs_pmw_hook kind);
void vs_pmw_finish(struct vs_pmw_hit *h);
void vs_pmw_mark_unreadable(struct vs_pmw_hit *h, const char *field);
void vs_pmw_mark_truncated(struct vs_pmw_hit *h, const char *field);
/* Save a pending return for the current call (entry side). */
void vs_pmw_expect_return(struct vs_pmw_hit *h, struct vs_pmw_pending *p);
/* Name and bitness of @pid from the process list: 0 or -ENOENT. */
int vs_pmw_lookup_pid(struct vs_pmw_hit *h, int64_t pid);
/* The event names process @eprocess with key field @field (printed after
 * ProcessKey); @eprocess 0 prints it absent, named Unreadable if
 * @unreadable (a read needed to find the process failed). */
void vs_pmw_key_of(struct vs_pmw_hit *h, const char *field,
		   uint64_t eprocess, bool unreadable);
/* Append ProcessKey and that key (vs_pmw_finish does, before Unreadable). */
void vs_pmw_keys(struct vs_pmw_hit *h);

/*
 * The Windows half, called by procmon.c for a Windows OS: start (state and
 * run id), the keys of one RunningProcess line (appends to @bad, room for
 * two names), arm (the hooks, once the start-up list is out), stop.
 */
int vs_procmon_win_start(struct vs_plugin_ctx *ctx);
void vs_procmon_win_running_keys(struct vs_plugin_ctx *ctx,
				 const struct vs_proc *p, struct vs_event *ev,
				 struct vs_bytes *bad, size_t *nbad);
void vs_procmon_win_arm(struct vs_plugin_ctx *ctx);
void vs_procmon_win_stop(struct vs_plugin_ctx *ctx);

#endif /* VS_PLUGINS_PROCMON_WINDOWS_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * windows.h - the Windows (x64 NT kernel) OS instance, shared inside
 * src/os/windows/, with procmon's Windows half and with the tests.
 * Everyone else uses os.h.
 *
 * The layer needs a kernel profile (-r FILE: struct layouts and symbol
 * RVAs of the exact ntoskrnl build). Discovery then uses memory only:
 *
 *   gs_base (kernel mode; k_gs_base when the vCPU is in user mode) = KPCR
 *   KPCR + Prcb + KPRCB.CurrentThread        -> KTHREAD (= ETHREAD)
 *   KTHREAD.Process                          -> an EPROCESS
 *   walk its ActiveProcessLinks ring: one node is PsActiveProcessHead,
 *   the only node N with (N - RVA(PsActiveProcessHead)) page-aligned whose
 *   [N - RVA(PsActiveProcessHead) + RVA(PsInitialSystemProcess)] points
 *   at an EPROCESS of the ring with UniqueProcessId 4.
 *   kernel base = runtime VA of PsInitialSystemProcess - its RVA.
 *
 * That is what a real guest gives at any kernel instruction after the
 * session manager started (the ring then holds System), and what the
 * synthetic guests of tests/windows/ are built to give.
 *
 * Reads are made through a struct vs_win_view: the vCPU, the kernel
 * address space (System's DirectoryTableBase when the backend reads through
 * any CR3, else the vCPU's own CR3) and the vCPU's current address space
 * (user buffers of the running thread). A view lives on one thread.
 *
 * Every value from the guest is hostile: list walks are bounded and
 * cycle-safe (guestmem.h), strings are bounded and reported truncated,
 * handle indexes are range-checked per table level.
 */
#ifndef VS_OS_WINDOWS_WINDOWS_H
#define VS_OS_WINDOWS_WINDOWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "os/guestmem.h"
#include "os/os.h"
#include "os/windows/offsets.h"

#define VS_WIN_MAX_PROCS      (1u << 16)  /* bound of every EPROCESS walk */
#define VS_WIN_MAX_HANDLE_IDX (1u << 24)  /* Windows' own limit: 16M handles */
#define VS_WIN_SYSTEM_PID     4
#define VS_WIN_KERNEL_TOP     0xFFFF000000000000ull /* bits set on kernel VAs */
#define VS_WIN_PAGE           4096u

struct vs_profile;

struct vs_win {
	struct vs_backend *be;
	struct vs_profile *prof;
	struct vs_win_offsets off;
	uint64_t kernel_base;
	uint64_t kernel_dtb;          /* System's page-table root */
	uint64_t system;              /* System's EPROCESS */
	uint64_t active_head;         /* VA of PsActiveProcessHead */
	bool have_cookie;             /* Windows 10+: TypeIndex encoded */
	uint8_t header_cookie;        /* low byte of ObHeaderCookie */
	int process_type;             /* decoded TypeIndex of processes, -1 */
	int thread_type;              /* ... of threads, -1 */
	struct vs_os_info info;
};

/* One vCPU's way into guest memory (see above). */
struct vs_win_view {
	struct vs_win *w;
	unsigned vcpu;
	struct vs_gmem k;             /* kernel address space */
	struct vs_gmem cur;           /* current address space */
};

/* The instance behind a Windows struct vs_os_inst. */
static inline struct vs_win *vs_win_of(struct vs_os_inst *os)
{
	return os->priv;
}

extern const struct vs_os_ops vs_windows_os_ops;

void vs_win_view_init(struct vs_win_view *v, struct vs_win *w, unsigned vcpu);
/* Address space of @eprocess's user half (its DTB; the current one when
 * the backend reads only through the current CR3). */
void vs_win_proc_mem(struct vs_win_view *v, uint64_t eprocess,
		     struct vs_gmem *out);

/* ---- windows.c: discovery --------------------------------------------- */

/**
 * vs_win_new() - open the Windows layer on @be with the profile at @path,
 * bootstrapping from vCPU @vcpu (see the header comment).
 * Returns 0 and *@out, -ENOENT when @path is NULL or not a Windows
 * profile or the kernel is not found, another -errno for a bad profile;
 * @err says which in one line.
 */
int vs_win_new(struct vs_backend *be, const char *path, unsigned vcpu,
	       struct vs_win **out, char *err, size_t errlen);
/* The same with a profile already loaded (taken over, also on failure). */
int vs_win_new_with(struct vs_backend *be, struct vs_profile *prof,
		    unsigned vcpu, struct vs_win **out, char *err,
		    size_t errlen);
void vs_win_free(struct vs_win *w);

/* ---- winproc.c: threads and processes ---------------------------------- */

/* KTHREAD running on the view's vCPU (KPCR from gs_base/k_gs_base). */
int vs_win_current_thread(struct vs_win_view *v, uint64_t *kthread);
/* Owning process (KTHREAD.Process) and attached process
 * (KTHREAD.ApcState.Process when ApcStateIndex != 0, else the owner). */
int vs_win_thread_process(struct vs_win_view *v, uint64_t kthread,
			  uint64_t *owner, uint64_t *attached);
/* ETHREAD.Cid.UniqueThread. */
int vs_win_thread_tid(struct vs_win_view *v, uint64_t ethread, int64_t *tid);

/*
 * Fill @p from @eprocess: pid, ppid, name (NT path from
 * SeAuditProcessCreationInfo, else ImageFileName), comm (ImageFileName),
 * bitness (32 with a WoW64 process block), uid = PEB.SessionId (-1 without
 * a PEB). Returns -EFAULT when not even UniqueProcessId is readable; the
 * other failures are flags in p->unreadable.
 */
int vs_win_proc_read(struct vs_win_view *v, uint64_t eprocess,
		     struct vs_proc *p);
/*
 * EPROCESS.CreateTime: the kernel's creation stamp of the process (100 ns
 * units since 1601-01-01 UTC), set once when the object is created and
 * never changed. 0, -ENOENT when the profile lacks the member, -EFAULT.
 */
int vs_win_create_time(struct vs_win_view *v, uint64_t eprocess,
		       uint64_t *ticks);
/* Whether EPROCESS.Flags2.ExitProcessReported is set (false unknown). */
bool vs_win_exit_reported(struct vs_win_view *v, uint64_t eprocess);
/*
 * System first, then the ActiveProcessLinks ring from PsActiveProcessHead
 * (System not twice), skipping processes that reported their exit.
 * Returns 0, @fn's non-zero value, or -EINVAL (a cycle), -E2BIG (more than
 * VS_WIN_MAX_PROCS), -EFAULT (a broken link) after calling @fn for every
 * process seen before the fault.
 */
int vs_win_proc_foreach(struct vs_win_view *v, vs_proc_fn fn, void *opaque);
/* EPROCESS of @pid in the ring: 0, or -ENOENT / a walk error. */
int vs_win_find_pid(struct vs_win_view *v, int64_t pid, uint64_t *eprocess);

/* x64 argument @n (1-based) at function entry: rcx, rdx, r8, r9, then the
 * 8 bytes at RSP + 8 * n. */
int vs_win_arg(struct vs_win_view *v, unsigned n, uint64_t *val);
int vs_win_reg(struct vs_win_view *v, const char *name, uint64_t *val);

/* ---- winhandle.c: handles and strings ---------------------------------- */

/* Pseudo-handles: NtCurrentProcess() and NtCurrentThread(). */
#define VS_WIN_CURRENT_PROCESS ((uint64_t)-1)
#define VS_WIN_CURRENT_THREAD  ((uint64_t)-2)

enum vs_win_objtype { VS_WIN_OBJ_ANY, VS_WIN_OBJ_PROCESS, VS_WIN_OBJ_THREAD };

/**
 * vs_win_handle_object() - the object body behind @handle in the handle
 * table of @eprocess (kernel handles, bit 31 set, in System's table).
 * @want: the object type required (checked against the decoded TypeIndex
 *        when the layer knows that type's index).
 * Returns 0 and *@body; -ENOENT for handle 0, a pseudo-handle or a free
 * slot; -ERANGE for an index beyond the table; -EINVAL for a malformed
 * table or an object of another type; -EFAULT for an unreadable table.
 */
int vs_win_handle_object(struct vs_win_view *v, uint64_t eprocess,
			 uint64_t handle, enum vs_win_objtype want,
			 uint64_t *body);
/* PID of the process / TID of the thread behind @handle (same errors). */
int vs_win_handle_pid(struct vs_win_view *v, uint64_t eprocess,
		      uint64_t handle, int64_t *pid);
int vs_win_handle_tid(struct vs_win_view *v, uint64_t eprocess,
		      uint64_t handle, int64_t *tid);

/* Decode the TypeIndex stored in the object header at @header. */
int vs_win_type_index(struct vs_win_view *v, uint64_t header, int *type);

/**
 * vs_win_ustr() - the UNICODE_STRING at @va (read through @m) as UTF-8.
 * Each unpaired surrogate becomes U+FFFD. At most @cap - 1 bytes are kept
 * (cut at a character boundary, *@truncated set); @out is NUL-terminated.
 * An empty string (Length 0 or Buffer NULL) gives "". Returns 0, or
 * -EFAULT when the descriptor or its buffer cannot be read.
 */
int vs_win_ustr(struct vs_gmem *m, const struct vs_win_offsets *o,
		uint64_t va, char *out, size_t cap, size_t *len,
		bool *truncated);
/* The same conversion from @nunits UTF-16LE code units at @src. */
size_t vs_win_utf16_to_utf8(const uint8_t *src, size_t nunits, char *out,
			    size_t cap, bool *truncated);

#endif /* VS_OS_WINDOWS_WINDOWS_H */

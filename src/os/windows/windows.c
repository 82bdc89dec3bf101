// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * windows.c - the Windows OS ops: the profile (-r), then the kernel found
 * from the bootstrap vCPU's KPCR (windows.h says how), the System process,
 * the object-header cookie and the TypeIndex of processes and threads.
 * Every other op answers from what open found, through winproc.c and
 * winhandle.c. Without a profile, or with a Linux one, open answers
 * -ENOENT at once so the registry goes on to the next OS.
 */
#include "os/windows/windows.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/log.h"
#include "os/profile/profile.h"

static double now_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void vs_win_view_init(struct vs_win_view *v, struct vs_win *w, unsigned vcpu)
{
	bool any = vs_backend_has(w->be, VS_CAP_ANY_DTB) && w->kernel_dtb;

	v->w = w;
	v->vcpu = vcpu;
	vs_gmem_from_backend(&v->k, w->be, vcpu,
			     any ? w->kernel_dtb : VS_DTB_CURRENT);
	vs_gmem_from_backend(&v->cur, w->be, vcpu, VS_DTB_CURRENT);
}

void vs_win_proc_mem(struct vs_win_view *v, uint64_t eprocess,
		     struct vs_gmem *out)
{
	uint64_t dtb = 0;

	if (vs_backend_has(v->w->be, VS_CAP_ANY_DTB))
		vs_gmem_u64(&v->k, eprocess + VS_WINO(&v->w->off,
			    VS_WINO_KPROCESS_DTB), &dtb);
	dtb &= 0x000ffffffffff000ull;
	vs_gmem_from_backend(out, v->w->be, v->vcpu, dtb ? dtb : VS_DTB_CURRENT);
}

/*
 * Is @node PsActiveProcessHead? Then the kernel base is node - its RVA,
 * and PsInitialSystemProcess there points at a process with PID 4.
 */
static bool head_candidate(struct vs_win_view *v, uint64_t node,
			   uint64_t *base, uint64_t *system)
{
	const struct vs_win_offsets *o = &v->w->off;
	uint64_t b = node - o->rva[VS_WINSYM_PSACTIVEPROCESSHEAD], sys, pid;

	if (b & (VS_WIN_PAGE - 1) || (b & VS_WIN_KERNEL_TOP) != VS_WIN_KERNEL_TOP)
		return false;
	if (vs_gmem_u64(&v->k, b + o->rva[VS_WINSYM_PSINITIALSYSTEMPROCESS],
			&sys) < 0 || !sys)
		return false;
	if (vs_gmem_u64(&v->k, sys + VS_WINO(o, VS_WINO_EPROCESS_PID), &pid) < 0 ||
	    pid != VS_WIN_SYSTEM_PID)
		return false;
	*base = b;
	*system = sys;
	return true;
}

/* Walk the ring through @eprocess until a node passes head_candidate(). */
static int find_head(struct vs_win_view *v, uint64_t eprocess, char *err,
		     size_t errlen)
{
	struct vs_win *w = v->w;
	uint64_t links = eprocess + VS_WINO(&w->off, VS_WINO_EPROCESS_LINKS);
	struct vs_gmem_list it;
	uint64_t node;
	int rc;

	vs_gmem_list_init(&it, &v->k, links, VS_WIN_MAX_PROCS);
	while ((rc = vs_gmem_list_next(&it, &node)) == 1) {
		if (head_candidate(v, node, &w->kernel_base, &w->system)) {
			w->active_head = node;
			break;
		}
	}
	vs_gmem_list_fini(&it);
	if (w->active_head)
		return 0;
	snprintf(err, errlen, "no PsActiveProcessHead in the process list of "
		 "EPROCESS %#llx (%s): not this kernel build, or a wrong profile",
		 (unsigned long long)eprocess,
		 rc < 0 ? strerror(-rc) : "walked the whole list");
	return -ENOENT;
}

/* KPCR -> current thread -> its process -> the ring -> the kernel. */
static int find_kernel(struct vs_win *w, unsigned vcpu, char *err,
		       size_t errlen)
{
	struct vs_win_view v;
	uint64_t thread, owner, attached, dtb = 0;
	int rc;

	vs_win_view_init(&v, w, vcpu);
	rc = vs_win_current_thread(&v, &thread);
	if (rc == 0)
		rc = vs_win_thread_process(&v, thread, &owner, &attached);
	if (rc < 0) {
		snprintf(err, errlen, "no current thread at KPCR (gs_base / "
			 "k_gs_base) of vCPU %u: %s", vcpu, strerror(-rc));
		return -ENOENT;
	}
	rc = find_head(&v, owner, err, errlen);
	if (rc < 0)
		return rc;
	/* Kernel reads through System's tables from now on. */
	vs_gmem_u64(&v.k, w->system + VS_WINO(&w->off, VS_WINO_KPROCESS_DTB), &dtb);
	w->kernel_dtb = dtb & 0x000ffffffffff000ull;
	vs_win_view_init(&v, w, vcpu);
	if (w->off.sym_found[VS_WINSYM_OBHEADERCOOKIE]) {
		if (vs_gmem_u8(&v.k, w->kernel_base +
			       w->off.rva[VS_WINSYM_OBHEADERCOOKIE],
			       &w->header_cookie) == 0)
			w->have_cookie = true;
		else
			vs_warn("windows: ObHeaderCookie unreadable: object "
				"types are not checked");
	}
	/* The types of the objects we know: System and the current thread. */
	uint64_t body_off = VS_WINO(&w->off, VS_WINO_OBJECT_HEADER_BODY);
	bool typed = w->off.found[VS_WINO_OBJECT_HEADER_TYPEINDEX] &&
		     (w->have_cookie || !w->off.sym_found[VS_WINSYM_OBHEADERCOOKIE]);

	if (!typed || vs_win_type_index(&v, w->system - body_off,
					&w->process_type) < 0)
		w->process_type = -1;
	if (!typed || vs_win_type_index(&v, thread - body_off,
					&w->thread_type) < 0 ||
	    w->thread_type == w->process_type)
		w->thread_type = -1;
	return 0;
}

static void describe(struct vs_win *w)
{
	const struct vs_profile_identity *id = vs_profile_identity(w->prof);
	struct vs_os_info *i = &w->info;

	i->os = VS_OS_WINDOWS;
	snprintf(i->version, sizeof(i->version), "Windows x64 kernel %s-%lld",
		 id->pdb_guid ? id->pdb_guid : "(no GUID)", (long long)id->age);
	snprintf(i->method, sizeof(i->method),
		 "profile + KPCR thread + PsActiveProcessHead");
	i->kernel_base = w->kernel_base;
	i->kernel_dtb = w->kernel_dtb;
	i->nsymbols = VS_WINSYM_MAX;
	i->ntypes = VS_WINS_MAX;
}

void vs_win_free(struct vs_win *w)
{
	if (!w)
		return;
	vs_profile_free(w->prof);
	g_free(w);
}

int vs_win_new_with(struct vs_backend *be, struct vs_profile *prof,
		    unsigned vcpu, struct vs_win **out, char *err,
		    size_t errlen)
{
	struct vs_win *w = g_new0(struct vs_win, 1);
	int rc;

	w->be = be;
	w->prof = prof;
	w->process_type = w->thread_type = -1;
	if (vs_profile_os(prof) != VS_PROFILE_OS_WINDOWS) {
		snprintf(err, errlen, "not a Windows kernel profile");
		rc = -ENOENT;
	} else {
		rc = vs_win_offsets_resolve(prof, &w->off, err, errlen);
	}
	if (rc == 0)
		rc = find_kernel(w, vcpu, err, errlen);
	if (rc < 0) {
		vs_win_free(w);
		return rc;
	}
	describe(w);
	*out = w;
	return 0;
}

int vs_win_new(struct vs_backend *be, const char *path, unsigned vcpu,
	       struct vs_win **out, char *err, size_t errlen)
{
	struct vs_profile *prof;
	int rc;

	if (!path) {
		snprintf(err, errlen, "no kernel profile (-r) given");
		return -ENOENT;
	}
	rc = vs_profile_load(path, &prof, err, errlen);
	if (rc < 0)
		return rc;
	return vs_win_new_with(be, prof, vcpu, out, err, errlen);
}

static int win_open(struct vs_backend *be, const struct vs_os_opts *o,
		    struct vs_os_inst **out)
{
	double cpu0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
	double wall0 = now_ms(CLOCK_MONOTONIC);
	struct vs_os_inst *os;
	struct vs_win *w;
	char err[512];
	int rc;

	rc = vs_win_new(be, o->profile, o->vcpu, &w, err, sizeof(err));
	if (rc < 0) {
		if (o->profile)
			vs_err("windows: %s", err);
		return rc;
	}
	w->info.discovery_cpu_ms = now_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu0;
	w->info.discovery_wall_ms = now_ms(CLOCK_MONOTONIC) - wall0;
	vs_info("windows: kernel base %#llx, System EPROCESS %#llx",
		(unsigned long long)w->kernel_base,
		(unsigned long long)w->system);
	os = g_new0(struct vs_os_inst, 1);
	os->ops = &vs_windows_os_ops;
	os->be = be;
	os->priv = w;
	*out = os;
	return 0;
}

static void win_close(struct vs_os_inst *os)
{
	vs_win_free(vs_win_of(os));
	g_free(os);
}

static int win_info(struct vs_os_inst *os, struct vs_os_info *out)
{
	*out = vs_win_of(os)->info;
	return 0;
}

/* Kernel symbols: base + the profile's RVA. */
static int win_symbol(struct vs_os_inst *os, const char *name, uint64_t *va)
{
	struct vs_win *w = vs_win_of(os);
	uint64_t rva;
	int rc = vs_profile_symbol(w->prof, name, &rva);

	if (rc == 0)
		*va = w->kernel_base + rva;
	return rc;
}

static int win_member(struct vs_os_inst *os, const char *type,
		      const char *member, struct vs_os_member *out)
{
	struct vs_profile_member m;
	int rc = vs_profile_member(vs_win_of(os)->prof, type, member, &m);

	if (rc == 0)
		*out = (struct vs_os_member){
			m.offset * 8 + (m.bitfield ? m.bit_position : 0),
			m.bitfield ? m.bit_length : 0, -1 };
	return rc;
}

static int win_proc_foreach(struct vs_os_inst *os, vs_proc_fn fn, void *opaque)
{
	struct vs_win_view v;

	vs_win_view_init(&v, vs_win_of(os), 0);
	return vs_win_proc_foreach(&v, fn, opaque);
}

static int win_proc_read(struct vs_os_inst *os, uint64_t obj,
			 struct vs_proc *out)
{
	struct vs_win_view v;

	vs_win_view_init(&v, vs_win_of(os), 0);
	return vs_win_proc_read(&v, obj, out);
}

/* The attached process of the thread running on @vcpu. */
static int win_current(struct vs_os_inst *os, unsigned vcpu, uint64_t *obj)
{
	struct vs_win_view v;
	uint64_t thread, owner;
	int rc;

	vs_win_view_init(&v, vs_win_of(os), vcpu);
	rc = vs_win_current_thread(&v, &thread);
	return rc < 0 ? rc : vs_win_thread_process(&v, thread, &owner, obj);
}

const struct vs_os_ops vs_windows_os_ops = {
	.name = "windows",
	.os = VS_OS_WINDOWS,
	.open = win_open,
	.close = win_close,
	.info = win_info,
	.symbol = win_symbol,
	.member = win_member,
	.proc_foreach = win_proc_foreach,
	.proc_read = win_proc_read,
	.current = win_current,
};

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lx_exec.c - the Linux exec event: begin_new_exec(bprm), entry + return
 * (reference §2.B.1, docs/events.md §7.2).
 *
 * Entry (old image still in place): the old image path (ProcessName), the
 * old comm (ThreadName) and the old uids, saved in a pending entry.
 * Return (new mm active, program not started): if the call succeeded, the
 * argv and envp strings are read at bprm->p through the current address
 * space (they sit on the new stack: argv[0..argc), then envp[0..envc)),
 * the new uids, image path, interp/fdpath/filename, PGID, exec fd and
 * secure-exec bits, and the current directory. Every guest size is
 * bounded (LXP_* in linux_priv.h); a cut names its field in `Truncated`,
 * a failed read in `Unreadable`, and the event is printed either way.
 * A failed begin_new_exec (the exec did not happen) prints nothing.
 * With the fallback hook do_execveat_common there is no bprm: the event
 * then carries the header, names and uids, and lists the rest Unreadable.
 * An exec whose return cannot be waited for (no hook at its return site,
 * linux_priv.h) prints at entry: argv/envp through bprm->mm's page tables
 * (where copy_strings put them), the new image from bprm->file, TID the
 * process's (de_thread gives the exec'ing thread the leader's); the uids
 * and secure-exec bit the call computes are named in Unreadable.
 */
#include "linux_priv.h"

#include <string.h>

#include "envfilter.h"
#include "os/linux/procmon_read.h"

#define PIDTYPE_PGID 2
#define MAX_NAME 4096

void lxp_on_exec(const struct vs_hook_ctx *hc)
{
	struct lxp *lx = hc->opaque;
	struct lxp_vcpu *v;
	uint64_t task = 0;
	struct lxp_pending *p;
	struct vs_proc *cur;
	bool at_entry;

	v = lxp_moment(lx, hc->vcpu);
	if (!v)
		return;
	cur = &v->cur;
	__atomic_add_fetch(&lx->event_uid, 1, __ATOMIC_RELAXED);
	if (vs_os_current(v->view, hc->vcpu, &task) < 0)
		task = 0;
	p = lxp_entry_pending(lx, hc->vcpu, LXP_EXEC, task, &at_entry);
	p->u.exec.bprm = hc->addr == lx->entry[LXP_EXEC] &&
		strcmp(lx->hooked[LXP_EXEC], "begin_new_exec") == 0 ?
		lxp_reg(lx, hc->vcpu, lx->r_rdi) : 0;
	p->u.exec.name_bad = p->u.exec.comm_bad = false;
	if (vs_os_proc_read(v->view, task, cur) < 0) {
		p->u.exec.name_bad = p->u.exec.comm_bad = true;
		cur->name_len = cur->comm_len = 0;
		cur->name_truncated = false;
	} else {
		p->u.exec.name_bad = cur->unreadable & VS_PROC_U_PATH;
		p->u.exec.comm_bad = cur->unreadable & VS_PROC_U_COMM;
	}
	memcpy(p->name, cur->name, cur->name_len);
	p->u.exec.name_len = cur->name_len;
	p->u.exec.name_trunc = cur->name_truncated;
	memcpy(p->u.exec.comm, cur->comm, cur->comm_len < 16 ? cur->comm_len : 16);
	p->u.exec.comm_len = cur->comm_len < 16 ? cur->comm_len : 16;
	lxp_read_uids(lx, v, task, &p->u.exec.ouid, &p->u.exec.osuid,
		      &p->u.exec.oeuid);
	if (at_entry)
		lxp_exec_entry(lx, hc->vcpu, p);
	else
		lxp_pending_put(lx, p);
}

/* Read the strings area at @va until @want NULs were seen or a bound or
 * an unreadable page stops it, in growing steps (vs_gmem_step). Returns
 * the bytes read. */
static size_t read_area(struct lxp_vcpu *v, uint64_t va, uint64_t want)
{
	size_t got = 0, nuls = 0, step = LXP_AREA_STEP;

	while (got < LXP_ARGS_AREA && nuls < want) {
		size_t n = vs_gmem_step(va + got, &step, LXP_ARGS_AREA - got);

		if (vs_gmem_read(&v->gm, va + got, v->area + got, n) < 0)
			break;
		/* Count NULs only until enough were seen (memchr, not bytes). */
		for (const uint8_t *q = v->area + got, *e = q + n;
		     nuls < want && (q = memchr(q, '\0', (size_t)(e - q)));
		     q++)
			nuls++;
		got += n;
	}
	v->area[got] = '\0';
	return got;
}

/* Split @n strings off area[*pos..len) into @out; returns how many were
 * kept. *@cut: some were cut or dropped; *@ended: the area ended before
 * the @n-th string did (what follows cannot be read). */
static size_t split(struct lxp_vcpu *v, size_t len, size_t *pos, uint64_t n,
		    size_t max, struct vs_bytes *out, bool *cut, bool *ended)
{
	size_t k = 0;
	uint64_t seen = 0;

	*cut = *ended = false;
	while (seen < n && *pos < len) {
		const char *s = (const char *)v->area + *pos;
		size_t l = strnlen(s, len - *pos);

		if (*pos + l >= len)           /* no NUL before the end */
			break;
		*pos += l + 1;
		seen++;
		if (k >= max) {
			*cut = true;
			continue;
		}
		if (l > LXP_MAX_STR) {
			l = LXP_MAX_STR;
			*cut = true;
		}
		out[k++] = (struct vs_bytes){ s, l };
	}
	if (seen < n)
		*cut = *ended = true;
	return k;
}

static void optional_str(struct lxp *lx, struct lxp_vcpu *v, uint64_t bprm,
			 bool has, uint64_t off, const char *key)
{
	struct vs_event *ev = &v->ev;
	char buf[MAX_NAME];
	uint64_t ptr = 0;
	size_t len = 0;
	bool trunc = false;
	const char *copy;

	if (!has || !bprm) {
		vs_event_absent(ev, key, VS_FT_ESTR);
		return;
	}
	if (vs_gmem_u64(&v->gm, bprm + off, &ptr) < 0 ||
	    (ptr && vs_gmem_str(&v->gm, ptr, buf, sizeof(buf), &len, &trunc) < 0)) {
		lxp_unreadable(v, key);
		vs_event_absent(ev, key, VS_FT_ESTR);
		return;
	}
	if (!ptr || !len) {
		vs_event_absent(ev, key, VS_FT_ESTR);
		return;
	}
	copy = vs_event_strdup(ev, buf, len);
	if (!copy) {
		lxp_truncated(v, key);
		len = 0;
	}
	if (trunc)
		lxp_truncated(v, key);
	vs_event_str(ev, key, VS_FT_ESTR, copy, len);
}

static int read_bit(struct lxp_vcpu *v, uint64_t base,
		    const struct vs_os_member *m)
{
	uint8_t b;

	if (vs_gmem_u8(&v->gm, base + m->bit_off / 8, &b) < 0)
		return -1;
	return (b >> (m->bit_off % 8)) & 1;
}

static void pgid_field(struct lxp *lx, struct lxp_vcpu *v, uint64_t task)
{
	uint64_t sig, pid;
	int32_t nr;

	if (!lx->off.has_pgid) {
		vs_event_absent(&v->ev, "PGID", VS_FT_NUM);
		return;
	}
	if (!task ||
	    vs_gmem_u64(&v->gm, task + lx->off.task_signal, &sig) < 0 ||
	    vs_gmem_u64(&v->gm, sig + lx->off.signal_pids + 8 * PIDTYPE_PGID,
			&pid) < 0 || !pid ||
	    vs_gmem_read(&v->gm, pid + lx->off.pid_numbers + lx->off.upid_nr,
			 &nr, 4) < 0) {
		lxp_unreadable(v, "PGID");
		vs_event_absent(&v->ev, "PGID", VS_FT_NUM);
		return;
	}
	vs_event_num(&v->ev, "PGID", nr);
}

/* At entry (@at_entry) the call has not yet computed secureexec nor
 * allocated the exec fd: they are Unreadable then. */
static void execfd_fields(struct lxp *lx, struct lxp_vcpu *v, uint64_t bprm,
			  bool at_entry)
{
	struct vs_event *ev = &v->ev;
	int have = -1, secure = -1;
	int32_t fd;

	if (bprm && lx->off.has_have_execfd)
		have = read_bit(v, bprm, &lx->off.have_execfd);
	if (bprm && lx->off.has_secureexec && !at_entry)
		secure = read_bit(v, bprm, &lx->off.secureexec);
	if (have == 1) {
		vs_event_num(ev, "have_execfd", 1);
		if (lx->off.has_execfd && !at_entry &&
		    vs_gmem_read(&v->gm, bprm + lx->off.bprm_execfd, &fd, 4) == 0)
			vs_event_num(ev, "execfd", fd);
		else
			vs_event_absent(ev, "execfd", VS_FT_NUM);
		if (at_entry)
			lxp_unreadable(v, "execfd");
	} else {
		vs_event_absent(ev, "have_execfd", VS_FT_NUM);
		vs_event_absent(ev, "execfd", VS_FT_NUM);
	}
	if (secure == 1)
		vs_event_num(ev, "secureexec", 1);
	else
		vs_event_absent(ev, "secureexec", VS_FT_NUM);
	if (at_entry && lx->off.has_secureexec)
		lxp_unreadable(v, "secureexec");
}

/* argv/envp: CommandLine (joined by single spaces) and Environment
 * (linux_priv.h; fuzz-exec-args calls it alone). */
size_t lxp_exec_strings(struct lxp *lx, struct lxp_vcpu *v, uint64_t bprm)
{
	int32_t argc = 0, envc = 0;
	uint64_t p = 0;
	size_t len, pos = 0, na, ne = 0;
	bool cut_a, cut_e = false, end_a;

	g_string_truncate(v->s1, 0);
	g_string_truncate(v->s2, 0);
	if (!bprm ||
	    vs_gmem_read(&v->gm, bprm + lx->off.bprm_argc, &argc, 4) < 0 ||
	    vs_gmem_read(&v->gm, bprm + lx->off.bprm_envc, &envc, 4) < 0 ||
	    vs_gmem_u64(&v->gm, bprm + lx->off.bprm_p, &p) < 0 ||
	    argc < 0 || envc < 0) {
		lxp_unreadable(v, "CommandLine");
		lxp_unreadable(v, "Environment");
		return 0;
	}
	len = read_area(v, p, (uint64_t)argc + (uint64_t)envc);
	/* Not argc + envc > 0: both may be near INT_MAX (fuzz-exec-args). */
	if (len == 0 && (argc > 0 || envc > 0)) {
		lxp_unreadable(v, "CommandLine");
		lxp_unreadable(v, "Environment");
		return 0;
	}
	na = split(v, len, &pos, (uint64_t)argc, LXP_MAX_ARGS, v->argv, &cut_a,
		   &end_a);
	/* Arguments past the count bound or cut at 32 KiB still let the
	 * environment be read; only the end of the area stops it. */
	if (!end_a)
		ne = split(v, len, &pos, (uint64_t)envc, LXP_MAX_ENVS, v->envv,
			   &cut_e, &end_a);
	else
		cut_e = envc > 0;
	if (cut_a) {
		lxp_truncated(v, "CommandLine");
		lxp_truncated(v, "Arguments");
	}
	if (cut_e)
		lxp_truncated(v, "Environment");
	for (size_t i = 0; i < na; i++) {
		if (i)
			g_string_append_c(v->s1, ' ');
		g_string_append_len(v->s1, v->argv[i].ptr, (gssize)v->argv[i].len);
	}
	vs_envfilter_apply(lx->env, v->envv, ne, v->s2);
	return na;
}

static void cwd_field(struct lxp *lx, struct lxp_vcpu *v, uint64_t task)
{
	uint64_t fs = 0;
	size_t len = 0;
	bool trunc = false;
	const char *copy;

	if (!lx->off.has_cwd || !task ||
	    vs_gmem_u64(&v->gm, task + lx->off.task_fs, &fs) < 0 || !fs ||
	    vs_lx_view_path(v->view, fs + lx->off.fs_pwd, v->path2,
			    sizeof(v->path2), &len, &trunc) < 0) {
		if (lx->off.has_cwd)
			lxp_unreadable(v, "CWD");
		vs_field_ext(vs_event_absent(&v->ev, "CWD", VS_FT_ESTR));
		return;
	}
	copy = vs_event_strdup(&v->ev, v->path2, len);
	if (!copy || trunc)
		lxp_truncated(v, "CWD");
	vs_field_ext(vs_event_str(&v->ev, "CWD", VS_FT_ESTR, copy,
				  copy ? len : 0));
}

static void parent_key(struct lxp *lx, struct lxp_vcpu *v, uint64_t task)
{
	uint64_t parent = 0;

	if (task && vs_gmem_u64(&v->gm, task + lx->off.task_real_parent,
				&parent) == 0 && parent) {
		lxp_key_field(lx, v, "ParentProcessKey", parent);
		return;
	}
	vs_field_ext(vs_event_absent(&v->ev, "ParentProcessKey", VS_FT_QSTR));
	if (task)
		lxp_unreadable(v, "ParentProcessKey");
}

/* argv/envp at exec entry: in the new mm, not yet the current one. */
static size_t strings_new_mm(struct lxp *lx, struct lxp_vcpu *v,
			     unsigned vcpu, uint64_t bprm)
{
	struct vs_gmem cur = v->gm;
	uint64_t mm = 0, pgd = 0, dtb = 0;
	size_t na;

	if (!bprm || !lx->off.has_new_mm ||
	    !vs_backend_has(lx->be, VS_CAP_ANY_DTB) ||
	    vs_gmem_u64(&v->gm, bprm + lx->off.bprm_mm, &mm) < 0 || !mm ||
	    vs_gmem_u64(&v->gm, mm + lx->off.mm_pgd, &pgd) < 0 || !pgd ||
	    vs_backend_translate(lx->be, vcpu, VS_DTB_CURRENT, pgd, &dtb) < 0) {
		lxp_unreadable(v, "CommandLine");
		lxp_unreadable(v, "Environment");
		return 0;
	}
	vs_gmem_from_backend(&v->gm, lx->be, vcpu, dtb);
	na = lxp_exec_strings(lx, v, bprm);
	cur.failures += v->gm.failures;
	v->gm = cur;
	return na;
}

/* The new image at exec entry: bprm->file's path. */
static void new_image(struct lxp *lx, struct lxp_vcpu *v, uint64_t bprm)
{
	uint64_t file = 0;
	size_t len = 0;
	bool trunc = false;

	if (!bprm || !lx->off.has_bprm_file ||
	    vs_gmem_u64(&v->gm, bprm + lx->off.bprm_file, &file) < 0 || !file ||
	    vs_lx_view_path(v->view, file + lx->off.file_f_path, v->path2,
			    sizeof(v->path2), &len, &trunc) < 0) {
		lxp_unreadable(v, "ImagePathName");
		vs_event_str(&v->ev, "ImagePathName", VS_FT_ESTR, "", 0);
		return;
	}
	if (trunc)
		lxp_truncated(v, "ImagePathName");
	vs_event_str(&v->ev, "ImagePathName", VS_FT_ESTR,
		     vs_event_strdup(&v->ev, v->path2, len), len);
}

/* The exec event, at its return or (@at_entry) at its entry. */
static void exec_event(struct lxp *lx, unsigned vcpu, struct lxp_pending *p,
		       bool at_entry)
{
	struct lxp_vcpu *v = &lx->vcpus[vcpu];
	uint64_t bprm = p->u.exec.bprm, task;
	int64_t ouid = p->u.exec.ouid, osuid = p->u.exec.osuid;
	int64_t oeuid = p->u.exec.oeuid, uid, suid, euid;
	char comm[16];
	size_t comm_len = p->u.exec.comm_len, name_len = p->u.exec.name_len, na;
	bool name_bad = p->u.exec.name_bad, name_trunc = p->u.exec.name_trunc;
	bool comm_bad = p->u.exec.comm_bad;
	struct vs_event *ev;

	memcpy(comm, p->u.exec.comm, comm_len);
	memcpy(v->path, p->name, name_len);
	if (!at_entry)
		lxp_pending_release(lx, p);
	ev = lxp_begin(lx, vcpu, LXP_EXEC, &task);
	if (at_entry)
		ev->tid = ev->pid;
	ev->process_name = (struct vs_bytes){ v->path, name_len };
	if (name_bad)
		lxp_unreadable(v, "ProcessName");
	if (name_trunc)
		lxp_truncated(v, "ProcessName");
	if (comm_bad)
		lxp_unreadable(v, "ThreadName");
	vs_event_str(ev, "ThreadName", VS_FT_ESTR, comm, comm_len);
	lxp_bprm_prefetch(lx, v, bprm);
	na = at_entry ? strings_new_mm(lx, v, vcpu, bprm) :
		      lxp_exec_strings(lx, v, bprm);
	vs_event_str(ev, "CommandLine", VS_FT_ESTR, v->s1->str, v->s1->len);
	if (at_entry)
		new_image(lx, v, bprm);
	else
		vs_event_str(ev, "ImagePathName", VS_FT_ESTR, v->cur.name,
			     v->cur.name_len);
	if (at_entry) {
		suid = euid = 4294967295ll;
		lxp_unreadable(v, "suid");
		lxp_unreadable(v, "euid");
	} else if (lxp_read_uids(lx, v, task, &uid, &suid, &euid) < 0) {
		lxp_unreadable(v, "euid");
	}
	vs_event_num(ev, "ouid", ouid);
	vs_event_num(ev, "osuid", osuid);
	vs_event_num(ev, "oeuid", oeuid);
	vs_event_num(ev, "suid", suid);
	vs_event_num(ev, "euid", euid);
	if (v->s2->len)
		vs_event_str(ev, "Environment", VS_FT_ESTR, v->s2->str, v->s2->len);
	else
		vs_event_absent(ev, "Environment", VS_FT_ESTR);
	optional_str(lx, v, bprm, true, lx->off.bprm_interp, "interp");
	optional_str(lx, v, bprm, lx->off.has_fdpath, lx->off.bprm_fdpath,
		     "fdpath");
	optional_str(lx, v, bprm, true, lx->off.bprm_filename, "FileName");
	pgid_field(lx, v, task);
	execfd_fields(lx, v, bprm, at_entry);
	vs_field_ext(vs_event_strv(ev, "Arguments", v->argv, na));
	cwd_field(lx, v, task);
	lxp_key_field(lx, v, "ProcessKey", task);
	parent_key(lx, v, task);
	lxp_finish(lx, v, true);
}

void lxp_exec_return(struct lxp *lx, unsigned vcpu, struct lxp_pending *p)
{
	int64_t ret = (int32_t)lxp_reg(lx, vcpu, lx->r_rax);

	if (ret != 0) {                  /* no exec happened */
		lxp_pending_release(lx, p);
		return;
	}
	exec_event(lx, vcpu, p, false);
}

void lxp_exec_entry(struct lxp *lx, unsigned vcpu, struct lxp_pending *p)
{
	exec_event(lx, vcpu, p, true);
}

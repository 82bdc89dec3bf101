// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * loop.c - the gdb backend's life cycle (gdb.h): open (connect, target
 * description, threads, memory source), run (resume, wait for stops with
 * a 100 ms tick, serve breakpoint hits, step over), detach.
 *
 * One hit, --mem-file, an emulated entry NOP: the stop reply, one `g`
 * (registers of the stopped vCPU, cached for every hook on that stop),
 * one `P` (rip past the NOP) and the resume: three packets out. Memory
 * reads are memcpy from the RAM file (including the re-read of the NOP
 * before it is skipped). Without --mem-file each memory page read adds two
 * `m` round trips. A single-stepped site adds the step and its stop.
 */
#include "backend/gdb/priv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"

#define STOP_WAIT_MS 5000
#define GDB_SIGQUIT 3     /* QEMU's stop signal for a VM shutdown */
#define TICK_MS 100
#define PEER_WAIT_MS 500  /* for a dying QEMU to be final (peer.c) */

static int find_reg(struct vs_gdb *g, const char *name)
{
	int id;

	return g->be.ops->reg_id(&g->be, name, &id) == 0 ? id : -1;
}

/* Optional: the stub's physical-memory mode (QEMU >= 4.1). */
static bool phys_mode(struct vs_gdb_conn *c, bool on)
{
	if (on && (vs_gdb_request(c, "qqemu.PhyMemMode") < 0 ||
		   (strcmp(c->reply, "0") != 0 && strcmp(c->reply, "1") != 0)))
		return false;
	return vs_gdb_request(c, "Qqemu.PhyMemMode:%d", on ? 1 : 0) == 0 &&
	       strcmp(c->reply, "OK") == 0;
}

/* The RAM file must hold this VM's memory: compare the code at vCPU 0's
 * rip read from the file (page walk) and through the stub. */
static int check_shm(struct vs_gdb *g, char *err, size_t errlen)
{
	uint8_t a[64], b[64];
	uint64_t rip;
	int rc;

	if (g->rip < 0 || vs_gdb_reg_read(g, 0, g->rip, &rip) < 0)
		return 0;
	rc = vs_gdb_select(g->c, 0);
	if (rc == 0)
		rc = vs_gdb_read_mem(g->c, rip, b, sizeof(b));
	if (rc < 0)
		return 0;   /* nothing to compare with */
	if (g->be.ops->read_va(&g->be, 0, VS_DTB_CURRENT, rip, a,
			       sizeof(a)) < 0 || memcmp(a, b, sizeof(a))) {
		snprintf(err, errlen, "--mem-file does not hold this VM's RAM "
			 "(code at rip %#llx differs from the gdbstub's; wrong "
			 "file or --mem-layout?)", (unsigned long long)rip);
		return -EINVAL;
	}
	return 0;
}

static int setup(struct vs_gdb *g, const struct vs_gdb_opts *o, char *err,
		 size_t errlen)
{
	int rc = vs_gdb_load_tdesc(g->c);

	if (rc < 0) {
		snprintf(err, errlen, "%s: no usable target description "
			 "(qXfer:features:read): %s", o->spec, vs_gdb_strerror(rc));
		return rc;
	}
	rc = vs_gdb_load_threads(g->c);
	if (rc < 0) {
		snprintf(err, errlen, "%s: no thread list: %s", o->spec,
			 vs_gdb_strerror(rc));
		return rc;
	}
	g->nvcpus = (unsigned)g->c->nthreads;
	g->vcpus = g_new0(struct gdb_vcpu, g->nvcpus);
	g->be.ops = &vs_gdb_va_backend_ops;
	g->rip = find_reg(g, "rip");
	g->cr3 = find_reg(g, "cr3");
	g->cr4 = find_reg(g, "cr4");
	g->cs = find_reg(g, "cs");
	if (g->rip < 0) {
		snprintf(err, errlen, "%s: the target has no rip register (not "
			 "an x86-64 guest?)", o->spec);
		return -ENOENT;
	}
	if (o->mem_file) {
		rc = vs_gdb_shm_open(o->mem_file, o->layout, &g->shm, err, errlen);
		if (rc < 0)
			return rc;
		g->have_shm = true;
		g->be.ops = &vs_gdb_backend_ops;
		return check_shm(g, err, errlen);
	}
	if (g->cr3 >= 0 && phys_mode(g->c, true)) {
		g->phys_stub = true;
		g->be.ops = &vs_gdb_backend_ops;
	}
	vs_debug("gdb: memory through the stub (%s)", g->phys_stub ?
		 "physical mode + page walk" : "virtual reads, current CR3");
	return 0;
}

int vs_gdb_open(const struct vs_gdb_opts *o, struct vs_backend **out,
		char *err, size_t errlen)
{
	struct vs_gdb *g = g_new0(struct vs_gdb, 1);
	int rc;

	g->be.priv = g;
	g->be.ops = &vs_gdb_va_backend_ops;
	g->bp_type = o->hw_breakpoints ? 1 : 0;
	g->sites = g_array_new(FALSE, TRUE, sizeof(struct gdb_site));
	g->hooks = g_array_new(FALSE, TRUE, sizeof(struct gdb_hook));
	g->by_addr = g_hash_table_new_full(g_int64_hash, g_int64_equal,
					   g_free, NULL);
	g->xlat = g_hash_table_new_full(g_int64_hash, g_int64_equal, NULL,
					g_free);
	g->pages = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free,
					 g_free);
	g->rip = g->cr3 = g->cr4 = g->cs = -1;
	rc = vs_gdb_connect(o->spec, &g->c, err, errlen);
	if (rc < 0) {
		g->c = NULL;
		goto fail;
	}
	/* QEMU stopped the VM when we connected; '?' says where. */
	rc = vs_gdb_request(g->c, "?");
	if (rc < 0) {
		snprintf(err, errlen, "%s: %s", o->spec, vs_gdb_strerror(rc));
		goto fail;
	}
	vs_gdb_drop_async(g->c);
	if (g->c->reply[0] == 'W' || g->c->reply[0] == 'X') {
		snprintf(err, errlen, "%s: the VM has ended", o->spec);
		rc = -ESRCH;
		goto fail;
	}
	rc = setup(g, o, err, errlen);
	if (rc < 0)
		goto fail;
	*out = &g->be;
	return 0;
fail:
	if (g->c)
		vs_gdb_detach(&g->be);
	g->be.ops->close(&g->be);
	return rc;
}

unsigned vs_gdb_boot_vcpu(struct vs_backend *be)
{
	struct vs_gdb *g = vs_gdb_of(be);
	uint64_t cs;

	for (unsigned i = 0; g->cs >= 0 && i < g->nvcpus; i++)
		if (vs_gdb_reg_read(g, i, g->cs, &cs) == 0 && (cs & 3) == 0)
			return i;
	return 0;
}

static void tid_str(struct vs_gdb_conn *c, int idx, char *buf, size_t len)
{
	const struct vs_rsp_tid *t = &c->threads[idx];

	if (c->multiprocess && t->pid > 0)
		snprintf(buf, len, "p%llx.%llx", (unsigned long long)t->pid,
			 (unsigned long long)t->tid);
	else
		snprintf(buf, len, "%llx", (unsigned long long)t->tid);
}

static void set_end(struct vs_gdb *g, const char *what, const char *why)
{
	snprintf(g->end_reason, sizeof(g->end_reason), "%s%s", what, why);
}

/* Parse the stop reply in c->reply: thread index in *idx (-1 unknown). */
static int parse_stop(struct vs_gdb *g, struct vs_rsp_stop *st, int *idx)
{
	uint8_t dummy[1];

	if (vs_rsp_parse_stop(g->c->reply, g->c->reply_len, st, dummy, 0) < 0)
		return -EPROTO;
	*idx = st->has_thread ? vs_gdb_thread_index(g->c, &st->thread) : -1;
	if (st->kind == 'T' || st->kind == 'S') {
		g->st.stops++;
		g->last_signal = st->code;
	}
	return 0;
}

/* Step thread @idx over the instruction at site @si. */
static int step_over(struct vs_gdb *g, int idx, unsigned si)
{
	struct gdb_site *s = &g_array_index(g->sites, struct gdb_site, si);
	struct vs_rsp_stop st;
	char tid[48];
	uint64_t rip = 0;
	int rc, sidx;

	if (s->emu_len && vs_gdb_recheck(g, (unsigned)idx, s) < 0)
		s->emu_len = 0;
	if (s->emu_len) {
		g->st.emulated++;
		return vs_gdb_reg_write(g, (unsigned)idx, g->rip,
					s->addr + s->emu_len);
	}
	g->st.stepped++;
	tid_str(g->c, idx, tid, sizeof(tid));
	for (int attempt = 0; attempt < 2; attempt++) {
		vs_gdb_invalidate(g);
		rc = g->c->vcont ? vs_gdb_send(g->c, "vCont;s:%s", tid) :
				   vs_gdb_send(g->c, "s");
		if (rc == 0)
			rc = vs_gdb_wait(g->c, STOP_WAIT_MS);
		if (rc == -EAGAIN)
			rc = -ETIMEDOUT;
		if (rc == 0)
			rc = parse_stop(g, &st, &sidx);
		if (rc < 0)
			return rc;
		if (st.kind == 'W' || st.kind == 'X')
			return -ESRCH;
		vs_gdb_invalidate(g);
		if (sidx >= 0)
			g->c->g_thread = sidx;
		rc = vs_gdb_reg_read(g, (unsigned)idx, g->rip, &rip);
		if (rc < 0 || rip != s->addr) {
			if (attempt)
				vs_gdb_plant(g, s, true);
			return rc;
		}
		/* The stub reported the breakpoint again instead of
		 * stepping: lift it for one step (two extra flushes). */
		g->st.lifted++;
		rc = vs_gdb_plant(g, s, false);
		if (rc < 0)
			return rc;
	}
	return vs_gdb_plant(g, s, true);
}

static void run_hooks(struct vs_gdb *g, unsigned vcpu, unsigned si)
{
	guint n = g->hooks->len;   /* hooks added by callbacks wait */
	uint64_t addr = g_array_index(g->sites, struct gdb_site, si).addr;

	for (guint i = 0; i < n; i++) {
		struct gdb_hook h = g_array_index(g->hooks, struct gdb_hook, i);
		struct vs_hook_ctx ctx = {
			.be = &g->be, .vcpu = vcpu, .addr = addr,
			.opaque = h.opaque,
		};

		if (h.live && h.site == si)
			h.fn(&ctx);
	}
}

/* A T/S stop of thread @idx: a hit when rip is a planted site. */
static int on_stop(struct vs_gdb *g, int idx)
{
	int64_t t0 = g_get_monotonic_time();
	uint64_t p0 = g->c->packets_out, rip = 0;
	unsigned si;
	int rc;

	if (idx < 0 && g->nvcpus > 1)
		return -EPROTO;   /* a vCPU not in the thread list (hotplug) */
	if (idx < 0)
		idx = 0;
	/* QEMU makes the stopped vCPU the register thread (Hg). */
	g->c->g_thread = idx;
	rc = vs_gdb_reg_read(g, (unsigned)idx, g->rip, &rip);
	if (rc < 0)
		return rc;
	si = GPOINTER_TO_UINT(g_hash_table_lookup(g->by_addr, &rip));
	if (!si || !g_array_index(g->sites, struct gdb_site, si - 1).planted) {
		g->st.spurious++;
		return 0;
	}
	si--;
	g->st.hits++;
	g_array_index(g->sites, struct gdb_site, si).hits++;
	run_hooks(g, (unsigned)idx, si);
	rc = step_over(g, idx, si);
	g->st.hit_packets += g->c->packets_out - p0 + 1;   /* + resume */
	g->st.hit_us += (uint64_t)(g_get_monotonic_time() - t0);
	return rc;
}

/* The output flush: at least every TICK_MS, also while hits keep the
 * stub answering before any wait times out. */
static void maybe_tick(struct vs_gdb *g, void (*tick)(void *), void *opaque)
{
	int64_t now = vs_gdb_now_ms();

	if (tick && now - g->last_tick >= TICK_MS) {
		g->last_tick = now;
		tick(opaque);
	}
}

/* A W or X reply kept while a request waited for its ack. */
static bool exit_kept(const struct vs_gdb_conn *c)
{
	return c->async_len && (c->async[0] == 'W' || c->async[0] == 'X');
}

/*
 * How the run ended on error @rc: VS_GDB_END_EXITED (the VM ended) or
 * VS_GDB_END_LOST (the connection was lost, QEMU killed or failed), with
 * the reason set. QEMU announces its exit with W only while the VM runs.
 * When a guest powers off while the VM is stopped at a breakpoint (a hit
 * on another vCPU at the same moment), QEMU stops it for the hit, then
 * handles the shutdown and exits without a word, which on the wire looks
 * just like a QEMU killed at that moment. So on EOF the QEMU process
 * itself is asked first (peer.c; unix sockets only, while it can still be
 * seen): a signal or a non-zero status is a lost VM, status 0 an ended
 * one, a QEMU that runs on a lost connection. Without that answer: a
 * stop with SIGQUIT is QEMU's "shut down" stop, a W that came unasked
 * while a request waited for its ack also counts, and EOF while we hold
 * the VM stopped is taken for the power-off; EOF while the VM runs
 * without a W is a QEMU that was killed.
 */
static enum vs_gdb_end run_end(struct vs_gdb *g, int rc, bool at_stop)
{
	bool eof = rc == -ECONNRESET || rc == -EPIPE;
	const char *held = at_stop ? " while the VM was stopped at a "
				     "breakpoint: a guest power-off" : "";
	enum vs_gdb_fate fate = VS_GDB_FATE_UNKNOWN;
	int code = 0;

	if (eof)
		fate = vs_gdb_peer_fate(&g->c->peer, PEER_WAIT_MS, &code);
	vs_debug("gdb: run ends: %s (%s, last stop signal %d, QEMU %s %d)",
		 strerror(-rc), at_stop ? "VM stopped" : "VM running",
		 g->last_signal, fate == VS_GDB_FATE_KILLED ? "signal" :
		 fate == VS_GDB_FATE_EXITED ? "status" :
		 fate == VS_GDB_FATE_ALIVE ? "alive" : "unknown", code);
	switch (fate) {
	case VS_GDB_FATE_KILLED:
		snprintf(g->end_reason, sizeof(g->end_reason),
			 "the VM has ended: QEMU was killed by signal %d (%s)",
			 code, strsignal(code));
		return VS_GDB_END_LOST;
	case VS_GDB_FATE_EXITED:
		if (code) {
			snprintf(g->end_reason, sizeof(g->end_reason),
				 "the VM has ended: QEMU exited with status %d",
				 code);
			return VS_GDB_END_LOST;
		}
		snprintf(g->end_reason, sizeof(g->end_reason),
			 "the VM has ended (QEMU exited with status 0%s)", held);
		return VS_GDB_END_EXITED;
	case VS_GDB_FATE_ALIVE:
		set_end(g, "gdbstub: ", "QEMU closed the connection and runs on");
		return VS_GDB_END_LOST;
	case VS_GDB_FATE_UNKNOWN:
		break;
	}
	if (rc == -ESRCH) {
		set_end(g, "the VM has ended", "");
		return VS_GDB_END_EXITED;
	}
	if (eof && (g->last_signal == GDB_SIGQUIT || exit_kept(g->c))) {
		set_end(g, "the VM has ended", " (shut down, then QEMU exited)");
		return VS_GDB_END_EXITED;
	}
	if (eof && at_stop) {
		snprintf(g->end_reason, sizeof(g->end_reason),
			 "the VM has ended (QEMU exited%s)", held);
		return VS_GDB_END_EXITED;
	}
	set_end(g, "gdbstub: ", vs_gdb_strerror(rc));
	return VS_GDB_END_LOST;
}

static bool want_stop(volatile sig_atomic_t *stop, int64_t deadline)
{
	return (stop && *stop) || (deadline && vs_gdb_now_ms() >= deadline);
}

/* Wait for the next stop reply; on a stop request, interrupt first. */
static int wait_stop(struct vs_gdb *g, volatile sig_atomic_t *stop,
		     int64_t deadline, void (*tick)(void *), void *opaque,
		     bool *stopping)
{
	for (;;) {
		int rc = vs_gdb_wait(g->c, *stopping ? STOP_WAIT_MS : TICK_MS);

		if (rc != -EAGAIN)
			return rc;
		if (*stopping)
			return -ETIMEDOUT;   /* the interrupt went unanswered */
		maybe_tick(g, tick, opaque);
		if (want_stop(stop, deadline)) {
			*stopping = true;
			rc = vs_gdb_interrupt(g->c);
			if (rc < 0)
				return rc;
		}
	}
}

enum vs_gdb_end vs_gdb_run(struct vs_backend *be,
			   volatile sig_atomic_t *stop, int64_t deadline_ms,
			   void (*tick)(void *), void *tick_opaque)
{
	struct vs_gdb *g = vs_gdb_of(be);
	bool stopping = false;

	while (!stopping && !want_stop(stop, deadline_ms)) {
		struct vs_rsp_stop st;
		bool at_stop = true;   /* the VM was stopped when rc came */
		int idx, rc;

		vs_gdb_invalidate(g);
		g->running = true;
		rc = g->c->vcont ? vs_gdb_send(g->c, "vCont;c") :
				   vs_gdb_send(g->c, "c");
		if (rc == 0) {
			at_stop = false;
			rc = wait_stop(g, stop, deadline_ms, tick, tick_opaque,
				       &stopping);
		}
		g->running = false;
		vs_gdb_invalidate(g);
		if (rc == 0)
			rc = parse_stop(g, &st, &idx);
		if (rc == 0 && st.code != 5)
			vs_debug("gdb: stop reply '%s'", g->c->reply);
		if (rc == 0 && (st.kind == 'W' || st.kind == 'X')) {
			set_end(g, "the VM has ended: ", st.kind == 'W' ?
				"exited" : "killed by a signal");
			return VS_GDB_END_EXITED;
		}
		if (rc == 0) {
			at_stop = true;
			rc = on_stop(g, idx);
		}
		maybe_tick(g, tick, tick_opaque);
		if (rc < 0)
			return run_end(g, rc, at_stop);
	}
	return VS_GDB_END_STOPPED;
}

int vs_gdb_detach(struct vs_backend *be)
{
	struct vs_gdb *g = vs_gdb_of(be);
	int rc = 0;

	if (!g->c || g->c->fd < 0)
		return -ENOTCONN;
	for (guint i = 0; i < g->sites->len && rc >= 0; i++) {
		struct gdb_site *s = &g_array_index(g->sites, struct gdb_site, i);

		if (s->planted)
			rc = vs_gdb_plant(g, s, false);
	}
	if (rc == -ETIMEDOUT || rc == -ECONNRESET || rc == -EPIPE)
		return rc;
	if (g->phys_stub && phys_mode(g->c, false))
		g->phys_stub = false;
	if (g->c->multiprocess && g->c->nthreads && g->c->threads[0].pid > 0)
		rc = vs_gdb_request(g->c, "D;%llx",
				    (unsigned long long)g->c->threads[0].pid);
	else
		rc = vs_gdb_request(g->c, "D");
	if (rc == 0 && strcmp(g->c->reply, "OK") != 0)
		rc = -EPROTO;
	return rc;
}

void vs_gdb_get_stats(struct vs_backend *be, struct vs_gdb_stats *st)
{
	struct vs_gdb *g = vs_gdb_of(be);

	*st = g->st;
	st->packets = g->c ? g->c->packets_out : 0;
}

const char *vs_gdb_end_reason(struct vs_backend *be)
{
	return vs_gdb_of(be)->end_reason;
}

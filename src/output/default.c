// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * default.c - DRAKVUF's default (human-readable) format:
 *   [PROCMON] TIME:<t> VCPU:<n> CR3:0x<HEX> "<name>":<Method> UID:<n> PID:<n> PPID:<n> Key:Value ...
 * (SessionID instead of UID for Windows), and for RunningProcess lines
 *   [PROCMON] TIME:<t> PID:<n> PPID:<n> RunningProcess:"<name>"
 * Fields follow as " Key:Value"; absent fields print nothing, except the
 * empty token DRAKVUF leaves for a missing Linux exec Environment under
 * --drakvuf-compat. NewState pairs print as Key:k1:v1;k2:v2.
 */

#include "format.h"

static void header(struct vs_fmt *f)
{
	const struct vs_event *ev = f->ev;
	GString *s = f->line;

	g_string_append_c(s, '[');
	for (const char *p = vs_fmt_plugin(f); *p; p++)
		g_string_append_c(s, g_ascii_toupper(*p));
	g_string_append(s, "] TIME:");
	vs_fmt_time(s, ev->time_us);
	if (vs_fmt_running(f)) {
		g_string_append(s, " PID:");
		vs_fmt_i64(s, ev->pid);
		g_string_append(s, " PPID:");
		vs_fmt_i64(s, ev->ppid);
		return;
	}
	g_string_append(s, " VCPU:");
	vs_fmt_u64(s, ev->vcpu);
	g_string_append(s, " CR3:0x");
	vs_fmt_hex(s, ev->cr3, true);
	g_string_append_c(s, ' ');
	vs_fmt_put_name(f, &ev->process_name);
	g_string_append_c(s, ':');
	g_string_append(s, vs_fmt_method(f));
	g_string_append(s, ev->os == VS_OS_WINDOWS ? " SessionID:" : " UID:");
	vs_fmt_i64(s, ev->userid);
	g_string_append(s, " PID:");
	vs_fmt_i64(s, ev->pid);
	g_string_append(s, " PPID:");
	vs_fmt_i64(s, ev->ppid);
}

static void put_pairs(GString *s, const struct vs_field *fld)
{
	for (size_t i = 0; i < fld->v.pairs.count; i++) {
		const struct vs_pair *p = &fld->v.pairs.items[i];
		struct vs_pair key = { .type = VS_FT_RSTR, .v.s = p->key };

		if (i)
			g_string_append_c(s, ';');
		vs_fmt_put_pair_value(s, &key);
		g_string_append_c(s, ':');
		vs_fmt_put_pair_value(s, p);
	}
}

int vs_fmt_default(struct vs_fmt *f)
{
	header(f);
	for (size_t i = 0; i < f->n; i++) {
		const struct vs_field *fld = f->order[i];

		if (!fld->present) {
			if (vs_fmt_gap(f, fld))
				g_string_append_c(f->line, ' ');
			continue;
		}
		g_string_append_c(f->line, ' ');
		g_string_append(f->line, fld->key);
		g_string_append_c(f->line, ':');
		if (fld->type == VS_FT_PAIRS)
			put_pairs(f->line, fld);
		else
			vs_fmt_put_value(f, fld);
	}
	g_string_append_c(f->line, '\n');
	return 0;
}

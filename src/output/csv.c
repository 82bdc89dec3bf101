// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * csv.c - DRAKVUF's csv format: positional, no keys.
 *   procmon <t>,<VCPU>,0x<CR3>,<UserId>,<PID>,<PPID>,<TID>,"<name>",<Method>,<field>...
 *   procmon <t>,<PID>,<PPID>,<field>...            (RunningProcess lines)
 * Every field of the event type has its own column, empty when the field
 * is absent, so columns never shift (contract §5); with --extended the
 * extended fields get columns after the seed fields. NewState prints only
 * its pair values, joined by ';'.
 */

#include "format.h"

static void header(struct vs_fmt *f)
{
	const struct vs_event *ev = f->ev;
	GString *s = f->line;

	g_string_append(s, vs_fmt_plugin(f));
	g_string_append_c(s, ' ');
	vs_fmt_time(s, ev->time_us);
	if (vs_fmt_running(f)) {
		g_string_append_c(s, ',');
		vs_fmt_i64(s, ev->pid);
		g_string_append_c(s, ',');
		vs_fmt_i64(s, ev->ppid);
		return;
	}
	g_string_append_c(s, ',');
	vs_fmt_u64(s, ev->vcpu);
	g_string_append(s, ",0x");
	vs_fmt_hex(s, ev->cr3, true);
	g_string_append_c(s, ',');
	vs_fmt_i64(s, ev->userid);
	g_string_append_c(s, ',');
	vs_fmt_i64(s, ev->pid);
	g_string_append_c(s, ',');
	vs_fmt_i64(s, ev->ppid);
	g_string_append_c(s, ',');
	vs_fmt_i64(s, ev->tid);
	g_string_append_c(s, ',');
	vs_fmt_put_name(f, &ev->process_name);
	g_string_append_c(s, ',');
	g_string_append(s, vs_fmt_method(f));
}

static void put_pair_values(GString *s, const struct vs_field *fld)
{
	for (size_t i = 0; i < fld->v.pairs.count; i++) {
		if (i)
			g_string_append_c(s, ';');
		vs_fmt_put_pair_value(s, &fld->v.pairs.items[i]);
	}
}

int vs_fmt_csv(struct vs_fmt *f)
{
	header(f);
	for (size_t i = 0; i < f->n; i++) {
		const struct vs_field *fld = f->order[i];

		g_string_append_c(f->line, ',');
		if (!fld->present)
			continue;
		if (fld->type == VS_FT_PAIRS)
			put_pair_values(f->line, fld);
		else
			vs_fmt_put_value(f, fld);
	}
	g_string_append_c(f->line, '\n');
	return 0;
}

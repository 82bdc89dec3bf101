// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kv.c - DRAKVUF's key=value format:
 *   procmon Time=<t>,PID=<n>,PPID=<n>,TID=<n>,ProcessName="<name>",Method=<m>,Key=Value...
 *   procmon Time=<t>,PID=<n>,PPID=<n>,Key=Value...   (RunningProcess lines)
 * Quoted values always escape backslash (contract §5), unlike DRAKVUF.
 * Absent fields print nothing; NewState pairs are flattened into top-level
 * k=v items; under --drakvuf-compat an empty R value is left out as
 * DRAKVUF does.
 */

#include "escape.h"
#include "format.h"

static void header(struct vs_fmt *f)
{
	const struct vs_event *ev = f->ev;
	GString *s = f->line;
	const struct vs_bytes *name = &ev->process_name;

	g_string_append(s, vs_fmt_plugin(f));
	g_string_append(s, " Time=");
	vs_fmt_time(s, ev->time_us);
	g_string_append(s, ",PID=");
	vs_fmt_i64(s, ev->pid);
	g_string_append(s, ",PPID=");
	vs_fmt_i64(s, ev->ppid);
	if (vs_fmt_running(f))
		return;
	g_string_append(s, ",TID=");
	vs_fmt_i64(s, ev->tid);
	g_string_append(s, ",ProcessName=\"");
	vs_esc_c(s, name->ptr ? name->ptr : "", name->ptr ? name->len : 0);
	g_string_append(s, "\",Method=");
	g_string_append(s, vs_fmt_method(f));
}

static void put_pairs(GString *s, const struct vs_field *fld)
{
	for (size_t i = 0; i < fld->v.pairs.count; i++) {
		const struct vs_pair *p = &fld->v.pairs.items[i];
		struct vs_pair key = { .type = VS_FT_RSTR, .v.s = p->key };

		g_string_append_c(s, ',');
		vs_fmt_put_pair_value(s, &key);
		g_string_append_c(s, '=');
		vs_fmt_put_pair_value(s, p);
	}
}

int vs_fmt_kv(struct vs_fmt *f)
{
	header(f);
	for (size_t i = 0; i < f->n; i++) {
		const struct vs_field *fld = f->order[i];

		if (!fld->present || vs_fmt_kv_omit(f, fld))
			continue;
		if (fld->type == VS_FT_PAIRS) {
			put_pairs(f->line, fld);
			continue;
		}
		g_string_append_c(f->line, ',');
		g_string_append(f->line, fld->key);
		g_string_append_c(f->line, '=');
		vs_fmt_put_value(f, fld);
	}
	g_string_append_c(f->line, '\n');
	return 0;
}

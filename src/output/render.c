// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * render.c - value rules shared by the formats (see format.h).
 *
 * Two jobs. First, which fields print and in what order (vs_fmt_select).
 * Second, the --drakvuf-compat transforms of values, which are data-level
 * and the same in every format: the Windows CommandLine goes through
 * g_strescape as DRAKVUF does, the clone Flags are re-joined with " | " (kv:
 * "NAME=1,NAME=1"), an empty E string reads "(null)" and the Linux
 * RunningProcess Bitness is 0. Byte escaping itself is escape.c's.
 */
#include "format.h"

#include <string.h>

#include "common/decimal.h"
#include "escape.h"

static bool show_extended(const struct vs_fmt *f)
{
	if (f->o.extended)
		return true;
	/* json and kv print extended fields unless DRAKVUF's layout is asked. */
	return !f->o.drakvuf_compat &&
	       (f->fmt == VS_FMT_JSON || f->fmt == VS_FMT_KV);
}

static bool skip_field(const struct vs_fmt *f, const struct vs_field *fld)
{
	/* DRAKVUF's default format has no Bitness on RunningProcess lines. */
	return f->fmt == VS_FMT_DEFAULT && vs_fmt_running(f) &&
	       fld->cls == VS_FC_SEED && strcmp(fld->key, "Bitness") == 0;
}

void vs_fmt_select(struct vs_fmt *f)
{
	const struct vs_event *ev = f->ev;
	size_t nf = ev->nfields < VS_EVENT_MAX_FIELDS ? ev->nfields :
		    VS_EVENT_MAX_FIELDS;

	f->n = 0;
	for (int pass = VS_FC_SEED; pass <= VS_FC_EXTENDED; pass++) {
		if (pass == VS_FC_EXTENDED && !show_extended(f))
			break;
		for (size_t i = 0; i < nf; i++) {
			const struct vs_field *fld = &ev->fields[i];

			if ((int)fld->cls == pass && !skip_field(f, fld))
				f->order[f->n++] = fld;
		}
	}
}

void vs_fmt_u64(GString *s, uint64_t v)
{
	char d[VS_DEC_U64_MAX], *p = vs_dec_backwards(d + sizeof(d), v);

	vs_put(s, p, (size_t)(d + sizeof(d) - p));
}

void vs_fmt_i64(GString *s, int64_t v)
{
	if (v < 0) {
		g_string_append_c(s, '-');
		vs_fmt_u64(s, -(uint64_t)v);     /* INT64_MIN too */
		return;
	}
	vs_fmt_u64(s, (uint64_t)v);
}

void vs_fmt_hex(GString *s, uint64_t v, bool upper)
{
	const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char d[16];
	size_t n = sizeof(d);

	do {
		d[--n] = dig[v & 15];
		v >>= 4;
	} while (v);
	vs_put(s, d + n, sizeof(d) - n);
}

void vs_fmt_time(GString *s, uint64_t us)
{
	uint64_t frac = us % 1000000;
	char d[7];

	vs_fmt_u64(s, us / 1000000);
	d[0] = '.';
	for (int i = 6; i >= 1; i--) {
		d[i] = (char)('0' + frac % 10);
		frac /= 10;
	}
	vs_put(s, d, 7);
}

const char *vs_fmt_method(const struct vs_fmt *f)
{
	const char *m = f->ev->method;

	if (f->o.drakvuf_compat && f->ev->compat_method)
		m = f->ev->compat_method;
	return m ? m : "";
}

const char *vs_fmt_plugin(const struct vs_fmt *f)
{
	return f->ev->plugin ? f->ev->plugin : "procmon";
}

/* The scratch string, empty; made on first use (only compat needs it). */
static GString *scratch(struct vs_fmt *f)
{
	if (!f->tmp)
		f->tmp = g_string_sized_new(256);
	g_string_truncate(f->tmp, 0);
	return f->tmp;
}

/* "A|B" -> "A | B", or "A=1,B=1" for kv (DRAKVUF's clone Flags). */
static void rejoin_flags(struct vs_fmt *f, const char *p, size_t n)
{
	bool kv = f->fmt == VS_FMT_KV;
	size_t start = 0;
	bool first = true;

	scratch(f);
	for (size_t i = 0; i <= n; i++) {
		if (i < n && p[i] != '|')
			continue;
		if (i > start) {
			if (!first)
				g_string_append(f->tmp, kv ? "," : " | ");
			g_string_append_len(f->tmp, p + start,
					    (gssize)(i - start));
			if (kv)
				g_string_append(f->tmp, "=1");
			first = false;
		}
		start = i + 1;
	}
}

static bool is_win_cmdline(const struct vs_fmt *f, const struct vs_field *fld)
{
	return f->ev->os == VS_OS_WINDOWS &&
	       strcmp(fld->key, "CommandLine") == 0;
}

void vs_fmt_str(struct vs_fmt *f, const struct vs_field *fld,
		struct vs_str *out)
{
	out->p = fld->v.s.ptr ? fld->v.s.ptr : "";
	out->n = fld->v.s.ptr ? fld->v.s.len : 0;
	out->verbatim = false;
	if (!f->o.drakvuf_compat)
		return;
	if (is_win_cmdline(f, fld)) {
		vs_esc_gstrescape(scratch(f), out->p, out->n);
		out->p = f->tmp->str;
		out->n = f->tmp->len;
		/* default/csv print DRAKVUF's Q strings raw: the g_strescape
		 * text is already free of quotes and control bytes. */
		out->verbatim = f->fmt == VS_FMT_DEFAULT ||
				f->fmt == VS_FMT_CSV;
		return;
	}
	if (fld->type == VS_FT_ESTR && strcmp(fld->key, "Flags") == 0 &&
	    out->n > 0) {
		rejoin_flags(f, out->p, out->n);
		out->p = f->tmp->str;
		out->n = f->tmp->len;
	}
	if (fld->type == VS_FT_ESTR && out->n == 0) {
		out->p = "(null)";
		out->n = 6;
	}
}

int64_t vs_fmt_num(const struct vs_fmt *f, const struct vs_field *fld)
{
	if (f->o.drakvuf_compat && vs_fmt_running(f) &&
	    f->ev->os == VS_OS_LINUX && strcmp(fld->key, "Bitness") == 0)
		return 0;
	return fld->v.n;
}

bool vs_fmt_gap(const struct vs_fmt *f, const struct vs_field *fld)
{
	return f->o.drakvuf_compat && !fld->present &&
	       f->ev->os == VS_OS_LINUX && fld->cls == VS_FC_SEED &&
	       strcmp(fld->key, "Environment") == 0;
}

bool vs_fmt_kv_omit(struct vs_fmt *f, const struct vs_field *fld)
{
	return f->o.drakvuf_compat && fld->type == VS_FT_RSTR &&
	       fld->v.s.len == 0;
}

static void put_string(struct vs_fmt *f, const struct vs_field *fld)
{
	struct vs_str v;

	vs_fmt_str(f, fld, &v);
	if (fld->type == VS_FT_RSTR) {
		if (vs_esc_raw_safe(v.p, v.n) ||
		    (v.n == 0 && f->o.drakvuf_compat)) {
			g_string_append_len(f->line, v.p, (gssize)v.n);
			return;
		}
		/* An R value that needs quoting is quoted like an E value. */
		g_string_append_c(f->line, '"');
		vs_esc_c(f->line, v.p, v.n);
		g_string_append_c(f->line, '"');
		return;
	}
	g_string_append_c(f->line, '"');
	if (v.verbatim)
		g_string_append_len(f->line, v.p, (gssize)v.n);
	else if (f->o.drakvuf_compat && fld->type == VS_FT_QSTR &&
		 f->fmt != VS_FMT_KV)
		vs_esc_q_compat(f->line, v.p, v.n);
	else
		vs_esc_c(f->line, v.p, v.n);
	g_string_append_c(f->line, '"');
}

void vs_fmt_put_value(struct vs_fmt *f, const struct vs_field *fld)
{
	GString *s = f->line;

	switch (fld->type) {
	case VS_FT_NUM:
		vs_fmt_i64(s, vs_fmt_num(f, fld));
		break;
	case VS_FT_UNUM:
		vs_fmt_u64(s, fld->v.u);
		break;
	case VS_FT_HEX:
		g_string_append(s, "0x");
		vs_fmt_hex(s, fld->v.u, true);
		break;
	case VS_FT_STRV:
		g_string_append_c(s, '"');
		vs_esc_strv(s, fld->v.strv.items, fld->v.strv.count);
		g_string_append_c(s, '"');
		break;
	case VS_FT_QSTR:
	case VS_FT_ESTR:
	case VS_FT_RSTR:
		put_string(f, fld);
		break;
	case VS_FT_PAIRS:
		break;   /* each format lays lists out itself */
	}
}

void vs_fmt_put_name(struct vs_fmt *f, const struct vs_bytes *name)
{
	const char *p = name->ptr ? name->ptr : "";
	size_t n = name->ptr ? name->len : 0;

	g_string_append_c(f->line, '"');
	if (f->o.drakvuf_compat)
		vs_esc_q_compat(f->line, p, n);
	else
		vs_esc_c(f->line, p, n);
	g_string_append_c(f->line, '"');
}

void vs_fmt_put_pair_value(GString *s, const struct vs_pair *p)
{
	switch (p->type) {
	case VS_FT_NUM:
		vs_fmt_i64(s, p->v.n);
		break;
	case VS_FT_UNUM:
		vs_fmt_u64(s, p->v.u);
		break;
	case VS_FT_HEX:
		g_string_append(s, "0x");
		vs_fmt_hex(s, p->v.u, true);
		break;
	default:
		vs_esc_elem(s, p->v.s.ptr ? p->v.s.ptr : "",
			    p->v.s.ptr ? p->v.s.len : 0);
		break;
	}
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_profile.c - `vmiscope profile -r FILE`: what a kernel profile
 * resolves, as one JSON object on stdout: "offsets" (STRUCT.Member ->
 * bytes), "bitfields" (their bit positions), "sizes", "symbols" (name ->
 * RVA for Windows, link-time address for Linux), "identity" and "missing"
 * (optional entries the file lacks). The entries are the OS layers' own
 * tables (os/windows/offsets.c, os/linux/offsets.c), so the output is what
 * `run -r FILE` will use. Exit 2 when the profile cannot be read, is
 * malformed, lacks a required Windows entry or is of no known OS.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <glib.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "os/linux/offsets.h"
#include "os/profile/profile.h"
#include "os/windows/offsets.h"

static const char usage[] =
"Usage: vmiscope profile -r FILE\n"
"\n"
"Print what a kernel profile resolves (struct offsets and sizes, symbols,\n"
"identity) as one JSON object. FILE is a Volatility 3 ISF or a Rekall\n"
"JSON profile, plain or xz-compressed, of a Windows or a Linux kernel.\n"
"\n"
"  -r, --json-kernel FILE      the profile\n"
"  -v, --verbose               debug messages on stderr (load time)\n"
"  -h, --help                  this help\n";

static const struct option longopts[] = {
	{ "json-kernel", required_argument, NULL, 'r' },
	{ "verbose", no_argument, NULL, 'v' },
	{ 0 },
};

/* Linux symbols shown besides the offsets table (what the Linux -r path looks up). */
static const char *const linux_symbols[] = {
	"_text", "init_task", "linux_banner", "current_task", "pcpu_hot",
	"__per_cpu_offset", "begin_new_exec", "do_exit", "do_send_sig_info",
	"kernel_clone",
};

static const char *const linux_sizes[] = {
	"task_struct", "mm_struct", "cred", "linux_binprm", "kernel_clone_args",
};

struct out {
	GString *s;
	int depth;
	bool first;     /* no member written yet in the current object */
	GPtrArray *missing;
};

static void profile_opt(struct vs_cli_args *a, int c, const char *arg,
			void *ctx)
{
	if (c == 'r')
		*(const char **)ctx = arg;
	else if (c == 'v')
		*((const char **)ctx + 1) = "v";
}

/* JSON string: valid UTF-8, quotes, backslashes and controls escaped. */
static void json_str(GString *s, const char *str)
{
	char *valid = g_utf8_make_valid(str, -1);

	g_string_append_c(s, '"');
	for (const unsigned char *c = (const unsigned char *)valid; *c; c++) {
		if (*c == '"' || *c == '\\')
			g_string_append_printf(s, "\\%c", *c);
		else if (*c < 0x20 || *c == 0x7f)
			g_string_append_printf(s, "\\u%04x", *c);
		else
			g_string_append_c(s, (char)*c);
	}
	g_string_append_c(s, '"');
	g_free(valid);
}

static void key(struct out *o, const char *k)
{
	g_string_append_printf(o->s, "%s\n%*s", o->first ? "" : ",", 2 * o->depth, "");
	json_str(o->s, k);
	g_string_append(o->s, ": ");
	o->first = false;
}

static void open_obj(struct out *o, const char *k)
{
	if (k)
		key(o, k);
	g_string_append_c(o->s, '{');
	o->depth++;
	o->first = true;
}

static void close_obj(struct out *o)
{
	o->depth--;
	if (!o->first)
		g_string_append_printf(o->s, "\n%*s", 2 * o->depth, "");
	g_string_append_c(o->s, '}');
	o->first = false;
}

static void num(struct out *o, const char *k, uint64_t v)
{
	key(o, k);
	g_string_append_printf(o->s, "%" PRIu64, v);
}

static void str(struct out *o, const char *k, const char *v)
{
	if (!v)
		return;
	key(o, k);
	json_str(o->s, v);
}

static void identity(struct out *o, struct vs_profile *p)
{
	const struct vs_profile_identity *id = vs_profile_identity(p);

	str(o, "os", vs_profile_os_name(vs_profile_os(p)));
	str(o, "format", vs_profile_format_name(vs_profile_format(p)));
	open_obj(o, "identity");
	str(o, "pdb_guid", id->pdb_guid);
	if (id->age >= 0)
		num(o, "age", (uint64_t)id->age);
	str(o, "database", id->database);
	str(o, "banner", id->banner);
	str(o, "version", id->version);
	str(o, "producer", id->producer);
	str(o, "isf_format", id->format);
	close_obj(o);
}

static void missing_list(struct out *o)
{
	key(o, "missing");
	g_string_append_c(o->s, '[');
	for (unsigned i = 0; i < o->missing->len; i++) {
		g_string_append(o->s, i ? ", " : "");
		json_str(o->s, g_ptr_array_index(o->missing, i));
	}
	g_string_append_c(o->s, ']');
}

/* "offsets" and "bitfields" of one member table (@n rows, found ones only). */
static void member_rows(struct out *o, unsigned n, const char *const *names,
			const struct vs_profile_member *m, const bool *found)
{
	open_obj(o, "offsets");
	for (unsigned i = 0; i < n; i++)
		if (found[i])
			num(o, names[i], m[i].offset);
	close_obj(o);
	open_obj(o, "bitfields");
	for (unsigned i = 0; i < n; i++) {
		if (!found[i] || !m[i].bitfield)
			continue;
		open_obj(o, names[i]);
		num(o, "offset", m[i].offset);
		num(o, "bit_position", m[i].bit_position);
		num(o, "bit_length", m[i].bit_length);
		close_obj(o);
	}
	close_obj(o);
}

static int windows_tables(struct out *o, struct vs_profile *p, const char *path)
{
	struct vs_win_offsets *w = g_new0(struct vs_win_offsets, 1);
	const char *names[VS_WINO_MAX];
	char err[512];
	int ret;

	ret = vs_win_offsets_resolve(p, w, err, sizeof(err));
	if (ret) {
		vs_cli_msg("profile: %s: %s", path, err);
		g_free(w);
		return VS_EXIT_USAGE;
	}
	for (unsigned i = 0; i < VS_WINO_MAX; i++) {
		const struct vs_wino_desc *d = vs_wino_desc(i);

		names[i] = g_strconcat(d->type, ".", w->member_name[i], NULL);
		if (!w->found[i])
			g_ptr_array_add(o->missing, g_strdup(names[i]));
	}
	member_rows(o, VS_WINO_MAX, names, w->m, w->found);
	open_obj(o, "sizes");
	for (unsigned i = 0; i < VS_WINS_MAX; i++) {
		if (w->size_found[i])
			num(o, vs_wins_desc(i)->type, w->size[i]);
		else
			g_ptr_array_add(o->missing, g_strdup(vs_wins_desc(i)->type));
	}
	close_obj(o);
	open_obj(o, "symbols");
	for (unsigned i = 0; i < VS_WINSYM_MAX; i++) {
		if (w->sym_found[i])
			num(o, vs_winsym_desc(i)->name, w->rva[i]);
		else
			g_ptr_array_add(o->missing, g_strdup(vs_winsym_desc(i)->name));
	}
	close_obj(o);
	for (unsigned i = 0; i < VS_WINO_MAX; i++)
		g_free((char *)names[i]);
	g_free(w);
	return 0;
}

/* Malformed entries fail; absent ones are listed as missing. */
static int lookup_ok(struct out *o, struct vs_profile *p, int ret,
		     const char *name, const char *path)
{
	if (ret == -ENOENT)
		g_ptr_array_add(o->missing, g_strdup(name));
	else if (ret)
		vs_cli_msg("profile: %s: %s", path, vs_profile_last_error(p));
	return ret && ret != -ENOENT ? VS_EXIT_USAGE : 0;
}

static int linux_tables(struct out *o, struct vs_profile *p, const char *path)
{
	struct vs_profile_member m[VS_LXO_MAX];
	bool found[VS_LXO_MAX];
	const char *names[VS_LXO_MAX];
	uint64_t v;
	int ret = 0;

	for (unsigned i = 0; i < VS_LXO_MAX; i++) {
		const struct vs_lxo_desc *d = vs_lxo_desc(i);
		int r = vs_profile_member(p, d->type, d->member, &m[i]);

		names[i] = g_strconcat(d->type, ".", d->member, NULL);
		found[i] = !r;
		ret = ret ? ret : lookup_ok(o, p, r, names[i], path);
	}
	member_rows(o, VS_LXO_MAX, names, m, found);
	open_obj(o, "sizes");
	for (unsigned i = 0; i < G_N_ELEMENTS(linux_sizes); i++) {
		int r = vs_profile_struct_size(p, linux_sizes[i], &v);

		if (!r)
			num(o, linux_sizes[i], v);
		ret = ret ? ret : lookup_ok(o, p, r, linux_sizes[i], path);
	}
	close_obj(o);
	open_obj(o, "symbols");
	for (unsigned i = 0; i < G_N_ELEMENTS(linux_symbols); i++) {
		int r = vs_profile_symbol(p, linux_symbols[i], &v);

		if (!r)
			num(o, linux_symbols[i], v);
		ret = ret ? ret : lookup_ok(o, p, r, linux_symbols[i], path);
	}
	close_obj(o);
	for (unsigned i = 0; i < VS_LXO_MAX; i++)
		g_free((char *)names[i]);
	return ret;
}

static int show(const char *path, bool verbose)
{
	struct out o = { g_string_new(NULL), 0, true, g_ptr_array_new_with_free_func(g_free) };
	struct vs_profile *p;
	char err[512];
	gint64 t0 = g_get_monotonic_time();
	int ret;

	ret = vs_profile_load(path, &p, err, sizeof(err));
	if (ret) {
		vs_cli_msg("profile: %s", err);
		ret = VS_EXIT_USAGE;
		goto out;
	}
	if (verbose)
		vs_cli_msg("profile: %s loaded in %.1f ms", path,
			   (g_get_monotonic_time() - t0) / 1000.0);
	open_obj(&o, NULL);
	identity(&o, p);
	if (vs_profile_os(p) == VS_PROFILE_OS_WINDOWS) {
		ret = windows_tables(&o, p, path);
	} else if (vs_profile_os(p) == VS_PROFILE_OS_LINUX) {
		ret = linux_tables(&o, p, path);
	} else {
		vs_cli_msg("profile: %s: neither a Windows nor a Linux kernel profile (no metadata.windows or metadata.linux, no PsInitialSystemProcess or init_task)",
			   path);
		ret = VS_EXIT_USAGE;
	}
	if (!ret) {
		missing_list(&o);
		close_obj(&o);
		fwrite(o.s->str, 1, o.s->len, stdout);
		fputc('\n', stdout);
		if (fflush(stdout) || ferror(stdout)) {
			vs_cli_msg("profile: writing stdout: %s", g_strerror(errno));
			ret = VS_EXIT_FAILURE;
		}
	}
	vs_profile_free(p);
out:
	g_string_free(o.s, TRUE);
	g_ptr_array_free(o.missing, TRUE);
	return ret;
}

int vs_cmd_profile(int argc, char **argv)
{
	const char *opts[2] = { NULL, NULL }; /* -r FILE, -v */
	struct vs_cli_args a;
	int ind, ret;

	vs_cli_args_init(&a, "profile", false);
	ind = vs_cli_parse(&a, argc, argv, "r:v", longopts, profile_opt, opts);
	if (a.help) {
		printf("%s", usage);
		vs_cli_args_free(&a);
		return VS_EXIT_OK;
	}
	if (ind < argc)
		vs_cli_error(&a, "profile: unexpected argument '%s'", argv[ind]);
	if (!opts[0])
		vs_cli_error(&a, "profile: -r FILE is required");
	ret = vs_cli_finish(&a, false);
	vs_cli_args_free(&a);
	return ret ? ret : show(opts[0], opts[1] != NULL);
}

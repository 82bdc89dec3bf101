// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cmd_pslist.c - `vmiscope pslist --dump FILE`: the processes of a QEMU
 * dump-guest-memory ELF core, printed as RunningProcess events.
 *
 * The dump backend maps the file, the OS layer discovers the kernel from
 * memory alone (Linux: _text, kallsyms, BTF; no profile), and every
 * process of the task list (swapper/0 first) becomes one RunningProcess
 * event in each selected output format. stderr names the kernel found,
 * how, and the host CPU time the discovery took.
 */
#include <errno.h>
#include <string.h>
#include <sys/time.h>

#include "backend/dump/dump.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "common/event.h"
#include "os/os.h"
#include "output/output.h"

enum { OPT_DUMP = VS_CLI_OPT_BASE };

static const char usage[] =
"Usage: vmiscope pslist [OPTIONS] --dump FILE\n"
"\n"
"List the processes of a QEMU dump-guest-memory ELF core.\n"
"\n"
"  --dump FILE                 the guest memory dump\n"
"\n";

static const struct option longopts[] = {
	{ "dump", required_argument, NULL, OPT_DUMP },
	{ 0 },
};

struct pslist {
	struct vs_output_set outs;
	struct vs_event ev;
	unsigned count;
	int emit_err;
};

static void pslist_opt(struct vs_cli_args *a, int c, const char *arg,
		       void *ctx)
{
	if (c == OPT_DUMP)
		*(const char **)ctx = arg;
}

static int open_outputs(const struct vs_monitor_opts *o,
			struct vs_output_set *set)
{
	struct vs_format_opts fo = {
		.extended = o->extended, .drakvuf_compat = o->drakvuf_compat,
	};
	size_t n = o->noutputs ? o->noutputs : 1;

	vs_output_set_init(set);
	for (size_t i = 0; i < n; i++) {
		const char *path = o->noutputs ? o->outputs[i].path : NULL;
		enum vs_format fmt = vs_monitor_opts_output_format(o, i);
		struct vs_output *out = NULL;
		int rc = path ? vs_output_open_path(fmt, &fo, path, &out) :
			 vs_output_open_fd(fmt, &fo, o->events_fd, &out);

		if (rc == 0 && vs_output_set_add(set, out) < 0) {
			vs_output_close(out);
			rc = -E2BIG;
		}
		if (rc < 0) {
			vs_cli_msg("cannot open output %s: %s",
				   path ? path : "(standard output)",
				   strerror(-rc));
			return rc;
		}
	}
	return 0;
}

static uint64_t wall_us(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

static int emit_proc(const struct vs_proc *p, void *opaque)
{
	struct pslist *ps = opaque;
	struct vs_event *ev = &ps->ev;
	struct vs_bytes unread[2];
	size_t nu = 0;

	vs_event_init(ev, VS_EV_RUNNING, VS_OS_LINUX, "procmon",
		      "RunningProcess");
	ev->time_us = wall_us();
	ev->pid = p->pid;
	ev->ppid = p->ppid < 0 ? 0 : p->ppid;
	ev->process_name = (struct vs_bytes){ p->name, p->name_len };
	vs_event_str(ev, "RunningProcess", VS_FT_QSTR, p->name, p->name_len);
	vs_event_num(ev, "Bitness", p->bitness);
	if (p->name_truncated) {
		static const struct vs_bytes f = { "RunningProcess", 14 };

		vs_field_ext(vs_event_strv(ev, "Truncated", &f, 1));
	}
	if (p->unreadable & VS_PROC_U_PPID)
		unread[nu++] = (struct vs_bytes){ "PPID", 4 };
	if (p->unreadable & (VS_PROC_U_PATH | VS_PROC_U_COMM))
		unread[nu++] = (struct vs_bytes){ "RunningProcess", 14 };
	if (nu)
		vs_field_ext(vs_event_strv(ev, "Unreadable", unread, nu));
	if (vs_output_set_emit(&ps->outs, ev) < 0)
		ps->emit_err = 1;
	ps->count++;
	return 0;
}

static int list_dump(const struct vs_monitor_opts *mon, const char *path)
{
	struct pslist *ps = g_new0(struct pslist, 1);
	struct vs_backend *be = NULL;
	struct vs_os_inst *os = NULL;
	struct vs_os_info info;
	int rc = open_outputs(mon, &ps->outs), ret = VS_EXIT_FAILURE;

	if (rc < 0)
		goto out;
	rc = vs_dump_open(path, &be);
	if (rc < 0) {
		vs_cli_msg("%s: %s", path, rc == -EPROTO ?
			   "not a QEMU dump-guest-memory ELF core" :
			   strerror(-rc));
		goto out;
	}
	rc = vs_os_open(be, NULL, NULL, &os);
	if (rc < 0) {
		vs_cli_msg("%s: no supported guest kernel found%s%s%s", path,
			   rc == -ENOENT ? "" : " (", rc == -ENOENT ? "" :
			   strerror(-rc), rc == -ENOENT ? "" : ")");
		goto out;
	}
	if (vs_os_info(os, &info) == 0 && !mon->quiet)
		vs_cli_msg("%s; found via %s (%zu symbols, %zu BTF types, "
			   "_text %#llx); discovery %.0f ms CPU, %.0f ms wall",
			   info.version, info.method, info.nsymbols,
			   info.ntypes, (unsigned long long)info.kernel_base,
			   info.discovery_cpu_ms, info.discovery_wall_ms);
	rc = vs_os_proc_foreach(os, emit_proc, ps);
	if (rc < 0)
		vs_cli_msg("task list walk stopped after %u processes: %s",
			   ps->count, strerror(-rc));
	else if (ps->emit_err)
		vs_cli_msg("some event lines could not be written");
	else
		ret = VS_EXIT_OK;
out:
	if (vs_output_set_close(&ps->outs) < 0)
		ret = VS_EXIT_FAILURE;
	vs_os_close(os);
	vs_backend_close(be);
	g_free(ps);
	return ret;
}

int vs_cmd_pslist(int argc, char **argv)
{
	const char *dump = NULL;
	struct vs_cli_args a;
	int ind, ret;

	vs_cli_args_init(&a, "pslist", true);
	ind = vs_cli_parse(&a, argc, argv, "", longopts, pslist_opt, &dump);
	if (a.help) {
		printf("%s%s", usage, vs_cli_monitor_help);
		vs_cli_args_free(&a);
		return VS_EXIT_OK;
	}
	if (ind < argc)
		vs_cli_error(&a, "pslist: unexpected argument '%s'", argv[ind]);
	if (!dump)
		vs_cli_error(&a, "pslist: --dump is required");
	ret = vs_cli_finish(&a, true);
	if (ret == 0)
		ret = list_dump(&a.mon, dump);
	vs_cli_args_free(&a);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * options.c - the monitoring options (see options.h): one table of keys,
 * each with a setter that validates its value, shared by the CLI (which
 * maps every long option to its key) and the QEMU plugin (which passes its
 * key=value arguments as they come). vs_monitor_opts_check() does the
 * checks that need the whole set or the file system, and
 * vs_monitor_opts_to_plugin_args() turns a parsed set back into the plugin
 * argument string that `run` hands to QEMU.
 */
#include "options.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "plugins/plugin.h"
#ifdef VS_HAVE_PLUGIN_PROCMON
#include "plugins/procmon/envfilter.h"
#endif

#define STATS_INTERVAL_MAX 86400u
#define EVENTS_FD_MAX 65535

static int fail(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ret;
}

void vs_monitor_opts_init(struct vs_monitor_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = VS_FMT_DEFAULT;
	o->events_fd = 1;
}

void vs_monitor_opts_free(struct vs_monitor_opts *o)
{
	for (size_t i = 0; i < o->noutputs; i++)
		free(o->outputs[i].path);
	for (size_t i = 0; i < o->nplugins; i++)
		free(o->plugins[i]);
	free(o->filter_file);
	free(o->json_kernel);
	free(o->stats_output);
	free(o->status_file);
	vs_monitor_opts_init(o);
}

enum vs_format vs_monitor_opts_output_format(const struct vs_monitor_opts *o,
					     size_t i)
{
	if (i < o->noutputs && o->outputs[i].format_set)
		return o->outputs[i].format;
	return o->format;
}

/* --- value parsers ------------------------------------------------------ */

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "on", "yes", "true", "1" };
	static const char *const no[] = { "off", "no", "false", "0" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(v, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(v, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* Decimal digits only: no sign, no spaces, no hex, no overflow. */
static int parse_uint(const char *v, unsigned long max, unsigned long *out)
{
	unsigned long n = 0;

	if (!*v)
		return -EINVAL;
	for (const char *p = v; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		if (n > (max - (unsigned long)(*p - '0')) / 10)
			return -ERANGE;
		n = n * 10 + (unsigned long)(*p - '0');
	}
	*out = n;
	return 0;
}

static int set_string(char **slot, const char *v, const char *what,
		      char *err, size_t errlen)
{
	char *copy;

	if (!*v)
		return fail(err, errlen, -EINVAL, "%s: empty file name", what);
	copy = strdup(v);
	if (!copy)
		return fail(err, errlen, -ENOMEM, "out of memory");
	free(*slot);
	*slot = copy;
	return 0;
}

static void format_names(char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int f = VS_FMT_DEFAULT; f <= VS_FMT_OCSF && used < len; f++) {
		int n = snprintf(buf + used, len - used, "%s%s",
				 used ? ", " : "", vs_format_name(f));
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

/* --- one setter per key ------------------------------------------------- */

typedef int (*setter_fn)(struct vs_monitor_opts *o, const char *v,
			 char *err, size_t errlen);

static int set_output_format(struct vs_monitor_opts *o, const char *v,
			     char *err, size_t errlen)
{
	char names[128];

	if (vs_format_parse(v, &o->format) == 0) {
		o->format_set = true;
		return 0;
	}
	format_names(names, sizeof(names));
	return fail(err, errlen, -EINVAL,
		    "unknown output format '%s' (one of: %s)", v, names);
}

static int set_output(struct vs_monitor_opts *o, const char *v,
		      char *err, size_t errlen)
{
	struct vs_output_spec spec = { .format = VS_FMT_DEFAULT };
	const char *colon = strchr(v, ':');
	const char *path = v;

	if (o->noutputs >= VS_MAX_OUTPUTS)
		return fail(err, errlen, -E2BIG, "at most %d outputs",
			    VS_MAX_OUTPUTS);
	if (colon) {
		char name[16];
		size_t n = (size_t)(colon - v);

		/* "FORMAT:FILE" only when FORMAT names a format, so a file
		 * name holding ':' still works ("./a:b" always does). */
		if (n < sizeof(name)) {
			memcpy(name, v, n);
			name[n] = '\0';
			if (vs_format_parse(name, &spec.format) == 0) {
				spec.format_set = true;
				path = colon + 1;
			}
		}
	}
	if (!*path)
		return fail(err, errlen, -EINVAL,
			    "output '%s': empty file name", v);
	if (strcmp(path, "-") != 0) {
		spec.path = strdup(path);
		if (!spec.path)
			return fail(err, errlen, -ENOMEM, "out of memory");
	}
	o->outputs[o->noutputs++] = spec;
	return 0;
}

/* The contract §3 sentence for a known plugin this build left out. */
static int not_compiled_in(const char *name, char *err, size_t errlen)
{
	return fail(err, errlen, -ENOTSUP,
		    "plugin '%s' is not compiled in (-Dplugin-%s=false)",
		    name, name);
}

static int set_plugin(struct vs_monitor_opts *o, const char *v,
		      char *err, size_t errlen)
{
	char *copy;

	if (!vs_plugin_find(v)) {
		if (vs_plugin_is_known(v))
			return not_compiled_in(v, err, errlen);
		return fail(err, errlen, -EINVAL, "unknown plugin '%s'", v);
	}
	for (size_t i = 0; i < o->nplugins; i++)
		if (strcmp(o->plugins[i], v) == 0)
			return 0;       /* -a procmon -a procmon: once */
	if (o->nplugins >= VS_MAX_PLUGINS)
		return fail(err, errlen, -E2BIG, "at most %d plugins",
			    VS_MAX_PLUGINS);
	copy = strdup(v);
	if (!copy)
		return fail(err, errlen, -ENOMEM, "out of memory");
	o->plugins[o->nplugins++] = copy;
	return 0;
}

static int set_filter_file(struct vs_monitor_opts *o, const char *v,
			   char *err, size_t errlen)
{
	/* The filter is procmon's: without procmon it cannot do anything. */
	if (!vs_plugin_find("procmon"))
		return not_compiled_in("procmon", err, errlen);
	return set_string(&o->filter_file, v, "procmon filter file", err,
			  errlen);
}

static int set_json_kernel(struct vs_monitor_opts *o, const char *v,
			   char *err, size_t errlen)
{
	return set_string(&o->json_kernel, v, "kernel profile", err, errlen);
}

static int set_stats_output(struct vs_monitor_opts *o, const char *v,
			    char *err, size_t errlen)
{
	return set_string(&o->stats_output, v, "stats output", err, errlen);
}

static int set_status_file(struct vs_monitor_opts *o, const char *v,
			   char *err, size_t errlen)
{
	return set_string(&o->status_file, v, "status file", err, errlen);
}

static int set_bool(bool *slot, const char *key, const char *v,
		    char *err, size_t errlen)
{
	if (parse_bool(v, slot) == 0)
		return 0;
	return fail(err, errlen, -EINVAL,
		    "%s: '%s' is not on/off (or yes/no, true/false, 1/0)",
		    key, v);
}

static int set_extended(struct vs_monitor_opts *o, const char *v,
			char *err, size_t errlen)
{
	return set_bool(&o->extended, "extended", v, err, errlen);
}

static int set_drakvuf_compat(struct vs_monitor_opts *o, const char *v,
			      char *err, size_t errlen)
{
	return set_bool(&o->drakvuf_compat, "drakvuf_compat", v, err, errlen);
}

static int set_verbose(struct vs_monitor_opts *o, const char *v,
		       char *err, size_t errlen)
{
	return set_bool(&o->verbose, "verbose", v, err, errlen);
}

static int set_quiet(struct vs_monitor_opts *o, const char *v,
		     char *err, size_t errlen)
{
	return set_bool(&o->quiet, "quiet", v, err, errlen);
}

static int set_stats_interval(struct vs_monitor_opts *o, const char *v,
			      char *err, size_t errlen)
{
	unsigned long n;

	if (parse_uint(v, STATS_INTERVAL_MAX, &n) < 0)
		return fail(err, errlen, -EINVAL,
			    "stats interval '%s': expected seconds, 0 to %u",
			    v, STATS_INTERVAL_MAX);
	o->stats_interval = (unsigned)n;
	return 0;
}

static int set_events_fd(struct vs_monitor_opts *o, const char *v,
			 char *err, size_t errlen)
{
	unsigned long n;

	if (parse_uint(v, EVENTS_FD_MAX, &n) < 0 || n == 0)
		return fail(err, errlen, -EINVAL,
			    "events_fd '%s': expected a descriptor, 1 to %d",
			    v, EVENTS_FD_MAX);
	o->events_fd = (int)n;
	return 0;
}

static const struct {
	const char *key;
	setter_fn set;
} keys[] = {
	{ "output_format",       set_output_format },
	{ "output",              set_output },
	{ "plugin",              set_plugin },
	{ "procmon_filter_file", set_filter_file },
	{ "procmon_envs_list",   set_filter_file },   /* DRAKVUF's name */
	{ "json_kernel",         set_json_kernel },
	{ "extended",            set_extended },
	{ "drakvuf_compat",      set_drakvuf_compat },
	{ "verbose",             set_verbose },
	{ "quiet",               set_quiet },
	{ "stats_interval",      set_stats_interval },
	{ "stats_output",        set_stats_output },
	{ "events_fd",           set_events_fd },
	{ "status_file",         set_status_file },
};

int vs_monitor_opts_set(struct vs_monitor_opts *o, const char *key,
			const char *value, char *err, size_t errlen)
{
	if (!key || !value)
		return fail(err, errlen, -EINVAL, "missing option name or value");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].key, key) == 0)
			return keys[i].set(o, value, err, errlen);
	return fail(err, errlen, -ENOENT, "unknown option '%s'", key);
}

/* --- whole-set checks --------------------------------------------------- */

static int check_readable(const char *path, const char *what, char *err,
			  size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return fail(err, errlen, -EINVAL, "%s %s: %s", what, path,
			    strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return fail(err, errlen, -EINVAL, "%s %s: %s", what, path,
			    strerror(EISDIR));
	}
	close(fd);
	return 0;
}

/* Could @path be opened for writing? Nothing is created here. */
static int check_creatable(const char *path, const char *what, char *err,
			   size_t errlen)
{
	struct stat st;
	char *dir, *slash;
	int ret = 0;

	if (stat(path, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return fail(err, errlen, -EINVAL, "%s %s: %s", what,
				    path, strerror(EISDIR));
		if (access(path, W_OK) < 0)
			return fail(err, errlen, -EINVAL, "%s %s: %s", what,
				    path, strerror(errno));
		return 0;
	}
	if (errno != ENOENT)
		return fail(err, errlen, -EINVAL, "%s %s: %s", what, path,
			    strerror(errno));
	dir = strdup(path);
	if (!dir)
		return fail(err, errlen, -ENOMEM, "out of memory");
	slash = strrchr(dir, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	if (access(dir, W_OK | X_OK) < 0)
		ret = fail(err, errlen, -EINVAL, "%s %s: %s", what, path,
			   strerror(errno));
	free(dir);
	return ret;
}

static bool same_target(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static int check_outputs(const struct vs_monitor_opts *o, char *err,
			 size_t errlen)
{
	for (size_t i = 0; i < o->noutputs; i++) {
		const char *p = o->outputs[i].path;
		int ret;

		for (size_t j = 0; j < i; j++)
			if (same_target(p, o->outputs[j].path))
				return fail(err, errlen, -EINVAL,
					    "output %s is given twice",
					    p ? p : "-");
		if (p && o->stats_output && strcmp(p, o->stats_output) == 0)
			return fail(err, errlen, -EINVAL,
				    "%s is both an event output and the stats output",
				    p);
		if (p && (ret = check_creatable(p, "output", err, errlen)))
			return ret;
	}
	return 0;
}

int vs_monitor_opts_check(const struct vs_monitor_opts *o, char *err,
			  size_t errlen)
{
	int ret;

	if (o->verbose && o->quiet)
		return fail(err, errlen, -EINVAL,
			    "--verbose and --quiet exclude each other");
	ret = check_outputs(o, err, errlen);
	if (ret)
		return ret;
	if (o->stats_output &&
	    (ret = check_creatable(o->stats_output, "stats output", err, errlen)))
		return ret;
	if (o->json_kernel &&
	    (ret = check_readable(o->json_kernel, "kernel profile", err, errlen)))
		return ret;
	if (o->filter_file) {
#ifdef VS_HAVE_PLUGIN_PROCMON
		char why[256] = "";

		if (vs_envfilter_check_file(o->filter_file, why, sizeof(why)))
			return fail(err, errlen, -EINVAL,
				    "procmon filter file %s: %s",
				    o->filter_file, why);
#else
		return not_compiled_in("procmon", err, errlen);
#endif
	}
	return 0;
}

/* --- back to plugin arguments ------------------------------------------- */

static int emit(FILE *f, const char *key, const char *value, char *err,
		size_t errlen)
{
	if (strchr(value, ','))
		return fail(err, errlen, -EINVAL,
			    "%s '%s' holds a ',', which QEMU's -plugin cannot carry",
			    key, value);
	fprintf(f, "%s%s=%s", ftell(f) ? "," : "", key, value);
	return 0;
}

static int emit_outputs(FILE *f, const struct vs_monitor_opts *o, char *err,
			size_t errlen)
{
	for (size_t i = 0; i < o->noutputs; i++) {
		const struct vs_output_spec *s = &o->outputs[i];
		const char *path = s->path ? s->path : "-";
		char buf[PATH_MAX + 32];

		if (s->format_set)
			snprintf(buf, sizeof(buf), "%s:%s",
				 vs_format_name(s->format), path);
		else
			snprintf(buf, sizeof(buf), "%s", path);
		if (emit(f, "output", buf, err, errlen))
			return -EINVAL;
	}
	return 0;
}

static int emit_all(FILE *f, const struct vs_monitor_opts *o, char *err,
		    size_t errlen)
{
	const struct { const char *key; bool on; } flags[] = {
		{ "extended", o->extended },
		{ "drakvuf_compat", o->drakvuf_compat },
		{ "verbose", o->verbose },
		{ "quiet", o->quiet },
	};
	const struct { const char *key; const char *v; } paths[] = {
		{ "procmon_filter_file", o->filter_file },
		{ "json_kernel", o->json_kernel },
		{ "stats_output", o->stats_output },
		{ "status_file", o->status_file },
	};
	char num[24];
	int ret = 0;

	if (o->format_set)
		ret |= emit(f, "output_format", vs_format_name(o->format), err,
			    errlen);
	ret |= emit_outputs(f, o, err, errlen);
	for (size_t i = 0; i < o->nplugins && !ret; i++)
		ret |= emit(f, "plugin", o->plugins[i], err, errlen);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]) && !ret; i++)
		if (paths[i].v)
			ret |= emit(f, paths[i].key, paths[i].v, err, errlen);
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]) && !ret; i++)
		if (flags[i].on)
			ret |= emit(f, flags[i].key, "on", err, errlen);
	if (o->stats_interval && !ret) {
		snprintf(num, sizeof(num), "%u", o->stats_interval);
		ret |= emit(f, "stats_interval", num, err, errlen);
	}
	if (o->events_fd != 1 && !ret) {
		snprintf(num, sizeof(num), "%d", o->events_fd);
		ret |= emit(f, "events_fd", num, err, errlen);
	}
	return ret ? -EINVAL : 0;
}

char *vs_monitor_opts_to_plugin_args(const struct vs_monitor_opts *o,
				     char *err, size_t errlen)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int ret;

	if (!f) {
		fail(err, errlen, -ENOMEM, "out of memory");
		return NULL;
	}
	ret = emit_all(f, o, err, errlen);
	if (fclose(f) != 0 && !ret)
		ret = fail(err, errlen, -ENOMEM, "out of memory");
	if (ret) {
		free(buf);
		return NULL;
	}
	return buf;
}

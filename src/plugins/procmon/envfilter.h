/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * envfilter.h - which environment variables procmon reports on exec.
 *
 * The seed's `procmon_filter_file`: one variable name per line. A filter
 * file replaces the defaults (LD_PRELOAD, PWD, OLDPWD). Contract §4: a
 * trailing '\r' is stripped, blank lines and lines starting with '#' are
 * ignored, and a name containing '=' or whitespace is an error that names
 * the line. vs_envfilter_apply() turns an exec's environment strings into
 * the `Environment` value: kept pairs sorted by key, `K=V` joined by ','.
 * Pure code: no guest access, unit-tested in tests/plugins/.
 */
#ifndef VS_PLUGINS_PROCMON_ENVFILTER_H
#define VS_PLUGINS_PROCMON_ENVFILTER_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

#include "common/event.h"

#define VS_ENVFILTER_MAX_NAMES 4096
#define VS_ENVFILTER_MAX_NAME 1024
#define VS_ENVFILTER_MAX_FILE (1u << 20)

struct vs_envfilter;

/* The default set: LD_PRELOAD, OLDPWD, PWD. */
struct vs_envfilter *vs_envfilter_new_default(void);

/**
 * vs_envfilter_parse() - parse filter-file text.
 * Returns 0 and a new filter in @out, or -EINVAL (bad line; @err names the
 * line number) or -E2BIG (too many names / too long) with @err set.
 */
int vs_envfilter_parse(const char *text, size_t len, struct vs_envfilter **out,
		       char *err, size_t errlen);

/* Read and parse @path; -errno of the failed open/read with @err set. */
int vs_envfilter_load(const char *path, struct vs_envfilter **out, char *err,
		      size_t errlen);

/* Validate @path without keeping the result (the CLI, before anything runs). */
int vs_envfilter_check_file(const char *path, char *err, size_t errlen);

void vs_envfilter_free(struct vs_envfilter *f);

size_t vs_envfilter_count(const struct vs_envfilter *f);
bool vs_envfilter_has(const struct vs_envfilter *f, const char *name,
		      size_t len);

/**
 * vs_envfilter_apply() - build the Environment value.
 * @env: the exec's environment strings ("KEY=VALUE", guest bytes)
 * Entries without '=' or with an empty key are skipped; the value is every
 * byte after the first '='. Kept entries are sorted by key (bytewise; equal
 * keys keep their order) and appended to @out as "K=V,K=V".
 * Returns the number of entries kept.
 */
size_t vs_envfilter_apply(const struct vs_envfilter *f,
			  const struct vs_bytes *env, size_t n, GString *out);

#endif /* VS_PLUGINS_PROCMON_ENVFILTER_H */

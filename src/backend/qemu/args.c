// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * args.c - strict parsing of the QEMU plugin's arguments (see args.h).
 *
 * Pure code over strings: unit-tested in tests/qemu/test_args.c without
 * QEMU. Each argument must be "key=value" with a non-empty key; internal
 * keys are handled here, the rest goes to the caller's callback.
 */
#include "args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vs_qemu_args_init(struct vs_qemu_args *a)
{
	memset(a, 0, sizeof(*a));
	a->ready = VS_QEMU_READY_KERNEL;
	a->direct_ram = 1;
}

void vs_qemu_args_free(struct vs_qemu_args *a)
{
	vs_qemu_args_init(a);
}

/* An address or a count: 0x-hex or decimal, all of it, no sign. */
static int parse_addr(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}

static int parse_internal(struct vs_qemu_args *a, const char *key,
			  const char *val, char *err, size_t errlen)
{
	if (strcmp(key, "ready") == 0) {
		if (strcmp(val, "kernel") == 0)
			a->ready = VS_QEMU_READY_KERNEL;
		else if (strcmp(val, "user") == 0)
			a->ready = VS_QEMU_READY_USER;
		else
			goto bad;
		return 0;
	}
	if (strcmp(key, "debug_hook") == 0) {
		uint64_t addr;

		if (parse_addr(val, &addr) < 0)
			goto bad;
		if (a->ndebug_hooks >= VS_QEMU_MAX_DEBUG_HOOKS) {
			snprintf(err, errlen, "at most %d debug_hook= arguments",
				 VS_QEMU_MAX_DEBUG_HOOKS);
			return -E2BIG;
		}
		a->debug_hooks[a->ndebug_hooks++] = addr;
		return 0;
	}
	if (strcmp(key, "self_clock") == 0) {
		size_t len = strlen(val);

		if (!len || len >= sizeof(a->self_clock)) {
			snprintf(err, errlen, "invalid plugin argument self_clock="
				 " (expected a file path shorter than %zu bytes)",
				 sizeof(a->self_clock));
			return -EINVAL;
		}
		memcpy(a->self_clock, val, len + 1);
		return 0;
	}
	if (strcmp(key, "direct_ram") == 0 || strcmp(key, "hooks_only") == 0) {
		int *flag = strcmp(key, "direct_ram") == 0 ? &a->direct_ram :
			    &a->hooks_only;

		if (strcmp(val, "on") == 0)
			*flag = 1;
		else if (strcmp(val, "off") == 0)
			*flag = 0;
		else
			goto bad;
		return 0;
	}
	/* Numbers that must not be 0 (0 is "off"). */
	if (strcmp(key, "debug_late_hook") == 0 ||
	    strcmp(key, "debug_direct_skew") == 0) {
		uint64_t n;

		if (parse_addr(val, &n) < 0 || !n)
			goto bad;
		if (strcmp(key, "debug_late_hook") == 0)
			a->debug_late_hook = n;
		else
			a->debug_direct_skew = n;
		return 0;
	}
	return -ENOENT;
bad:
	snprintf(err, errlen, "invalid plugin argument %s=%s%s", key, val,
		 strcmp(key, "ready") == 0 ? " (expected kernel or user)" :
		 strcmp(key, "direct_ram") == 0 ||
		 strcmp(key, "hooks_only") == 0 ? " (expected on or off)" :
		 strcmp(key, "debug_direct_skew") == 0 ?
		 " (expected a read count such as 100)" :
		 " (expected an address such as 0x401000)");
	return -EINVAL;
}

static int parse_one(struct vs_qemu_args *a, const char *arg,
		     vs_qemu_args_other_fn other, void *ctx,
		     char *err, size_t errlen)
{
	const char *eq = strchr(arg, '=');
	char key[64];
	size_t klen;
	int ret;

	if (!eq || eq == arg) {
		snprintf(err, errlen, "plugin argument '%s' is not key=value",
			 arg);
		return -EINVAL;
	}
	klen = (size_t)(eq - arg);
	if (klen >= sizeof(key)) {
		snprintf(err, errlen, "unknown plugin argument '%.*s'",
			 (int)(sizeof(key) - 1), arg);
		return -ENOENT;
	}
	memcpy(key, arg, klen);
	key[klen] = '\0';

	ret = parse_internal(a, key, eq + 1, err, errlen);
	if (ret != -ENOENT)
		return ret;
	err[0] = '\0';
	ret = other ? other(ctx, key, eq + 1, err, errlen) : -ENOENT;
	if (ret == -ENOENT)
		snprintf(err, errlen, "unknown plugin argument '%s'", key);
	else if (ret < 0 && !err[0])
		snprintf(err, errlen, "invalid plugin argument %s", arg);
	return ret;
}

int vs_qemu_args_parse(struct vs_qemu_args *a, int argc, char **argv,
		       vs_qemu_args_other_fn other, void *ctx,
		       char *err, size_t errlen)
{
	for (int i = 0; i < argc; i++) {
		int ret = parse_one(a, argv[i] ? argv[i] : "", other, ctx,
				    err, errlen);

		if (ret < 0)
			return ret;
	}
	return 0;
}

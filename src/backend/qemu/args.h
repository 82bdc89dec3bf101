/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * args.h - the QEMU plugin's argument list, parsed without QEMU.
 *
 * QEMU hands the plugin its `-plugin lib.so,k=v,k=v` arguments as "k=v"
 * strings. vs_qemu_args_parse() takes the plugin's own internal keys and
 * passes every other one to a callback (the plugin uses
 * vs_monitor_opts_set(), so the monitoring options are validated exactly
 * as the CLI validates them). Internal keys:
 *   ready=kernel|user       when the ready callback fires (qemu.h)
 *   debug_hook=0xADDR       test aid: log every execution of ADDR
 *                           (repeatable, at most VS_QEMU_MAX_DEBUG_HOOKS)
 *   debug_late_hook=0xADDR  test aid: hook ADDR the same way, but only from
 *                           inside the 10th debug_hook hit (a "late" hook:
 *                           its code is translated by then, see hooks.c)
 *   self_clock=PATH         benchmark aid: time spent in vmiscope's
 *                           callbacks, per vCPU, in a shared file
 *                           (selfclock.c)
 *   direct_ram=on|off       read guest RAM from QEMU's own mapping of it
 *                           once verified (direct.c; default on)
 *   debug_direct_skew=N     test aid: after a vCPU's Nth direct RAM read,
 *                           every direct read of it comes back with its
 *                           first byte flipped, as if the RAM mapping
 *                           were wrong; the cross-check must turn the
 *                           fast path off (direct.c)
 *   hooks_only=on|off       benchmark aid: hooks are placed and QEMU calls
 *                           them, but they return at once (no reads, no
 *                           events past the start): what QEMU's plugin
 *                           machinery alone costs the guest (default off)
 * (status_file= and events_fd= are monitoring options of options.h.)
 * Any malformed or unknown argument is an error with one sentence in @err,
 * so QEMU refuses to start instead of running misconfigured.
 */
#ifndef VS_BACKEND_QEMU_ARGS_H
#define VS_BACKEND_QEMU_ARGS_H

#include <stddef.h>
#include <stdint.h>

#include "qemu.h"

#define VS_QEMU_MAX_DEBUG_HOOKS 16

struct vs_qemu_args {
	enum vs_qemu_ready ready;
	uint64_t debug_hooks[VS_QEMU_MAX_DEBUG_HOOKS];
	size_t ndebug_hooks;
	uint64_t debug_late_hook;       /* 0: none */
	char self_clock[4096];          /* "": off */
	int direct_ram;                 /* 1 (default) or 0 */
	int hooks_only;                 /* 0 (default) or 1 */
	uint64_t debug_direct_skew;     /* 0: off */
};

/* Handles a key that is not internal: 0, -ENOENT (unknown key: the
 * parser words the message) or another -errno with @err set. */
typedef int (*vs_qemu_args_other_fn)(void *ctx, const char *key,
				     const char *value, char *err,
				     size_t errlen);

void vs_qemu_args_init(struct vs_qemu_args *a);
void vs_qemu_args_free(struct vs_qemu_args *a);

/**
 * vs_qemu_args_parse() - parse @argc "key=value" strings into @a.
 * @other: called for every key that is not internal (may be NULL: then
 *         such keys are unknown)
 * Returns 0, or a negative errno with a sentence in @err.
 */
int vs_qemu_args_parse(struct vs_qemu_args *a, int argc, char **argv,
		       vs_qemu_args_other_fn other, void *ctx,
		       char *err, size_t errlen);

#endif /* VS_BACKEND_QEMU_ARGS_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linux_names.h - decoding tables of the Linux procmon events: signal
 * names, exit-status names, clone flags, errno names.
 *
 * Pure functions over numbers (no guest access), unit-tested in
 * tests/plugins/. The tables are facts of the Linux ABI and of DRAKVUF's
 * output (reference §2.B); where DRAKVUF has a defect vmiscope differs and
 * docs/compat.md says so.
 */
#ifndef VS_PLUGINS_PROCMON_LINUX_NAMES_H
#define VS_PLUGINS_PROCMON_LINUX_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

/**
 * vs_linux_signal_name() - SignalStr of a signal number.
 * 1..31 the classic names (SIGHUP ... SIGSYS), 0 "SIGCHECK" (DRAKVUF's label
 * for the existence probe kill(pid, 0)), 32..64 "SIGRTMIN+n" (n = sig - 32)
 * unless @compat, where DRAKVUF prints "UNDEFINED"; anything else
 * "UNDEFINED".
 */
const char *vs_linux_signal_name(int64_t sig, bool compat, char *buf,
				 size_t buflen);

/**
 * vs_linux_exit_status_name() - ExitStatusStr of a normal exit code
 * (the value passed to exit(), 0..255), DRAKVUF's table: EXIT_SUCCESS,
 * EXIT_FAILURE, the sysexits EX_* as EXIT_*, 126..143 shell conventions;
 * other codes "UNDEFINED".
 */
const char *vs_linux_exit_status_name(uint32_t code);

/**
 * vs_linux_exit_signal_name() - ExitStatusStr of a death by signal @sig:
 * "EXIT_SIG<NAME>" for 1..31, "EXIT_SIGRTMIN+n" above (contract §6).
 */
const char *vs_linux_exit_signal_name(int sig, char *buf, size_t buflen);

/**
 * vs_linux_clone_flags() - the Flags value of a kernel_clone event.
 * Names of the set bits in ascending bit order joined by '|'; bits without
 * a name appended as one "0x<hex>"; 0 gives "" (contract §4). The exit
 * signal is not part of kernel_clone_args.flags (it is a field of its own).
 */
void vs_linux_clone_flags(uint64_t flags, GString *out);

/* "EAGAIN" for 11, ...; NULL for an unknown errno value. */
const char *vs_linux_errno_name(int64_t err);

#endif /* VS_PLUGINS_PROCMON_LINUX_NAMES_H */

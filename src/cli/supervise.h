/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * supervise.h - start QEMU as vmiscope's child and watch it to the end
 * (contract §2, §3). Used by `run` and `demo`.
 *
 * The child's descriptors:
 *   0  /dev/null
 *   1  pipe -> vmiscope, copied to stderr with each line prefixed "qemu: "
 *   2  pipe -> vmiscope, the same, except lines the plugin logged
 *      ("vmiscope: ...", vmiscope's own diagnostics) which pass as they are
 *   3  vmiscope's own stdout: the plugin writes events there (events_fd=3)
 *   4  pipe -> vmiscope: the guest serial console (-chardev path=/dev/fd/4),
 *      copied byte for byte to --serial-log or stderr and scanned for
 *      power-off, reset and panic (serial_scan.h). Absent for a user's own
 *      command line (`run -- QEMU...`), whose QEMU stdout is scanned instead.
 * QEMU runs in its own process group with PR_SET_PDEATHSIG(SIGKILL), so it
 * never outlives vmiscope; SIGINT/SIGTERM/SIGHUP and the -t timeout send
 * SIGTERM to that group, then SIGKILL after 5 s (a second signal: at once).
 */
#ifndef VS_CLI_SUPERVISE_H
#define VS_CLI_SUPERVISE_H

#include <stdbool.h>

#define VS_CHILD_EVENTS_FD 3
#define VS_CHILD_SERIAL_FD 4
#define VS_KILL_GRACE_MS 5000

struct vs_supervise_cfg {
	const char *cmd;            /* "run", "demo": for messages */
	char *const *argv;          /* QEMU's argv; argv[0] is a path */
	bool serial_pipe;           /* set up fd 4 (our own command line) */
	const char *serial_log;     /* NULL: the console goes to stderr */
	unsigned timeout;           /* seconds, 0: none */
	bool timeout_fails;         /* -t elapsing is a failure (demo) */
	const char *status_file;    /* the plugin's status file, or NULL */
	bool quiet;                 /* no notes, errors only */
};

/**
 * vs_supervise() - run QEMU to the end and judge how it ended.
 * Returns the exit status of contract §3: 0 powered off (or stopped by -t
 * or a signal), 1 QEMU failed, 3 guest panic or reset, 4 the plugin
 * reported incomplete monitoring.
 */
int vs_supervise(const struct vs_supervise_cfg *cfg);

#endif /* VS_CLI_SUPERVISE_H */

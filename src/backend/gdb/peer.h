/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * peer.h - what became of the QEMU at the other end of a unix socket.
 *
 * The gdbstub's EOF alone cannot tell a guest power-off from a killed
 * QEMU when it comes while the VM is held stopped at a breakpoint (QEMU
 * then exits without a W packet; loop.c). On a unix socket the kernel
 * names the peer process (SO_PEERCRED); noted at connect time, it can be
 * asked at EOF how QEMU ended: killed by a signal, or exited with a
 * status. The answer is only given while the process can still be seen
 * (exiting or a zombie its parent has not reaped yet) and is the same
 * process (start time); else it is "unknown" and the caller keeps its
 * protocol-level guess.
 */
#ifndef VS_BACKEND_GDB_PEER_H
#define VS_BACKEND_GDB_PEER_H

#include <stddef.h>
#include <sys/types.h>

struct vs_gdb_peer {
	pid_t pid;                    /* 0: unknown (tcp, not QEMU, ...) */
	unsigned long long start;     /* /proc/PID/stat starttime */
};

enum vs_gdb_fate {
	VS_GDB_FATE_UNKNOWN,
	VS_GDB_FATE_EXITED,           /* *code: the exit status */
	VS_GDB_FATE_KILLED,           /* *code: the signal */
	VS_GDB_FATE_ALIVE,            /* runs on, not exiting */
};

/* Note the process behind connected unix socket @fd if it is a QEMU
 * (its executable's name starts with "qemu"); else p->pid = 0. */
void vs_gdb_peer_note(int fd, struct vs_gdb_peer *p);

/* How the noted process ended, waiting up to @wait_ms for it to finish
 * dying (its sockets close before its exit is final). */
enum vs_gdb_fate vs_gdb_peer_fate(const struct vs_gdb_peer *p, int wait_ms,
				  int *code);

/* /proc/PID/stat, the fields used here. */
struct vs_proc_stat {
	char state;                   /* field 3 */
	unsigned long flags;          /* 9: PF_* */
	unsigned long long start;     /* 22: starttime */
	int exit_code;                /* 52: a wait status */
};

/* Parse /proc/PID/stat text (exposed for the unit test): 0 or -EINVAL. */
int vs_gdb_proc_stat_parse(const char *text, size_t len,
			   struct vs_proc_stat *st);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu_host.h - the host side of `run`: finding qemu-system-x86_64 and
 * checking its version, finding the vmiscope QEMU plugin, and vetting a
 * user's own QEMU command line. The parsers are pure and unit-tested; the
 * finders print their own "vmiscope: ..." sentence when they fail.
 */
#ifndef VS_CLI_QEMU_HOST_H
#define VS_CLI_QEMU_HOST_H

#include <stddef.h>

#define VS_QEMU_DEFAULT "qemu-system-x86_64"
#define VS_QEMU_PLUGIN_NAME "libvmiscope-qemu.so"
/* QEMU 9.2 is the first with what the plugin needs (plugin API 4). */
#define VS_QEMU_MIN_MAJOR 9
#define VS_QEMU_MIN_MINOR 2

/* @name as execvp() would find it: a malloc'd path, or NULL. */
char *vs_find_program(const char *name);

/**
 * vs_qemu_parse_version() - "QEMU emulator version 10.0.2 (Debian ...)".
 * Returns 0 with the numbers, or -EINVAL when no version line is found.
 */
int vs_qemu_parse_version(const char *text, unsigned *major, unsigned *minor,
			  unsigned *micro);

/*
 * vs_qemu_check() - run `@qemu -version` (at most 10 s) and require
 * 9.2 or later. Returns 0, or prints why and returns VS_EXIT_USAGE.
 */
int vs_qemu_check(const char *cmd, const char *qemu);

/*
 * vs_qemu_find_plugin() - @explicit (--qemu-plugin), else beside the
 * vmiscope executable, else $libdir/vmiscope/. A malloc'd absolute path,
 * or NULL after printing where it looked.
 */
char *vs_qemu_find_plugin(const char *cmd, const char *explicit_path);

/**
 * vs_qemu_check_user_args() - vet `run -- QEMU_COMMAND...`: refuses
 * -enable-kvm and any accelerator but tcg (-accel, -machine accel=),
 * -daemonize and -plugin (vmiscope adds its own). @argv[0] is the program.
 * Returns 0 or -EINVAL with a sentence in @err.
 */
int vs_qemu_check_user_args(int argc, char *const *argv, char *err,
			    size_t errlen);

#endif /* VS_CLI_QEMU_HOST_H */

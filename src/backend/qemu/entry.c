// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * entry.c - libvmiscope-qemu.so, the QEMU TCG plugin entry point.
 */
#include <stdint.h>

#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))

QEMU_PLUGIN_EXPORT int qemu_plugin_version = 4;

QEMU_PLUGIN_EXPORT int qemu_plugin_install(uint64_t id, const void *info,
					   int argc, char **argv);
int qemu_plugin_install(uint64_t id, const void *info, int argc, char **argv)
{
	(void)id; (void)info; (void)argc; (void)argv;
	return 0;
}

#include "backend/backend.h"
/* Filled by the QEMU backend (registers, memory, hooks). */
const struct vs_backend_ops vs_qemu_backend_ops = {
	.name = "qemu",
	.caps = VS_CAP_LIVE | VS_CAP_HOOKS,
};

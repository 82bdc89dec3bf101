// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bareplugin.c - libvmiscope-bareplugin.so, a QEMU TCG plugin that asks to
 * see every translated block and does nothing with it: no hook, no
 * register or memory read, no thread, no output.
 *
 * bench/run pairs an unmonitored VM with one that loads this plugin to
 * measure what QEMU itself charges any plugin that watches translation,
 * below vmiscope's hooks (hooks_only=on) and its work. In QEMU 9.1 and
 * later that is more than an empty call at translation time: while a
 * block is translated for such a plugin, every guest load and store also
 * stores its value into the vCPU's plugin_mem_value fields (for
 * qemu_plugin_mem_get_value()), whether or not any plugin asked for
 * memory callbacks, and that store stays in the translated code
 * (tcg/tcg-op-ldst.c, plugin_gen_mem_callbacks_i32/i64; bench/README,
 * "Where the time goes").
 */
#include "backend/qemu/qemu-api.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = VS_QEMU_PLUGIN_VERSION;

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	(void)id;
	(void)tb;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv)
{
	(void)info;
	(void)argc;
	(void)argv;
	if (!qemu_plugin_register_vcpu_tb_trans_cb)
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-api.h - our own declarations of the few QEMU TCG plugin API items
 * libvmiscope-qemu.so uses (API version 4: QEMU 9.2 and 10.0).
 *
 * Debian ships no qemu-plugin.h, so the types and prototypes below are
 * written from QEMU's public interface. Each was checked against the
 * QEMU 10.0.2 binary (argument registers, structure sizes in its code) and
 * is exercised at run time (tests/integration/test_qemu_backend.py reads
 * known registers and guest strings). A wrong prototype here crashes QEMU,
 * so nothing is declared that the plugin does not call (booleans go
 * through options.c, vCPU counts come from qemu_info_t).
 *
 * The API functions live in the QEMU executable, which exports them to
 * plugins. They are declared weak so the plugin links with -z defs and so
 * qemu_plugin_install() can refuse, with a sentence, a QEMU that lacks one
 * (vs_qemu_api_missing()) instead of crashing on a NULL call.
 */
#ifndef VS_BACKEND_QEMU_QEMU_API_H
#define VS_BACKEND_QEMU_QEMU_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))
#define VS_QEMU_API __attribute__((weak))

/* The API version this plugin is written against (read_memory_vaddr). */
#define VS_QEMU_PLUGIN_VERSION 4

typedef uint64_t qemu_plugin_id_t;

/* Passed to qemu_plugin_install(); layout as in QEMU's header. */
typedef struct qemu_info_t {
	const char *target_name;        /* "x86_64" */
	struct {
		int min;                /* oldest API version QEMU accepts */
		int cur;                /* API version QEMU implements */
	} version;
	bool system_emulation;
	union {
		struct {
			int smp_vcpus;  /* -smp N */
			int max_vcpus;  /* -smp maxcpus= */
		} system;
	};
} qemu_info_t;

/* Opaque handles, valid only inside the callback that handed them out. */
struct qemu_plugin_tb;
struct qemu_plugin_insn;
struct qemu_plugin_register;

/* Which CPU state an instrumented callback may look at. */
enum qemu_plugin_cb_flags {
	QEMU_PLUGIN_CB_NO_REGS = 0,
	QEMU_PLUGIN_CB_R_REGS = 1,
	QEMU_PLUGIN_CB_RW_REGS = 2,
};

/* One element of the GArray qemu_plugin_get_registers() returns. */
typedef struct {
	struct qemu_plugin_register *handle;
	const char *name;               /* interned by QEMU: never freed */
	const char *feature;            /* gdb feature, e.g. "org.gnu.gdb.i386.core" */
} qemu_plugin_reg_descriptor;

typedef void (*qemu_plugin_simple_cb_t)(qemu_plugin_id_t id);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_simple_cb_t)(qemu_plugin_id_t id,
					     unsigned int vcpu_index);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index,
					    void *userdata);
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
					       struct qemu_plugin_tb *tb);

/* Defined by the plugin, looked up by QEMU with dlsym(). */
QEMU_PLUGIN_EXPORT extern int qemu_plugin_version;
QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
					   const qemu_info_t *info,
					   int argc, char **argv);

/* Callback registration (any context at install time). */
VS_QEMU_API void qemu_plugin_register_vcpu_init_cb(qemu_plugin_id_t id,
		qemu_plugin_vcpu_simple_cb_t cb);
VS_QEMU_API void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
		qemu_plugin_vcpu_tb_trans_cb_t cb);
VS_QEMU_API void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
		qemu_plugin_udata_cb_t cb, void *userdata);

/* Unregisters every callback of the plugin and flushes the translation
 * cache (asynchronously, with all vCPUs stopped: "safe work"), then calls
 * @cb, which registers again whatever the plugin still wants. */
VS_QEMU_API void qemu_plugin_reset(qemu_plugin_id_t id,
				   qemu_plugin_simple_cb_t cb);

/* Translation time: inside a tb_trans callback only. */
VS_QEMU_API size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
VS_QEMU_API uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
VS_QEMU_API struct qemu_plugin_insn *
qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
VS_QEMU_API uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
VS_QEMU_API void qemu_plugin_register_vcpu_insn_exec_cb(
		struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb,
		enum qemu_plugin_cb_flags flags, void *userdata);

/* vCPU context only (QEMU asserts current_cpu). */
VS_QEMU_API GArray *qemu_plugin_get_registers(void);
/* Appends the register's bytes (target order) to @buf; returns how many
 * or -1. */
VS_QEMU_API int qemu_plugin_read_register(struct qemu_plugin_register *handle,
					  GByteArray *buf);
/* Sets @data's size to @len and fills it through the vCPU's current page
 * tables; false when any byte is unmapped. */
VS_QEMU_API bool qemu_plugin_read_memory_vaddr(uint64_t addr, GByteArray *data,
					       size_t len);

/*
 * vs_qemu_api_missing() - name of the first API function this QEMU does not
 * export, or NULL when all are there.
 */
static inline const char *vs_qemu_api_missing(void)
{
#define VS_QEMU_NEED(fn) do { if (!(fn)) return #fn; } while (0)
	VS_QEMU_NEED(qemu_plugin_register_vcpu_init_cb);
	VS_QEMU_NEED(qemu_plugin_register_vcpu_tb_trans_cb);
	VS_QEMU_NEED(qemu_plugin_register_atexit_cb);
	VS_QEMU_NEED(qemu_plugin_reset);
	VS_QEMU_NEED(qemu_plugin_tb_n_insns);
	VS_QEMU_NEED(qemu_plugin_tb_vaddr);
	VS_QEMU_NEED(qemu_plugin_tb_get_insn);
	VS_QEMU_NEED(qemu_plugin_insn_vaddr);
	VS_QEMU_NEED(qemu_plugin_register_vcpu_insn_exec_cb);
	VS_QEMU_NEED(qemu_plugin_get_registers);
	VS_QEMU_NEED(qemu_plugin_read_register);
	VS_QEMU_NEED(qemu_plugin_read_memory_vaddr);
#undef VS_QEMU_NEED
	return NULL;
}

#endif /* VS_BACKEND_QEMU_QEMU_API_H */

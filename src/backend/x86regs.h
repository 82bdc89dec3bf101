/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86regs.h - the x86-64 register names backends answer to.
 *
 * Backends that keep a register file themselves (the dump reader, the
 * memory image of the tests) share one numbering, so vs_backend_reg_id()
 * means the same thing in both: the id is the enum value. Names are the
 * ones the OS layer asks for ("cr3", "gs_base", "k_gs_base", ...).
 */
#ifndef VS_BACKEND_X86REGS_H
#define VS_BACKEND_X86REGS_H

#include <errno.h>
#include <string.h>

enum vs_x86_reg {
	VS_X86_RAX, VS_X86_RBX, VS_X86_RCX, VS_X86_RDX,
	VS_X86_RSI, VS_X86_RDI, VS_X86_RSP, VS_X86_RBP,
	VS_X86_R8, VS_X86_R9, VS_X86_R10, VS_X86_R11,
	VS_X86_R12, VS_X86_R13, VS_X86_R14, VS_X86_R15,
	VS_X86_RIP, VS_X86_RFLAGS,
	VS_X86_CS, VS_X86_SS, VS_X86_FS_BASE, VS_X86_GS_BASE,
	VS_X86_K_GS_BASE,
	VS_X86_CR0, VS_X86_CR2, VS_X86_CR3, VS_X86_CR4,
	VS_X86_NREGS
};

static const char *const vs_x86_reg_names[VS_X86_NREGS] = {
	"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp",
	"r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15",
	"rip", "rflags", "cs", "ss", "fs_base", "gs_base", "k_gs_base",
	"cr0", "cr2", "cr3", "cr4",
};

/* Register id for @name: 0 and *id set, or -ENOENT. */
static inline int vs_x86_reg_lookup(const char *name, int *id)
{
	for (int i = 0; name && i < VS_X86_NREGS; i++) {
		if (strcmp(vs_x86_reg_names[i], name) == 0) {
			*id = i;
			return 0;
		}
	}
	return -ENOENT;
}

#endif /* VS_BACKEND_X86REGS_H */

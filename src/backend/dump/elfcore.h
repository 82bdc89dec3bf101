/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * elfcore.h - parse a QEMU dump-guest-memory ELF core from memory.
 *
 * The parser only looks at the bytes it is given (the dump backend maps
 * the file; a fuzzer passes a buffer). It yields:
 *   - physical ranges: one per PT_LOAD, [p_paddr, p_paddr + p_filesz)
 *     backed by file bytes at p_offset;
 *   - per-vCPU registers, from the "QEMU"/0 note (QEMUCPUState v1):
 *       @0 u32 version, @4 u32 size, @8 rax rbx rcx rdx rsi rdi rsp rbp
 *       r8..r15, @136 rip, @144 rflags, @152 10 segments x 24 bytes
 *       (u32 selector, limit, flags, pad; u64 base): cs ds es fs gs ss
 *       ldt tr gdt idt, @392 cr0..cr4, @432 kernel_gs_base (size >= 440).
 * Every header field is bounds-checked against the buffer in uint64_t.
 * Errors: -EPROTO (not an ELF64 x86-64 core or a bound is violated),
 * -E2BIG (more ranges or vCPUs than the caps below).
 */
#ifndef VS_BACKEND_DUMP_ELFCORE_H
#define VS_BACKEND_DUMP_ELFCORE_H

#include <stddef.h>
#include <stdint.h>

#include "backend/x86regs.h"

#define VS_ELFCORE_MAX_RANGES 4096
#define VS_ELFCORE_MAX_VCPUS  1024

struct vs_elfcore_range {
	uint64_t pa;
	uint64_t len;
	uint64_t file_off;
};

struct vs_elfcore {
	struct vs_elfcore_range *ranges;   /* sorted by pa, g_new */
	size_t nranges;
	uint64_t (*regs)[VS_X86_NREGS];    /* per vCPU, g_new */
	unsigned nvcpus;
};

int vs_elfcore_parse(const uint8_t *buf, size_t len, struct vs_elfcore *out);
void vs_elfcore_free(struct vs_elfcore *c);

#endif /* VS_BACKEND_DUMP_ELFCORE_H */

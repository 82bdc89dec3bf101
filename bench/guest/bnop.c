// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bnop.c - the exec storm's target: the smallest static program, no libc.
 * It exits 0 at once (exit_group), so an exec storm iteration costs one
 * fork, one exec of a few-KiB image and one exit.
 * Build: gcc -static -nostdlib -O2 -fno-stack-protector -o bnop bnop.c
 */
void _start(void) __attribute__((noreturn));

void _start(void)
{
	__asm__ volatile("mov $231, %%eax\n\txor %%edi, %%edi\n\tsyscall"
			 ::: "rax", "rdi", "rcx", "r11", "memory");
	__builtin_unreachable();
}

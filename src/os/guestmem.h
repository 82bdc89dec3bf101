/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guestmem.h - the bounded accessors: the only way the OS layer reads
 * guest memory.
 *
 * A struct vs_gmem is a virtual address space to read from: either a
 * backend (vCPU + DTB) or a plain buffer placed at a base address (tests
 * and fuzzers reach every parser through the buffer form). On top of one
 * raw read it offers fixed-size values, bounded strings that report
 * truncation, bounded arrays and copies, and a list walk with a step
 * limit and cycle detection. Every size a guest can influence is checked
 * against a cap before anything is allocated or read.
 *
 * Errors: 0 or -EFAULT (unreadable), -EINVAL (malformed, e.g. a list cycle
 * that never returns to its head), -E2BIG (a bound was hit).
 *
 * Fewer reads: under QEMU every read is one qemu_plugin_read_memory_vaddr()
 * call, whose fixed cost dwarfs copying a few hundred bytes more. So
 * vs_gmem_gather() reads several fields of one object in as few reads as
 * their layout allows, and a memo (struct vs_gmem_memo, optional) keeps the
 * kernel spans read that way so that a later read inside one is a copy.
 * A memo is for one short moment in which the guest cannot change the
 * memory (one hook call, the vCPU stopped): its owner empties it when the
 * moment starts.
 */
#ifndef VS_OS_GUESTMEM_H
#define VS_OS_GUESTMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

struct vs_backend;

/* The largest single read or copy the OS layer ever makes (BTF fits). */
#define VS_GMEM_MAX_READ (64u << 20)

struct vs_gmem {
	struct vs_backend *be;      /* NULL: buffer mode */
	unsigned vcpu;
	uint64_t dtb;
	const uint8_t *buf;         /* buffer mode */
	size_t buf_len;
	uint64_t buf_base;
	uint64_t failures;          /* reads that failed, for the stats */
	struct vs_gmem_memo *memo;  /* NULL: every read goes to the guest */
};

/* The largest span one gather read or memo entry holds. */
#define VS_GMEM_SPAN_MAX 4096u
#define VS_GMEM_MEMO_SPANS 32u
#define VS_GMEM_MEMO_BYTES (4u * VS_GMEM_SPAN_MAX)

/*
 * Kernel spans (upper half only: the same in every address space) read by
 * vs_gmem_gather() or vs_gmem_span() while the memo is attached; reads
 * inside one are served from the copy. Full is not an error: new spans
 * are then simply not kept. Several struct vs_gmem of one thread may share
 * one memo.
 */
struct vs_gmem_memo {
	unsigned nspans;
	uint32_t used;
	struct { uint64_t va; uint32_t len, at; } span[VS_GMEM_MEMO_SPANS];
	uint8_t data[VS_GMEM_MEMO_BYTES];
};

/* Forget every span (the guest may have run since they were read). */
static inline void vs_gmem_memo_clear(struct vs_gmem_memo *mm)
{
	mm->nspans = 0;
	mm->used = 0;
}

void vs_gmem_from_backend(struct vs_gmem *m, struct vs_backend *be,
			  unsigned vcpu, uint64_t dtb);
/* @buf (not copied) appears at virtual addresses [base, base + len). */
void vs_gmem_from_buffer(struct vs_gmem *m, uint64_t base, const void *buf,
			 size_t len);

/* Raw bounded read: -E2BIG above VS_GMEM_MAX_READ, else 0 or -EFAULT. */
int vs_gmem_read(struct vs_gmem *m, uint64_t va, void *buf, size_t len);
int vs_gmem_u8(struct vs_gmem *m, uint64_t va, uint8_t *out);
int vs_gmem_u16(struct vs_gmem *m, uint64_t va, uint16_t *out);
int vs_gmem_u32(struct vs_gmem *m, uint64_t va, uint32_t *out);
int vs_gmem_u64(struct vs_gmem *m, uint64_t va, uint64_t *out);

/* A read of at most VS_GMEM_SPAN_MAX bytes that the memo keeps (when one
 * is attached and @va is a kernel address). 0, -EFAULT or -E2BIG. */
int vs_gmem_span(struct vs_gmem *m, uint64_t va, void *buf, size_t len);

/* One field of an object for vs_gmem_gather(). */
struct vs_gmem_field {
	uint64_t off;       /* from the object's address */
	uint32_t len;       /* bytes, 1 .. VS_GMEM_SPAN_MAX */
	void *out;          /* written only when rc == 0 */
	int rc;             /* out: what a read of this field alone gives */
};

/* Fields closer than this share a read (copying the gap is cheaper). */
#define VS_GMEM_GATHER_GAP 512u
#define VS_GMEM_GATHER_MAX 32u

/**
 * vs_gmem_gather() - read @n fields (any order) of the object at @base in
 * as few reads as their offsets allow: fields no more than
 * VS_GMEM_GATHER_GAP bytes apart share one read of at most
 * VS_GMEM_SPAN_MAX bytes (vs_gmem_span, so the memo keeps it). When such a
 * read fails, its fields are read one by one, so each field's rc and
 * value are exactly those of a read of that field alone.
 * Returns 0 when every field was read, else the first failing field's rc
 * (-EINVAL for @n > VS_GMEM_GATHER_MAX).
 */
int vs_gmem_gather(struct vs_gmem *m, uint64_t base, struct vs_gmem_field *f,
		   size_t n);

/**
 * vs_gmem_step() - the length of the next read of a scan that starts
 * small: at most *@step bytes, never across a 4 KiB page end, at most
 * @left; *@step then doubles, up to a page. Strings and argument lists
 * are mostly short, and every byte read is a copy in the guest's time;
 * pages are readable whole or not at all, so the steps change no result.
 */
static inline size_t vs_gmem_step(uint64_t va, size_t *step, size_t left)
{
	size_t n = 4096u - (size_t)(va & 4095u);

	if (n > *step)
		n = *step;
	if (*step < 4096u)
		*step *= 2;
	return n < left ? n : left;
}

/**
 * vs_gmem_str() - read a NUL-terminated guest string into @buf.
 * @cap: size of @buf (>= 1); at most @cap - 1 bytes are kept, and @buf is
 *       always NUL-terminated.
 * @len: out, bytes kept. @truncated: out, set when the string was longer
 *       than @cap - 1 or its tail was unreadable.
 * Returns 0, or -EFAULT when not even the first byte is readable.
 */
int vs_gmem_str(struct vs_gmem *m, uint64_t va, char *buf, size_t cap,
		size_t *len, bool *truncated);

/* Read @count elements of @elem bytes; -E2BIG when @count > @max. */
int vs_gmem_array(struct vs_gmem *m, uint64_t va, size_t elem, uint64_t count,
		  uint64_t max, void *out);

/* g_malloc'd copy of [va, va + len); -E2BIG when @len > @cap. */
int vs_gmem_dup(struct vs_gmem *m, uint64_t va, uint64_t len, uint64_t cap,
		uint8_t **out);

/*
 * Walk a circular list_head list: from the anchor at @head, follow `next`
 * (offset 0 of list_head) until it comes back to @head. Each step yields
 * the address of a member list_head. Stops with -E2BIG after @limit
 * nodes and -EINVAL when a node repeats without reaching the head.
 */
struct vs_gmem_list {
	struct vs_gmem *m;
	uint64_t head;
	uint64_t cur;
	unsigned steps, limit;
	GHashTable *seen;
};

void vs_gmem_list_init(struct vs_gmem_list *it, struct vs_gmem *m,
		       uint64_t head, unsigned limit);
/* 1 and *@node: one more node; 0: back at the head; <0: error. */
int vs_gmem_list_next(struct vs_gmem_list *it, uint64_t *node);
void vs_gmem_list_fini(struct vs_gmem_list *it);

#endif /* VS_OS_GUESTMEM_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * profile.h - kernel profiles (-r/--json-kernel): struct sizes, member
 * offsets and symbol addresses of one exact kernel build, shared by the
 * Linux and Windows OS layers.
 *
 * Two JSON dialects are read, plain or xz-compressed (detected by magic,
 * not by file name): Volatility 3 ISF (Windows from PDBs, Linux from
 * dwarf2json) and Rekall profiles ($STRUCTS, $CONSTANTS, $FUNCTIONS,
 * $METADATA). A profile is untrusted input: every lookup checks the JSON
 * types and ranges it reads and fails with a message saying where.
 *
 * Errors are 0 or -errno: -ENOENT a struct, member or symbol the profile
 * does not have, -EINVAL malformed input, -E2BIG over a size cap, -ENOMEM.
 * Load errors are written to @err; a failed lookup leaves its message in
 * the profile (vs_profile_last_error()), so a profile is not to be shared
 * between threads while it is being queried (resolve once at start-up).
 */
#ifndef VS_OS_PROFILE_PROFILE_H
#define VS_OS_PROFILE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vs_profile;

/* Largest profile accepted, after decompression. */
#define VS_PROFILE_MAX_BYTES (512u << 20)
/* Largest struct size or member offset accepted (a sanity bound). */
#define VS_PROFILE_MAX_OFFSET (1u << 28)
/* Deepest JSON nesting accepted (ISF needs about 10). */
#define VS_PROFILE_MAX_DEPTH 128

enum vs_profile_os {
	VS_PROFILE_OS_UNKNOWN,
	VS_PROFILE_OS_WINDOWS,
	VS_PROFILE_OS_LINUX,
};

enum vs_profile_format {
	VS_PROFILE_FORMAT_ISF,     /* Volatility 3 intermediate symbol format */
	VS_PROFILE_FORMAT_REKALL,  /* Rekall JSON profile */
};

/*
 * Who the profile describes. Strings are owned by the profile and NULL
 * when the file does not say; they are the file's bytes (escape them).
 */
struct vs_profile_identity {
	const char *pdb_guid;   /* Windows: PDB GUID, 32 hex digits */
	int64_t age;            /* Windows: PDB age, -1 when unknown */
	const char *database;   /* Windows: "ntkrnlmp.pdb" */
	const char *banner;     /* Linux: "Linux version 6.1.0-..." */
	const char *version;    /* Linux: release from the banner ("6.1.0-...") */
	const char *producer;   /* "volatility3 2.7.0", "dwarf2json 0.8.0" */
	const char *format;     /* ISF metadata.format ("6.1.0") */
};

/* A member's place. Bitfields also give their bits inside the unit at @offset. */
struct vs_profile_member {
	uint64_t offset;        /* bytes from the start of the struct */
	bool bitfield;
	unsigned bit_position;  /* lowest bit, counted from bit 0 of @offset */
	unsigned bit_length;
};

/**
 * vs_profile_load() - read and parse the profile at @path.
 * On success *@out is a profile to release with vs_profile_free(). On
 * failure returns -errno and a one-line message naming @path in @err.
 */
int vs_profile_load(const char *path, struct vs_profile **out, char *err,
		    size_t errlen);

/* The same from @len bytes at @buf (copied as needed; fuzzing entry). */
int vs_profile_load_mem(const void *buf, size_t len, struct vs_profile **out,
			char *err, size_t errlen);

void vs_profile_free(struct vs_profile *p);

enum vs_profile_os vs_profile_os(const struct vs_profile *p);
const char *vs_profile_os_name(enum vs_profile_os os); /* "windows", ... */
enum vs_profile_format vs_profile_format(const struct vs_profile *p);
const char *vs_profile_format_name(enum vs_profile_format f); /* "isf", "rekall" */
const struct vs_profile_identity *vs_profile_identity(const struct vs_profile *p);

/* Does the profile define struct/union @type? (No error message.) */
bool vs_profile_has_struct(struct vs_profile *p, const char *type);

/* sizeof(@type) in bytes. */
int vs_profile_struct_size(struct vs_profile *p, const char *type,
			   uint64_t *size);

/*
 * Offset of @type.@member in bytes. Members of anonymous structs and
 * unions (ISF "anonymous": true, e.g. most of Linux's mm_struct) are found
 * through them, their offsets summed.
 */
int vs_profile_member_offset(struct vs_profile *p, const char *type,
			     const char *member, uint64_t *offset);
int vs_profile_member(struct vs_profile *p, const char *type,
		      const char *member, struct vs_profile_member *out);

/*
 * Address of symbol @name as the profile gives it: an RVA from the kernel
 * image base for Windows (ISF symbols, Rekall $CONSTANTS then $FUNCTIONS),
 * the link-time virtual address for Linux.
 */
int vs_profile_symbol(struct vs_profile *p, const char *name,
		      uint64_t *address);

/* Message of the last failed lookup on @p ("" if none). */
const char *vs_profile_last_error(const struct vs_profile *p);

#endif /* VS_OS_PROFILE_PROFILE_H */

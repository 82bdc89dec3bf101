/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * offsets.h - every Windows kernel struct member, struct size and symbol
 * the Windows layer and procmon use, as data resolved once from a profile.
 *
 * Three enums name the entries; offsets.c pairs each with its profile
 * names and whether it is required. A missing required entry fails the
 * resolution with -ENOENT and a message naming STRUCT.Member (or the
 * symbol). Optional entries are marked absent: the code using them has a
 * fallback (ImageFileName for SeAuditProcessCreationInfo, plain TypeIndex
 * without ObHeaderCookie on 8.1) or reports the hook it cannot place
 * (contract §3, exit 4). Some members changed spelling between builds
 * (_EPROCESS.Wow64Process on 8.1, WoW64Process from 10 on): both are
 * tried, and the one found is kept for display.
 */
#ifndef VS_OS_WINDOWS_OFFSETS_H
#define VS_OS_WINDOWS_OFFSETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "os/profile/profile.h"

enum vs_wino {
	VS_WINO_EPROCESS_PID,            /* UniqueProcessId */
	VS_WINO_EPROCESS_LINKS,          /* ActiveProcessLinks */
	VS_WINO_EPROCESS_IMAGEFILENAME,  /* 15-byte short name */
	VS_WINO_EPROCESS_PPID,           /* InheritedFromUniqueProcessId */
	VS_WINO_EPROCESS_PEB,
	VS_WINO_EPROCESS_OBJECTTABLE,
	VS_WINO_EPROCESS_WOW64,          /* WoW64Process / Wow64Process */
	VS_WINO_EPROCESS_TOKEN,
	VS_WINO_EPROCESS_SEAUDIT,        /* SeAuditProcessCreationInfo */
	VS_WINO_EPROCESS_EXITREPORTED,   /* Flags2 bit ExitProcessReported */
	VS_WINO_EPROCESS_CREATETIME,     /* LARGE_INTEGER, 100 ns since 1601 */
	VS_WINO_KPROCESS_DTB,            /* DirectoryTableBase */
	VS_WINO_KTHREAD_PROCESS,
	VS_WINO_KTHREAD_APCSTATE,
	VS_WINO_KTHREAD_APCSTATEINDEX,
	VS_WINO_KTHREAD_TEB,
	VS_WINO_KTHREAD_PREVIOUSMODE,
	VS_WINO_KAPC_STATE_PROCESS,
	VS_WINO_ETHREAD_CID,
	VS_WINO_CLIENT_ID_PROCESS,       /* UniqueProcess */
	VS_WINO_CLIENT_ID_THREAD,        /* UniqueThread */
	VS_WINO_KPCR_PRCB,
	VS_WINO_KPRCB_CURRENTTHREAD,
	VS_WINO_PEB_PARAMS,              /* ProcessParameters */
	VS_WINO_PEB_SESSIONID,
	VS_WINO_PARAMS_CURDIR,           /* _RTL_USER_PROCESS_PARAMETERS ... */
	VS_WINO_PARAMS_DLLPATH,
	VS_WINO_PARAMS_IMAGEPATHNAME,
	VS_WINO_PARAMS_COMMANDLINE,
	VS_WINO_CURDIR_DOSPATH,
	VS_WINO_CURDIR_HANDLE,
	VS_WINO_USTR_LENGTH,             /* _UNICODE_STRING ... */
	VS_WINO_USTR_MAXLENGTH,
	VS_WINO_USTR_BUFFER,
	VS_WINO_HANDLE_TABLE_TABLECODE,
	VS_WINO_OBJECT_HEADER_TYPEINDEX,
	VS_WINO_OBJECT_HEADER_BODY,
	VS_WINO_SEAUDIT_IMAGEFILENAME,   /* _SE_AUDIT_PROCESS_CREATION_INFO */
	VS_WINO_OBJNAME_NAME,            /* _OBJECT_NAME_INFORMATION.Name */
	VS_WINO_FILE_OBJECT_FILENAME,
	VS_WINO_TOKEN_PRIVILEGES,
	VS_WINO_TOKPRIV_COUNT,           /* _TOKEN_PRIVILEGES.PrivilegeCount */
	VS_WINO_TOKPRIV_PRIVILEGES,
	VS_WINO_LUIDATTR_LUID,           /* _LUID_AND_ATTRIBUTES ... */
	VS_WINO_LUIDATTR_ATTRIBUTES,
	VS_WINO_EWOW64PROCESS_PEB,       /* 10.0.x: the WoW64 PEB pointer */
	VS_WINO_HTE_OBJPTRBITS,          /* _HANDLE_TABLE_ENTRY, 8.1 on */
	VS_WINO_HTE_OBJECT,              /* _HANDLE_TABLE_ENTRY, before 8 */
	VS_WINO_MAX
};

enum vs_wins {
	VS_WINS_EPROCESS,
	VS_WINS_ETHREAD,
	VS_WINS_KTHREAD,
	VS_WINS_OBJECT_HEADER,
	VS_WINS_HANDLE_TABLE_ENTRY,
	VS_WINS_UNICODE_STRING,
	VS_WINS_LIST_ENTRY,
	VS_WINS_CLIENT_ID,
	VS_WINS_CURDIR,
	VS_WINS_LUID_AND_ATTRIBUTES,
	VS_WINS_MAX
};

enum vs_winsym {
	VS_WINSYM_PSINITIALSYSTEMPROCESS,
	VS_WINSYM_PSACTIVEPROCESSHEAD,
	VS_WINSYM_OBHEADERCOOKIE,        /* absent before Windows 10 */
	VS_WINSYM_OBTYPEINDEXTABLE,
	VS_WINSYM_PSPCIDTABLE,
	VS_WINSYM_KISYSTEMSERVICECOPYEND, /* shared return site of syscalls */
	/* procmon's eight hooks, in DRAKVUF's installation order */
	VS_WINSYM_NTCREATEUSERPROCESS,
	VS_WINSYM_NTCREATEPROCESSEX,
	VS_WINSYM_NTTERMINATEPROCESS,
	VS_WINSYM_MMCLEANPROCESSADDRESSSPACE,
	VS_WINSYM_NTOPENPROCESS,
	VS_WINSYM_NTOPENTHREAD,
	VS_WINSYM_NTPROTECTVIRTUALMEMORY,
	VS_WINSYM_NTADJUSTPRIVILEGESTOKEN,
	VS_WINSYM_MAX
};

struct vs_wino_desc {
	const char *type;
	const char *member;
	const char *alt;     /* other spelling of @member, or NULL */
	bool required;
};

struct vs_wins_desc {
	const char *type;
	bool required;
};

struct vs_winsym_desc {
	const char *name;
	bool required;
};

/* Everything resolved; absent optional entries have found[] false. */
struct vs_win_offsets {
	struct vs_profile_member m[VS_WINO_MAX];
	const char *member_name[VS_WINO_MAX]; /* spelling found in the profile */
	bool found[VS_WINO_MAX];
	uint64_t size[VS_WINS_MAX];
	bool size_found[VS_WINS_MAX];
	uint64_t rva[VS_WINSYM_MAX];          /* from the kernel image base */
	bool sym_found[VS_WINSYM_MAX];
};

#define VS_WINO(o, id) ((o)->m[id].offset)

/* The tables themselves (for `vmiscope profile`, tests, messages). */
const struct vs_wino_desc *vs_wino_desc(enum vs_wino id);
const struct vs_wins_desc *vs_wins_desc(enum vs_wins id);
const struct vs_winsym_desc *vs_winsym_desc(enum vs_winsym id);

/**
 * vs_win_offsets_resolve() - fill @out from @p.
 * Returns 0, -ENOENT with "required X.Y is not in the profile" in @err for
 * the first missing required entry, or another -errno for a malformed
 * entry (the profile's message). Every entry is tried even after a
 * failure, so @out is as complete as the profile allows.
 */
int vs_win_offsets_resolve(struct vs_profile *p, struct vs_win_offsets *out,
			   char *err, size_t errlen);

#endif /* VS_OS_WINDOWS_OFFSETS_H */

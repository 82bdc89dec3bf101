// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * offsets.c - the tables of Windows struct members, sizes and symbols the
 * Windows layer and procmon use, resolved once from a profile (see
 * offsets.h). Required = the layer cannot walk processes, threads or
 * handles without it, or DRAKVUF's procmon refuses to start without it
 * (reference §2.A: the four _RTL_USER_PROCESS_PARAMETERS strings, _CURDIR,
 * _CLIENT_ID.UniqueThread). The eight hooks are optional here: procmon
 * places those it finds and names the others (contract §3, exit 4).
 * EPROCESS.CreateTime is optional too (all six profiles have it): without
 * it procmon prints its process keys absent and names them Unreadable.
 */
#include "os/windows/offsets.h"

#include <errno.h>
#include <stdio.h>

#define REQ(t, m)        { #t, #m, NULL, true }
#define OPT(t, m)        { #t, #m, NULL, false }
#define REQ2(t, m, a)    { #t, #m, #a, true }
#define OPT2(t, m, a)    { #t, #m, #a, false }

static const struct vs_wino_desc members[VS_WINO_MAX] = {
	[VS_WINO_EPROCESS_PID] = REQ(_EPROCESS, UniqueProcessId),
	[VS_WINO_EPROCESS_LINKS] = REQ(_EPROCESS, ActiveProcessLinks),
	[VS_WINO_EPROCESS_IMAGEFILENAME] = REQ(_EPROCESS, ImageFileName),
	[VS_WINO_EPROCESS_PPID] = REQ(_EPROCESS, InheritedFromUniqueProcessId),
	[VS_WINO_EPROCESS_PEB] = REQ(_EPROCESS, Peb),
	[VS_WINO_EPROCESS_OBJECTTABLE] = REQ(_EPROCESS, ObjectTable),
	[VS_WINO_EPROCESS_WOW64] = OPT2(_EPROCESS, WoW64Process, Wow64Process),
	[VS_WINO_EPROCESS_TOKEN] = OPT(_EPROCESS, Token),
	[VS_WINO_EPROCESS_SEAUDIT] = OPT(_EPROCESS, SeAuditProcessCreationInfo),
	[VS_WINO_EPROCESS_EXITREPORTED] = OPT(_EPROCESS, ExitProcessReported),
	[VS_WINO_EPROCESS_CREATETIME] = OPT(_EPROCESS, CreateTime),
	[VS_WINO_KPROCESS_DTB] = REQ(_KPROCESS, DirectoryTableBase),
	[VS_WINO_KTHREAD_PROCESS] = REQ(_KTHREAD, Process),
	[VS_WINO_KTHREAD_APCSTATE] = REQ(_KTHREAD, ApcState),
	[VS_WINO_KTHREAD_APCSTATEINDEX] = REQ(_KTHREAD, ApcStateIndex),
	[VS_WINO_KTHREAD_TEB] = OPT(_KTHREAD, Teb),
	[VS_WINO_KTHREAD_PREVIOUSMODE] = OPT(_KTHREAD, PreviousMode),
	[VS_WINO_KAPC_STATE_PROCESS] = REQ(_KAPC_STATE, Process),
	[VS_WINO_ETHREAD_CID] = REQ(_ETHREAD, Cid),
	[VS_WINO_CLIENT_ID_PROCESS] = REQ(_CLIENT_ID, UniqueProcess),
	[VS_WINO_CLIENT_ID_THREAD] = REQ(_CLIENT_ID, UniqueThread),
	[VS_WINO_KPCR_PRCB] = REQ(_KPCR, Prcb),
	[VS_WINO_KPRCB_CURRENTTHREAD] = REQ(_KPRCB, CurrentThread),
	[VS_WINO_PEB_PARAMS] = REQ(_PEB, ProcessParameters),
	[VS_WINO_PEB_SESSIONID] = OPT(_PEB, SessionId),
	[VS_WINO_PARAMS_CURDIR] = REQ(_RTL_USER_PROCESS_PARAMETERS, CurrentDirectory),
	[VS_WINO_PARAMS_DLLPATH] = REQ(_RTL_USER_PROCESS_PARAMETERS, DllPath),
	[VS_WINO_PARAMS_IMAGEPATHNAME] = REQ(_RTL_USER_PROCESS_PARAMETERS, ImagePathName),
	[VS_WINO_PARAMS_COMMANDLINE] = REQ(_RTL_USER_PROCESS_PARAMETERS, CommandLine),
	[VS_WINO_CURDIR_DOSPATH] = REQ(_CURDIR, DosPath),
	[VS_WINO_CURDIR_HANDLE] = REQ(_CURDIR, Handle),
	[VS_WINO_USTR_LENGTH] = REQ(_UNICODE_STRING, Length),
	[VS_WINO_USTR_MAXLENGTH] = REQ(_UNICODE_STRING, MaximumLength),
	[VS_WINO_USTR_BUFFER] = REQ(_UNICODE_STRING, Buffer),
	[VS_WINO_HANDLE_TABLE_TABLECODE] = REQ(_HANDLE_TABLE, TableCode),
	[VS_WINO_OBJECT_HEADER_TYPEINDEX] = OPT(_OBJECT_HEADER, TypeIndex),
	[VS_WINO_OBJECT_HEADER_BODY] = REQ(_OBJECT_HEADER, Body),
	[VS_WINO_SEAUDIT_IMAGEFILENAME] = OPT(_SE_AUDIT_PROCESS_CREATION_INFO, ImageFileName),
	[VS_WINO_OBJNAME_NAME] = OPT(_OBJECT_NAME_INFORMATION, Name),
	[VS_WINO_FILE_OBJECT_FILENAME] = OPT(_FILE_OBJECT, FileName),
	[VS_WINO_TOKEN_PRIVILEGES] = OPT(_TOKEN, Privileges),
	[VS_WINO_TOKPRIV_COUNT] = OPT(_TOKEN_PRIVILEGES, PrivilegeCount),
	[VS_WINO_TOKPRIV_PRIVILEGES] = OPT(_TOKEN_PRIVILEGES, Privileges),
	[VS_WINO_LUIDATTR_LUID] = OPT(_LUID_AND_ATTRIBUTES, Luid),
	[VS_WINO_LUIDATTR_ATTRIBUTES] = OPT(_LUID_AND_ATTRIBUTES, Attributes),
	[VS_WINO_EWOW64PROCESS_PEB] = OPT(_EWOW64PROCESS, Peb),
	[VS_WINO_HTE_OBJPTRBITS] = OPT(_HANDLE_TABLE_ENTRY, ObjectPointerBits),
	[VS_WINO_HTE_OBJECT] = OPT(_HANDLE_TABLE_ENTRY, Object),
};

static const struct vs_wins_desc sizes[VS_WINS_MAX] = {
	[VS_WINS_EPROCESS] = { "_EPROCESS", true },
	[VS_WINS_ETHREAD] = { "_ETHREAD", true },
	[VS_WINS_KTHREAD] = { "_KTHREAD", true },
	[VS_WINS_OBJECT_HEADER] = { "_OBJECT_HEADER", true },
	[VS_WINS_HANDLE_TABLE_ENTRY] = { "_HANDLE_TABLE_ENTRY", true },
	[VS_WINS_UNICODE_STRING] = { "_UNICODE_STRING", true },
	[VS_WINS_LIST_ENTRY] = { "_LIST_ENTRY", true },
	[VS_WINS_CLIENT_ID] = { "_CLIENT_ID", true },
	[VS_WINS_CURDIR] = { "_CURDIR", true },
	[VS_WINS_LUID_AND_ATTRIBUTES] = { "_LUID_AND_ATTRIBUTES", false },
};

static const struct vs_winsym_desc symbols[VS_WINSYM_MAX] = {
	[VS_WINSYM_PSINITIALSYSTEMPROCESS] = { "PsInitialSystemProcess", true },
	[VS_WINSYM_PSACTIVEPROCESSHEAD] = { "PsActiveProcessHead", true },
	[VS_WINSYM_OBHEADERCOOKIE] = { "ObHeaderCookie", false },
	[VS_WINSYM_OBTYPEINDEXTABLE] = { "ObTypeIndexTable", false },
	[VS_WINSYM_PSPCIDTABLE] = { "PspCidTable", false },
	[VS_WINSYM_KISYSTEMSERVICECOPYEND] = { "KiSystemServiceCopyEnd", false },
	[VS_WINSYM_NTCREATEUSERPROCESS] = { "NtCreateUserProcess", false },
	[VS_WINSYM_NTCREATEPROCESSEX] = { "NtCreateProcessEx", false },
	[VS_WINSYM_NTTERMINATEPROCESS] = { "NtTerminateProcess", false },
	[VS_WINSYM_MMCLEANPROCESSADDRESSSPACE] = { "MmCleanProcessAddressSpace", false },
	[VS_WINSYM_NTOPENPROCESS] = { "NtOpenProcess", false },
	[VS_WINSYM_NTOPENTHREAD] = { "NtOpenThread", false },
	[VS_WINSYM_NTPROTECTVIRTUALMEMORY] = { "NtProtectVirtualMemory", false },
	[VS_WINSYM_NTADJUSTPRIVILEGESTOKEN] = { "NtAdjustPrivilegesToken", false },
};

const struct vs_wino_desc *vs_wino_desc(enum vs_wino id)
{
	return (unsigned)id < VS_WINO_MAX ? &members[id] : NULL;
}

const struct vs_wins_desc *vs_wins_desc(enum vs_wins id)
{
	return (unsigned)id < VS_WINS_MAX ? &sizes[id] : NULL;
}

const struct vs_winsym_desc *vs_winsym_desc(enum vs_winsym id)
{
	return (unsigned)id < VS_WINSYM_MAX ? &symbols[id] : NULL;
}

/*
 * Fold one lookup result into the running status: the first malformed
 * entry wins over everything, then the first missing required one.
 */
static int note(struct vs_profile *p, int ret, bool required, int status,
		char *err, size_t errlen)
{
	if (!ret || (ret == -ENOENT && !required))
		return status;
	if (ret == -ENOENT && status)
		return status;
	if (ret == -ENOENT || !status || status == -ENOENT) {
		snprintf(err, errlen, "%s%s", ret == -ENOENT ? "required " : "",
			 vs_profile_last_error(p));
		return ret;
	}
	return status;
}

static int resolve_member(struct vs_profile *p, enum vs_wino i,
			  struct vs_win_offsets *o)
{
	const struct vs_wino_desc *d = &members[i];
	int ret = vs_profile_member(p, d->type, d->member, &o->m[i]);

	o->member_name[i] = d->member;
	if (ret == -ENOENT && d->alt) {
		ret = vs_profile_member(p, d->type, d->alt, &o->m[i]);
		if (!ret)
			o->member_name[i] = d->alt;
		else if (ret == -ENOENT) /* name both spellings */
			ret = vs_profile_member(p, d->type, d->member, &o->m[i]);
	}
	o->found[i] = !ret;
	return ret;
}

int vs_win_offsets_resolve(struct vs_profile *p, struct vs_win_offsets *out,
			   char *err, size_t errlen)
{
	int status = 0, ret;

	*out = (struct vs_win_offsets){ 0 };
	for (unsigned i = 0; i < VS_WINO_MAX; i++) {
		ret = resolve_member(p, i, out);
		status = note(p, ret, members[i].required, status, err, errlen);
	}
	for (unsigned i = 0; i < VS_WINS_MAX; i++) {
		ret = vs_profile_struct_size(p, sizes[i].type, &out->size[i]);
		out->size_found[i] = !ret;
		status = note(p, ret, sizes[i].required, status, err, errlen);
	}
	for (unsigned i = 0; i < VS_WINSYM_MAX; i++) {
		ret = vs_profile_symbol(p, symbols[i].name, &out->rva[i]);
		out->sym_found[i] = !ret;
		status = note(p, ret, symbols[i].required, status, err, errlen);
	}
	return status;
}

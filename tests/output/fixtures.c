// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fixtures.c - the sample events of fixtures.h. Each builder fills the
 * fields in the reference order, absent ones included, as a plugin would.
 * The expected lines live in tests/golden/output.txt, written by hand.
 */
#include "fixtures.h"

#include <string.h>

#define T_HOOK 1700000000012345ULL   /* 1700000000.012345 */
#define T_RUN  1700000000000100ULL   /* 1700000000.000100 */

static void name(struct vs_event *ev, const char *s)
{
	ev->process_name.ptr = s;
	ev->process_name.len = strlen(s);
}

static void lnx_hook(struct vs_event *ev, const char *type,
		     const char *compat)
{
	vs_event_init(ev, VS_EV_HOOK, VS_OS_LINUX, "procmon", type);
	ev->method = type;
	ev->compat_method = compat;
	ev->time_us = T_HOOK;
	ev->vcpu = 1;
	ev->cr3 = 0x1AA002;
	ev->pid = 1203;
	ev->ppid = 1078;
	ev->tid = 1203;
	ev->userid = 0;
	ev->event_uid = 0x2a;
	name(ev, "/usr/bin/bash");
}

static void win_hook(struct vs_event *ev, const char *type)
{
	vs_event_init(ev, VS_EV_HOOK, VS_OS_WINDOWS, "procmon", type);
	ev->method = type;
	ev->time_us = T_HOOK;
	ev->vcpu = 1;
	ev->cr3 = 0x1AA002;
	ev->pid = 2468;
	ev->ppid = 2440;
	ev->tid = 2472;
	ev->userid = 1;
	ev->event_uid = 0x1f;
	name(ev, "\\Device\\HarddiskVolume2\\Windows\\explorer.exe");
}

static void ext(struct vs_field *f)
{
	vs_field_ext(f);
}

/* ---- Linux ---------------------------------------------------------- */

static void lnx_running(struct vs_event *ev)
{
	vs_event_init(ev, VS_EV_RUNNING, VS_OS_LINUX, "procmon",
		      "RunningProcess");
	ev->time_us = T_RUN;
	ev->pid = 0;
	ev->ppid = 0;
	vs_event_cstr(ev, "RunningProcess", VS_FT_QSTR, "swapper/0");
	vs_event_num(ev, "Bitness", 64);
	ext(vs_event_cstr(ev, "ProcessKey", VS_FT_QSTR, "7f3a-0-0"));
	ext(vs_event_absent(ev, "ParentProcessKey", VS_FT_QSTR));
	ext(vs_event_absent(ev, "Unreadable", VS_FT_STRV));
}

static const struct vs_bytes ls_argv[] = {
	{ "ls", 2 }, { "--color=auto", 12 }, { "-la", 3 }, { "a b", 3 },
};

static void lnx_exec(struct vs_event *ev)
{
	lnx_hook(ev, "begin_new_exec", "do_execveat_common");
	vs_event_cstr(ev, "ThreadName", VS_FT_ESTR, "bash");
	vs_event_cstr(ev, "CommandLine", VS_FT_ESTR, "ls --color=auto -la a b");
	vs_event_cstr(ev, "ImagePathName", VS_FT_ESTR, "/usr/bin/ls");
	vs_event_num(ev, "ouid", 0);
	vs_event_num(ev, "osuid", 0);
	vs_event_num(ev, "oeuid", 0);
	vs_event_num(ev, "suid", 0);
	vs_event_num(ev, "euid", 0);
	vs_event_cstr(ev, "Environment", VS_FT_ESTR, "OLDPWD=/root,PWD=/tmp");
	vs_event_cstr(ev, "interp", VS_FT_ESTR, "/usr/bin/ls");
	vs_event_absent(ev, "fdpath", VS_FT_ESTR);
	vs_event_cstr(ev, "FileName", VS_FT_ESTR, "/usr/bin/ls");
	vs_event_num(ev, "PGID", 1203);
	vs_event_absent(ev, "have_execfd", VS_FT_NUM);
	vs_event_absent(ev, "execfd", VS_FT_NUM);
	vs_event_absent(ev, "secureexec", VS_FT_NUM);
	ext(vs_event_strv(ev, "Arguments", ls_argv, 4));
	ext(vs_event_cstr(ev, "CWD", VS_FT_ESTR, "/tmp"));
	ext(vs_event_cstr(ev, "ProcessKey", VS_FT_QSTR, "7f3a-1203-5000000"));
	ext(vs_event_cstr(ev, "ParentProcessKey", VS_FT_QSTR,
			  "7f3a-1078-4000000"));
	ext(vs_event_absent(ev, "Truncated", VS_FT_STRV));
	ext(vs_event_absent(ev, "Unreadable", VS_FT_STRV));
}

static const struct vs_bytes id_argv[] = { { "id", 2 } };

static void lnx_exec_noenv(struct vs_event *ev)
{
	lnx_hook(ev, "begin_new_exec", "do_execveat_common");
	ev->userid = 1000;
	ev->pid = 1300;
	ev->ppid = 1203;
	ev->tid = 1300;
	vs_event_cstr(ev, "ThreadName", VS_FT_ESTR, "bash");
	vs_event_cstr(ev, "CommandLine", VS_FT_ESTR, "id");
	vs_event_cstr(ev, "ImagePathName", VS_FT_ESTR, "/usr/bin/id");
	vs_event_num(ev, "ouid", 1000);
	vs_event_num(ev, "osuid", 1000);
	vs_event_num(ev, "oeuid", 1000);
	vs_event_num(ev, "suid", 1000);
	vs_event_num(ev, "euid", 1000);
	vs_event_absent(ev, "Environment", VS_FT_ESTR);
	vs_event_cstr(ev, "interp", VS_FT_ESTR, "/usr/bin/id");
	vs_event_absent(ev, "fdpath", VS_FT_ESTR);
	vs_event_cstr(ev, "FileName", VS_FT_ESTR, "/usr/bin/id");
	vs_event_num(ev, "PGID", 1300);
	vs_event_num(ev, "have_execfd", 1);
	vs_event_num(ev, "execfd", 3);
	vs_event_num(ev, "secureexec", 1);
	ext(vs_event_strv(ev, "Arguments", id_argv, 1));
	ext(vs_event_absent(ev, "CWD", VS_FT_ESTR));
	ext(vs_event_cstr(ev, "ProcessKey", VS_FT_QSTR, "7f3a-1300-6000000"));
	ext(vs_event_cstr(ev, "ParentProcessKey", VS_FT_QSTR,
			  "7f3a-1203-5000000"));
	ext(vs_event_absent(ev, "Truncated", VS_FT_STRV));
	ext(vs_event_absent(ev, "Unreadable", VS_FT_STRV));
}

static void exit_common(struct vs_event *ev, int64_t status, const char *str)
{
	lnx_hook(ev, "do_exit", NULL);
	vs_event_cstr(ev, "ThreadName", VS_FT_ESTR, "bash");
	vs_event_num(ev, "ExitStatus", status);
	vs_event_cstr(ev, "ExitStatusStr", VS_FT_RSTR, str);
}

static void lnx_exit(struct vs_event *ev)
{
	exit_common(ev, 0, "EXIT_SUCCESS");
	ext(vs_event_absent(ev, "ExitSignal", VS_FT_NUM));
	ext(vs_event_absent(ev, "ExitSignalStr", VS_FT_RSTR));
	ext(vs_event_absent(ev, "CoreDumped", VS_FT_NUM));
	ext(vs_event_num(ev, "GroupExit", 1));
	ext(vs_event_cstr(ev, "ProcessKey", VS_FT_QSTR, "7f3a-1203-5000000"));
	ext(vs_event_absent(ev, "Unreadable", VS_FT_STRV));
}

static void lnx_exit_sig(struct vs_event *ev)
{
	exit_common(ev, 139, "EXIT_SIGSEGV");
	ext(vs_event_num(ev, "ExitSignal", 11));
	ext(vs_event_cstr(ev, "ExitSignalStr", VS_FT_RSTR, "SIGSEGV"));
	ext(vs_event_num(ev, "CoreDumped", 1));
	ext(vs_event_absent(ev, "GroupExit", VS_FT_NUM));
	ext(vs_event_cstr(ev, "ProcessKey", VS_FT_QSTR, "7f3a-1203-5000000"));
	ext(vs_event_absent(ev, "Unreadable", VS_FT_STRV));
}

static void lnx_signal(struct vs_event *ev)
{
	lnx_hook(ev, "do_send_sig_info", "send_signal");
	vs_event_cstr(ev, "ThreadName", VS_FT_ESTR, "bash");
	vs_event_num(ev, "TargetPID", 1291);
	vs_event_num(ev, "TargetTID", 1291);
	vs_event_num(ev, "TargetPPID", 1203);
	vs_event_cstr(ev, "TargetProcessName", VS_FT_ESTR, "/usr/bin/sleep");
	vs_event_cstr(ev, "TargetThreadName", VS_FT_ESTR, "sleep");
	vs_event_num(ev, "Signal", 15);
	vs_event_cstr(ev, "SignalStr", VS_FT_RSTR, "SIGTERM");
	ext(vs_event_cstr(ev, "ProcessKey", VS_FT_QSTR, "7f3a-1203-5000000"));
	ext(vs_event_cstr(ev, "TargetProcessKey", VS_FT_QSTR,
			  "7f3a-1291-7000000"));
	ext(vs_event_absent(ev, "Unreadable", VS_FT_STRV));
}

static void clone_common(struct vs_event *ev, const char *flags,
			 int64_t newpid)
{
	lnx_hook(ev, "kernel_clone", NULL);
	vs_event_cstr(ev, "Flags", VS_FT_ESTR, flags);
	vs_event_num(ev, "Signal", 17);
	vs_event_cstr(ev, "SignalStr", VS_FT_ESTR, "SIGCHLD");
	vs_event_num(ev, "NewPid", newpid);
}

static void lnx_clone(struct vs_event *ev)
{
	clone_common(ev, "CLONE_VM|CLONE_FS", 1291);
	ext(vs_event_absent(ev, "Errno", VS_FT_RSTR));
	ext(vs_event_cstr(ev, "ProcessKey", VS_FT_QSTR, "7f3a-1203-5000000"));
	ext(vs_event_cstr(ev, "NewProcessKey", VS_FT_QSTR,
			  "7f3a-1291-7000000"));
	ext(vs_event_absent(ev, "Unreadable", VS_FT_STRV));
}

static void lnx_fork(struct vs_event *ev)
{
	clone_common(ev, "", 1292);
	ext(vs_event_absent(ev, "Errno", VS_FT_RSTR));
	ext(vs_event_cstr(ev, "ProcessKey", VS_FT_QSTR, "7f3a-1203-5000000"));
	ext(vs_event_cstr(ev, "NewProcessKey", VS_FT_QSTR,
			  "7f3a-1292-7100000"));
	ext(vs_event_absent(ev, "Unreadable", VS_FT_STRV));
}

static void lnx_clone_fail(struct vs_event *ev)
{
	clone_common(ev, "CLONE_VM|CLONE_VFORK", -11);
	ext(vs_event_cstr(ev, "Errno", VS_FT_RSTR, "EAGAIN"));
	ext(vs_event_cstr(ev, "ProcessKey", VS_FT_QSTR, "7f3a-1203-5000000"));
	ext(vs_event_absent(ev, "NewProcessKey", VS_FT_QSTR));
	ext(vs_event_absent(ev, "Unreadable", VS_FT_STRV));
}

/* ---- Windows -------------------------------------------------------- */

static void win_running(struct vs_event *ev)
{
	vs_event_init(ev, VS_EV_RUNNING, VS_OS_WINDOWS, "procmon",
		      "RunningProcess");
	ev->time_us = T_RUN;
	ev->pid = 4;
	ev->ppid = 0;
	vs_event_cstr(ev, "RunningProcess", VS_FT_QSTR, "System");
	vs_event_num(ev, "Bitness", 64);
}

static void win_create_user(struct vs_event *ev)
{
	win_hook(ev, "NtCreateUserProcess");
	vs_event_hex(ev, "Status", 0);
	vs_event_hex(ev, "NewProcessHandle", 0x2F0);
	vs_event_num(ev, "NewPid", 3056);
	vs_event_hex(ev, "NewThreadHandle", 0x2EC);
	vs_event_num(ev, "NewTid", 3060);
	vs_event_cstr(ev, "CommandLine", VS_FT_QSTR,
		      "\"C:\\Windows\\system32\\cmd.exe\" /c echo hi");
	vs_event_cstr(ev, "ImagePathName", VS_FT_QSTR,
		      "C:\\Windows\\system32\\cmd.exe");
	vs_event_cstr(ev, "DllPath", VS_FT_QSTR, "");
	vs_event_cstr(ev, "CWD", VS_FT_QSTR, "C:\\Users\\user\\");
	vs_event_num(ev, "Bitness", 64);
	ext(vs_event_cstr(ev, "ProcessKey", VS_FT_QSTR, "w1-2468-100"));
	ext(vs_event_cstr(ev, "NewProcessKey", VS_FT_QSTR, "w1-3056-200"));
}

static void win_create_ex(struct vs_event *ev)
{
	win_hook(ev, "NtCreateProcessEx");
	vs_event_hex(ev, "Status", 0);
	vs_event_hex(ev, "ProcessHandle", 0x2F4);
	vs_event_hex(ev, "DesiredAccess", 0x1FFFFF);
	vs_event_hex(ev, "ObjectAttributes", 0);
	vs_event_hex(ev, "ParentProcess", 0xFFFFFFFFFFFFFFFFULL);
	vs_event_hex(ev, "Flags", 0x4);
	vs_event_hex(ev, "SectionHandle", 0x2F8);
	vs_event_hex(ev, "DebugPort", 0);
	vs_event_hex(ev, "ExceptionPort", 0);
	vs_event_num(ev, "JobMemberLevel", 0);
	vs_event_num(ev, "NewPid", 3100);
	vs_event_num(ev, "Bitness", 64);
}

static void win_terminate(struct vs_event *ev)
{
	win_hook(ev, "NtTerminateProcess");
	vs_event_num(ev, "ExitPid", 0);
	vs_event_hex(ev, "ExitStatus", 0xC0000005);
	vs_event_cstr(ev, "ExitStatusStr", VS_FT_QSTR,
		      "STATUS_ACCESS_VIOLATION");
}

static void win_mmclean(struct vs_event *ev)
{
	win_hook(ev, "MmCleanProcessAddressSpace");
	vs_event_num(ev, "ExitPid", 3056);
}

static void win_open_process(struct vs_event *ev)
{
	win_hook(ev, "NtOpenProcess");
	vs_event_hex(ev, "ProcessHandle", 0x3c4);
	vs_event_hex(ev, "DesiredAccess", 0x1fffff);
	vs_event_hex(ev, "ObjectAttributes", 0xa5f1e8);
	vs_event_num(ev, "ClientID", 600);
	vs_event_cstr(ev, "ClientName", VS_FT_QSTR,
		      "\\Device\\HarddiskVolume2\\Windows\\System32\\lsass.exe");
}

static void win_open_thread(struct vs_event *ev)
{
	win_hook(ev, "NtOpenThread");
	vs_event_hex(ev, "ThreadHandle", 0x3C8);
	vs_event_hex(ev, "DesiredAccess", 0x1FFFFF);
	vs_event_hex(ev, "ObjectAttributes", 0);
	vs_event_num(ev, "ClientID", 3056);
	vs_event_cstr(ev, "ClientName", VS_FT_QSTR, "<UNKNOWN>");
	vs_event_num(ev, "UniqueThread", 3060);
}

static void win_protect(struct vs_event *ev)
{
	win_hook(ev, "NtProtectVirtualMemory");
	vs_event_hex(ev, "ProcessHandle", 0xFFFFFFFFFFFFFFFFULL);
	vs_event_cstr(ev, "NewProtectWin32", VS_FT_QSTR,
		      "PAGE_EXECUTE_READWRITE");
}

static const struct vs_pair privs[] = {
	{ { "SE_DEBUG_PRIVILEGE", 18 }, VS_FT_RSTR,
	  .v.s = { "SE_PRIVILEGE_ENABLED", 20 } },
	{ { "SE_SHUTDOWN_PRIVILEGE", 21 }, VS_FT_RSTR, .v.s = { "0x3", 3 } },
};

static const struct vs_pair disable_all[] = {
	{ { "DisableAll", 10 }, VS_FT_NUM, .v.n = 1 },
};

static void win_privs(struct vs_event *ev)
{
	win_hook(ev, "NtAdjustPrivilegesToken");
	vs_event_num(ev, "ProcessHandle", 420);
	vs_event_pairs(ev, "NewState", privs, 2);
}

static void win_privs_all(struct vs_event *ev)
{
	win_hook(ev, "NtAdjustPrivilegesToken");
	vs_event_num(ev, "ProcessHandle", 420);
	vs_event_pairs(ev, "NewState", disable_all, 1);
}

const struct fixture fixtures[] = {
	{ "lnx_running", lnx_running },
	{ "lnx_exec", lnx_exec },
	{ "lnx_exec_noenv", lnx_exec_noenv },
	{ "lnx_exit", lnx_exit },
	{ "lnx_exit_sig", lnx_exit_sig },
	{ "lnx_signal", lnx_signal },
	{ "lnx_clone", lnx_clone },
	{ "lnx_fork", lnx_fork },
	{ "lnx_clone_fail", lnx_clone_fail },
	{ "win_running", win_running },
	{ "win_create_user", win_create_user },
	{ "win_create_ex", win_create_ex },
	{ "win_terminate", win_terminate },
	{ "win_mmclean", win_mmclean },
	{ "win_open_process", win_open_process },
	{ "win_open_thread", win_open_thread },
	{ "win_protect", win_protect },
	{ "win_privs", win_privs },
	{ "win_privs_all", win_privs_all },
};

const size_t nfixtures = sizeof(fixtures) / sizeof(fixtures[0]);

const struct fixture *fixture_find(const char *n)
{
	for (size_t i = 0; i < nfixtures; i++)
		if (strcmp(fixtures[i].name, n) == 0)
			return &fixtures[i];
	return NULL;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * linux_names.c - decoding tables of the Linux procmon events (see
 * linux_names.h). Values are x86-64 Linux ABI facts.
 */
#include "linux_names.h"

#include <stdio.h>

#define SIGRTMIN_KERNEL 32
#define SIGRTMAX_KERNEL 64

static const char *const signal_names[32] = {
	"SIGCHECK", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP",
	"SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV",
	"SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD",
	"SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG",
	"SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO",
	"SIGPWR", "SIGSYS",
};

const char *vs_linux_signal_name(int64_t sig, bool compat, char *buf,
				 size_t buflen)
{
	if (sig >= 0 && sig < 32)
		return signal_names[sig];
	if (!compat && sig >= SIGRTMIN_KERNEL && sig <= SIGRTMAX_KERNEL) {
		snprintf(buf, buflen, "SIGRTMIN+%d", (int)(sig - SIGRTMIN_KERNEL));
		return buf;
	}
	return "UNDEFINED";
}

struct code_name {
	uint32_t code;
	const char *name;
};

/* DRAKVUF's exit-status table (reference §2.B.2). */
static const struct code_name exit_names[] = {
	{ 0x00, "EXIT_SUCCESS" },        { 0x01, "EXIT_FAILURE" },
	{ 0x40, "EXIT_USAGE" },          { 0x41, "EXIT_DATAERR" },
	{ 0x42, "EXIT_NOINPUT" },        { 0x43, "EXIT_NOUSER" },
	{ 0x44, "EXIT_NOHOST" },         { 0x45, "EXIT_UNAVAILABLE" },
	{ 0x46, "EXIT_SOFTWARE" },       { 0x47, "EXIT_OSERROR" },
	{ 0x48, "EXIT_OSFILE" },         { 0x49, "EXIT_CANTCREATE" },
	{ 0x4A, "EXIT_IOERROR" },        { 0x4B, "EXIT_TEMPFAIL" },
	{ 0x4C, "EXIT_PROTOCOL" },       { 0x4D, "EXIT_NOPERMISSION" },
	{ 0x4E, "EXIT_CONFIG" },         { 0x7E, "EXIT_CANNOT_EXECUTE" },
	{ 0x7F, "EXIT_COMMAND_NOT_FOUND" }, { 0x80, "EXIT_INVALID_ARGUMENT" },
	{ 0x81, "EXIT_SIGHUP" },         { 0x82, "EXIT_SIGINT" },
	{ 0x83, "EXIT_SIGQUIT" },        { 0x84, "EXIT_SIGILL" },
	{ 0x86, "EXIT_SIGABRT" },        { 0x88, "EXIT_SIGFPE" },
	{ 0x89, "EXIT_SIGKILL" },        { 0x8B, "EXIT_SIGSEGV" },
	{ 0x8D, "EXIT_SIGPIPE" },        { 0x8E, "EXIT_SIGALRM" },
	{ 0x8F, "EXIT_SIGTERM" },
};

const char *vs_linux_exit_status_name(uint32_t code)
{
	for (size_t i = 0; i < G_N_ELEMENTS(exit_names); i++)
		if (exit_names[i].code == code)
			return exit_names[i].name;
	return "UNDEFINED";
}

const char *vs_linux_exit_signal_name(int sig, char *buf, size_t buflen)
{
	if (sig >= 1 && sig < 32)
		snprintf(buf, buflen, "EXIT_%s", signal_names[sig]);
	else if (sig >= SIGRTMIN_KERNEL && sig <= SIGRTMAX_KERNEL)
		snprintf(buf, buflen, "EXIT_SIGRTMIN+%d", sig - SIGRTMIN_KERNEL);
	else
		snprintf(buf, buflen, "EXIT_SIG%d", sig);
	return buf;
}

struct flag_name {
	uint64_t bit;
	const char *name;
};

/* Single-bit clone flags in ascending order (uapi/linux/sched.h). */
static const struct flag_name clone_flags[] = {
	{ 0x80, "CLONE_NEWTIME" },          { 0x100, "CLONE_VM" },
	{ 0x200, "CLONE_FS" },              { 0x400, "CLONE_FILES" },
	{ 0x800, "CLONE_SIGHAND" },         { 0x1000, "CLONE_PIDFD" },
	{ 0x2000, "CLONE_PTRACE" },         { 0x4000, "CLONE_VFORK" },
	{ 0x8000, "CLONE_PARENT" },         { 0x10000, "CLONE_THREAD" },
	{ 0x20000, "CLONE_NEWNS" },         { 0x40000, "CLONE_SYSVSEM" },
	{ 0x80000, "CLONE_SETTLS" },        { 0x100000, "CLONE_PARENT_SETTID" },
	{ 0x200000, "CLONE_CHILD_CLEARTID" }, { 0x400000, "CLONE_DETACHED" },
	{ 0x800000, "CLONE_UNTRACED" },     { 0x1000000, "CLONE_CHILD_SETTID" },
	{ 0x2000000, "CLONE_NEWCGROUP" },   { 0x4000000, "CLONE_NEWUTS" },
	{ 0x8000000, "CLONE_NEWIPC" },      { 0x10000000, "CLONE_NEWUSER" },
	{ 0x20000000, "CLONE_NEWPID" },     { 0x40000000, "CLONE_NEWNET" },
	{ 0x80000000, "CLONE_IO" },         { 0x100000000ULL, "CLONE_CLEAR_SIGHAND" },
	{ 0x200000000ULL, "CLONE_INTO_CGROUP" },
};

void vs_linux_clone_flags(uint64_t flags, GString *out)
{
	uint64_t rest = flags;
	bool first = true;

	for (size_t i = 0; i < G_N_ELEMENTS(clone_flags); i++) {
		if (!(flags & clone_flags[i].bit))
			continue;
		g_string_append_printf(out, "%s%s", first ? "" : "|",
				       clone_flags[i].name);
		rest &= ~clone_flags[i].bit;
		first = false;
	}
	if (rest)
		g_string_append_printf(out, "%s0x%" G_GINT64_MODIFIER "x",
				       first ? "" : "|", rest);
}

/* x86-64 Linux errno values (asm-generic/errno-base.h, errno.h). */
static const char *const errno_names[] = {
	[1] = "EPERM", "ENOENT", "ESRCH", "EINTR", "EIO", "ENXIO", "E2BIG",
	"ENOEXEC", "EBADF", "ECHILD", "EAGAIN", "ENOMEM", "EACCES", "EFAULT",
	"ENOTBLK", "EBUSY", "EEXIST", "EXDEV", "ENODEV", "ENOTDIR", "EISDIR",
	"EINVAL", "ENFILE", "EMFILE", "ENOTTY", "ETXTBSY", "EFBIG", "ENOSPC",
	"ESPIPE", "EROFS", "EMLINK", "EPIPE", "EDOM", "ERANGE", "EDEADLK",
	"ENAMETOOLONG", "ENOLCK", "ENOSYS", "ENOTEMPTY", "ELOOP", NULL,
	"ENOMSG", "EIDRM", "ECHRNG", "EL2NSYNC", "EL3HLT", "EL3RST", "ELNRNG",
	"EUNATCH", "ENOCSI", "EL2HLT", "EBADE", "EBADR", "EXFULL", "ENOANO",
	"EBADRQC", "EBADSLT", NULL, "EBFONT", "ENOSTR", "ENODATA", "ETIME",
	"ENOSR", "ENONET", "ENOPKG", "EREMOTE", "ENOLINK", "EADV", "ESRMNT",
	"ECOMM", "EPROTO", "EMULTIHOP", "EDOTDOT", "EBADMSG", "EOVERFLOW",
	"ENOTUNIQ", "EBADFD", "EREMCHG", "ELIBACC", "ELIBBAD", "ELIBSCN",
	"ELIBMAX", "ELIBEXEC", "EILSEQ", "ERESTART", "ESTRPIPE", "EUSERS",
	"ENOTSOCK", "EDESTADDRREQ", "EMSGSIZE", "EPROTOTYPE", "ENOPROTOOPT",
	"EPROTONOSUPPORT", "ESOCKTNOSUPPORT", "EOPNOTSUPP", "EPFNOSUPPORT",
	"EAFNOSUPPORT", "EADDRINUSE", "EADDRNOTAVAIL", "ENETDOWN",
	"ENETUNREACH", "ENETRESET", "ECONNABORTED", "ECONNRESET", "ENOBUFS",
	"EISCONN", "ENOTCONN", "ESHUTDOWN", "ETOOMANYREFS", "ETIMEDOUT",
	"ECONNREFUSED", "EHOSTDOWN", "EHOSTUNREACH", "EALREADY", "EINPROGRESS",
	"ESTALE", "EUCLEAN", "ENOTNAM", "ENAVAIL", "EISNAM", "EREMOTEIO",
	"EDQUOT", "ENOMEDIUM", "EMEDIUMTYPE", "ECANCELED", "ENOKEY",
	"EKEYEXPIRED", "EKEYREVOKED", "EKEYREJECTED", "EOWNERDEAD",
	"ENOTRECOVERABLE", "ERFKILL", "EHWPOISON",
};

const char *vs_linux_errno_name(int64_t err)
{
	if (err <= 0 || err >= (int64_t)G_N_ELEMENTS(errno_names))
		return NULL;
	return errno_names[err];
}

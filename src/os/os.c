// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * os.c - the OS registry (one entry per compiled-in OS) and the dispatch
 * wrappers of os.h, which answer -EOPNOTSUPP for a missing op.
 */
#include "os/os.h"

#include <errno.h>
#include <string.h>

extern const struct vs_os_ops vs_linux_os_ops;
extern const struct vs_os_ops vs_windows_os_ops;

/* Windows first: without a Windows profile (-r) it declines at once.
 * With a profile the order is reversed (vs_os_open). */
static const struct vs_os_ops *const registry[] = {
	&vs_windows_os_ops,
	&vs_linux_os_ops,
};

int vs_os_open(struct vs_backend *be, const char *name,
	       const struct vs_os_opts *o, struct vs_os_inst **out)
{
	static const struct vs_os_opts defaults = { 0 };
	size_t n = sizeof(registry) / sizeof(registry[0]);
	int rc = -ENOENT;

	if (!o)
		o = &defaults;
	for (size_t k = 0; k < n; k++) {
		/* With a profile, Linux goes first: it parses the profile and
		 * declines a Windows one quietly (-ENOENT), whereas Windows
		 * would refuse a Linux one with an error on stderr. */
		size_t i = o->profile ? n - 1 - k : k;

		if (name && strcmp(name, registry[i]->name) != 0)
			continue;
		rc = registry[i]->open(be, o, out);
		if (rc == 0 || (rc != -ENOENT && o->profile))
			return rc;
	}
	return rc;
}

void vs_os_close(struct vs_os_inst *os)
{
	if (os && os->ops->close)
		os->ops->close(os);
}

int vs_os_info(struct vs_os_inst *os, struct vs_os_info *out)
{
	return os->ops->info ? os->ops->info(os, out) : -EOPNOTSUPP;
}

int vs_os_symbol(struct vs_os_inst *os, const char *name, uint64_t *va)
{
	return os->ops->symbol ? os->ops->symbol(os, name, va) : -EOPNOTSUPP;
}

int vs_os_member(struct vs_os_inst *os, const char *type, const char *member,
		 struct vs_os_member *out)
{
	if (!os->ops->member)
		return -EOPNOTSUPP;
	return os->ops->member(os, type, member, out);
}

int vs_os_proc_foreach(struct vs_os_inst *os, vs_proc_fn fn, void *opaque)
{
	if (!os->ops->proc_foreach)
		return -EOPNOTSUPP;
	return os->ops->proc_foreach(os, fn, opaque);
}

int vs_os_proc_read(struct vs_os_inst *os, uint64_t obj, struct vs_proc *out)
{
	if (!os->ops->proc_read)
		return -EOPNOTSUPP;
	return os->ops->proc_read(os, obj, out);
}

int vs_os_current(struct vs_os_inst *os, unsigned vcpu, uint64_t *obj)
{
	return os->ops->current ? os->ops->current(os, vcpu, obj) : -EOPNOTSUPP;
}

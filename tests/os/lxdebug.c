// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * lxdebug.c - test tool: what the Linux discovery found in a dump.
 *
 *   vs-lxdebug DUMP info              kernel, _text, layout, timings
 *   vs-lxdebug DUMP symbols           "addr type name" per kallsyms entry,
 *                                     in table order (as /proc/kallsyms)
 *   vs-lxdebug DUMP btf FILE          the raw BTF blob, for bpftool/pahole
 *   vs-lxdebug DUMP offsets           "struct.member bit_off bit_size"
 *   vs-lxdebug DUMP current           current task per vCPU
 * The integration tests compare these with oracles that do not share this
 * code (the guest's /proc/kallsyms, bpftool and pahole).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "backend/dump/dump.h"
#include "os/linux/linux.h"

static int dump_symbols(struct vs_lx *lx)
{
	size_t n = vs_kallsyms_count(lx->ks);

	for (size_t i = 0; i < n; i++) {
		uint64_t a;
		char t;
		const char *name;

		vs_kallsyms_get(lx->ks, i, &a, &t, &name);
		printf("%016" PRIx64 " %c %s\n", a, t, name);
	}
	return 0;
}

static int dump_btf(struct vs_lx *lx, const char *path)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(lx->btf_blob, 1, lx->btf_len, f) != lx->btf_len) {
		perror(path);
		return 1;
	}
	return fclose(f) ? 1 : 0;
}

static int dump_offsets(struct vs_lx *lx)
{
	for (int i = 0; i < VS_LXO_MAX; i++) {
		const struct vs_lxo_desc *d = vs_lxo_desc(i);

		if (lx->off.found[i])
			printf("%s.%s %" PRIu64 " %u\n", d->type, d->member,
			       lx->off.m[i].bit_off, lx->off.m[i].bit_size);
		else
			printf("%s.%s missing\n", d->type, d->member);
	}
	return 0;
}

static void info(struct vs_lx *lx)
{
	const struct vs_ksyms_info *k = vs_kallsyms_info(lx->ks);

	printf("version %s\n_text %#" PRIx64 " pa %#" PRIx64 "\n",
	       lx->info.version, lx->text, lx->text_pa);
	printf("kallsyms layout %d abs_percpu %d num_syms %" PRIu64
	       " token_table %#" PRIx64 " relative_base %#" PRIx64 "\n",
	       k->layout, k->abs_percpu, k->num_syms, k->token_table,
	       k->relative_base);
	printf("btf %zu bytes %zu types\ninit_task %#" PRIx64 "\n",
	       lx->btf_len, lx->info.ntypes, lx->init_task);
	printf("discovery cpu %.1f ms wall %.1f ms\n",
	       lx->info.discovery_cpu_ms, lx->info.discovery_wall_ms);
}

int main(int argc, char **argv)
{
	struct vs_backend *be;
	struct vs_os_inst *os;
	struct vs_lx *lx;
	int rc;

	if (argc < 3) {
		fprintf(stderr, "usage: %s DUMP info|symbols|btf F|offsets|current\n",
			argv[0]);
		return 2;
	}
	rc = vs_dump_open(argv[1], &be);
	if (rc < 0) {
		fprintf(stderr, "%s: %s\n", argv[1], strerror(-rc));
		return 1;
	}
	rc = vs_os_open(be, "linux", NULL, &os);
	if (rc < 0) {
		fprintf(stderr, "%s: no Linux kernel found (%d)\n", argv[1], rc);
		vs_backend_close(be);
		return 1;
	}
	lx = vs_lx_of(os);
	if (strcmp(argv[2], "symbols") == 0)
		rc = dump_symbols(lx);
	else if (strcmp(argv[2], "btf") == 0 && argc > 3)
		rc = dump_btf(lx, argv[3]);
	else if (strcmp(argv[2], "offsets") == 0)
		rc = dump_offsets(lx);
	else if (strcmp(argv[2], "current") == 0) {
		for (unsigned v = 0; v < vs_backend_vcpu_count(be); v++) {
			uint64_t t = 0;
			struct vs_proc p;

			rc = vs_os_current(os, v, &t);
			if (rc == 0)
				rc = vs_os_proc_read(os, t, &p);
			printf("vcpu %u task %#" PRIx64 " pid %" PRId64 " %s\n", v,
			       t, rc ? -1 : p.pid, rc ? "?" : p.comm);
		}
	} else
		info(lx);
	vs_os_close(os);
	vs_backend_close(be);
	return rc ? 1 : 0;
}

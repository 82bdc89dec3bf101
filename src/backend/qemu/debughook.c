// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * debughook.c - debug_hook=ADDR: prove the backend on a real guest (see
 * debughook.h). The handler uses only backend.h calls, as the OS layer
 * will: registers by id, a string through read_va on the current CR3.
 */
#include "debughook.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/log.h"

static int rdi_id = -1, rsi_id = -1;
static uint64_t late_addr;
static unsigned hit_count;

size_t vs_qemu_escape(const uint8_t *s, size_t len, char *out, size_t outlen)
{
	size_t o = 0;

	if (!outlen)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char tmp[5];
		size_t n;

		if (s[i] == '\\' || s[i] == '"')
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\%c", s[i]);
		else if (s[i] >= 0x20 && s[i] <= 0x7e)
			n = (size_t)snprintf(tmp, sizeof(tmp), "%c", s[i]);
		else
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", s[i]);
		if (o + n >= outlen)
			break;
		memcpy(out + o, tmp, n);
		o += n;
	}
	out[o] = '\0';
	return o;
}

/* The string at @va: up to VS_QEMU_DEBUG_STR bytes, shorter when the rest
 * of the page is unmapped. Returns its length or -EFAULT. */
static int read_str(const struct vs_hook_ctx *ctx, uint64_t va, uint8_t *buf)
{
	size_t len = VS_QEMU_DEBUG_STR;
	size_t to_page = 4096 - (size_t)(va & 4095);

	if (vs_backend_read_va(ctx->be, ctx->vcpu, VS_DTB_CURRENT, va, buf,
			       len) < 0) {
		if (to_page >= len)
			return -EFAULT;
		len = to_page;
		if (vs_backend_read_va(ctx->be, ctx->vcpu, VS_DTB_CURRENT, va,
				       buf, len) < 0)
			return -EFAULT;
	}
	for (size_t i = 0; i < len; i++)
		if (!buf[i])
			return (int)i;
	return (int)len;
}

static void debug_hit(const struct vs_hook_ctx *ctx)
{
	uint8_t raw[VS_QEMU_DEBUG_STR];
	char str[VS_QEMU_DEBUG_STR * 4 + 1] = "";
	uint64_t rdi = 0, rsi = 0;
	int rr, n = -EFAULT;

	rr = vs_backend_read_reg(ctx->be, ctx->vcpu, rdi_id, &rdi);
	if (!rr)
		rr = vs_backend_read_reg(ctx->be, ctx->vcpu, rsi_id, &rsi);
	if (!rr)
		n = read_str(ctx, rsi, raw);
	if (n >= 0)
		vs_qemu_escape(raw, (size_t)n, str, sizeof(str));
	vs_info("debug_hook vcpu=%u addr=0x%llx rdi=0x%llx rsi=0x%llx %s%s%s",
		ctx->vcpu, (unsigned long long)ctx->addr,
		(unsigned long long)rdi, (unsigned long long)rsi,
		rr ? "regs=unreadable" : n < 0 ? "str=unreadable" : "str=\"",
		str, !rr && n >= 0 ? "\"" : "");
	if (late_addr && __atomic_add_fetch(&hit_count, 1, __ATOMIC_RELAXED) ==
	    VS_QEMU_DEBUG_LATE_AFTER) {
		int ret = vs_backend_hook_add(ctx->be, late_addr, debug_hit,
					      NULL, NULL);

		vs_info("debug_late_hook 0x%llx added: %d",
			(unsigned long long)late_addr, ret);
	}
}

int vs_qemu_debug_hooks_add(struct vs_backend *be, const uint64_t *addrs,
			    size_t n, uint64_t late)
{
	int ret;

	if (!n)
		return 0;
	late_addr = late;
	ret = vs_backend_reg_id(be, "rdi", &rdi_id);
	if (!ret)
		ret = vs_backend_reg_id(be, "rsi", &rsi_id);
	for (size_t i = 0; !ret && i < n; i++)
		ret = vs_backend_hook_add(be, addrs[i], debug_hit, NULL, NULL);
	return ret;
}

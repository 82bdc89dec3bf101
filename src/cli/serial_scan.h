/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * serial_scan.h - watch a guest's serial console for how it ended.
 *
 * `run` copies the console byte for byte and feeds the same bytes here to
 * learn whether the Linux guest powered off ("reboot: Power down"), reset
 * ("reboot: Restarting system") or panicked ("Kernel panic - not
 * syncing"). A marker split across two pipe reads is still found: the
 * scanner keeps the tail of the previous chunk. Pure code, unit-tested.
 */
#ifndef VS_CLI_SERIAL_SCAN_H
#define VS_CLI_SERIAL_SCAN_H

#include <stddef.h>

enum {
	VS_SERIAL_POWEROFF = 1u << 0,
	VS_SERIAL_RESET = 1u << 1,
	VS_SERIAL_PANIC = 1u << 2,
};

#define VS_SERIAL_TAIL 64

struct vs_serial_scan {
	unsigned seen;                  /* VS_SERIAL_* flags */
	size_t ntail;
	char tail[VS_SERIAL_TAIL];      /* last bytes of the previous feed */
};

void vs_serial_scan_init(struct vs_serial_scan *s);
/* Scan @len bytes that follow everything fed before; returns s->seen. */
unsigned vs_serial_scan_feed(struct vs_serial_scan *s, const void *buf,
			     size_t len);

#endif /* VS_CLI_SERIAL_SCAN_H */

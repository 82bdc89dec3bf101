// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * serial_scan.c - find the power-off, reset and panic markers in a serial
 * stream (see serial_scan.h). Each feed is searched through a window made
 * of the previous tail and a slice of the new bytes, so a marker can start
 * in one read and end in the next; the window is bounded, whatever @len.
 */
#include "serial_scan.h"

#include <string.h>

static const struct {
	const char *text;
	unsigned flag;
} markers[] = {
	{ "reboot: Power down", VS_SERIAL_POWEROFF },
	{ "reboot: Restarting system", VS_SERIAL_RESET },
	{ "Kernel panic - not syncing", VS_SERIAL_PANIC },
};

#define SLICE 4096

void vs_serial_scan_init(struct vs_serial_scan *s)
{
	memset(s, 0, sizeof(*s));
}

static void scan_window(struct vs_serial_scan *s, const char *w, size_t n)
{
	for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
		if (memmem(w, n, markers[i].text, strlen(markers[i].text)))
			s->seen |= markers[i].flag;
}

unsigned vs_serial_scan_feed(struct vs_serial_scan *s, const void *buf,
			     size_t len)
{
	const char *p = buf;
	char window[VS_SERIAL_TAIL + SLICE];

	while (len) {
		size_t take = len < SLICE ? len : SLICE;
		size_t n = s->ntail + take;
		size_t keep = n < VS_SERIAL_TAIL - 1 ? n : VS_SERIAL_TAIL - 1;

		memcpy(window, s->tail, s->ntail);
		memcpy(window + s->ntail, p, take);
		scan_window(s, window, n);
		/* The tail (63 bytes) outlasts the longest marker minus
		 * one byte, so no split marker is missed. */
		memcpy(s->tail, window + n - keep, keep);
		s->ntail = keep;
		p += take;
		len -= take;
	}
	return s->seen;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * output.h - the output formats (default, csv, kv, json, ocsf).
 * (Interface being filled by the output layer work.)
 */
#ifndef VS_OUTPUT_OUTPUT_H
#define VS_OUTPUT_OUTPUT_H

/* Output formats; names as on the command line. */
enum vs_format {
	VS_FMT_DEFAULT = 0,
	VS_FMT_CSV,
	VS_FMT_KV,
	VS_FMT_JSON,
	VS_FMT_OCSF,
};

/* Parse a format name ("default", "csv", "kv", "json", "ocsf"); 0 or -EINVAL. */
int vs_format_parse(const char *name, enum vs_format *out);
const char *vs_format_name(enum vs_format fmt);

#endif /* VS_OUTPUT_OUTPUT_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * report.h - `vmiscope report`: a JSON event log (vmiscope -o json) to one
 * self-contained HTML page: the process tree (expand/collapse), a timeline,
 * command lines, uid changes across exec, exit statuses and killing
 * signals, and the signals between processes. The page loads nothing: its
 * CSS and JS are inline and the data is embedded as JSON that cannot end
 * its <script> element; the page's JS builds the DOM with textContent only,
 * so guest strings are never parsed as HTML.
 */
#ifndef VS_REPORT_REPORT_H
#define VS_REPORT_REPORT_H

#include <stdio.h>

/**
 * vs_report_write() - read the log @in (named @in_name on the page) and
 * write the page to @out.
 * Returns 0, -EINVAL when no line of a non-empty log is a JSON event, or
 * -errno of a failed read or write (each with a message on stderr).
 */
int vs_report_write(FILE *in, const char *in_name, FILE *out);

#endif /* VS_REPORT_REPORT_H */

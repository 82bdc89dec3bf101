// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * plugins.c - names of every plugin vmiscope has, built in or not.
 */
#include "plugin.h"

#include <string.h>

/* Every plugin of the source tree; meson_options.txt has one option each. */
static const char *const known[] = { "procmon" };

bool vs_plugin_is_known(const char *name)
{
	for (size_t i = 0; name && i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i], name) == 0)
			return true;
	return false;
}

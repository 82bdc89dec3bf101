// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * main.c - the vmiscope command table.
 */
#include <stdio.h>

#include "config.h"

int main(int argc, char **argv)
{
	(void)argc; (void)argv;
	printf("vmiscope %s\n", VS_VERSION);
	return 5;
}

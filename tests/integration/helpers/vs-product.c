// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vs-product.c - static guest helper for test_boot: prints the product of
 * its two arguments, proving that a --helper program runs in the guest.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	printf("VSBOOT helper product=%ld\n",
	       strtol(argv[1], NULL, 10) * strtol(argv[2], NULL, 10));
	return 0;
}

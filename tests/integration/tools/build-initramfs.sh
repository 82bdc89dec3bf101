#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the pslist oracle initramfs: busybox-static plus guest-init.sh as
# /init, written as a newc cpio to $1. Used until guest/build-initramfs of
# the guest kit is available.
set -e
out=$(realpath -m "$1")
here=$(dirname "$(realpath "$0")")
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/bin" "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/mnt"
cp /bin/busybox "$root/bin/busybox"
cp "$here/guest-init.sh" "$root/init"
chmod 755 "$root/init" "$root/bin/busybox"
(cd "$root" && find . | cpio -o -H newc --quiet) > "$out"

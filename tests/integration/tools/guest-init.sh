#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0-or-later
# /init of the pslist oracle guest: starts a few processes (one of them
# executed from a second mount, so its exe path crosses a mount point),
# writes the guest's own account to ttyS1 (/proc/kallsyms, then one line per
# /proc entry: pid, ppid, comm, exe) and prints VMISCOPE-READY when done.
/bin/busybox mkdir -p /proc /sys /dev /tmp /bin
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
/bin/busybox --install -s /bin
export PATH=/bin
echo 0 > /proc/sys/kernel/kptr_restrict
mkdir -p /mnt/t
mount -t tmpfs tmpfs /mnt/t
mkdir -p /mnt/t/sub/dir
cp /bin/busybox /mnt/t/sub/dir/worker
/mnt/t/sub/dir/worker sleep 100000 &
sleep 100000 &
(sh -c 'sleep 100000') &
sleep 2
out=/dev/ttyS1
{
  echo "BEGIN-KALLSYMS"
  cat /proc/kallsyms
  echo "END-KALLSYMS"
  echo "BEGIN-PROC"
  for d in /proc/[0-9]*; do
    p=${d#/proc/}
    pp=$(sed -n 's/^PPid:[[:space:]]*//p' $d/status 2>/dev/null)
    c=$(cat $d/comm 2>/dev/null)
    e=$(readlink $d/exe 2>/dev/null)
    printf 'P\t%s\t%s\t%s\t%s\n' "$p" "$pp" "$e" "$c"
  done
  echo "END-PROC"
  echo "BANNER $(cat /proc/version)"
  echo "VMISCOPE-READY"
} > $out
exec sleep 1000000

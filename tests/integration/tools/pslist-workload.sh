#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Workload of the pslist oracle guest (run by the guest kit's /init).
# Starts long-running processes, two of them executed from nested tmpfs
# mounts so their exe paths cross mount points, then writes the guest's own
# account to ttyS1: /proc/kallsyms, one tab-separated line per /proc entry
# (P pid ppid exe comm), the banner, the command line, whether PTI is on
# (the cpuinfo flag) and the meltdown status, and VMISCOPE-READY. It then sleeps so
# the host can dump memory while every process is still alive.
echo 0 > /proc/sys/kernel/kptr_restrict
mkdir -p /mnt/t
mount -t tmpfs tmpfs /mnt/t
mkdir -p /mnt/t/sub/m2
mount -t tmpfs tmpfs /mnt/t/sub/m2
mkdir -p /mnt/t/sub/m2/dir
cp /bin/busybox /mnt/t/busybox
cp /bin/busybox /mnt/t/sub/m2/dir/busybox
/mnt/t/busybox sleep 100000 &
/mnt/t/sub/m2/dir/busybox sleep 100000 &
/bin/sleep 100000 &
sleep 2
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
  echo "CMDLINE $(cat /proc/cmdline)"
  if grep -qw pti /proc/cpuinfo; then echo "PTI on"; else echo "PTI off"; fi
  echo "MELTDOWN $(cat /sys/devices/system/cpu/vulnerabilities/meltdown 2>&1)"
  echo "VMISCOPE-READY"
} > /dev/ttyS1
exec /bin/sleep 1000000

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Workload of test_attach.py (run by the guest kit's /init). Starts two
# long-lived background processes, writes the guest's own account to
# ttyS1 (one tab-separated line per /proc entry: P pid ppid exe comm; KEEP
# lines for the processes that live until the end), then loops: print a
# counter on the console, exec /bin/true, wait up to 0.3 s for a line on
# ttyS2 (the host's control socket). "stop" ends the loop; the workload
# exits and the kit's /init powers the guest off. A bound of 3000 rounds
# keeps a forgotten guest from running for ever.
/bin/sleep 100000 &
k1=$!
/bin/sleep 100001 &
k2=$!
sleep 1
{
  echo "BEGIN-PROC"
  for d in /proc/[0-9]*; do
    p=${d#/proc/}
    pp=$(sed -n 's/^PPid:[[:space:]]*//p' $d/status 2>/dev/null)
    c=$(cat $d/comm 2>/dev/null)
    e=$(readlink $d/exe 2>/dev/null)
    printf 'P\t%s\t%s\t%s\t%s\n' "$p" "$pp" "$e" "$c"
  done
  echo "END-PROC"
  echo "KEEP 1"
  echo "KEEP $$"
  echo "KEEP $k1"
  echo "KEEP $k2"
  echo "ACCOUNT-DONE"
} > /dev/ttyS1
exec 3< /dev/ttyS2
i=0
while [ $i -lt 3000 ]; do
  i=$((i+1))
  echo "counter $i"
  /bin/true
  cmd=""
  read -t 0.3 cmd <&3
  [ "$cmd" = "stop" ] && break
done
echo "loop ended at $i"
kill $k1 $k2

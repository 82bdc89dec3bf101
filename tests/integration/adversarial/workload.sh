#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# workload.sh - guest workload of test_adversarial.py (run by the guest
# kit's /init): raise the thread and PID limits so 10 000 threads fit,
# log the limits the kernel took, then run the hostile driver (advwork.c).
echo 200000 > /proc/sys/kernel/threads-max
echo 4194304 > /proc/sys/kernel/pid_max
echo "ADV {\"ev\":\"limits\",\"threads_max\":$(cat /proc/sys/kernel/threads-max),\"pid_max\":$(cat /proc/sys/kernel/pid_max)}"
/bin/advwork
echo "ADV {\"ev\":\"end\",\"rc\":$?}"

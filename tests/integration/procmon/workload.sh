#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# workload.sh - guest workload of test_procmon_linux.py (run by the guest
# kit's /init): make the setuid copy setuid-root, then run the driver,
# which logs every action itself (pmwork.c).
chmod 4755 /bin/pmsuid
echo "PMW-BEGIN"
/bin/pmwork
echo "PMW-END $?"

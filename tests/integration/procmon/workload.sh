#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# workload.sh - guest workload of test_procmon_linux.py and
# test_attach_procmon.py (run by the guest kit's /init): make the setuid
# copy setuid-root, then run the driver, which logs every action itself
# (pmwork.c). With /etc/pmw-wait in the image (attach), each round waits
# for a "go" line from the host on ttyS2, sent once vmiscope has
# attached, so the driver starts only after the attach; any other line
# ends the workload (and the guest powers off).
chmod 4755 /bin/pmsuid
if [ -e /etc/pmw-wait ]; then
  exec 3< /dev/ttyS2
  while echo "PMW-WAIT" && read -r cmd <&3 && [ "$cmd" = go ]; do
    echo "PMW-BEGIN"
    /bin/pmwork
    echo "PMW-END $?"
  done
  exit 0
fi
echo "PMW-BEGIN"
/bin/pmwork
echo "PMW-END $?"

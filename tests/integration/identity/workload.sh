#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# workload.sh - guest workload of test_identity.py (run by the guest kit's
# /init): the process-tree driver (idwork.c), which logs itself.
/bin/idwork
echo "IDW {\"ev\":\"end\",\"rc\":$?}"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# demo-workload.sh - the scripted workload `vmiscope demo` runs in its guest.
#
# About 20 seconds of ordinary process activity for procmon to report: execs
# with arguments, forks, a background sleep killed by SIGTERM, another by
# SIGKILL, exit codes 0, 1 and 7, an environment variable the default filter
# shows (LD_PRELOAD), and a small shell loop. Every step is logged on the
# console as `demo: ...` (with the PIDs involved), so the event stream can be
# compared with the guest's own account. Programs are called by absolute path:
# busybox's shell runs bare applet names in-process, which would hide the exec.

log() { echo "demo: $*"; }

log "start (shell pid $$)"

log "exec /bin/uname -r -m"
/bin/uname -r -m

log "exec /bin/ls -l /bin/busybox"
/bin/ls -l /bin/busybox

log "exec /usr/bin/env with LD_PRELOAD=/tmp/demo-preload.so"
/usr/bin/env LD_PRELOAD=/tmp/demo-preload.so /bin/echo "demo: hello from env"

log "fork: a subshell that execs /bin/sh, then /bin/sleep 1"
( exec /bin/sh -c 'echo "demo: forked child pid $$ runs /bin/sh"; exec /bin/sleep 1' ) &
child=$!
wait "$child"
log "subshell $child exited with status $?"

log "exit codes 0, 1 and 7"
/bin/true;             log "/bin/true exited with status $?"
/bin/false;            log "/bin/false exited with status $?"
/bin/sh -c 'exit 7';   log "/bin/sh -c 'exit 7' exited with status $?"

log "background /bin/sleep 60, killed with SIGTERM after 2 s"
/bin/sleep 60 &
victim=$!
/bin/sleep 2
kill -TERM "$victim"
wait "$victim"
log "sleep $victim ended with status $? (143 = 128 + SIGTERM)"

log "background /bin/sleep 60, killed with SIGKILL after 1 s"
/bin/sleep 60 &
victim=$!
/bin/sleep 1
kill -KILL "$victim"
wait "$victim"
log "sleep $victim ended with status $? (137 = 128 + SIGKILL)"

log "loop: 6 rounds of /bin/echo + /bin/sleep 2"
i=1
while [ "$i" -le 6 ]; do
	/bin/echo "demo: loop round $i of 6"
	/bin/sleep 2
	i=$((i + 1))
done

log "done"
exit 0

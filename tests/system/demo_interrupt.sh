#!/usr/bin/env bash
# Ctrl-C stops `make demo` cleanly: the launcher runs as a person would run it (not --smoke),
# in its own process group like a terminal's foreground job; when it says it is running, the
# whole group gets SIGINT, as Ctrl-C sends it. Then the launcher must say it is stopping, exit
# with 130, leave no hub or kiosk behind, and not claim that a component stopped by itself.
#
#   tests/system/demo_interrupt.sh BUILD_DIR
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:?usage: demo_interrupt.sh BUILD_DIR}
state=$(mktemp -d "${TMPDIR:-/tmp}/vindu-demo-int.XXXXXX")
out=$state.out
fail() { echo "demo-interrupt: $*" >&2; cat "$out" >&2; rm -rf "$state" "$out"; exit 1; }

# setsid: a process group of its own, so the SIGINT below reaches the launcher and everything
# in its group, and nothing else. A script's background job starts with SIGINT ignored, which a
# terminal's foreground job does not: perl puts the default action back before the launcher runs.
DISPLAY= WAYLAND_DISPLAY= perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV or die "exec: $!"' \
  setsid "$top/packaging/demo.sh" "$build" --port 0 --state-dir "$state" >"$out" 2>&1 &
launcher=$!

for _ in $(seq 600); do
  grep -q 'running; press Ctrl-C to stop' "$out" && break
  kill -0 "$launcher" 2>/dev/null || fail "the launcher ended before it was running"
  sleep 0.1
done
grep -q 'running; press Ctrl-C to stop' "$out" || fail "the launcher was not running after 60 s"
# Its children, by the state folder on their command lines.
children=$(pgrep -f -- "$state/(hub|kiosk)" | tr '\n' ' ')
[ -n "$children" ] || fail "no hub or kiosk process found"

kill -INT -- "-$launcher"
status=0
for _ in $(seq 150); do kill -0 "$launcher" 2>/dev/null || break; sleep 0.1; done
kill -0 "$launcher" 2>/dev/null && fail "the launcher was still running 15 s after Ctrl-C"
wait "$launcher" || status=$?

[ "$status" = 130 ] || fail "the launcher exited with $status after Ctrl-C, expected 130"
grep -q 'demo: stopping' "$out" || fail "the launcher did not say it was stopping"
grep -q 'stopped by itself' "$out" && fail "Ctrl-C was reported as a component stopping by itself"
grep -q 'did not stop within' "$out" && fail "a component had to be killed"
for pid in $children; do
  kill -0 "$pid" 2>/dev/null && fail "process $pid is still running after the launcher ended"
done
echo "demo-interrupt: Ctrl-C stopped the hub and the kiosk (pids $children), launcher exit 130"
rm -rf "$state" "$out"

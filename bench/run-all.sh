#!/usr/bin/env bash
# Runs every benchmark and prints each one's figures (its last line, one JSON object).
# Benchmarks never pass or fail on time; this exits non-zero only if one could not run.
set -uo pipefail
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
export VINDU_BUILD_DIR=$build VINDU_SOURCE_DIR=$(dirname "$here")
status=0
declare -a figures
for bench in call-bench hub-load kiosk-bench kiosk-calls-rss frame-bench plugin-bench web-call-bench web-camera-off-bench; do
  if [ ! -x "$here/$bench" ]; then
    figures+=("$bench: not present yet")
    continue
  fi
  echo "=== $bench"
  log=$(mktemp)
  if "$here/$bench" "$build" 2>&1 | tee "$log"; then
    figures+=("$bench: $(tail -n 1 "$log")")
  else
    figures+=("$bench: FAILED TO RUN (see above)"); status=1
  fi
  rm -f "$log"
done
echo
echo "=== figures"
printf '%s\n' "${figures[@]}"
exit $status

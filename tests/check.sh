#!/usr/bin/env bash
# Runs every test suite and prints one summary. Exit status: non-zero if any suite failed.
#   1. the normal build: unit, integration, browser and smoke tests;
#   2. a second tree built by clang with AddressSanitizer + UndefinedBehaviorSanitizer:
#      unit and integration again, plus the libFuzzer targets for a bounded time.
set -uo pipefail
build=${1:-build}
asan_build=${2:-build-asan}
jobs=$(nproc)
declare -a summary
status=0

run_suite() { # name, build dir, ctest args...
  local name=$1 dir=$2; shift 2
  echo "=== $name"
  if ctest --test-dir "$dir" --output-on-failure --no-tests=error "$@"; then
    summary+=("PASS  $name")
  else
    summary+=("FAIL  $name"); status=1
    # ctest keeps the failed tests' names ("number:name" per line); name them in the summary.
    local failed="$dir/Testing/Temporary/LastTestsFailed.log"
    [ -f "$failed" ] && while IFS=: read -r _ test; do summary+=("        failed: $test"); done <"$failed"
  fi
}

run_suite "normal build: unit, integration, browser, smoke" "$build" -j"$jobs" -LE fuzz

echo "=== building the sanitizer tree ($asan_build, clang, ASan+UBSan, libFuzzer)"
if cmake -S . -B "$asan_build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
     -DVINDU_SANITIZE=ON -DVINDU_FUZZ=ON >/dev/null && cmake --build "$asan_build" -j"$jobs"; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
  run_suite "sanitizers: unit, integration, fuzz" "$asan_build" -j"$jobs" -L 'unit|integration|fuzz'
else
  summary+=("FAIL  sanitizer build"); status=1
fi

echo
echo "=== summary"
printf '%s\n' "${summary[@]}"
exit $status

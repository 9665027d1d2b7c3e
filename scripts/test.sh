#!/usr/bin/env bash
# Sets up, builds with AddressSanitizer and UndefinedBehaviorSanitizer, runs
# every test and ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
MJ_TEST=1 scripts/setup.sh build-test -Db_sanitize=address,undefined \
  -Db_lundef=false || { echo "0 passed, 1 failed"; exit 1; }
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
meson test -C build-test --print-errorlogs --num-processes 2 "$@"
status=$?
log=build-test/meson-logs/testlog.json
passed=$(grep -c '"result": "OK"' "$log" || true)
failed=$(grep -c -E '"result": "(FAIL|ERROR|TIMEOUT|UNEXPECTEDPASS)"' "$log" || true)
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]

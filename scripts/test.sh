#!/usr/bin/env bash
# Sets up, builds with AddressSanitizer and UndefinedBehaviorSanitizer, runs
# every test (unit, command-line, then each fuzz target for MJ_FUZZ_SECONDS,
# default 30) and ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
MJ_TEST=1 scripts/setup.sh build-test -Dwerror=true \
  -Db_sanitize=address,undefined -Db_lundef=false ||
  { echo "0 passed, 1 failed"; exit 1; }
# Packagers build with -O2 or -O3 and see warnings the test build does not:
# both release builds must compile without a warning.
release_passed=0 release_failed=0
for opt in 2 3; do
  if scripts/setup.sh "build-release-O$opt" --buildtype=release \
       -Doptimization=$opt -Dwerror=true >/dev/null 2>"build-O$opt.log"; then
    echo "release build -O$opt: ok"; release_passed=$((release_passed + 1))
  else
    cat "build-O$opt.log" >&2
    echo "release build -O$opt: FAILED"; release_failed=$((release_failed + 1))
  fi
  rm -f "build-O$opt.log"
done
# The csv-spectrum conformance cases, from npm, into the build directory.
if [ ! -d build-test/npm/node_modules/csv-spectrum ]; then
  npm install --silent --no-save --prefix build-test/npm csv-spectrum >&2 ||
    echo "test: npm could not install csv-spectrum; its test will fail" >&2
fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Fontconfig's caches live until exit (suppressed in lib/chart/chart.c); say nothing of it.
export LSAN_OPTIONS=print_suppressions=0
meson test -C build-test --print-errorlogs --num-processes 2 "$@"
log=build-test/meson-logs/testlog.json
passed=$(grep -c '"result": "OK"' "$log" || true)
failed=$(grep -c -E '"result": "(FAIL|ERROR|TIMEOUT|UNEXPECTEDPASS)"' "$log" || true)
passed=$((passed + release_passed))
failed=$((failed + release_failed))
if [ $# -eq 0 ]; then
  fuzz_log=$(mktemp)
  scripts/fuzz.sh "${MJ_FUZZ_SECONDS:-30}" 2>&1 | tee "$fuzz_log" | grep -E '^fuzz:'
  ran=$(grep -c -E '^fuzz: [a-z_]+ for ' "$fuzz_log" || true)
  bad=$(grep -c -E '^fuzz: .* FAILED' "$fuzz_log" || true)
  if [ "$ran" -eq 0 ]; then bad=1; fi
  passed=$((passed + ran - bad))
  failed=$((failed + bad))
  rm -f "$fuzz_log"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

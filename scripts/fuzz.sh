#!/usr/bin/env bash
# Builds the libFuzzer targets with clang, ASan and UBSan, and runs each for
# SECONDS (default 30) on its seed corpus. Exit non-zero when one finds a crash.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
shift || true
dir=build-fuzz
if [ ! -f "$dir/build.ninja" ]; then
  CC=clang meson setup "$dir" -Dfuzz=true -Db_sanitize=address,undefined \
    -Db_lundef=false -Dbuildtype=debugoptimized >&2
fi
ninja -C "$dir" >&2
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for t in "$dir"/tests/fuzz/fuzz_*; do
    [ -f "$t" ] && [ -x "$t" ] && targets+=("$(basename "$t")")
  done
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for t in "${targets[@]}"; do
  seed=tests/fuzz/corpus/${t#fuzz_}
  mkdir -p "$work/$t"
  echo "fuzz: $t for ${seconds}s" >&2
  # New inputs go to a scratch corpus; the committed seeds stay as they are.
  if ! UBSAN_OPTIONS=halt_on_error=1 ASAN_OPTIONS=detect_leaks=1 \
      "$dir/tests/fuzz/$t" -max_total_time="$seconds" -rss_limit_mb=2048 \
      -timeout=10 -max_len=65536 -artifact_prefix="$work/$t-" \
      "$work/$t" "$seed" >"$work/$t.log" 2>&1; then
    echo "fuzz: $t FAILED" >&2
    tail -40 "$work/$t.log" >&2
    mkdir -p tests/fuzz/crashes
    cp "$work/$t"-* tests/fuzz/crashes/ 2>/dev/null || true
    status=1
  else
    grep -E "^#[0-9]+.*DONE|Done [0-9]+ runs" "$work/$t.log" | tail -1 >&2 || true
  fi
done
exit $status

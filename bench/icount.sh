#!/usr/bin/env bash
# Counts the instructions mj-tab, mj-check and mj-report execute (user
# space, all threads, under valgrind's callgrind) on two synthetic
# registers, and prints their cost per row: the difference between the two
# sizes divided by the difference in rows, so that fixed costs (start-up,
# the report's charts) drop out. Instruction counts do not change with the
# load of the machine, where seconds do. Usage: bench/icount.sh [BUILDDIR]
# (default build-release, built as bench/run.sh builds it); ROWS="200000
# 1000000" sets the two sizes; data goes to $MJ_BENCH_DIR (default
# /tmp/murojaat-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-release}
data=${MJ_BENCH_DIR:-/tmp/murojaat-bench}
read -r small big <<<"${ROWS:-200000 1000000}"
[[ $small =~ ^[0-9]+$ && $big =~ ^[0-9]+$ && $small -lt $big ]] || {
  echo "icount: ROWS='${ROWS:-}' must give two sizes, the smaller first (e.g. ROWS=\"1000 200000\")" >&2
  exit 2
}
command -v valgrind >/dev/null || { echo "icount: valgrind is needed" >&2; exit 2; }
[ -x "$build/cmd/mj-tab" ] || MJ_TEST=0 scripts/setup.sh "$build" -Dbuildtype=release >/dev/null
mkdir -p "$data"
for n in $small $big; do
  [ -s "$data/appeals-$n.csv" ] ||
    "$build/cmd/mj-synth" --rows "$n" --seed 1 -o "$data/appeals-$n.csv" samples/appeals-2023.spec
done

# Instructions of one command (its output thrown away).
icount() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    awk '/Collected :/ {print $NF}'
}

printf '| program | instructions, %s rows | instructions, %s rows | per row |\n' "$small" "$big"
echo "| --- | ---: | ---: | ---: |"
for prog in mj-tab mj-check mj-report; do
  declare -A got=()
  for n in $small $big; do
    f=$data/appeals-$n.csv
    case $prog in
      mj-tab) got[$n]=$(icount "$build/cmd/mj-tab" --quiet --format csv --by region "$f") ;;
      mj-check) got[$n]=$(icount "$build/cmd/mj-check" --quiet "$f") ;;
      mj-report) got[$n]=$(icount "$build/cmd/mj-report" --quiet -o "$data/report-icount" "$f") ;;
    esac
  done
  printf '| %s | %s | %s | %s |\n' "$prog" "${got[$small]}" "${got[$big]}" \
    "$(awk -v a="${got[$small]}" -v b="${got[$big]}" -v m="$small" -v n="$big" 'BEGIN {printf "%.0f", (b - a) / (n - m)}')"
  unset got
done
rm -rf "$data/report-icount"

#!/usr/bin/env bash
# Benchmarks mj-tab against DuckDB, Miller and datamash on 1M and 10M
# synthetic records: checks that every tool counts the same, then times
# one-way (by region) and two-way (region x violence) tables, alternating
# tools, median of RUNS (default 3), and the one-way table of the file
# piped in; then mj-check and mj-report on the same
# files against mj-tab, and the reading of a 500,000-row workbook against
# openpyxl (read-only). Prints a table and writes bench/RESULTS.md with the
# machine and its load. Data goes to $MJ_BENCH_DIR (default
# /tmp/murojaat-bench). Works from a fresh clone: it builds what it runs.
# QUICK=1 is a shorter run (about ten minutes on a quiet machine): 10M rows
# only, one run of each, a 100,000-row workbook, no Miller and datamash
# (SIZES, RUNS, XLSX_ROWS and SLOW=0/1 each set one of these). The section
# of bench/RESULTS.md on instruction counts (bench/icount.sh) is kept.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
data=${MJ_BENCH_DIR:-/tmp/murojaat-bench}
quick=${QUICK:-0}
if [ "$quick" = 1 ]; then
  runs=${RUNS:-1}
  sizes=${SIZES:-"10000000"}
  xrows=${XLSX_ROWS:-100000}
  slow=${SLOW:-0}
else
  runs=${RUNS:-3}
  sizes=${SIZES:-"1000000 10000000"}
  xrows=${XLSX_ROWS:-500000}
  slow=${SLOW:-1}
fi
mkdir -p "$data"
load_before=$(uptime)

# Peers from Debian, DuckDB from npm into bench/node_modules (not committed).
MJ_TEST=0 scripts/setup.sh build-release -Dbuildtype=release >/dev/null
need=()
peers="time"; [ "$slow" = 1 ] && peers="datamash miller time"
for p in $peers; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq "${need[@]}" >&2
fi
if [ ! -d bench/node_modules/@duckdb/node-api ]; then
  # --prefix: into bench/node_modules whatever the folders above hold.
  npm install --silent --no-save --prefix "$root/bench" @duckdb/node-api >&2 \
    || echo "bench: DuckDB could not be installed; it is left out" >&2
fi
cc -O2 -o "$data/csvcount" bench/csvcount.c -lcsv

tab=$root/build-release/cmd/mj-tab
synth=$root/build-release/cmd/mj-synth
duck() { node "$root/bench/duckdb.mjs" "$@"; }
have_duck=0; [ -d bench/node_modules/@duckdb/node-api ] && have_duck=1

# Seconds, peak RSS (KB), CPU seconds (user + system) and exit status of
# one command, output to $data/out, errors to $data/err.
measure() {
  local rc=0
  /usr/bin/time -q -f "%e %M %U %S" -o "$data/time" "$@" >"$data/out" 2>"$data/err" || rc=$?
  awk -v rc=$rc '{printf "%s %s %.2f %d\n", $1, $2, $3 + $4, rc}' "$data/time"
}
# Notes under the table: the commands that failed (their times are not
# those of the work asked for).
notes=()
# The load average over the last minute, sampled while the run goes.
loads=()
sample_load() { loads+=("$(cut -d' ' -f1 /proc/loadavg)"); }

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A cmd
results=()
# Times the tools of list on query q of n rows, alternating, and adds their
# medians to results with the ratio to mj-tab's.
run_list() {
  local n=$1 q=$2 list=$3 t r s m c base name
  declare -A secs=() rss=() cpu=() failed=()
  for r in $(seq "$runs"); do
    for t in $list; do
      sample_load
      set -- $(measure bash -c "${cmd[$t/$q]}")
      secs[$t]="${secs[$t]:-} $1"
      rss[$t]="${rss[$t]:-} $2"
      cpu[$t]="${cpu[$t]:-} $3"
      if [ "$4" != 0 ] && [ -z "${failed[$t]:-}" ]; then
        failed[$t]=1
        notes+=("$t on $n rows ($q) exited with status $4: $(grep -v '^ *$' "$data/err" | head -1 | cut -c1-160)")
      fi
    done
  done
  base=$(echo ${secs[mj-tab]} | tr ' ' '\n' | median)
  # How far mj-tab's own runs of the group lie apart: the noise of the
  # machine, which the load average does not show (other guests of its
  # host).
  spread=$(echo ${secs[mj-tab]} | tr ' ' '\n' | sort -n | awk 'NR == 1 {lo = $1} {hi = $1} END {print (lo > 0 ? (hi / lo - 1) * 100 : 0)}')
  if awk -v a="$spread" -v b="$worst_spread" 'BEGIN {exit !(a > b)}'; then
    worst_spread=$spread worst_group="$n rows, $q"
  fi
  for t in $list; do
    s=$(echo ${secs[$t]} | tr ' ' '\n' | median)
    c=$(echo ${cpu[$t]} | tr ' ' '\n' | median)
    m=$(echo ${rss[$t]} | tr ' ' '\n' | sort -n | tail -1)
    name=$t; [ -n "${failed[$t]:-}" ] && name="$t (failed, see below)"
    results+=("$(printf '| %s | %s | %s | %.2f | %.2f | %.0f | %.1f | %.2f |' "$n" "$q" "$name" "$s" "$c" \
      "$(echo "${mbs[$n]:-0} $s" | awk '{print ($2 > 0 ? $1 / $2 : 0)}')" "$(echo "$m" | awk '{print $1 / 1024}')" \
      "$(echo "$s $base" | awk '{print ($2 > 0 ? $1 / $2 : 0)}')")")
    echo "${results[-1]}"
  done
  write_results "in progress: last measured $n rows, $q"
}
declare -A mbs
worst_spread=0 worst_group=""
# The instruction counts measured apart (bench/icount.sh), kept under the
# table when the results are written again.
kept=""
[ -f bench/RESULTS.md ] && kept=$(sed -n '/^## Instruction counts/,$p' bench/RESULTS.md)
# Writes bench/RESULTS.md from the results so far; state says whether the
# run is complete (a run stopped early leaves what it measured, marked).
write_results() {
  local state=$1 lo hi
  load_after=$(uptime)
  lo=$(printf '%s\n' "${loads[@]}" | sort -n | head -1)
  hi=$(printf '%s\n' "${loads[@]}" | sort -n | tail -1)
  {
    echo "# Benchmark results"
    echo
    echo "Run by \`bench/run.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') — $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)."
    echo "Load: before the run \`${load_before# }\`; after \`${load_after# }\`; the one-minute load average before each measurement ranged from $lo to $hi (it counts the runs just before each one, which keep one or two cores busy, and not the other guests of the machine's host). mj-tab's runs of one group lay at most $(printf '%.0f' "$worst_spread") % apart${worst_group:+ ($worst_group)}, slowest against fastest: the noise the ratios carry."
    [ "$state" = complete ] || echo "**Partial run** ($state): the run did not reach its end, and \"after\" is the load at its last measurement."
    echo "Files from \`mj-synth --rows N --seed 1 samples/appeals-2023.spec\`; medians of $runs runs, tools alternating."
    echo "one = count by region; two = region × violence (mj-tab is timed again beside the slow peers, Miller and datamash, which run last); pipe = count by region of the file piped in by \`cat\` (standard input; CPU counts cat's too); all = the program's own work on the file (mj-check validates every row and its id, mj-report writes the whole report); xlsx = count by region of a workbook of that many rows. ratio = seconds / mj-tab's seconds in the same group (above 1: slower than mj-tab); CPU = user + system seconds."
    echo
    echo "| rows | query | tool | seconds | CPU s | MB/s | peak RSS (MB) | ratio to mj-tab |"
    echo "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${results[@]}"
    if [ ${#notes[@]} -gt 0 ]; then
      echo
      echo "Failed runs (their seconds are those of a run that stopped, not of the work):"
      echo
      printf -- '- %s\n' "${notes[@]}"
    fi
    if [ -n "$kept" ]; then
      echo
      printf '%s\n' "$kept"
    fi
  } >bench/RESULTS.md.new
  mv bench/RESULTS.md.new bench/RESULTS.md
}
# The commands on the file of n rows.
set_cmds() {
  local n=$1
  f=$data/appeals-$n.csv
  [ -s "$f" ] || "$synth" --rows "$n" --seed 1 -o "$f" samples/appeals-2023.spec
  mbs[$n]=$(du -m "$f" | cut -f1)
  # Region is column 4, violence column 8.
  cmd[mj-tab/one]="$tab --quiet --format csv --by region $f"
  cmd[mj-tab/two]="$tab --quiet --format csv --by region --cols violence $f"
  cmd[mlr/one]="mlr --icsv --ocsv count -g region $f"
  cmd[mlr/two]="mlr --icsv --ocsv count -g region,violence $f"
  cmd[datamash/one]="datamash -t, -s --header-in -g 4 count 4 < $f"
  cmd[datamash/two]="datamash -t, -s --header-in -g 4,8 count 4 < $f"
  cmd[cat/one]="cat $f"
  cmd[libcsv/one]="$data/csvcount 3 $f"
  cmd[duckdb/one]="node $root/bench/duckdb.mjs one $f"
  cmd[duckdb/two]="node $root/bench/duckdb.mjs two $f"
  # The same count read from a pipe (standard input), as in a pipeline.
  cmd[mj-tab/pipe]="cat $f | $tab --quiet --format csv --by region"
  cmd[duckdb/pipe]="cat $f | node $root/bench/duckdb.mjs one /dev/stdin"
  # The other programs read the same file: each against mj-tab by region.
  cmd[mj-check/all]="$root/build-release/cmd/mj-check --quiet $f"
  cmd[mj-report/all]="$root/build-release/cmd/mj-report --quiet -o $data/report $f"
  cmd[mj-tab/all]=${cmd[mj-tab/one]}
}

# Every tool of the list must count what mj-tab counts.
same_counts() {
  local n=$1 tools=$2 queries=${3:-one two} q t
  for q in $queries; do
    bash -c "${cmd[mj-tab/$q]}" | awk -F, -v q=$q 'NR > 1 && $1 !~ /^_/ && (q != "two" || $3 !~ /^_/) {k = q != "two" ? $1 : $1 "," $3; v = q != "two" ? $3 : $5; if (v > 0) print k "," v}' | sort >"$data/want"
    for t in $tools; do
      bash -c "${cmd[$t/$q]}" | awk -F, 'NR > 1 || $NF ~ /^[0-9]+$/ {print}' | grep -v -E '^region' | sort >"$data/got" || true
      if ! cmp -s "$data/want" "$data/got"; then
        echo "bench: $t counts differ from mj-tab's ($q, $n rows)" >&2
        diff "$data/want" "$data/got" | head -5 >&2
        exit 1
      fi
    done
  done
}

# First mj-tab against DuckDB and the programs against mj-tab at every
# size, then the workbook, then the slow peers (Miller, datamash), so that
# a run cut short has measured what matters most.
fast=""; [ $have_duck = 1 ] && fast="duckdb"
for n in $sizes; do
  set_cmds "$n"
  same_counts "$n" "$fast" "one two pipe"
  run_list "$n" one "mj-tab $fast cat libcsv"
  run_list "$n" two "mj-tab $fast"
  run_list "$n" pipe "mj-tab $fast"
  run_list "$n" all "mj-tab mj-check mj-report"
done

# A workbook of XLSX_ROWS (500,000) rows: mj-tab reads it against openpyxl
# in read-only mode.
xf=$data/appeals-$xrows.xlsx
if [ ! -s "$xf" ]; then
  "$synth" --rows "$xrows" --seed 1 -o "$data/appeals-$xrows.csv" samples/appeals-2023.spec
  "$root/build-release/tests/mkxlsx" "$data/appeals-$xrows.csv" "$xf"
fi
mbs[$xrows]=$(du -m "$xf" | cut -f1)
cmd[mj-tab/xlsx]="$tab --quiet --format csv --by region $xf"
cmd[openpyxl/xlsx]="/usr/bin/python3 $root/bench/xlsx_count.py $xf"
xtools="mj-tab"
if /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
  bash -c "${cmd[mj-tab/xlsx]}" | awk -F, 'NR > 1 && $1 !~ /^_/ && $3 > 0 {print $1 "," $3}' | sort >"$data/want"
  bash -c "${cmd[openpyxl/xlsx]}" | awk 'NR > 1' | sort >"$data/got"
  if cmp -s "$data/want" "$data/got"; then
    xtools="mj-tab openpyxl"
  else
    echo "bench: openpyxl counts differ from mj-tab's (xlsx); it is left out" >&2
  fi
fi
run_list "$xrows" xlsx "$xtools"

for n in $sizes; do
  [ "$slow" = 1 ] || break
  set_cmds "$n"
  same_counts "$n" "mlr datamash"
  run_list "$n" one "mj-tab mlr datamash"
  run_list "$n" two "mj-tab mlr datamash"
done

write_results complete
echo "bench: wrote bench/RESULTS.md" >&2

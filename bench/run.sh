#!/usr/bin/env bash
# Benchmarks mj-tab against DuckDB, Miller and datamash on 1M and 10M
# synthetic records: checks that every tool counts the same, then times
# one-way (by region) and two-way (region x violence) tables, alternating
# tools, median of RUNS (default 3). Prints a table and writes
# bench/RESULTS.md. Data goes to $MJ_BENCH_DIR (default /tmp/murojaat-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
data=${MJ_BENCH_DIR:-/tmp/murojaat-bench}
runs=${RUNS:-3}
sizes=${SIZES:-"1000000 10000000"}
mkdir -p "$data"

# Peers from Debian, DuckDB from npm into bench/node_modules (not committed).
MJ_TEST=0 scripts/setup.sh build-release -Dbuildtype=release >/dev/null
need=()
for p in datamash miller time; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y -qq "${need[@]}" >&2
fi
if [ ! -d bench/node_modules/@duckdb/node-api ]; then
  (cd bench && npm install --silent --no-save @duckdb/node-api >&2) || echo "bench: DuckDB could not be installed; it is left out" >&2
fi
cc -O2 -o "$data/csvcount" bench/csvcount.c -lcsv

tab=$root/build-release/cmd/mj-tab
synth=$root/build-release/cmd/mj-synth
duck() { node "$root/bench/duckdb.mjs" "$@"; }
have_duck=0; [ -d bench/node_modules/@duckdb/node-api ] && have_duck=1

# Peak RSS (KB) and seconds of one command, output to $data/out.
measure() {
  /usr/bin/time -f "%e %M" -o "$data/time" "$@" >"$data/out" 2>/dev/null
  cat "$data/time"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A cmd
results=()
for n in $sizes; do
  f=$data/appeals-$n.csv
  [ -s "$f" ] || "$synth" --rows "$n" --seed 1 -o "$f" samples/appeals-2023.spec
  mb=$(du -m "$f" | cut -f1)
  # Region is column 4, violence column 8.
  cmd[mj-tab/one]="$tab --quiet --format csv --by region $f"
  cmd[mj-tab/two]="$tab --quiet --format csv --by region --cols violence $f"
  cmd[mlr/one]="mlr --icsv --ocsv count -g region $f"
  cmd[mlr/two]="mlr --icsv --ocsv count -g region,violence $f"
  cmd[datamash/one]="datamash -t, -s --header-in -g 4 count 4 < $f"
  cmd[datamash/two]="datamash -t, -s --header-in -g 4,8 count 4 < $f"
  cmd[cat/one]="cat $f"
  cmd[libcsv/one]="$data/csvcount 3 $f"
  tools="mj-tab mlr datamash"
  if [ $have_duck = 1 ]; then
    cmd[duckdb/one]="node $root/bench/duckdb.mjs one $f"
    cmd[duckdb/two]="node $root/bench/duckdb.mjs two $f"
    tools="mj-tab duckdb mlr datamash"
  fi

  # Every tool must count what mj-tab counts.
  for q in one two; do
    bash -c "${cmd[mj-tab/$q]}" | awk -F, -v q=$q 'NR > 1 && $1 !~ /^_/ && (q == "one" || $3 !~ /^_/) {k = q == "one" ? $1 : $1 "," $3; v = q == "one" ? $3 : $5; if (v > 0) print k "," v}' | sort >"$data/want"
    for t in $tools; do
      [ $t = mj-tab ] && continue
      bash -c "${cmd[$t/$q]}" | awk -F, 'NR > 1 || $NF ~ /^[0-9]+$/ {print}' | grep -v -E '^region' | sort >"$data/got" || true
      if ! cmp -s "$data/want" "$data/got"; then
        echo "bench: $t counts differ from mj-tab's ($q, $n rows)" >&2
        diff "$data/want" "$data/got" | head -5 >&2
        exit 1
      fi
    done
  done

  for q in one two; do
    list="$tools"; [ $q = one ] && list="$list cat libcsv"
    declare -A secs=() rss=()
    for r in $(seq "$runs"); do
      for t in $list; do
        set -- $(measure bash -c "${cmd[$t/$q]}")
        secs[$t]="${secs[$t]:-} $1"
        rss[$t]="${rss[$t]:-} $2"
      done
    done
    base=$(echo ${secs[mj-tab]} | tr ' ' '\n' | median)
    for t in $list; do
      s=$(echo ${secs[$t]} | tr ' ' '\n' | median)
      m=$(echo ${rss[$t]} | tr ' ' '\n' | sort -n | tail -1)
      results+=("$(printf '| %s | %s | %s | %.2f | %.0f | %.1f | %.2f |' "$n" "$q" "$t" "$s" \
        "$(echo "$mb $s" | awk '{print ($2 > 0 ? $1 / $2 : 0)}')" "$(echo "$m" | awk '{print $1 / 1024}')" \
        "$(echo "$s $base" | awk '{print ($2 > 0 ? $1 / $2 : 0)}')")")
      echo "${results[-1]}"
    done
    unset secs rss
  done
done

{
  echo "# Benchmark results"
  echo
  echo "Run by \`bench/run.sh\` on $(date -u +%Y-%m-%d) — $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)."
  echo "Files from \`mj-synth --rows N --seed 1 samples/appeals-2023.spec\`; medians of $runs runs, tools alternating."
  echo "one = count by region; two = region × violence. ratio = seconds / mj-tab's seconds (above 1: slower than mj-tab)."
  echo
  echo "| rows | query | tool | seconds | MB/s | peak RSS (MB) | ratio to mj-tab |"
  echo "| ---: | --- | --- | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${results[@]}"
} >bench/RESULTS.md.new
mv bench/RESULTS.md.new bench/RESULTS.md
echo "bench: wrote bench/RESULTS.md" >&2

#!/usr/bin/env bash
# Writes into OUTDIR the bytes of every output a refactoring must keep: the
# README's tables, the 2023 report in four languages, the month report and
# the other services' reports (PDF, workbook, summary, web page, charts).
# Run it with two builds and compare the folders with `diff -r`:
#   scripts/same-outputs.sh build-a /tmp/a; scripts/same-outputs.sh build-b /tmp/b
#   diff -r /tmp/a /tmp/b
# The test cli/same compares checksums of these outputs with the ones
# recorded in tests/data/same-outputs.sums (see tests/same_sums.py). When an
# output changes on purpose, record them again from a build that makes it:
#   MJ_RECORD=1 meson test -C build-test cli/same
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: same-outputs.sh BUILD OUTDIR}
out=${2:?usage: same-outputs.sh BUILD OUTDIR}
bin=$build/cmd
rm -rf "$out"; mkdir -p "$out"
s=samples/appeals-2023.csv
n=0
tab() { n=$((n + 1)); "$bin/mj-tab" "$@" >"$out/tab-$n.out" 2>"$out/tab-$n.err" || echo "exit $?" >>"$out/tab-$n.err"; }
for fmt in text csv json markdown tsv; do
  tab --by region --format "$fmt" "$s"
  tab --by place,relationship --lang ru --format "$fmt" "$s"
  tab --by region --cols violence --test --ci 95 --format "$fmt" "$s"
  tab --by outcome --sum children --where outcome=shelter --format "$fmt" "$s"
  tab --by month --period 2023-01..2023-08 --compare previous --format "$fmt" "$s"
  tab --by violence --lang uz-Cyrl --format "$fmt" samples/register.csv
done
tab --by violence --sheet Appeals samples/register.xlsx
"$bin/mj-check" --fix -o "$out/clean.csv" --rejects "$out/rejects.csv" samples/register.csv \
  >"$out/check.out" 2>"$out/check.err" || true
"$bin/mj-audit" samples/published-2023.csv >"$out/audit.out" 2>&1 || true
"$bin/mj-tab" --by region --format csv "$s" | "$bin/mj-chart" hbar -o "$out/regions.svg"
"$bin/mj-chart" --by region --cols violence stacked -o "$out/stacked.svg" "$s"
"$bin/mj-xlsx" -o "$out/tables.xlsx" --by region --by place,relationship --by region --cols violence "$s"
# The reports take most of the time: two at once. An exit status other
# than 0 is kept as an output too.
report() { name=$1; shift
  "$bin/mj-report" "$@" -o "$out/$name" >/dev/null 2>&1 || echo "exit $?" >"$out/$name.exit"; }
report report-en --lang en "$s" & report report-ru --lang ru "$s"; wait
report report-uz --lang uz "$s" & report report-uz-Cyrl --lang uz-Cyrl "$s"; wait
report report-2023-08 --month 2023-08 --compare previous "$s" &
report report-gbvims --schema samples/schema-gbvims.csv samples/gbvims.csv; wait
report report-hotline --schema samples/schema-trafficking.csv samples/trafficking.csv &
report report-clubs --schema samples/schema-parents-clubs.csv samples/parents-clubs.csv; wait
# A workbook is a zip whose entries carry times: compare what it holds.
find "$out" -name '*.xlsx' | while read -r x; do
  mkdir -p "$x.d" && (cd "$x.d" && unzip -qo "$x") && rm "$x"
done
# Paths of this run's folder are not the report's content.
{ grep -rlF "$out" "$out" || true; } | xargs -r sed -i "s#$out#OUT#g"

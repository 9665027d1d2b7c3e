#!/usr/bin/env bash
# Writes into OUTDIR the bytes of every output a refactoring must keep: the
# README's tables, the 2023 report in four languages, the month report and
# the other services' reports (PDF, workbook, summary, web page, charts).
# Run it with two builds and compare the folders with `diff -r`:
#   scripts/same-outputs.sh build-a /tmp/a; scripts/same-outputs.sh build-b /tmp/b
#   diff -r /tmp/a /tmp/b
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
for lang in en ru uz uz-Cyrl; do
  "$bin/mj-report" --lang "$lang" -o "$out/report-$lang" "$s" >/dev/null 2>&1
done
"$bin/mj-report" --month 2023-08 --compare previous -o "$out/report-2023-08" "$s" >/dev/null 2>&1
"$bin/mj-report" --schema samples/schema-gbvims.csv -o "$out/report-gbvims" samples/gbvims.csv >/dev/null 2>&1
"$bin/mj-report" --schema samples/schema-trafficking.csv -o "$out/report-hotline" samples/trafficking.csv >/dev/null 2>&1
"$bin/mj-report" --schema samples/schema-parents-clubs.csv -o "$out/report-clubs" samples/parents-clubs.csv >/dev/null 2>&1
# A workbook is a zip whose entries carry times: compare what it holds.
find "$out" -name '*.xlsx' | while read -r x; do
  mkdir -p "$x.d" && (cd "$x.d" && unzip -qo "$x") && rm "$x"
done
# Paths of this run's folder are not the report's content.
grep -rlF "$out" "$out" | xargs -r sed -i "s#$out#OUT#g"

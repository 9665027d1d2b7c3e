#!/usr/bin/env bash
# Sets up, builds, and writes the 2023 report from samples/ into
# build/report-2023/ (workbook, charts, PDF, summary), then prints the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
out=${1:-build/report-2023}
build/cmd/mj-report --quiet -o "$out" samples/appeals-2023.csv
cat "$out/summary.txt"
echo
echo "report: $out/report.pdf, $out/report.html, $out/report.xlsx, $out/charts/, $out/summary.md"

#!/usr/bin/env bash
# Sets up, builds, and prints the 2023 tables from samples/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh build
tab=build/cmd/mj-tab
in=samples/appeals-2023.csv
for by in group violence region place,relationship age_group channel outcome month; do
  "$tab" --format text --by "$by" "$in"
  echo
done
"$tab" --format text --by outcome --sum children --where outcome=shelter "$in"

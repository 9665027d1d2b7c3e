# mj-chart draws statistics: whiskers of confidence intervals on bars
# (records and tables from mj-tab, CSV and JSON), none on suppressed cells,
# rates per population on bars and the map, and the errors and notes of
# what does not fit. Whiskers are counted in the SVG by their dark grey
# stroke, which nothing else on a chart uses; drawn words come from the
# PDF (pdftotext). Populations are made up, in tests/data only.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv
POP=$SRC/tests/data/population-test.csv
OUT="$BUILD/tests/cli-charts"
mkdir -p "$OUT"

whiskers() { grep -o 'stroke:rgb(20%,20%,20%)' "$1" | wc -l; }
words() { pdftotext -enc UTF-8 "$1" - | sed 's/\xc2\xa0/ /g' | tr -s ' \n\f' '  '; }
expect_words() { # FILE TEXT...
  local f=$1; shift
  local w; w=$(words "$f")
  for t in "$@"; do
    case "$w" in *"$t"*) ;; *) fail "$f: no \"$t\" in the drawn text";; esac
  done
}
expect_whiskers() { # WANT FILE
  local got; got=$(whiskers "$2")
  [ "$got" -eq "$1" ] || fail "$2: $got whiskers, wanted $1"
}

# --- whiskers from records ------------------------------------------------------
for ext in png svg pdf; do
  expect_status 0 mj-chart hbar --ci 95 --by region -o "$OUT/hbar-region-ci.$ext" "$S"
  expect_status 0 mj-chart bar --ci 95 --by region --cols sex -o "$OUT/bar-region-sex-ci.$ext" "$S"
  expect_status 0 mj-chart hbar --ci 95 --by region --cols sex -o "$OUT/hbar-region-sex-ci.$ext" "$S"
done
# One whisker per region; 14 regions by two sexes ("not stated" counts
# nothing and is left out).
expect_whiskers 14 "$OUT/hbar-region-ci.svg"
expect_whiskers 28 "$OUT/bar-region-sex-ci.svg"
expect_whiskers 28 "$OUT/hbar-region-sex-ci.svg"
expect_words "$OUT/hbar-region-ci.pdf" "Whiskers: 95% confidence interval (Wilson)" \
  "1,046 (9.6%)" "Tashkent city"
expect_words "$OUT/bar-region-sex-ci.pdf" "Female" "Male" "1,028" \
  "Whiskers: 95% confidence interval (Wilson)"
# The note and the ends of each whisker are in the SVG's text alternative:
# Tashkent city, 1,046 of 10,927, Wilson 95%: 987.3 to 1,107.8 appeals.
grep -qF 'Whiskers: 95% confidence interval (Wilson)' "$OUT/hbar-region-ci.svg" ||
  fail "the SVG's description does not say what the whiskers are"
grep -qF 'Tashkent city: 1,046 (9.6%) [987.3–1,107.8]' "$OUT/hbar-region-ci.svg" ||
  fail "the SVG's description lacks Tashkent city's interval"
# Without --ci: no whiskers, no word of them.
expect_status 0 mj-chart hbar --by region -o "$TMP/plain.svg" "$S"
expect_whiskers 0 "$TMP/plain.svg"
expect_no "Whiskers" "$TMP/plain.svg"
# Clopper-Pearson, in Russian.
expect_status 0 mj-chart hbar --ci 99 --ci-method exact --lang ru --by violence -o "$TMP/exact.pdf" "$S"
expect_words "$TMP/exact.pdf" "Усы: 99 % доверительный интервал (Клоппер — Пирсон)"
# Byte-identical on rerun.
expect_status 0 mj-chart hbar --ci 95 --by region -o "$TMP/again.png" "$S"
cmp -s "$TMP/again.png" "$OUT/hbar-region-ci.png" || fail "whiskers PNG differs on rerun"

# Other types ignore --ci with one line on standard error.
for type in pie donut stacked line map sunburst; do
  by="--by violence"
  case $type in stacked) by="--by region --cols sex";; line) by="--by month";;
    map) by="--by region";; sunburst) by="--by place,relationship";; esac
  expect_status 0 mj-chart "$type" --ci 95 $by -o "$TMP/$type.svg" "$S"
  expect_err "mj-chart: note: --ci: a $type chart draws no intervals; ignored"
  [ "$(wc -l <"$TMP/err")" -eq 1 ] || fail "$type --ci: more than one line on stderr"
  expect_whiskers 0 "$TMP/$type.svg"
done
expect_status 0 mj-chart pie --ci 95 --quiet --by violence -o "$TMP/q.svg" "$S"
[ ! -s "$TMP/err" ] || fail "--quiet still notes the ignored --ci"

# --- suppressed cells get no whisker ---------------------------------------------
# --min-cell 700 hides Namangan, Samarkand, Syrdarya, Tashkent region and
# Khorezm: nine whiskers remain, from records and from mj-tab's table.
expect_status 0 mj-chart hbar --ci 95 --min-cell 700 --by region -o "$TMP/supp.svg" "$S"
expect_whiskers 9 "$TMP/supp.svg"
grep -qF 'Namangan region: &lt;700' "$TMP/supp.svg" || fail "Namangan is not shown as <700"
grep -q 'Namangan region: &lt;700 \[' "$TMP/supp.svg" && fail "a suppressed cell has an interval"
mj-tab --by region --ci 95 --min-cell 700 --format csv "$S" 2>/dev/null >"$TMP/supp.csv"
expect_status 0 mj-chart hbar --ci 95 -o "$TMP/supp-t.svg" "$TMP/supp.csv"
expect_whiskers 9 "$TMP/supp-t.svg"
# Suppressed by the chart itself from a table that was not.
mj-tab --by region --ci 95 --format csv "$S" 2>/dev/null >"$TMP/region-ci.csv"
expect_status 0 mj-chart bar --ci 95 --min-cell 700 -o "$TMP/supp-c.svg" "$TMP/region-ci.csv"
expect_whiskers 9 "$TMP/supp-c.svg"

# --- tables from mj-tab: CSV and JSON round trips --------------------------------
expect_status 0 mj-chart hbar --ci 95 -o "$TMP/t-csv.svg" "$TMP/region-ci.csv"
expect_whiskers 14 "$TMP/t-csv.svg"
mj-tab --by region --ci 95 --format csv "$S" 2>/dev/null | mj-chart hbar --ci 95 -o "$TMP/pipe.svg" ||
  fail "mj-tab --ci | mj-chart --ci: exit $?"
expect_whiskers 14 "$TMP/pipe.svg"
mj-tab --by region --cols sex --ci 95 --format json "$S" 2>/dev/null >"$TMP/rs.json"
expect_status 0 mj-chart bar --ci 95 -o "$TMP/t-json.svg" "$TMP/rs.json"
expect_whiskers 28 "$TMP/t-json.svg"
mj-tab --by region --cols sex --ci 95 --format tsv "$S" 2>/dev/null >"$TMP/rs.tsv"
expect_status 0 mj-chart hbar --ci 95 -o "$TMP/t-tsv.svg" "$TMP/rs.tsv"
expect_whiskers 28 "$TMP/t-tsv.svg"
# The table's interval, read back to its printed precision, draws the same
# whisker as the records (to the tenth of a percent of 10,927).
grep -qF 'Tashkent city: 1,046 (9.6%) [983.4–1,103.6]' "$TMP/t-csv.svg" ||
  fail "the CSV's interval of Tashkent city (9.0%..10.1%) is not drawn from it"
# Valid percents only: the intervals are of the valid total (they would
# not match the total's, and are refused if neither fits).
mj-tab --by place --ci 95 --percent valid --format csv "$S" 2>/dev/null >"$TMP/valid.csv"
expect_status 0 mj-chart hbar --ci 95 -o "$TMP/valid.svg" "$TMP/valid.csv"
# "Not stated" has no valid percent, so no interval: four whiskers.
expect_whiskers 4 "$TMP/valid.svg"
# A table without intervals: computed from its counts.
mj-tab --by region --format csv "$S" 2>/dev/null >"$TMP/region.csv"
expect_status 0 mj-chart hbar --ci 95 -o "$TMP/computed.svg" "$TMP/region.csv"
expect_whiskers 14 "$TMP/computed.svg"
# Intervals of another level or method than --ci says are refused.
mj-tab --by region --ci 90 --format csv "$S" 2>/dev/null >"$TMP/ci90.csv"
expect_status 2 mj-chart hbar --ci 95 -o "$TMP/x.png" "$TMP/ci90.csv"
expect_err "are not 95% Wilson intervals of its percents"
[ ! -e "$TMP/x.png" ] || fail "a refused chart left a file"
expect_status 2 mj-chart hbar --ci 95 --ci-method exact -o "$TMP/x.png" "$TMP/region-ci.csv"
expect_err "are not 95% Clopper-Pearson intervals"
expect_status 0 mj-chart hbar --ci 90 -o "$TMP/x.png" "$TMP/ci90.csv"
# A bad number in a statistics column names its place.
sed '2s/,6\.8,/,six,/' "$TMP/region-ci.csv" >"$TMP/badci.csv"
expect_status 2 mj-chart hbar --ci 95 -o "$TMP/x.png" "$TMP/badci.csv"
expect_err "badci.csv:2:"
expect_err "column 'ci_low': \"six\" is not a number"
# Plain readers ignore the statistics columns.
expect_status 0 mj-chart hbar -o "$TMP/noci.svg" "$TMP/region-ci.csv"
expect_whiskers 0 "$TMP/noci.svg"

# --- rates ---------------------------------------------------------------------------
for ext in png pdf svg; do
  expect_status 0 mj-chart hbar --rate-per 100000 --population "$POP" --by region -o "$OUT/hbar-region-rate.$ext" "$S"
  expect_status 0 mj-chart map --rate-per 100000 --population "$POP" --by region -o "$OUT/map-region-rate.$ext" "$S"
done
# 793 / 1,000,000 x 100,000 = 79.3; Tashkent city 1,046 / 2,000,000 = 52.3.
expect_words "$OUT/hbar-region-rate.pdf" "Per 100,000 population" "79.3" "52.3" \
  "Tashkent region: no population"
expect_words "$OUT/map-region-rate.pdf" "Per 100,000 population" "79.3" "52.3" \
  "Tashkent region: no population"
w=$(words "$OUT/hbar-region-rate.pdf")
case "$w" in *"793 (7.3%)"*|*"1,046"*) fail "a rate chart draws counts";; esac
[ "$(grep -o 'Tashkent region' <<<"$w" | wc -l)" -eq 1 ] ||
  fail "the region without a population is drawn, not only named in the note"
grep -qF 'Tashkent city: 52.3' "$OUT/hbar-region-rate.svg" || fail "SVG description lacks the rate"
# Rates by sex where the file has no sex: every cell lacks a population.
expect_status 2 mj-chart bar --rate-per 100000 --population "$POP" --by region --cols sex -o "$TMP/x.png" "$S"
expect_err "no category drawn has a population"
# By region and sex with a file by both: the cells it has are drawn.
expect_status 0 mj-chart bar --rate-per 100000 --population "$SRC/tests/data/population-sex-test.csv" \
  --by region --cols sex -o "$OUT/bar-region-sex-rate.png" "$S"
# --ci on rates: a note, no whiskers.
expect_status 0 mj-chart hbar --ci 95 --rate-per 100000 --population "$POP" --by region -o "$TMP/rci.svg" "$S"
expect_err "a chart of rates draws none; ignored"
expect_whiskers 0 "$TMP/rci.svg"
# Shares of rates are refused.
for type in pie donut sunburst stacked line; do
  by="--by violence"
  case $type in stacked) by="--by region --cols sex";; line) by="--by month";;
    sunburst) by="--by place,relationship";; esac
  expect_status 2 mj-chart "$type" --rate-per 100000 --population "$POP" $by -o "$TMP/r.png" "$S"
  expect_err "a $type chart cannot show rates"
  [ ! -e "$TMP/r.png" ] || fail "$type with rates left a file"
done
expect_err "shares of rates mean nothing"
# Usage.
expect_status 2 mj-chart hbar --rate-per 100000 --by region -o "$TMP/r.png" "$S"
expect_err "--rate-per needs --population FILE"
expect_status 2 mj-chart map --rate-per 100000 --population "$POP" --percent --by region -o "$TMP/r.png" "$S"
expect_err "--percent and --rate-per"
expect_status 2 mj-chart hbar --rate-per 100000 --population "$POP" -o "$TMP/r.png" "$TMP/region.csv"
expect_err "--population goes with records (--by)"
expect_status 2 mj-chart hbar --ci 120 --by region -o "$TMP/r.png" "$S"
expect_err "--ci: expected a confidence level from 50 to 99.9"
expect_status 2 mj-chart bar --test --by region --cols sex -o "$TMP/r.png" "$S"
expect_status 2 mj-chart bar --compare previous --by region -o "$TMP/r.png" "$S"
# Rates from mj-tab's tables (CSV and JSON) with --rate-per alone.
mj-tab --by region --rate-per 100000 --population "$POP" --format csv "$S" 2>/dev/null >"$TMP/rate.csv"
mj-tab --by region --rate-per 100000 --population "$POP" --format json "$S" 2>/dev/null >"$TMP/rate.json"
expect_status 0 mj-chart hbar --rate-per 100000 -o "$TMP/rt.pdf" "$TMP/rate.csv"
expect_words "$TMP/rt.pdf" "79.3" "Tashkent region: no population"
expect_status 0 mj-chart map --rate-per 100000 -o "$TMP/rt.pdf" "$TMP/rate.json"
expect_words "$TMP/rt.pdf" "79.3" "Per 100,000 population"
expect_status 2 mj-chart hbar --rate-per 1000 -o "$TMP/r.png" "$TMP/rate.csv"
expect_err "rates are per 100,000 people, not per 1,000"
expect_status 2 mj-chart hbar --rate-per 100000 -o "$TMP/r.png" "$TMP/region.csv"
expect_err "no 'rate' column"

# --- help and man page ----------------------------------------------------------------
expect_status 0 mj-chart --help
expect_out "--ci LEVEL"
expect_out "--rate-per N"
expect_out "--population FILE"
for opt in '\-\-ci' '\-\-ci\-method' '\-\-rate\-per' '\-\-population'; do
  grep -qF -- "$opt" "$SRC/doc/mj-chart.1" || fail "the man page does not describe $opt"
done
finish

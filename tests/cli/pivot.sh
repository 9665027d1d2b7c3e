# mj-tab as a pivot table: what each cell shows (--show), nested columns,
# wide layouts, terminal panels. Counts are checked against an independent
# count of the sample with Python.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv
PY=/usr/bin/python3

# An independent count of region x violence, and the row percents of it.
$PY - "$S" >"$TMP/indep" <<'PYEOF'
import csv, sys
from collections import Counter
c = Counter(); rows = Counter()
for r in csv.DictReader(open(sys.argv[1], encoding='utf-8-sig')):
    c[(r['region'], r['violence'] or '_missing')] += 1
    rows[r['region']] += 1
for (reg, v), n in sorted(c.items()):
    print(reg, v, n, '%.1f' % (100 * n / rows[reg]))
PYEOF
[ -s "$TMP/indep" ] || fail "no independent count"

# --show: percents only, in every format; the order is the column order.
expect_status 0 mj-tab --format csv --by region --cols violence --show 'row%' "$S"
head -1 "$TMP/out" | grep -q '^region_code,region,violence_code,violence,row_percent,row_percent_base,title' ||
  fail "--show row% CSV header: $(head -1 "$TMP/out")"
expect_no ",count," "$TMP/out"
while read -r reg v n pct; do
  grep -q "^$reg,[^,]*,$v,[^,]*,$pct,[0-9]*," "$TMP/out" || fail "row% of $reg x $v is not $pct"
done <"$TMP/indep"
expect_status 0 mj-tab --format csv --by region --cols violence --show 'row%,count' "$S"
head -1 "$TMP/out" | grep -q '^region_code,region,violence_code,violence,row_percent,count,' ||
  fail "--show row%,count CSV header: $(head -1 "$TMP/out")"
while read -r reg v n pct; do
  grep -q "^$reg,[^,]*,$v,[^,]*,$pct,$n," "$TMP/out" || fail "$reg x $v is not $pct,$n"
done <"$TMP/indep"
expect_status 0 mj-tab --format text --by region --cols violence --show 'row%' "$S"
expect_no "Count" "$TMP/out"
expect_out "Row %"
tk=$(awk '$1 == "UZ-TK" && $2 == "physical" {print $4}' "$TMP/indep")
grep -q "^Tashkent city  *$tk " "$TMP/out" || fail "text row% of Tashkent city lacks $tk"
expect_status 0 mj-tab --format text --by sex --show 'total%,count' "$S"
grep -q "^Sex  *%  *Count$" "$TMP/out" || fail "text --show total%,count header: $(grep '^Sex' "$TMP/out")"
grep -q "^Female  *98.5  10,766$" "$TMP/out" || fail "text --show total%,count: Female"
expect_status 0 mj-tab --format md --by sex --show 'valid%' "$S"
expect_out "| Sex | Valid % |"
expect_out "| Female | 98.5 |"
expect_status 0 mj-tab --format tsv --by sex --show 'count,total%' "$S"
expect_out "$(printf 'female\tFemale\t10766\t98.5\t')"
expect_status 0 mj-tab --format json --by sex --show 'total%' "$S"
expect_out '"show": ["percent"]'
expect_out '"values": [10766]'
expect_status 0 mj-tab --format csv --by violence --show 'ci_low,count' --ci 95 "$S"
head -1 "$TMP/out" | grep -q '^violence_code,violence,count,percent_base\?,\?ci_low,ci_high,' ||
  head -1 "$TMP/out" | grep -q '^violence_code,violence,count,ci_low,ci_high,' ||
  fail "--show with a statistics column: $(head -1 "$TMP/out")"
expect_status 0 mj-tab --format csv --by sex --show 'cum%,count' "$S"
expect_out "female,Female,98.5,10766,"
# Wrong lists are usage errors that say why.
expect_status 2 mj-tab --by sex --show 'sum' "$S"
expect_err "--show sum"
expect_status 2 mj-tab --by sex --cols region --show 'cum%' "$S"
expect_err "one-way"
expect_status 2 mj-tab --by sex --show 'count,bogus' "$S"
expect_err 'unknown "bogus"'
expect_status 2 mj-tab --by sex --show 'count' --percent row "$S"
expect_err "give one"
expect_status 0 mj-tab --format csv --by outcome --sum children --show 'sum,total%' "$S"
expect_out "shelter,Placed in the centre,"

finish

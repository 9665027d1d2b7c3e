# Numbers that are not counts: weights and sums that are not finite,
# negative, hexadecimal or too large are rejected where they stand; table
# files holding such numbers are refused; what is accepted, however
# extreme, gives valid JSON, workbooks that open and charts that finish.
. "$SRC/tests/cli/lib.sh"
H="id,date,channel,region,district,sex,age,violence,place,relationship,outcome,children"

# A schema whose measure "cases" allows what a count must not: negative
# values and values above the 10^12 a row may add.
sed 's/^dimension,children,.*/&\ndimension,cases,,,Cases,Случаи,Holatlar,Ҳолатлар,,type=integer;min=-10;max=1000000000000000/' \
  "$SRC/samples/schema-appeals.csv" >"$TMP/schema.csv"
grep -q '^dimension,cases' "$TMP/schema.csv" || fail "test schema lacks cases"
W="$TMP/weights.csv"
{ echo "$H,cases"
  echo "A1,2023-01-05,hotline,UZ-TK,,female,30,physical,,,,,7"
  echo "A2,2023-01-05,hotline,UZ-TK,,female,30,physical,,,,,nan"
  echo "A3,2023-01-05,hotline,UZ-TK,,female,30,physical,,,,,inf"
  echo "A4,2023-01-05,hotline,UZ-TK,,female,30,physical,,,,,-3"
  echo "A5,2023-01-05,hotline,UZ-TK,,female,30,physical,,,,,0x10"
  echo "A6,2023-01-05,hotline,UZ-TK,,female,30,physical,,,,,1e308"
  echo "A7,2023-01-05,hotline,UZ-TK,,female,30,physical,,,,,5000000000000"
  echo "A8,2023-01-05,hotline,UZ-AN,,female,30,physical,,,,,1000000000000"
  echo "A9,2023-01-05,hotline,UZ-AN,,female,30,physical,,,,,Infinity"
} >"$W"
expect_status 1 mj-tab --schema "$TMP/schema.csv" --weight cases --by region --format json "$W"
for line in 3 4 5 6 7 8 10; do
  expect_err "weights.csv:$line:13:"
done
expect_err "weights.csv:5:13: column 'cases': a weight must be a count from 0 to 1000000000000"
expect_err "weights.csv:8:13: column 'cases': a weight must be a count from 0 to 1000000000000"
/usr/bin/python3 -m json.tool "$TMP/out" >/dev/null || fail "--weight: JSON is not valid"
/usr/bin/python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
total = [r for r in t["rows"] if r["kind"] == "total"][0]["values"][0]
sys.exit(0 if total == 1000000000007 else 1)' "$TMP/out" || fail "--weight: total is not 7 + 10^12"
# n counts records: a weighted table says so, and its base is the weights'
# total, not n (7 + 10^12 here, of 2 records counted).
expect_status 1 mj-tab --schema "$TMP/schema.csv" --weight cases --by region --format text "$W"
expect_out "n = 2 counted of 9 read, 7 rejected · weighted by cases ·"
expect_out "Base: % of the weighted total = 1,000,000,000,007"
expect_status 1 mj-tab --schema "$TMP/schema.csv" --weight cases --by region --lang ru --format text "$W"
expect_out "· взвешено по cases ·"
expect_out "База: % от взвешенного итога = 1"
# The same numbers as a sum.
expect_status 1 mj-tab --schema "$TMP/schema.csv" --sum cases --by region --format json "$W"
expect_err "weights.csv:8:13: column 'cases': a sum adds counts from 0 to 1000000000000 per row"
/usr/bin/python3 -m json.tool "$TMP/out" >/dev/null || fail "--sum: JSON is not valid"
# A weight times a sum is what a row adds.
{ echo "$H,cases"; echo "A1,2023-01-05,hotline,UZ-TK,,female,30,physical,,,,30,100000000000"; } >"$TMP/product.csv"
expect_status 1 mj-tab --schema "$TMP/schema.csv" --weight cases --sum children --by region "$TMP/product.csv"
expect_err "product.csv:2:12: column 'children': a sum adds counts"
# Totals stay exact: 10,000 rows of 10^12 add up to more than 2^53.
awk -v h="$H,cases" 'BEGIN {print h; for (i = 0; i < 10000; i++) print "A" i ",2023-01-05,hotline,UZ-TK,,female,30,physical,,,,,1000000000000"}' >"$TMP/many.csv"
expect_status 2 mj-tab --schema "$TMP/schema.csv" --weight cases --by region "$TMP/many.csv"
expect_err "add up to more than 9007199254740992"

# A weighted table keeps its weight in JSON, and adds only to counts
# weighted by the same column.
S=$SRC/samples/appeals-2023.csv
# 2023's months moved to May-December 2022, the months before the sample's.
awk -F, -v OFS=, 'NR > 1 { split($2, d, "-"); day = d[3] > 28 ? 28 : d[3]
  $1 = "P" $1; $2 = sprintf("2022-%02d-%02d", d[2] + 4, day) } 1' "$S" >"$TMP/y2022.csv"
mj-tab --quiet --by channel --weight children --format json "$S" >"$TMP/w23.json" || fail "weighted json"
mj-tab --quiet --by channel --weight children --format json "$TMP/y2022.csv" >"$TMP/w22.json" || fail "weighted json 2022"
mj-tab --quiet --by channel --format json "$TMP/y2022.csv" >"$TMP/u22.json" || fail "json 2022"
expect_status 0 mj-tab --by channel --format text "$TMP/w23.json"
expect_out "· weighted by children ·"
expect_out "Base: % of the weighted total = 604"
expect_status 0 mj-tab --by channel --format text "$TMP/w23.json" "$TMP/w22.json"
expect_out "Base: % of the weighted total = 1,208"
expect_status 2 mj-tab --by channel "$TMP/u22.json" "$TMP/w23.json"
expect_err "w23.json holds counts weighted by 'children', and this table adds unweighted counts"
expect_status 2 mj-tab --by channel "$TMP/w23.json" "$TMP/u22.json"
expect_err "u22.json holds unweighted counts, and this table adds counts weighted by 'children'"
expect_status 2 mj-tab --by channel "$TMP/w23.json" "$TMP/y2022.csv"
# A CSV table carries its weight in a column of its own, only when weighted.
mj-tab --quiet --by channel --weight children --format csv "$S" >"$TMP/w23.csv" || fail "weighted csv"
head -1 "$TMP/w23.csv" | grep -q ',source,weight$' || fail "weighted CSV: no weight column: $(head -1 "$TMP/w23.csv")"
mj-tab --quiet --by channel --format csv "$S" | head -1 | grep -q ',source$' || fail "unweighted CSV: a weight column"
expect_status 0 mj-tab --by channel --format text "$TMP/w23.csv"
expect_out "· weighted by children ·"
expect_status 2 mj-tab --by channel "$TMP/w23.csv" "$TMP/u22.json"
expect_err "u22.json holds unweighted counts, and this table adds counts weighted by 'children'"
# A layer and a turned table say so too.
expect_status 0 mj-tab --by channel --weight children --layer outcome --format text "$S"
expect_out "n = 604 counted of 10,927 read, 0 rejected · weighted by children"
expect_status 0 env COLUMNS=80 mj-tab --by outcome --cols region --weight children --format text "$S"
expect_out "· weighted by children ·"

# Table files: a count that is not a plain decimal number from 0 to 2^53
# is refused with its place, by every program that reads tables.
n=0
for v in NaN nan Infinity -Infinity inf 1e308 1E3 -5 0x10 +7 9007199254740993 \
         179769313486231570000000000000000000000000000000000000000000000000000000000000000 ''; do
  n=$((n + 1))
  [ -z "$v" ] && v=' 12 abc'
  printf 'region_code,region,count\nUZ-TK,Tashkent city,%s\n_total,Total,10\n' "$v" >"$TMP/bad$n.csv"
  # A table that cannot be read is refused as a whole: the same status (2)
  # from every program.
  expect_status 2 timeout 20 mj-chart bar -o "$TMP/bad$n.svg" "$TMP/bad$n.csv"
  expect_err "bad$n.csv:2:21: column 'count':"
  expect_status 2 timeout 20 mj-tab --by region "$TMP/bad$n.csv"
  expect_err "bad$n.csv:2:21: column 'count':"
  expect_status 2 timeout 20 mj-xlsx -o "$TMP/bad$n.xlsx" "$TMP/bad$n.csv"
  expect_err "bad$n.csv:2:21: column 'count':"
  [ -e "$TMP/bad$n.svg" ] && fail "a chart was written for a count of \"$v\""
  [ -e "$TMP/bad$n.xlsx" ] && fail "a workbook was written for a count of \"$v\""
done
for v in NaN Infinity -1 1e300; do
  printf '{"murojaat": "table", "dims": [{"name": "region"}], "columns": [{"code": "_total"}], "rows": [{"codes": ["UZ-TK"], "values": [%s]}, {"codes": ["_total"], "values": [1]}]}\n' "$v" >"$TMP/bad.json"
  expect_status 2 timeout 20 mj-chart bar -o "$TMP/badj.svg" "$TMP/bad.json"
  expect_err "row 1, value 1: not a count"
done

# Extreme but valid tables: every chart finishes, the workbook opens.
printf 'region_code,region,count\nUZ-TK,Tashkent city,9007199254740992\nUZ-AN,Andijan region,0\nUZ-QR,Republic of Karakalpakstan,1\n_total,Total,9007199254740992\n' >"$TMP/big.csv"
for t in bar hbar pie donut line map; do
  expect_status 0 timeout 20 mj-chart $t -o "$TMP/big-$t.svg" "$TMP/big.csv"
  [ -s "$TMP/big-$t.svg" ] || fail "$t chart of a huge count not written"
done
printf 'region_code,region,violence_code,violence,count\nUZ-TK,Tashkent city,physical,Physical,9007199254740992\nUZ-TK,Tashkent city,_total,Total,9007199254740992\n_total,Total,physical,Physical,9007199254740992\n_total,Total,_total,Total,9007199254740992\n' >"$TMP/bigx.csv"
expect_status 0 timeout 20 mj-chart stacked -o "$TMP/bigx.svg" "$TMP/bigx.csv"
printf 'place_code,place,relationship_code,relationship,count\ndomestic,Domestic,_total,Total,9007199254740992\ndomestic,Domestic,spouse,Spouse,9007199254740992\n_total,Total,_total,Total,9007199254740992\n' >"$TMP/bign.csv"
expect_status 0 timeout 20 mj-chart sunburst -o "$TMP/bign.svg" "$TMP/bign.csv"
expect_status 0 timeout 20 mj-xlsx -o "$TMP/big.xlsx" "$TMP/big.csv" "$TMP/bigx.csv" "$TMP/bign.csv"
/usr/bin/python3 -c '
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ok = any(c.value == 9007199254740992 for ws in wb.worksheets for row in ws.iter_rows() for c in row)
sys.exit(0 if ok else 1)' "$TMP/big.xlsx" || fail "workbook of huge counts does not open or lacks 2^53"
expect_status 1 timeout 20 mj-tab --format json --by region --cols violence --test --ci 95 "$SRC/tests/data/small.csv"
/usr/bin/python3 -m json.tool "$TMP/out" >/dev/null || fail "JSON is not valid"
finish

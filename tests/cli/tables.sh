# Tables as inputs: the tables that offices send, summed by category code,
# equal the table of their registers put together; roll-ups equal the
# direct table; overlaps, gaps, other schemas and hidden cells are refused
# or marked as the man page says.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv
PY=/usr/bin/python3

# Three offices' registers: the sample split by region.
awk -F, -v d="$TMP" 'NR == 1 { for (i = 1; i <= 3; i++) print > (d "/office" i ".csv"); next }
  { o = ($4 ~ /UZ-(QR|AN|BU|JI|QA)/) ? 1 : ($4 ~ /UZ-(NW|NG|SA|SU)/) ? 2 : 3
    print > (d "/office" o ".csv") }' "$S"
cat "$TMP/office1.csv" >"$TMP/all.csv"
tail -n +2 "$TMP/office2.csv" >>"$TMP/all.csv"
tail -n +2 "$TMP/office3.csv" >>"$TMP/all.csv"
# Three months of one register: January, February, March.
awk -F, -v d="$TMP" 'NR == 1 { for (m = 1; m <= 4; m++) print > (d "/m" m ".csv"); next }
  { m = substr($2, 6, 2) + 0; if (m <= 4) print > (d "/m" m ".csv") }' "$S"
cat "$TMP/m1.csv" >"$TMP/q1.csv"
tail -n +2 "$TMP/m2.csv" >>"$TMP/q1.csv"
tail -n +2 "$TMP/m3.csv" >>"$TMP/q1.csv"

# What a table says apart from where it came from: the CSV without its
# last column (source), the JSON without source and notes.
strip() {
  case "$1" in
    json) jq -S 'del(.source, .notes)' ;;
    tsv) awk -F '\t' -v OFS='\t' '{ NF--; print }' ;;
    *) sed -E 's/,("[^"]*"|[^,]*)$//' ;;
  esac
}
# same_as_direct FORMAT REGISTERS-PREFIX N MJ-TAB-OPTIONS...: the tables of
# N registers summed equal the table of the registers concatenated.
same_as_direct() {
  fmt=$1 pre=$2 n=$3; shift 3
  ins=""
  for i in $(seq 1 "$n"); do
    mj-tab "$@" --format "$fmt" "$TMP/$pre$i.csv" >"$TMP/$pre$i.tab.$fmt" 2>/dev/null ||
      fail "tables of $pre$i: $*"
    ins="$ins $TMP/$pre$i.tab.$fmt"
  done
  # shellcheck disable=SC2086
  expect_status 0 mj-tab "$@" --format "$fmt" $ins
  strip "$fmt" <"$TMP/out" >"$TMP/summed"
  [ -s "$TMP/summed" ] || fail "no table summed: $*"
  if [ "$pre" = office ]; then all=$TMP/all.csv; else all=$TMP/q1.csv; fi
  mj-tab "$@" --format "$fmt" "$all" 2>/dev/null | strip "$fmt" >"$TMP/direct"
  cmp -s "$TMP/summed" "$TMP/direct" ||
    fail "$fmt $*: the sum of the $pre tables differs from the table of the registers: $(diff "$TMP/summed" "$TMP/direct" | head -5)"
}
for fmt in csv json tsv; do
  same_as_direct "$fmt" office 3 --by violence
  same_as_direct "$fmt" office 3 --by region --cols violence
  same_as_direct "$fmt" office 3 --by place,relationship
done
same_as_direct csv office 3 --by place,relationship --cols outcome
same_as_direct json office 3 --by region,district
# Monthly tables into the quarter: the period is their union.
same_as_direct csv m 3 --by violence
same_as_direct json m 3 --by month --cols channel
mj-tab --by channel --format json "$TMP"/m[123].tab.json >"$TMP/q.json" 2>/dev/null
grep -qF '"period": {"from": "2023-01-01", "to": "2023-03-31"}' "$TMP/q.json" ||
  fail "monthly tables do not make the quarter: $(grep period "$TMP/q.json")"
grep -qF "\"Summed from 3 tables: $TMP/m1.tab.json, $TMP/m2.tab.json, $TMP/m3.tab.json; period 2023-Q1\"" "$TMP/q.json" ||
  fail "the JSON's notes do not name the sources and the period"
# The notes are in the table's language, as its labels are.
for l in "ru|Сумма таблиц (3): $TMP/m1.tab.json" "uz|Jadvallar (3) yigʻindisi: $TMP/m1.tab.json" \
         "uz-Cyrl|Жадваллар (3) йиғиндиси: $TMP/m1.tab.json"; do
  mj-tab --by channel --lang "${l%%|*}" --format text "$TMP"/m[123].tab.json >"$TMP/q.txt" 2>/dev/null
  grep -qF "${l#*|}" "$TMP/q.txt" || fail "--lang ${l%%|*}: the note on the sum is not in its language: $(tail -2 "$TMP/q.txt")"
  grep -q "Summed\|table" "$TMP/q.txt" && fail "--lang ${l%%|*}: English left in the note"
done
grep -qF "\"source\": \"$TMP/m1.tab.json, $TMP/m2.tab.json, $TMP/m3.tab.json\"" "$TMP/q.json" ||
  fail "the JSON's source does not list the tables"
# read, counted and rejected add up; percents are of the sums.
for i in 1 2 3; do mj-tab --by violence --format csv "$TMP/office$i.csv" >"$TMP/t$i.csv" 2>/dev/null; done
expect_status 0 mj-tab --by violence --format csv "$TMP"/t[123].csv
expect_out '_total,Total,10927,100.0,10927,Appeals by type of violence,en,2023-01-01,2023-08-31,,10927,10927,0,0,'
expect_out 'psychological,Psychological,4642,42.5,10927,'
expect_err 'mj-tab: 10927 rows read, 10927 counted, 0 outside the filters, 0 rejected'

# Tables mixed with a register of the same schema.
expect_status 0 mj-tab --by violence --format csv "$TMP/t1.csv" "$TMP/office2.csv" "$TMP/office3.csv"
strip csv <"$TMP/out" >"$TMP/mixed"
mj-tab --by violence --format csv "$TMP/all.csv" 2>/dev/null | strip csv >"$TMP/direct"
cmp -s "$TMP/mixed" "$TMP/direct" || fail "a table and two registers differ from the three registers"
# A table on standard input, among files.
cat "$TMP/t1.csv" | expect_status 0 mj-tab --by violence --format csv - "$TMP/t2.csv" "$TMP/t3.csv"
expect_out '_total,Total,10927,'
expect_out '"<stdin>, '

# Languages: tables in Russian and Uzbek combine by code, labels in --lang.
mj-tab --by violence --lang ru --format csv "$TMP/office1.csv" >"$TMP/ru.csv" 2>/dev/null
mj-tab --by violence --lang uz-Cyrl --format json "$TMP/office2.csv" >"$TMP/uz.json" 2>/dev/null
expect_status 0 mj-tab --by violence --format csv "$TMP/ru.csv" "$TMP/uz.json" "$TMP/t3.csv"
strip csv <"$TMP/out" >"$TMP/langs"
cmp -s "$TMP/langs" "$TMP/direct" || fail "tables in three languages differ from the registers"

# Roll-up: a table with more dimensions than asked collapses to them, and
# equals the table made directly.
rollup() {
  from=$1; shift
  for i in 1 2 3; do
    # shellcheck disable=SC2086
    mj-tab $from --format csv "$TMP/office$i.csv" >"$TMP/r$i.csv" 2>/dev/null
  done
  expect_status 0 mj-tab "$@" --format csv "$TMP"/r[123].csv
  strip csv <"$TMP/out" >"$TMP/summed"
  mj-tab "$@" --format csv "$TMP/all.csv" 2>/dev/null | strip csv >"$TMP/direct"
  cmp -s "$TMP/summed" "$TMP/direct" ||
    fail "roll-up from $from to $*: $(diff "$TMP/summed" "$TMP/direct" | head -5)"
}
rollup "--by region --cols violence" --by violence
rollup "--by region --cols violence" --by violence --cols region
rollup "--by place,relationship" --by place
rollup "--by place,relationship" --by relationship
rollup "--by region,place,relationship" --by place,relationship
rollup "--by place,relationship --cols violence" --by violence
# A dimension the tables lack is refused, naming them.
expect_status 2 mj-tab --by sex --format csv "$TMP/r1.csv" "$TMP/t2.csv"
expect_err "mj-tab: --by sex: 'sex' is not a dimension of $TMP/r1.csv, $TMP/t2.csv ($TMP/r1.csv has place, relationship, violence); a table can be rolled up only to dimensions that every input table has"
expect_status 2 mj-tab --by place --format csv "$TMP/r1.csv" "$TMP/t2.csv"
expect_err "mj-tab: --by place: 'place' is not a dimension of $TMP/t2.csv ($TMP/t2.csv has violence)"
# In Russian, the reason too (it is formatted into the message).
expect_status 2 mj-tab --lang ru --by sex --format csv "$TMP/r1.csv" "$TMP/t2.csv"
expect_err "mj-tab: --by sex: измерения 'sex' нет в $TMP/r1.csv, $TMP/t2.csv (измерения $TMP/r1.csv: place, relationship, violence); таблицу можно свернуть только до измерений, которые есть в каждой входной таблице"
mj-tab --by violence --sum children --format csv "$TMP/office1.csv" >"$TMP/sum1.csv" 2>/dev/null
expect_status 2 mj-tab --lang ru --by violence --format csv "$TMP/sum1.csv"
expect_err "mj-tab: --by violence: $TMP/sum1.csv содержит 'children', а эта таблица складывает 'count' (укажите --sum, чтобы складывать суммы)"
[ ! -s "$TMP/out" ] || fail "a refused sum wrote a table"

# Periods: a gap or an overlap is refused, naming the two tables.
for m in 1 2 3 4; do mj-tab --by violence --format csv "$TMP/m$m.csv" >"$TMP/p$m.csv" 2>/dev/null; done
expect_status 2 mj-tab --by violence --format csv "$TMP/p1.csv" "$TMP/p3.csv"
expect_err "mj-tab: $TMP/p1.csv (2023-01) and $TMP/p3.csv (2023-03): the periods leave a gap (2023-02), and a sum of them would describe no period; give the tables of the missing days too"
mj-tab --by violence --format csv "$TMP/m1.csv" "$TMP/m2.csv" >"$TMP/p12.csv" 2>/dev/null
expect_status 2 mj-tab --by violence --format csv "$TMP/p12.csv" "$TMP/p2.csv" "$TMP/p3.csv"
expect_err "mj-tab: $TMP/p12.csv (2023-01..2023-02) and $TMP/p2.csv (2023-02): the periods overlap, so some days would be counted twice"
# Several registers beside a table are named by their files, in the
# language asked too (no English "the records" inside the sentence).
cp "$TMP/m1.csv" "$TMP/a1.csv"
cp "$TMP/m2.csv" "$TMP/a2.csv"
mj-tab --by violence --format csv "$TMP/a1.csv" "$TMP/a2.csv" >"$TMP/pa12.csv" 2>/dev/null
expect_status 2 mj-tab --lang ru --by violence --format csv "$TMP/pa12.csv" "$TMP/m2.csv" "$TMP/m3.csv"
expect_err "mj-tab: $TMP/pa12.csv (2023-01..2023-02) и $TMP/m2.csv, $TMP/m3.csv (2023-02..2023-03): периоды пересекаются"
# --period must be the union, not a part of it.
expect_status 2 mj-tab --by violence --period 2023-Q1 --format csv "$TMP"/p[1234].csv
expect_err "mj-tab: --period 2023-Q1: the tables given cover 2023-01..2023-04; a table cannot be cut to another period"
expect_status 0 mj-tab --by violence --period 2023-01..2023-04 --format csv "$TMP"/p[1234].csv

# Double counting: the same file, or the same source and period twice.
expect_status 2 mj-tab --by violence --format csv "$TMP/t1.csv" "$TMP/t1.csv"
expect_err "mj-tab: $TMP/t1.csv and $TMP/t1.csv are the same file: its counts would be added twice (--allow-overlap to add them anyway)"
cp "$TMP/t1.csv" "$TMP/t1-again.csv"
expect_status 2 mj-tab --by violence --format csv "$TMP/t1.csv" "$TMP/t1-again.csv"
expect_err "mj-tab: $TMP/t1.csv and $TMP/t1-again.csv both count $TMP/office1.csv over 2023-01..2023-08: its counts would be added twice (--allow-overlap to add them anyway)"
expect_status 2 mj-tab --by violence --format csv "$TMP/t1.csv" "$TMP/office1.csv"
expect_err "mj-tab: $TMP/t1.csv is a table of $TMP/office1.csv, which is given too"
expect_status 0 mj-tab --by violence --allow-overlap --format csv "$TMP/t1.csv" "$TMP/t1-again.csv"
n1=$(grep '^_total' "$TMP/t1.csv" | cut -d, -f3)
expect_out "_total,Total,$((2 * n1)),100.0,"
# Tables that say no period: the messages say so in the language asked,
# with no English phrase formatted into them.
awk -F, -v OFS=, 'NR > 1 { $8 = ""; $9 = "" } 1' "$TMP/t1.csv" >"$TMP/np1.csv"
cp "$TMP/np1.csv" "$TMP/np2.csv"
expect_status 2 mj-tab --by violence --format csv "$TMP/np1.csv" "$TMP/np2.csv"
expect_err "mj-tab: $TMP/np1.csv and $TMP/np2.csv both count $TMP/office1.csv over no period: its counts would be added twice (--allow-overlap to add them anyway)"
expect_status 2 mj-tab --lang ru --by violence --format csv "$TMP/np1.csv" "$TMP/np2.csv"
expect_err "mj-tab: $TMP/np1.csv и $TMP/np2.csv обе учитывают $TMP/office1.csv без указания периода: значения были бы сложены дважды (--allow-overlap, чтобы всё же сложить их)"
expect_status 2 mj-tab --lang ru --by violence --format csv "$TMP/np1.csv" "$TMP/np1.csv"
expect_err "mj-tab: $TMP/np1.csv и $TMP/np1.csv — один и тот же файл: значения были бы сложены дважды"
expect_status 2 mj-tab --lang ru --by violence --period 2023-01 --format csv "$TMP/np1.csv"
expect_err "mj-tab: --period 2023-01: у указанных таблиц нет периода; таблицу нельзя урезать до другого периода"
expect_status 2 mj-tab --lang uz --by violence --format csv "$TMP/np1.csv" "$TMP/np2.csv"
expect_err "manbasini davr koʻrsatilmagan holda hisoblaydi: sonlar ikki marta qoʻshiladi"
expect_status 2 mj-tab --lang uz-Cyrl --by violence --period 2023-01 --format csv "$TMP/np1.csv"
expect_err "mj-tab: --period 2023-01: берилган жадвалларда давр кўрсатилмаган;"

# Tables of another schema are refused, pointing at what is not in it.
mj-tab --schema "$SRC/samples/schema-gbvims.csv" --by incident --format csv \
  "$SRC/samples/gbvims.csv" >"$TMP/gbv.csv" 2>/dev/null
expect_status 2 mj-tab --by violence --format csv "$TMP/gbv.csv" "$TMP/t1.csv"
expect_err "mj-tab: $TMP/gbv.csv:1:15: dimension 'incident' is not in the schema \"Appeals to the Women's Center\": a table of another schema cannot be combined with these inputs"
sed 's/^sexual,Sexual/rape,Rape/' "$TMP/t2.csv" >"$TMP/foreign.csv"
expect_status 2 mj-tab --by violence --format csv "$TMP/t1.csv" "$TMP/foreign.csv"
expect_err "mj-tab: $TMP/foreign.csv:3:1: 'rape' is not a category of violence in the schema"
# Privacy: a "table" by id is no table made by mj-tab; --by id is refused.
printf 'id_code,id,count\nA2023-000001,A2023-000001,1\n_total,Total,1\n' >"$TMP/ids.csv"
expect_status 2 mj-tab --by violence --format csv "$TMP/ids.csv"
expect_err "mj-tab: $TMP/ids.csv:1:9: 'id' is never a dimension of a table"
expect_no A2023-000001 "$TMP/out"
expect_status 2 mj-tab --by id --format csv "$TMP/t1.csv"
expect_no A2023 "$TMP/out"
# Options that choose records do not apply to tables.
expect_status 2 mj-tab --by violence --where sex=female --format csv "$TMP/t1.csv"
expect_err "mj-tab: $TMP/t1.csv: --where cannot be applied to a table"

# Hidden cells: a sum that includes one is hidden as "x" (its value is not
# known; "<N" would claim a small count), and a note counts them.
for i in 1 2 3; do
  mj-tab --by place,relationship --min-cell 20 --format csv "$TMP/office$i.csv" >"$TMP/h$i.csv" 2>/dev/null
done
grep -q ',<20,' "$TMP/h1.csv" || fail "the test's input has no hidden cell"
hidden_in=$(cat "$TMP"/h[123].csv | grep -c ',1,\(<20\|x\),')
expect_status 0 mj-tab --by place,relationship --format csv "$TMP"/h[123].csv
expect_out 'workplace,At work,employer,Employer and employee,,,,1,x,'
expect_out 'public,Public place,abroad,Another state,,,,1,x,'
expect_out 'domestic,Domestic,spouse,Husband and wife,5535,'
expect_out 'workplace,At work,_total,Total,76,'
expect_no '<20' "$TMP/out"
expect_status 0 mj-tab --by place,relationship --format json "$TMP"/h[123].csv
expect_out "\"$hidden_in cells of the tables summed were hidden where they were made; every sum that includes one is hidden too (x): its value is not known, and none is guessed\""
expect_out '"hidden": [null]'
expect_out '"hidden": ["complementary"]'
# A roll-up that adds a hidden cell is hidden; one that does not is exact.
expect_status 0 mj-tab --by relationship --format csv "$TMP"/h[123].csv
expect_out 'employer,Employer and employee,,,,1,x,'
expect_out 'spouse,Husband and wife,5535,'
expect_status 0 mj-tab --by place --format csv "$TMP"/h[123].csv
expect_out 'workplace,At work,76,'

# The other programs read tables the same way.
for i in 1 2 3; do
  mj-tab --by region --cols violence --format csv "$TMP/office$i.csv" >"$TMP/r$i.csv" 2>/dev/null
done
expect_status 0 mj-xlsx --by region --cols violence -o "$TMP/sum.xlsx" "$TMP"/r[123].csv
$PY - "$TMP/sum.xlsx" <<'EOF' || fail "the workbook of summed tables"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
ws = wb.worksheets[0]
cells = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
assert 10927 in cells, "no grand total 10927"
about = wb["About"]
text = " ".join(str(c.value) for row in about.iter_rows() for c in row if c.value)
assert "Summed from 3 tables:" in text and "r3.csv; period 2023-01..2023-08" in text, text
assert "Records read 10927" in text, text
EOF
expect_status 0 mj-chart hbar --by violence -o "$TMP/v.svg" "$TMP"/r[123].csv
grep -q 'Psychological' "$TMP/v.svg" || fail "the chart of summed tables has no category"
expect_status 0 mj-report -o "$TMP/rep" "$TMP"/r[123].csv
expect_err 'mj-report: note: not available from these inputs (the tables lack their dimensions): group, place, age, channel, outcome, children, outcome-group, months'
tr '\n' ' ' <"$TMP/rep/summary.txt" | grep -q 'Not available from these inputs (tables without their dimensions): group, place, age, channel, outcome, children, outcome-group, months\.' ||
  fail "the summary does not list the sections not made"
grep -q 'Appeals by type of violence: 10,927 in total' "$TMP/rep/summary.txt" ||
  fail "the summary lacks the violence section"
[ -f "$TMP/rep/charts/region-violence.svg" ] || fail "no cross-tab chart from the tables"
[ ! -e "$TMP/rep/charts/months.svg" ] || fail "a chart of months that the tables do not have"
# A table's labels and title reach charts and workbooks: bytes that are
# not UTF-8 (a table saved in CP1251, a damaged file) are refused with
# where they are, by every program that reads tables, and nothing is written.
mj-tab --by region --format csv "$S" 2>/dev/null |
  sed '3s/Andijan region/Andi\xffjan region/' >"$TMP/bad-utf8.csv"
# The same status (2, a file refused as a whole) from every program.
for prog in "2 mj-tab --by region" "2 mj-chart bar -o $TMP/bad.png" "2 mj-xlsx -o $TMP/bad.xlsx"; do
  expect_status $prog "$TMP/bad-utf8.csv"
  expect_err "bad-utf8.csv:3:"
  expect_err "not UTF-8 text"
done
[ ! -e "$TMP/bad.png" ] || fail "mj-chart wrote a chart of a table that is not UTF-8"
[ ! -e "$TMP/bad.xlsx" ] || fail "mj-xlsx wrote a workbook of a table that is not UTF-8"
finish

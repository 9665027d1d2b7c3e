# mj-report: the 2023 sample gives the published figures in the summary, the
# PDF and the workbook; reruns are byte-identical; failures leave a previous
# report folder as it was.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv
PY=/usr/bin/python3

expect_status 0 mj-report --quiet -o "$TMP/r1" "$S"
[ -s "$TMP/err" ] && fail "--quiet run wrote to stderr: $(head -c 200 "$TMP/err")"
for f in summary.md summary.txt report.xlsx report.pdf report.html; do
  [ -s "$TMP/r1/$f" ] || fail "report lacks $f"
done
# n is a number of appeals, on the page of a sum (of children) too.
grep -q "Children placed, by outcome\. 2023-01-01 – 2023-08-31 · n = 10,927 ·" "$TMP/r1/report.html" ||
  fail "the children page's n is not the appeals counted"
grep -q "n = 604 " "$TMP/r1/report.html" && fail "the children placed called n"
# The published figures, whole: the text keeps "70 (0.6%)" on one line;
# phrases are looked for in the text with its lines joined.
tr '\n' ' ' <"$TMP/r1/summary.txt" >"$TMP/txt1"
tr '\n' ' ' <"$TMP/r1/summary.md" >"$TMP/md1"
for v in "10,696 (97.9%)" "70 (0.6%)" "161 (1.5%)"; do
  grep -qF -- "$v" "$TMP/r1/summary.txt" || fail "summary.txt breaks a line in: $v"
done
for v in "10,927" "10,696 (97.9%)" "70 (0.6%)" "161 (1.5%)" "2,709 (24.8%)" \
         "114 (1.0%)" "4,642 (42.5%)" "1,062 (9.7%)" "2,400 (22.0%)" \
         "Surkhandarya region 899 (8.2%)" "Tashkent city 1,046 (9.6%)" \
         "domestic 7,362 (67.4%)" "husband and wife 5,535 (50.7%)" \
         "not stated 2,293 (21.0%)" "700 women were placed in the centre with 604 children" \
         "10,927 rows read, 10,927 counted, 0 outside the period or filters, 0 rejected"; do
  grep -qF -- "$v" "$TMP/txt1" || fail "summary.txt lacks: $v"
  grep -qF -- "$v" "$TMP/md1" || fail "summary.md lacks: $v"
done
head -1 "$TMP/r1/summary.md" | grep -q '^# Report on appeals, 2023-01-01 – 2023-08-31$' ||
  fail "summary.md title: $(head -1 "$TMP/r1/summary.md")"
# Numbers agree with mj-tab's.
mj-tab --format csv --by region "$S" 2>/dev/null | grep '^UZ-JI' | grep -q ',979,9.0\(,\|$\)' ||
  fail "mj-tab disagrees on Jizzakh"
grep -qF "Jizzakh region 979 (9.0%)" "$TMP/txt1" || fail "summary: Jizzakh 979 (9.0%)"

# The PDF: key figures, tables and the method page as text.
if command -v pdftotext >/dev/null; then
  pdftotext -layout "$TMP/r1/report.pdf" "$TMP/pdf.txt" || fail "pdftotext failed"
  for v in "10,927" "10,696" "(97.9%)" "2,709" "4,642" "Surkhandarya region" "899" \
           "5,535" "Page 1 of" "data up to 2023-08-31" "10,927 rows read"; do
    grep -qF -- "$v" "$TMP/pdf.txt" || fail "report.pdf lacks: $v"
  done
  pdfinfo "$TMP/r1/report.pdf" | grep -q "^Page size: *595.276 x 841.89 pts (A4)" ||
    fail "report.pdf is not A4: $(pdfinfo "$TMP/r1/report.pdf" | grep 'Page size')"
fi

# The workbook opens in an independent reader and holds the counts.
if [ -x "$PY" ] && "$PY" -c 'import openpyxl' 2>/dev/null; then
  "$PY" - "$TMP/r1/report.xlsx" <<'PYEOF' || fail "report.xlsx: openpyxl check failed"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
names = wb.sheetnames
assert len(names) >= 11, names
assert any(n.startswith("About") for n in names), names
vals = set()
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        for v in row:
            vals.add(v)
for want in (10927, 10696, 2709, 899, 5535, 604, 700):
    assert want in vals, want
PYEOF
fi

# Same input, same options: the same bytes, file for file.
expect_status 0 mj-report --quiet -o "$TMP/r2" "$S"
diff -r "$TMP/r1" "$TMP/r2" >/dev/null || fail "rerun differs: $(diff -rq "$TMP/r1" "$TMP/r2" | head -3)"

# Replacing a previous report; a failing run leaves it intact.
expect_status 0 mj-report --quiet --month 2023-08 -o "$TMP/r1" "$S"
grep -qF "2023-08-01 – 2023-08-31" "$TMP/r1/summary.md" || fail "--month 2023-08 not in title"
cp -r "$TMP/r1" "$TMP/keep"
expect_status 2 mj-report --quiet -o "$TMP/r1" "$TMP/missing.csv"
expect_err "missing.csv"
expect_err "No such file or directory"
diff -r "$TMP/r1" "$TMP/keep" >/dev/null || fail "a failed run changed the previous report"
ls -d "$TMP"/r1.tmp* >/dev/null 2>&1 && fail "a failed run left a temporary folder"

# A folder that is not a report is never replaced.
mkdir "$TMP/home" && echo precious >"$TMP/home/notes.txt"
expect_status 2 mj-report --quiet -o "$TMP/home" "$S"
expect_err "notes.txt"
[ "$(cat "$TMP/home/notes.txt")" = precious ] || fail "a foreign folder was touched"
echo x >"$TMP/file"
expect_status 2 mj-report --quiet -o "$TMP/file" "$S"
expect_err "is not a folder"

# Rejected rows: listed by line, counted, the report still made (exit 1);
# --strict makes them fatal and writes nothing.
{ head -3 "$S"; echo "X1,2023-08-02,hotline,Atlantis,,female,30,physical,domestic,spouse,referral,0"; } >"$TMP/bad.csv"
expect_status 1 mj-report -o "$TMP/bad" "$TMP/bad.csv"
expect_err "bad.csv:4:"
expect_err "1 rejected"
tr '\n' ' ' <"$TMP/bad/summary.txt" | grep -qF "3 rows read, 2 counted, 0 outside the period or filters, 1 rejected" ||
  fail "summary does not count the rejected row"
expect_status 1 mj-report --strict -o "$TMP/strict" "$TMP/bad.csv"
[ -e "$TMP/strict" ] && fail "--strict with a rejected row wrote a report"

# Languages: Russian text and number format.
expect_status 0 mj-report --quiet --lang ru -o "$TMP/ru" "$S"
grep -qF "$(printf '10\302\240927')" "$TMP/ru/summary.txt" || fail "ru summary lacks 10 927"
# Russian and Uzbek put a no-break space before "%" (as the charts do).
grep -qF "$(printf '10\302\240696 (97,9\302\240%%) — женщины')" "$TMP/ru/summary.txt" || fail "ru: women"

expect_status 0 mj-report --quiet --lang uz -o "$TMP/uz" "$S"
tr '\n' ' ' <"$TMP/uz/summary.txt" | grep -qF "$(printf 'shundan ayollar — 10\302\240696 (97,9\302\240%%)')" || fail "uz: women"
tr '\n' ' ' <"$TMP/uz/summary.txt" | grep -qF "$(printf 'Markazga 700\302\240nafar ayol 604\302\240nafar bolasi bilan joylashtirildi')" || fail "uz: shelter"
expect_status 0 mj-report --quiet --lang uz-Cyrl -o "$TMP/uzc" "$S"
grep -qF "Жами" "$TMP/uzc/summary.txt" || fail "uz-Cyrl: no Жами"

# Suppression: small counts shown as <N in the summary, and said so.
expect_status 0 mj-report --quiet --min-cell 20 -o "$TMP/mc" "$S"
tr '\n' ' ' <"$TMP/mc/summary.txt" >"$TMP/mc.txt"
grep -qF "between co-workers <20" "$TMP/mc.txt" || fail "--min-cell 20: co-workers not suppressed"
grep -qF "Counts from 1 to 19 are shown as <20. Cells hidden only so that those counts cannot be worked out from totals are shown as x" "$TMP/mc.txt" || fail "--min-cell 20: no method note"
grep -qF "between co-workers 12" "$TMP/mc.txt" && fail "--min-cell 20: 12 shown"

# Charts: PNG and SVG of every breakdown.
for c in group violence regions regions-map place age channel outcome children \
         outcome-group months region-violence; do
  [ -s "$TMP/r1/charts/$c.png" ] || fail "no charts/$c.png"
  [ -s "$TMP/r1/charts/$c.svg" ] || fail "no charts/$c.svg"
done
head -c 8 "$TMP/r1/charts/regions.png" | od -An -tx1 | grep -q "89 50 4e 47" || fail "regions.png is not a PNG"

# A period with no records: a report that says so, with no charts.
expect_status 0 mj-report --quiet --month 2024-01 -o "$TMP/empty" "$S"
grep -qF "No appeals were counted in this period." "$TMP/empty/summary.txt" || fail "empty period not said"
grep -qF "By region: ." "$TMP/empty/summary.txt" && fail "empty period: empty list sentence"
[ -z "$(ls "$TMP/empty/charts")" ] || fail "empty period: charts of nothing"

# Usage errors.
expect_status 2 mj-report "$S"
expect_err "-o OUTDIR"
expect_status 2 mj-report -o "$TMP/x" --by region "$S"

# Comparison with the month before, on a two-month file counted by hand:
# July 6 appeals (Tashkent city 4, Bukhara 2), August 8 (Tashkent city 5,
# Bukhara 2, Navoi 1): +2 in total, Tashkent city +1, Navoi +1, Bukhara
# unchanged; equal changes in table order. Every base is under 20, so each
# change is a count only (as in the trend), and every one is within chance.
{
  echo "id,date,channel,region,district,sex,age,violence,place,relationship,outcome,children"
  for i in 1 2 3 4; do echo "J$i,2023-07-0$i,hotline,UZ-TK,,female,30,physical,domestic,spouse,referral,0"; done
  for i in 5 6; do echo "J$i,2023-07-1$i,office,UZ-BU,,female,40,psychological,domestic,spouse,consultation,0"; done
  for i in 1 2 3 4 5; do echo "A$i,2023-08-0$i,hotline,UZ-TK,,female,30,physical,domestic,spouse,referral,0"; done
  for i in 6 7; do echo "A$i,2023-08-1$i,office,UZ-BU,,female,40,psychological,domestic,spouse,consultation,0"; done
  echo "A8,2023-08-20,office,UZ-NW,,female,50,economic,domestic,spouse,shelter,2"
} >"$TMP/two.csv"
expect_status 0 mj-report --quiet --month 2023-08 --compare previous -o "$TMP/cmp" "$TMP/two.csv"
tr '\n' ' ' <"$TMP/cmp/summary.txt" | tr -s ' ' >"$TMP/cmp.txt"
for v in "In total, 8 appeals were counted (+2 compared with July 2023: 6, within chance)" \
         "Changes compared with July 2023: rises: Navoi region +1 and Tashkent city +1, all within chance." \
         "rises: physical +1 and economic +1, all within chance." \
         "a change on a base under 20 is given as a count only." \
         "Changes are against 2023-07-01 to 2023-07-31 (6 counted)"; do
  grep -qF -- "$v" "$TMP/cmp.txt" || fail "--compare summary lacks: $v"
done
grep -qF "Bukhara region +" "$TMP/cmp.txt" && fail "--compare: unchanged Bukhara named as a change"
if command -v pdftotext >/dev/null; then
  pdftotext -layout "$TMP/cmp/report.pdf" "$TMP/cmp-pdf.txt" || fail "pdftotext failed"
  grep -qF "+5.9%" "$TMP/cmp-pdf.txt" && fail "pdf of the two-month file holds a figure of the sample"
  grep -E "^ *Tashkent city +5 +62\.5 +4 +\+1 ≈$" "$TMP/cmp-pdf.txt" >/dev/null ||
    fail "--compare: the PDF's region table lacks Tashkent city 5, 62.5, 4, +1 ≈"
  grep -E "\+25\.0%|\+33\.3%" "$TMP/cmp-pdf.txt" && fail "--compare: a percent change on a base under 20"
  # The key figure's label takes two lines of its box: read in text order.
  pdftotext "$TMP/cmp/report.pdf" - | tr '\n' ' ' | tr -s ' ' >"$TMP/cmp-pdf-flat.txt"
  grep -qF "appeals · +2 compared with July 2023" "$TMP/cmp-pdf-flat.txt" || fail "--compare: key figure lacks the change"
fi
# The same on the sample agrees with mj-tab --compare, cell for cell.
expect_status 0 mj-report --quiet --month 2023-08 --compare previous -o "$TMP/cmp8" "$S"
tr '\n' ' ' <"$TMP/cmp8/summary.txt" | tr -s ' ' >"$TMP/cmp8.txt"
mj-tab --format csv --by region --period 2023-08 --compare previous "$S" 2>/dev/null >"$TMP/cmp8.csv"
grep -q '^UZ-BU,Bukhara region,124,8.0,1557,96,28,29.2,,Appeals by region,' "$TMP/cmp8.csv" || fail "mj-tab --compare: Bukhara"
# p = 0.07 and 0.11: rises within chance, and said so.
grep -qF "Bukhara region +28 (+29.2%), Namangan region +23 (+28.4%) and Tashkent city +19 (+14.5%), all within chance;" "$TMP/cmp8.txt" ||
  fail "--compare summary: Bukhara +28 (+29.2%) ... all within chance"
grep -qF "60+ — +18 (+26.9%; within chance)" "$TMP/cmp8.txt" || fail "--compare summary: 60+ within chance"
# "Not stated" is no category among the rises, but its change beyond
# chance (+52 on 284, p < 0.05) is said after them; the age's (+4 on 18)
# is within chance and is not.
grep -qF "falls: at work −2 (within chance); not stated: +52 (+18.3%)." "$TMP/cmp8.txt" ||
  fail "--compare summary: the change of 'not stated' beyond chance"
grep -qF "not stated: +4" "$TMP/cmp8.txt" && fail "--compare summary: a change of 'not stated' within chance said"
# The method says the test and the rule of small bases once, the trend's
# changes tied to them.
[ "$(grep -o "base under 20 is given as a count only" "$TMP/cmp8.txt" | wc -l)" = 1 ] ||
  fail "--compare method: the rule of small bases said more than once"
grep -qF "a year earlier are tested in the same way." "$TMP/cmp8.txt" ||
  fail "--compare method: the trend's changes"
# p = 0.01: a real change, not so qualified.
grep -qF "placed in the centre +35 (+48.6%)" "$TMP/cmp8.txt" || fail "--compare summary: placed +35 (+48.6%)"
mj-tab --format csv --by group --period 2023-07 "$S" 2>/dev/null | grep -q '^_total,.*,1470,' ||
  fail "mj-tab: July total is not 1470"
# The total's change is within chance (p = 0.12), and its key figure and
# sentence say so, as the trend's do.
grep -qF "In total, 1,557 appeals were counted (+5.9% compared with July 2023: 1,470, within chance)" "$TMP/cmp8.txt" ||
  fail "--compare summary: total change"
if command -v pdftotext >/dev/null; then
  pdftotext "$TMP/cmp8/report.pdf" - | tr '\n' ' ' | tr -s ' ' |
    grep -qF "appeals · +5.9% compared with July 2023 · within chance" || fail "--compare key figure: within chance"
  # Every table that marks a change ≈ says what ≈ is under it, not only
  # the trend's: the group's (Women +6.2% ≈) and six more.
  [ "$(pdftotext "$TMP/cmp8/report.pdf" - | grep -c '^≈ within chance (p ≥ 0.05)')" = 8 ] ||
    fail "--compare: the ≈ legend is not under each table that shows it"
fi
[ "$(grep -o '≈ within chance (p ≥ 0.05)' "$TMP/cmp8/report.html" | wc -l)" = 8 ] ||
  fail "--compare web page: the ≈ legend is not under each table that shows it"
# The change against July is the total's key figure: no second box says
# it again ("+87 · +5.9% compared with July 2023"); the method lists the
# tables in the order of the pages, the trend's first;
# the children's table heads its column with what it sums.
if command -v pdftotext >/dev/null; then
  pdftotext "$TMP/cmp8/report.pdf" "$TMP/cmp8.pdf.txt"
  [ "$(grep -c 'compared with July 2023' "$TMP/cmp8.pdf.txt" | head -1)" -ge 1 ] || fail "--compare: no key figure"
  sed -n '1,/^In total/p' "$TMP/cmp8.pdf.txt" | grep -qx '+87' && fail "--compare: the change against July said by two key figures"
  tr '\n' ' ' <"$TMP/cmp8.pdf.txt" | tr -s ' ' |
    grep -qF "Tables: Appeals by month, January–August 2023; Appeals by group;" ||
    fail "method: the tables in the order of the pages (the mix by month is a chart)"
  grep -qF "Children placed" "$TMP/cmp8.pdf.txt" || fail "children's table: the column of what it sums"
fi
grep -q '<th scope="col">Children placed</th>' "$TMP/cmp8/report.html" ||
  fail "web page: the children's table heads its column with what it sums"
# No change on a base of 21 (men, July 21, August 21) is within chance as
# a change is: marked ≈ too; two zeros are no comparison, unmarked.
grep -qE '<td>±0\.0% ≈</td>' "$TMP/cmp8/report.html" || fail "web page: ±0.0% on 21 is not marked ≈"
tr -d '\n' <"$TMP/cmp8/report.html" | grep -qF 'Boys under 18</th><td>0</td><td>0.0</td><td>0</td><td>±0</td>' ||
  fail "web page: ±0 on 0 and 0 marked ≈"
expect_status 0 mj-report --quiet --lang ru --month 2023-08 --compare previous -o "$TMP/cmp-ru" "$S"
tr '\n' ' ' <"$TMP/cmp-ru/summary.txt" | tr -s ' ' | grep -qF "$(printf '1\302\240557 (+5,9\302\240%% к\302\240июлю 2023\302\240г.: 1\302\240470, в пределах случайных колебаний)')" ||
  fail "ru --compare: total change"
# A real change is not so qualified; on a base under 20 it is a count.
# (August 2022: nine rows in ten of August 2023, 1,401 appeals; p < 0.01.)
awk -F, -v OFS=, 'NR == 1 { print; next } { print }
  $2 ~ /^2023-08/ && NR % 10 != 0 { $1 = "P" $1; sub(/^2023/, "2022", $2); print }' "$S" >"$TMP/year.csv"
expect_status 0 mj-report --quiet --month 2023-08 --compare year -o "$TMP/cmp-y" "$TMP/year.csv"
tr '\n' ' ' <"$TMP/cmp-y/summary.txt" | tr -s ' ' |
  grep -qF "In total, 1,557 appeals were counted (+11.1% compared with August 2022: 1,401), of which" ||
  fail "--compare year: total change"
expect_status 0 mj-report --quiet --month 2023-08 --compare previous --where group=girl -o "$TMP/cmp-g" "$S"
tr '\n' ' ' <"$TMP/cmp-g/summary.txt" | tr -s ' ' | grep -qF "(−2 compared with July 2023: 8, within chance)" ||
  fail "--compare: total change on a base under 20"
expect_status 0 mj-report --quiet --lang uz --month 2023-08 --compare previous -o "$TMP/cmp-uz" "$S"
tr '\n' ' ' <"$TMP/cmp-uz/summary.txt" | tr -s ' ' | grep -qF "$(printf '2023-yil\302\240iyul oyiga nisbatan +5,9\302\240%%')" ||
  fail "uz --compare previous: phrase"
# A label ending in a digit takes a mark other than the one that opens the
# list of changes: "рост — 30–44: +82", "rises: 30–44 — +82".
tr '\n' ' ' <"$TMP/cmp-ru/summary.txt" | tr -s ' ' | grep -qF "рост — 30–44: +82" ||
  fail "ru --compare: the mark after 30–44 in the list of changes"
tr '\n' ' ' <"$TMP/cmp8.txt" | tr -s ' ' | grep -qF "rises: 30–44 — +82" ||
  fail "--compare: the mark after 30–44 in the list of changes"
expect_status 0 mj-report --quiet --lang ru --period 2023-04..2023-05 --compare 2023-01..2023-02 -o "$TMP/cmp-ru2" "$S"
tr '\n' ' ' <"$TMP/cmp-ru2/summary.txt" | tr -s ' ' | grep -qF "$(printf 'к\302\240январю–февралю 2023\302\240г.')" ||
  fail "ru --compare of months: phrase"
# Rerun of a comparison: the same bytes.
expect_status 0 mj-report --quiet --month 2023-08 --compare previous -o "$TMP/cmp8b" "$S"
diff -r "$TMP/cmp8" "$TMP/cmp8b" >/dev/null || fail "--compare rerun differs"
# A compared period with no records: a note, and no changes claimed.
expect_status 0 mj-report --period 2023-Q2 --compare year -o "$TMP/cmp-none" "$S"
expect_err "note: the compared period 2022-Q2 counts no records"
tr '\n' ' ' <"$TMP/cmp-none/summary.txt" | tr -s ' ' >"$TMP/cmp-none.txt"
grep -qF "No records were counted in the period compared with (2022-Q2), so no changes are shown." "$TMP/cmp-none.txt" ||
  fail "--compare with an empty period: not said"
grep -qE "rises|compared with Q2 2022" "$TMP/cmp-none.txt" && fail "--compare with an empty period: changes claimed"
# Categories with none in either period say nothing; "no change" is never
# said of changes that were only hidden.
expect_status 0 mj-report --quiet --month 2023-08 --compare previous --min-cell 3 -o "$TMP/cmp-mc" "$TMP/two.csv"
grep -qF "no change" "$TMP/cmp-mc/summary.txt" && fail "--compare --min-cell: \"no change\" of hidden changes"
# Periods that share days are no comparison; a forgotten value is named.
expect_status 2 mj-report --quiet --month 2023-08 --compare 2023-07..2023-09 -o "$TMP/x" "$S"
expect_err "shares days with --period 2023-08"
# A period of another length is no comparison: August against the second
# quarter said "−62.8%" and "the largest falls", of one month against three.
expect_status 2 mj-report --quiet --month 2023-08 --compare 2023-Q2 -o "$TMP/x" "$S"
expect_err "--compare 2023-Q2: the period 2023-Q2 is not as long as --period 2023-08, and a longer period counts more"
[ -e "$TMP/x" ] && fail "--compare of another length: a report was written"
expect_status 2 mj-tab --by region --period 2023-08 --compare 2023-06..2023-07 "$S"
expect_err "is not as long as --period 2023-08"
expect_status 0 mj-tab --format csv --by region --period 2023-Q2 --compare 2023-Q1 "$S"
expect_status 0 mj-tab --format csv --by region --period 2023-02 --compare 2023-08 "$S"
expect_status 2 mj-report --quiet --month 2023-08 --compare -o "$TMP/x" "$S"
expect_err "--compare: expected previous, year or a period (e.g. 2023-07), got \"-o\""
expect_status 2 mj-report --quiet --compare previous -o "$TMP/x" "$S"
expect_err "--compare needs the period"
expect_status 2 mj-report --quiet --month 2023-08 --compare soon -o "$TMP/x" "$S"
expect_err "expected previous, year or a period"
[ -e "$TMP/x" ] && fail "a usage error wrote a report"

# Statistics in the report agree with mj-tab's: intervals and rates beside
# the region table, the test under the region × violence cross-tab. The
# population file is made up, for tests only.
POP=$SRC/tests/data/population-test.csv
expect_status 0 mj-report --quiet --month 2023-08 --ci 95 --test --rate-per 100000 \
  --population "$POP" -o "$TMP/st" "$S"
mj-tab --format csv --by region --period 2023-08 --ci 95 --rate-per 100000 --population "$POP" "$S" \
  2>/dev/null | grep '^UZ-BU,' >"$TMP/st-bu.csv"
grep -q '^UZ-BU,Bukhara region,124,8.0,1557,6.7,9.4,1000000,,12.40,,Appeals by region,' "$TMP/st-bu.csv" ||
  fail "mj-tab --ci/--rate-per: Bukhara is $(cat "$TMP/st-bu.csv")"
mj-tab --format csv --by region --cols violence --period 2023-08 --test "$S" 2>"$TMP/st-test" >/dev/null
grep -qF "Pearson chi2(52) =  71.2630   Pr = 0.039" "$TMP/st-test" || fail "mj-tab --test: $(head -2 "$TMP/st-test")"
if command -v pdftotext >/dev/null; then
  pdftotext -layout "$TMP/st/report.pdf" "$TMP/st.txt" || fail "pdftotext failed"
  grep -E "^ *Bukhara region +124 +8\.0 +6\.7–9\.4 +12\.40$" "$TMP/st.txt" >/dev/null ||
    fail "report --ci/--rate-per: the PDF's Bukhara row is $(grep -m1 '^ *Bukhara region  ' "$TMP/st.txt")"
  grep -qF "95% CI" "$TMP/st.txt" || fail "report --ci: no interval heading"
  grep -qF "Pearson chi2(52) = 71.2630 Pr = 0.039" "$TMP/st.txt" || fail "report --test: no test under the cross-tab"
  grep -qF "Cramér's V = 0.1070" "$TMP/st.txt" || fail "report --test: no Cramér's V"
fi
# A suppressed count keeps its interval and rate to itself.
expect_status 0 mj-report --quiet --month 2023-08 --min-cell 5 --ci 95 --rate-per 100000 \
  --population "$POP" -o "$TMP/st5" "$S"
if command -v pdftotext >/dev/null; then
  pdftotext -layout "$TMP/st5/report.pdf" "$TMP/st5.txt" || fail "pdftotext failed"
  grep -E "^ *From a higher organization +<5 *$" "$TMP/st5.txt" >/dev/null ||
    fail "--min-cell 5 --ci: the suppressed row shows more than <5: $(grep 'higher organization' "$TMP/st5.txt")"
  grep -E "^ *Employer and employee +x *$" "$TMP/st5.txt" >/dev/null ||
    fail "--min-cell 5 --ci: the complementary suppressed row shows more than x: $(grep 'Employer and' "$TMP/st5.txt")"
  grep -E "^ *District or mahalla +35 +2\.2 +1\.6–3\.1 *$" "$TMP/st5.txt" >/dev/null ||
    fail "--min-cell 5 --ci: a shown row lacks its interval: $(grep "District or" "$TMP/st5.txt")"
fi
# The workbook holds the same statistics: interval and comparison columns
# beside the region table, the test under the cross-tab.
expect_status 0 mj-report --quiet --month 2023-08 --compare previous --ci 95 --test -o "$TMP/stx" "$S"
if [ -x "$PY" ] && "$PY" -c 'import openpyxl' 2>/dev/null; then
  "$PY" - "$TMP/stx/report.xlsx" <<'PYEOF' || fail "report.xlsx with statistics: openpyxl check failed"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Region"]
rows = list(ws.iter_rows(values_only=True))
head = next(r for r in rows if r and r[0] == "Region")
assert list(head[:8]) == ["Region", "Count", "%", "95% CI low", "95% CI high",
                          "Compared", "Change", "Change %"], head
bu = next(r for r in rows if r and r[0] == "Bukhara region")
assert bu[1] == 124 and bu[5] == 96, bu          # mj-tab --compare: 124, 96
assert round(bu[3] * 100, 1) == 6.7 and round(bu[4] * 100, 1) == 9.4, bu
cells = [c for r in wb["Region × Type of violence"].iter_rows(values_only=True) for c in r]
i = cells.index("Pearson chi2")
assert abs(cells[i + 1] - 71.2630) < 1e-4, cells[i + 1]
assert 52 in cells and "Cramér's V" in cells
PYEOF
fi

# The bar charts draw the intervals as whiskers; a sum and a donut do not.
grep -qF "Whiskers: 95% confidence interval (Wilson)" "$TMP/st/charts/regions.svg" ||
  fail "report --ci: the region bars have no whiskers"
grep -qF "Whiskers" "$TMP/st/charts/children.svg" && fail "report --ci: whiskers on a sum"
grep -qF "Whiskers" "$TMP/cmp8/charts/regions.svg" && fail "report without --ci: whiskers"
expect_status 2 mj-report --quiet --rate-per 100000 -o "$TMP/x" "$S"
expect_err "--rate-per needs --population"
expect_status 2 mj-report --quiet --ci 101 -o "$TMP/x" "$S"
expect_err "--ci: expected a confidence level"

# Standard input: copied aside and read as often as needed; problems are
# named <stdin>, and the report equals the one made from the file.
expect_status 0 mj-report --quiet --month 2023-08 --compare previous -o "$TMP/cmp-in" - <"$TMP/two.csv"
diff "$TMP/cmp/summary.md" "$TMP/cmp-in/summary.md" | grep -v 'two.csv\|<stdin>' | grep -q '^[<>]' &&
  fail "the report from stdin differs from the file's"
grep -qF "Source: <stdin>." "$TMP/cmp-in/summary.md" || fail "stdin report does not name <stdin>"
grep -qrF "/proc/self" "$TMP/cmp-in" && fail "the report names the temporary copy of stdin"
# An empty input is said once.
expect_status 2 mj-report -o "$TMP/empty-in" </dev/null
[ "$(grep -c "file is empty" "$TMP/err")" -eq 1 ] || fail "empty stdin: the error is not said once: $(cat "$TMP/err")"
expect_status 1 mj-report -o "$TMP/bad-in" <"$TMP/bad.csv"
expect_err "<stdin>:4:"
expect_no "/proc/self" "$TMP/err"
expect_status 0 mj-report --help
expect_out "usage: mj-report"
# A register larger than the sample (60,000 appeals: counts of five
# digits) still makes the whole report: a bar whose count is wider than
# its band is drawn without its value label (the table beside has it),
# never a failed report.
mj-synth --rows 60000 --seed 1 "$SRC/samples/appeals-2023.spec" >"$TMP/big.csv" 2>/dev/null ||
  fail "mj-synth of 60,000 rows"
expect_status 0 mj-report --quiet -o "$TMP/big" "$TMP/big.csv"
[ -f "$TMP/big/report.pdf" ] || fail "no report of 60,000 appeals"
# Months that tie for the most or the fewest are named together: one of
# them alone ("the most appeals came in January 2023 (3)") said more than
# is true.
{ echo "id,date,region"
  for d in 2023-01-0{1,2,3} 2023-02-0{1,2,3} 2023-03-0{1,2,3} 2023-04-01; do echo "T$d,$d,UZ-TK"; done; } >"$TMP/tie.csv"
expect_status 0 mj-report --quiet -o "$TMP/tie" "$TMP/tie.csv"
tr '\n' ' ' <"$TMP/tie/summary.txt" | tr -s ' ' >"$TMP/tie.txt"
grep -qF "the most appeals came in January 2023, February 2023 and March 2023 (3) and the fewest in April 2023 (1)." "$TMP/tie.txt" ||
  fail "tied months: $(grep -o 'By month[^.]*' "$TMP/tie.txt")"
finish

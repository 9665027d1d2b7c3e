# Report sections with the pivot keys of mj-tab: nested columns
# (cols=A,B), what the cells show (show=) and layers (layer=), in the PDF
# (read back with pdftotext), the web page and the workbook; the figures
# checked against an independent count of the sample with Python; and
# the schema errors of the new keys.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv
PY=/usr/bin/python3
expect_status 0 mj-report --quiet --schema "$SRC/tests/data/schema-pivot.csv" -o "$TMP/r" "$S"
pdftotext -layout "$TMP/r/report.pdf" "$TMP/r.txt" || fail "pdftotext"
words() { tr -s ' ' <"$TMP/r.txt"; }

# The independent figures: outcome x sex per channel (row percents and
# counts), and region x channel x outcome row percents.
$PY - "$S" >"$TMP/indep" <<'PYEOF'
import csv, sys
from collections import Counter
c, reg = Counter(), Counter()
for r in csv.DictReader(open(sys.argv[1], encoding='utf-8-sig')):
    c[(r['channel'], r['outcome'], r['sex'])] += 1
    c[(r['channel'], r['outcome'], '')] += 1
    c[('', r['outcome'], r['sex'])] += 1
    c[('', r['outcome'], '')] += 1
    c[(r['region'], r['channel'], r['outcome'])] += 1
    reg[r['region']] += 1
def pct(a, b):
    return '%.1f' % (100 * a / b)
ch = ('hotline', 'referral')
print('hotline_referred', pct(c[('hotline', 'referral', 'female')], c[('hotline', 'referral', '')]),
      pct(c[('hotline', 'referral', 'male')], c[('hotline', 'referral', '')]))
print('office_consult', '{:,}'.format(c[('office', 'consultation', 'female')]),
      '{:,}'.format(c[('office', 'consultation', 'male')]), '{:,}'.format(c[('office', 'consultation', '')]))
q = 'UZ-QR'
print('qr', pct(c[(q, 'hotline', 'referral')], reg[q]), pct(c[(q, 'hotline', 'consultation')], reg[q]),
      pct(c[(q, 'office', 'shelter')], reg[q]))
PYEOF
read -r _ hf hm < <(grep '^hotline_referred' "$TMP/indep")
read -r _ of om ot < <(grep '^office_consult' "$TMP/indep")
read -r _ q1 q2 q3 < <(grep '^qr' "$TMP/indep")

# layer=channel: a table per channel, then over both, each titled with it.
words | grep -q "Appeals by outcome and sex · Channel: Hotline 1146" || fail "PDF: no hotline layer"
words | grep -q "Appeals by outcome and sex · Channel: Territorial" || fail "PDF: no office layer"
words | grep -q "filters: channel=hotline" || fail "PDF: the hotline layer does not say its filter"
# show=row%,count: the row percents, then the counts, in each layer.
words | grep -q "^Referred $hf $hm 0.0 100.0" || fail "PDF: hotline referred row: $(words | grep '^Referred' | head -2)"
words | grep -q "^Consultation $of $om 0 $ot" || fail "PDF: office consultations are not $of $om 0 $ot"
[ "$(grep -c '^Row %' "$TMP/r.txt")" -ge 3 ] || fail "PDF: a Row % block per layer and the total"
# cols=channel,outcome with show=row%: the channels over their outcomes,
# Karakalpakstan's row percents.
words | grep -q "Hotline 1146 Territorial office Not stated" || fail "PDF: nested headings of the channels"
words | grep -q "^Republic of Karakalpakstan 0.0 $q1 $q2 .* $q3 " || fail "PDF: Karakalpakstan's row percents ($q1 $q2 ... $q3)"
# show=total%,count on a one-way table: % before Count.
words | grep -q "^Psychological 42.5 4,642" || fail "PDF: show=total%,count order"

# The web page: the same tables, a table per figure of a cross-tab.
grep -q 'id="t-outcome-sex-hotline"' "$TMP/r/report.html" || fail "web: no hotline layer table"
grep -q 'id="t-outcome-sex-hotline-2"' "$TMP/r/report.html" || fail "web: no second figure table"
grep -q '<th scope="colgroup" colspan="4">Hotline 1146</th>' "$TMP/r/report.html" || fail "web: nested heading"
# The workbook: a sheet per layer named by it, its cells as show= says.
$PY - "$TMP/r/report.xlsx" "$hf" <<'PYEOF' || fail "workbook of the pivot sections"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames[1:3] == ['Hotline 1146', 'Territorial office'], wb.sheetnames
ws = wb['Hotline 1146']
assert ws.cell(4, 1).value == 'Row %', ws.cell(4, 1).value
v = openpyxl.load_workbook(sys.argv[1], data_only=True)['Hotline 1146']
row = next(r for r in range(5, 12) if v.cell(r, 1).value == 'Referred')
assert abs(100 * v.cell(row, 2).value - float(sys.argv[2])) <= 0.05 + 1e-9, v.cell(row, 2).value
PYEOF
# The narrative does not speak of the layers' copies (the method names
# their filters), and the charts are the sections' own.
grep -q "6,423 in total" "$TMP/r/summary.txt" && fail "the narrative speaks of the hotline layer"
grep -q "Channel: Hotline 1146 (channel=hotline)" "$TMP/r/summary.txt" || fail "the method does not name the layer's filter"
[ "$(ls "$TMP/r/charts" | tr '\n' ' ')" = "group.png group.svg violence-pct.png violence-pct.svg " ] ||
  fail "charts: $(ls "$TMP/r/charts" | tr '\n' ' ')"
# The same report again replaces the folder (its files are known).
expect_status 0 mj-report --quiet --schema "$SRC/tests/data/schema-pivot.csv" -o "$TMP/r" "$S"

# Schema errors of the new keys point at their place.
bad() {
  grep -v '^section,' "$SRC/tests/data/schema-pivot.csv" >"$TMP/bad.csv"
  echo "$1" >>"$TMP/bad.csv"
  expect_status 2 mj-report --quiet --schema "$TMP/bad.csv" -o "$TMP/bad" "$S"
  expect_err "$2"
}
bad 'section,region,x,,,,,,,"cols=channel,outcome,sex"' 'section "x": at most two nested column dimensions (cols=A,B)'
bad 'section,region,x,,,,,,,"cols=channel,outcome;chart=stacked"' 'section "x": a table with nested columns (cols=A,B) has no chart; leave chart= out'
bad 'section,region,x,,,,,,,show=row%' 'section "x": show=row%: row and column percents need a cross-tab (cols=DIM)'
bad 'section,region,x,,,,,,,cols=sex;show=cum%' 'section "x": show=cum%: a cumulative percent needs a one-way table (no cols=)'
bad 'section,region,x,,,,,,,show=pct' 'section "x": show=pct: expected count, sum, total%, row%, col%, valid% or cum%'
bad 'section,outcome,x,,,,,,,sum=children;show=count' 'section "x": show=count: the section sums (show sum)'
bad 'section,region,x,,,,,,,layer=region' 'section "x": layer=region is one of the table'"'"'s own dimensions'
bad 'section,region,x,,,,,,,layer=age' 'section "x": layer=age needs a dimension of fixed categories, one per record'
bad 'section,region,x,,,,,,,cols=sex;say=list' 'section "x": the narrative speaks of tables without cols= or where='
bad 'section,region,x,,,,,,,pivot=1' 'section "x": unknown attribute "pivot" (cols, sum, where, chart, sheet, say, show or layer)'
[ -e "$TMP/bad" ] && fail "a report of a bad schema was written"
finish

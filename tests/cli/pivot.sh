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

# Nested columns: region x channel x outcome, with a subtotal per channel,
# checked cell by cell against an independent count.
expect_status 0 mj-tab --format json --by region --cols channel,outcome "$S"
cp "$TMP/out" "$TMP/nest.json"
$PY - "$S" "$TMP/nest.json" <<'PYEOF' || fail "nested columns differ from an independent count"
import csv, json, sys
from collections import Counter
c = Counter()
for r in csv.DictReader(open(sys.argv[1], encoding='utf-8-sig')):
    reg, ch, out = r['region'], r['channel'] or '_missing', r['outcome'] or '_missing'
    for a in (ch, '_total'):
        for b in (out, '_total'):
            if a == '_total' and b != '_total':
                continue
            c[(reg, a, b)] += 1
            c[('_total', a, b)] += 1
t = json.load(open(sys.argv[2]))
assert t['col_dim']['dims'][0]['name'] == 'channel', t['col_dim']
assert t['col_dim']['dims'][1]['name'] == 'outcome', t['col_dim']
cols = t['columns']
kinds = [col['kind'] for col in cols]
assert kinds[-1] == 'total' and 'subtotal' in kinds, kinds
bad = 0
for row in t['rows']:
    for col, v in zip(cols, row['values']):
        want = c[(row['codes'][0], col['codes'][0], col['codes'][1])]
        if v != want:
            print(row['codes'], col['codes'], v, want); bad += 1
# Each subtotal column follows its children.
for i, col in enumerate(cols):
    if col['kind'] == 'subtotal':
        assert cols[i - 1]['codes'][0] == col['codes'][0] and cols[i - 1]['kind'] == 'category'
sys.exit(1 if bad else 0)
PYEOF
# A multi-response dimension (violence) nests in the columns too: region x
# violence x sex, the 100-column terminal of the issue.
expect_status 0 mj-tab --format json --by region --cols violence,sex "$S"
$PY - "$S" "$TMP/out" <<'PYEOF' || fail "region x violence x sex differs from an independent count"
import csv, json, sys
from collections import Counter
c = Counter()
for r in csv.DictReader(open(sys.argv[1], encoding='utf-8-sig')):
    reg, v, sx = r['region'], r['violence'] or '_missing', r['sex'] or '_missing'
    for key in ((v, sx), (v, '_total'), ('_total', '_total')):
        c[(reg,) + key] += 1
        c[('_total',) + key] += 1
t = json.load(open(sys.argv[2]))
bad = 0
for row in t['rows']:
    for col, val in zip(t['columns'], row['values']):
        want = c[(row['codes'][0],) + tuple(col['codes'])]
        if val != want:
            print(row['codes'], col['codes'], val, want); bad += 1
sys.exit(1 if bad else 0)
PYEOF
COLUMNS=100 mj-tab --format text --by region --cols violence,sex "$S" >"$TMP/p" 2>/dev/null
[ "$(/usr/bin/python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$TMP/p")" -le 100 ] ||
  fail "COLUMNS=100: region x violence x sex is wider than 100"
grep -q "^Sex  *Female  *Male  *Total  *Female" "$TMP/p" || fail "region x violence x sex: no sex heading line"
expect_status 0 mj-tab --format text --by region --cols channel,outcome --show 'row%' "$S"
grep -q "^Channel  *Hotline 1146  *Territorial office" "$TMP/out" || fail "nested text lacks the channel heading line"
grep -q "^Outcome  *Placed in the centre  *Referred  *Consultation  *Total  *Placed" "$TMP/out" ||
  fail "nested text lacks the outcome heading line with the channel's subtotal"
expect_status 0 mj-tab --format csv --by region --cols channel,outcome "$S"
head -1 "$TMP/out" | grep -q '^region_code,region,channel_code,channel,outcome_code,outcome,count,row_percent,' ||
  fail "nested CSV header: $(head -1 "$TMP/out")"
expect_out "UZ-TK,Tashkent city,hotline,Hotline 1146,_total,Total,"
expect_status 2 mj-tab --by region --cols channel,outcome --test "$S"
expect_err "nested"
expect_status 2 mj-chart bar -o "$TMP/x.svg" --by region --cols channel,outcome "$S"
expect_err "mj-tab nests columns"
# Read back, its subtotal columns would pass for categories: refused.
mj-tab --format json --by region --cols channel,outcome "$S" 2>/dev/null >"$TMP/n.json"
expect_status 2 mj-chart bar -o "$TMP/x.svg" "$TMP/n.json"
expect_err "nested columns"
[ ! -e "$TMP/x.svg" ] || fail "mj-chart drew a table with nested columns"

# Suppression stays whole with subtotal columns: no additive line (a row's
# top-level columns and its total, a parent's columns and its subtotal, a
# column's rows and its total) has exactly one hidden cell, so no hidden
# cell can be worked out from a shown subtotal.
cat >"$TMP/lines.py" <<'PYEOF'
import json, sys
t = json.load(open(sys.argv[1]))
cols, rows = t['columns'], t['rows']
n = len(cols)
def children(c):
    out, lv = [], cols[c]['level']
    for i in range(c - 1, -1, -1):
        if cols[i]['kind'] == 'total' or cols[i]['level'] <= lv:
            break
        if cols[i]['level'] == lv + 1:
            out.append(i)
    return out
lines = []
tot = [r for r, row in enumerate(rows) if row['kind'] == 'total'][0]
for r in range(len(rows)):
    lines.append(([(r, c) for c in range(n - 1) if cols[c]['level'] == 0], (r, n - 1)))
    for c in range(n):
        if cols[c]['kind'] == 'subtotal':
            lines.append(([(r, i) for i in children(c)], (r, c)))
for c in range(n):
    lines.append(([(r, c) for r, row in enumerate(rows) if row['kind'] != 'total' and row['level'] == 0], (tot, c)))
hidden = lambda rc: rows[rc[0]]['values'][rc[1]] is None
nh = sum(hidden((r, c)) for r in range(len(rows)) for c in range(n))
bad = [l for l in lines if sum(map(hidden, l[0])) + hidden(l[1]) == 1]
print(nh, len(bad))
PYEOF
mj-tab --format json --by region --cols channel,outcome --min-cell 60 "$S" >"$TMP/sup.json" 2>/dev/null
read -r nh nbad < <($PY "$TMP/lines.py" "$TMP/sup.json")
[ "${nh:-0}" -gt 10 ] || fail "--min-cell 60 hides only ${nh:-0} cells of region x channel x outcome"
[ "${nbad:-1}" -eq 0 ] || fail "$nbad lines of a nested table have a single hidden cell"
# The check itself: showing one hidden cell again makes a line recoverable.
$PY - "$TMP/sup.json" >"$TMP/sup1.json" <<'PYEOF'
import json, sys
t = json.load(open(sys.argv[1]))
for row in t['rows']:
    if None in row['values']:
        i = row['values'].index(None); row['values'][i] = 1; break
json.dump(t, sys.stdout)
PYEOF
read -r nh nbad < <($PY "$TMP/lines.py" "$TMP/sup1.json")
[ "${nbad:-0}" -gt 0 ] || fail "the suppression check cannot fail"

# --layout wide: the grid as on screen, for a spreadsheet; --excel's
# default, keeping its BOM, semicolons, decimal commas and CRLF.
expect_status 0 mj-tab --format csv --layout wide --by region --cols violence --show count,row% "$S"
sed -n 2p "$TMP/out" | grep -q '^,Count,,,,,,,Row %,' || fail "wide CSV: figures line $(sed -n 2p "$TMP/out")"
sed -n 3p "$TMP/out" | grep -q '^Type of violence,Physical,Sexual,Psychological,Economic,Other issues,Not stated,Total,Physical,' ||
  fail "wide CSV: column line $(sed -n 3p "$TMP/out")"
sed -n 4p "$TMP/out" | grep -q '^Region,' || fail "wide CSV: row dimension line"
while read -r reg v n pct; do
  [ "$v" = physical ] || continue
  label=$(mj-tab --format csv --by region "$S" 2>/dev/null | awk -F, -v r="$reg" '$1 == r {print $2}')
  grep -q "^$label,$n,.*,$pct," "$TMP/out" || fail "wide CSV: $reg lacks $n physical and $pct%"
done <"$TMP/indep"
[ "$(grep -c '^Total,2709,114,4642,1062,2400,0,10927,' "$TMP/out")" = 1 ] || fail "wide CSV: total row"
expect_status 0 mj-tab --excel --by region --cols channel,outcome "$S"
head -c 3 "$TMP/out" | od -An -tx1 | grep -q "ef bb bf" || fail "--excel wide writes no BOM"
grep -q $'\r$' "$TMP/out" || fail "--excel wide lines do not end in CRLF"
sed -n 3p "$TMP/out" | grep -q '^Channel;Hotline 1146;;;;Territorial office;;;;Not stated;;;;Total;' ||
  fail "--excel wide: channel heading $(sed -n 3p "$TMP/out")"
sed -n 4p "$TMP/out" | grep -q '^Outcome;Placed in the centre;Referred;Consultation;Total;Placed' ||
  fail "--excel wide: outcome heading $(sed -n 4p "$TMP/out")"
grep -q '^Tashkent city;[0-9;]*;1046;[0-9]*,[0-9];' "$TMP/out" || fail "--excel wide: decimal commas or Tashkent city's total"
expect_status 0 mj-tab --excel --layout long --by sex "$S"
expect_out "female;Female;10766;98,5"
expect_status 0 mj-tab --format tsv --layout wide --by place,relationship "$S"
expect_out "$(printf 'Domestic\tHusband and wife\t5535\t50.7')"
expect_status 2 mj-tab --layout tall --by sex "$S"

# Fitting the terminal: COLUMNS=100 splits region x violence with counts
# and row percents into panels no wider than 100, each with the row labels.
width_of() { /usr/bin/python3 -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$1"; }
COLUMNS=100 mj-tab --format text --by region --cols violence --show count,row% "$S" >"$TMP/p" 2>/dev/null
[ "$(width_of "$TMP/p")" -le 100 ] || fail "COLUMNS=100: a line of $(width_of "$TMP/p") characters"
[ "$(grep -c '^Tashkent city ' "$TMP/p")" -ge 2 ] || fail "COLUMNS=100: panels do not repeat the row labels"
[ "$(grep -c '^Type of violence ' "$TMP/p")" -ge 2 ] || fail "COLUMNS=100: panels do not repeat the heading"
grep -q "Row %" "$TMP/p" || fail "COLUMNS=100: the row percents are lost"
for v in 2,709 114 4,642 1,062 2,400 10,927 24.8 42.5 22.0 100.0; do grep -q "^Total .* $v\b" "$TMP/p" || fail "COLUMNS=100 lacks $v in a total row"; done
COLUMNS=100 mj-tab --format text --by region,sex --cols violence "$S" >"$TMP/p" 2>/dev/null
[ "$(width_of "$TMP/p")" -le 100 ] || fail "COLUMNS=100, region x sex x violence: $(width_of "$TMP/p") characters"
# A pipe without COLUMNS gets the whole width.
env -u COLUMNS mj-tab --format text --by region --cols violence --show count,row% "$S" >"$TMP/p" 2>/dev/null
[ "$(width_of "$TMP/p")" -gt 100 ] || fail "a pipe without COLUMNS was cut into panels"
[ "$(grep -c '^Tashkent city ' "$TMP/p")" = 1 ] || fail "a pipe without COLUMNS has several panels"

# mj-xlsx --cols A,B: the outer categories merged over their columns, the
# inner below, live SUM formulas for the subtotal and total columns, and
# cached counts equal to an independent count.
expect_status 0 mj-xlsx -o "$TMP/nest.xlsx" --by region --cols channel,outcome "$S"
$PY - "$TMP/nest.xlsx" "$S" <<'PYEOF' || fail "mj-xlsx nested columns"
import csv, re, sys, zipfile
from collections import Counter
z = zipfile.ZipFile(sys.argv[1])
x = z.read('xl/worksheets/sheet1.xml').decode()
strs = [re.sub(r'<[^>]+>', '', m) for m in
        re.findall(r'<si>(.*?)</si>', z.read('xl/sharedStrings.xml').decode(), re.S)]
cells, forms = {}, {}
for m in re.finditer(r'<c r="([A-Z]+\d+)"([^>]*?)(?:/>|>(.*?)</c>)', x):
    ref, attrs, body = m.groups()
    v = re.search(r'<v>([^<]*)</v>', body or '')
    f = re.search(r'<f>([^<]*)</f>', body or '')
    if v:
        cells[ref] = strs[int(v.group(1))] if 't="s"' in attrs else v.group(1)
    if f:
        forms[ref] = f.group(1)
merges = re.findall(r'<mergeCell ref="([^"]*)"', x)
assert merges[:2] == ['B3:E3', 'F3:I3'], merges
assert cells['B3'] == 'Hotline 1146' and cells['F3'] == 'Territorial office', (cells['B3'], cells['F3'])
assert [cells[c + '4'] for c in 'BCDE'] == ['Placed in the centre', 'Referred', 'Consultation', 'Total']
assert forms['E5'] == 'SUM(B5:D5)' and forms['I5'] == 'SUM(F5:H5)', (forms['E5'], forms['I5'])
assert forms['N5'].startswith('SUM(E5,I5'), forms['N5']
c = Counter((r['region'], r['channel'], r['outcome'])
            for r in csv.DictReader(open(sys.argv[2], encoding='utf-8')))
assert cells['A5'] == 'Republic of Karakalpakstan'
for col, ch, out in (('B', 'hotline', 'shelter'), ('C', 'hotline', 'referral'),
                     ('D', 'hotline', 'consultation'), ('F', 'office', 'shelter'),
                     ('G', 'office', 'referral'), ('H', 'office', 'consultation')):
    assert float(cells[col + '5']) == c[('UZ-QR', ch, out)], (col, cells[col + '5'])
assert float(cells['N5']) == sum(v for k, v in c.items() if k[0] == 'UZ-QR')
PYEOF
# A few rows by many columns is turned rather than cut: sex x region on
# 100 columns prints the regions as rows, and says so.
COLUMNS=100 mj-tab --format text --by sex --cols region "$S" >"$TMP/t" 2>/dev/null
[ "$(width_of "$TMP/t")" -le 100 ] || fail "turned: a line of $(width_of "$TMP/t") characters"
grep -q '^Rows and columns are swapped to fit 100 columns better.$' "$TMP/t" || fail "turned: no note"
n=$($PY -c 'import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1])) if r["region"] == "UZ-TK" and r["sex"] == "female"))' "$S")
[ "$n" = 1028 ] || fail "independent count of women in Tashkent city: $n, not the 1,028 below"
grep -q "^Tashkent city  *1,028  *18  " "$TMP/t" || fail "turned: Tashkent city is not a row of 1,028 women"
expect_no "Row %" "$TMP/t"
grep -q "Column %" "$TMP/t" || fail "turned: row percents are not column percents of the turned table"
# Wide enough, it is not turned.
COLUMNS=600 mj-tab --format text --by sex --cols region "$S" >"$TMP/t" 2>/dev/null
expect_no "swapped" "$TMP/t"

finish

# mj-tab --layer DIM: a table per category of DIM and one over all. The
# counts of every layer are checked against an independent count of the
# sample with Python.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv
PY=/usr/bin/python3

# channel, sex, outcome, count (channel "_total" for all channels), and
# each channel's appeals.
$PY - "$S" >"$TMP/indep" <<'PYEOF'
import csv, sys
from collections import Counter
c = Counter(); n = Counter()
for r in csv.DictReader(open(sys.argv[1], encoding='utf-8')):
    for ch in (r['channel'], '_total'):
        c[(ch, r['sex'], r['outcome'])] += 1
        n[ch] += 1
for (ch, sex, out), k in sorted(c.items()):
    print('cell', ch, sex, out, k)
for ch, k in sorted(n.items()):
    print('layer', ch, k)
PYEOF
[ -s "$TMP/indep" ] || fail "no independent count"

# Long CSV: a layer column pair in front, one header.
expect_status 0 mj-tab --format csv --by sex --cols outcome --layer channel "$S"
head -1 "$TMP/out" | grep -q '^layer_code,layer,layer_label,sex_code,sex,outcome_code,outcome,count,' ||
  fail "layered CSV header: $(head -1 "$TMP/out")"
[ "$(grep -c '^layer_code,' "$TMP/out")" -eq 1 ] || fail "layered CSV repeats its header"
while read -r _ ch sex out n; do
  grep -q "^$ch,channel,[^,]*,$sex,[^,]*,$out,[^,]*,$n," "$TMP/out" ||
    fail "layer $ch: $sex x $out is not $n"
done < <(grep '^cell' "$TMP/indep")
# Each layer's table counts its layer's appeals, and says which.
while read -r _ ch n; do
  line=$(grep "^$ch,channel,[^,]*,_total,[^,]*,_total," "$TMP/out")
  [ -n "$line" ] || fail "layer $ch has no total"
  case $ch in
    _total) echo "$line" | grep -q ",$n,.*,10927,$n,0," || fail "total layer: $line" ;;
    *) echo "$line" | grep -q ",channel=$ch,10927,$n,0," || fail "layer $ch does not say its filter and n: $line" ;;
  esac
done < <(grep '^layer' "$TMP/indep")
expect_out "Appeals by sex and outcome · Channel: Hotline 1146"
# The table over all layers is the table without --layer.
expect_status 0 mj-tab --format csv --by sex --cols outcome "$S"
cut -d, -f1-7 "$TMP/out" | tail -n +2 >"$TMP/plain"
expect_status 0 mj-tab --format csv --by sex --cols outcome --layer channel "$S"
grep '^_total,channel,' "$TMP/out" | cut -d, -f4-10 >"$TMP/all"
cmp -s "$TMP/plain" "$TMP/all" || fail "the total layer differs from the table without --layer"

# Text: one table per layer, each titled with it, then the total.
expect_status 0 mj-tab --format text --by sex --layer channel "$S"
[ "$(grep -c '^Appeals by sex · Channel: ' "$TMP/out")" -eq 3 ] || fail "text: not three layers"
grep '^Appeals by sex · Channel: ' "$TMP/out" | tail -1 | grep -q 'Channel: Total$' ||
  fail "text: the total layer is not last"
expect_out "filters: channel=office"
# JSON: an array of tables, each naming its layer.
expect_status 0 mj-tab --format json --by sex --layer channel "$S"
$PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [t["layer"]["code"] for t in d] == ["hotline","office","_total"], d; assert d[0]["n_counted"] == int(sys.argv[2])' \
  "$TMP/out" "$(awk '$1 == "layer" && $2 == "hotline" {print $3}' "$TMP/indep")" ||
  fail "layered JSON"
cp "$TMP/out" "$TMP/layered.json"
# Wide CSV for Excel: a block per layer, one byte order mark.
expect_status 0 mj-tab --excel --by sex --cols outcome --layer channel "$S"
[ "$(grep -c $'\xef\xbb\xbf' "$TMP/out")" -eq 1 ] || fail "wide layers: not one BOM"
[ "$(grep -c 'Appeals by sex and outcome · Channel: ' "$TMP/out")" -eq 3 ] ||
  fail "wide layers: not three blocks"
# A layered table is not read back as one.
expect_status 0 mj-tab --format csv --by sex --layer channel "$S"
cp "$TMP/out" "$TMP/layered.csv"
expect_status 2 mj-tab --by sex "$TMP/layered.csv"
expect_err "layers of mj-tab --layer: read back one table at a time"
expect_status 2 mj-tab --by sex "$TMP/layered.json"
expect_err "layers of mj-tab --layer"
# Wrong uses.
expect_status 2 mj-tab --by sex,channel --layer channel "$S"
expect_err "'channel' is a dimension of the table already"
expect_status 2 mj-tab --by region --sum children --layer channel "$S"
expect_err "--layer counts appeals"
# A list, or a name with spaces around it, once layered by its first name
# under a heading of the whole list (",").
for l in , "channel,sex" " channel"; do
  expect_status 2 mj-tab --by region --layer "$l" "$S"
  expect_err "mj-tab: --layer '$l': name one dimension (e.g. --layer channel)"
done
expect_status 2 mj-tab --lang ru --by region --layer , "$S"
expect_err "--layer ',': укажите одно измерение"
expect_status 2 mj-tab --by region --layer nosuch "$S"
# mj-xlsx --layer: a sheet per layer, named by it, whose cached counts are
# the independent ones.
expect_status 0 mj-xlsx -o "$TMP/layers.xlsx" --by sex --cols outcome --layer channel "$S"
$PY - "$TMP/layers.xlsx" "$TMP/indep" <<'PYEOF' || fail "mj-xlsx --layer sheets"
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = re.findall(r'<sheet name="([^"]*)"', z.read('xl/workbook.xml').decode())
assert names == ['Hotline 1146', 'Territorial office', 'Total', 'About'], names
strs = [re.sub(r'<[^>]+>', '', m) for m in
        re.findall(r'<si>(.*?)</si>', z.read('xl/sharedStrings.xml').decode(), re.S)]
want = {}
for line in open(sys.argv[2]):
    f = line.split()
    if f[0] == 'cell':
        want[(f[1], f[2], f[3])] = int(f[4])
for k, ch in enumerate(['hotline', 'office', '_total']):
    x = z.read('xl/worksheets/sheet%d.xml' % (k + 1)).decode()
    cells = {}
    for m in re.finditer(r'<c r="([A-Z]+)(\d+)"([^>]*?)(?:/>|>(.*?)</c>)', x):
        col, row, attrs, body = m.groups()
        v = re.search(r'<v>([^<]*)</v>', body or '')
        if v:
            cells[(col, int(row))] = strs[int(v.group(1))] if 't="s"' in attrs else v.group(1)
    assert cells[('A', 1)].endswith('Channel: ' + names[k]), cells[('A', 1)]
    # Row labels in column A (first block), counts of shelter, referral, consultation in B-D.
    rows = {}
    for (c, r) in sorted(cells, key=lambda k: k[1]):
        if c == 'A':
            rows.setdefault(cells[(c, r)], r)
    for sex, label in (('female', 'Female'), ('male', 'Male')):
        for col, out in zip('BCD', ('shelter', 'referral', 'consultation')):
            got = float(cells.get((col, rows[label]), 'nan'))
            assert got == want.get((ch, sex, out), 0), (ch, sex, out, got)
PYEOF

# mj-chart --layer: small multiples, a panel per layer; the SVG's
# description gives each panel's bars, which are the independent counts.
expect_status 0 mj-chart hbar -o "$TMP/layers.svg" --by region --layer channel "$S"
grep -q '<title>Channel: Hotline 1146; Channel: Territorial office; Channel: Total</title>' "$TMP/layers.svg" ||
  fail "small multiples: panel titles"
for ch in hotline office; do
  n=$($PY -c 'import csv,sys; print(sum(1 for r in csv.DictReader(open(sys.argv[1])) if r["region"] == "UZ-TK" and r["channel"] == sys.argv[2]))' "$S" "$ch")
  grep -q "Tashkent city: $n (" "$TMP/layers.svg" || fail "small multiples: Tashkent city by $ch is not $n"
done
grep -q 'Tashkent city: 1,046 (' "$TMP/layers.svg" || fail "small multiples: the total panel"
expect_status 0 mj-chart bar -o "$TMP/layers.png" --by sex --cols outcome --layer channel "$S"
expect_status 2 mj-chart bar -o "$TMP/x.png" --layer channel "$TMP/layered.csv"
expect_err "--layer goes with records (--by)"

# Statistics per layer, and suppression, run.
expect_status 0 mj-tab --format text --by outcome --cols sex --layer channel --test props "$S"
[ "$(grep -c '^Compare column proportions' "$TMP/out")" -eq 3 ] || fail "props not under every layer"
expect_status 0 mj-tab --format csv --by region --layer channel --min-cell 5 "$S"
# --compare is refused with --layer, saying how to compare a layer, in
# every program that takes both, and nothing is written.
for prog in mj-tab mj-xlsx; do
  out=; [ "$prog" = mj-xlsx ] && out="-o $TMP/cmp.xlsx"
  expect_status 2 $prog $out --period 2023-08 --compare previous --by region --layer channel "$S"
  expect_err "--compare does not go with --layer: compare one layer at a time (--where channel=CODE --compare ...)"
  [ -s "$TMP/out" ] && fail "$prog --compare --layer wrote output"
done
[ ! -e "$TMP/cmp.xlsx" ] || fail "mj-xlsx --compare --layer wrote a workbook"
# The way it says: one layer at a time.
expect_status 0 mj-tab --format csv --period 2023-08 --compare previous --by region --where channel=hotline "$S"
expect_out "count_compared"
finish

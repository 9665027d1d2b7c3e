# Two suppression marks: a count below the threshold reads <N; a cell hidden
# only to protect others reads x (never <N) in every output, and the JSON and
# CSV say which kind each hidden cell is. August 2023 had 6 girls and 21 men:
# with --min-cell 10 the girls are primary, the men complementary.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv
PY=/usr/bin/python3

# --- mj-tab: text, Markdown, CSV, JSON -----------------------------------
expect_status 0 mj-tab --format text --by group --month 2023-08 --min-cell 10 "$S"
grep -E '^Girls under 18 +<10 +— *$' "$TMP/out" >/dev/null || fail "text: girls not <10: $(grep Girls "$TMP/out")"
grep -E '^Men +x +— *$' "$TMP/out" >/dev/null || fail "text: men not x: $(grep Men "$TMP/out")"
grep -E '^Men .*<10' "$TMP/out" >/dev/null && fail "text: men marked <10"
[ "$(grep -c '^x: not shown, to protect small numbers\.$' "$TMP/out")" = 1 ] ||
  fail "text: the note explaining x is not under the table once"
expect_status 0 mj-tab --format text --by group --month 2023-08 --min-cell 10 --lang ru "$S"
grep -E '^Мужчины +x +— *$' "$TMP/out" >/dev/null || fail "ru text: men not x: $(grep -i муж "$TMP/out")"
expect_out "x — не показано, чтобы защитить малые числа."
expect_status 0 mj-tab --format text --by group --month 2023-08 --min-cell 10 --lang uz-Cyrl "$S"
expect_out "x — кичик сонларни ҳимоя қилиш учун кўрсатилмаган."
expect_status 0 mj-tab --by group --month 2023-08 --min-cell 10 --format md "$S"
expect_out "| Men | x |"
expect_out "| Girls under 18 | <10 |"
expect_out "- x: not shown, to protect small numbers."
# Without complementary cells there is nothing to explain.
expect_status 0 mj-tab --format text --by group --month 2023-08 --min-cell 5 "$S"
expect_no "x: not shown" "$TMP/out"

expect_status 0 mj-tab --by group --month 2023-08 --min-cell 10 --format csv "$S"
head -1 "$TMP/out" | grep -q ',suppressed,hidden,title,' || fail "csv header: $(head -1 "$TMP/out")"
grep -q '^girl,Girls under 18,,.*,1,<10,Appeals by group,' "$TMP/out" || fail "csv: girls: $(grep girl "$TMP/out")"
grep -q '^man,Men,,.*,1,x,Appeals by group,' "$TMP/out" || fail "csv: men: $(grep man "$TMP/out")"
grep -q '^woman,Women,1530,.*,0,,Appeals by group,' "$TMP/out" || fail "csv: women shown: $(grep woman "$TMP/out")"
cp "$TMP/out" "$TMP/g.csv"
# The CSV stays loadable: the count column holds numbers or nothing.
"$PY" - "$TMP/g.csv" <<'EOF' || fail "csv does not load as numbers"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
for r in rows:
    if r["count"]:
        float(r["count"])
kinds = {r["group_code"]: (r["suppressed"], r["hidden"]) for r in rows}
assert kinds["girl"] == ("1", "<10"), kinds
assert kinds["man"] == ("1", "x"), kinds
assert kinds["woman"] == ("0", ""), kinds
EOF

expect_status 0 mj-tab --by group --month 2023-08 --min-cell 10 --format json "$S"
cp "$TMP/out" "$TMP/g.json"
"$PY" - "$TMP/g.json" <<'EOF' || fail "json does not say which kind each hidden cell is"
import json, sys
t = json.load(open(sys.argv[1], encoding="utf-8"))
by = {r["codes"][0]: r for r in t["rows"]}
assert by["girl"]["hidden"] == ["primary"] and by["girl"]["values"] == [None], by["girl"]
assert by["man"]["hidden"] == ["complementary"] and by["man"]["values"] == [None], by["man"]
assert by["woman"]["hidden"] == [None] and by["woman"]["suppressed"] == [False], by["woman"]
EOF

# A cross-tab: every hidden cell below 10 reads <10; every x is 10 or more.
mj-tab --by region --cols group --min-cell 10 --format json "$S" >"$TMP/x.json" 2>/dev/null
mj-tab --by region --cols group --format json "$S" >"$TMP/x0.json" 2>/dev/null
"$PY" - "$TMP/x.json" "$TMP/x0.json" <<'EOF' || fail "cross-tab: a mark does not match its count"
import json, sys
t = json.load(open(sys.argv[1], encoding="utf-8"))
full = json.load(open(sys.argv[2], encoding="utf-8"))
seen = set()
for r, f in zip(t["rows"], full["rows"]):
    for kind, v in zip(r["hidden"], f["values"]):
        if kind == "primary":
            assert 0 < v < 10, (r["codes"], v)
        elif kind == "complementary":
            assert v >= 10, (r["codes"], v)
        seen.add(kind)
assert {"primary", "complementary"} <= seen, seen
EOF

# --- read back: CSV, JSON and marks typed in the value column -------------
mj-chart hbar -o "$TMP/csv.svg" "$TMP/g.csv" 2>"$TMP/err" || fail "chart from csv: $(cat "$TMP/err")"
mj-chart hbar -o "$TMP/json.svg" "$TMP/g.json" 2>"$TMP/err" || fail "chart from json: $(cat "$TMP/err")"
for f in csv json; do
  grep -qx 'Men: x' "$TMP/$f.svg" || fail "chart from $f: men not x"
  grep -qx 'Girls under 18: &lt;10' "$TMP/$f.svg" || fail "chart from $f: girls not <10"
  grep -q 'Men: &lt;10' "$TMP/$f.svg" && fail "chart from $f: men <10"
done
# The drawn labels and the note, as a reader sees them.
mj-chart hbar -o "$TMP/g.pdf" "$TMP/g.json" 2>"$TMP/err" || fail "chart pdf: $(cat "$TMP/err")"
pdftotext "$TMP/g.pdf" - | tr '\n' ' ' | tr -s ' ' >"$TMP/chart.txt"
grep -qF 'x: not shown, to protect small numbers' "$TMP/chart.txt" || fail "chart: no note on x: $(cat "$TMP/chart.txt")"
grep -qF 'Men x' "$TMP/chart.txt" || grep -qE '(^| )x( |$)' "$TMP/chart.txt" || fail "chart: no x drawn"
mj-chart line -o "$TMP/line.pdf" --lang ru --by month --min-cell 10 --where group=man "$S" 2>"$TMP/err" ||
  fail "line chart: $(cat "$TMP/err")"
# A table typed by hand: the marks in the count column, no kind columns.
cut -d, -f1-3 "$TMP/g.csv" | sed -e 's/^girl,Girls under 18,$/girl,Girls under 18,<10/' \
    -e 's/^man,Men,$/man,Men,x/' >"$TMP/typed.csv"
grep -q '^man,Men,x$' "$TMP/typed.csv" || fail "typed table: $(cat "$TMP/typed.csv")"
mj-xlsx -o "$TMP/typed.xlsx" "$TMP/typed.csv" 2>"$TMP/err" || fail "xlsx from typed marks: $(cat "$TMP/err")"

# --- mj-xlsx: the marks and the note, read back with openpyxl -------------
mj-xlsx -o "$TMP/g.xlsx" "$TMP/g.json" 2>"$TMP/err" || fail "xlsx from json: $(cat "$TMP/err")"
mj-xlsx -o "$TMP/rec.xlsx" --lang ru --by group --month 2023-08 --min-cell 10 "$S" 2>"$TMP/err" ||
  fail "xlsx from records: $(cat "$TMP/err")"
"$PY" - "$TMP/g.xlsx" "$TMP/typed.xlsx" "$TMP/rec.xlsx" <<'EOF' || fail "workbook marks"
import sys, openpyxl
def cells(path):
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    got = {}
    for row in ws.iter_rows():
        if isinstance(row[0].value, str) and len(row) > 1:
            got.setdefault(row[0].value, row[1].value)
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    return got, texts, wb
for path in sys.argv[1:3]:
    got, texts, _ = cells(path)
    assert got.get("Men") == "x", (path, got.get("Men"))
    assert got.get("Girls under 18") == "<10", (path, got.get("Girls under 18"))
    assert texts.count("x: not shown, to protect small numbers.") == 1, (path, texts)
got, texts, wb = cells(sys.argv[3])
assert got.get("Мужчины") == "x", got
assert got.get("Девочки до 18 лет", got.get("Девочки")) == "<10", got
assert "x — не показано, чтобы защитить малые числа." in texts, texts
about = [c.value for row in wb["Об этой книге"].iter_rows() for c in row] if "Об этой книге" in wb.sheetnames \
    else [c.value for row in wb.worksheets[-1].iter_rows() for c in row]
assert any(isinstance(v, str) and "x — не показано" in v for v in about), about
EOF

# --- mj-report: key figures, narrative, method, PDF ----------------------
for lang in en ru; do
  expect_status 0 mj-report --quiet --lang $lang --month 2023-08 --min-cell 10 -o "$TMP/r-$lang" "$S"
  tr '\n' ' ' <"$TMP/r-$lang/summary.txt" | tr -s ' ' >"$TMP/s-$lang.txt"
  pdftotext -layout "$TMP/r-$lang/report.pdf" "$TMP/p-$lang.txt"
done
expect_no "<10 men" "$TMP/s-en.txt"
expect_no "<10 (" "$TMP/s-en.txt"
grep -qF "the figure for men is withheld" "$TMP/s-en.txt" || fail "en summary: men not withheld: $(head -c 400 "$TMP/s-en.txt")"
grep -qF "<10 girls under 18 and the figure for men is withheld" "$TMP/s-en.txt" || fail "en summary: girls not <10"
grep -qF "Counts from 1 to 9 are shown as <10. Cells hidden only so that those counts cannot be worked out from totals are shown as x: not shown, to protect small numbers." "$TMP/s-en.txt" ||
  fail "en summary: the method does not explain both marks"
grep -qF "мужчины: число не показано" "$TMP/s-ru.txt" || fail "ru summary: men not withheld: $(head -c 600 "$TMP/s-ru.txt")"
grep -qF "показаны как x: не показано, чтобы защитить малые числа." "$TMP/s-ru.txt" ||
  fail "ru summary: the method does not explain x"
# Key figures on the first page: men x, girls <10; the note under them.
sed -n '1,/Key figures/!p' "$TMP/p-en.txt" | head -40 >"$TMP/k-en.txt"
grep -qE '(^| )x( |$)' "$TMP/k-en.txt" || fail "PDF key figures: no x"
grep -qF "<10" "$TMP/k-en.txt" || fail "PDF key figures: no <10"
grep -qF "x: not shown, to protect small numbers." "$TMP/p-en.txt" || fail "PDF: no note on x"
grep -qF "x — не показано, чтобы защитить малые числа." "$TMP/p-ru.txt" || fail "ru PDF: no note on x"
grep -E '^ *Men +x( |$)' "$TMP/p-en.txt" >/dev/null || fail "PDF table: men not x: $(grep -E '^ *Men ' "$TMP/p-en.txt")"
grep -E '^ *Men +<10' "$TMP/p-en.txt" >/dev/null && fail "PDF table: men <10"
# The web page's key figures: men x with the note under the boxes.
for lang in en ru; do
  /usr/bin/python3 - "$TMP/r-$lang/report.html" $lang <<'EOF' || fail "report.html ($lang): key figures lack x or its note"
import sys
html = open(sys.argv[1], encoding="utf-8").read()
key = html[html.index('aria-labelledby="h-key"'):html.index('aria-labelledby="h-summary"')]
assert '<span class="n">x</span>' in key and '<span class="n">&lt;10</span>' in key, key
note = {"en": "x: not shown, to protect small numbers.", "ru": "x — не показано, чтобы защитить малые числа."}
assert note[sys.argv[2]] in key, key
EOF
done
# The workbook of the report carries the marks too.
"$PY" - "$TMP/r-en/report.xlsx" <<'EOF' || fail "report workbook: men not x"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
vals = {}
for ws in wb.worksheets:
    for row in ws.iter_rows():
        if row[0].value == "Men" and len(row) > 1:
            vals.setdefault(ws.title, row[1].value)
assert vals and all(v in ("x", None) or isinstance(v, (int, float)) for v in vals.values()), vals
assert "x" in vals.values(), vals
assert "<10" not in vals.values(), vals
EOF
finish

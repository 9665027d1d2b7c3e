# Privacy: records whose extra columns hold names, phone numbers and notes,
# and whose ids are distinctive, go through every program and every output
# format; none of those values may appear in any output file (the unzipped
# workbook, SVG, PDF text and streams, PNG chunks included). Files that hold
# raw rows (rejects) are created with mode 0600.
. "$SRC/tests/cli/lib.sh"
R=$TMP/records.csv
awk -F, 'NR == 1 {print $0 ",full_name,phone,notes"; next}
  {$1 = sprintf("ZZSECRETID%05d", NR); print $0 ",Gulnora Secretova " NR ",+998-93-8675309-" NR ",lives near the SECRETNOTE bazaar"}' OFS=, \
  "$SRC/tests/data/xlsx/records.csv" >"$R"
# One row with a bad value, so rejected rows are reported too.
echo "ZZSECRETIDBAD,2023-02-30,hotline,UZ-TK,,female,30,physical,,,,0,Secret Badrow,+998-93-8675309-0,SECRETNOTE" >>"$R"
secrets="ZZSECRETID Secretova Badrow 8675309 SECRETNOTE"
O=$TMP/out
mkdir -p "$O"
for f in text csv tsv json md; do
  mj-tab --format $f --by region --cols violence "$R" >"$O/tab.$f" 2>"$O/tab-$f.err"
  mj-tab --format $f --by place,relationship --min-cell 3 "$R" >"$O/nested.$f" 2>>"$O/tab-$f.err"
done
mj-check --quiet "$R" >"$O/check.out" 2>"$O/check.err"
for t in bar hbar donut line sunburst map; do
  by=region; [ $t = line ] && by=month; [ $t = sunburst ] && by=place,relationship; [ $t = donut ] && by=violence
  for ext in png svg pdf; do
    mj-chart $t --quiet -o "$O/chart-$t.$ext" --by $by "$R" 2>>"$O/chart.err"
  done
done
mj-chart stacked --quiet -o "$O/stacked.svg" --by region --cols violence "$R" 2>>"$O/chart.err"
mj-xlsx --quiet -o "$O/book.xlsx" --by region --by place,relationship --by region --cols violence "$R" 2>"$O/xlsx.err" ||
  mj-xlsx -o "$O/book.xlsx" --by region --by place,relationship --by region --cols violence "$R" 2>"$O/xlsx.err"
mj-report --quiet -o "$O/report" "$R" 2>"$O/report.err"
mj-audit --against "$R" "$SRC/samples/published-2023.csv" >"$O/audit.out" 2>"$O/audit.err"

# Every output must exist, so that the search below means something.
for f in tab.csv nested.json chart-map.png chart-bar.svg chart-sunburst.pdf stacked.svg book.xlsx \
         report/report.pdf report/report.xlsx report/summary.md report/charts/regions.svg; do
  [ -s "$O/$f" ] || fail "no output $f"
done

# Unpack what is packed, then search everything.
mkdir -p "$O/unzipped" "$O/unzipped-report"
(cd "$O/unzipped" && /usr/bin/python3 -c "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall()" "$O/book.xlsx")
(cd "$O/unzipped-report" && /usr/bin/python3 -c "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall()" "$O/report/report.xlsx")
find "$O" -name '*.pdf' | while read -r p; do
  pdftotext "$p" "$p.txt"
  /usr/bin/python3 -c "
import re, sys, zlib
data = open(sys.argv[1], 'rb').read()
out = [data]
for m in re.finditer(rb'stream\r?\n(.*?)endstream', data, re.S):
    try: out.append(zlib.decompress(m.group(1)))
    except Exception: pass
open(sys.argv[1] + '.raw', 'wb').write(b'\n'.join(out))" "$p"
done
find "$O" -name '*.png' | while read -r p; do strings "$p" >"$p.strings"; done
for s in $secrets; do
  hits=$(grep -rlaF -- "$s" "$O" | grep -v -E '\.err$' || true)
  [ -z "$hits" ] || fail "\"$s\" appears in: $hits"
done
# Standard error names positions, never the values of other columns.
for s in Secretova Badrow SECRETNOTE ZZSECRETID 8675309; do
  hits=$(grep -laF -- "$s" "$O"/*.err || true)
  [ -z "$hits" ] || fail "\"$s\" appears on standard error: $hits"
done

# --sum and --weight take only the schema's measures: a phone number or an
# id is refused, and the message names the allowed columns, no values.
# ($TMP/out is a folder here: these checks use files of their own.)
for opt in "--sum phone" "--weight phone" "--weight id" "--sum full_name" "--sum district"; do
  mj-tab --by region $opt "$R" >"$TMP/measure.out" 2>"$TMP/measure.err"
  st=$?
  [ $st = 2 ] || fail "mj-tab $opt: exit $st, wanted 2"
  grep -qF "only a whole-number column of the schema can be summed or weighted by (age, children)" "$TMP/measure.err" ||
    fail "mj-tab $opt: no message listing the measures: $(head -c 300 "$TMP/measure.err")"
  grep -qF 8675309 "$TMP/measure.err" && fail "mj-tab $opt prints a phone number on stderr"
  [ -s "$TMP/measure.out" ] && fail "mj-tab $opt printed a table"
done

# Open dimensions under --min-cell: a value typed in fewer than N appeals
# (a name in the district column) appears in no output; the rare values
# are counted as one row, "Other districts".
D=$TMP/districts.csv
awk -F, 'NR == 1 {print; next} NR <= 41 {$5 = "Chilonzor"} NR == 42 {$5 = "Gulnora Secretdistrict"}
  NR == 43 || NR == 44 {$5 = "Yunusobod"} {print}' OFS=, "$SRC/tests/data/xlsx/records.csv" >"$D"
P=$TMP/districts
mkdir -p "$P"
# (The records hold one rejected row: the programs exit 1, and write.)
for f in text csv tsv json md; do
  mj-tab --format $f --min-cell 3 --by district "$D" >"$P/tab.$f" 2>"$P/tab-$f.err"
  mj-tab --format $f --min-cell 3 --by region,district --cols sex "$D" >"$P/nested.$f" 2>>"$P/tab-$f.err"
  mj-tab --format $f --min-cell 3 --by sex --cols district "$D" >"$P/cols.$f" 2>>"$P/tab-$f.err"
done
mj-tab --lang ru --format csv --min-cell 3 --by district "$D" >"$P/ru.csv" 2>/dev/null
mj-chart hbar --quiet --min-cell 3 -o "$P/chart.svg" --by district "$D" 2>/dev/null
mj-tab --format csv --min-cell 3 --by district "$D" 2>/dev/null | mj-chart bar --quiet -o "$P/piped.svg" -
mj-xlsx --quiet --min-cell 3 -o "$P/book.xlsx" --by district --by region,district "$D" 2>/dev/null
mj-chart hbar --quiet --min-cell 3 -o "$P/chart.pdf" --by district "$D" 2>/dev/null
for f in tab.text nested.csv cols.json tab.md ru.csv chart.svg piped.svg book.xlsx chart.pdf; do
  [ -s "$P/$f" ] || fail "by district: no output $f"
done
(cd "$P" && /usr/bin/python3 -c "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall('book')" book.xlsx)
for s in Secretdistrict Yunusobod; do
  hits=$(grep -rlaF -- "$s" "$P" || true)
  [ -z "$hits" ] || fail "district \"$s\" (fewer than 3 appeals) appears in: $hits"
done
grep -qF "Other districts (each fewer than 3)" "$P/tab.text" || fail "no row \"Other districts\" in text"
grep -qF "_rare,Other districts (each fewer than 3),3," "$P/tab.csv" || fail "the rare districts do not add up to 3 in CSV"
grep -qF "counted together in one row" "$P/tab.text" || fail "no note about the rare districts"
grep -qF "Другие районы" "$P/ru.csv" || fail "\"Other districts\" not in Russian"
grep -qF "Chilonzor" "$P/tab.csv" || fail "a district of 40 appeals is missing"
pdftotext "$P/chart.pdf" "$P/chart.txt"
grep -qF "Other districts" "$P/chart.txt" || fail "the chart lacks \"Other districts\""
/usr/bin/python3 -m json.tool "$P/tab.json" >/dev/null || fail "JSON by district is not valid"
# Without --min-cell nothing is grouped.
mj-tab --format csv --by district "$D" 2>/dev/null | grep -qF "Yunusobod" || fail "without --min-cell a district is missing"

# Cells that a spreadsheet would run as formulas are written as text.
I=$TMP/inject.csv
awk -F, 'NR == 1 {print; next} NR == 2 {$5 = "=HYPERLINK(\"http://evil.example\";\"x\")"}
  NR == 3 {$5 = "+cmd|'"'"' /C calc'"'"'!A0"} NR == 4 {$5 = "@SUM(1+1)"} NR == 5 {$5 = "-2+3"}
  NR == 6 {$5 = "a|b"} {print}' OFS=, "$SRC/tests/data/xlsx/records.csv" |
  sed '2s/=HYPERLINK("http:\/\/evil.example";"x")/"=HYPERLINK(""http:\/\/evil.example"";""x"")"/' >"$I"
mj-tab --format csv --excel --by district "$I" >"$TMP/inject-excel.csv" 2>/dev/null
mj-tab --format csv --by district "$I" >"$TMP/inject.csv.out" 2>/dev/null
mj-tab --format tsv --by district "$I" >"$TMP/inject.tsv" 2>/dev/null
for f in "$TMP/inject-excel.csv" "$TMP/inject.csv.out" "$TMP/inject.tsv"; do
  grep -qF "'=HYPERLINK" "$f" || fail "$f: =HYPERLINK not neutralised"
  grep -qF "'+cmd" "$f" || fail "$f: +cmd not neutralised"
  grep -qF "'@SUM" "$f" || fail "$f: @SUM not neutralised"
  grep -qF "'-2+3" "$f" || fail "$f: -2+3 not neutralised"
  # No cell (after a separator or quote) starts a formula.
  grep -qE '(^|[;,\t"])[=+@]' "$f" && fail "$f: a cell starts with a formula character: $(grep -E '(^|[;,\t"])[=+@]' "$f" | head -1)"
done
# Numbers are not text: a negative change stays a number.
mj-tab --format csv --excel --by region --month 2023-08 --compare previous "$SRC/samples/appeals-2023.csv" 2>/dev/null |
  grep -qE ";-[0-9]" || fail "--excel: negative numbers lost or marked as text"
# mj-xlsx stores them as text; read back through an independent reader.
mj-xlsx --quiet -o "$TMP/inject.xlsx" --by district "$I" 2>/dev/null
mj-xlsx --quiet -o "$TMP/inject-piped.xlsx" "$TMP/inject.csv.out" 2>/dev/null
for b in "$TMP/inject.xlsx" "$TMP/inject-piped.xlsx"; do
  /usr/bin/python3 - "$b" <<'PY' || fail "$b: a label is a formula or lost"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
want = {'=HYPERLINK("http://evil.example";"x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "a|b"}
seen = set()
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            if c.value in want:
                if c.data_type != "s":
                    sys.exit("%s!%s is %s" % (ws.title, c.coordinate, c.data_type))
                seen.add(c.value)
sys.exit(0 if seen == want else "missing: %s" % (want - seen))
PY
done
# Markdown: a pipe in a label stays inside its cell.
mj-tab --format md --by district "$I" >"$TMP/inject.md" 2>/dev/null
grep -qF '| a\|b |' "$TMP/inject.md" || fail "markdown does not escape | in a label"

# Rejects keep raw rows, so only the owner may read them.
mj-check --quiet --rejects "$TMP/rejects.csv" "$R" 2>/dev/null
[ "$(stat -c %a "$TMP/rejects.csv")" = 600 ] || fail "rejects file is not mode 0600"
grep -q Badrow "$TMP/rejects.csv" || fail "rejects file lacks the rejected row"
finish

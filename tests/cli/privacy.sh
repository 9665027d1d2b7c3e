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

# Rejects keep raw rows, so only the owner may read them.
mj-check --quiet --rejects "$TMP/rejects.csv" "$R" 2>/dev/null
[ "$(stat -c %a "$TMP/rejects.csv")" = 600 ] || fail "rejects file is not mode 0600"
grep -q Badrow "$TMP/rejects.csv" || fail "rejects file lacks the rejected row"
finish

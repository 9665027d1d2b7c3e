#!/usr/bin/env bash
# mj-chart: every type from the 2023 sample (records and tables from
# mj-tab) in PNG, SVG and PDF and in en, ru and uz; sizes; labels and
# values in the drawn text (pdftotext); byte-identical reruns; errors and
# exit codes; nothing left behind by a failed run.
set -u
CHART="$BUILD/cmd/mj-chart"
TAB="$BUILD/cmd/mj-tab"
SAMPLE="$SRC/samples/appeals-2023.csv"
DATA="$SRC/tests/data/chart"
OUT="$BUILD/tests/cli-charts"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$OUT"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# PNG width and height from the IHDR chunk.
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}'; }
# The drawn text of a PDF on one line, no-break spaces made spaces.
pdf_words() { pdftotext -enc UTF-8 "$1" - | sed 's/\xc2\xa0/ /g' | tr -s ' \n\f' '  '; }
expect_text() { # FILE TEXT...
  local f=$1; shift
  local words; words=$(pdf_words "$f")
  for t in "$@"; do
    case "$words" in *"$t"*) ;; *) fail "$f: no \"$t\" in the drawn text";; esac
  done
}

# --- every type, every language, every format ---------------------------------
run() { # NAME TYPE LANG ARGS...
  local name=$1 type=$2 lang=$3; shift 3
  for ext in png svg pdf; do
    "$CHART" "$type" -o "$OUT/$name-$lang.$ext" --lang "$lang" "$@" "$SAMPLE" \
      2>"$tmp/err" || fail "$name $lang $ext: exit $? ($(cat "$tmp/err"))"
  done
}
for lang in en ru uz; do
  run bar-group bar "$lang" --by group
  run hbar-region hbar "$lang" --by region
  run stacked stacked "$lang" --by region --cols violence
  run stacked-percent stacked "$lang" --by region --cols violence --percent
  run pie pie "$lang" --by violence
  run donut donut "$lang" --by place
  run line line "$lang" --by month
  run line-violence line "$lang" --by month --cols violence
  run sunburst sunburst "$lang" --by place,relationship
  run map map "$lang" --by region
  run map-percent map "$lang" --by region --percent
done

# --- sizes ------------------------------------------------------------------------
[ "$(png_size "$OUT/hbar-region-en.png")" = 2400x1500 ] ||
  fail "default PNG is $(png_size "$OUT/hbar-region-en.png"), not 2400x1500"
"$CHART" bar -o "$tmp/small.png" --width 800 --height 500 --scale 1 "$DATA/region.json" ||
  fail "sized chart: exit $?"
[ "$(png_size "$tmp/small.png")" = 800x500 ] ||
  fail "--width 800 --height 500 --scale 1 gave $(png_size "$tmp/small.png")"
"$CHART" bar -o "$tmp/scaled.png" --width 600 --height 400 --scale 3 "$DATA/region.json"
[ "$(png_size "$tmp/scaled.png")" = 1800x1200 ] || fail "--scale 3 gave $(png_size "$tmp/scaled.png")"
grep -q 'width="1200px" height="750px"' "$OUT/pie-en.svg" || fail "SVG is not 1200x750 px"

# --- labels and values are drawn ------------------------------------------------------
expect_text "$OUT/hbar-region-en.pdf" "Tashkent city" "1,046 (9.6%)" \
  "Republic of Karakalpakstan" "793 (7.3%)" "Surkhandarya region" "899 (8.2%)" \
  "Appeals by region" "n = 10,927"
expect_text "$OUT/hbar-region-ru.pdf" "город Ташкент" "1 046 (9,6 %)" \
  "Республика Каракалпакстан"
expect_text "$OUT/hbar-region-uz.pdf" "Toshkent shahri" "1 046 (9,6 %)" \
  "Fargʻona viloyati"
expect_text "$OUT/pie-en.pdf" "Physical" "2,709 (24.8%)" "Psychological" \
  "4,642 (42.5%)" "Sexual" "114 (1.0%)" "Economic" "1,062 (9.7%)" "Other issues"
expect_text "$OUT/pie-ru.pdf" "Психологическое" "4 642 (42,5 %)"
expect_text "$OUT/donut-en.pdf" "10,927" "appeals" "Domestic" "7,362 (67.4%)" \
  "Not stated" "2,293 (21.0%)"
expect_text "$OUT/donut-ru.pdf" "обращений" "В семье"
expect_text "$OUT/sunburst-en.pdf" "Husband and wife" "5,535 (50.7%)" \
  "Mother-in-law and daughter-in-law" "Neighbours" "356 (3.3%)"
expect_text "$OUT/map-en.pdf" "Karakalpakstan" "Tashkent reg." "Andijan" "1,046" \
  "Number of appeals"
expect_text "$OUT/map-uz.pdf" "Andijon viloyati" "Murojaatlar soni"
expect_text "$OUT/stacked-en.pdf" "Physical" "Psychological" "Tashkent city"
expect_text "$OUT/line-en.pdf" "Jan" "2023"
for t in Physical Sexual Psychological Economic "Other issues"; do
  expect_text "$OUT/line-violence-en.pdf" "$t"
done
# The SVG carries the data as its text alternative.
grep -q '<title>Appeals by region</title>' "$OUT/hbar-region-en.svg" ||
  fail "SVG has no <title>"
grep -q 'Tashkent city: 1,046 (9.6%)' "$OUT/hbar-region-en.svg" ||
  fail "SVG description lacks Tashkent city"
# Uzbek ʻ and Cyrillic in a title given on the command line.
"$CHART" hbar -o "$tmp/uz.pdf" --title "Zoʻravonlik turlari — Ўзбекистон" "$DATA/region.json"
expect_text "$tmp/uz.pdf" "Zoʻravonlik turlari — Ўзбекистон"

# --- tables from mj-tab: files and a pipe ----------------------------------------------
"$CHART" donut -o "$tmp/ru.pdf" "$DATA/violence-ru.csv" || fail "CSV table: exit $?"
expect_text "$tmp/ru.pdf" "Физическое" "2 709 (24,8 %)" "10 927" "обращений"
"$CHART" stacked -o "$tmp/tsv.png" "$DATA/region-violence.tsv" || fail "TSV table: exit $?"
"$CHART" sunburst -o "$tmp/json.png" "$DATA/place-relationship.json" || fail "JSON table: exit $?"
"$TAB" --by region --format json "$SAMPLE" 2>/dev/null | "$CHART" hbar -o "$tmp/pipe.png" ||
  fail "mj-tab | mj-chart: exit $?"
"$TAB" --by region "$SAMPLE" 2>/dev/null | "$CHART" map -o "$tmp/pipe.svg" - ||
  fail "mj-tab | mj-chart -: exit $?"
# --lang relabels a table from the schema; --min-cell hides small counts.
"$CHART" hbar -o "$tmp/relabel.pdf" --lang ru "$DATA/region.json"
expect_text "$tmp/relabel.pdf" "город Ташкент" "1 046 (9,6 %)"
"$CHART" bar -o "$tmp/min.svg" --min-cell 200 "$DATA/violence-ru.csv"
grep -q 'Сексуальное: &lt;200' "$tmp/min.svg" || fail "--min-cell 200 did not hide 114"
grep -q 'Сексуальное: 114' "$tmp/min.svg" && fail "--min-cell 200 shows 114"
"$CHART" pie -o "$tmp/min.pdf" --min-cell 200 "$DATA/violence-ru.csv"
words=$(pdf_words "$tmp/min.pdf")
case "$words" in *"<200"*) ;; *) fail "suppressed pie has no <200";; esac
case "$words" in *"114"*) fail "suppressed pie shows 114";; esac

# --- same input, same bytes --------------------------------------------------------------
for ext in png svg pdf; do
  "$CHART" sunburst -o "$tmp/again.$ext" --lang ru --by place,relationship "$SAMPLE"
  cmp -s "$tmp/again.$ext" "$OUT/sunburst-ru.$ext" || fail "rerun of sunburst-ru.$ext differs"
done
grep -aq '/CreationDate (20230831000000Z)' "$OUT/pie-en.pdf" ||
  fail "PDF date is not the end of the period"

# --- errors: exit 2, a clear message, no file left ----------------------------------------
expect_fail() { # PATTERN ARGS...
  local pat=$1; shift
  "$CHART" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [ $rc -eq 2 ] || fail "mj-chart $*: exit $rc, expected 2"
  grep -q -- "$pat" "$tmp/err" || fail "mj-chart $*: no \"$pat\" in: $(cat "$tmp/err")"
}
mkdir "$tmp/errs"
expect_fail 'unknown chart type "radar"' radar -o "$tmp/errs/x.png" "$DATA/region.json"
expect_fail 'say which chart' -o "$tmp/errs/x.png"
expect_fail 'with -o FILE' bar "$DATA/region.json"
expect_fail 'use .png, .svg or .pdf' bar -o "$tmp/errs/x.jpg" "$DATA/region.json"
expect_fail 'cross-tab' pie -o "$tmp/errs/x.png" "$DATA/region-violence.tsv"
expect_fail 'cross-tab' pie -o "$tmp/errs/x.png" --by region --cols violence "$SAMPLE"
expect_fail 'nested' sunburst -o "$tmp/errs/x.png" "$DATA/region.json"
expect_fail 'tile positions' map -o "$tmp/errs/x.png" "$DATA/violence-ru.csv"
expect_fail 'stacked chart needs a cross-tab' stacked -o "$tmp/errs/x.png" "$DATA/region.json"
expect_fail 'every value is 0' bar -o "$tmp/errs/x.png" "$DATA/zero.csv"
expect_fail "header-only.csv:" bar -o "$tmp/errs/x.png" "$DATA/header-only.csv"
expect_fail 'no-such.csv' bar -o "$tmp/errs/x.png" "$DATA/no-such.csv"
expect_fail 'give one table' bar -o "$tmp/errs/x.png" "$DATA/region.json" "$DATA/region.json"
expect_fail -- '--width' bar -o "$tmp/errs/x.png" --width 12abc "$DATA/region.json"
expect_fail -- '--scale' bar -o "$tmp/errs/x.png" --scale 0 "$DATA/region.json"
expect_fail 'mj-chart: ' bar -o /nonexistent-dir/x.png "$DATA/region.json"
[ -z "$(ls -A "$tmp/errs")" ] || fail "failed runs left files: $(ls -A "$tmp/errs")"

# --- help mirrors the man page's synopsis ------------------------------------------------------
"$CHART" --help >"$tmp/help" || fail "--help: exit $?"
grep -q '^usage: mj-chart TYPE -o FILE' "$tmp/help" || fail "--help has no usage line"
grep -q -- '--min-cell' "$tmp/help" || fail "--help lacks the shared options"
grep -q 'mj-chart' "$SRC/doc/mj-chart.1" || fail "no man page"
for opt in --width --height --scale --title --subtitle --note --percent --lang --min-cell --by --cols; do
  pat=$(printf '%s' "$opt" | sed 's/-/\\-/g')
  grep -qF -- "$pat" "$SRC/doc/mj-chart.1" || fail "man page lacks $opt"
done

# The PNG decodes with an independent reader (Python's zlib, every row
# filter undone): 8-bit RGB, every row whole, white paper at the corners
# and the bars' blue (#0072B2) among the pixels.
/usr/bin/python3 - "$OUT/hbar-region-en.png" <<'PYEOF' || fail "the PNG does not decode as a chart"
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n"
pos, idat, ihdr = 8, b"", None
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    assert zlib.crc32(kind + body) == struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0], kind
    if kind == b"IHDR":
        ihdr = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
w, h, depth, ctype = ihdr[:4]
assert (depth, ctype) == (8, 2), ihdr
raw, bpp, stride = zlib.decompress(idat), 3, w * 3
assert len(raw) == h * (stride + 1), (len(raw), h, stride)
rows, prev = [], bytearray(stride)
for y in range(h):
    f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b, c = prev[i], prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        else: assert f == 0, f
    rows.append(line)
    prev = line
for y, x in ((0, 0), (0, w - 1), (h - 1, 0), (h - 1, w - 1)):
    assert rows[y][3 * x:3 * x + 3] == b"\xff\xff\xff", (y, x, rows[y][3 * x:3 * x + 3])
assert any(b"\x00\x72\xb2" in r for r in rows[::10]), "no bar blue"
PYEOF

[ $failures -eq 0 ] || { echo "$failures failures"; exit 1; }
echo "mj-chart: all checks passed"

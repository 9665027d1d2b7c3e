# Nothing left in English in a Russian or Uzbek (Latin, Cyrillic) report of
# the 2023 sample: the PDF's text, the summary, the workbook (sheet names,
# every cell, its properties), every chart's text, and mj-tab --excel's
# header. The English words are those of the English report and of the
# schema's English labels.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv
PY=/usr/bin/python3
if ! [ -x "$PY" ] || ! "$PY" -c 'import openpyxl' 2>/dev/null || ! command -v pdftotext >/dev/null; then
  fail "needs /usr/bin/python3 with openpyxl and pdftotext"
  finish
fi

# words.py DIR [text]: every word (3+ letters) of a report folder's outputs;
# with "text", the texts themselves, one a line.
cat >"$TMP/words.py" <<'PYEOF'
import sys, re, os, subprocess, glob
import openpyxl
d = sys.argv[1]
texts = [subprocess.run(["pdftotext", "-q", os.path.join(d, "report.pdf"), "-"],
                        capture_output=True, text=True, check=True).stdout]
for f in ("summary.txt", "summary.md"):
    texts.append(open(os.path.join(d, f), encoding="utf-8").read())
for f in sorted(glob.glob(os.path.join(d, "charts", "*.svg"))):
    s = open(f, encoding="utf-8").read()
    texts += re.findall(r"<text[^>]*>(.*?)</text>", s, re.S)
    texts += re.findall(r"<(?:title|desc)[^>]*>(.*?)</(?:title|desc)>", s, re.S)
    texts += re.findall(r'aria-label="([^"]*)"', s)
wb = openpyxl.load_workbook(os.path.join(d, "report.xlsx"))
p = wb.properties
texts += [p.title or "", p.subject or "", p.description or "", p.keywords or ""]
for ws in wb.worksheets:
    texts.append(ws.title)
    for row in ws.iter_rows(values_only=True):
        texts += [v for v in row if isinstance(v, str) and not v.startswith("=")]
for t in texts:
    t = re.sub(r"<[^>]+>", " ", t)
    if len(sys.argv) > 2:
        print(t.replace("\n", " "))
        continue
    for w in re.findall(r"[^\W\d_]{3,}", t):
        print(w)
PYEOF

expect_status 0 mj-report --quiet --lang en -o "$TMP/en" "$S"
"$PY" "$TMP/words.py" "$TMP/en" >"$TMP/en.words" || fail "reading the English report"
# The month's report adds the trend's words ("within chance", "register").
expect_status 0 mj-report --quiet --lang en --month 2023-08 --compare previous -o "$TMP/en-m" "$S"
"$PY" "$TMP/words.py" "$TMP/en-m" >>"$TMP/en.words" || fail "reading the English month report"
# The schema's English labels (column en), all of them, shown or not.
"$PY" - "$SRC/samples/schema-appeals.csv" >>"$TMP/en.words" <<'PYEOF'
import csv, re, sys
for row in csv.DictReader(l for l in open(sys.argv[1], encoding="utf-8") if not l.startswith("#")):
    for w in re.findall(r"[^\W\d_]{3,}", row["en"] or ""):
        print(w)
PYEOF
# Words that are the same in every language, each a name, not English:
#   appeals, csv  the input file's name (appeals-2023.csv), shown as the source;
#   report        the program's name (mj-report 0.1.0) in the About sheet;
#   Namangan      a region whose English and Uzbek names are the same;
#   mahalla       an Uzbek word that the English labels borrow;
#   binomial, test  Uzbek words too ("aniq shartli test", "binomial").
allowed="appeals csv report Namangan mahalla binomial test"
sort -u "$TMP/en.words" | grep -vxF -f <(tr ' ' '\n' <<<"$allowed") >"$TMP/english"
[ "$(wc -l <"$TMP/english")" -gt 150 ] || fail "too few English words found: $(wc -l <"$TMP/english")"
for w in Total Percent Region Physical Women About Page; do
  grep -qx "$w" "$TMP/english" || fail "the English word list lacks $w"
done

for lang in ru uz uz-Cyrl; do
  expect_status 0 mj-report --quiet --lang "$lang" -o "$TMP/$lang" "$S"
  expect_status 0 mj-report --quiet --lang "$lang" --month 2023-08 --compare previous -o "$TMP/$lang-m" "$S"
  for d in "$lang" "$lang-m"; do
    "$PY" "$TMP/words.py" "$TMP/$d" | sort -u >"$TMP/$d.words" || fail "reading the $d report"
    left=$(grep -xF -f "$TMP/english" "$TMP/$d.words" | tr '\n' ' ')
    [ -z "$left" ] || fail "English in the $d report: $left"
    # One date style: no ISO date or month (2023-08-31, 2023-07) in any
    # text of the PDF, summary, workbook or charts; months by name.
    "$PY" "$TMP/words.py" "$TMP/$d" text >"$TMP/$d.text" || fail "reading the $d report's texts"
    ! grep -oE '\b20[0-9]{2}-[0-9]{2}(-[0-9]{2})?\b' "$TMP/$d.text" >"$TMP/iso" ||
      fail "$d: ISO dates left: $(sort -u "$TMP/iso" | head -3 | tr '\n' ' ')"
  done
  # Uzbek Latin writes oʻ, gʻ with U+02BB and the tutuq belgisi with
  # U+02BC, never an ASCII apostrophe, in every output.
  if [ "$lang" = uz ]; then
    for d in uz uz-m; do
      ! grep -oP "\w*[A-Za-z]'[A-Za-z]\w*" "$TMP/$d.text" >"$TMP/apos" ||
        fail "$d: ASCII apostrophes: $(sort -u "$TMP/apos" | head -5 | tr '\n' ' ')"
      ! grep -oP "\w*([^oOgG]\x{02BB}|[oOgG]\x{02BC})\w*" "$TMP/$d.text" >"$TMP/apos" ||
        fail "$d: ʻ and ʼ confused: $(sort -u "$TMP/apos" | head -5 | tr '\n' ' ')"
    done
  fi
  # mj-tab --excel: a header a Russian or Uzbek Excel user reads.
  expect_status 0 mj-tab --excel --lang "$lang" --by region --cols violence --quiet "$S"
  # Compared without case: the machine names are lower case (region_code).
  head -1 "$TMP/out" | grep -oP '[^\W\d_]{3,}' | tr '[:upper:]' '[:lower:]' | sort -u >"$TMP/$lang.head"
  left=$(grep -xiF -f "$TMP/english" "$TMP/$lang.head" | tr '\n' ' ')
  [ -z "$left" ] || fail "English in the $lang --excel header: $left"
done

# Phrases agree: the outcomes read as nouns ("размещение в центре 700", not a
# feminine participle that agrees with no noun), the caption under the
# children's count agrees with no number. Numbers' no-break spaces read as
# spaces here.
flat() { tr '\n' ' ' <"$1" | sed 's/\xc2\xa0/ /g; s/\xe2\x80\xaf/ /g; s/  */ /g'; }
flat "$TMP/ru/summary.txt" >"$TMP/ru.flat"
grep -qF "По результату: размещение в центре 700 (6,4 %), перенаправление 3 524 (32,3 %) и консультация 6 703 (61,3 %)" "$TMP/ru.flat" ||
grep -qF "По результату: размещение в центре 700 (6,4%), перенаправление 3 524 (32,3%) и консультация 6 703 (61,3%)" "$TMP/ru.flat" ||
  fail "ru outcome sentence: $(grep -o 'По результату[^.]*' "$TMP/ru.flat")"
! grep -qE 'размещена|перенаправлена' "$TMP/ru.flat" || fail "ru: a feminine participle agrees with no noun"
pdftotext "$TMP/ru/report.pdf" "$TMP/ru.pdf.txt"
flat "$TMP/ru.pdf.txt" | grep -qF "Дети, размещённые в центре" || fail "ru: children's caption"
# A number ending a label stays with its word ("Телефон доверия 1146": a
# "1146" alone on a line of the ring's label read as a count), and a short
# label in a note is not broken («Не / указано»).
grep -qx '1146' "$TMP/ru.pdf.txt" && fail "ru: '1146' alone on a line of a chart's label"
grep -q '«Не$' "$TMP/ru.pdf.txt" && fail "ru: «Не указано» broken across lines in a note"
# The key figure of those placed is a heading for any count ("Размещено в
# центре"), not the outcome's name.
flat "$TMP/ru.pdf.txt" | grep -qF "Размещено в центре" || fail "ru: placed caption"
# Page 1 says what was counted in the report's language, as English does.
flat "$TMP/ru.pdf.txt" | grep -qF "Обращения в Центр реабилитации женщин · " || fail "ru: page 1 names no register"
grep -qF '<p class="sub">Ayollar markaziga murojaatlar · ' "$TMP/uz/report.html" || fail "uz: the web page names no register"
flat "$TMP/uz/summary.txt" | grep -qF "Natija boʻyicha: markazga joylashtirish 700 (6,4 %), yoʻnaltirish 3 524 (32,3 %) va maslahat 6 703 (61,3 %)" ||
  fail "uz outcome sentence: $(flat "$TMP/uz/summary.txt" | grep -o "Natija boʻyicha[^.]*")"

# Typography. Russian and Uzbek: dates as 31.08.2023 everywhere (no ISO
# date left in the summary or the PDF), a range kept on one line,
# "2023 г." and "97,9 %" with no-break spaces; no word of the PDF broken
# with a hyphen (table headers wrap between words or shrink).
nb=$(printf '\302\240')
for lang in ru uz uz-Cyrl; do
  pdftotext -layout "$TMP/$lang/report.pdf" "$TMP/$lang.layout"
  for f in "$TMP/$lang/summary.txt" "$TMP/$lang/summary.md" "$TMP/$lang.layout"; do
    ! grep -qE '\b20[0-9]{2}-[0-9]{2}-[0-9]{2}\b' "$f" || fail "$lang: an ISO date in $(basename "$f"): $(grep -oE '20[0-9]{2}-[0-9]{2}-[0-9]{2}' "$f" | head -1)"
  done
  grep -qF "01.01.2023${nb}–${nb}31.08.2023" "$TMP/$lang/summary.txt" || fail "$lang: title's period"
  grep -qF "(97,9${nb}%)" "$TMP/$lang/summary.txt" || fail "$lang: percent without its no-break space"
  ! grep -qP '\d%' "$TMP/$lang/summary.txt" || fail "$lang: a percent sign glued to its number"
  ! grep -nP '\p{L}-( |$)' "$TMP/$lang.layout" >"$TMP/hy" || fail "$lang: a word broken with a hyphen in the PDF: $(head -2 "$TMP/hy")"
done
grep -qF "2023${nb}г." "$TMP/ru/summary.txt" || fail "ru: 2023 г. without its no-break space"
! grep -qE '2023 г\.|^г\.' "$TMP/ru/summary.txt" || fail "ru: 2023 г. may break"
# A region's name shortened to fit a chart ("Andijon viloyati" ->
# "Andijon") is never one that reads as another region: Tashkent region
# keeps its "viloyati" beside Tashkent city ("Toshkent shahri").
pdftotext -raw "$TMP/uz-m/report.pdf" "$TMP/uz-m.txt"
grep -q "^Toshkent viloyati 46 (3,0" "$TMP/uz-m.txt" ||
  fail "uz: the region chart does not name Toshkent viloyati in full"
! grep -q "^Toshkent 46 " "$TMP/uz-m.txt" ||
  fail "uz: Tashkent region shortened to \"Toshkent\", which reads as the city"
# A category's name too long for its bar's band is turned, never broken
# inside the word ("Koʻrsatilm" / "agan" under the age chart).
! grep -qx "Koʻrsatilm" "$TMP/uz-m.txt" ||
  fail "uz: the age chart breaks Koʻrsatilmagan inside the word"
# Every word of every page readable: none set below 6.5 pt (DejaVu Sans's
# box is 1.164 em, so 7.5 pt of box), the cross-tabs' headers included
# ("Психологическое" was set at 5 pt beside "Всего").
for d in en-m ru ru-m uz uz-m uz-Cyrl uz-Cyrl-m; do
  small=$(pdftotext -bbox "$TMP/$d/report.pdf" - | grep '<word' |
    sed -E 's/.*yMin="([0-9.]+)".*yMax="([0-9.]+)">(.*)<.*/\1 \2 \3/' |
    awk '$2 - $1 < 7.5 { print $3 }' | sort -u | head -5 | tr '\n' ' ')
  [ -z "$small" ] || fail "$d: words set below 6.5 pt: $small"
done
# A cross-tab's header wraps at spaces only: its words are whole.
pdftotext -f 12 -l 12 -layout "$TMP/ru-m/report.pdf" "$TMP/ru-m12.txt"
grep -q "Психологическое  *Экономическое" "$TMP/ru-m12.txt" ||
  fail "ru: the region × violence table's headers are not whole: $(grep -m1 Регион "$TMP/ru-m12.txt")"
# What a chart leaves out is named in the language's quotes.
pdftotext "$TMP/ru-m/report.pdf" "$TMP/ru-m.pdf.txt"
flat "$TMP/ru-m.pdf.txt" | grep -qF "Не показаны на диаграмме, так как равны нулю: «Мальчики до 18 лет», «Не указано»." ||
  fail "ru: the not-drawn note does not quote its names"
# One name left out takes the singular: «Не указано» is one.
flat "$TMP/ru-m.pdf.txt" | grep -qF "Не показано на диаграмме, так как равно нулю: «Не указано»." ||
  fail "ru: the not-drawn note of one name is not in the singular"
pdftotext "$TMP/uz-Cyrl-m/report.pdf" "$TMP/uzc-m.pdf.txt"
flat "$TMP/uzc-m.pdf.txt" | grep -qF "Нолга тенг бўлгани учун диаграммада кўрсатилмаган: «Кўрсатилмаган»." ||
  fail "uz-Cyrl: the not-drawn note does not quote its names"
# Uzbek glues no case ending to a number, a percent or a bracket ("87
# (5,9 %)ga", "01.08.2023 dan", "20 dan"): a number is counted with "ta",
# or the sentence is built so that none is needed.
for d in uz uz-m uz-Cyrl uz-Cyrl-m; do
  pdftotext "$TMP/$d/report.pdf" "$TMP/$d.sfx.txt"
  for f in "$TMP/$d.sfx.txt" "$TMP/$d/summary.txt" "$TMP/$d/report.html"; do
    glued=$(flat "$f" | grep -oP '[0-9)%»](ga|da|dan|gacha|ni|ning|dagi|га|да|дан|гача|ни|нинг|даги)(?![\p{L}ʻʼ])|[0-9)%] (dan|gacha|ga|da|дан|гача|га|да)(?![\p{L}ʻʼ])' | head -3 | tr '\n' ' ')
    [ -z "$glued" ] || fail "$d: a case ending glued to a number in $(basename "$f"): $glued"
  done
done
flat "$TMP/uz-m/summary.txt" | grep -qF "2023-yil iyul oyidagidan 87 ta (5,9 %) koʻp" ||
  fail "uz: the change compared with the month before: $(flat "$TMP/uz-m/summary.txt" | grep -o 'iyul oyidagidan[^;]*')"
flat "$TMP/uz/summary.txt" | grep -qF "shundan ayollar — 10 696 (97,9 %), 18 yoshgacha qizlar — 70 (0,6 %) va erkaklar — 161 (1,5 %)." ||
  fail "uz: the headline's groups: $(flat "$TMP/uz/summary.txt" | grep -o 'shundan[^.]*')"
# No line of the PDF ends inside "2023-yil", a range ("0–17", "январь–
# август") or before a count's percent, nor with a one-letter word ("в").
for d in ru ru-m uz uz-m uz-Cyrl uz-Cyrl-m; do
  pdftotext "$TMP/$d/report.pdf" "$TMP/$d.lines.txt"
  broken=$( { grep -nE '[0-9]-$|[[:alnum:]]–$|(^| )[вкВК]$' "$TMP/$d.lines.txt"
    awk 'prev ~ /[[:alpha:]].* [0-9][0-9 ]*$/ && /^\([+−]?[0-9][0-9 ,]*%\)/ { print NR ": " prev " / " $0 } { prev = $0 }' "$TMP/$d.lines.txt"; } |
    head -3 | tr '\n' ' ')
  [ -z "$broken" ] || fail "$d: a PDF line breaks where it should not: $broken"
done
finish

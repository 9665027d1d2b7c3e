# mj-report --month M as a monthly bulletin: the month in its 13-month
# trend, its changes compared with the month before and a year before (with the exact
# test's "within chance"), and the year to date, read back from the
# summary and the PDF (pdftotext).
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv
words() { pdftotext -enc UTF-8 "$1" - | sed 's/\xc2\xa0/ /g' | tr -s ' \n\f' '  '; }
has() { grep -qF -- "$2" "$1" || fail "$(basename "$1") lacks: $2"; }
hasnt() { ! grep -qF -- "$2" "$1" || fail "$(basename "$1") holds: $2"; }
joined() { tr '\n' ' ' <"$1" | sed 's/\xc2\xa0/ /g' | tr -s ' ' >"$2"; }

# A register of two years made from the sample: 2023 as it is (January to
# August), 2022 with nine rows in ten of each month, and September to
# December 2022 from January to April 2023. Month counts (mj-tab agrees
# below): 2022-08 1,401; 2023-07 1,470; 2023-08 1,557.
TWO=$TMP/two.csv
awk -F, -v OFS=, 'NR == 1 { print; next }
  { print; split($2, d, "-"); m = d[2] + 0; day = d[3] + 0; if (day > 28) day = 28
    line = $0
    if (m <= 4) { $1 = "S" $1; $2 = sprintf("2022-%02d-%02d", m + 8, day); print; $0 = line }
    if (NR % 10 != 0) { $1 = "P" $1; $2 = sprintf("2022-%02d-%02d", m, d[3] + 0); print } }' \
  "$S" >"$TWO"
expect_status 0 mj-tab --format csv --by month "$TWO"
for v in 2022-08,2022-08,1401, 2023-07,2023-07,1470, 2023-08,2023-08,1557, 2022-09,2022-09,1210,; do
  expect_out "$v"
done

# August 2023 in the two-year register: 13 months, a change within chance
# on July (p = 0.12) and a real one on August 2022 (p < 0.01).
expect_status 0 mj-report --quiet --month 2023-08 -o "$TMP/two" "$TWO"
joined "$TMP/two/summary.txt" "$TMP/two.txt"
for v in "1,557 appeals in August 2023: 87 (5.9%) more than in July 2023 (within chance); 156 (11.1%) more than in August 2022." \
         "The trend covers the 13 months August 2022 – August 2023." \
         "Year to date, January–August 2023: 10,927 appeals, 1,092 (11.1%) more than in January–August 2022." \
         "exact conditional test of two Poisson counts"; do
  has "$TMP/two.txt" "$v"
done
hasnt "$TMP/two.txt" "156 (11.1%) more than in August 2022 (within chance)"
hasnt "$TMP/two.txt" "No appeal is counted for"

# The chart of the months is the trend's, not the one month of the
# period: its title names the 13 months, its text alternative each count,
# and it is as large as every chart.
svg=$TMP/months.svg
sed 's/\xc2\xa0/ /g' "$TMP/two/charts/months.svg" >"$svg"
has "$svg" 'aria-label="Appeals by month, August 2022 – August 2023"'
for v in "August 2022: 1,401" "July 2023: 1,470" "August 2023: 1,557"; do
  has "$svg" "$v"
done
hasnt "$svg" "No appeal is counted"
[ "$(head -c 24 "$TMP/two/charts/months.png" | tail -c 8 | od -An -tu1 | tr -s ' ')" = " 0 0 9 96 0 0 5 220" ] ||
  fail "months.png is not 2400 x 1500"

# The register's first month is a bulletin too: a trend of one month (its
# sentence in the singular) and no mix of the months (of one month it is
# the breakdown again, and its chart had no room: exit 2).
expect_status 0 mj-report --quiet --month 2023-01 -o "$TMP/jan" "$S"
joined "$TMP/jan/summary.txt" "$TMP/jan.txt"
has "$TMP/jan.txt" "so the trend covers one month, January 2023, not the usual 13."
# Both months it is compared with are before the register: said once.
has "$TMP/jan.txt" "1,210 appeals in January 2023: the register holds no records for December 2022 or January 2022. The register begins in January 2023, so"
hasnt "$TMP/jan.txt" "1 months"
/usr/bin/python3 - "$TMP/jan/report.xlsx" <<'PY' || fail "January workbook"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
assert "Month × Type of violence" not in wb.sheetnames, wb.sheetnames
assert "Trend by month" in wb.sheetnames, wb.sheetnames
PY

# Months without a record inside the trend are zeros that may be months
# nobody entered: the summary and the trend page say so, in every language.
GAP=$TMP/gap.csv
awk -F, -v OFS=, 'NR == 1 || $2 !~ /^2022-(09|10|12)/' "$TWO" >"$GAP"
for lang in en ru; do
  expect_status 0 mj-report --quiet --lang $lang --month 2023-08 -o "$TMP/gap-$lang" "$GAP"
  joined "$TMP/gap-$lang/summary.txt" "$TMP/gap-$lang.txt"
done
sed 's/\xc2\xa0/ /g' "$TMP/gap-ru/charts/months.svg" >"$TMP/months-ru.svg"
has "$TMP/months-ru.svg" "сентябрь 2022 г.: 0"
has "$TMP/months-ru.svg" "За сентябрь–октябрь 2022 г., декабрь 2022 г. не учтено ни одного обращения"
has "$TMP/gap-en.txt" "No appeal is counted for September–October 2022, December 2022: a 0 there may be a month that was not entered."
has "$TMP/gap-ru.txt" "За сентябрь–октябрь 2022 г., декабрь 2022 г. не учтено ни одного обращения: 0 там может означать, что месяц не был внесён."
if command -v pdftotext >/dev/null; then
  words "$TMP/gap-en/report.pdf" >"$TMP/gap.pdf.txt"
  has "$TMP/gap.pdf.txt" "No appeal is counted for September–October 2022, December 2022"
  # No change is given to or from such a month: -100% into it and +1,089
  # out of it would say that appeals fell and rose.
  pdftotext -layout "$TMP/gap-en/report.pdf" - | sed 's/\xc2\xa0/ /g' | tr -s ' ' >"$TMP/gap.rows.txt"
  for v in "August 2022 1,401 +64 (+4.8%) ≈ —" "September 2022 0 — —" "October 2022 0 — —" \
           "November 2022 1,330 — —" "December 2022 0 — —" "January 2023 1,210 — +114 (+10.4%)" \
           "February 2023 1,180 −30 (−2.5%) ≈ +123 (+11.6%)"; do
    grep -qxF -- "$v" "$TMP/gap.rows.txt" || fail "gap trend table lacks the row: $v"
  done
  has "$TMP/gap.pdf.txt" "No change is given to or from a month with no appeal counted: it may be a month that was not entered."
  hasnt "$TMP/gap.pdf.txt" "−100"
  words "$TMP/gap-ru/report.pdf" >"$TMP/gap-ru.pdf.txt"
  has "$TMP/gap-ru.pdf.txt" "Изменение к месяцу без учтённых обращений и от него не приводится: данные за этот месяц могли быть не внесены."
  hasnt "$TMP/gap-ru.pdf.txt" "−100"
fi
# The same in the workbook's trend sheet and the web page.
/usr/bin/python3 - "$TMP/gap-en/report.xlsx" <<'PY' || fail "gap workbook"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
rows = [[c for c in r] for ws in wb.worksheets for r in ws.iter_rows(values_only=True)]
import datetime
months = {r[0]: r for r in rows if r and isinstance(r[0], datetime.datetime)}
oct22, nov22 = months[datetime.datetime(2022, 10, 1)], months[datetime.datetime(2022, 11, 1)]
assert oct22[1] == 0 and nov22[1] == 1330, (oct22, nov22)
assert all(v is None for v in oct22[2:] + nov22[2:]), (oct22, nov22)
assert months[datetime.datetime(2023, 1, 1)][5] == 114, months[datetime.datetime(2023, 1, 1)]
assert any(r and isinstance(r[0], str) and "No change is given to or from a month" in r[0]
           for r in rows), "no note"
PY
has "$TMP/gap-en/report.html" "No change is given to or from a month with no appeal counted"
hasnt "$TMP/gap-en/report.html" "−100"

# The year to date is not compared with the year before when a month of
# either counts no appeal: without January 2023 it read "118 (1.2%) fewer",
# where the months both hold were 11% more.
awk -F, -v OFS=, 'NR == 1 || $2 !~ /^(2022-12|2023-01)/' "$TWO" >"$TMP/dj.csv"
expect_status 0 mj-report --quiet --month 2023-08 -o "$TMP/dj" "$TMP/dj.csv"
joined "$TMP/dj/summary.txt" "$TMP/dj.txt"
has "$TMP/dj.txt" "Year to date, January–August 2023: 9,717 appeals; no appeal is counted for January 2023, so there is no comparison with the year before."
hasnt "$TMP/dj.txt" "fewer than in January–August 2022"
# A month of the year before that the table does not show is named too,
# when a change of a month shown is counted from it.
awk -F, -v OFS=, 'NR == 1 || $2 !~ /^2022-03/' "$TWO" >"$TMP/m22.csv"
expect_status 0 mj-report --quiet --lang ru --month 2023-08 -o "$TMP/m22" "$TMP/m22.csv"
joined "$TMP/m22/summary.txt" "$TMP/m22.txt"
has "$TMP/m22.txt" "За март 2022 г. не учтено ни одного обращения: 0 там может означать, что месяц не был внесён."
has "$TMP/m22.txt" "за март 2022 г. не учтено ни одного обращения, поэтому сравнения с прошлым годом нет"
# A month the register holds is not a gap when the filters leave none of
# it: that 0 is true, and its changes are given.
expect_status 0 mj-report --quiet --month 2023-08 --where sex=male --where violence=sexual,economic -o "$TMP/fm" "$TWO"
joined "$TMP/fm/summary.txt" "$TMP/fm.txt"
hasnt "$TMP/fm.txt" "No appeal is counted for"
if command -v pdftotext >/dev/null; then
  pdftotext -layout "$TMP/fm/report.pdf" - | sed 's/\xc2\xa0/ /g' | tr -s ' ' >"$TMP/fm.rows.txt"
  grep -qxF "October 2022 0 −2 ≈ —" "$TMP/fm.rows.txt" || fail "filtered trend: October 2022's change"
  grep -qF "No change is given" "$TMP/fm.rows.txt" && fail "filtered trend: a gap note"
fi

# Without a trend, a month with no record between the register's first
# and last is not called the quietest, and is named as a possible gap.
expect_status 0 mj-report --quiet -o "$TMP/gap-year" "$GAP"
joined "$TMP/gap-year/summary.txt" "$TMP/gap-year.txt"
has "$TMP/gap-year.txt" "No appeal is counted for September–October 2022, December 2022: a 0 there may be a month that was not entered."
hasnt "$TMP/gap-year.txt" "the fewest in September 2022 (0)"
hasnt "$TMP/gap-year.txt" "(0)."
if command -v pdftotext >/dev/null; then
  words "$TMP/two/report.pdf" >"$TMP/two.pdf.txt"
  # The trend page: its title, the months in order with their counts, the
  # changes, and the key figures.
  has "$TMP/two.pdf.txt" "Appeals by month, August 2022 – August 2023"
  has "$TMP/two.pdf.txt" "August 2022 1,401 +64 (+4.8%) ≈ —"
  has "$TMP/two.pdf.txt" "September 2022 1,210 −191 (−13.6%) —"
  has "$TMP/two.pdf.txt" "July 2023 1,470 +65 (+4.6%) ≈ +133 (+9.9%)"
  has "$TMP/two.pdf.txt" "August 2023 1,557 +87 (+5.9%) ≈ +156 (+11.1%)"
  for v in "1,557 +87 +156 10,927" "+5.9% compared with July 2023 · within chance" \
           "+11.1% compared with August 2022" "appeals, January–"; do
    has "$TMP/two.pdf.txt" "$v"
  done
  months=$(pdftotext -layout "$TMP/two/report.pdf" - | sed 's/\xc2\xa0/ /g' |
    grep -oE '^(January|February|March|April|May|June|July|August|September|October|November|December) 20[0-9][0-9] ' |
    tr -s ' ' | tr '\n' ',')
  [ "$months" = "August 2022 ,September 2022 ,October 2022 ,November 2022 ,December 2022 ,January 2023 ,February 2023 ,March 2023 ,April 2023 ,May 2023 ,June 2023 ,July 2023 ,August 2023 ," ] ||
    fail "trend table months: $months"
  # Every other table stays the asked month.
  has "$TMP/two.pdf.txt" "2023-08-01 – 2023-08-31 · n = 1,557"
fi

# The workbook: the trend as a sheet of real dates (in the language's
# month names), counts and changes, with a native chart.
PY=/usr/bin/python3
if [ -x "$PY" ] && "$PY" -c 'import openpyxl' 2>/dev/null; then
  "$PY" - "$TMP/two/report.xlsx" <<'PYEOF' || fail "two/report.xlsx: trend sheet"
import sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
assert "Trend by month" in wb.sheetnames, wb.sheetnames
ws = wb["Trend by month"]
rows = [tuple(r) + (None,) * 8 for r in ws.iter_rows(min_row=4, values_only=True)
        if isinstance(r[0], datetime.datetime)]
months = [(r[0].year, r[0].month) for r in rows]
want = [(2022, m) for m in range(8, 13)] + [(2023, m) for m in range(1, 9)]
assert months == want, months
assert "mmmm yyyy" in ws["A4"].number_format, ws["A4"].number_format
last = rows[-1]
assert last[1] == 1557 and last[2] == 87 and abs(last[3] - 87 / 1470 * 100) < 1e-9, last
assert last[4] == "≈", last           # 87 on 1,470: within chance
assert last[5] == 156 and abs(last[6] - 156 / 1401 * 100) < 1e-9 and last[7] is None, last
assert rows[0][1] == 1401 and rows[0][5] is None, rows[0]   # no August 2021
assert rows[1][2] == -191 and rows[1][4] is None, rows[1]   # a real fall
assert len(ws._charts) == 1, ws._charts
PYEOF
fi

# The web page has the trend's table in the months' section.
for v in 'id="h-trend"' "<td>+87 (+5.9%) ≈</td>" "<td>+156 (+11.1%)</td>" "<td>1,401</td>"; do
  has "$TMP/two/report.html" "$v"
done

# A real fall: September 2022 on August 2022, a year before not held.
expect_status 0 mj-report --quiet --month 2022-09 -o "$TMP/fall" "$TWO"
joined "$TMP/fall/summary.txt" "$TMP/fall.txt"
has "$TMP/fall.txt" "1,210 appeals in September 2022: 191 (13.6%) fewer than in August 2022; the register holds no records for September 2021."
has "$TMP/fall.txt" "The register begins in January 2022, so the trend covers 9 months, January–September 2022, not the usual 13."
has "$TMP/fall.txt" "the register does not hold January–September 2021, so there is no comparison with the year before."

# The sample holds 2023 only: January to August, August highlighted, the
# earlier months said to be missing.
expect_status 0 mj-report --quiet --month 2023-08 -o "$TMP/one" "$S"
joined "$TMP/one/summary.txt" "$TMP/one.txt"
has "$TMP/one.txt" "1,557 appeals in August 2023: 87 (5.9%) more than in July 2023 (within chance); the register holds no records for August 2022."
has "$TMP/one.txt" "The register begins in January 2023, so the trend covers 8 months, January–August 2023, not the usual 13."
if command -v pdftotext >/dev/null; then
  words "$TMP/one/report.pdf" >"$TMP/one.pdf.txt"
  has "$TMP/one.pdf.txt" "Appeals by month, January–August 2023"
  has "$TMP/one.pdf.txt" "January 2023 1,210 — —"
  has "$TMP/one.pdf.txt" "March 2023 1,330 +150 (+12.7%) —"
  has "$TMP/one.pdf.txt" "August 2023 1,557 +87 (+5.9%) ≈ —"
  hasnt "$TMP/one.pdf.txt" "December 2022"
fi

# The pages: charts leave out what counts nothing and say so, a chart of
# one bar becomes a sentence, places are nested bars with their subtotals,
# and sections share pages.
if command -v pdftotext >/dev/null; then
  for v in "Not drawn, as they count none: “Boys under 18”, “Not stated”." \
           "Every count is in one category, Placed in the centre (97), so no chart is drawn." \
           "Domestic 1,048 (67.3%) Husband and wife 804 (51.6%)" \
           "Not drawn, as they count none: “Other family members”, “Between co-workers”."; do
    has "$TMP/one.pdf.txt" "$v"
  done
  pages=$(pdfinfo "$TMP/one/report.pdf" | awk '/^Pages:/ {print $2}')
  [ "$pages" -le 10 ] || fail "the August report takes $pages pages; sections should share them"
fi
# The workbook's sheet names fit without cutting, and none is "(2)".
if [ -x "$PY" ] && "$PY" -c 'import openpyxl' 2>/dev/null; then
  "$PY" - "$TMP/one/report.xlsx" <<'PYEOF' || fail "one/report.xlsx: sheet names"
import sys, openpyxl
names = openpyxl.load_workbook(sys.argv[1]).sheetnames
assert "Place of violence›Relationship" in names, names
assert "Outcome · Children placed" in names, names
assert not any("(2)" in n for n in names), names
assert all(len(n) <= 31 for n in names), names
PYEOF
fi

# A base under 20: a count only, and "within chance" for 3 on 12.
awk -F, 'NR == 1 { print; next } $2 ~ /^2023-07/ && a < 12 { print; a++ }
  $2 ~ /^2023-08/ && b < 15 { print; b++ }' "$S" >"$TMP/small.csv"
expect_status 0 mj-report --quiet --month 2023-08 -o "$TMP/small" "$TMP/small.csv"
joined "$TMP/small/summary.txt" "$TMP/small.txt"
has "$TMP/small.txt" "15 appeals in August 2023: 3 more than in July 2023 (within chance);"
hasnt "$TMP/small.txt" "3 (25.0%)"

# In Russian and Uzbek: the same figures in their sentences.
expect_status 0 mj-report --quiet --lang ru --month 2023-08 -o "$TMP/ru" "$TWO"
joined "$TMP/ru/summary.txt" "$TMP/ru.txt"
has "$TMP/ru.txt" "В августе 2023 г. поступило обращений: 1 557 — на 87 (5,9 %) больше, чем в июле 2023 г. (в пределах случайных колебаний); на 156 (11,1 %) больше, чем в августе 2022 г."
has "$TMP/ru.txt" "точным условным тестом"
if [ -x "$PY" ] && "$PY" -c 'import openpyxl' 2>/dev/null; then
  "$PY" - "$TMP/ru/report.xlsx" <<'PYEOF' || fail "ru/report.xlsx: trend sheet"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Динамика по месяцам"]
assert ws["A4"].number_format.startswith("[$-419]"), ws["A4"].number_format
assert ws["A4"].value.year == 2022 and ws["A4"].value.month == 8, ws["A4"].value
assert ws["B16"].value == 1557, ws["B16"].value
PYEOF
fi
expect_status 0 mj-report --quiet --lang uz --month 2023-08 -o "$TMP/uz" "$TWO"
[ -s "$TMP/err" ] && fail "uz report wrote to stderr: $(head -c 300 "$TMP/err")"
if [ -x "$PY" ] && "$PY" -c 'import openpyxl' 2>/dev/null; then
  "$PY" - "$TMP/uz/report.xlsx" <<'PYEOF' || fail "uz/report.xlsx: trend sheet and its chart"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Oylar boʻyicha dinamika"]
assert ws["A4"].number_format.startswith("[$-443]"), ws["A4"].number_format
assert len(ws._charts) == 1
PYEOF
fi
joined "$TMP/uz/summary.txt" "$TMP/uz.txt"
# (a no-break space keeps "2023-yil" with its month; joined() reads it as a space)
# (no case ending glued to a number or a bracket: "87 ta (5,9 %) koʻp", not "87 (5,9 %)ga")
has "$TMP/uz.txt" "2023-yil avgust oyida 1 557 ta murojaat tushdi — 2023-yil iyul oyidagidan 87 ta (5,9 %) koʻp (tasodifiy tebranishlar doirasida)"
expect_status 0 mj-report --quiet --lang uz-Cyrl --month 2023-08 -o "$TMP/uzc" "$TWO"
joined "$TMP/uzc/summary.txt" "$TMP/uzc.txt"
has "$TMP/uzc.txt" "2023 йил август ойида 1 557 та мурожаат тушди — 2023 йил июль ойидагидан 87 та (5,9 %) кўп"

# The main breakdown's mix over the 13 months (100% bars), its percents
# rounded as the tables round them: 926 of 949 is 97.6%, not 98%.
if command -v pdftotext >/dev/null; then
  has "$TMP/two.pdf.txt" "Type of violence by month, August 2022 – August 2023 Percent of each month's appeals"
  has "$TMP/two.pdf.txt" "97.6%"
  hasnt "$TMP/two.pdf.txt" " 98% "
fi
# The web page draws the trend's columns and the mix, and no one-point
# line of the asked month.
for v in 'id="c-trend-t"' 'id="c-mix-t"'; do
  has "$TMP/two/report.html" "$v"
done
hasnt "$TMP/two/report.html" 'id="c-months-t"'

# The workbook: the month sheet holds dates; each table's chart is of the
# PDF's type (bars, a ring, 100% bars of row percents labelled with one
# decimal) and leaves out the columns that count nothing; the mix is a
# sheet of its own.
if [ -x "$PY" ] && "$PY" -c 'import openpyxl' 2>/dev/null; then
  "$PY" - "$TMP/two/report.xlsx" <<'PYEOF' || fail "two/report.xlsx: dates and charts"
import sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["Month"]
assert isinstance(ws["A5"].value, datetime.datetime), ws["A5"].value
assert (ws["A5"].value.year, ws["A5"].value.month) == (2023, 8), ws["A5"].value
assert "mmmm yyyy" in ws["A5"].number_format, ws["A5"].number_format
def chart(name):
    charts = wb[name]._charts
    assert len(charts) == 1, (name, charts)
    return charts[0]
kinds = {"Group": ("BarChart", "col"), "Age group": ("BarChart", "col"),
         "Region": ("BarChart", "bar"), "Type of violence": ("DoughnutChart", None),
         "Region × Type of violence": ("BarChart", "bar"),
         "Outcome × Group": ("BarChart", "bar")}
for name, (kind, direction) in kinds.items():
    c = chart(name)
    assert type(c).__name__ == kind, (name, type(c).__name__)
    if direction:
        assert c.type == direction, (name, c.type)
ring = chart("Type of violence")
assert ring.series[0].dLbls.numFmt == "0.0%", ring.series[0].dLbls.numFmt
mix = chart("Outcome × Group")
assert mix.grouping == "stacked", mix.grouping
names = [s.tx.strRef.f for s in mix.series]
# Women, girls and men; boys under 18 and "not stated" count none.
assert len(names) == 3, names
assert all(s.dLbls.numFmt == "0.0%" for s in mix.series)
# The series are the row percents, under the counts.
assert all(int(s.val.numRef.f.split("$")[-1].split(":")[0] if ":" in s.val.numRef.f else 0) >= 0 for s in mix.series)
first = mix.series[0].val.numRef.f
assert "$B$" in first and not first.endswith("$B$7"), first
assert "Month × Type of violence" in wb.sheetnames, wb.sheetnames
assert chart("Month × Type of violence").grouping == "stacked"
# Its months are named on the axis as in the cells, not as serial days.
assert "mmmm yyyy" in chart("Month × Type of violence").x_axis.number_format.formatCode  # the category axis
assert "mmmm yyyy" in chart("Month").x_axis.number_format.formatCode
PYEOF
fi

# mj-chart leaves a column that counts nothing out of the legend and
# names it in the note.
expect_status 0 mj-chart stacked --percent -o "$TMP/og.pdf" --by outcome --cols group --period 2023-08 --quiet "$S"
if command -v pdftotext >/dev/null; then
  words "$TMP/og.pdf" >"$TMP/og.txt"
  has "$TMP/og.txt" "Not drawn, as they count none: “Boys under 18”, “Not stated”."
  [ "$(grep -o "Boys under 18" "$TMP/og.txt" | wc -l)" = 1 ] ||
    fail "og.pdf: Boys under 18 is drawn: $(cat "$TMP/og.txt")"
  has "$TMP/og.txt" "97.6%"
fi

# Two years of the same counts: "as many as" a year before, in the
# sentence of the month and of the year to date.
awk -F, -v OFS=, 'NR == 1 { print; next } { print; $1 = "N" $1; sub(/^2023/, "2024", $2); print }' \
  "$S" >"$TMP/same.csv"
expect_status 0 mj-report --quiet --month 2024-08 -o "$TMP/same" "$TMP/same.csv"
joined "$TMP/same/summary.txt" "$TMP/same.txt"
has "$TMP/same.txt" "as many as in August 2023."
has "$TMP/same.txt" "Year to date, January–August 2024: 10,927 appeals, as many as in January–August 2023."
has "$TMP/same.txt" "The trend covers the 13 months August 2023 – August 2024."

# Under --min-cell the months' mix is suppressed as a table of its own: its
# total row showed "<10" for 114 sexual and 1,062 economic appeals, because
# a month of them was hidden.
expect_status 0 mj-report --quiet --month 2023-08 --min-cell 10 -o "$TMP/m10" "$S"
/usr/bin/python3 - "$TMP/m10/report.xlsx" <<'PY' || fail "--min-cell: the mix's total row"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
ws = [w for w in wb.worksheets if w.title == "Month × Type of violence"][0]
rows = list(ws.iter_rows(values_only=True))
head = [r for r in rows if r and r[0] == "Month"][0]
total = [r for r in rows if r and r[0] == "Total"][0]
cells = dict(zip(head, total))
assert cells["Sexual"] == 114 and cells["Economic"] == 1062, cells
hidden = [c for r in rows[:rows.index(total)] for c in r if c in ("x", "<10")]
assert hidden, "nothing hidden at all"
PY

# No month, no trend: a whole register's report says nothing of one.
expect_status 0 mj-report --quiet -o "$TMP/all" "$S"
hasnt "$TMP/all/summary.txt" "Poisson"
finish

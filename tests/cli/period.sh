# The period of a table is the one asked for, else the whole calendar months
# the register spans (before filters); it and the filters travel with a
# table through a pipe into charts and workbooks, and are named in every
# title, subtitle and footer of a report.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv
PY=/usr/bin/python3
pdf_words() { pdftotext -enc UTF-8 "$1" - | sed 's/\xc2\xa0/ /g' | tr -s ' \n\f' '  '; }

# A register from 2023-01-15 to 2023-08-25 whose only man came in March.
cat >"$TMP/reg.csv" <<'EOF'
id,date,channel,region,sex,age,violence,place,relationship,outcome,children
1,2023-01-15,hotline,UZ-TK,female,30,physical,domestic,spouse,referral,0
2,2023-03-02,office,UZ-AN,male,40,psychological,public,neighbour,consultation,0
3,2023-05-20,hotline,UZ-TK,female,16,physical,domestic,parent_child,shelter,1
4,2023-08-25,hotline,UZ-BU,female,25,economic,domestic,spouse,referral,0
EOF
expect_status 0 mj-tab --format json --by region "$TMP/reg.csv"
expect_out '"period": {"from": "2023-01-01", "to": "2023-08-31"}'
# Filters do not shrink the period to the records they keep.
expect_status 0 mj-tab --format json --by region --where sex=male "$TMP/reg.csv"
expect_out '"period": {"from": "2023-01-01", "to": "2023-08-31"}'
expect_out '"filters": "sex=male"'
# A month table shows every month of that period, zeros included.
expect_status 0 mj-tab --format csv --by month --where sex=male "$TMP/reg.csv"
for m in 2023-01 2023-02 2023-08; do
  grep -q "^$m,$m,0," "$TMP/out" || fail "month table lacks $m with 0"
done
# The period asked for wins, whole.
expect_status 0 mj-tab --format json --by region --period 2023-02 "$TMP/reg.csv"
expect_out '"period": {"from": "2023-02-01", "to": "2023-02-28"}'
expect_status 2 mj-tab --by region --period 2023-08..2023-02 "$TMP/reg.csv"
expect_err 'period "2023-08..2023-02" ends before it starts'
expect_status 2 mj-tab --by region --period 2023-13 "$TMP/reg.csv"
expect_err 'cannot read period "2023-13"'

# The CSV in a pipe: rectangular as Python's csv module reads it, the
# totals row recognisable, what was counted on every row.
mj-tab --by region --where sex=male "$S" >"$TMP/t.csv" 2>/dev/null || fail "mj-tab csv"
"$PY" - "$TMP/t.csv" "$S" <<'PYEOF' || fail "CSV is not tidy with its metadata"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
head, body = rows[0], rows[1:]
assert all(len(r) == len(head) for r in body), "ragged"
assert head[:3] == ["region_code", "region", "count"], head
for k in ("title", "lang", "period_from", "period_to", "filters",
          "n_read", "n_counted", "n_rejected", "min_cell", "source"):
    assert k in head, k
d = [dict(zip(head, r)) for r in body]
tot = [r for r in d if r["region_code"] == "_total"]
assert len(tot) == 1 and tot[0] is d[-1], "totals row"
assert tot[0]["count"] == "161", tot[0]["count"]
for r in d:
    assert r["period_from"] == "2023-01-01" and r["period_to"] == "2023-08-31", r
    assert r["filters"] == "sex=male" and r["title"] == "Appeals by region", r
    assert r["n_read"] == "10927" and r["n_counted"] == "161", r
    assert r["source"] == sys.argv[2] and r["lang"] == "en", r
PYEOF
# TSV and Excel's CSV carry the same columns.
mj-tab --format tsv --by region --where sex=male "$S" 2>/dev/null | head -1 |
  grep -q "	period_from	period_to	filters	" || fail "TSV lacks the metadata columns"
mj-tab --format csv --excel --layout long --by region --where sex=male "$S" 2>/dev/null | sed -n 2p |
  grep -q ';2023-01-01;2023-08-31;sex=male;' || fail "Excel CSV lacks the metadata"

# A chart from the pipe is the chart from the records: same words.
if command -v pdftotext >/dev/null; then
  for lang in en ru; do
    mj-tab --lang $lang --by month --where sex=male "$S" 2>/dev/null |
      mj-chart line --lang $lang -o "$TMP/pipe-$lang.pdf" || fail "pipe chart ($lang)"
    mj-chart line --lang $lang --by month --where sex=male -o "$TMP/rec-$lang.pdf" "$S" 2>/dev/null ||
      fail "records chart ($lang)"
    pdf_words "$TMP/pipe-$lang.pdf" >"$TMP/pipe-$lang.txt"
    pdf_words "$TMP/rec-$lang.pdf" >"$TMP/rec-$lang.txt"
    cmp -s "$TMP/pipe-$lang.txt" "$TMP/rec-$lang.txt" ||
      fail "chart words differ ($lang): $(cat "$TMP/pipe-$lang.txt") | $(cat "$TMP/rec-$lang.txt")"
  done
  grep -qF "2023-01-01 – 2023-08-31" "$TMP/pipe-en.txt" || fail "pipe chart lacks the period"
  grep -qF "Filters: sex=male" "$TMP/pipe-en.txt" || fail "pipe chart lacks the filters"
  grep -qF "01.01.2023 – 31.08.2023" "$TMP/pipe-ru.txt" || fail "ru pipe chart lacks the period"
  grep -qF "Фильтры: sex=male" "$TMP/pipe-ru.txt" || fail "ru pipe chart lacks the filters"
  grep -qF "Source: $S" "$TMP/pipe-en.txt" || fail "pipe chart lacks the source"
fi
# The SVG too: the same chart, byte for byte.
mj-tab --by month --where sex=male "$S" 2>/dev/null | mj-chart line -o "$TMP/pipe.svg" ||
  fail "pipe svg"
mj-chart line --by month --where sex=male -o "$TMP/rec.svg" "$S" 2>/dev/null || fail "records svg"
cmp -s "$TMP/pipe.svg" "$TMP/rec.svg" || fail "pipe and records SVGs differ"

# A workbook from the pipe says what one from the records says.
if [ -x "$PY" ] && "$PY" -c 'import openpyxl' 2>/dev/null; then
  mj-tab --by region --where sex=male "$S" 2>/dev/null |
    mj-xlsx -o "$TMP/pipe.xlsx" || fail "pipe workbook"
  mj-xlsx -o "$TMP/rec.xlsx" --by region --where sex=male "$S" 2>/dev/null || fail "records workbook"
  "$PY" - "$TMP/pipe.xlsx" "$TMP/rec.xlsx" <<'PYEOF' || fail "workbooks from pipe and records differ"
import sys, openpyxl
def words(path):
    wb = openpyxl.load_workbook(path)
    out = {}
    for ws in wb.worksheets:
        out[ws.title] = [[c for c in r] for r in ws.iter_rows(min_row=1, max_row=3, values_only=True)]
        if ws.title.startswith("About"):
            out[ws.title] = [r for r in ws.iter_rows(values_only=True)]
    return out
a, b = words(sys.argv[1]), words(sys.argv[2])
about = [n for n in a if n.startswith("About")][0]
rows = {r[0]: r[1] for r in a[about] if r and r[0]}
assert any("2023-01-01 – 2023-08-31" == v for v in rows.values()), rows
assert any(v == "sex=male" for v in rows.values()), rows
# The records' About names the input the same way the table does.
assert a == b, (a, b)
PYEOF
fi

# The report: the period of the register, not of the records kept, and the
# filters wherever the period is.
expect_status 0 mj-report --quiet --where group=girl -o "$TMP/girls" "$S"
tr '\n' ' ' <"$TMP/girls/summary.txt" >"$TMP/g.txt"
head -1 "$TMP/girls/summary.md" |
  grep -qF '# Report on appeals, 2023-01-01 – 2023-08-31 (filters: group=girl)' ||
  fail "summary title: $(head -1 "$TMP/girls/summary.md")"
grep -qF "In total, 70 appeals were counted (filters: group=girl), of which" "$TMP/g.txt" ||
  fail "summary's first sentence lacks the filters: $(head -c 300 "$TMP/g.txt")"
if command -v pdftotext >/dev/null; then
  pdftotext -layout "$TMP/girls/report.pdf" "$TMP/girls.txt" || fail "pdftotext"
  pages=$(pdfinfo "$TMP/girls/report.pdf" | awk '/^Pages:/ {print $2}')
  # Every page's footer: the period and how far the data go; no "generated".
  [ "$(grep -c "2023-01-01 – 2023-08-31 .*data up to 2023-08-31" "$TMP/girls.txt")" -eq "$pages" ] ||
    fail "not every page's footer has the period and data date"
  expect_no "generated" "$TMP/girls.txt"
  # The title page and every table page name the filters.
  n=$(grep -c "filters: group=girl" "$TMP/girls.txt")
  [ "$n" -ge $((pages - 1)) ] || fail "only $n of $pages pages name the filters"
  grep -q "2023-01-15\|2023-08-25" "$TMP/girls.txt" && fail "a girl's date stands as the period"
  # In Russian too.
  expect_status 0 mj-report --quiet --lang ru --where group=girl -o "$TMP/girls-ru" "$S"
  pdftotext -layout "$TMP/girls-ru/report.pdf" "$TMP/girls-ru.txt" || fail "pdftotext ru"
  grep -qF "фильтры: group=girl" "$TMP/girls-ru.txt" || fail "ru report lacks the filters"
  grep -qF "данные по 31.08.2023" "$TMP/girls-ru.txt" || fail "ru report lacks the data date"
fi
# A register that stops before its period's end says so.
expect_status 0 mj-report --quiet -o "$TMP/short" "$TMP/reg.csv"
if command -v pdftotext >/dev/null; then
  pdftotext -layout "$TMP/short/report.pdf" "$TMP/short.txt" || fail "pdftotext short"
  grep -qF "2023-01-01 – 2023-08-31" "$TMP/short.txt" || fail "short register: period"
  grep -qF "data up to 2023-08-25" "$TMP/short.txt" || fail "short register: data date"
fi
# A period asked that goes beyond the records read by whole months is said
# to: the table of 2023 from a register that stops in August is not the
# year's count. On stderr (every program), under the table, in JSON and on
# the workbook; in the table's language. A period inside the records is
# not marked, nor one whose first days come before the first record.
expect_status 0 mj-tab --format text --by region --period 2023 "$TMP/reg.csv"
expect_err "note: the period asked runs from 2023-01-01 to 2023-12-31, but the records read only from 2023-01-15 to 2023-08-25"
N=$(printf '\302\240')
expect_out "The period is 2023-01-01${N}–${N}2023-12-31, but the records read run only from 2023-01-15 to 2023-08-25"
expect_status 0 mj-tab --format text --lang ru --by region --period 2023-06..2023-09 "$TMP/reg.csv"
expect_out "Период — 01.06.2023${N}–${N}30.09.2023, но прочитанные записи охватывают только 15.01.2023${N}–${N}25.08.2023"
expect_status 0 env LANGUAGE=ru mj-tab --format csv --by region --period 2022-12..2023-08 "$TMP/reg.csv"
expect_err "примечание: запрошен период с 2022-12-01 по 2023-08-31"
for p in 2023-01..2023-08 2023-03 2023-Q2; do
  expect_status 0 mj-tab --format json --by region --period "$p" "$TMP/reg.csv"
  grep -q "records read" "$TMP/out" "$TMP/err" && fail "--period $p is inside the records, yet marked"
done
expect_status 0 mj-chart bar -o "$TMP/beyond.svg" --by region --period 2023 "$TMP/reg.csv"
expect_err "note: the period asked runs from 2023-01-01 to 2023-12-31"
expect_status 0 mj-xlsx -o "$TMP/beyond.xlsx" --by region --period 2023 "$TMP/reg.csv"
"$PY" - "$TMP/beyond.xlsx" <<'PYEOF' || fail "workbook lacks the note on the period"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
text = [v for ws in wb for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
assert any("but the records read run only from 2023-01-15 to 2023-08-25" in v for v in text), text
PYEOF
finish

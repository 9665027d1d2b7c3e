# Registers kept as Excel workbooks: the same records give byte-identical
# tables from CSV and from .xlsx (written by libxlsxwriter, and re-saved by
# LibreOffice); errors point at cells; sheets, header rows, damaged files.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv
D=$SRC/tests/data/xlsxin
MK=$BUILD/tests/mkxlsx

# Two CSV tables from mj-tab are the same but for the source (the file read)
# that ends each row.
same_but_source() { cmp -s <(sed 's/,[^,]*$//' "$1") <(sed 's/,[^,]*$//' "$2"); }

# same_tables CSV BOOK [OPTIONS...]: mj-tab --format csv gives the same bytes
# but for the source.
same_tables() {
  csv=$1 book=$2; shift 2
  for by in region violence month quarter channel place,relationship age_group group outcome district \
            "region --cols sex" "place,relationship --cols group" "outcome --sum children"; do
    # shellcheck disable=SC2086
    mj-tab --format csv --by $by "$csv" >"$TMP/want" 2>/dev/null || fail "mj-tab --by $by $csv"
    # shellcheck disable=SC2086
    mj-tab --format csv --by $by "$@" "$book" >"$TMP/got" 2>"$TMP/got.err" \
      || fail "mj-tab --by $by $book: $(head -c 300 "$TMP/got.err")"
    same_but_source "$TMP/want" "$TMP/got" || fail "--by $by: $book differs from $csv: $(diff "$TMP/want" "$TMP/got" | head -4)"
  done
}

# The 2023 sample with title rows above the header, real Excel dates (built-in
# and custom formats), numbers as numbers, a formula column with cached values.
"$MK" --title --dates --formulas "$S" "$TMP/register.xlsx" || fail "mkxlsx"
same_tables "$S" "$TMP/register.xlsx"
# Inline strings instead of the shared strings table.
"$MK" --inline --dates "$S" "$TMP/inline.xlsx" || fail "mkxlsx --inline"
same_tables "$S" "$TMP/inline.xlsx"
# Re-saved by LibreOffice Calc (headless): its own styles, formats and XML.
same_tables "$D/register-200.csv" "$D/register-lo.xlsx"

# The counts line says the same, and mj-check --fix writes the same rows.
# The title rows skipped are told of.
expect_status 0 mj-tab --format csv --by region "$TMP/register.xlsx"
expect_err "10927 rows read, 10927 counted"
expect_err "note: rows 1–2, above the header (row 4), were skipped as titles or notes"
# A row above the header filled as a record is never skipped without a
# word: the sheet is refused at it, with what to do.
{ sed -n '2,4p' "$S"; head -1 "$S"; sed -n '5,$p' "$S"; } >"$TMP/above.csv"
"$MK" "$TMP/above.csv" "$TMP/above.xlsx" || fail "mkxlsx above"
expect_status 2 mj-tab --by region "$TMP/above.xlsx"
expect_err "above.xlsx:Appeals!row 1: this row above the header (row 4) has 12 cells filled, as a record has: if it is one, move it below the header; if it is a title or a note, give --header-row 4"
expect_status 0 mj-tab --format csv --by region --header-row 4 "$TMP/above.xlsx"
expect_out "_total,Total,10924,"
mj-check --quiet --fix "$S" >"$TMP/fix-csv" 2>/dev/null
mj-check --quiet --fix "$TMP/register.xlsx" >"$TMP/fix-xlsx" 2>/dev/null
cmp -s "$TMP/fix-csv" "$TMP/fix-xlsx" || fail "mj-check --fix differs between CSV and workbook"

# A duplicate id names each place as its own file does: a text file's line,
# a workbook's cell or row, whichever file comes first and however the
# files are read (in parts, or in order with --rejects).
for how in "" "--rejects $TMP/rejects"; do
  mj-check $how "$TMP/register.xlsx" "$S" >/dev/null 2>"$TMP/err"
  grep -q "^mj-check: $S:2:1: column 'id': duplicate id (first seen at $TMP/register.xlsx, row 5)\$" "$TMP/err" ||
    fail "a text file's duplicate after a workbook ($how)"
  grep "^mj-check: $S:" "$TMP/err" | grep -q '!' && fail "a text file's row named by a sheet ($how)"
  mj-check $how "$S" "$TMP/register.xlsx" >/dev/null 2>"$TMP/err"
  grep -q "^mj-check: $TMP/register.xlsx:Appeals!A5: column 'id': duplicate id (first seen at $S:2)\$" "$TMP/err" ||
    fail "a workbook's duplicate after a text file ($how)"
done

# From a pipe, the workbook is held in memory.
mj-tab --format csv --by region <"$TMP/register.xlsx" >"$TMP/pipe" 2>/dev/null || fail "workbook on stdin"
mj-tab --format csv --by region "$S" >"$TMP/want" 2>/dev/null
same_but_source "$TMP/want" "$TMP/pipe" || fail "workbook on stdin gives other tables"
cat "$TMP/register.xlsx" | mj-check --quiet >/dev/null 2>"$TMP/err" || fail "workbook through cat | mj-check"

# Cells merged over rows hold their value in the first row only: the rows
# below read as "not stated" without a word (two of three hotline appeals
# were counted as not stated). Such a sheet is refused at the range; a
# title merged across columns above the header is no such range.
head -5 "$S" >"$TMP/merge.csv"
"$MK" --merge C2:C4=hotline "$TMP/merge.csv" "$TMP/merged.xlsx" || fail "mkxlsx --merge"
expect_status 2 mj-tab --by channel "$TMP/merged.xlsx"
expect_err "merged.xlsx:Appeals!C2: cells C2:C4 are merged: a merged cell's value is in its first row only"
expect_status 2 mj-check "$TMP/merged.xlsx"
expect_err "cells C2:C4 are merged"
"$MK" --title --merge A1:F1="Register of appeals, 2023" "$TMP/merge.csv" "$TMP/title-merged.xlsx" ||
  fail "mkxlsx --title --merge"
expect_status 0 mj-check "$TMP/title-merged.xlsx"
expect_err "4 rows read, 4 valid, 0 rejected"

# Errors name the cell; the row is still read as in CSV.
"$MK" --set D5=Atlantis --set G7=old --set B9=2023-13-01 "$S" "$TMP/bad.xlsx" || fail "mkxlsx --set"
expect_status 1 mj-check "$TMP/bad.xlsx"
expect_err "mj-check: $TMP/bad.xlsx:Appeals!D5: column 'region': unknown value \"Atlantis\""
expect_err "$TMP/bad.xlsx:Appeals!G7: column 'age': \"old\" is not a whole number"
expect_err "$TMP/bad.xlsx:Appeals!B9: column 'date'"
expect_err "10927 rows read, 10924 valid, 3 rejected"
expect_status 1 mj-tab --format csv --by region "$TMP/bad.xlsx"
expect_err "$TMP/bad.xlsx:Appeals!D5: column 'region': unknown value"
expect_status 1 mj-tab --strict --by region "$TMP/bad.xlsx"
# The same in a workbook saved by LibreOffice, with title rows above.
expect_status 1 mj-check "$D/bad-lo.xlsx"
expect_err "bad-lo.xlsx:Appeals!D10: column 'region': unknown value \"Atlantis\""
expect_err "bad-lo.xlsx:Appeals!B12: column 'date': \"31.02.2023\" is not a date"
expect_err "200 rows read, 198 valid, 2 rejected"

# A duplicate id points at its cell and says the row of the first.
{ head -5 "$D/register-200.csv"; sed -n 3p "$D/register-200.csv"; } >"$TMP/dup.csv"
"$MK" --title "$TMP/dup.csv" "$TMP/dup.xlsx" || fail "mkxlsx dup"
expect_status 1 mj-check "$TMP/dup.xlsx"
expect_err "$TMP/dup.xlsx:Appeals!A9: column 'id': duplicate id (first seen at $TMP/dup.xlsx, row 6)"

# The whole report from a workbook saved by LibreOffice; errors at cells.
expect_status 0 mj-report -o "$TMP/report" "$D/register-lo.xlsx"
[ -s "$TMP/report/report.xlsx" ] && [ -s "$TMP/report/summary.md" ] || fail "mj-report from a workbook wrote no report"
grep -q "In total, 200 appeals were counted" "$TMP/report/summary.txt" || fail "mj-report from a workbook: $(head -c 200 "$TMP/report/summary.txt")"
expect_status 1 mj-report -o "$TMP/report2" "$D/bad-lo.xlsx"
expect_err "bad-lo.xlsx:Appeals!D10: column 'region': unknown value \"Atlantis\""

# Sheets: the first by default, or by name (any case) or number.
"$MK" --before "Notes" --sheet "Appeals 2023" "$S" "$TMP/two.xlsx" || fail "mkxlsx --before"
expect_status 2 mj-tab --by region "$TMP/two.xlsx"
expect_err "$TMP/two.xlsx: no header row in sheet 'Notes'"
expect_err "--header-row N"
mj-tab --format csv --by region "$S" >"$TMP/want" 2>/dev/null
for sheet in "Appeals 2023" "appeals 2023" 2; do
  mj-tab --format csv --by region --sheet "$sheet" "$TMP/two.xlsx" >"$TMP/got" 2>/dev/null \
    || fail "--sheet $sheet"
  same_but_source "$TMP/want" "$TMP/got" || fail "--sheet $sheet gives other tables"
done
expect_status 2 mj-tab --by region --sheet Summary "$TMP/two.xlsx"
expect_err "$TMP/two.xlsx: no sheet named \"Summary\": the workbook has Notes, Appeals 2023"
expect_status 2 mj-check --sheet 3 "$TMP/two.xlsx"
expect_err "no sheet number 3: the workbook has 2 (Notes, Appeals 2023)"
expect_status 0 mj-check --quiet --sheet 2 "$TMP/two.xlsx"
# Only one sheet is read: with others beside it, a note says so, unless
# --sheet chose it.
"$MK" --after "Totals" "$S" "$TMP/after.xlsx" || fail "mkxlsx --after"
expect_status 0 mj-check "$TMP/after.xlsx"
expect_err "after.xlsx: note: the workbook has 2 sheets; only the first, 'Appeals', was read (--sheet NAME or N reads another"
expect_status 0 mj-tab --by region "$TMP/after.xlsx"
expect_err "after.xlsx: note: the workbook has 2 sheets; only the first, 'Appeals', was read"
expect_status 0 mj-check --sheet 1 "$TMP/after.xlsx"
expect_no "the workbook has 2 sheets" "$TMP/err"
# Sheet names with spaces are quoted in cell references, as Excel does.
"$MK" --sheet "Appeals 2023" --set D5=Atlantis "$S" "$TMP/spaced.xlsx" || fail "mkxlsx --sheet"
expect_status 1 mj-check "$TMP/spaced.xlsx"
expect_err "$TMP/spaced.xlsx:'Appeals 2023'!D5: column 'region': unknown value"

# --header-row: the title workbook's header is row 4.
expect_status 0 mj-tab --format csv --by region --header-row 4 "$TMP/register.xlsx"
expect_status 2 mj-tab --by region --header-row 1 "$TMP/register.xlsx"
expect_err "$TMP/register.xlsx:Appeals!row 1: missing required column"
expect_status 2 mj-tab --by region --header-row 3 "$TMP/register.xlsx"
expect_err "$TMP/register.xlsx:Appeals!row 3: row 3 (--header-row) is empty"
expect_status 2 mj-tab --by region --header-row 0 "$TMP/register.xlsx"
expect_err "--header-row: expected a row number from 1 to 1048576, got \"0\""
expect_status 2 mj-check --header-row x "$TMP/register.xlsx"
expect_err "--header-row: expected a row number"

# Unreadable workbooks: exit 2 with the file named; other files still read.
printf 'PK\003\004 this is not a zip archive' >"$TMP/junk.xlsx"
expect_status 2 mj-tab --by region "$TMP/junk.xlsx"
expect_err "$TMP/junk.xlsx: cannot read as a workbook: not a valid zip archive"
head -c 20000 "$TMP/register.xlsx" >"$TMP/cut.xlsx"
expect_status 2 mj-check "$TMP/cut.xlsx" "$D/register-lo.xlsx"
expect_err "$TMP/cut.xlsx: cannot read as a workbook"
expect_err "200 rows read, 200 valid"
printf '\320\317\021\340\241\261\032\341 encrypted' >"$TMP/locked.xlsx"
expect_status 2 mj-tab --by region "$TMP/locked.xlsx"
expect_err "$TMP/locked.xlsx: an encrypted (password-protected) workbook or an old .xls file"

# Streaming: five times the rows cost no more memory (skipped under ASan,
# whose allocator keeps freed memory in quarantine).
if [ -x /usr/bin/time ] && ! ldd "$BUILD/cmd/mj-tab" | grep -q libasan; then
  { head -1 "$S"; for _ in 1 2 3 4 5; do tail -n +2 "$S"; done; } >"$TMP/five.csv"
  "$MK" --inline --dates "$TMP/five.csv" "$TMP/five.xlsx" || fail "mkxlsx five"
  /usr/bin/time -f %M -o "$TMP/rss1" mj-tab --format csv --by region "$TMP/register.xlsx" >/dev/null 2>&1
  /usr/bin/time -f %M -o "$TMP/rss5" mj-tab --format csv --by region "$TMP/five.xlsx" >"$TMP/five.out" 2>/dev/null
  grep -q "^_total,Total,54635,100.0" "$TMP/five.out" || fail "five times the sample: $(tail -1 "$TMP/five.out")"
  rss1=$(tail -1 "$TMP/rss1") rss5=$(tail -1 "$TMP/rss5")
  [ "$rss5" -le $((rss1 * 5 / 4 + 2048)) ] || fail "memory grows with rows: ${rss1} KB for 10,927 rows, ${rss5} KB for 54,635"
fi

# The options are documented where users look.
expect_status 0 mj-tab --help
expect_out "--sheet NAME|N"
expect_out "--header-row N"
expect_status 0 mj-check --help
expect_out "--sheet NAME|N"
for page in mj-tab mj-check; do
  grep -q '^\.SH EXCEL WORKBOOKS' "$SRC/doc/$page.1" || fail "$page.1 lacks EXCEL WORKBOOKS"
done
finish

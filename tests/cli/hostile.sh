# Hostile and broken input: every case ends with a clear message naming the
# file (and line and column where there is one), exit 1 or 2, no crash, no
# hang, bounded memory, and read = counted + rejected.
. "$SRC/tests/cli/lib.sh"
H="id,date,channel,region,district,sex,age,violence,place,relationship,outcome,children"
# Memory stays bounded whatever the input: 1 GiB of address space is
# plenty (sanitizer builds reserve far more, so the limit applies only to
# plain builds).
if ldd "$BUILD/cmd/mj-tab" | grep -q libasan; then sanitized=1; else sanitized=0; fi
limit() { if [ $sanitized = 1 ]; then "$@"; else (ulimit -v 1048576; "$@"); fi; }
# read = counted + outside + rejected, from mj-tab's summary line.
balanced() {
  awk '/rows read/ {r=$2; c=$5; x=$7; j=$11; ok = (r == c + x + j)} END {exit ok ? 0 : 1}' "$TMP/err" ||
    fail "read != counted + rejected: $(grep 'rows read' "$TMP/err")"
}

printf '%s\n' "$H" >"$TMP/header-only.csv"
expect_status 0 timeout 60 mj-tab --format csv --by region "$TMP/header-only.csv"
expect_out "_total,Total,0,"
expect_err "0 rows read, 0 counted"

# NUL bytes inside a field.
printf '%s\nA1,2023-01-01,hotline,UZ-T\0K,,female,30,physical,,,,\n' "$H" >"$TMP/nul.csv"
expect_status 1 timeout 60 mj-tab --format csv --by region "$TMP/nul.csv"
expect_err "nul.csv:2:4: field holds a NUL byte"
balanced
expect_status 1 timeout 60 mj-check "$TMP/nul.csv"
expect_err "nul.csv:2:4: field holds a NUL byte"

# A 16 MB field (in a column that is ignored, and in one that is not).
{ printf '%s,note\n' "$H"; printf 'A1,2023-01-01,hotline,UZ-TK,,female,30,physical,,,,,'; head -c 16777216 /dev/zero | tr '\0' x; printf '\n'
  printf 'A2,2023-01-01,hotline,'; head -c 16777216 /dev/zero | tr '\0' y; printf ',,female,30,physical,,,,,\n'; } >"$TMP/big-field.csv"
expect_status 1 limit timeout 120 mj-tab --quiet --format csv --by region "$TMP/big-field.csv"
expect_err "big-field.csv:3:4: column 'region': value of 16777216 bytes is longer than the limit of 1024"
expect_status 1 limit timeout 120 mj-tab --format csv --by region "$TMP/big-field.csv"
balanced
grep -q "^UZ-TK,Tashkent city,1," "$TMP/out" || fail "the row with a 16 MB note was not counted"

# 100,000 columns in the header and in a row.
awk -v h="$H" 'BEGIN {printf "%s", h; for (i = 0; i < 100000; i++) printf ",extra%d", i; printf "\n";
  printf "A1,2023-01-01,hotline,UZ-TK,,female,30,physical,,,,"; for (i = 0; i < 100000; i++) printf ",v"; printf "\n"}' >"$TMP/wide.csv"
expect_status 0 limit timeout 120 mj-tab --quiet --format csv --by region "$TMP/wide.csv"
expect_out "UZ-TK,Tashkent city,1,"
expect_status 0 limit timeout 120 mj-check --quiet "$TMP/wide.csv"

# Binary garbage.
head -c 200000 /dev/urandom >"$TMP/garbage.bin"
expect_status 2 limit timeout 60 mj-tab --by region "$TMP/garbage.bin"
expect_err "garbage.bin"
head -c 200000 /dev/urandom >"$TMP/garbage.csv"
expect_status 2 limit timeout 60 mj-check "$TMP/garbage.csv"
expect_err "garbage.csv"

# Invalid UTF-8 with a hint, in header and in values.
printf 'id,date,r\xe9gion\n' >"$TMP/bad-header.csv"
expect_status 2 mj-tab --by region "$TMP/bad-header.csv"
expect_err "bad-header.csv:1:3: header field 3 is not valid UTF-8 text (is the file Windows-1251? try --encoding cp1251)"

# Files that are text of another kind say what they are, named or piped.
printf '\377\376i\000d\000,\000d\000a\000t\000e\000\n\000' >"$TMP/utf16.txt"
gzip -c "$SRC/tests/data/twin/clean.csv" >"$TMP/clean.csv.gz"
for how in file pipe; do
  if [ $how = file ]; then
    expect_status 2 mj-tab --by region "$TMP/utf16.txt"; U=$TMP/utf16.txt
  else
    expect_status 2 sh -c 'exec mj-tab --by region - <"$0"' "$TMP/utf16.txt"; U="<stdin>"
  fi
  expect_err "$U: the file is UTF-16 text (as Excel saves \"Unicode text\"); save it as \"CSV UTF-8\""
  expect_no "Windows-1251" "$TMP/err"
done
expect_status 2 mj-check "$TMP/clean.csv.gz"
expect_err "clean.csv.gz: the file is compressed (gzip); decompress it first (gunzip)"

# Several files: a bad one is reported, the others still read, exit 2.
cp "$SRC/tests/data/twin/clean.csv" "$TMP/clean2.csv"
expect_status 2 mj-tab --format csv --by region "$SRC/tests/data/twin/clean.csv" "$TMP/none.csv" "$TMP/clean2.csv"
expect_err "none.csv: cannot open: No such file or directory"
[ -s "$TMP/out" ] && fail "a table although a file could not be read"
expect_status 2 mj-check "$SRC/tests/data/twin/clean.csv" "$TMP/none.csv" "$SRC/tests/data/twin/clean.csv"
expect_err "20 rows read, 10 valid, 10 rejected, 10 duplicate ids"

# An unreadable file (root reads everything, so only as another user).
if [ "$(id -u)" -ne 0 ]; then
  cp "$SRC/tests/data/twin/clean.csv" "$TMP/locked.csv"
  chmod 000 "$TMP/locked.csv"
  expect_status 2 mj-tab --by region "$TMP/locked.csv"
  expect_err "locked.csv: cannot open: Permission denied"
fi

# Unterminated quote at the very end, through the fast path and stdin.
printf '%s\nA1,2023-01-01,hotline,UZ-TK,,female,30,"physical,,,,,\n' "$H" >"$TMP/open-quote.csv"
expect_status 2 mj-tab --by region "$TMP/open-quote.csv"
expect_err "open-quote.csv:2: unterminated quoted field"
expect_status 2 sh -c "mj-tab --by region < '$TMP/open-quote.csv'"
expect_err "<stdin>:2: unterminated quoted field"

# A quoted field whose closing quote is followed by text ("Ромашка" ООО):
# libcsv reads on inside the field, and the appeals on the lines after it
# became its text, seven of them lost with exit 0. The file is refused at
# the quote, through the fast path, standard input, Windows-1251, and a
# file read in parts; a quote inside an unquoted field (ООО "Лотос"), a
# quoted field with doubled quotes and a line break, and a quoted field
# with text after its quote that closes on its line stay as they were.
S=$SRC/samples/appeals-2023.csv
{ head -1 "$S" | sed 's/$/,note/'
  sed -n '2,3p' "$S" | sed 's/$/,ООО "Лотос"/'
  sed -n '4p' "$S" | sed 's/$/,"""Ромашка"" ООО, a line break:\nand more"/'
  sed -n '5p' "$S" | sed 's/$/,"a" b "c"/'
  sed -n '6p' "$S" | sed 's/$/,"Ромашка" ООО/'
  sed -n '7,12p' "$S" | sed 's/$/,-/'; } >"$TMP/quote-text.csv"
expect_status 2 mj-check "$TMP/quote-text.csv"
expect_err "quote-text.csv:7:13: a quoted field's closing quote is followed by text, so the lines after it would be read into this field and their appeals lost"
expect_err "4 rows read, 0 valid, 0 rejected, 4 in refused files"
expect_status 2 sh -c "mj-check - < '$TMP/quote-text.csv'"
expect_err "<stdin>:7:13: a quoted field's closing quote is followed by text"
expect_err "4 rows read, 0 valid, 0 rejected, 4 in refused files"
iconv -f UTF-8 -t CP1251 "$TMP/quote-text.csv" >"$TMP/quote-text-1251.csv"
expect_status 2 mj-tab --encoding cp1251 --by region "$TMP/quote-text-1251.csv"
expect_err "quote-text-1251.csv:7:13: a quoted field's closing quote is followed by text"
head -6 "$TMP/quote-text.csv" >"$TMP/quote-ok.csv"
expect_status 0 mj-check "$TMP/quote-ok.csv"
expect_err "4 rows read, 4 valid, 0 rejected"
# In a file read in parts (over 4 MB), far from its start.
mj-synth --rows 60000 --seed 5 -o "$TMP/big-quote.csv" "$SRC/samples/appeals-2023.spec" 2>/dev/null ||
  fail "mj-synth big-quote"
awk -F, -v OFS=, 'NR == 1 { print $0 ",note"; next }
  NR == 40000 { print $0 ",\"Ромашка\" ООО"; next } { print $0 ",-" }' "$TMP/big-quote.csv" >"$TMP/big-quote2.csv"
expect_status 2 mj-check "$TMP/big-quote2.csv"
expect_err "big-quote2.csv:40000:13: a quoted field's closing quote is followed by text"
expect_status 2 mj-tab --by region "$TMP/big-quote2.csv"
expect_err "big-quote2.csv:40000:13: a quoted field's closing quote is followed by text"

# Title lines above the header, as an export writes them, are no records:
# the header is the first row naming two columns of the schema, every
# appeal counts, and a row's line is its line in the file (the file read
# as it is, read in parts, and from a pipe; a semicolon file with a title
# without one). A file of no such row is read from its first row.
S=$SRC/samples/appeals-2023.csv
{ echo "Обращения за август 2023,,,,,,,,,,,"; echo "Отдел статистики"; cat "$S"; } >"$TMP/title.csv"
expect_status 0 mj-tab --format csv --by region "$TMP/title.csv"
expect_out "_total,Total,10927,100.0,10927,"
expect_err "title.csv: note: lines 1–2, above the header (line 3), were skipped as titles or notes"
expect_status 0 sh -c "mj-tab --format csv --by region - < '$TMP/title.csv'"
expect_out "_total,Total,10927,100.0,10927,"
expect_status 0 mj-check "$TMP/title.csv"
expect_err "10927 rows read, 10927 valid, 0 rejected"
{ echo "Обращения за август 2023"; sed 's/,/;/g' "$S"; } >"$TMP/title-semi.csv"
expect_status 0 mj-tab --format csv --by region "$TMP/title-semi.csv"
expect_out "_total,Total,10927,100.0,10927,"
{ echo "Отчёт"; head -3 "$S"; echo "X9,2023-13-01,hotline,UZ-TK,,female,30,physical,domestic,spouse,referral,0"; } >"$TMP/title-bad.csv"
expect_status 1 mj-check "$TMP/title-bad.csv"
expect_err "title-bad.csv:5:2: column 'date'"
mj-synth --rows 60000 --seed 6 -o "$TMP/big-title0.csv" "$SRC/samples/appeals-2023.spec" 2>/dev/null || fail "mj-synth big-title"
{ echo "Title"; cat "$TMP/big-title0.csv"; } >"$TMP/big-title.csv"
mj-tab --format csv --by region "$TMP/big-title0.csv" 2>/dev/null | grep '^_total' >"$TMP/big-title.want"
expect_status 0 mj-tab --format csv --by region "$TMP/big-title.csv"
grep '^_total' "$TMP/out" | sed 's/big-title.csv/big-title0.csv/' | cmp -s - "$TMP/big-title.want" ||
  fail "a title above 60,000 rows read in parts: other counts"
# Records above the header are never skipped without a word: the file stops
# at the first, with what to do. A row of metadata naming two columns
# with values ("Год,2023,Месяц,Август") is no header; a title with a comma
# over a semicolon file does not set the delimiter.
{ sed -n '2,51p' "$S"; head -1 "$S"; sed -n '52,$p' "$S"; } >"$TMP/above.csv"
expect_status 2 mj-tab --by region "$TMP/above.csv"
expect_err "above.csv:1: this row above the header (line 51) has 12 fields filled, as a record has: if it is one, move it below the header; if it is a title or a note, give --header-row 51"
expect_status 2 mj-check "$TMP/above.csv"
expect_err "above.csv:1: this row above the header (line 51)"
{ echo "Отчёт,,,"; echo "Год,2023,Месяц,Август"; cat "$S"; } >"$TMP/meta.csv"
expect_status 0 mj-tab --format csv --by region "$TMP/meta.csv"
expect_out "_total,Total,10927,100.0,10927,"
expect_err "meta.csv: note: lines 1–2, above the header (line 3), were skipped as titles or notes"
{ echo "Обращения, август 2023"; sed 's/,/;/g' "$S"; } >"$TMP/comma-title.csv"
expect_status 0 mj-tab --format csv --by region "$TMP/comma-title.csv"
expect_out "_total,Total,10927,100.0,10927,"
# --header-row: the line of the header; past the end, an error.
expect_status 0 mj-tab --format csv --by region --header-row 3 "$TMP/title.csv"
expect_out "_total,Total,10927,100.0,10927,"
expect_status 2 mj-tab --by region --header-row 20000 "$TMP/title.csv"
expect_err "title.csv:20000: line 20000 (--header-row) is past the file's last row"
# A title with a stray quote ("Ишонч" markazi ...) cannot be read as CSV:
# the file stops at that quote, saying --header-row reads it; with it, the
# lines above the header are skipped as lines, from a file or a pipe.
{ echo '"Ишонч" markazi murojaatlari, avgust 2023'; cat "$S"; } >"$TMP/quote-title.csv"
expect_status 2 mj-tab --by region "$TMP/quote-title.csv"
expect_err "quote-title.csv:1:1: a quoted field's closing quote is followed by text, so the lines after it would be read into this field and their appeals lost; if this line is a title above the header, give the header's line with --header-row N"
expect_status 0 mj-tab --format csv --by region --header-row 2 "$TMP/quote-title.csv"
expect_out "_total,Total,10927,100.0,10927,"
expect_err "quote-title.csv: note: line 1, above the header (line 2), was skipped as a title or a note"
expect_status 0 sh -c "mj-tab --format csv --by region --header-row 2 < '$TMP/quote-title.csv'"
expect_out "_total,Total,10927,100.0,10927,"
# The same in Windows-1251, read by libcsv after the conversion.
iconv -f UTF-8 -t CP1251 "$TMP/quote-title.csv" >"$TMP/quote-title-1251.csv" || fail "iconv"
expect_status 0 sh -c "cat '$TMP/quote-title-1251.csv' | mj-check --header-row 2 --encoding cp1251 -"
expect_err "<stdin>: note: line 1, above the header (line 2)"
expect_status 2 mj-check --encoding cp1251 "$TMP/quote-title-1251.csv"
expect_err "quote-title-1251.csv:1:1: a quoted field's closing quote is followed by text, so the lines after it would be read into this field and their appeals lost; if this line is a title above the header"
# A stray quote in a record's field, below the header, is no title, below
# a quoted header too (an export that quotes every field).
printf '"id","date","channel","region","district","sex","age","violence","place","relationship","outcome","children"\n"A1","2023-01-05","hotline","UZ-NG","X","female","30","","","","","0"\n"A2","2023-01-05","hotline","UZ-NG","X","female","30","","","","Ishonch" x,0\n' >"$TMP/quoted-all.csv"
expect_status 2 mj-tab --by region "$TMP/quoted-all.csv"
expect_err "quoted-all.csv:3:11: a quoted field's closing quote is followed by text, so the lines after it would be read into this field and their appeals lost; put the whole field"
expect_no "title above the header" "$TMP/err"
{ head -1 "$S"; echo 'X1,"2023-01-05" x,hotline,UZ-TK'; tail -n +2 "$S"; } >"$TMP/quote-row.csv"
expect_status 2 mj-tab --by region "$TMP/quote-row.csv"
expect_err "quote-row.csv:2:2: a quoted field's closing quote is followed by text, so the lines after it would be read into this field and their appeals lost; put the whole field"
# No header at all: said so, with what to give (not a note a column of
# each of the first row's values, then a missing column).
tail -n +2 "$S" >"$TMP/noheader.csv"
expect_status 2 mj-check "$TMP/noheader.csv"
expect_err "noheader.csv:1: no header: no row of the first 100 names two columns of the schema (such as date and region); give the header's line with --header-row N, or the delimiter with --delimiter"
expect_no "is not in the schema" "$TMP/err"
# A header that names one column of the schema is still the header.
printf 'date,b\n2023-01-01,2\n' >"$TMP/one-column.csv"
expect_status 2 mj-tab --by region "$TMP/one-column.csv"
expect_err "one-column.csv:1: missing required column"
# --header-row on a blank line is an error, as on an empty row of a sheet.
{ echo "Title"; echo; cat "$S"; } >"$TMP/blank-title.csv"
expect_status 2 mj-tab --by region --header-row 2 "$TMP/blank-title.csv"
expect_err "blank-title.csv:2: line 2 (--header-row) starts no row: it is blank, or its fields are all empty"
# A search holds at most a megabyte: rows of 4 MB above the header end it
# at the first, which is then no header.
for i in 1 2 3; do head -c 4000000 /dev/zero | tr '\0' x; echo; done >"$TMP/wide-title.csv"
cat "$S" >>"$TMP/wide-title.csv"
expect_status 2 mj-tab --by region "$TMP/wide-title.csv"
expect_err "wide-title.csv:1: no header: no row of the first 1 names two columns of the schema"

# Writing to a full disk fails clearly and exits 2.
expect_status 2 sh -c "mj-tab --format csv --by region '$SRC/tests/data/twin/clean.csv' > /dev/full"
expect_err "No space left on device"
expect_status 2 mj-check --fix -o /dev/full "$SRC/tests/data/twin/clean.csv"
expect_err "/dev/full: cannot write: No space left on device"
[ -c /dev/full ] || fail "/dev/full was replaced"
finish

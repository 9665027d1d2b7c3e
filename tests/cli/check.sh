# mj-check: problems located with line and column, summary, canonical
# output, rejects file (mode 0600), duplicate ids, --explain.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv

expect_status 0 mj-check "$S"
expect_err "10927 rows read, 10927 valid, 0 rejected"

cat "$SRC/tests/data/small.csv" >"$TMP/bad.csv"
printf 'A1,2023-13-01,hotline,UZ-TK,,female,150,physical,domestic,coworker,consultation,0,x\n' >>"$TMP/bad.csv"
expect_status 1 mj-check --quiet --fix -o "$TMP/fixed.csv" --rejects "$TMP/rej.csv" "$TMP/bad.csv"
expect_err "bad.csv:7:4: column 'region': unknown value \"Tashknt\" (did you mean \"Tashkent city\"?)"
expect_err "bad.csv:8:2: column 'date': \"2023-13-01\" is not a date"
expect_err "bad.csv:8:7: column 'age': 150 is out of range 0-120"
expect_err "bad.csv:8:10: column 'relationship': \"coworker\" does not belong to place \"domestic\" (it belongs to \"workplace\")"
expect_err "duplicate id (first seen at $TMP/bad.csv:2)"
expect_err "7 rows read, 5 valid, 2 rejected, 1 duplicate ids"
[ "$(stat -c %a "$TMP/rej.csv")" = 600 ] || fail "rejects file is not mode 0600"
[ "$(grep -c . "$TMP/rej.csv")" = 3 ] || fail "rejects file should hold a header and 2 rows"
grep -q "^A4,2023-03-12,office,UZ-FA,Quva,female,,other,,,consultation,0$" "$TMP/fixed.csv" || fail "canonical row missing"
head -1 "$TMP/fixed.csv" | grep -qx "id,date,channel,region,district,sex,age,violence,place,relationship,outcome,children" || fail "canonical header"
expect_no "Secret Name" "$TMP/fixed.csv"

# --max-errors caps what is printed, not what is counted.
expect_status 1 mj-check --quiet --max-errors 1 "$TMP/bad.csv"
expect_err "more problems not shown"
expect_err "2 rejected"

# "-o -" is standard output, as without -o; rejected rows never go there.
here=$PWD
cd "$TMP" || fail "cd"
expect_status 0 mj-check --quiet --fix -o - "$SRC/tests/data/twin/clean.csv"
head -1 "$TMP/out" | grep -qx "id,date,channel,region,district,sex,age,violence,place,relationship,outcome,children" ||
  fail "-o - does not write the rows to standard output"
[ -e "$TMP/-" ] && fail "-o - made a file named -"
expect_status 2 mj-check --rejects - "$TMP/bad.csv"
cd "$here" || fail "cd back"
expect_err "--rejects -: name a file"
[ -e "$TMP/-" ] && fail "--rejects - made a file named -"

# A failed run leaves no output file.
expect_status 2 mj-check --fix -o "$TMP/none.csv" "$TMP/missing.csv"
[ ! -e "$TMP/none.csv" ] || fail "failed run left an output file"
ls "$TMP" | grep -q tmp && fail "temporary file left behind"
expect_status 2 mj-check --fix -o /nonexistent-dir/x.csv "$S"
expect_err "/nonexistent-dir/x.csv: cannot create"

# The clean twin passes; the schema explains itself.
expect_status 0 mj-check "$SRC/tests/data/twin/clean.csv"
expect_status 0 mj-check --explain
expect_out "UZ-SU"
expect_out "surkhandarya"
expect_out "Сурхандарьинская область"
# ... and the report sections mj-report makes from it.
expect_out "Report sections (mj-report, in report order):"
expect_out "region-violence    by region across violence; sheet 10; charts stacked"
expect_out "children           by outcome, sum of children; sheet 8; charts bar"
expect_status 0 mj-check --help
expect_out "usage: mj-check"

# Invisible marks some programs leave (a byte-order mark written twice, a
# zero-width space) are not part of a name or a value: the id column is
# still the id column, and its duplicates are found.
printf '\357\273\277\357\273\277id,\342\200\213date,region,violence\nZ1,2023-01-05,\342\200\213UZ-TK,physical\nZ1,2023-01-06,UZ-TK,physical\n' >"$TMP/marks.csv"
expect_status 1 mj-check "$TMP/marks.csv"
expect_err "marks.csv:3:1: column 'id': duplicate id (first seen at $TMP/marks.csv:2)"
expect_err "2 rows read, 1 valid, 1 rejected, 1 duplicate ids"
expect_no "not in the schema" "$TMP/err"
# Headers as Russian and Uzbek exports write them name their columns.
printf 'ID,Дата,Регион,"Возраст, лет",Пол пострадавшей,Район (город),Кол-во детей\nA1,2023-04-01,UZ-TK,34,female,Yunusobod,2\n' >"$TMP/ru-head.csv"
expect_status 0 mj-check "$TMP/ru-head.csv"
expect_no "not in the schema" "$TMP/err"
expect_status 0 mj-tab --by group --format csv "$TMP/ru-head.csv"
expect_out "woman,Women,1,100.0,"
# "Not stated" as registers write it, in its other genders and
# abbreviations too, is no value, not an unknown one.
H="id,date,channel,region,district,sex,age,violence,place,relationship,outcome,children"
{ echo "$H"; n=0
  for v in "не указан" "Не указана" "не указаны" "Н/Д" "неизвестен" "not specified" "belgilanmagan"; do
    n=$((n + 1)); echo "N$n,2023-04-13,hotline,UZ-NG,Chortoq,female,38,$v,domestic,in_law,referral,0"
  done; } >"$TMP/notstated.csv"
expect_status 0 mj-check "$TMP/notstated.csv"
expect_err "7 rows read, 7 valid, 0 rejected"
expect_status 0 mj-tab --by violence --format csv "$TMP/notstated.csv"
expect_out "_missing,Not stated,7,"
# Two exports joined together: the second header is said once, not as a
# problem per field; in another column order it stops the file, as the
# rows after it would be read in the first order (age and children
# swapped: adult women counted as girls).
{ head -3 "$SRC/samples/appeals-2023.csv"; head -3 "$SRC/samples/appeals-2023.csv"; } >"$TMP/joined.csv"
expect_status 1 mj-check "$TMP/joined.csv"
expect_err "joined.csv:4: the row repeats the header (two files joined together?): it is not a record"
expect_no "column 'date'" "$TMP/err"
{ head -3 "$SRC/samples/appeals-2023.csv"
  head -3 "$SRC/samples/appeals-2023.csv" | awk -F, -v OFS=, '{ t = $7; $7 = $12; $12 = t } 1'; } >"$TMP/swapped.csv"
expect_status 2 mj-check "$TMP/swapped.csv"
expect_err "swapped.csv:4:7: the header is repeated here in another column order (two files joined together?)"
expect_status 2 mj-tab --by group "$TMP/swapped.csv"
expect_err "swapped.csv:4:7: the header is repeated here in another column order"
# A row of empty fields only (a spreadsheet's empty row saved as CSV) is
# skipped as a blank line is, as a workbook's empty rows are: nothing in it
# to count or reject. In a file read in parts too (over 4 MB).
mj-synth --rows 60000 --seed 3 -o "$TMP/big.csv" "$SRC/samples/appeals-2023.spec" 2>/dev/null ||
  fail "mj-synth for empty rows"
awk 'NR > 1 && NR % 997 == 0 { print ",,,,,,,,,,,"; print "\"\",,"; print " , ,\t," } 1
     END { print ",,,,,,,,,,," }' "$TMP/big.csv" >"$TMP/empty-rows.csv"
expect_status 0 mj-check "$TMP/empty-rows.csv"
expect_err "60000 rows read, 60000 valid, 0 rejected"
expect_status 0 mj-tab --by region --format csv "$TMP/empty-rows.csv"
expect_err "60000 rows read, 60000 counted"
# Ids that differ only by spaces at an end or within, or by an invisible
# mark, are one id, read in order and in parts alike; case is kept, and
# an id of only spaces is compared with none.
{ printf 'id,date,region,violence\n'
  printf 'A1,2023-01-05,UZ-TK,physical\n"A1 ",2023-01-05,UZ-TK,physical\n'
  printf 'a1,2023-01-05,UZ-TK,physical\nA\342\200\2131,2023-01-05,UZ-TK,physical\n'
  printf '"B  2",2023-01-05,UZ-TK,physical\n"B 2",2023-01-05,UZ-TK,physical\n'
  printf '" ",2023-01-05,UZ-TK,physical\n"  ",2023-01-05,UZ-TK,physical\n'; } >"$TMP/spaces.csv"
for how in named stdin; do
  if [ $how = named ]; then expect_status 1 mj-check "$TMP/spaces.csv"; f=$TMP/spaces.csv
  else expect_status 1 sh -c 'mj-check - <"$1"' sh "$TMP/spaces.csv"; f='<stdin>'; fi
  expect_err ":3:1: column 'id': duplicate id (first seen at $f:2)"
  expect_err ":5:1: column 'id': duplicate id (first seen at $f:2)"
  expect_err ":7:1: column 'id': duplicate id (first seen at $f:6)"
  expect_no ":4:1: column 'id': duplicate" "$TMP/err"
  expect_no ":9:1: column 'id': duplicate" "$TMP/err"
  expect_err "3 duplicate ids"
done

# A duplicate whose first place is a rejected row says so: the row that
# stays may be none of them. Read in parts and in order alike.
printf 'id,date,region,violence\nK1,2023-01-05,Atlantis,physical\nK1,2023-01-05,UZ-TK,physical\nK2,2023-01-05,UZ-TK,physical\nK2,2023-01-06,UZ-TK,physical\n' >"$TMP/rejdup.csv"
for how in "" "--rejects $TMP/rejdup-rejects.csv"; do
  expect_status 1 mj-check $how "$TMP/rejdup.csv"
  expect_err "rejdup.csv:3:1: column 'id': duplicate id (first seen at $TMP/rejdup.csv:2, a row itself rejected)"
  grep -q "rejdup.csv:5:1: column 'id': duplicate id (first seen at $TMP/rejdup.csv:4)\$" "$TMP/err" ||
    fail "a duplicate of a valid row said to follow a rejected one ($how)"
done

# A file refused whole has no valid row: an id first seen there is first
# seen in a rejected row.
printf 'id,date,region,violence\nA1,01/02/2023,UZ-TK,physical\nA3,02/14/2023,UZ-TK,physical\nA4,13/02/2023,UZ-TK,physical\n' >"$TMP/mixed.csv"
printf 'id,date,region,violence\nA1,2023-01-05,UZ-TK,physical\n' >"$TMP/ok.csv"
expect_status 2 mj-check "$TMP/mixed.csv" "$TMP/ok.csv"
expect_err "ok.csv:2:1: column 'id': duplicate id (first seen at $TMP/mixed.csv:2, a row itself rejected)"
expect_err "4 rows read, 0 valid, 1 rejected, 1 duplicate ids, 3 in refused files"

# "Not stated" in words, in any case, is no value in a date or a number
# column either: one message for a required date, none for an age.
printf 'id,date,region,violence,age\n1,N/A,UZ-TK,physical,N/A\n2,2023-01-05,UZ-TK,physical,Не указано\n' >"$TMP/na.csv"
expect_status 1 mj-check "$TMP/na.csv"
expect_err "na.csv:2:2: column 'date': a value is required (\"N/A\" means not stated)"
[ "$(grep -c 'na.csv:2:' "$TMP/err")" = 1 ] || fail "a required date in words reported twice"
expect_err "2 rows read, 1 valid, 1 rejected"

# A date after today is a slip: the row is rejected, the period not
# stretched to it.
printf 'id,date,region,violence\n1,2023-01-05,UZ-TK,physical\n2,2999-01-01,UZ-TK,physical\n3,01.02.2999,UZ-TK,physical\n' >"$TMP/future.csv"
expect_status 1 mj-check "$TMP/future.csv"
expect_err "future.csv:3:2: column 'date': \"2999-01-01\" lies in the future (the latest date accepted is "
expect_err "future.csv:4:2: column 'date': \"01.02.2999\" lies in the future"
expect_err "3 rows read, 1 valid, 2 rejected"
expect_status 1 mj-tab --quiet --format csv --by region "$TMP/future.csv"
grep -q '^_total,Total,1,100.0,1,Appeals by region,en,2023-01-01,2023-01-31,' "$TMP/out" ||
  fail "a future date counted, or the period stretched to it"

# A required column's "not stated" in words is no value either; an
# unknown value is reported as such, once.
printf 'id,date,region,violence\n1,2023-01-05,Не указано,physical\n2,2023-01-06,N/A,physical\n3,2023-01-06,,physical\n4,2023-01-06,Atlantis,physical\n5,2023-01-06,UZ-TK,physical\n' >"$TMP/req.csv"
expect_status 1 mj-check "$TMP/req.csv"
expect_err "req.csv:2:3: column 'region': a value is required (\"Не указано\" means not stated)"
expect_err "req.csv:3:3: column 'region': a value is required (\"N/A\" means not stated)"
expect_err "req.csv:4:3: column 'region': a value is required"
expect_err "req.csv:5:3: column 'region': unknown value \"Atlantis\""
expect_err "5 rows read, 1 valid, 4 rejected"
[ "$(grep -c 'req.csv:5:' "$TMP/err")" = 1 ] || fail "an unknown required value reported twice"
expect_status 1 mj-tab --quiet --format csv --by region "$TMP/req.csv"
grep -q '^_total,Total,1,' "$TMP/out" || fail "mj-tab counts a required column's \"not stated\""

# Ids in a table too large for ordinary memory (300,000 of them): an id
# seen again far from its first place is still found, once.
mj-synth --rows 300000 --seed 4 -o "$TMP/big.csv" "$SRC/samples/appeals-2023.spec" || fail "mj-synth"
sed -n 3p "$TMP/big.csv" >>"$TMP/big.csv"
expect_status 1 mj-check --quiet "$TMP/big.csv"
expect_err "big.csv:300002:1: column 'id': duplicate id (first seen at $TMP/big.csv:3)"
expect_err "300001 rows read, 300000 valid, 1 rejected, 1 duplicate ids"
# A row of more than four million lines (a field's line breaks) between
# ids and their duplicates: the lines reported count every line before.
{ head -n 150001 "$TMP/big.csv"
  sed -n 150002p "$TMP/big.csv" | cut -d, -f1-4 | tr -d '\n'
  printf ',"'; yes x | head -n 4300000; printf '",'
  sed -n 150002p "$TMP/big.csv" | cut -d, -f6-
  tail -n +150003 "$TMP/big.csv" | sed '$d'
  sed -n 3p "$TMP/big.csv"; sed -n 150003p "$TMP/big.csv"; } >"$TMP/tall.csv"
expect_status 1 mj-check --quiet "$TMP/tall.csv"
expect_err "tall.csv:150002:5: column 'district': value of 8600000 bytes is longer than the limit of 1024"
expect_err "tall.csv:4600002:1: column 'id': duplicate id (first seen at $TMP/tall.csv:3)"
expect_err "tall.csv:4600003:1: column 'id': duplicate id (first seen at $TMP/tall.csv:4450003)"
expect_err "300002 rows read, 299999 valid, 3 rejected, 2 duplicate ids"
rm -f "$TMP/tall.csv"
# Under a limit of address space (ulimit -v; not in sanitizer builds,
# which reserve far more), two such files read in parts on every core
# still fit: the parts' ids take memory as they come, in blocks.
if ! ldd "$BUILD/cmd/mj-check" | grep -q libasan; then
  cp "$TMP/big.csv" "$TMP/again.csv"
  expect_status 1 sh -c 'ulimit -v 2097152 && exec mj-check --quiet "$0" "$1"' \
    "$TMP/big.csv" "$TMP/again.csv"
  expect_err "600002 rows read, 300000 valid, 300002 rejected, 300002 duplicate ids"
fi
finish

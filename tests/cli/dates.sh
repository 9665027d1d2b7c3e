# Dates are read in the order the file writes them, or the file is refused:
# day or month first is decided once per file, before a date that needs it
# is read, the same way for files, standard input, workbooks and parallel parts.
. "$SRC/tests/cli/lib.sh"

HEAD=id,date,channel,region,sex,age,violence,outcome
# rows FILE DATE...: a register with one appeal per date.
rows() {
  f=$1; shift
  { echo "$HEAD"; i=0; for d in "$@"; do i=$((i + 1)); echo "$i,$d,hotline,UZ-TK,female,30,physical,consultation"; done; } >"$f"
}
# months: the month counts of $TMP/out as "2023-01=1 2023-12=1 " (zeros left out).
months() { awk -F, '/^20[0-9][0-9]-/ && $3 > 0 {printf "%s=%s ", $1, $3}' "$TMP/out"; }
expect_months() { got=$(months); [ "$got" = "$1" ] || fail "$2: months $got, wanted $1"; }

# A register from an Excel with US settings: month first.
rows "$TMP/us.csv" 01/05/2023 02/08/2023 12/31/2023 02/08/2023
expect_status 0 mj-tab --format csv --by month "$TMP/us.csv"
expect_months "2023-01=1 2023-02=2 2023-12=1 " "month-first file"
expect_no "note:" "$TMP/err"
expect_status 0 mj-tab --format csv --by month - <"$TMP/us.csv"
expect_months "2023-01=1 2023-02=2 2023-12=1 " "month-first file on standard input"
expect_status 0 mj-check --fix "$TMP/us.csv"
expect_out "2,2023-02-08,"
expect_out "3,2023-12-31,"

# Day first, with slashes and with dashes.
rows "$TMP/dmy.csv" 01/05/2023 08/02/2023 31/12/2023 31-01-2023 02-03-2023
expect_status 0 mj-tab --format csv --by month "$TMP/dmy.csv"
expect_months "2023-01=1 2023-02=1 2023-03=1 2023-05=1 2023-12=1 " "day-first file"
expect_no "note:" "$TMP/err"
expect_status 0 mj-tab --format csv --by month - <"$TMP/dmy.csv"
expect_months "2023-01=1 2023-02=1 2023-03=1 2023-05=1 2023-12=1 " "day-first file on standard input"
rows "$TMP/us-dash.csv" 01-05-2023 12-31-2023
expect_status 0 mj-tab --format csv --by month "$TMP/us-dash.csv"
expect_months "2023-01=1 2023-12=1 " "month-first dashes"

# A file that mixes the two orders is refused (exit 2, as any file that
# cannot be read as a whole), naming both dates, however it is read.
rows "$TMP/mix.csv" 01/05/2023 13/08/2023 02/02/2023 12/31/2023
for how in file stdin threads1 threads2; do
  case $how in
    file) expect_status 2 mj-tab --format csv --by month "$TMP/mix.csv"; P=$TMP/mix.csv ;;
    stdin) expect_status 2 mj-tab --format csv --by month - <"$TMP/mix.csv"; P="<stdin>" ;;
    threads1) expect_status 2 mj-tab --format csv --threads 1 --by month "$TMP/mix.csv"; P=$TMP/mix.csv ;;
    threads2) expect_status 2 mj-tab --format csv --threads 2 --by month "$TMP/mix.csv"; P=$TMP/mix.csv ;;
  esac
  expect_err "$P:5:2: the file mixes day-first and month-first dates: \"12/31/2023\""
  expect_err "\"13/08/2023\" at $P:3:2 is day first"
  [ -s "$TMP/out" ] && fail "a table from a mixed file ($how)"
done
expect_status 2 mj-check "$TMP/mix.csv"
expect_err "mix.csv:5:2: the file mixes"
# A refused file has no valid row: its rows are counted apart.
expect_err "4 rows read, 0 valid, 0 rejected, 4 in refused files"
expect_status 2 mj-check - <"$TMP/mix.csv"
expect_err "<stdin>:5:2: the file mixes"
expect_status 2 mj-check "$TMP/mix.csv" "$SRC/samples/appeals-2023.csv"
expect_err "10931 rows read, 10927 valid, 0 rejected, 4 in refused files"
for prog in mj-xlsx:xlsx "mj-chart bar":png; do
  expect_status 2 ${prog%:*} --by month -o "$TMP/mix.${prog#*:}" "$TMP/mix.csv"
  expect_err "mix.csv:5:2: the file mixes"
  [ -e "$TMP/mix.${prog#*:}" ] && fail "$prog wrote output for a mixed file"
done

expect_status 2 mj-report -o "$TMP/mix-report" "$TMP/mix.csv"
expect_err "mix.csv:5:2: the file mixes"
[ -e "$TMP/mix-report" ] && fail "mj-report wrote a report for a mixed file"

# Nothing tells: day first, the local convention, and exactly one note.
rows "$TMP/amb.csv" 01/05/2023 02/08/2023 03/04/2023 05/05/2023
expect_status 0 mj-tab --format csv --by month "$TMP/amb.csv"
expect_months "2023-04=1 2023-05=2 2023-08=1 " "ambiguous file"
[ "$(grep -c "note: no date in the file tells" "$TMP/err")" = 1 ] || fail "not exactly one note: $(cat "$TMP/err")"
expect_err "amb.csv:2:2: note: no date in the file tells whether \"01/05/2023\" is day or month first"
expect_status 0 mj-tab --format csv --by month - <"$TMP/amb.csv"
[ "$(grep -c "note: no date in the file tells" "$TMP/err")" = 1 ] || fail "not exactly one note on standard input"
expect_status 0 mj-check "$TMP/amb.csv"
[ "$(grep -c "note: no date in the file tells" "$TMP/err")" = 1 ] || fail "mj-check: not exactly one note"
expect_status 0 mj-report -o "$TMP/amb-report" - <"$TMP/amb.csv"
[ "$(grep -c "note: no date in the file tells" "$TMP/err")" = 1 ] || fail "mj-report: not exactly one note over its passes"
expect_status 0 mj-tab --quiet --format csv --by month "$TMP/amb.csv"
expect_no "note:" "$TMP/err"

# --date-order overrides: no note, and dates of the other order are rejected.
expect_status 0 mj-tab --format csv --date-order mdy --by month "$TMP/amb.csv"
expect_months "2023-01=1 2023-02=1 2023-03=1 2023-05=1 " "--date-order mdy"
expect_no "note:" "$TMP/err"
expect_status 0 mj-tab --format csv --date-order mdy --by month - <"$TMP/amb.csv"
expect_months "2023-01=1 2023-02=1 2023-03=1 2023-05=1 " "--date-order mdy on standard input"
expect_status 1 mj-tab --format csv --date-order mdy --by month "$TMP/mix.csv"
expect_err "mix.csv:3:2: column 'date': \"13/08/2023\" is not a date in the order of --date-order mdy"
expect_months "2023-01=1 2023-02=1 2023-12=1 " "--date-order mdy on a mixed file"
expect_status 1 mj-check --date-order dmy "$TMP/us.csv"
expect_err "us.csv:4:2: column 'date': \"12/31/2023\" is not a date in the order of --date-order dmy"
expect_status 1 mj-check --date-order ymd "$TMP/us.csv"
expect_err "us.csv:2:2: column 'date': \"01/05/2023\" is not a date in the order of --date-order ymd (accepted: YYYY-MM-DD)"
expect_status 0 mj-xlsx --date-order mdy --by month -o "$TMP/amb.xlsx" "$TMP/amb.csv"
expect_status 0 mj-chart bar --date-order mdy --by month -o "$TMP/amb.svg" "$TMP/amb.csv"
expect_status 0 mj-report --date-order mdy -o "$TMP/amb-mdy" "$TMP/amb.csv"
expect_no "note:" "$TMP/err"
expect_status 2 mj-tab --date-order us --by month "$TMP/us.csv"
expect_err "--date-order: expected dmy, mdy or ymd"
# A bad date names every accepted form and the option.
rows "$TMP/bad.csv" 2023-13-01 31/31/2023
expect_status 1 mj-check "$TMP/bad.csv"
expect_err "bad.csv:2:2: column 'date': \"2023-13-01\" is not a date (accepted: YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY or MM/DD/YYYY"
expect_err "bad.csv:3:2: column 'date': \"31/31/2023\" is not a date"
expect_err "--date-order dmy|mdy|ymd"

# Dotted dates are day first (DD.MM.YYYY) and take no part in the slash
# dates' decision; a dotted date that is month first refuses the file.
rows "$TMP/dots.csv" 02.03.2023 31.12.2023 12/31/2023 02/03/2023
expect_status 0 mj-tab --format csv --by month "$TMP/dots.csv"
expect_months "2023-02=1 2023-03=1 2023-12=2 " "dotted and month-first slashes"
rows "$TMP/dots-us.csv" 02.03.2023 12.31.2023
expect_status 2 mj-tab --format csv --by month "$TMP/dots-us.csv"
expect_err "dots-us.csv:3:2: \"12.31.2023\" is month first, but dotted dates are day first"
expect_status 2 mj-tab --format csv --date-order mdy --by month "$TMP/dots-us.csv"

# Workbooks with dates as text, read as a file and from a pipe.
"$BUILD/tests/mkxlsx" "$TMP/us.csv" "$TMP/us.xlsx" || fail "mkxlsx"
expect_status 0 mj-tab --format csv --by month "$TMP/us.xlsx"
expect_months "2023-01=1 2023-02=2 2023-12=1 " "month-first workbook"
expect_status 0 mj-tab --format csv --by month - <"$TMP/us.xlsx"
expect_months "2023-01=1 2023-02=2 2023-12=1 " "month-first workbook on standard input"
"$BUILD/tests/mkxlsx" "$TMP/mix.csv" "$TMP/mix.xlsx" || fail "mkxlsx"
expect_status 2 mj-tab --format csv --by month "$TMP/mix.xlsx"
expect_err "mix.xlsx:Appeals!B5: the file mixes day-first and month-first dates"
expect_err "at $TMP/mix.xlsx:Appeals!B3 is day first"

# A file large enough to be cut into parts, whose only dates that tell the
# order (month first) come after its first 45,000 rows, so in the second
# part: every way of reading it counts as the same file with ISO dates does.
mj-synth --rows 60000 "$SRC/samples/appeals-2023.spec" 2>/dev/null |
  awk -F, -v OFS=, 'NR > 1 && NR <= 45001 && substr($2, 9, 2) > 12 {$2 = substr($2, 1, 8) sprintf("%02d", (substr($2, 9, 2) - 1) % 12 + 1)} {print}' >"$TMP/iso.csv"
awk -F, -v OFS=, 'NR > 1 {$2 = substr($2, 6, 2) "/" substr($2, 9, 2) "/" substr($2, 1, 4)} {print}' "$TMP/iso.csv" >"$TMP/big-us.csv"
[ "$(stat -c %s "$TMP/big-us.csv")" -gt 5000000 ] || fail "test file too small to be cut into parts"
head -45001 "$TMP/big-us.csv" | awk -F, 'NR > 1 {split($2, p, "/"); if (p[1] > 12 || p[2] > 12) bad = 1} END {exit bad}' ||
  fail "a date in the first rows tells the order"
grep -qE ",(0[1-9]|1[0-2])/(1[3-9]|2[0-9]|3[01])/2023," "$TMP/big-us.csv" || fail "no month-first date in the test file"
# The last CSV column names the source file, which differs on purpose.
unsourced() { sed 's/,[^,]*$//'; }
mj-tab --quiet --format csv --threads 1 --by month --cols violence "$TMP/iso.csv" 2>&1 | unsourced >"$TMP/want"
for how in "--threads 1" "--threads 2" "--threads 7"; do
  mj-tab --quiet --format csv $how --by month --cols violence "$TMP/big-us.csv" 2>&1 | unsourced >"$TMP/got"
  cmp -s "$TMP/want" "$TMP/got" || fail "$how: month-first dates counted differently from ISO ones"
done
mj-tab --quiet --format csv --threads 2 --by month --cols violence - <"$TMP/big-us.csv" 2>&1 | unsourced >"$TMP/got"
cmp -s "$TMP/want" "$TMP/got" || fail "standard input: month-first dates counted differently from ISO ones"
grep -q "^2023-08,2023-08,physical,Physical,[0-9]" "$TMP/want" || fail "no August in the table"
# The same file with one day-first date near its end is refused, by each.
awk -F, -v OFS=, 'NR == 59000 {$2 = "25/12/2023"} {print}' "$TMP/big-us.csv" >"$TMP/big-mix.csv"
for how in "--threads 1" "--threads 2"; do
  expect_status 2 mj-tab --format csv $how --by month "$TMP/big-mix.csv"
  expect_err "big-mix.csv:59000:2: the file mixes day-first and month-first dates: \"25/12/2023\" here is day first"
done
expect_status 2 mj-tab --format csv --by month - <"$TMP/big-mix.csv"
expect_err "<stdin>:59000:2: the file mixes"
expect_status 2 mj-check "$TMP/big-mix.csv"
expect_err "big-mix.csv:59000:2: the file mixes"
grep -q " 0 valid, 0 rejected, [0-9]* in refused files" "$TMP/err" || fail "mj-check counts a refused file's rows as valid"

# The order is looked for only when a date needs it (one read both ways),
# but it is the one the first rows tell, whichever part of a file meets
# that date first: here only the last rows need it, and a month-first date
# among the first rows tells it.
awk -v h="$HEAD" 'BEGIN {print h; print "t,12/31/2023,hotline,UZ-TK,female,30,physical,consultation";
  for (i = 1; i <= 60000; i++) print i ",2023-03-15,hotline,UZ-TK,female,30,physical,consultation";
  for (i = 1; i <= 60000; i++) print "b" i ",01/02/2023,hotline,UZ-TK,female,30,physical,consultation"}' >"$TMP/lazy.csv"
for how in "--threads 1" "--threads 2" "--threads 7"; do
  expect_status 0 mj-tab --format csv $how --by month "$TMP/lazy.csv"
  expect_months "2023-01=60000 2023-03=60000 2023-12=1 " "order looked for late ($how)"
done
expect_status 0 mj-check --fix "$TMP/lazy.csv"
expect_out "b60000,2023-01-02,"
expect_status 0 mj-check "$TMP/lazy.csv"
# Without a date that tells, those dates are read day first, with a note.
sed 1,2d "$TMP/lazy.csv" | cat <(echo "$HEAD") - >"$TMP/lazy-dmy.csv"
expect_status 0 mj-tab --format csv --threads 2 --by month "$TMP/lazy-dmy.csv"
expect_months "2023-02=60000 2023-03=60000 " "order looked for late, none told"
expect_err "note: no date in the file tells"

# The order is decided from the first 100,000 rows: a stream whose first
# date that tells comes later is refused, never counted wrongly, and a file
# gives the same answer.
awk -v h="$HEAD" 'BEGIN {print h; for (i = 1; i <= 100001; i++) print i ",01/02/2023,hotline,UZ-TK,female,30,physical,consultation";
  print "x,12/31/2023,hotline,UZ-TK,female,30,physical,consultation"}' >"$TMP/late.csv"
expect_status 2 mj-tab --format csv --by month - <"$TMP/late.csv"
expect_err "<stdin>:100003:2: \"12/31/2023\" is month first, but \"01/02/2023\" at <stdin>:2:2 was read day first"
expect_err "--date-order mdy"
expect_status 2 mj-tab --format csv --threads 2 --by month "$TMP/late.csv"
expect_err "late.csv:100003:2: \"12/31/2023\" is month first"
expect_status 0 mj-tab --format csv --date-order mdy --by month - <"$TMP/late.csv"
expect_months "2023-01=100001 2023-12=1 " "--date-order mdy on a late stream"

finish

# mj-tab: the 2023 sample reproduces the published figures; options, formats
# and errors behave as the man page says.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv

# Every published count and percent.
expect_status 0 mj-tab --format text --by group "$S"
for v in "10,696   97.9" "70    0.6" "161    1.5" "10,927  100.0"; do expect_out "$v"; done
expect_status 0 mj-tab --format text --by violence "$S"
for v in "2,709   24.8" "114    1.0" "4,642   42.5" "1,062    9.7" "2,400   22.0"; do expect_out "$v"; done
expect_status 0 mj-tab --format csv --by region "$S"
for v in UZ-QR,.*,793, UZ-AN,.*,827, UZ-BU,.*,825, UZ-JI,.*,979, UZ-NW,.*,985, UZ-NG,.*,663, \
         UZ-SA,.*,642, "UZ-SU,.*,899,8.2" UZ-SI,.*,549, UZ-TK,.*,1046, UZ-FA,.*,925, UZ-QA,.*,780, \
         UZ-XO,.*,628, UZ-TO,.*,386, "_total,Total,10927,100.0"; do
  grep -q -- "^$v" "$TMP/out" || fail "region csv lacks $v"
done
expect_status 0 mj-tab --format csv --by place,relationship "$S"
for v in "domestic,Domestic,_total,Total,7362,67.4" "workplace,At work,_total,Total,76,0.7" \
         "public,Public place,_total,Total,737,6.7" "elsewhere,Elsewhere,_total,Total,459,4.2" \
         "_missing,Not stated,_total,Total,2293," "domestic,Domestic,spouse,Husband and wife,5535," \
         "domestic,Domestic,in_law,Mother-in-law and daughter-in-law,1363," \
         "domestic,Domestic,parent_child,Parents and children,464," \
         "workplace,At work,employer,Employer and employee,53," "workplace,At work,coworker,Between co-workers,12," \
         "workplace,At work,superior_org,From a higher organization,11," \
         "public,Public place,neighbour,Neighbours,356," "public,Public place,mahalla,District or mahalla,298," \
         "public,Public place,organization,Premises of an organization,65," "public,Public place,abroad,Another state,18,"; do
  expect_out "$v"
done
expect_status 0 mj-tab --format csv --by outcome --sum children --where outcome=shelter "$S"
expect_out "shelter,Placed in the centre,604,"
# A derived dimension is derived when a filter or a table reads it, even
# when the table itself is by a column of the register.
expect_status 0 mj-tab --format csv --by region --where group=girl "$S"
expect_out "_total,Total,70,100.0,70,"
expect_status 0 mj-tab --format csv --by channel --where quarter=2023-Q1 "$S"
expect_out "_total,Total,3720,100.0,3720,"
expect_status 0 mj-tab --format csv --by region --where age_group=18-29,0-17 "$S"
expect_out "_total,Total,3506,100.0,3506,"
expect_status 0 mj-tab --format csv --by region --cols year "$S"
expect_out "_total,Total,2023,2023,10927,"
expect_status 0 mj-tab --format csv --by outcome "$S"
expect_out "shelter,Placed in the centre,700,"

# Largest remainder makes the shown percents add to 100.0 exactly.
mj-tab --format csv --round largest --by region "$S" >"$TMP/lr" 2>/dev/null
sum=$(awk -F, 'NR>1 && $1!="_total" {s+=$4} END {printf "%.1f", s}' "$TMP/lr")
[ "$sum" = "100.0" ] || fail "largest remainder sums to $sum"
mj-tab --format csv --by region "$S" >"$TMP/h" 2>/dev/null
sum=$(awk -F, 'NR>1 && $1!="_total" {s+=$4} END {printf "%.1f", s}' "$TMP/h")
[ "$sum" != "100.0" ] || fail "honest rounding of regions should not add to exactly 100.0 here ($sum)"

# Cross-tab, filters, periods, languages, formats.
expect_status 0 mj-tab --format json --by region --cols violence "$S"
expect_out '"col_dim": {"name": "violence"'
expect_status 0 mj-tab --format csv --by month "$S"
expect_out "2023-01,2023-01,"
expect_out "2023-08,2023-08,"
expect_status 0 mj-tab --format csv --by region --month 2023-08 --where sex=female "$S"
expect_out "_total,Total,"
expect_status 0 mj-tab --format text --lang ru --by region "$S"
expect_out "Сурхандарьинская область"
expect_out "$(printf '10\302\240927')"
expect_status 0 mj-tab --format md --lang uz-Cyrl --by violence "$S"
expect_out "$(printf '| Жисмоний | 2\302\240709 | 24,8 |')"
expect_status 0 mj-tab --format csv --excel --layout long --by sex "$S"
head -c 3 "$TMP/out" | od -An -tx1 | grep -q "ef bb bf" || fail "--excel writes no BOM"
expect_out "female;Female;10766;98,5"
expect_status 0 mj-tab --format csv --percent total,valid,cum --by place "$S"
expect_out "place_code,place,count,percent,valid_percent,cum_percent"
expect_out "domestic,Domestic,7362,67.4,85.3,85.3"
expect_status 0 mj-tab --format csv --top 3 --sort count --by region "$S"
expect_out "_other,Other,"
grep -c '^UZ-' "$TMP/out" | grep -qx 3 || fail "--top 3 shows other than 3 regions"

# Round trip: mj-tab's CSV and JSON read back give the same table.
mj-tab --format json --by place,relationship "$S" >"$TMP/t.json" 2>/dev/null
[ -s "$TMP/t.json" ] || fail "no JSON"

# The messy twins tabulate exactly like the clean file. Each CSV row ends
# with the source it was read from, which is all that may differ.
same_but_source() { cmp -s <(sed 's/,[^,]*$//' "$1") <(sed 's/,[^,]*$//' "$2"); }
T=$SRC/tests/data/twin
for by in "--by region" "--by place,relationship --cols sex" "--by group" "--by month --cols channel" "--by outcome --sum children"; do
  mj-tab --quiet --format csv $by "$T/clean.csv" >"$TMP/c" 2>&1
  mj-tab --quiet --format csv --encoding cp1251 $by "$T/messy-cp1251.csv" >"$TMP/m1" 2>&1
  mj-tab --quiet --format csv --encoding auto $by "$T/messy-uz.csv" >"$TMP/m2" 2>&1
  same_but_source "$TMP/c" "$TMP/m1" || fail "cp1251 twin differs for $by"
  same_but_source "$TMP/c" "$TMP/m2" || fail "Uzbek twin differs for $by"
done

# --encoding auto: the Windows-1251 twin is read as such; a UTF-8 file with
# one pasted Windows-1251 row stays UTF-8 (it read every other row garbled),
# and that row is reported.
expect_status 0 mj-tab --quiet --format csv --encoding auto --by region "$T/messy-cp1251.csv"
cmp -s <(sed 's/,[^,]*$//' "$TMP/out") <(mj-tab --quiet --format csv --by region "$T/clean.csv" | sed 's/,[^,]*$//') ||
  fail "auto: the cp1251 twin differs"
{ iconv -f CP1251 -t UTF-8 "$T/messy-cp1251.csv"; tail -1 "$T/messy-cp1251.csv"; } >"$TMP/mixed-enc.csv"
expect_status 1 mj-tab --format csv --encoding auto --by district "$TMP/mixed-enc.csv"
expect_err "is not valid UTF-8"
expect_no "Р" "$TMP/out"

# Errors: bad rows are counted and located; usage errors exit 2.
expect_status 1 mj-tab --format csv --by region "$SRC/tests/data/small.csv"
expect_err "small.csv:7:4: column 'region': unknown value \"Tashknt\" (did you mean \"Tashkent city\"?)"
expect_err "6 rows read, 5 counted, 0 outside the filters, 1 rejected"
expect_status 2 mj-tab --by regoin "$S"
expect_err "unknown dimension 'regoin'"
expect_status 2 mj-tab --by id "$S"
expect_err "never tabulated"
expect_status 2 mj-tab "$S"
expect_err "--by"
# A list of no names is no dimension either (it once made a table of none).
expect_status 2 mj-tab --by , "$S"
expect_err "mj-tab: no dimension to tabulate by (use --by DIMENSION)"
expect_status 2 mj-tab --by region --where region=Tashknt "$S"
expect_err 'did you mean "UZ-TK"'
expect_status 2 mj-tab --by region --period 2023-13 "$S"
expect_err "cannot read period"
expect_status 2 mj-tab --by region "$TMP/nonexistent.csv"
expect_err "nonexistent.csv: cannot open: No such file or directory"
expect_status 2 mj-tab --by region "$SRC/tests"
expect_err "is a directory"
: >"$TMP/empty.csv"
expect_status 2 mj-tab --by region "$TMP/empty.csv"
expect_err "empty.csv: file is empty"
printf 'id,date,sex\n' >"$TMP/nore.csv"
expect_status 2 mj-tab --by sex "$TMP/nore.csv"
expect_err "missing required column 'region'"
printf 'id,date,region,Region\n' >"$TMP/dup.csv"
expect_status 2 mj-tab --by region "$TMP/dup.csv"
expect_err "duplicate column"
printf 'id,date,region\n1,2023-01-01,"UZ-TK\n' >"$TMP/unterm.csv"
expect_status 2 mj-tab --by region "$TMP/unterm.csv"
expect_err "unterm.csv:2: unterminated quoted field"
printf 'id,date,region,sex\n1,2023-01-01,UZ-TK\n2,2023-01-01,UZ-TK,female,extra\n3,2023-01-02,UZ-AN,male\n' >"$TMP/ragged.csv"
expect_status 1 mj-tab --format csv --by region "$TMP/ragged.csv"
expect_err "ragged.csv:2:3: row has 3 fields, the header has 4"
expect_err "3 rows read, 1 counted, 0 outside the filters, 2 rejected"
expect_err "ragged.csv:3:5: row has 5 fields, the header has 4"
# Empty fields past the header's (a spreadsheet's trailing commas) hold
# nothing: the rows count; a field past them that holds something does not.
printf 'id,date,region,sex\n1,2023-01-01,UZ-TK,female,,\n2,2023-01-01,UZ-TK,female,\n3,2023-01-02,UZ-AN,male,,x\n' >"$TMP/trailing.csv"
expect_status 1 mj-tab --format csv --by region "$TMP/trailing.csv"
expect_err "trailing.csv:4:6: row has 6 fields, the header has 4"
expect_err "3 rows read, 2 counted, 0 outside the filters, 1 rejected"
printf 'id,date,region\n1,2023-01-01,\xd2\xe0\xf8\xea\xe5\xed\xf2\n' >"$TMP/latin.csv"
expect_status 1 mj-tab --by region "$TMP/latin.csv"
expect_err "not valid UTF-8 (is the file Windows-1251? try --encoding cp1251)"
expect_status 0 mj-tab --format csv --encoding cp1251 --by region "$TMP/latin.csv"
expect_out "UZ-TK,Tashkent city,1,"
expect_status 1 mj-tab --strict --by region "$SRC/tests/data/small.csv"
expect_err "--strict"

# Privacy: no id and no undeclared column reaches any format.
for f in text csv tsv json md; do
  mj-tab --format $f --by region --cols sex "$SRC/tests/data/small.csv" >"$TMP/p.$f" 2>/dev/null
  for secret in "Secret Name" "Other Name" A1 A2; do expect_no "$secret" "$TMP/p.$f"; done
done

# Suppression: small counts hidden and not recomputable from totals.
expect_status 0 mj-tab --format csv --min-cell 5 --by place,relationship "$S"
expect_out ",suppressed"
grep -q "^_total,Total,_total,Total,10927," "$TMP/out" || fail "total suppressed needlessly"

# The parallel path gives the same tables as one thread, also when quoted
# fields with line breaks sit where the file is cut into parts.
mj-synth --rows 60000 "$SRC/samples/appeals-2023.spec" 2>/dev/null |
  awk 'NR == 1 {print $0 ",note"; next} NR % 7 == 0 {print $0 ",\"multi\nline, \"\"quoted\"\" note\""; next} {print $0 ","}' >"$TMP/big.csv"
[ "$(stat -c %s "$TMP/big.csv")" -gt 5000000 ] || fail "test file too small to be cut into parts"
for spec in "--by region" "--by district --cols sex" "--by month --cols violence" "--by place,relationship"; do
  mj-tab --quiet --format csv --threads 1 $spec "$TMP/big.csv" >"$TMP/t1" 2>&1
  mj-tab --quiet --format csv --threads 2 $spec "$TMP/big.csv" >"$TMP/t2" 2>&1
  mj-tab --quiet --format csv --threads 7 $spec "$TMP/big.csv" >"$TMP/t7" 2>&1
  mj-tab --quiet --format csv $spec - <"$TMP/big.csv" >"$TMP/ts" 2>&1
  cmp -s "$TMP/t1" "$TMP/t2" || fail "2 threads differ from 1 for $spec"
  cmp -s "$TMP/t1" "$TMP/t7" || fail "7 threads differ from 1 for $spec"
  same_but_source "$TMP/t1" "$TMP/ts" || fail "standard input differs from the file for $spec"
done
grep -q "^_total,Total,60000," "$TMP/t1" 2>/dev/null || grep -q "_total,Total,_total,Total,60000," "$TMP/t1" || fail "60000 rows not all counted"
# Errors found by a later part are reported with their true line numbers.
awk '/^A2023-045000,/ {sub(/UZ-[A-Z][A-Z]/, "Tashknt")} {print}' "$TMP/big.csv" >"$TMP/bad-big.csv"
expect_status 1 mj-tab --format csv --threads 2 --by region "$TMP/bad-big.csv"
line=$(grep -n "Tashknt" "$TMP/bad-big.csv" | cut -d: -f1)
expect_err "bad-big.csv:$line:4: column 'region': unknown value \"Tashknt\""

# One exit rule for the same bad rows in every program that counts (the run
# module's mj_run_exit_status): 1 with the rows rejected, and 1 when a
# rejected row stops a --strict run.
B=$SRC/tests/data/small.csv
for strict in "" --strict; do
  expect_status 1 mj-tab $strict --by region "$B"
  expect_status 1 mj-chart hbar $strict -o "$TMP/strict.svg" --by region "$B"
  expect_status 1 mj-xlsx $strict -o "$TMP/strict.xlsx" --by region "$B"
  expect_status 1 mj-report $strict -o "$TMP/strict-report" "$B"
done

# A sum's percents are of its total, which is no number of records (n).
expect_status 0 mj-tab --quiet --format text --by outcome --sum children "$SRC/samples/appeals-2023.csv"
expect_out "Base: % of the total = "
grep -q "of n = " "$TMP/out" && fail "a sum's base called n"

# A register named twice (or by a link) would count its records twice.
S=$SRC/samples/appeals-2023.csv
ln -s "$S" "$TMP/link.csv"
for second in "$S" "$TMP/link.csv"; do
  expect_status 2 mj-tab --by region "$S" "$second"
  expect_err "$S and $second are the same file: its records would be counted twice"
  [ -s "$TMP/out" ] && fail "a table from a register named twice"
done
expect_status 2 sh -c 'exec mj-tab --by region "$0" - <"$0"' "$S"
expect_err "$S and <stdin> are the same file"
expect_status 2 mj-report -o "$TMP/twice" "$S" "$S"
expect_err "are the same file"
[ -e "$TMP/twice" ] && fail "a report from a register named twice"
expect_status 0 mj-tab --quiet --format csv --allow-overlap --by region "$S" "$S"
grep -q '^_total,Total,21854,' "$TMP/out" || fail "--allow-overlap: the register counted twice"

expect_status 0 mj-tab --help
expect_out "usage: mj-tab"
expect_status 0 mj-tab --version
finish

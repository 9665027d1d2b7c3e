# --test props: SPSS CTABLES "compare column proportions" letters. The
# expected letters below were computed once, independently of the library,
# by tests/cli/props_golden.py with math only: pooled two-sided z-test of
# each pair of stated columns in a row, p times the number of pairs
# compared in the row below 0.05, "." for a column whose share is 0 or 1;
# from the records of
# samples/appeals-2023.csv counted with csv.DictReader. They are recorded
# here as golden values; the counts are checked again at run time.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv
PY=/usr/bin/python3

# The column of a CSV header called name (1-based), for awk.
col_of() { head -1 "$TMP/out" | tr ',' '\n' | grep -nx -- "$1" | cut -d: -f1; }

# region x violence: columns A physical, B sexual, C psychological,
# D economic, E other. Golden letters (row code, column code, letters).
cat >"$TMP/golden" <<'G'
UZ-SU sexual ACDE
UZ-XO sexual .
UZ-XO other D
G
expect_status 0 mj-tab --format csv --by region --cols violence --test props "$S"
note=$(col_of props_note)
count=$(col_of count)
[ -n "$note" ] && [ -n "$count" ] || fail "no props_note or count column: $(head -1 "$TMP/out")"
# Every stated cell of every region: the golden letters, else none.
awk -F, -v n="$note" 'NR > 1 && $1 ~ /^UZ-/ && $3 !~ /^_/ {print $1, $3, $n}' "$TMP/out" >"$TMP/got"
[ "$(wc -l <"$TMP/got")" -eq 70 ] || fail "expected 14 x 5 tested cells, got $(wc -l <"$TMP/got")"
while read -r reg v letters; do
  want=$(awk -v r="$reg" -v c="$v" '$1 == r && $2 == c {print $3}' "$TMP/golden")
  [ "$letters" = "$want" ] || fail "props of $reg x $v: got '$letters', want '$want'"
done <"$TMP/got"
# The counts the letters rest on, against an independent count.
$PY - "$S" >"$TMP/indep" <<'PYEOF'
import csv, sys
from collections import Counter
c = Counter(r['region'] + ' ' + r['violence'] for r in csv.DictReader(open(sys.argv[1], encoding='utf-8')) if r['violence'])
for k, n in sorted(c.items()):
    print(k, n)
PYEOF
[ -s "$TMP/indep" ] || fail "no independent count"
awk -F, -v n="$count" 'NR > 1 && $1 ~ /^UZ-/ && $3 !~ /^_/ && $n > 0 {print $1, $3, $n}' "$TMP/out" | sort >"$TMP/ours"
sort "$TMP/indep" | cmp -s - "$TMP/ours" || fail "region x violence counts differ from Python's"
# The total row and column, and "not stated", are not tested.
awk -F, -v n="$note" 'NR > 1 && ($1 ~ /^_/ || $3 ~ /^_/) && $n != "" {print}' "$TMP/out" | grep -q . &&
  fail "a total or not-stated cell has letters"

# outcome x channel: A hotline, B office. Hotline places nobody in the
# centre: its share there is 0, not compared.
expect_status 0 mj-tab --format csv --by outcome --cols channel --test props "$S"
note=$(col_of props_note)
awk -F, -v n="$note" 'NR > 1 && $1 !~ /^_/ && $3 !~ /^_/ {print $1, $3, $n}' "$TMP/out" >"$TMP/got"
printf '%s\n' "shelter hotline ." "shelter office " "referral hotline " "referral office A" \
  "consultation hotline B" "consultation office " >"$TMP/want"
diff "$TMP/want" "$TMP/got" >/dev/null || fail "outcome x channel props: $(cat "$TMP/got")"

# Text: a "Larger than" column and the note that names the letters.
expect_status 0 env COLUMNS=400 mj-tab --format text --by outcome --cols channel --test props "$S"
expect_out "Larger than"
expect_out "Compare column proportions"
expect_out "Columns: A Hotline 1146, B Territorial office."
expect_no "Pearson chi2" "$TMP/out"
# --test alone and --test chi2 are the chi-square, without letters;
# chi2,props both.
expect_status 0 mj-tab --format text --by outcome --cols channel --test "$S"
expect_out "Pearson chi2(2)"
expect_no "Larger than" "$TMP/out"
expect_status 0 mj-tab --format text --by outcome --cols channel --test chi2 "$S"
expect_out "Pearson chi2(2)"
expect_status 0 mj-tab --format text --by outcome --cols channel --test=chi2,props "$S"
expect_out "Pearson chi2(2)"
expect_out "Larger than"
# JSON carries the letters and the note.
expect_status 0 mj-tab --format json --by outcome --cols channel --test props "$S"
expect_out '"props_note": ["B", "", null, null]'
expect_out '"notes": ["Compare column proportions'
# Wrong uses say why.
expect_status 2 mj-tab --by outcome --cols channel --test=anova "$S"
expect_err '--test: expected chi2, props or chi2,props, got "anova"'
expect_status 0 mj-tab --format csv --by region --cols violence --test props --min-cell 5 "$S"
expect_err "suppressed cells"
# Every program that takes --test reads "--test props" as mj-tab does
# (the shared option code joins the word): the workbook gets the same
# letters as "--test=props", and "props" is no file name.
expect_status 0 mj-xlsx -o "$TMP/spaced.xlsx" --by outcome --cols channel --test props "$S"
expect_status 0 mj-xlsx -o "$TMP/joined.xlsx" --by outcome --cols channel --test=props "$S"
/usr/bin/python3 - "$TMP/spaced.xlsx" "$TMP/joined.xlsx" <<'PYEOF' || fail "mj-xlsx --test props differs from --test=props"
import sys, openpyxl
def cells(p):
    wb = openpyxl.load_workbook(p)
    return [[c.value for c in row] for ws in wb.worksheets[:-1] for row in ws.iter_rows()]
a, b = cells(sys.argv[1]), cells(sys.argv[2])
sys.exit(0 if a == b and any('B' == v for row in a for v in row) else 1)
PYEOF
finish

# Statistics beside tables: intervals, the chi-square test, comparisons,
# rates and the base N of percents. Expected figures were computed
# independently: chi-square and intervals with SciPy 1.10.1 (see
# tests/test_stats.c), counts by period with awk on the sample itself.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv
POP=$SRC/tests/data/population-test.csv

# A Stata-like two-way table with its chi-square line (scipy's
# chi2_contingency: 61.401982777540155, p 0.17461358314001885, V 0.0374810).
expect_status 0 mj-tab --format text --by region --cols violence --test "$S"
expect_out "          Pearson chi2(52) =  61.4020   Pr = 0.175"
expect_out "                Cramér's V =   0.0375"
expect_out "1 of 70 cells (1.4%) have expected counts below 5; the smallest is 4.03."
expect_out "Left out of the test: 1 \"not stated\" column(s)."
expect_out "Republic of Karakalpakstan       206       8            335        84           160"
# The test comes after the table.
[ "$(grep -n 'Pearson' "$TMP/out" | cut -d: -f1)" -gt "$(grep -n '^Total' "$TMP/out" | cut -d: -f1)" ] ||
  fail "the chi-square line should follow the table"
expect_status 0 mj-tab --format md --by region --cols violence --test "$S"
expect_out "Pearson chi2(52) =  61.4020   Pr = 0.175"
expect_status 0 mj-tab --format json --by region --cols violence --test "$S"
expect_out '"test": {"name": "pearson_chi2", "chi2": 61.401983, "df": 52, "p": 0.174614, "cramers_v": 0.037481, "n": 10927'
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/out" || fail "JSON with a test does not parse"
# CSV stays tidy: the test goes to standard error.
expect_status 0 mj-tab --format csv --by region --cols violence --test "$S"
expect_no "Pearson" "$TMP/out"
expect_err "Pearson chi2(52) =  61.4020   Pr = 0.175"
# Place: 2,293 appeals with no place are left out, and said so.
expect_status 0 mj-tab --format text --by place --cols violence --test "$S"
expect_out "2,293 appeals with a value not stated"
# Nested rows are tested on the innermost ones ("Elsewhere" has none below
# it; "Other family members" counts none). scipy on the 11 x 2 leaves:
# chi2 13.666525561362839, p 0.18875291990225737, df 10, V 0.0397853,
# 6 expected counts below 5, the smallest 0.15798.
expect_status 0 mj-tab --format text --by place,relationship --cols sex --test "$S"
expect_out "          Pearson chi2(10) =  13.6665   Pr = 0.189"
expect_out "                Cramér's V =   0.0398"
expect_out "6 of 22 cells (27.3%) have expected counts below 5; the smallest is 0.16."
expect_out "Warning: more than 20% of cells expect fewer than 5 appeals"
expect_status 2 mj-tab --format text --by region --test "$S"
expect_err "--test needs a cross-tab"
# Suppressed cells: the table is printed, the test is not.
expect_status 0 mj-tab --format text --by region --cols violence --test --min-cell 10 "$S"
expect_err "suppressed"
expect_no "Pearson" "$TMP/out"

# Intervals (scipy/NumPy: Wilson 0.23991127, 0.25610191; Clopper-Pearson
# 0.23984399, 0.25612653 for 2,709 of 10,927).
expect_status 0 mj-tab --format csv --decimals 3 --by violence --ci 95 "$S"
expect_out "physical,Physical,2709,24.792,10927,23.991,25.610"
# The statistics come before what was counted (title, period, ...).
head -1 "$TMP/out" | grep -q '^violence_code,violence,count,percent,percent_base,ci_low,ci_high,title,' ||
  fail "CI header: $(head -1 "$TMP/out")"
expect_status 0 mj-tab --format csv --decimals 3 --by violence --ci 95 --ci-method exact "$S"
expect_out "physical,Physical,2709,24.792,10927,23.984,25.613"
expect_status 0 mj-tab --format text --by violence --ci 95 "$S"
expect_out "95% CI low  95% CI high"
expect_out "95% confidence interval of each percent of total: Wilson score."
# 99% of 114 of 10,927 (scipy: 0.82094, 1.32505 Wilson).
expect_status 0 mj-tab --format json --decimals 2 --by violence --ci 99 "$S"
expect_out '"ci_low": [0.82], "ci_high": [1.33]'
# Cross-tabs: of the row percent (Karakalpakstan: 206 of 793 physical).
expect_status 0 mj-tab --format csv --decimals 2 --by region --cols violence --ci 95 "$S"
ci=$(python3 -c 'import math; x,n,z=206,793,1.959963984540054; p=x/n; d=1+z*z/n; c=(p+z*z/(2*n))/d; h=z*math.sqrt(p*(1-p)/n+z*z/(4*n*n))/d; print("%.2f,%.2f"%(100*(c-h),100*(c+h)))')
expect_out "UZ-QR,Republic of Karakalpakstan,physical,Physical,206,25.98,793,$ci"
expect_status 2 mj-tab --by outcome --sum children --ci 95 "$S"
expect_err "--ci needs counts of appeals"
expect_status 2 mj-tab --by violence --ci 100 "$S"
expect_err "--ci: expected a confidence level from 50 to 99.9"
expect_status 2 mj-tab --by violence --ci 95 --ci-method normal "$S"
expect_err "--ci-method: expected wilson or exact"

# The base N of every percent.
expect_status 0 mj-tab --format text --by place --percent total,valid,cum "$S"
expect_out "Base: % of n = 10,927; valid % of n = 8,634 (not stated excluded)"
# The total's valid percent is 100 of its valid part (not 10,927 / 8,634).
expect_out "Total              10,927  100.0    100.0       —"
expect_status 0 mj-tab --format csv --by place --percent total,valid "$S"
expect_out "domestic,Domestic,7362,67.4,85.3,10927,8634"
expect_status 0 mj-tab --format text --by region --cols violence --percent row,col "$S"
expect_out "row % of each row's total (the Total column); column % of each column's total (the Total row)"

# Comparisons: counts of August and July 2023 straight from the file.
aug=$(awk -F, 'NR>1 && substr($2,1,7)=="2023-08"' "$S" | wc -l)
jul=$(awk -F, 'NR>1 && substr($2,1,7)=="2023-07"' "$S" | wc -l)
chg=$((aug - jul))
pct=$(awk -v a="$aug" -v b="$jul" 'BEGIN {printf "%.1f", 100 * (a - b) / b}')
expect_status 0 mj-tab --format csv --by region --period 2023-08 --compare previous "$S"
expect_out "_total,Total,$aug,100.0,$aug,$jul,$chg,$pct,"
head -1 "$TMP/out" | grep -q 'count,percent,percent_base,count_compared,change,percent_change,percent_change_note,title,' ||
  fail "compare header: $(head -1 "$TMP/out")"
kq_aug=$(awk -F, 'NR>1 && substr($2,1,7)=="2023-08" && $4=="UZ-QR"' "$S" | wc -l)
kq_jul=$(awk -F, 'NR>1 && substr($2,1,7)=="2023-07" && $4=="UZ-QR"' "$S" | wc -l)
expect_out "UZ-QR,Republic of Karakalpakstan,$kq_aug,"
grep -q "^UZ-QR,Republic of Karakalpakstan,$kq_aug,[0-9.]*,$aug,$kq_jul,$((kq_aug - kq_jul))," "$TMP/out" ||
  fail "Karakalpakstan compared: $(grep ^UZ-QR "$TMP/out")"
expect_status 0 mj-tab --format csv --by region --month 2023-08 --compare 2023-07 "$S"
expect_out "_total,Total,$aug,100.0,$aug,$jul,$chg,$pct,"
# A year earlier there are no records: every count is new, zeros stay "—".
expect_status 0 mj-tab --format text --by violence --period 2023-08 --compare year "$S"
expect_out "Compared with 2022-08-01 – 2022-08-31 (n = 0)"
expect_out "new"
grep -q "^Not stated .*—$" "$TMP/out" || fail "a zero against a zero should read —"
expect_status 0 mj-tab --format json --by violence --period 2023-08 --compare year "$S"
expect_out '"percent_change_note": ["new"]'
# Open dimensions (district) are matched by value: other months may have
# other districts.
expect_status 0 mj-tab --format csv --by region --cols district --where region=UZ-QR \
  --period 2023-08 --compare previous "$S"
expect_out "_total,Total,_total,Total,$kq_aug,100.0,$kq_aug,$kq_jul,$((kq_aug - kq_jul)),"
expect_status 2 mj-tab --by month --period 2023-08 --compare previous "$S"
expect_err "rows are periods already"
expect_status 2 mj-tab --by region --compare previous "$S"
expect_err "--compare needs the period it compares"
expect_status 2 mj-tab --by region --period 2023-08 --compare yesterday "$S"
expect_err "--compare: expected previous, year or a period"
# Piped records are compared too (read from a copy): the same table as
# from the file, and a problem in them is still named <stdin>.
# Only the source at the end of each CSV row may differ.
same_but_source() { cmp -s <(sed 's/,[^,]*$//' "$1") <(sed 's/,[^,]*$//' "$2"); }
expect_status 0 mj-tab --format csv --by region --period 2023-08 --compare previous "$S"
cp "$TMP/out" "$TMP/cmp-file.csv"
expect_status 0 mj-tab --format csv --by region --period 2023-08 --compare previous - <"$S"
same_but_source "$TMP/out" "$TMP/cmp-file.csv" || fail "--compare from stdin differs from the file's"
expect_status 0 mj-tab --format csv --by region --period 2023-08 --compare previous <"$S"
same_but_source "$TMP/out" "$TMP/cmp-file.csv" || fail "--compare from stdin (no file named) differs"
{ head -3 "$S"; echo "X1,2023-08-02,hotline,Atlantis,,female,30,physical,domestic,spouse,referral,0"; } >"$TMP/bad-in.csv"
expect_status 1 mj-tab --format csv --by region --period 2023-08 --compare previous <"$TMP/bad-in.csv"
expect_err "<stdin>:4:"
expect_no "/proc/self" "$TMP/err"

# Rates per population (made-up test populations in tests/data/).
expect_status 0 mj-tab --format csv --by region --rate-per 100000 --population "$POP" "$S"
expect_out "UZ-QR,Republic of Karakalpakstan,793,7.3,10927,1000000,,79.30,"
expect_out "UZ-TK,Tashkent city,1046,9.6,10927,2000000,,52.30,"
expect_out "UZ-TO,Tashkent region,386,3.5,10927,,—,,no population"
# The total counts Tashkent region's 386 appeals, whose population the
# file lacks: its rate would be too high, so it is withdrawn and marked.
expect_out "_total,Total,10927,100.0,10927,14000000,,,partial population"
# Without Tashkent region, every counted category has its population:
# the total's rate is there (10541 / 14,000,000 per 100,000).
expect_status 0 mj-tab --format csv --by region --where region=UZ-QR,UZ-AN,UZ-BU,UZ-JI,UZ-QA,UZ-NW,UZ-NG,UZ-SA,UZ-SU,UZ-SI,UZ-FA,UZ-XO,UZ-TK \
  --rate-per 100000 --population "$POP" "$S"
total_rate=$(awk 'BEGIN {printf "%.2f", (10927 - 386) / 14000000 * 100000}')
expect_out "_total,Total,10541,100.0,10541,14000000,,$total_rate,"
# A table by a dimension the file lacks keeps the overall rate in its total.
expect_status 0 mj-tab --format csv --by violence --rate-per 100000 --population "$POP" "$S"
total_rate=$(awk 'BEGIN {printf "%.2f", 10927 / 14000000 * 100000}')
expect_out "_total,Total,10927,100.0,10927,14000000,,$total_rate,"
expect_status 0 mj-tab --format text --by region --rate-per 100000 --population "$POP" "$S"
expect_out "Rate per 100,000"
expect_out "no population"
# By region and sex, with a filter on a dimension of the file.
expect_status 0 mj-tab --format csv --by region --rate-per 1000 --where sex=female \
  --population "$SRC/tests/data/population-sex-test.csv" "$S"
expect_out "UZ-QR,Republic of Karakalpakstan,781,"
grep -q "^UZ-QR,Republic of Karakalpakstan,781,[0-9.]*,[0-9]*,600000,,1.30," "$TMP/out" ||
  fail "female rate of Karakalpakstan: $(grep ^UZ-QR "$TMP/out")"
expect_status 2 mj-tab --by region --rate-per 1000 --population "$SRC/tests/data/population-bad.csv" "$S"
expect_err "population-bad.csv:4:1: 'region' has no value \"Andijn\" (did you mean \"UZ-AN\"?)"
expect_status 2 mj-tab --by region --rate-per 1000 "$S"
expect_err "--rate-per needs --population FILE"
expect_status 2 mj-tab --by region --rate-per 1000 --population "$TMP/none.csv" "$S"
expect_err "none.csv"

# Multi-response: violence may list several types separated by ';'.
# tests/data/multi.csv by hand: appeals 1-5 are valid (6 names "physcal");
# physical is named by 1, 3, 5 (5 twice), psychological by 1, 2, 3,
# economic by 3, appeal 4 names none: 5 appeals, 7 mentions.
M=$SRC/tests/data/multi.csv
expect_status 1 mj-tab --format csv --by violence "$M"
expect_err "multi.csv:7:6: column 'violence': unknown value \"physcal\" (did you mean \"Physical\"?)"
expect_out "physical,Physical,3,60.0,5,42.9"
expect_out "psychological,Psychological,3,60.0,5,42.9"
expect_out "economic,Economic,1,20.0,5,14.3"
expect_out "_missing,Not stated,1,20.0,5,"
# The total does not pretend: its percent of appeals is their sum, 8 / 5.
expect_out "_total,Total,5,160.0,5,100.0"
expect_status 1 mj-tab --format text --by violence "$M"
expect_out "percents are of appeals (cases); they can sum to over 100 and the Total counts appeals, not mentions (7 mentions by 5 appeals)"
expect_out "% of mentions"
expect_out "Total                 5  160.0          100.0"
expect_status 1 mj-tab --format json --by violence "$M"
expect_out '"notes": ["Type of violence is multi-response'
expect_status 1 mj-tab --format csv --by region --cols violence "$M"
expect_out "UZ-AN,Andijan region,physical,Physical,2,66.7,3,50.0"
expect_out "UZ-AN,Andijan region,_total,Total,3,166.7,3,100.0"
expect_out "UZ-TK,Tashkent city,psychological,Psychological,2,100.0,2,66.7"
# An appeal passes a filter on any type it names; other tables count it once.
expect_status 1 mj-tab --format csv --by region --where violence=physical "$M"
expect_out "_total,Total,3,100.0"
expect_status 1 mj-tab --format csv --by region "$M"
expect_out "_total,Total,5,100.0"
# The chi-square test needs each appeal in one cell.
expect_status 1 mj-tab --format text --by region --cols violence --test "$M"
expect_err "--test: not computed: appeals here name several categories of 'violence'"
expect_no "Pearson" "$TMP/out"

# mj-check's canonical output keeps every type named.
expect_status 1 mj-check --fix -o "$TMP/fixed.csv" "$M"
grep -q '^3,2023-01-07,,UZ-AN,,female,32,physical;psychological;economic,' "$TMP/fixed.csv" ||
  fail "mj-check --fix lost mentions: $(grep '^3,' "$TMP/fixed.csv")"

# The same over the whole sample read in parallel parts: every third appeal
# names two types; counts by awk on the file itself.
awk -F, -v OFS=, 'NR>1 && NR%3==0 {$8="physical;psychological"} {print}' "$S" >"$TMP/multi-big.csv"
read -r n p q <<<"$(awk -F, 'NR>1 {n++; if ($8 ~ /physical/) p++; if ($8 ~ /psychological/) q++} END {print n, p, q}' "$TMP/multi-big.csv")"
expect_status 0 mj-tab --format csv --by violence "$TMP/multi-big.csv"
expect_out "physical,Physical,$p,"
expect_out "psychological,Psychological,$q,"
k=$(grep -c ';' "$TMP/multi-big.csv")
expect_out "_total,Total,$n,$(awk -v n="$n" -v k="$k" 'BEGIN {printf "%.1f", 100 * (n + k) / n}'),"

# A table with statistics still reads back (mj-tab | mj-chart, mj-xlsx).
expect_status 0 mj-tab --help
expect_out "--ci LEVEL"
expect_out "--compare P|previous|year"
finish

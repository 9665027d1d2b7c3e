# Killed in the middle (SIGKILL), mj-report and mj-xlsx leave the previous
# output exactly as it was, and nothing half-written under its name.
. "$SRC/tests/cli/lib.sh"
small=$SRC/tests/data/twin/clean.csv
mj-synth --rows 400000 -o "$TMP/big.csv" "$SRC/samples/appeals-2023.spec" 2>/dev/null || fail "mj-synth"

# Kills "$@" with SIGKILL once a temporary name matching $1 appears.
kill_when() {
  pattern=$1; shift
  "$@" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 600); do
    if compgen -G "$pattern" >/dev/null; then break; fi
    sleep 0.05
  done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  compgen -G "$pattern" >/dev/null || fail "no temporary output seen before the kill: $*"
}

mj-report --quiet -o "$TMP/report" "$small" || fail "first report"
cp -a "$TMP/report" "$TMP/report.saved"
kill_when "$TMP/report.tmp*" mj-report --quiet -o "$TMP/report" "$TMP/big.csv"
diff -rq "$TMP/report" "$TMP/report.saved" >/dev/null ||
  fail "mj-report killed: the previous report changed: $(diff -rq "$TMP/report" "$TMP/report.saved" | head -5)"
# The next run cleans up nothing of the user's and replaces the report.
mj-report --quiet -o "$TMP/report" "$small" || fail "report after the kill"
diff -rq "$TMP/report" "$TMP/report.saved" >/dev/null ||
  fail "rerun gives a different report: $(diff -rq "$TMP/report" "$TMP/report.saved" | head -5)"

mj-xlsx --quiet -o "$TMP/book.xlsx" --by region "$small" 2>/dev/null || mj-xlsx -o "$TMP/book.xlsx" --by region "$small" || fail "first workbook"
cp "$TMP/book.xlsx" "$TMP/book.saved"
# The whole workbook the killed runs would write, made the same way first
# (same bytes every run): a killed run leaves either the previous workbook or
# this one, never anything else. A run may be killed after its workbook took
# the name but before it ended, so its exit status alone cannot tell which.
cp "$TMP/book.xlsx" "$TMP/book.xlsx.keep"
mj-xlsx -o "$TMP/book.xlsx" --by region --by district --by place,relationship "$TMP/big.csv" >/dev/null 2>&1 ||
  fail "the whole workbook"
mv "$TMP/book.xlsx" "$TMP/book.whole"
mv "$TMP/book.xlsx.keep" "$TMP/book.xlsx"
cmp -s "$TMP/book.xlsx" "$TMP/book.whole" && fail "the whole workbook is the same as the first: the test would prove nothing"
# The workbook is written to a temporary name at the end of the run;
# kill it at several moments, while counting and while writing.
for delay in 0.2 0.5 0.8 1.1 1.4 1.7; do
  mj-xlsx -o "$TMP/book.xlsx" --by region --by district --by place,relationship "$TMP/big.csv" >/dev/null 2>&1 &
  pid=$!
  sleep $delay
  kill -9 $pid 2>/dev/null
  wait $pid 2>/dev/null
  cmp -s "$TMP/book.xlsx" "$TMP/book.saved" || cmp -s "$TMP/book.xlsx" "$TMP/book.whole" ||
    fail "mj-xlsx killed after ${delay}s: the workbook is neither the previous one nor the whole new one"
  cp "$TMP/book.xlsx" "$TMP/book.saved" # what the next kill must keep
done

mj-check --fix -o "$TMP/fixed.csv" "$small" 2>/dev/null
cp "$TMP/fixed.csv" "$TMP/fixed.saved"
kill_when "$TMP/fixed.csv.tmp*" mj-check --fix -o "$TMP/fixed.csv" "$TMP/big.csv"
cmp -s "$TMP/fixed.csv" "$TMP/fixed.saved" || fail "mj-check killed: the previous output changed"
finish

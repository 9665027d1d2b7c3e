# No input destroyed, no temporary left: an output that is an input is
# refused by every program; a report folder holding a file of the user's is
# refused, not emptied; closed descriptors 0-2 do not end up in an output;
# SIGTERM, SIGINT and a file size limit leave no temporary behind; and every
# program gives the same exit status for the same rejected rows.
. "$SRC/tests/cli/lib.sh"
clean=$SRC/tests/data/twin/clean.csv
spec=$SRC/samples/appeals-2023.spec
cd "$TMP" || exit 1
ulimit -c 0 # the signals below would dump core otherwise
# No temporaries of any program under $TMP (names "X.tmpXXXXXX").
no_tmp() {
  left=$(find "$TMP" -name '*.tmp*' | head -3)
  [ -z "$left" ] || fail "$1: temporaries left: $left"
}

# ---- an output that is an input is refused, the input unchanged -------------
cp "$clean" reg.csv
cp reg.csv reg.saved
same() { # same WHAT CMD...: exit 2, the refusal said, reg.csv untouched
  what=$1; shift
  expect_status 2 "$@"
  grep -q "refusing to write over an input\|refusing to replace a folder with an input" "$TMP/err" ||
    fail "$what: no refusal: $(head -c 300 "$TMP/err")"
  cmp -s reg.csv reg.saved || { fail "$what: the input changed"; cp reg.saved reg.csv; }
  no_tmp "$what"
}
same "check --fix -o" mj-check --fix -o reg.csv reg.csv
same "check --rejects" mj-check --rejects reg.csv reg.csv
same "check -o through ./" mj-check --fix -o ./reg.csv "$TMP/reg.csv"
ln reg.csv hard.csv
same "check -o a hard link" mj-check --fix -o hard.csv reg.csv
ln -s reg.csv soft.csv
same "check -o a symbolic link" mj-check --fix -o soft.csv reg.csv
same "check -o standard input" sh -c 'mj-check --fix -o reg.csv < reg.csv'
same "check --rejects, input second" mj-check --rejects hard.csv "$clean" reg.csv
expect_status 2 mj-check --fix -o both.csv --rejects both.csv reg.csv
expect_err "named by both -o and --rejects"
[ -e both.csv ] && fail "-o and --rejects the same name: a file was written"
# A register in a workbook is found by content; its name does not matter.
cp reg.csv reg.xlsx
same "xlsx records" mj-xlsx -o reg.xlsx --by region reg.xlsx
cmp -s reg.xlsx reg.csv || fail "mj-xlsx: the register was replaced"
mj-tab --by region --format csv reg.csv > table.csv 2>/dev/null
cp table.csv table.saved
same "xlsx tables" mj-xlsx -o table.csv table.csv
cmp -s table.csv table.saved || fail "mj-xlsx: the table was replaced"
cp reg.csv reg.svg
same "chart records" mj-chart bar -o reg.svg --by region reg.svg
cmp -s reg.svg reg.csv || fail "mj-chart: the register was replaced"
cp table.csv table.svg
same "chart table" mj-chart bar -o table.svg table.svg
cmp -s table.svg table.csv || fail "mj-chart: the table was replaced"
cp "$spec" my.spec
same "synth" mj-synth -o my.spec my.spec
cmp -s my.spec "$spec" || fail "mj-synth: the spec was replaced"
mj-report --quiet -o rep reg.csv || fail "first report"
cp reg.csv rep/report.pdf
cp rep/report.pdf in-report.saved
same "report input inside the folder" mj-report --quiet -o rep rep/report.pdf
cmp -s rep/report.pdf in-report.saved || fail "mj-report: its input in the folder changed"
# The checks do not get in the way of ordinary runs.
expect_status 0 mj-check --fix -o fixed.csv reg.csv
expect_status 0 mj-chart bar -o chart.svg table.csv
expect_status 0 sh -c 'mj-tab --by region --format csv reg.csv | mj-xlsx -o book.xlsx'

# ---- a report folder holding anything else is refused, never emptied ------
rm -rf rep
mj-report --quiet -o rep reg.csv || fail "report"
mj-report --quiet -o rep reg.csv || fail "a report folder is replaced by the next report"
echo mine > rep/charts/mine.txt
expect_status 2 mj-report --quiet -o rep reg.csv
expect_err 'holds "mine.txt", which mj-report does not write'
[ "$(cat rep/charts/mine.txt 2>/dev/null)" = mine ] || fail "report: the user's charts/mine.txt was removed"
rm rep/charts/mine.txt
mkdir -p rep/charts/old && echo mine > rep/charts/old/regions.png
expect_status 2 mj-report --quiet -o rep reg.csv
expect_err 'holds "old"'
[ -s rep/charts/old/regions.png ] || fail "report: a folder in charts/ was removed"
rm -r rep/charts/old
# A name mj-report writes, but not what it writes there (a folder, a link).
rm rep/summary.md && mkdir rep/summary.md && echo mine > rep/summary.md/notes
expect_status 2 mj-report --quiet -o rep reg.csv
[ -s rep/summary.md/notes ] || fail "report: a folder named summary.md was removed"
rm -r rep/summary.md
ln -s "$TMP/reg.csv" rep/charts/regions.png.bak 2>/dev/null
expect_status 2 mj-report --quiet -o rep reg.csv
[ -L rep/charts/regions.png.bak ] || fail "report: a link in charts/ was removed"
rm rep/charts/regions.png.bak
rm rep/charts/regions.png && ln -s "$TMP/reg.csv" rep/charts/regions.png
expect_status 2 mj-report --quiet -o rep reg.csv
cmp -s reg.csv reg.saved || fail "report: the file a chart's link pointed at changed"
rm rep/charts/regions.png
expect_status 0 mj-report --quiet -o rep reg.csv
no_tmp "report refusals"

# ---- closed standard descriptors --------------------------------------------
printf 'id,date,channel,region,district,sex,age,violence,place,relationship,outcome,children\n' > bad.csv
tail -n +2 "$clean" >> bad.csv
printf 'B1,2023-05-01,hotline,Atlantis,,female,30,physical,domestic,spouse,consultation,0\n' >> bad.csv
mj-check --fix -o fix-ref.csv --rejects rej-ref.csv bad.csv 2>/dev/null
[ $? -eq 1 ] || fail "bad.csv: mj-check does not reject a row"
mj-check --fix -o fix-2.csv --rejects rej-2.csv bad.csv 2>&-
[ $? -eq 1 ] || fail "2>&-: exit status"
cmp -s fix-2.csv fix-ref.csv || fail "2>&-: the --fix output differs: $(grep mj- fix-2.csv | head -1)"
cmp -s rej-2.csv rej-ref.csv || fail "2>&-: the rejects file differs"
grep -q "^mj-check:" fix-2.csv rej-2.csv && fail "2>&-: diagnostics in the output"
mj-chart bar -o chart-2.svg --by region bad.csv 2>&-
[ $? -eq 1 ] || fail "2>&-: mj-chart exit status"
grep -q "^mj-chart:" chart-2.svg && fail "2>&-: diagnostics in the chart"
# Standard output closed: nothing is written there, so nothing to complain of.
expect_status 0 sh -c 'mj-check --fix -o fix-3.csv reg.csv >&-'
cmp -s fix-3.csv fixed.csv || fail ">&-: -o output differs"
expect_status 0 sh -c 'mj-xlsx -o book-3.xlsx --by region reg.csv >&-'
expect_status 0 sh -c 'mj-chart bar -o chart-3.svg --by region reg.csv >&-'
expect_status 0 sh -c 'mj-report --quiet -o rep-3 reg.csv >&-'
expect_status 0 sh -c 'mj-synth -o synth-3.csv "$0" >&-' "$spec"
# ... but a table that could not be written is an error, as before.
expect_status 2 sh -c 'mj-tab --by region reg.csv >&-'
expect_err "error writing"
# Standard input closed reads as an error, not as no records.
expect_status 2 sh -c 'mj-tab --by region <&-'
expect_status 0 sh -c 'mj-check --fix -o fix-4.csv reg.csv <&-'

# ---- signals and the file size limit leave no temporary -------------------
mj-synth --rows 250000 -o big.csv "$spec" 2>/dev/null || fail "mj-synth big"
# sig_when SIG PATTERN CMD...: sends SIG once a file matching PATTERN
# appears, then checks that the program died of it and left no temporary.
# A run that ended before the signal came is tried again. The program starts
# with default signal actions: a shell starts background commands with
# SIGINT ignored.
sig_when() {
  sig=$1 pattern=$2; shift 2
  want=$((128 + $(kill -l "$sig")))
  for _ in 1 2 3; do
    env --default-signal=INT "$@" >/dev/null 2>"$TMP/sig.err" &
    pid=$!
    # Looked for without a pause (a builtin glob), while the program runs
    # (not yet a zombie): a temporary may live only a few milliseconds,
    # which polls 20 ms apart mostly missed.
    deadline=$((SECONDS + 30)) state=R
    while ! compgen -G "$pattern" >/dev/null && [ "$state" != Z ] &&
          [ "$SECONDS" -lt "$deadline" ]; do
      read -r _ _ state _ 2>/dev/null < "/proc/$pid/stat" || state=Z
    done
    kill -s "$sig" "$pid" 2>/dev/null
    wait "$pid"
    got=$?
    no_tmp "$sig: $*"
    [ "$got" -eq 0 ] || break
  done
  [ "$got" -eq "$want" ] || fail "$sig: exit $got, wanted $want: $* ($(head -c 200 "$TMP/sig.err"))"
}
cp fixed.csv fixed.saved
sig_when TERM "$TMP/fixed.csv.tmp*" mj-check --fix -o fixed.csv big.csv
sig_when INT "$TMP/fixed.csv.tmp*" mj-check --fix -o fixed.csv --rejects rejects.csv big.csv
cmp -s fixed.csv fixed.saved || fail "killed mj-check: the previous output changed"
[ -e rejects.csv ] && fail "killed mj-check: a rejects file appeared"
sig_when TERM "$TMP/synth.csv.tmp*" mj-synth --rows 3000000 -o synth.csv "$spec"
sig_when INT "$TMP/synth.csv.tmp*" mj-synth --rows 3000000 -o synth.csv "$spec"
[ -e synth.csv ] && fail "killed mj-synth: a file appeared"
sig_when TERM "$TMP/rep.tmp*" mj-report --quiet -o rep big.csv
sig_when INT "$TMP/rep.tmp*" mj-report --quiet -o rep big.csv
sig_when TERM "$TMP/rep.tmp*/charts/*" mj-report --quiet -o rep big.csv
[ -s rep/report.xlsx ] || fail "killed mj-report: the previous report is gone"
sig_when TERM "$TMP/b.xlsx.tmp*" mj-xlsx -o b.xlsx --by region --by district big.csv
sig_when INT "$TMP/b.svg.tmp*" mj-chart bar -o b.svg --by region,district big.csv

# A file larger than the limit: the program says so and removes its
# temporary (ulimit -f counts blocks of 1024 bytes).
for cmd in "mj-synth --rows 400000 -o lim.csv $spec" "mj-check --fix -o lim.csv big.csv"; do
  (ulimit -f 2000; exec $cmd) >/dev/null 2>"$TMP/lim.err"
  got=$?
  [ "$got" -eq $((128 + $(kill -l XFSZ))) ] || fail "ulimit -f: exit $got: $cmd"
  grep -q "file size limit exceeded" "$TMP/lim.err" || fail "ulimit -f: no message: $cmd: $(head -c 200 "$TMP/lim.err")"
  [ -e lim.csv ] && fail "ulimit -f: a partial file: $cmd"
  no_tmp "ulimit -f: $cmd"
done
# mj-report writes from two threads: both may pass the limit at once, and
# the second signal once ended the run halfway through the first one's
# cleaning (a folder left about one run in fifteen). Tried twenty times.
for _ in $(seq 20); do
  (ulimit -f 20; exec mj-report --quiet -o lim-rep reg.csv) >/dev/null 2>"$TMP/lim.err"
  grep -q "file size limit exceeded" "$TMP/lim.err" || fail "ulimit -f: mj-report: no message: $(head -c 200 "$TMP/lim.err")"
  [ -e lim-rep ] && fail "ulimit -f: mj-report left a folder"
  no_tmp "ulimit -f: mj-report"
done

# ---- one exit status for the same rejected rows ---------------------------
# Every program, on the same records with one rejected row: 1, with and
# without --strict (under --strict nothing is written); 2 for a usage error.
for strict in "" --strict; do
  rm -rf ex.csv ex.svg ex.xlsx ex-rep
  for cmd in "mj-check --fix -o ex.csv" "mj-tab --by region" "mj-chart bar -o ex.svg --by region" \
             "mj-xlsx -o ex.xlsx --by region" "mj-report --quiet -o ex-rep"; do
    # shellcheck disable=SC2086
    $cmd $strict bad.csv >/dev/null 2>"$TMP/err"
    got=$?
    [ "$got" -eq 1 ] || fail "exit $got, wanted 1: $cmd $strict bad.csv ($(head -c 200 "$TMP/err"))"
  done
  if [ -n "$strict" ]; then
    for f in ex.csv ex.svg ex.xlsx ex-rep; do
      [ -e "$f" ] && fail "--strict: $f was written"
    done
  else
    for f in ex.csv ex.svg ex.xlsx ex-rep/report.pdf; do
      [ -s "$f" ] || fail "rows rejected: $f was not written"
    done
  fi
done
for cmd in "mj-check" "mj-tab --by region" "mj-chart bar -o ex.svg --by region" \
           "mj-xlsx -o ex.xlsx --by region" "mj-report -o ex-rep"; do
  # shellcheck disable=SC2086
  $cmd --no-such-option bad.csv >/dev/null 2>&1
  got=$?
  [ "$got" -eq 2 ] || fail "exit $got, wanted 2: $cmd --no-such-option"
done
no_tmp "the end"
finish

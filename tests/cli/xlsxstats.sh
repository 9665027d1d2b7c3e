#!/bin/bash
# Command-line tests for the statistics in workbooks (mj-xlsx --ci, --test,
# --compare, --rate-per): each workbook is read back with openpyxl, its
# formulas are evaluated by hand and its figures checked against mj-tab's
# CSV with the same options. Gets BUILD and SRC from meson.
. "$SRC/tests/cli/lib.sh"
SAMPLE="$SRC/samples/appeals-2023.csv"
POP="$SRC/tests/data/population-test.csv"
MULTI="$SRC/tests/data/multi.csv"
PY=/usr/bin/python3

# The checker: python3 check.py WHAT FILE [ARG...]; prints each failure.
cat >"$TMP/check.py" <<'EOF'
import csv, os, re, sys
import openpyxl
from openpyxl.utils import column_index_from_string, get_column_letter

FAILS = []
def fail(msg):
    FAILS.append(msg)

# Headings of the statistics, in English, by their CSV names.
LEVEL = os.environ.get("CI_LEVEL", "95")
TITLES = {"ci_low": LEVEL + "% CI low", "ci_high": LEVEL + "% CI high",
          "count_compared": "Compared", "change": "Change",
          "percent_change": "Change %", "population": "Population",
          "rate": "Rate per 100,000", "mention_percent": "% of mentions"}
PERCENTS = {"ci_low", "ci_high", "percent_change", "mention_percent"}
# A hidden count reads <N (below the threshold) or x (hidden to protect others).
HIDDEN = re.compile(r"<\d+|x")

def load(path):
    return openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)

def tables(wb):
    return [ws for ws in wb.worksheets if ws.title != "About"]

REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")
RANGE = re.compile(r"SUM\(([^)]*)\)")

def cells_of(arg):
    """(row, col) of every cell of "B5", "B5:F5"."""
    if ":" in arg:
        (a, b) = arg.split(":")
        ma, mb = REF.fullmatch(a), REF.fullmatch(b)
        r1, c1 = int(ma.group(2)), column_index_from_string(ma.group(1))
        r2, c2 = int(mb.group(2)), column_index_from_string(mb.group(1))
        return [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
    m = REF.fullmatch(arg)
    return [(int(m.group(2)), column_index_from_string(m.group(1)))]

def evaluate(formula, value):
    """The formula worked out by hand over cached values: SUM() of
    ranges, references, numbers and + - * / (Python's own arithmetic)."""
    def num(rc):
        v = value(*rc)
        if v is None:
            return 0.0
        if not isinstance(v, (int, float)):
            raise ValueError("refers to text %r" % v)
        return float(v)
    expr = formula[1:]
    expr = RANGE.sub(lambda m: repr(sum(num(rc) for a in m.group(1).split(",")
                                        for rc in cells_of(a))), expr)
    expr = REF.sub(lambda m: repr(num((int(m.group(2)),
                                       column_index_from_string(m.group(1))))), expr)
    if not re.fullmatch(r"[-+*/(). 0-9e]+", expr):
        raise ValueError("cannot evaluate %r" % formula)
    return eval(expr)

def formulas(path):
    """Every formula evaluates to its cached value and refers to no hidden
    cell; returns how many there were by kind of statistic."""
    wb, wv = load(path)
    seen = 0
    for ws in tables(wb):
        wsv = wv[ws.title]
        hidden = {(c.row, c.column) for row in ws.iter_rows() for c in row
                  if isinstance(c.value, str) and HIDDEN.fullmatch(c.value)}
        for row in ws.iter_rows():
            for c in row:
                f = c.value
                if not (isinstance(f, str) and f.startswith("=")):
                    continue
                seen += 1
                where = "%s!%s %s" % (ws.title, c.coordinate, f)
                cached = wsv.cell(c.row, c.column).value
                if not isinstance(cached, (int, float)):
                    fail("%s: no cached number (%r)" % (where, cached))
                    continue
                for a in re.findall(r"\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?", f):
                    for rc in cells_of(a):
                        if rc in hidden:
                            fail("%s refers to hidden %s%d" % (where, get_column_letter(rc[1]), rc[0]))
                try:
                    got = evaluate(f, lambda r, col: wsv.cell(r, col).value)
                except (ValueError, ZeroDivisionError) as e:
                    fail("%s: %s" % (where, e))
                    continue
                if abs(got - cached) > 1e-9 * max(1, abs(got)):
                    fail("%s caches %r, evaluates to %r" % (where, cached, got))
    return seen

def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))

def decimals(text):
    return len(text.split(".")[1]) if "." in text else 0

def same(name, cell, cached, text, note, where):
    """A statistic's cell against mj-tab's CSV field (and its note)."""
    if note:
        if cached != note:
            fail("%s: %s reads %r, mj-tab marks %r" % (where, name, cached, note))
        return
    if text == "":
        if cached is not None:
            fail("%s: %s reads %r, mj-tab leaves it empty" % (where, name, cached))
        return
    if not isinstance(cached, (int, float)):
        fail("%s: %s reads %r, mj-tab %s" % (where, name, cached, text))
        return
    shown = cached * 100 if name in PERCENTS else cached
    if abs(shown - float(text)) > 0.5 * 10 ** -decimals(text) + 1e-9:
        fail("%s: %s is %r, mj-tab %s" % (where, name, shown, text))
    # The number format shows mj-tab's decimals.
    fmt = cell.number_format
    d = decimals(text)
    want = ("0" + ("." + "0" * d if d else "") + "%") if name in PERCENTS else \
           ("#,##0" + ("." + "0" * d if d else ""))
    if want not in fmt:
        fail("%s: %s format %r lacks %r" % (where, name, fmt, want))

def stat_names(rows):
    return [n for n in TITLES if rows and n in rows[0]]

def oneway(path, sheet, csvpath, dim):
    wb, wv = load(path)
    ws, wsv = wb[sheet], wv[sheet]
    rows = read_csv(csvpath)
    head = {ws.cell(4, c).value: c for c in range(1, ws.max_column + 1)}
    names = stat_names(rows)
    for n in names:
        if TITLES[n] not in head:
            fail("%s: no column headed %r (%s)" % (sheet, TITLES[n], sorted(map(str, head))))
            return
    # Statistics to the right of the table's own columns, side by side.
    cols = sorted(head[TITLES[n]] for n in names)
    if cols[0] <= head["%"] or cols != list(range(cols[0], cols[0] + len(cols))):
        fail("%s: statistics columns %r" % (sheet, cols))
    labels = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1)}
    for row in rows:
        r = labels.get(row[dim])
        if r is None:
            fail("%s: no row %r" % (sheet, row[dim]))
            continue
        for n in names:
            c = head[TITLES[n]]
            same(n, ws.cell(r, c), wsv.cell(r, c).value, row[n], row.get(n + "_note", ""),
                 "%s!%s%d (%s)" % (sheet, get_column_letter(c), r, row[dim]))

def blocks(ws):
    """Statistics blocks of a cross-tab: {title: (first row, first col)}."""
    out = {}
    hosts = [(3, 5)]
    for r in range(5, ws.max_row + 1):
        if ws.cell(r, 1).value in ("Row %", "Column %"):
            hosts.append((r - 1, r + 1))
    for title_row, first in hosts:
        for c in range(2, ws.max_column + 1):
            v = ws.cell(title_row, c).value
            if v in TITLES.values():
                out[v] = (first, c)
    return out

def crosstab(path, sheet, csvpath, dim, coldim):
    wb, wv = load(path)
    ws, wsv = wb[sheet], wv[sheet]
    rows = read_csv(csvpath)
    found = blocks(ws)
    names = stat_names(rows)
    for n in names:
        if TITLES[n] not in found:
            fail("%s: no block titled %r (%s)" % (sheet, TITLES[n], sorted(found)))
            return
    cats = [ws.cell(4, c).value for c in range(2, ws.max_column + 1)]
    labels = {}
    for r in range(5, ws.max_row + 1):
        if ws.cell(r, 1).value is None:
            break
        labels[ws.cell(r, 1).value] = r - 5
    for n in names:
        first, col = found[TITLES[n]]
        # Each block repeats the categories over its columns.
        for j, cat in enumerate(cats):
            if cat is None:
                break
            if ws.cell(first - 1, col + j).value != cat:
                fail("%s: block %r heading %d is %r, not %r" %
                     (sheet, TITLES[n], j, ws.cell(first - 1, col + j).value, cat))
    for row in rows:
        i, j = labels.get(row[dim]), cats.index(row[coldim]) if row[coldim] in cats else None
        if i is None or j is None:
            fail("%s: no cell for %r x %r" % (sheet, row[dim], row[coldim]))
            continue
        if row.get("suppressed") == "1":
            if ws.cell(5 + i, 2 + j).value is None or not HIDDEN.fullmatch(str(ws.cell(5 + i, 2 + j).value)):
                fail("%s: %s x %s is not hidden" % (sheet, row[dim], row[coldim]))
            # The same mark as mj-tab's: <N below the threshold, x when
            # hidden to protect others.
            elif row.get("hidden") and ws.cell(5 + i, 2 + j).value != row["hidden"]:
                fail("%s: %s x %s reads %r, mj-tab marks it %r" %
                     (sheet, row[dim], row[coldim], ws.cell(5 + i, 2 + j).value, row["hidden"]))
        for n in names:
            first, col = found[TITLES[n]]
            if row.get("suppressed") == "1" and n == "population":
                continue
            same(n, ws.cell(first + i, col + j), wsv.cell(first + i, col + j).value,
                 row[n], row.get(n + "_note", ""),
                 "%s!%s%d (%s x %s)" % (sheet, get_column_letter(col + j), first + i,
                                         row[dim], row[coldim]))

def hidden(path, want):
    """A hidden count shows none of its statistics (its population
    aside), in one-way sheets and cross-tabs alike."""
    wb = openpyxl.load_workbook(path)
    total = 0
    for ws in tables(wb):
        found = blocks(ws)
        head = {ws.cell(4, c).value: c for c in range(1, ws.max_column + 1)}
        crosstab = ws.cell(3, 2).value is not None
        for r in range(5, ws.max_row + 1):
            if ws.cell(r, 1).value in (None, "Row %", "Column %"):
                break
            for c in range(2, ws.max_column + 1):
                v = ws.cell(r, c).value
                if not (isinstance(v, str) and HIDDEN.fullmatch(v)):
                    continue
                total += 1
                if crosstab:
                    cells = [(t, first + r - 5, col + c - 2) for t, (first, col) in found.items()]
                else:
                    cells = [(t, r, head[t]) for t in TITLES.values() if t in head]
                for t, rr, cc in cells:
                    x = ws.cell(rr, cc).value
                    if t != "Population" and x is not None and \
                            not (t == TITLES["rate"] and x == "no population"):
                        fail("%s!%s%d: %s of hidden %s%d reads %r" %
                             (ws.title, get_column_letter(cc), rr, t,
                              get_column_letter(c), r, x))
    if total < int(want):
        fail("%s: %d hidden counts, expected at least %s" % (path, total, want))

def test(path, sheet, errpath):
    """The chi-square rows equal what mj-tab prints."""
    text = open(errpath, encoding="utf-8").read()
    m = re.search(r"Pearson chi2\((\d+)\) =\s*([\d.]+)\s+Pr = ([\d.]+)", text)
    v = re.search(r"Cramér's V =\s*([\d.]+)", text)
    if not m or not v:
        fail("no test in mj-tab's output: %r" % text)
        return
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    got = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(1, ws.max_row + 1)}
    want = [("Pearson chi2", float(m.group(2)), 4, "0.0000"),
            ("Degrees of freedom", float(m.group(1)), 0, "0"),
            ("Pr (p-value)", float(m.group(3)), 3, "0.000"),
            ("Cramér's V", float(v.group(1)), 4, "0.0000")]
    for label, x, d, fmt in want:
        c = got.get(label)
        if c is None or not isinstance(c.value, (int, float)):
            fail("%s: no %r row" % (sheet, label))
        elif round(c.value, d) != x:
            fail("%s: %s is %r, mj-tab %r" % (sheet, label, c.value, x))
        elif c.number_format != fmt:
            fail("%s: %s format %r" % (sheet, label, c.number_format))
    lines = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    if not any(isinstance(l, str) and "expected counts below 5" in l for l in lines):
        fail("%s: no line on small expected counts" % sheet)
    if lines.index("Pearson chi-square test of independence") < 40:
        fail("%s: the test is not under the table" % sheet)

def about(path, *wants):
    wb = openpyxl.load_workbook(path)
    ws = wb["About"]
    stats = []
    on = False
    for r in range(1, ws.max_row + 1):
        k, v = ws.cell(r, 1).value, ws.cell(r, 2).value
        if k == "Statistics":
            on = True
        elif k is not None:
            on = False
        if on and v:
            stats.append(v)
    for w in wants:
        if not any(w in s for s in stats):
            fail("About: no statistic says %r: %r" % (w, stats))

def multi(path, sheet, want):
    wb, wv = load(path)
    ws, wsv = wb[sheet], wv[sheet]
    r = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == "Total")
    f = ws.cell(r, 3).value
    if not (isinstance(f, str) and f.startswith("=SUM(")):
        fail("%s: total %% is %r, not a sum of the percents" % (sheet, f))
    if abs(wsv.cell(r, 3).value * 100 - float(want)) > 0.05:
        fail("%s: total %% is %r, mj-tab %s" % (sheet, wsv.cell(r, 3).value, want))

def main(argv):
    what, args = argv[1], argv[2:]
    if what == "formulas":
        n = formulas(args[0])
        if n < int(args[1]):
            fail("%s: %d formulas, expected at least %s" % (args[0], n, args[1]))
    else:
        {"oneway": oneway, "crosstab": crosstab, "hidden": hidden, "test": test,
         "about": about, "multi": multi}[what](*args)
    for f in FAILS:
        print(f)
    return 1 if FAILS else 0

sys.exit(main(sys.argv))
EOF

check() {
  local name=$1
  shift
  "$PY" "$TMP/check.py" "$@" >"$TMP/check.out" 2>&1 || fail "$name: $(head -c 1500 "$TMP/check.out")"
}
tab() { mj-tab --format csv --quiet "$@" >"$TMP/tab.csv" 2>"$TMP/tab.err"; }

# --- intervals and the test: mj-tab's figures, the test under the table --
expect_status 0 mj-xlsx -o "$TMP/ci.xlsx" --ci 95 --test --by region \
  --by region --cols violence "$SAMPLE"
check "ci formulas" formulas "$TMP/ci.xlsx" 30
tab --by region --ci 95 "$SAMPLE"
check "ci one-way" oneway "$TMP/ci.xlsx" Region "$TMP/tab.csv" region
tab --by region --cols violence --ci 95 "$SAMPLE"
check "ci cross-tab" crosstab "$TMP/ci.xlsx" "Region × Type of violence" "$TMP/tab.csv" region violence
mj-tab --by region --cols violence --test --format csv "$SAMPLE" >/dev/null 2>"$TMP/test.err"
check "chi-square rows" test "$TMP/ci.xlsx" "Region × Type of violence" "$TMP/test.err"
check "About: intervals and test" about "$TMP/ci.xlsx" \
  "95% confidence interval of each percent of total: Wilson score" \
  "95% confidence interval of each row percent: Wilson score" \
  "Pearson chi-square test under the table on: Region × Type of violence"
expect_status 0 mj-xlsx -o "$TMP/ci2.xlsx" --ci 95 --test --by region \
  --by region --cols violence "$SAMPLE"
cmp -s "$TMP/ci.xlsx" "$TMP/ci2.xlsx" || fail "statistics workbook not byte-identical on rerun"
# Clopper-Pearson reaches the sheet too.
expect_status 0 mj-xlsx -o "$TMP/exact.xlsx" --ci 90 --ci-method exact --by violence "$SAMPLE"
tab --by violence --ci 90 --ci-method exact "$SAMPLE"
CI_LEVEL=90 check "exact intervals like mj-tab" oneway "$TMP/exact.xlsx" "Type of violence" "$TMP/tab.csv" violence
check "exact intervals" about "$TMP/exact.xlsx" "90% confidence interval of each percent of total: exact (Clopper-Pearson)"

# --- a comparison: change and percent change as formulas ---------------
CMP=(--period 2023-08 --compare previous)
expect_status 0 mj-xlsx -o "$TMP/cmp.xlsx" "${CMP[@]}" --by region --by region --cols violence "$SAMPLE"
check "compare formulas" formulas "$TMP/cmp.xlsx" 300
tab "${CMP[@]}" --by region "$SAMPLE"
check "compare one-way" oneway "$TMP/cmp.xlsx" Region "$TMP/tab.csv" region
tab "${CMP[@]}" --by region --cols violence "$SAMPLE"
grep -q ',new,' "$TMP/tab.csv" || fail "the compare sample has no \"new\" cell to check"
check "compare cross-tab (marks)" crosstab "$TMP/cmp.xlsx" "Region × Type of violence" "$TMP/tab.csv" region violence
check "About: comparison" about "$TMP/cmp.xlsx" "Compared with 2023-07-01 – 2023-07-31"
"$PY" - "$TMP/cmp.xlsx" <<'EOF' || fail "compare: change is not a formula of count and compared"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Region"]
sys.exit(0 if [ws["D4"].value, ws["E5"].value, ws["F5"].value] == ["Compared", "=B5-D5", "=E5/D5"] else 1)
EOF

# --- rates: count / population * per as formulas ------------------------
RATE=(--rate-per 100000 --population "$POP")
expect_status 0 mj-xlsx -o "$TMP/rate.xlsx" "${RATE[@]}" --by region --by region --cols sex "$SAMPLE"
check "rate formulas" formulas "$TMP/rate.xlsx" 30
tab "${RATE[@]}" --by region "$SAMPLE"
check "rates one-way" oneway "$TMP/rate.xlsx" Region "$TMP/tab.csv" region
tab "${RATE[@]}" --by region --cols sex "$SAMPLE"
check "rates cross-tab" crosstab "$TMP/rate.xlsx" "Region × Sex" "$TMP/tab.csv" region sex
check "About: rates" about "$TMP/rate.xlsx" "Rate = count / population × 100,000; population from $POP"
"$PY" - "$TMP/rate.xlsx" <<'EOF' || fail "rates: no formula or no mark"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Region"]
f = [ws.cell(r, 5).value for r in range(5, 20)]
ok = f[0] == "=B5/D5*100000" and "no population" in f and ws["E4"].value == "Rate per 100,000"
sys.exit(0 if ok else 1)
EOF

# --- suppressed counts: none of their statistics shows ------------------
ALL=(--min-cell 10 "${CMP[@]}" --ci 95 "${RATE[@]}")
expect_status 0 mj-xlsx -o "$TMP/min.xlsx" "${ALL[@]}" --test --by region --by region --cols sex "$SAMPLE"
expect_err "--test: Appeals by region and sex: --test is not computed on a table with suppressed cells"
check "hidden cells stay hidden" hidden "$TMP/min.xlsx" 20
check "hidden: formulas" formulas "$TMP/min.xlsx" 50
tab "${ALL[@]}" --by region --cols sex "$SAMPLE"
check "hidden cross-tab like mj-tab" crosstab "$TMP/min.xlsx" "Region × Sex" "$TMP/tab.csv" region sex
"$PY" - "$TMP/min.xlsx" <<'EOF' || fail "suppressed: the sheet does not say why there is no test"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Region × Sex"]
sys.exit(0 if any(str(c.value).startswith("Chi-square test not computed: ")
                  for row in ws.iter_rows() for c in row) else 1)
EOF

# --- multi-response: the total of the percents of appeals is their sum --
expect_status 1 mj-xlsx -o "$TMP/multi.xlsx" --ci 95 --by violence --by sex --cols violence "$MULTI"
mj-tab --by violence --format csv "$MULTI" >"$TMP/multi.csv" 2>/dev/null
total=$(grep '^_total,' "$TMP/multi.csv" | cut -d, -f4)
[ "$total" = "160.0" ] || fail "mj-tab's multi-response total is $total"
check "multi-response total" multi "$TMP/multi.xlsx" "Type of violence" "$total"
check "multi formulas" formulas "$TMP/multi.xlsx" 5
mj-tab --by violence --ci 95 --format csv "$MULTI" >"$TMP/tab.csv" 2>/dev/null
check "percent of mentions like mj-tab" oneway "$TMP/multi.xlsx" "Type of violence" "$TMP/tab.csv" violence
mj-tab --by sex --cols violence --ci 95 --format csv "$MULTI" >"$TMP/tab.csv" 2>/dev/null
check "multi-response cross-tab like mj-tab" crosstab "$TMP/multi.xlsx" "Sex × Type of violence" "$TMP/tab.csv" sex violence
# Parts that make more than the whole: no doughnut, no stacked columns.
"$PY" - "$TMP/multi.xlsx" <<'EOF' || fail "multi-response charts"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
one, two = wb["Type of violence"]._charts, wb["Sex × Type of violence"]._charts
ok = (len(one) == 1 and type(one[0]).__name__ == "BarChart" and one[0].type == "bar" and
      len(two) == 1 and type(two[0]).__name__ == "BarChart" and two[0].grouping == "clustered")
row_total = wb["Sex × Type of violence"]["H12"].value
sys.exit(0 if ok and row_total == "=SUM(B12:G12)" else 1)
EOF

# --- tables from mj-tab: intervals and rates without the records --------
mj-tab --by region --cols sex --format json "$SAMPLE" 2>/dev/null | \
  mj-xlsx -o "$TMP/piped.xlsx" --ci 95 --test >"$TMP/out" 2>"$TMP/err" ||
  fail "a piped table with --ci --test: $(cat "$TMP/err")"
tab --by region --cols sex --ci 95 "$SAMPLE"
check "piped table" crosstab "$TMP/piped.xlsx" "Region × Sex" "$TMP/tab.csv" region sex

# A table suppressed by mj-xlsx itself: its statistics, computed from the
# whole table, must not show for the hidden cells either.
mj-tab --by region --cols sex --format json "$SAMPLE" 2>/dev/null | \
  mj-xlsx -o "$TMP/piped-min.xlsx" --min-cell 20 --ci 95 "${RATE[@]}" >"$TMP/out" 2>"$TMP/err" ||
  fail "a piped table with --min-cell --ci: $(cat "$TMP/err")"
check "piped table: hidden cells stay hidden" hidden "$TMP/piped-min.xlsx" 20
check "piped table: formulas" formulas "$TMP/piped-min.xlsx" 20

# --- mj-tab --excel carries the statistics too --------------------------
expect_status 0 mj-tab --by region --ci 95 --excel --layout long "$SAMPLE"
expect_out "region_code;region;count;percent;percent_base;ci_low;ci_high"
expect_out "UZ-QR;Republic of Karakalpakstan;793;7,3;10927;6,8;7,8"

# --- usage ----------------------------------------------------------------
expect_status 2 mj-xlsx -o "$TMP/u.xlsx" --rate-per 100000 --by region "$SAMPLE"
expect_err "--rate-per needs --population"
expect_status 2 mj-xlsx -o "$TMP/u.xlsx" --test --by region "$SAMPLE"
expect_err "--test needs a cross-tab"
expect_status 2 mj-xlsx -o "$TMP/u.xlsx" --ci 101 --by region "$SAMPLE"
expect_err "--ci: expected a confidence level"
expect_status 2 mj-xlsx -o "$TMP/u.xlsx" --ci-method bayes --by region "$SAMPLE"
expect_status 2 mj-xlsx -o "$TMP/u.xlsx" --compare previous "$TMP/tab.csv"
expect_err "--compare tabulates the records again"
# Piped records are compared too, from a copy: the same figures.
expect_status 0 mj-xlsx -o "$TMP/cmp-file.xlsx" --period 2023-08 --compare previous --by region "$SAMPLE"
expect_status 0 mj-xlsx -o "$TMP/cmp-in.xlsx" --period 2023-08 --compare previous --by region <"$SAMPLE"
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
  /usr/bin/python3 - "$TMP/cmp-file.xlsx" "$TMP/cmp-in.xlsx" <<'PYEOF' || fail "--compare from stdin: other figures than from the file"
import sys, openpyxl
a, b = (openpyxl.load_workbook(p).worksheets[0] for p in sys.argv[1:3])
va = [r for r in a.iter_rows(values_only=True)]
vb = [r for r in b.iter_rows(values_only=True)]
assert va == vb, (va[:6], vb[:6])
assert any(r and r[0] == "Bukhara region" and 96 in r for r in va)
PYEOF
fi
expect_status 2 mj-xlsx -o "$TMP/u.xlsx" --compare previous --by region "$SAMPLE"
expect_err "--compare needs the period it compares"
expect_status 2 mj-xlsx -o "$TMP/u.xlsx" --period 2023-08 --compare previous --by month "$SAMPLE"
expect_err "whose rows are periods already"
expect_status 2 mj-xlsx -o "$TMP/u.xlsx" --rate-per 100000 --population "$TMP/none.csv" --by region "$SAMPLE"
[ -e "$TMP/u.xlsx" ] && fail "a workbook was written by a usage error"
expect_status 0 mj-xlsx --help
for opt in --ci --ci-method --test --compare --rate-per --population; do
  expect_out "  $opt"
  grep -qF -- "\\${opt:0:1}\\${opt:1:1}$(printf %s "${opt:2}" | sed 's/-/\\-/g')" "$SRC/doc/mj-xlsx.1" ||
    fail "doc/mj-xlsx.1 does not mention $opt"
done
expect_out "--ci 95"
grep -q "ci 95" "$SRC/doc/mj-xlsx.1" || fail "doc/mj-xlsx.1 has no worked example with --ci 95"

finish

# mj-xlsx --show: the same figures in the same order as mj-tab's --show,
# as live formulas. The workbook is read back with openpyxl (formulas and
# cached values) and checked cell by cell against mj-tab's wide CSV of
# the same table.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv
PY=/usr/bin/python3

# check_show SHOW ARGS...: mj-xlsx and mj-tab with the same --by/--cols and
# --show; every count equal, every percent within rounding of mj-tab's,
# every percent a formula, the blocks (cross-tab) or columns (one-way) in
# the order of SHOW.
check_show() {
  show=$1; shift
  mj-xlsx -o "$TMP/s.xlsx" --no-charts --show "$show" "$@" "$S" 2>"$TMP/err" ||
    { fail "mj-xlsx --show $show $*: $(cat "$TMP/err")"; return; }
  mj-tab --format csv --layout wide --show "$show" "$@" "$S" >"$TMP/s.csv" 2>/dev/null ||
    { fail "mj-tab --show $show $*"; return; }
  $PY - "$TMP/s.xlsx" "$TMP/s.csv" "$show" <<'PYEOF' || fail "mj-xlsx --show $show $*: cells differ from mj-tab's"
import csv, sys, openpyxl
book, table, show = sys.argv[1], sys.argv[2], sys.argv[3].split(',')
ws = openpyxl.load_workbook(book).worksheets[0]
wv = openpyxl.load_workbook(book, data_only=True).worksheets[0]
lines = list(csv.reader(open(table, encoding='utf-8')))
end = next(i for i, l in enumerate(lines) if i > 0 and not any(l))
FIRST = 5  # the first row of the table in the sheet
nrows = 0
while wv.cell(FIRST + nrows, 1).value not in (None, ''):
    nrows += 1
data = lines[end - nrows:end]
ndims = sum(1 for x in data[0] if x and not x.replace('.', '').replace(',', '').replace('<', '').isdigit()) if False else None
# The row labels take the table's dimensions; the figures follow.
nfig = len(show)
ncells = len(data[0])
cross = wv.cell(3, 2).value is not None or wv.cell(3, 1).value is not None
bad = 0
def check(r, fig, want, xr, xc):
    global bad
    got, formula = wv.cell(xr, xc).value, ws.cell(xr, xc).value
    if fig in ('count', 'sum'):
        ok = (want == '' and got is None) or (want != '' and got is not None and abs(float(want) - got) < 1e-9)
    else:
        ok = (want == '' and got is None) or (want != '' and got is not None and
              abs(100 * got - float(want)) <= 0.05 + 1e-9 and isinstance(formula, str) and formula.startswith('='))
    if not ok:
        bad += 1
        if bad < 6:
            print('row', r, fig, 'mj-tab', repr(want), 'xlsx', repr(got), repr(formula), file=sys.stderr)
if cross:
    ncols = None
    # Each block: the header row above it names the figure (blocks after the first).
    width = 0
    while wv.cell(FIRST - 1, 2 + width).value is not None:
        width += 1
    ncols = width
    ndims = ncells - nfig * ncols
    for j, fig in enumerate(show):
        first = FIRST + j * (nrows + 2)
        for r in range(nrows):
            for c in range(ncols):
                check(r, fig, data[r][ndims + j * ncols + c], first + r, 2 + c)
        if j > 0:
            head = wv.cell(first - 1, 1).value
            if fig.endswith('%') and '%' not in head:
                print('block', j, 'is headed', head, file=sys.stderr); bad += 1
else:
    ndims = ncells - nfig
    for j, fig in enumerate(show):
        for r in range(nrows):
            check(r, fig, data[r][ndims + j], FIRST + r, 2 + j)
sys.exit(1 if bad else 0)
PYEOF
}

check_show 'row%,count' --by region --cols violence
check_show 'count,col%,total%' --by region --cols violence
check_show 'col%' --by region --cols channel,outcome
check_show 'row%,count' --by region --cols channel,outcome
check_show 'valid%,count,cum%' --by region
check_show 'total%,valid%,count' --by place,relationship
check_show 'cum%,valid%' --by place
check_show 'total%' --by violence
check_show 'row%,col%' --by sex --cols violence
check_show 'sum,total%' --by outcome --sum children

# Percents alone: no count block, and the formulas divide the counts
# themselves; the header names the figure.
mj-xlsx -o "$TMP/p.xlsx" --show 'row%' --by region --cols violence "$S" 2>/dev/null ||
  fail "mj-xlsx --show row%"
$PY - "$TMP/p.xlsx" <<'PYEOF' || fail "mj-xlsx --show row%: not a table of percents alone"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
assert ws.cell(4, 1).value == 'Row %', ws.cell(4, 1).value
f = ws.cell(5, 2).value
assert f.startswith('=') and f[1:].replace('/', '').isdigit(), f
assert all(c.value != 'Count' for row in ws.iter_rows() for c in row)
PYEOF
# With the counts shown, the percents refer to their cells.
mj-xlsx -o "$TMP/p.xlsx" --show 'count,row%' --by region --cols violence "$S" 2>/dev/null
$PY - "$TMP/p.xlsx" <<'PYEOF' || fail "mj-xlsx --show count,row%: percents are not formulas over the count cells"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
assert ws.cell(5 + 15 + 2, 2).value == '=B5/$H5', ws.cell(22, 2).value
PYEOF
# A layered workbook shows the same on every sheet.
expect_status 0 mj-xlsx -o "$TMP/l.xlsx" --show 'row%' --layer channel --by sex --cols outcome "$S"
$PY - "$TMP/l.xlsx" <<'PYEOF' || fail "mj-xlsx --layer --show row%"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
heads = [ws.cell(4, 1).value for ws in wb.worksheets[:3]]
assert heads == ['Row %'] * 3, heads
PYEOF
# What a table cannot show is refused before anything is written.
rm -f "$TMP/x.xlsx"
expect_status 2 mj-xlsx -o "$TMP/x.xlsx" --show 'cum%' --by region --cols violence "$S"
expect_err "--show cum%"
[ ! -e "$TMP/x.xlsx" ] || fail "a refused --show wrote a workbook"
expect_status 2 mj-xlsx -o "$TMP/x.xlsx" --show 'count' --by outcome --sum children "$S"
expect_err "--show count"
expect_status 2 mj-xlsx -o "$TMP/x.xlsx" --show 'pct' --by region "$S"
expect_err 'unknown "pct"'
# Tables piped from mj-tab take --show too.
mj-tab --format csv --by region --cols violence "$S" 2>/dev/null |
  mj-xlsx -o "$TMP/t.xlsx" --show 'col%' - 2>"$TMP/err" || fail "mj-tab | mj-xlsx --show col%: $(cat "$TMP/err")"
finish

#!/usr/bin/python3
"""Reads murojaat workbooks back with openpyxl, an independent reader, and
checks what matters: values, formulas and their cached results, number
formats, charts, the About sheet and sheet names.

usage: xlsx_check.py CHECK FILE [ARG...]
  generic FILE               invariants every workbook must keep
  standard FILE              the 2023 fixture workbook (tests/test_xlsx.c)
  ru FILE                    the same relabelled in Russian
  suppressed FILE N          small counts hidden below N
  names FILE NAME...         sheet names, in order
  match FILE SHEET JSON      the sheet's counts equal mj-tab's JSON table
  about FILE KEY=VALUE...    About sheet entries (values as shown)
Exits 1 and prints every failure when a check fails.
"""
import datetime
import json
import re
import sys

import openpyxl
from openpyxl.utils import column_index_from_string, get_column_letter

FAILURES = []
HEADER_ROW = 4      # 1-based: the header of the counts block
FIRST_ROW = 5


def fail(msg):
    FAILURES.append(msg)


def check(cond, msg):
    if not cond:
        fail(msg)


def load(path):
    """The workbook twice: formulas, and cached values."""
    return (openpyxl.load_workbook(path),
            openpyxl.load_workbook(path, data_only=True))


# The About sheet's name in each language (en, ru, uz, uz-Cyrl).
ABOUT_NAMES = ("About", "О книге", "Kitob haqida", "Китоб ҳақида")


def table_sheets(wb):
    return [ws for ws in wb.worksheets if ws.title not in ABOUT_NAMES]


# ---- a small evaluator for the formulas we write -------------------------

TOKEN = re.compile(r"\s*(\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?|SUM|\d+(?:\.\d+)?|[-+*/(),])")


def parse_ref(ref):
    m = re.fullmatch(r"\$?([A-Z]{1,3})\$?(\d+)", ref)
    return int(m.group(2)), column_index_from_string(m.group(1))


def refs_of(formula):
    """Every cell a formula refers to, as (row, col)."""
    cells = []
    for tok in TOKEN.findall(formula):
        if ":" in tok:
            a, b = tok.split(":")
            (r1, c1), (r2, c2) = parse_ref(a), parse_ref(b)
            for r in range(min(r1, r2), max(r1, r2) + 1):
                for c in range(min(c1, c2), max(c1, c2) + 1):
                    cells.append((r, c))
        elif re.fullmatch(r"\$?[A-Z]{1,3}\$?\d+", tok):
            cells.append(parse_ref(tok))
    return cells


def evaluate(formula, value_of):
    """Evaluates +-*/, parentheses, references and SUM() over cached
    values; raises ValueError on anything else."""
    src = formula[1:] if formula.startswith("=") else formula
    toks = []
    pos = 0
    while pos < len(src):
        m = TOKEN.match(src, pos)
        if not m:
            raise ValueError("cannot parse %r" % formula)
        toks.append(m.group(1))
        pos = m.end()
    i = 0

    def peek():
        return toks[i] if i < len(toks) else None

    def take():
        nonlocal i
        i += 1
        return toks[i - 1]

    def cell(ref):
        v = value_of(*parse_ref(ref))
        if v is None:
            return 0.0
        if not isinstance(v, (int, float)):
            raise ValueError("refers to text %r" % (v,))
        return float(v)

    def atom():
        t = take()
        if t == "(":
            v = expr()
            check_tok(")")
            return v
        if t == "-":
            return -atom()
        if t == "SUM":
            check_tok("(")
            total = 0.0
            while True:
                a = take()
                if ":" in a:
                    for (r, c) in refs_of(a):
                        v = value_of(r, c)
                        if isinstance(v, (int, float)):
                            total += v
                else:
                    total += cell(a)
                if peek() == ",":
                    take()
                    continue
                break
            check_tok(")")
            return total
        if re.fullmatch(r"\d+(?:\.\d+)?", t):
            return float(t)
        return cell(t)

    def check_tok(want):
        got = take()
        if got != want:
            raise ValueError("expected %s in %r" % (want, formula))

    def term():
        v = atom()
        while peek() in ("*", "/"):
            op = take()
            w = atom()
            v = v * w if op == "*" else v / w
        return v

    def expr():
        v = term()
        while peek() in ("+", "-"):
            op = take()
            w = term()
            v = v + w if op == "+" else v - w
        return v

    v = expr()
    if i != len(toks):
        raise ValueError("trailing tokens in %r" % formula)
    return v


# ---- checks ---------------------------------------------------------------

SHEET_BAD = set('[]:*?/\\')


def generic(path):
    wb, wv = load(path)
    names = wb.sheetnames
    check(names[-1] in ABOUT_NAMES, "%s: About is not the last sheet: %s" % (path, names))
    check(len(set(n.casefold() for n in names)) == len(names),
          "%s: duplicate sheet names %s" % (path, names))
    for n in names:
        check(len(n) <= 31, "sheet name longer than 31: %r" % n)
        check(not (set(n) & SHEET_BAD), "sheet name with a forbidden character: %r" % n)
        check(not n.startswith("'") and not n.endswith("'"), "sheet name quoted: %r" % n)
    for ws in table_sheets(wb):
        wsv = wv[ws.title]
        where = "%s!%s" % (path, ws.title)
        check(ws.freeze_panes == "B5", "%s: frozen panes %s" % (where, ws.freeze_panes))
        check(ws.auto_filter.ref and ws.auto_filter.ref.startswith("A4:"),
              "%s: autofilter %s" % (where, ws.auto_filter.ref))
        check(ws.page_setup.orientation == "landscape", "%s: not landscape" % where)
        check(ws.sheet_properties.pageSetUpPr is not None and
              ws.sheet_properties.pageSetUpPr.fitToPage, "%s: not fit to page" % where)
        check(ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0,
              "%s: fit %s x %s" % (where, ws.page_setup.fitToWidth, ws.page_setup.fitToHeight))
        check(isinstance(ws["A1"].value, str) and ws["A1"].font.b, "%s: no bold title" % where)
        check(isinstance(ws["A2"].value, str) and "10" in ws["A2"].value or
              isinstance(ws["A2"].value, str), "%s: no counted line" % where)
        check(ws["A4"].font.b, "%s: header not bold" % where)
        hidden = set()
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and re.fullmatch(r"<\d+|\.\.|x", c.value):
                    hidden.add((c.row, c.column))
        # Label column wide enough for every label (code points); a note
        # under the table spans several columns and wraps.
        width = ws.column_dimensions["A"].width
        spanning = {m.min_row for m in ws.merged_cells.ranges if m.min_col == 1 and m.max_col > 1}
        for r in range(FIRST_ROW, ws.max_row + 1):
            v = ws.cell(r, 1).value
            if isinstance(v, str) and r not in spanning:
                check(width + 0.01 >= min(len(v), 58), "%s: column A (%.1f) narrower than %r" %
                      (where, width, v))
        for row in ws.iter_rows():
            for c in row:
                if not (isinstance(c.value, str) and c.value.startswith("=")):
                    continue
                cached = wsv.cell(c.row, c.column).value
                check(isinstance(cached, (int, float)),
                      "%s!%s: formula %s has no cached number (%r)" %
                      (where, c.coordinate, c.value, cached))
                for rc in refs_of(c.value):
                    check(rc not in hidden, "%s!%s: formula %s refers to a hidden cell %s" %
                          (where, c.coordinate, c.value, get_column_letter(rc[1]) + str(rc[0])))
                try:
                    want = evaluate(c.value, lambda r, col: wsv.cell(r, col).value)
                except (ValueError, ZeroDivisionError) as e:
                    fail("%s!%s: %s" % (where, c.coordinate, e))
                    continue
                if isinstance(cached, (int, float)):
                    check(abs(want - cached) <= 1e-9 * max(1, abs(want)),
                          "%s!%s: %s caches %r but evaluates to %r" %
                          (where, c.coordinate, c.value, cached, want))
                fmt = c.number_format
                if "/" in c.value:
                    check(fmt == "0.0%", "%s!%s: percent format %r" % (where, c.coordinate, fmt))
                else:
                    check(fmt in ("#,##0", "#,##0.00"),
                          "%s!%s: count format %r" % (where, c.coordinate, fmt))
        # Counts are numbers with a count format.
        for r in range(FIRST_ROW, ws.max_row + 1):
            v = ws.cell(r, 2).value
            if isinstance(v, (int, float)):
                check(ws.cell(r, 2).number_format in ("#,##0", "#,##0.00"),
                      "%s!B%d: format %r" % (where, r, ws.cell(r, 2).number_format))
        check(len(ws._charts) == 1, "%s: %d charts" % (where, len(ws._charts)))
    about = wv[names[-1]]
    texts = [c.value for row in about.iter_rows() for c in row if c.value is not None]
    check(any(isinstance(t, str) and t.lower().find("id") == 0 for t in texts) is False,
          "%s: About mentions an id column" % path)
    return wb, wv


def find_row(ws, label, col=1):
    for r in range(FIRST_ROW, ws.max_row + 1):
        if ws.cell(r, col).value == label:
            return r
    fail("%s: no row %r" % (ws.title, label))
    return None


def chart_kind(ws):
    if not ws._charts:
        return None
    ch = ws._charts[0]
    name = type(ch).__name__
    if name == "BarChart":
        return "%s-%s-%s" % (name, ch.type, ch.grouping)
    return name


def standard(path):
    wb, wv = generic(path)
    check(wb.sheetnames == ["Group", "Type of violence", "Region",
                            "Place of violence›Relationship", "Age group",
                            "Month", "Region × Type of violence", "About"],
          "%s: sheets %s" % (path, wb.sheetnames))
    check(wb.properties.created == datetime.datetime(2023, 12, 31, 0, 0),
          "created %r" % wb.properties.created)
    # Group: counts, percents as formulas with cached values, SUM total.
    g, gv = wb["Group"], wv["Group"]
    check(g["A4"].value == "Group" and g["B4"].value == "Count" and g["C4"].value == "%",
          "Group header %r" % [g["A4"].value, g["B4"].value, g["C4"].value])
    check(g["A5"].value == "Women" and g["B5"].value == 10696, "Group women %r" % g["B5"].value)
    check(g["C5"].value == "=B5/B$9", "Group C5 formula %r" % g["C5"].value)
    check(abs(gv["C5"].value - 10696 / 10927) < 1e-12, "Group C5 cached %r" % gv["C5"].value)
    check(g["A9"].value == "Total" and g["B9"].value == "=SUM(B5:B8)", "Group total %r" % g["B9"].value)
    check(gv["B9"].value == 10927, "Group total cached %r" % gv["B9"].value)
    check(g["B9"].font.b and g["C5"].number_format == "0.0%", "Group total style")
    check("10,927" in g["A2"].value and "2023-01-01" in g["A2"].value and "2023-12-31" in g["A2"].value,
          "Group counted line %r" % g["A2"].value)
    check(chart_kind(g) == "DoughnutChart", "Group chart %s" % chart_kind(g))
    # Region: 14 rows in a bar chart.
    r = wb["Region"]
    check(chart_kind(r) == "BarChart-bar-clustered", "Region chart %s" % chart_kind(r))
    check(r["A5"].value == "Republic of Karakalpakstan" and r["B5"].value == 793, "Region first row")
    check(r.column_dimensions["A"].width >= len("Republic of Karakalpakstan"), "Region width")
    row = find_row(r, "Surkhandarya region")
    check(row and r.cell(row, 2).value == 899, "Surkhandarya 899")
    check(row and abs(wv["Region"].cell(row, 3).value - 899 / 10927) < 1e-12,
          "Surkhandarya share is 8.2%, not 14.1%")
    # Nested: hierarchy, subtotals as SUM of children, % within group.
    n, nv = wb["Place of violence›Relationship"], wv["Place of violence›Relationship"]
    dom = find_row(n, "Domestic")
    check(dom and n.cell(dom, 2).value == "=SUM(B%d:B%d)" % (dom + 1, dom + 4),
          "Domestic subtotal %r" % (dom and n.cell(dom, 2).value))
    check(dom and nv.cell(dom, 2).value == 7362, "Domestic cached")
    sp = find_row(n, "Husband and wife")
    check(sp and n.cell(sp, 1).alignment.indent >= 1, "children indented")
    check(sp and n.row_dimensions[sp].outline_level == 1, "children outlined")
    check(dom and n.row_dimensions[dom].outline_level in (0, None), "subtotal not outlined")
    check(sp and n.cell(sp, 4).value == "=B%d/B$%d" % (sp, dom), "within-group formula %r" %
          (sp and n.cell(sp, 4).value))
    check(sp and abs(nv.cell(sp, 4).value - 5535 / 7362) < 1e-12, "within-group cached")
    tot = find_row(n, "Total")
    check(tot and n.cell(tot, 2).value.startswith("=SUM(") and nv.cell(tot, 2).value == 10927,
          "nested total %r" % (tot and n.cell(tot, 2).value))
    els = find_row(n, "Elsewhere")
    check(els and n.cell(els, 2).value == 459, "Elsewhere value")
    check(chart_kind(n) == "BarChart-bar-clustered", "nested chart %s" % chart_kind(n))
    # Valid % with "not stated".
    a, av = wb["Age group"], wv["Age group"]
    check(a["D4"].value == "Valid %", "valid header %r" % a["D4"].value)
    ns = find_row(a, "Not stated")
    check(ns and a.cell(ns, 4).value is None, "no valid % for not stated")
    # Months: a line chart.
    check(chart_kind(wb["Month"]) == "LineChart", "Month chart %s" % chart_kind(wb["Month"]))
    # Cross-tab: three blocks, colour scale, stacked columns.
    x, xv = wb["Region × Type of violence"], wv["Region × Type of violence"]
    check(x["B3"].value == "Type of violence", "col dim label %r" % x["B3"].value)
    check([x.cell(4, c).value for c in range(1, 8)] ==
          ["Region", "Physical", "Sexual", "Psychological", "Economic", "Other issues", "Total"],
          "crosstab header %r" % [x.cell(4, c).value for c in range(1, 8)])
    check(x["G5"].value == "=SUM(B5:F5)" and xv["G5"].value == 793, "row total %r" % x["G5"].value)
    check(x["B19"].value == "=SUM(B5:B18)" and xv["B19"].value == 2709, "col total %r" % x["B19"].value)
    check(xv["G19"].value == 10927, "grand total")
    check(x["A21"].value == "Row %" and x["B22"].value == "=B5/$G5", "row %% block %r" % x["B22"].value)
    check(x["A38"].value == "Column %" and x["B39"].value == "=B5/B$19",
          "column %% block %r %r" % (x["A38"].value, x["B39"].value))
    rules = [rule for cf in x.conditional_formatting for rule in cf.rules]
    ranges = [str(cf.sqref) for cf in x.conditional_formatting]
    # The colour scale is on the row percents, not on the counts.
    check(any(rule.type == "colorScale" for rule in rules) and "B22:F35" in ranges
          and "B5:F18" not in ranges,
          "colour scale %r %r" % ([rule.type for rule in rules], ranges))
    check(chart_kind(x) == "BarChart-col-stacked", "crosstab chart %s" % chart_kind(x))
    # About.
    about_checks(path, {"Program": "mj-xlsx 0.1.0", "Schema": "Appeals to the Women's Center",
                        "Input files": "samples/appeals-2023.csv",
                        "Period": "2023-01-01 – 2023-12-31", "Filters": "none",
                        "Records read": 10927, "Records counted": 10927,
                        "Records rejected": 0, "Suppression": "none",
                        "Document date": "2023-12-31"})


def about_checks(path, want):
    wb = openpyxl.load_workbook(path)
    about = wb["About"]
    got = {}
    for r in range(1, about.max_row + 1):
        k = about.cell(r, 1).value
        if isinstance(k, str):
            got[k] = about.cell(r, 2).value
    for k, v in want.items():
        g = got.get(k)
        if isinstance(v, str) and re.fullmatch(r"\d+", v) and isinstance(g, (int, float)):
            g = str(int(g))
        check(g == v, "%s: About %r is %r, expected %r" % (path, k, g, v))
    links = [c for row in about.iter_rows() for c in row if c.hyperlink is not None]
    check(len(links) == len(wb.sheetnames) - 1, "%s: %d sheet links" % (path, len(links)))
    for c in links:
        check(c.hyperlink.location == "'%s'!A1" % c.value, "link %r -> %r" %
              (c.value, c.hyperlink.location))


def ru(path):
    wb, wv = generic(path)
    check(wb.sheetnames[:3] == ["Группа", "Вид насилия", "Регион"], "ru sheets %r" % wb.sheetnames)
    r = wb["Регион"]
    check(r["A5"].value == "Республика Каракалпакстан", "ru label %r" % r["A5"].value)
    check(r["B4"].value == "Число", "ru header %r" % r["B4"].value)
    check(r.column_dimensions["A"].width >= len("Республика Каракалпакстан"), "Cyrillic width")
    tot = find_row(r, "Всего")
    check(tot is not None, "ru total label")
    check("Учтено записей" in r["A2"].value and "10\u00a0927" in r["A2"].value,
          "ru counted line %r" % r["A2"].value)
    about = wb["О книге"]
    check(about["A1"].value == "Об этой книге", "ru About %r" % about["A1"].value)


def suppressed(path, n):
    wb, wv = generic(path)
    lt = "<%d" % n
    seen = 0
    for ws in table_sheets(wb):
        wsv = wv[ws.title]
        for row in ws.iter_rows(min_row=FIRST_ROW):
            for c in row:
                v = c.value
                if v == lt:
                    seen += 1
                cached = wsv.cell(c.row, c.column).value
                if isinstance(cached, (int, float)) and c.number_format in ("#,##0",) \
                        and 0 < cached < n:
                    fail("%s!%s: count %r below %d is shown" % (ws.title, c.coordinate, cached, n))
    check(seen > 0, "%s: no cell reads %s" % (path, lt))
    g, gv = wb["Group"], wv["Group"]
    # Girls (70) and Men (161 hides with them: one hidden cell could be
    # recomputed from the total). Men are not below the threshold: they
    # read "x", never "<N".
    check(g["B6"].value == lt, "girls hidden %r" % g["B6"].value)
    check(g["B7"].value == "x", "men hidden to protect the girls read x: %r" % g["B7"].value)
    check(g["C6"].value is None and g["C7"].value is None, "no percent of hidden counts")
    check(g["B9"].value == 10927, "total of hidden parts is a number, not a formula: %r" % g["B9"].value)
    check(g["C5"].value == "=B5/B$9", "percents of shown counts stay formulas")
    about_checks(path, {"Suppression": 'counts below %d are shown as "<%d"; '
                        'x: not shown, to protect small numbers' % (n, n)})
    notes = [c.value for c in g["A"] if isinstance(c.value, str) and c.value.startswith("x:")]
    check(notes == ["x: not shown, to protect small numbers."],
          "Group: the note under the table explains x once: %r" % notes)


def names(path, *want):
    wb = openpyxl.load_workbook(path)
    check(wb.sheetnames == list(want), "%s: sheets %r, expected %r" % (path, wb.sheetnames, list(want)))


def match(path, sheet, table_json):
    """The counts of a sheet equal those of mj-tab's JSON table, row by row."""
    wb, wv = load(path)
    with open(table_json, encoding="utf-8") as f:
        t = json.load(f)
    ws = wv[sheet]
    ncols = len(t["columns"])
    for i, row in enumerate(t["rows"]):
        r = FIRST_ROW + i
        for c in range(ncols):
            want = row["values"][c]
            got = ws.cell(r, 2 + c).value
            hidden = row.get("suppressed") and row["suppressed"][c]
            kind = row["hidden"][c] if row.get("hidden") else None
            if hidden and kind == "complementary":
                check(got == "x", "%s!%s: cell hidden to protect others shows %r" %
                      (sheet, ws.cell(r, 2 + c).coordinate, got))
            elif hidden:
                check(isinstance(got, str) and got.startswith("<"),
                      "%s!%s: hidden cell shows %r" % (sheet, ws.cell(r, 2 + c).coordinate, got))
            else:
                check(got == want, "%s!%s: %r, mj-tab says %r" %
                      (sheet, ws.cell(r, 2 + c).coordinate, got, want))
        label = ws.cell(r, 1).value
        innermost = [l for l, code in zip(row["labels"], row["codes"]) if code != "_total"]
        want_label = innermost[-1] if innermost else row["labels"][0]
        check(label == want_label, "%s!A%d: label %r, mj-tab says %r" % (sheet, r, label, want_label))


def about(path, *pairs):
    want = {}
    for p in pairs:
        k, v = p.split("=", 1)
        want[k] = v
    about_checks(path, want)


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    what, path, args = argv[1], argv[2], argv[3:]
    if what == "generic":
        generic(path)
    elif what == "standard":
        standard(path)
    elif what == "ru":
        ru(path)
    elif what == "suppressed":
        suppressed(path, int(args[0]))
    elif what == "names":
        names(path, *args)
    elif what == "match":
        match(path, args[0], args[1])
    elif what == "about":
        about(path, *args)
    else:
        sys.stderr.write("xlsx_check.py: no check named %s\n" % what)
        return 2
    for f in FAILURES:
        print("xlsx_check: %s" % f)
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

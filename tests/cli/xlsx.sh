#!/bin/bash
# Command-line tests for mj-xlsx and the workbooks it writes, read back
# with openpyxl (tests/xlsx_check.py). Gets BUILD and SRC from meson.
set -u
: "${BUILD:?}" "${SRC:?}"
XLSX="$BUILD/cmd/mj-xlsx"
TAB="$BUILD/cmd/mj-tab"
CHECK="/usr/bin/python3 $SRC/tests/xlsx_check.py"
DATA="$SRC/tests/data/xlsx/records.csv"
T=$(mktemp -d "${TMPDIR:-/tmp}/mj-xlsx-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
failed=0

fail() { echo "FAIL: $*"; failed=1; }

# expect STATUS NAME CMD...: runs CMD, keeps stdout/stderr in $T/out, $T/err.
expect() {
	local want=$1 name=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	local got=$?
	if [ "$got" != "$want" ]; then
		fail "$name: exit $got, expected $want"
		sed 's/^/  stderr: /' "$T/err" | head -5
	fi
}

checker() {
	local name=$1
	shift
	if ! $CHECK "$@" >"$T/check" 2>&1; then
		fail "$name"
		sed 's/^/  /' "$T/check" | head -20
	fi
}

# Nothing but the expected files in a folder (no temporary leftovers).
only() {
	local dir=$1
	shift
	local got want
	got=$(cd "$dir" && ls -A | sort | tr '\n' ' ')
	want=$([ $# -gt 0 ] && printf '%s\n' "$@" | sort | tr '\n' ' ')
	[ "$got" = "$want" ] || fail "folder $dir holds '$got', expected '$want'"
}

# --- workbooks built in C (tests/test_xlsx.c fixtures) -----------------
mkdir "$T/fx"
MJ_XLSX_OUT="$T/fx" "$BUILD/tests/test_xlsx" fixtures || fail "fixtures not written"
checker "standard workbook" standard "$T/fx/standard.xlsx"
checker "Russian workbook" ru "$T/fx/ru.xlsx"
checker "suppressed workbook" suppressed "$T/fx/suppressed.xlsx" 100
# A name too long for a tab, or one another sheet has, gives way to the
# table's title ("Groups") when that fits and is free; else it is cut or
# numbered.
checker "sheet names" names "$T/fx/names.xlsx" \
	"Groups" "Who- -men-women-- a -very- long" \
	"About (2)" "ʼquotedʼ" "About"
checker "names workbook" generic "$T/fx/names.xlsx"

# --- records mode: the standard breakdowns in one workbook -------------
SPECS=(--by group --by violence --by region --by place,relationship
       --by age_group --by month --by region --cols violence)
mkdir "$T/rec"
expect 1 "records with a rejected row" "$XLSX" -o "$T/rec/report.xlsx" "${SPECS[@]}" "$DATA"
grep -q "records.csv:402:.*2023-13-01" "$T/err" || fail "rejected row not reported: $(cat "$T/err")"
grep -q "401 rows read, 400 counted, 0 outside the filters, 1 rejected" "$T/err" ||
	fail "no summary: $(cat "$T/err")"
only "$T/rec" report.xlsx
checker "records workbook" generic "$T/rec/report.xlsx"
checker "records About" about "$T/rec/report.xlsx" "Records read=401" \
	"Records counted=400" "Records rejected=1" "Input files=$DATA" \
	"Period=2023-01-01 – 2023-12-31" "Document date=2023-12-31" \
	"Program=mj-xlsx 0.1.0"
checker "records sheets" names "$T/rec/report.xlsx" "Group" "Type of violence" \
	"Region" "Place of violence›Relationship" "Age group" "Month" \
	"Region × Type of violence" "About"

# Every number matches mj-tab's.
i=0
for spec in group violence region place,relationship age_group month; do
	"$TAB" --by "$spec" --format json --quiet "$DATA" >"$T/t$i.json" 2>/dev/null
	i=$((i + 1))
done
"$TAB" --by region --cols violence --format json --quiet "$DATA" >"$T/t6.json" 2>/dev/null
sheets=("Group" "Type of violence" "Region" "Place of violence›Relationship"
	"Age group" "Month" "Region × Type of violence")
for i in 0 1 2 3 4 5 6; do
	checker "sheet ${sheets[$i]} matches mj-tab" match "$T/rec/report.xlsx" "${sheets[$i]}" "$T/t$i.json"
done

# Same input, same bytes; another --date, other bytes.
expect 1 "rerun" "$XLSX" -o "$T/rec/again.xlsx" "${SPECS[@]}" "$DATA"
cmp -s "$T/rec/report.xlsx" "$T/rec/again.xlsx" || fail "rerun is not byte-identical"
expect 1 "rerun in another time zone" env TZ=Asia/Tashkent "$XLSX" -o "$T/rec/tz.xlsx" "${SPECS[@]}" "$DATA"
cmp -s "$T/rec/report.xlsx" "$T/rec/tz.xlsx" || fail "time zone changes the bytes"
expect 1 "--date" "$XLSX" -o "$T/rec/dated.xlsx" --date 2024-01-15 "${SPECS[@]}" "$DATA"
cmp -s "$T/rec/report.xlsx" "$T/rec/dated.xlsx" && fail "--date does not change the file"
checker "--date in About" about "$T/rec/dated.xlsx" "Document date=2024-01-15"

# --min-cell: small counts read "<5" and no formula reveals them.
expect 1 "--min-cell" "$XLSX" -o "$T/rec/min.xlsx" --min-cell 5 "${SPECS[@]}" "$DATA"
checker "--min-cell workbook" generic "$T/rec/min.xlsx"
checker "--min-cell About" about "$T/rec/min.xlsx" 'Suppression=counts below 5 are shown as "<5"; x: not shown, to protect small numbers'
/usr/bin/python3 - "$T/rec/min.xlsx" <<'EOF' || fail "--min-cell: no cell reads <5"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
sys.exit(0 if any(c.value == "<5" for ws in wb.worksheets for row in ws.iter_rows() for c in row) else 1)
EOF

# --lang in records mode.
expect 1 "--lang uz-Cyrl" "$XLSX" -o "$T/rec/uz.xlsx" --lang uz-Cyrl --by region "$DATA"
checker "uz-Cyrl sheets" names "$T/rec/uz.xlsx" "Ҳудуд" "Китоб ҳақида"
checker "uz-Cyrl workbook" generic "$T/rec/uz.xlsx"

# --- table mode: tables made by mj-tab ----------------------------------
mkdir "$T/tab"
"$TAB" --by region --format csv --quiet "$DATA" >"$T/region.csv" 2>/dev/null
expect 0 "a table on stdin" sh -c "\"$TAB\" --by place,relationship --format json --quiet \"$DATA\" 2>/dev/null | \"$XLSX\" -o \"$T/tab/nested.xlsx\""
checker "nested from a pipe" generic "$T/tab/nested.xlsx"
checker "nested matches mj-tab" match "$T/tab/nested.xlsx" "Place of violence›Relationship" "$T/t3.json"
expect 0 "several tables" "$XLSX" -o "$T/tab/two.xlsx" "$T/t6.json" "$T/region.csv" "$T/t0.json"
checker "several tables" names "$T/tab/two.xlsx" "Region × Type of violence" "Region" "Group" "About"
checker "several tables" generic "$T/tab/two.xlsx"
expect 0 "--lang ru on tables" "$XLSX" -o "$T/tab/ru.xlsx" --lang ru "$T/t2.json" "$T/t0.json"
checker "tables relabelled" names "$T/tab/ru.xlsx" "Регион" "Группа" "О книге"
expect 0 "--min-cell on tables" "$XLSX" -o "$T/tab/min.xlsx" --min-cell 10 "$T/t0.json"
checker "--min-cell on tables" generic "$T/tab/min.xlsx"
"$TAB" --by place,relationship --min-cell 5 --format json --quiet "$DATA" >"$T/min5.json" 2>/dev/null
expect 0 "a table suppressed by mj-tab" "$XLSX" -o "$T/tab/min5.xlsx" "$T/min5.json"
checker "hidden cells stay hidden" match "$T/tab/min5.xlsx" "Place of violence›Relationship" "$T/min5.json"
checker "hidden cells stay hidden" generic "$T/tab/min5.xlsx"
expect 0 "to standard output" sh -c "\"$XLSX\" -o - \"$T/t0.json\" | cat >\"$T/tab/stdout.xlsx\""
checker "workbook on standard output" generic "$T/tab/stdout.xlsx"
only "$T/tab" nested.xlsx two.xlsx ru.xlsx min.xlsx min5.xlsx stdout.xlsx

# A bad table among good ones: every bad one reported, nothing written.
printf 'not a table\n' >"$T/bad.csv"
expect 2 "a bad table" "$XLSX" -o "$T/tab/bad.xlsx" "$T/t0.json" "$T/bad.csv"
grep -q "^mj-xlsx: $T/bad.csv:1:1: " "$T/err" || fail "bad table not named: $(cat "$T/err")"
grep -q "bad.xlsx: not written" "$T/err" || fail "no 'not written': $(cat "$T/err")"
expect 2 "a bad and a missing table" "$XLSX" -o "$T/tab/bad.xlsx" "$T/bad.csv" "$T/missing.json" "$T/t0.json"
grep -q "bad.csv:1:1: " "$T/err" || fail "bad table not named: $(cat "$T/err")"
grep -q "^mj-xlsx: $T/missing.json: cannot open: No such file or directory" "$T/err" || fail "missing table not named: $(cat "$T/err")"
[ -e "$T/tab/bad.xlsx" ] && fail "a workbook was written despite a bad table"

# --- failed writes leave nothing and exit 2 -----------------------------
expect 2 "/dev/full" "$XLSX" -o /dev/full "$T/t0.json"
grep -q "^mj-xlsx: /dev/full: cannot write: No space left on device" "$T/err" ||
	fail "/dev/full message: $(cat "$T/err")"
[ -c /dev/full ] || fail "/dev/full is no longer a device"
expect 2 "missing folder" "$XLSX" -o "$T/nope/out.xlsx" "$T/t0.json"
grep -q "^mj-xlsx: $T/nope/out.xlsx: cannot create a temporary file in '$T/nope': No such file or directory" "$T/err" ||
	fail "missing folder message: $(cat "$T/err")"
mkdir "$T/ro"
chmod 0500 "$T/ro"
if [ "$(id -u)" = 0 ]; then
	# Root writes anywhere it may: /proc stands in for a read-only folder.
	ro_out=/proc/mj-xlsx-test.xlsx
else
	ro_out="$T/ro/out.xlsx"
fi
expect 2 "unwritable folder" "$XLSX" -o "$ro_out" "$T/t0.json"
grep -q "^mj-xlsx: $ro_out: cannot create a temporary file" "$T/err" ||
	fail "unwritable folder message: $(cat "$T/err")"
[ -e "$ro_out" ] && fail "$ro_out was created"
only "$T/ro"
chmod 0700 "$T/ro"
printf 'old' >"$T/tab/keep.xlsx"
expect 2 "bad --date keeps the old file" "$XLSX" -o "$T/tab/keep.xlsx" --date 2023-02-30 "$T/t0.json"
grep -q "2023-02-30" "$T/err" || fail "bad date not named: $(cat "$T/err")"
[ "$(cat "$T/tab/keep.xlsx")" = old ] || fail "old file damaged by a failed write"

# --- usage --------------------------------------------------------------
expect 2 "no -o" "$XLSX" "$T/t0.json"
grep -q "with -o FILE.xlsx" "$T/err" || fail "no -o message: $(cat "$T/err")"
expect 2 "--cols before --by" "$XLSX" -o "$T/x.xlsx" --cols violence --by region "$DATA"
expect 2 "bad --date" "$XLSX" -o "$T/x.xlsx" --date 31.12.2023 "$T/t0.json"
expect 2 "bad --min-cell" "$XLSX" -o "$T/x.xlsx" --min-cell many "$T/t0.json"
expect 2 "unknown dimension" "$XLSX" -o "$T/x.xlsx" --by colour "$DATA"
[ -e "$T/x.xlsx" ] && fail "a workbook was written by a usage error"
expect 0 "--help" "$XLSX" --help
for opt in --output --date --no-charts --min-cell --lang --by --cols; do
	grep -q -- "$opt" "$T/out" || fail "--help does not mention $opt"
done
expect 0 "--version" "$XLSX" --version
grep -q "^mj-xlsx (murojaat) " "$T/out" || fail "--version: $(cat "$T/out")"

[ "$failed" = 0 ] && echo "all mj-xlsx checks passed"
exit "$failed"

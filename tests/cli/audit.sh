#!/usr/bin/env bash
# Command-line tests for mj-audit: the 2023 published table, a clean table,
# JSON, errors with their positions, exit codes. Needs BUILD and SRC.
set -u
BUILD=${BUILD:?set BUILD to the build directory}
SRC=${SRC:?set SRC to the source directory}
AUDIT="$BUILD/cmd/mj-audit"
DATA="$SRC/tests/data/audit"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0

fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# run NAME EXPECTED_STATUS ARGS...: runs mj-audit from SRC, keeps stdout
# and stderr in $TMP/NAME.out and $TMP/NAME.err.
run() {
	local name=$1 want=$2
	shift 2
	(cd "$SRC" && "$AUDIT" "$@") >"$TMP/$name.out" 2>"$TMP/$name.err"
	local got=$?
	if [ "$got" -ne "$want" ]; then
		fail "$name: exit status $got, expected $want"
		sed 's/^/  stderr: /' "$TMP/$name.err"
	fi
}

# same NAME FILE EXPECTED: FILE must hold exactly EXPECTED.
same() {
	if ! diff -u <(printf '%s' "$3") "$2" >"$TMP/diff"; then
		fail "$1: output differs"
		sed 's/^/  /' "$TMP/diff"
	fi
}

# The published 2023 breakdown holds exactly these three errors, each
# checked by hand:
#  - sexual violence: 114 / 10927 * 100 = 1.043%, which is 1.0 at one
#    decimal, printed 1.1;
#  - Surkhandarya region: 899 / 10927 * 100 = 8.227%, i.e. 8.2, printed 14.1;
#  - the 14 printed regional shares add up to 106.0 (7.3 + 7.6 + 7.6 + 9 +
#    9 + 6.1 + 5.9 + 14.1 + 5 + 9.6 + 8.5 + 7.1 + 5.7 + 3.5), while 11
#    one-decimal and 3 whole-number percents allow 100 +- 2.05.
# Everything else is consistent at its printed precision, among them
# workplace 76 / 10927 = 0.70% printed "1 percent", other issues 2400 /
# 10927 = 21.96% printed "22", and the sums (regions and violence types
# 10,927; domestic 5535 + 1363 + 464 = 7362; workplace 53 + 12 + 11 = 76;
# public 356 + 298 + 65 + 18 = 737; shelter 700 + 604 = 1304).
run sample 1 samples/published-2023.csv
same sample "$TMP/sample.out" "samples/published-2023.csv:21: sexual violence: 114 of 10,927 is 1.0%, printed 1.1%
samples/published-2023.csv:26: region: the printed percents of the 14 parts of all appeals add up to 106.0%, not 100% (rounding explains up to 2.05 points)
samples/published-2023.csv:33: Surkhandarya region: 899 of 10,927 is 8.2%, printed 14.1%
3 findings (1 file: 41 rows, 26 percents, 8 breakdowns checked)
"
same sample-stderr "$TMP/sample.err" ""
# The lines named are the rows as typed in the sample.
[ "$(sed -n 21p "$SRC/samples/published-2023.csv")" = "violence,sexual violence,114,1.1 percent,all appeals" ] ||
	fail "sample line 21 is not the sexual violence row"
[ "$(sed -n 33p "$SRC/samples/published-2023.csv")" = "region,Surkhandarya region,899,14.1%,all appeals" ] ||
	fail "sample line 33 is not the Surkhandarya row"

# Same input, same output, byte for byte.
run sample2 1 samples/published-2023.csv
cmp -s "$TMP/sample.out" "$TMP/sample2.out" || fail "two runs differ"

# The corrected table passes silently.
run clean 0 tests/data/audit/clean.csv
same clean "$TMP/clean.out" ""
same clean-stderr "$TMP/clean.err" ""

# Standard input, named "<stdin>" in findings.
(cd "$SRC" && "$AUDIT" <samples/published-2023.csv) >"$TMP/stdin.out" 2>&1
[ $? -eq 1 ] || fail "stdin: expected exit 1"
grep -qx '<stdin>:33: Surkhandarya region: 899 of 10,927 is 8.2%, printed 14.1%' "$TMP/stdin.out" ||
	fail "stdin: no Surkhandarya finding named <stdin>"
(cd "$SRC" && "$AUDIT" - <tests/data/audit/clean.csv) >"$TMP/dash.out" 2>&1
[ $? -eq 0 ] || fail "stdin (-): the clean table should pass"
[ -s "$TMP/dash.out" ] && fail "stdin (-): clean table printed something"

# Semicolons, decimal commas and Cyrillic labels.
run semicolon 1 tests/data/audit/semicolon.csv
same semicolon "$TMP/semicolon.out" "tests/data/audit/semicolon.csv:6: мужчины: 161 of 10,927 is 1.5%, printed 1.6%
1 finding (1 file: 4 rows, 3 percents, 1 breakdown checked)
"

# JSON for scripts: read back with an independent parser.
run json 1 --format json samples/published-2023.csv
/usr/bin/python3 - "$TMP/json.out" <<'EOF' || fail "json: content"
import json, sys
doc = json.load(open(sys.argv[1]))
kinds = [(f["line"], f["kind"], f["category"]) for f in doc["findings"]]
assert kinds == [(21, "percent", "sexual violence"),
                 (26, "percent-sum", "all appeals"),
                 (33, "percent", "Surkhandarya region")], kinds
su = doc["findings"][2]
assert su["count"] == 899 and su["base"] == 10927, su
assert su["computed"] == "8.2" and su["printed"] == "14.1", su
assert su["file"] == "samples/published-2023.csv", su
ps = doc["findings"][1]
assert ps["printed"] == "106.0" and ps["tolerance"] == "2.05" and ps["parts"] == 14, ps
assert doc["count"] == 3 and doc["files"] == 1 and doc["rows"] == 41, doc
assert doc["percents"] == 26 and doc["breakdowns"] == 8, doc
EOF
run json-clean 0 -f json tests/data/audit/clean.csv
/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["findings"] == [] and d["count"] == 0' \
	"$TMP/json-clean.out" || fail "json-clean: expected an empty list"

# A typing slip in the file: its position, and the other files still
# checked (exit 2 wins over 1).
run bad 2 tests/data/audit/bad-count.csv samples/published-2023.csv
same bad-stderr "$TMP/bad.err" "mj-audit: tests/data/audit/bad-count.csv:4:23: count '82,7': thousands are grouped by three digits, as in 10,927
"
grep -q '^samples/published-2023.csv:33: Surkhandarya' "$TMP/bad.out" ||
	fail "bad: the second file was not checked"

# Input errors.
run missing 2 no-such-file.csv
same missing "$TMP/missing.err" "mj-audit: no-such-file.csv: cannot open: No such file or directory
"
run directory 2 tests
grep -q '^mj-audit: tests: is a directory' "$TMP/directory.err" || fail "directory: message"
printf 'table,category,count,percnt,of\n' >"$TMP/header.csv"
run header 2 "$TMP/header.csv"
same header "$TMP/header.err" "mj-audit: $TMP/header.csv:1:22: unknown column 'percnt' (the columns are table, category, count, percent, of and note)
"
printf 'table,category,count,percent,of\nt,all,10,,\nx,a,5,50,al\n' >"$TMP/of.csv"
run of 2 "$TMP/of.csv"
same of "$TMP/of.err" "mj-audit: $TMP/of.csv:3:10: no row has the category 'al' (of names the row this one is a part of)
"

# Usage.
run format 2 --format xml samples/published-2023.csv
grep -q "not text or json" "$TMP/format.err" || fail "format: message"
run option 2 --frobnicate
grep -q "^usage: mj-audit" "$TMP/option.err" || fail "option: no usage on stderr"
run help 0 --help
grep -q "^usage: mj-audit \[-f text|json\] \[FILE...\]" "$TMP/help.out" || fail "help: synopsis"
# --help mirrors the man page: every long option of one is in the other.
for opt in $(grep -o -- '--[a-z]*' "$TMP/help.out" | sort -u); do
	grep -q -- "\\\\-\\\\${opt#-}" "$SRC/doc/mj-audit.1" ||
		fail "help: $opt is not in the man page"
done
for opt in $(grep -o -- '\\-\\-[a-z]*' "$SRC/doc/mj-audit.1" | sed 's/\\//g' | sort -u); do
	grep -q -- "$opt" "$TMP/help.out" || fail "man page: $opt is not in --help"
done

# A failed write is an error.
if [ -w /dev/full ]; then
	(cd "$SRC" && "$AUDIT" samples/published-2023.csv >/dev/full 2>"$TMP/full.err")
	[ $? -eq 2 ] || fail "/dev/full: expected exit 2"
	grep -q "writing the findings failed" "$TMP/full.err" || fail "/dev/full: message"
fi

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
echo "all mj-audit command-line tests passed"

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
same sample "$TMP/sample.out" "samples/published-2023.csv:23: sexual violence: 114 of 10,927 is 1.0%, printed 1.1%
samples/published-2023.csv:28: region: the printed percents of the 14 parts of all appeals add up to 106.0%, not 100% (rounding explains up to 2.05 points)
samples/published-2023.csv:35: Surkhandarya region: 899 of 10,927 is 8.2%, printed 14.1%
3 findings (1 file: 41 rows, 26 percents, 8 breakdowns checked)
"
same sample-stderr "$TMP/sample.err" ""
# The lines named are the rows as typed in the sample.
[ "$(sed -n 23p "$SRC/samples/published-2023.csv")" = "violence,sexual violence,114,1.1 percent,all appeals,violence=sexual" ] ||
	fail "sample line 23 is not the sexual violence row"
[ "$(sed -n 28p "$SRC/samples/published-2023.csv")" = "region,Republic of Karakalpakstan,793,7.3%,all appeals,region=UZ-QR" ] ||
	fail "sample line 28 is not the first region row"
[ "$(sed -n 35p "$SRC/samples/published-2023.csv")" = "region,Surkhandarya region,899,14.1%,all appeals,region=UZ-SU" ] ||
	fail "sample line 35 is not the Surkhandarya row"

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
grep -qx '<stdin>:35: Surkhandarya region: 899 of 10,927 is 8.2%, printed 14.1%' "$TMP/stdin.out" ||
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
assert kinds == [(23, "percent", "sexual violence"),
                 (28, "percent-sum", "all appeals"),
                 (35, "percent", "Surkhandarya region")], kinds
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
grep -q '^samples/published-2023.csv:35: Surkhandarya' "$TMP/bad.out" ||
	fail "bad: the second file was not checked"

# Input errors.
run missing 2 no-such-file.csv
same missing "$TMP/missing.err" "mj-audit: no-such-file.csv: cannot open: No such file or directory
"
run directory 2 tests
grep -q '^mj-audit: tests: is a directory' "$TMP/directory.err" || fail "directory: message"
printf 'table,category,count,percnt,of\n' >"$TMP/header.csv"
run header 2 "$TMP/header.csv"
same header "$TMP/header.err" "mj-audit: $TMP/header.csv:1:22: unknown column 'percnt' (the columns are table, category, count, percent, of, records and note)
"
printf 'table,category,count,percent,of\nt,all,10,,\nx,a,5,50,al\n' >"$TMP/of.csv"
run of 2 "$TMP/of.csv"
same of "$TMP/of.err" "mj-audit: $TMP/of.csv:3:10: no row has the category 'al' (of names the row this one is a part of)
"

# Usage.
run format 2 --format xml samples/published-2023.csv
grep -q 'expected text or json, got "xml"' "$TMP/format.err" || fail "format: message"
run option 2 --frobnicate
grep -q "Try 'mj-audit --help'" "$TMP/option.err" || fail "option: no hint on stderr"
run help 0 --help
grep -q "^usage: mj-audit \[-f text|json\] \[--against RECORDS \[options\]\] \[FILE...\]" "$TMP/help.out" ||
	fail "help: synopsis"
run version 0 --version
grep -q "^mj-audit (murojaat) [0-9]" "$TMP/version.out" || fail "version"
# --help mirrors the man page: every long option of one is in the other.
for opt in $(grep -o -- '--[a-z]*' "$TMP/help.out" | sort -u); do
	grep -q -- "\\\\-\\\\${opt#-}" "$SRC/doc/mj-audit.1" ||
		fail "help: $opt is not in the man page"
done
for opt in $(grep -o -- '\\-\\-[a-z]*' "$SRC/doc/mj-audit.1" | sed 's/\\//g' | sort -u); do
	grep -q -- "$opt" "$TMP/help.out" || fail "man page: $opt is not in --help"
done

# --against: every printed count recounted in the records. records.csv
# holds 20 appeals: Andijan 9, Surkhandarya 6, Tashkent region 5; physical
# 12, psychological 8; domestic 10, not stated 10; women 17, men 3; 4
# placed in the centre; 12 in January.
run against 1 --against tests/data/audit/records.csv tests/data/audit/against.csv
same against "$TMP/against.out" "tests/data/audit/against.csv:5: Andijan region: printed 8, the records count 9 (region=UZ-AN)
tests/data/audit/against.csv:6: Surkhandarya region: printed 7, the records count 6 (region=UZ-SU)
2 findings (1 file: 12 rows, 9 percents, 4 breakdowns checked; 10 counts compared with the records)
"
same against-stderr "$TMP/against.err" "mj-audit: tests/data/audit/against.csv:9:10: note: mental violence: not compared with the records, as 'mental violence' is not a category of violence; write what it counts in its records column (DIMENSION=CODE or all), or - to skip it
mj-audit: records: 20 read, 20 counted, 0 outside the filters, 0 rejected
"
# The same filters as mj-tab: January only.
run period 1 --against tests/data/audit/records.csv --period 2023-01 tests/data/audit/against.csv
grep -qx 'tests/data/audit/against.csv:4: all appeals: printed 20, the records count 12' "$TMP/period.out" ||
	fail "period: no finding for the total"
grep -qx 'tests/data/audit/against.csv:7: Tashkent: printed 5, the records count 3 (region=UZ-TO)' "$TMP/period.out" ||
	fail "period: no finding for Tashkent region"
grep -q 'against.csv:14' "$TMP/period.out" && fail "period: the shelter row (all in January) was reported"
grep -q "records: 20 read, 12 counted, 8 outside the filters, 0 rejected" "$TMP/period.err" ||
	fail "period: records line"
run where 1 --against tests/data/audit/records.csv --where region=UZ-AN tests/data/audit/against.csv
grep -q "records: 20 read, 9 counted, 11 outside the filters" "$TMP/where.err" || fail "where: records line"
# The published 2023 table against the synthetic records of 2023 (made by
# mj-synth to reproduce every published count): all 38 counts the records
# can give agree, and the same three errors remain.
if [ -f "$SRC/samples/appeals-2023.csv" ]; then
	run year 1 --against samples/appeals-2023.csv samples/published-2023.csv
	same year "$TMP/year.out" "$(head -n 3 "$TMP/sample.out")
3 findings (1 file: 41 rows, 26 percents, 8 breakdowns checked; 38 counts compared with the records)
"
	same year-stderr "$TMP/year.err" "mj-audit: records: 10927 read, 10927 counted, 0 outside the filters, 0 rejected
"
	run year-clean 0 --against samples/appeals-2023.csv tests/data/audit/clean.csv
	same year-clean "$TMP/year-clean.out" ""
	same year-clean-stderr "$TMP/year-clean.err" ""
fi
# Records read from standard input; JSON names what was counted.
(cd "$SRC" && "$AUDIT" -f json --against - tests/data/audit/against.csv \
	<tests/data/audit/records.csv) >"$TMP/against-json.out" 2>/dev/null
[ $? -eq 1 ] || fail "against-json: expected exit 1"
/usr/bin/python3 - "$TMP/against-json.out" <<'EOF2' || fail "against-json: content"
import json, sys
doc = json.load(open(sys.argv[1]))
f = doc["findings"]
assert [(x["kind"], x["line"], x["count"], x["records"], x["where"]) for x in f] == [
    ("count", 5, 8, 9, "region=UZ-AN"), ("count", 6, 7, 6, "region=UZ-SU")], f
assert doc["compared"] == 10 and doc["not_compared"] == 1, doc
assert [(n["line"], n["column"]) for n in doc["notes"]] == [(9, 10)], doc["notes"]
EOF2
# A records value that names nothing stops before the records are read.
printf 'table,category,count,records\nt,all,20,all\nr,x,3,region=Atlantis\n' >"$TMP/badkey.csv"
run badkey 2 --against tests/data/audit/records.csv "$TMP/badkey.csv"
same badkey "$TMP/badkey.err" "mj-audit: $TMP/badkey.csv:3:7: records: 'Atlantis' is not a category of region
"
printf 'table,category,count,records\nt,all,20,colour=red\n' >"$TMP/baddim.csv"
run baddim 2 --against tests/data/audit/records.csv "$TMP/baddim.csv"
grep -q "baddim.csv:2:10: records: 'colour' is not a dimension of the schema" "$TMP/baddim.err" ||
	fail "baddim: message"
# Invalid records are reported and make the exit status 1.
{ cat "$DATA/records.csv"; echo '2000,2023-01-40,hotline,Andijan,female,30,physical,,,consultation,'; } >"$TMP/rejected.csv"
printf 'table,category,count,records\nt,all appeals,20,all\n' >"$TMP/twenty.csv"
run rejected 1 --against "$TMP/rejected.csv" "$TMP/twenty.csv"
same rejected "$TMP/rejected.out" ""
grep -q "rejected.csv:22:" "$TMP/rejected.err" || fail "rejected: the bad record is not named"
run accepted 0 --against tests/data/audit/records.csv "$TMP/twenty.csv"
same accepted "$TMP/accepted.out" ""
same accepted-stderr "$TMP/accepted.err" ""
grep -q "records: 21 read, .* 1 rejected" "$TMP/rejected.err" || fail "rejected: records line"
# Usage around --against.
run noagainst 2 --period 2023 samples/published-2023.csv
grep -q "need --against" "$TMP/noagainst.err" || fail "noagainst: message"
run norecords 2 --against no-such-records.csv samples/published-2023.csv
grep -q "no-such-records.csv: cannot open" "$TMP/norecords.err" || fail "norecords: message"
run twostdin 2 --against - -
grep -q "standard input can be read only once" "$TMP/twostdin.err" || fail "twostdin: message"

# A failed write is an error.
if [ -w /dev/full ]; then
	(cd "$SRC" && "$AUDIT" samples/published-2023.csv >/dev/full 2>"$TMP/full.err")
	[ $? -eq 2 ] || fail "/dev/full: expected exit 2"
	grep -q "error writing to standard output" "$TMP/full.err" || fail "/dev/full: message"
fi

if [ "$failures" -ne 0 ]; then
	echo "$failures failure(s)"
	exit 1
fi
echo "all mj-audit command-line tests passed"

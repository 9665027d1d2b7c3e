#!/usr/bin/env bash
# mj-synth: the committed 2023 sample is what the spec makes, byte for byte;
# its marginals are the published figures (counted here with awk, not with
# mj-tab); determinism, scaling, errors and exit codes.
set -u
SYNTH="$BUILD/cmd/mj-synth"
SPEC="$SRC/samples/appeals-2023.spec"
SAMPLE="$SRC/samples/appeals-2023.csv"
DATA="$SRC/tests/data/synth"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# --- the sample is what the spec makes -------------------------------------
"$SYNTH" -o "$tmp/a.csv" "$SPEC" || fail "mj-synth on the 2023 spec exited $?"
cmp -s "$tmp/a.csv" "$SAMPLE" ||
  fail "samples/appeals-2023.csv differs from what samples/appeals-2023.spec makes (regenerate: mj-synth -o samples/appeals-2023.csv samples/appeals-2023.spec)"

# --- the published figures, counted independently ---------------------------
# Every line of expected is "key count"; awk prints the same keys from the
# records, and the two lists must be equal.
cat > "$tmp/expected" <<'EOF'
total 10927
header id,date,channel,region,district,sex,age,violence,place,relationship,outcome,children
group woman 10696
group girl 70
group man 161
violence physical 2709
violence sexual 114
violence psychological 4642
violence economic 1062
violence other 2400
region UZ-QR 793
region UZ-AN 827
region UZ-BU 825
region UZ-JI 979
region UZ-NW 985
region UZ-NG 663
region UZ-SA 642
region UZ-SU 899
region UZ-SI 549
region UZ-TK 1046
region UZ-FA 925
region UZ-QA 780
region UZ-XO 628
region UZ-TO 386
place domestic 7362
place workplace 76
place public 737
place elsewhere 459
place (empty) 2293
pair domestic/spouse 5535
pair domestic/in_law 1363
pair domestic/parent_child 464
pair workplace/employer 53
pair workplace/coworker 12
pair workplace/superior_org 11
pair public/neighbour 356
pair public/mahalla 298
pair public/organization 65
pair public/abroad 18
pair elsewhere/(empty) 459
pair (empty)/(empty) 2293
shelter women 700
shelter children 604
children elsewhere 0
duplicate ids 0
bad fields 0
months 8
EOF
awk -F, '
  NR == 1 { header = $0; next }
  {
    n++
    if (NF != 12) bad++
    if (seen[$1]++) dup++
    if ($1 !~ /^A2023-[0-9][0-9][0-9][0-9][0-9][0-9]$/) bad++
    if ($2 < "2023-01-01" || $2 > "2023-08-31" || $2 !~ /^2023-[0-9][0-9]-[0-9][0-9]$/) bad++
    month[substr($2, 1, 7)] = 1
    if ($3 != "hotline" && $3 != "office") bad++
    channel[$3]++
    if ($7 != "" && ($7 !~ /^[0-9]+$/ || $7 + 0 > 120)) bad++
    if ($6 == "male") g = "man"
    else if ($6 == "female" && $7 != "" && $7 + 0 < 18) g = "girl"
    else if ($6 == "female") g = "woman"
    else { g = "?"; bad++ }
    group[g]++
    violence[$8]++
    region[$4]++
    p = $9 == "" ? "(empty)" : $9
    r = $10 == "" ? "(empty)" : $10
    place[p]++
    pair[p "/" r]++
    if ($11 == "shelter") {
      if (g != "woman") bad++
      shelter++
      kids += $12
    } else {
      other_kids += $12
    }
    if ($7 != "" && $7 + 0 > 60) old++
    if ($7 != "" && $7 + 0 >= 18 && $7 + 0 <= 60) working++
  }
  END {
    print "total", n
    print "header", header
    split("woman girl man", gs, " ")
    for (i = 1; i <= 3; i++) print "group", gs[i], group[gs[i]]
    split("physical sexual psychological economic other", vs, " ")
    for (i = 1; i <= 5; i++) print "violence", vs[i], violence[vs[i]]
    split("UZ-QR UZ-AN UZ-BU UZ-JI UZ-NW UZ-NG UZ-SA UZ-SU UZ-SI UZ-TK UZ-FA UZ-QA UZ-XO UZ-TO", rs, " ")
    for (i = 1; i <= 14; i++) print "region", rs[i], region[rs[i]]
    split("domestic workplace public elsewhere (empty)", ps, " ")
    for (i = 1; i <= 5; i++) print "place", ps[i], place[ps[i]]
    split("domestic/spouse domestic/in_law domestic/parent_child workplace/employer workplace/coworker workplace/superior_org public/neighbour public/mahalla public/organization public/abroad elsewhere/(empty) (empty)/(empty)", qs, " ")
    for (i = 1; i <= 12; i++) print "pair", qs[i], pair[qs[i]]
    print "shelter women", shelter + 0
    print "shelter children", kids + 0
    print "children elsewhere", other_kids + 0
    print "duplicate ids", dup + 0
    print "bad fields", bad + 0
    m = 0; for (k in month) m++
    print "months", m
    # Plausibility, printed to the side: both channels well used, most
    # ages of working age, some older.
    print channel["hotline"], channel["office"], working, old > "/dev/stderr"
  }' "$SAMPLE" > "$tmp/got" 2> "$tmp/side"
diff "$tmp/expected" "$tmp/got" > "$tmp/diff" ||
  { fail "the sample's marginals differ from the published figures:"; cat "$tmp/diff"; }
read -r hotline office working old < "$tmp/side"
[ "$hotline" -gt 3000 ] && [ "$office" -gt 3000 ] ||
  fail "channels not both well used: hotline $hotline, office $office"
[ "$working" -gt 9000 ] && [ "$old" -gt 100 ] ||
  fail "implausible ages: $working aged 18-60, $old older"
# No relationship outside its place.
awk -F, 'NR > 1 && $10 != "" {
  ok = ($9 == "domestic" && $10 ~ /^(spouse|in_law|parent_child|other_family)$/) ||
       ($9 == "workplace" && $10 ~ /^(employer|coworker|superior_org)$/) ||
       ($9 == "public" && $10 ~ /^(neighbour|mahalla|organization|abroad)$/)
  if (!ok) { print "line " NR ": " $9 "/" $10; exit 1 } }' "$SAMPLE" ||
  fail "a relationship outside its place"

# --- determinism --------------------------------------------------------------
"$SYNTH" --seed 9 "$SPEC" > "$tmp/s9a.csv"
"$SYNTH" -s 9 -o "$tmp/s9b.csv" < "$SPEC"
cmp -s "$tmp/s9a.csv" "$tmp/s9b.csv" || fail "--seed 9 twice (stdout, -o) gave different bytes"
cmp -s "$tmp/s9a.csv" "$SAMPLE" && fail "--seed 9 gave the same bytes as the default seed"
"$SYNTH" --seed 2023 "$SPEC" | cmp -s - "$SAMPLE" || fail "the default seed is not 2023"

# --- scaling --------------------------------------------------------------------
# Largest remainder for the violence block at 100000 rows, computed in awk.
"$SYNTH" --rows 100000 "$SPEC" > "$tmp/big.csv" || fail "--rows 100000 exited $?"
awk -F, 'NR > 1 { n++; v[$8]++ } END {
  split("physical sexual psychological economic other", k, " ")
  for (i = 1; i <= 5; i++) printf "%s %d\n", k[i], v[k[i]]
  print "rows", n }' "$tmp/big.csv" > "$tmp/big.got"
awk 'BEGIN {
  split("physical sexual psychological economic other", k, " ")
  split("2709 114 4642 1062 2400", c, " ")
  T = 10927; N = 100000; given = 0
  for (i = 1; i <= 5; i++) { q[i] = int(c[i] * N / T); rem[i] = c[i] * N - q[i] * T; given += q[i] }
  for (left = N - given; left > 0; left--) {
    best = 0
    for (i = 1; i <= 5; i++) if (!done[i] && (best == 0 || rem[i] > rem[best])) best = i
    q[best]++; done[best] = 1
  }
  for (i = 1; i <= 5; i++) printf "%s %d\n", k[i], q[i]
  print "rows", N }' > "$tmp/big.want"
diff "$tmp/big.want" "$tmp/big.got" > /dev/null ||
  { fail "--rows 100000: violence counts are not the largest-remainder shares"; diff "$tmp/big.want" "$tmp/big.got"; }
[ "$(cut -d, -f1 "$tmp/big.csv" | sort -u | wc -l)" -eq 100001 ] || fail "--rows 100000: ids not unique"
"$SYNTH" --rows 0 "$SPEC" | cmp -s - <(head -1 "$SAMPLE") || fail "--rows 0 is not just the header"

# --- errors and exit codes ----------------------------------------------------------
expect() { # expect STATUS STDERR-PATTERN -- ARGS...
  local want=$1 pattern=$2; shift 3
  "$SYNTH" "$@" > "$tmp/out" 2> "$tmp/err"
  local got=$?
  [ "$got" -eq "$want" ] || fail "mj-synth $*: exit $got, expected $want"
  grep -qF -- "$pattern" "$tmp/err" ||
    { fail "mj-synth $*: stderr lacks: $pattern"; cat "$tmp/err"; }
}
expect 1 "mj-synth: $DATA/bad-sum.spec:5:1: the block's counts add up to 9, not the total 10" -- "$DATA/bad-sum.spec"
expect 1 "mj-synth: $DATA/bad-value.spec:4:3: column 'region': unknown value \"Buhara\" (did you mean \"UZ-BU\"?)" -- "$DATA/bad-value.spec"
expect 1 "mj-synth: $DATA/bad-parent.spec:3:12: column 'relationship': 'coworker' belongs to place 'workplace'" -- "$DATA/bad-parent.spec"
expect 1 "mj-synth: <stdin>:1:1: unknown directive \"totl\"" -- - < <(printf 'totl,3\n')
expect 2 "mj-synth: $tmp/none.spec: cannot open" -- "$tmp/none.spec"
expect 2 "mj-synth: option --bogus: unknown" -- --bogus "$SPEC"
expect 2 "mj-synth: --rows: \"-5\" is not a whole number" -- --rows -5 "$SPEC"
expect 2 "mj-synth: --seed: \"1e3\" is not a whole number" -- --seed 1e3 "$SPEC"
expect 2 "one spec at a time" -- "$SPEC" "$SPEC"
expect 2 "mj-synth: /dev/full: write error" -- -o /dev/full "$SPEC"
expect 2 "cannot create a temporary file in '$tmp/no/such': No such file" -- -o "$tmp/no/such/dir.csv" "$SPEC"
# Records are sensitive in general: -o files are the owner's only.
[ "$(stat -c %a "$tmp/a.csv")" = 600 ] || fail "-o made a file of mode $(stat -c %a "$tmp/a.csv")"
# A device is written to, never replaced.
"$SYNTH" -o /dev/null "$SPEC" || fail "-o /dev/null exited $?"
[ -c /dev/null ] || fail "-o /dev/null replaced the device"
# A failed run leaves the old file in place and no temporary beside it.
mkdir "$tmp/keep" && echo old > "$tmp/keep/out.csv"
"$SYNTH" -o "$tmp/keep/out.csv" "$DATA/bad-sum.spec" 2> /dev/null
[ "$(cat "$tmp/keep/out.csv")" = old ] || fail "a failed run replaced the output"
[ "$(ls -A "$tmp/keep" | wc -l)" -eq 1 ] || fail "a failed run left files: $(ls -A "$tmp/keep")"

# --- another schema: its columns make the record, its codes and limits apply -------
printf 'id,I-\nblock,kind,survivors\n2,rape,1\n3,assault,2\nblock,when\n5,2024-02-29\n' |
  "$SYNTH" --schema "$DATA/mini-schema.csv" > "$tmp/mini.csv" || fail "--schema: exit $?"
printf 'case,type,when,survivors\n' | cmp -s - <(head -1 "$tmp/mini.csv") ||
  fail "--schema: header is not the schema's columns: $(head -1 "$tmp/mini.csv")"
[ "$(grep -c '^I-00000[1-5],rape,2024-02-29,1$' "$tmp/mini.csv")" -eq 2 ] &&
  [ "$(grep -c '^I-00000[1-5],assault,2024-02-29,2$' "$tmp/mini.csv")" -eq 3 ] ||
  { fail "--schema: records are not the spec's"; cat "$tmp/mini.csv"; }
expect 1 "mj-synth: <stdin>:2:3: column 'survivors': \"0\" is outside 1-5" -- \
  --schema "$DATA/mini-schema.csv" - < <(printf 'block,survivors\n2,0\n')
expect 1 "mj-synth: <stdin>:1:7: unknown column 'region'" -- \
  --schema "$DATA/mini-schema.csv" - < <(printf 'block,region\n2,UZ-TK\n')

# --- the man page's example is a working spec ---------------------------------------
sed -n '/^\.SS Example/,/^\.fi/p' "$SRC/doc/mj-synth.1" | sed '1,2d;$d' > "$tmp/example.spec"
"$SYNTH" "$tmp/example.spec" > "$tmp/example.csv" || fail "the man page example: exit $?"
[ "$(awk -F, 'NR > 1 && $11 == "shelter" { n++; k += $12 } END { print n, k, NR - 1 }' "$tmp/example.csv")" = "700 604 1000" ] ||
  fail "the man page example does not make 700 placements with 604 children in 1000 records"

# --- help and man page ---------------------------------------------------------------
"$SYNTH" --help > "$tmp/help" || fail "--help exited $?"
"$SYNTH" --version | grep -q '^mj-synth (murojaat) [0-9]' || fail "--version"
for opt in --output --seed --rows --schema --help --version; do
  grep -q -- "$opt" "$tmp/help" || fail "--help lacks $opt"
  grep -q -- "${opt//-/\\\\-}" "$SRC/doc/mj-synth.1" || fail "the man page lacks $opt"
done

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "synth: all checks passed"

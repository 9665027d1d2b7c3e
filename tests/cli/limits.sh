# Limits that hold at any size: counts never wrap, an open column's cap
# does not depend on the threads, memory stays bounded on an unclosed
# quote, and a file read directly or through a pipe gives the same result.
. "$SRC/tests/cli/lib.sh"
H="id,date,channel,region,district,sex,age,violence,place,relationship,outcome,children"
R="A1,2023-01-01,hotline,UZ-TK,,female,30,physical,,,,"
CLUBS="$SRC/samples/schema-parents-clubs.csv"
# feed HEAD MIB CMD...: pipes HEAD then MIB MiB of 1 KiB lines into CMD;
# prints the bytes CMD took, its exit status and its peak RSS in KiB.
cat >"$TMP/feed.py" <<'EOF'
import resource, subprocess, sys
head = sys.argv[1].encode()
p = subprocess.Popen(sys.argv[3:], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                     stderr=open(sys.argv[0] + ".err", "wb"))
taken = 0
try:
    p.stdin.write(head)
    taken += len(head)
    chunk = (b"x" * 1023 + b"\n") * 1024
    for _ in range(int(sys.argv[2])):
        p.stdin.write(chunk)
        taken += len(chunk)
    p.stdin.close()
except BrokenPipeError:
    pass
rc = p.wait()
print(taken, rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
EOF

# A dimension of 65,535 categories cannot be counted in a table's 16 bits:
# the schema is refused, never counted wrongly.
{ grep -v '^category,region\|^section\|^dimension,region' "$CLUBS"
  echo "dimension,region,,,Region,Регион,Hudud,Ҳудуд,,type=category;required"
  awk 'BEGIN {for (i = 1; i <= 65535; i++) printf "category,region,r%d,,R%d,R%d,R%d,R%d,,\n", i, i, i, i, i}'
} >"$TMP/big-schema.csv"
printf 'city,region,established,members\nA,r1,2015,1\nB,r65535,2015,2\n' >"$TMP/big.csv"
expect_status 2 timeout 120 mj-tab --schema "$TMP/big-schema.csv" --by region --format csv "$TMP/big.csv"
expect_err "big-schema.csv:65555:17: dimension 'region' has more categories than the limit of 65534"
expect_no "r65535" "$TMP/out"

# More distinct values of an open column than its cap: the same result for
# every number of threads (the file is over 4 MiB, so it is cut in parts).
awk -v pad="$(head -c 60 /dev/zero | tr '\0' p)" 'BEGIN {print "city,region,established,members,note";
  for (i = 0; i < 70000; i++) printf "c%d,Khorezm,2015,%d,%s\n", i * 7919 % 70000, i % 5, pad}' >"$TMP/open.csv"
for t in 1 2 3 7; do
  expect_status 2 timeout 120 mj-tab --schema "$CLUBS" --by city --format csv --threads $t "$TMP/open.csv"
  expect_err "open.csv:1:1: column 'city' has more than 60000 distinct values"
  cat "$TMP/out" "$TMP/err" >"$TMP/open-$t.txt"
  cmp -s "$TMP/open-1.txt" "$TMP/open-$t.txt" || fail "--threads $t gives another result than --threads 1"
done
# Under the cap every value is counted, whatever the threads.
awk -v pad="$(head -c 60 /dev/zero | tr '\0' p)" 'BEGIN {print "city,region,established,members,note";
  for (i = 0; i < 90000; i++) printf "c%d,Khorezm,2015,1,%s\n", i * 7919 % 55000, pad}' >"$TMP/open-ok.csv"
for t in 1 3; do
  expect_status 0 timeout 120 mj-tab --schema "$CLUBS" --by city --format csv --threads $t "$TMP/open-ok.csv"
  cp "$TMP/out" "$TMP/open-ok-$t.txt"
done
cmp -s "$TMP/open-ok-1.txt" "$TMP/open-ok-3.txt" || fail "--threads 3 counts other values than --threads 1"
expect_out "_total,Total,90000,"

# An unclosed quote followed by 256 MiB from a pipe: the row limit stops
# the read at 64 MiB, and memory stays well below the stream. (The
# sanitizer's quarantine would keep freed blocks; it is turned off here.)
ASAN_OPTIONS="${ASAN_OPTIONS:-}:quarantine_size_mb=0" python3 "$TMP/feed.py" "$H
$R\"open" 256 mj-tab --by region - >"$TMP/feed.out"
read -r taken rc rss <"$TMP/feed.out"
[ "$rc" -eq 2 ] || fail "unclosed quote in a pipe: exit $rc, wanted 2"
grep -qF "<stdin>:2: row is larger than the limits of 64 MiB or 1,000,000 fields" "$TMP/feed.py.err" ||
  fail "unclosed quote in a pipe: $(head -c 300 "$TMP/feed.py.err")"
[ "$taken" -lt $((80 << 20)) ] || fail "unclosed quote in a pipe: $taken bytes read before the limit"
[ "$rss" -lt $((200 << 10)) ] || fail "unclosed quote in a pipe: peak RSS $rss KiB"

# The same unclosed quote in a file, read by 1 and 2 threads.
{ printf '%s\n%s"open' "$H" "$R"; head -c $((70 << 20)) /dev/zero | tr '\0' x; printf '\n%s\n' "$R"; } >"$TMP/open-quote.csv"
for t in 1 2; do
  expect_status 2 timeout 120 mj-tab --threads $t --by region "$TMP/open-quote.csv"
  expect_err "open-quote.csv:2: row is larger than the limits of 64 MiB or 1,000,000 fields"
done
# A line over the limit, through a pipe and in cp1251: the error names
# the line where the row starts, not where reading stopped.
{ printf '%s\n%s\n%s,' "$H" "$R" "$R"; head -c $((68 << 20)) /dev/zero | tr '\0' x; for i in 1 2 3 4 5; do printf '\n%s' "$R"; done; printf '\n'; } >"$TMP/long-row.csv"
expect_status 2 timeout 120 mj-tab --by region "$TMP/long-row.csv"
expect_err "long-row.csv:3: row is larger than the limits"
expect_status 2 timeout 120 mj-tab --by region - <"$TMP/long-row.csv"
expect_err "<stdin>:3: row is larger than the limits"
expect_status 2 timeout 120 mj-tab --encoding cp1251 --by region "$TMP/long-row.csv"
expect_err "long-row.csv:3: row is larger than the limits"
rm -f "$TMP/long-row.csv" "$TMP/open-quote.csv"

# Lines ended by a lone CR: one result from a file (over 64 MiB, so the
# fast path sees no LF at all) and from a pipe.
awk -v h="$H" -v r="$R" -v pad="$(head -c 1000 /dev/zero | tr '\0' p)" 'BEGIN {ORS = "\r"; print h ",note";
  for (i = 0; i < 70000; i++) print r "," pad}' >"$TMP/cr.csv"
expect_status 0 timeout 120 mj-tab --format csv --by region "$TMP/cr.csv"
expect_out "UZ-TK,Tashkent city,70000,"
cp "$TMP/out" "$TMP/cr-file.txt"
expect_status 0 timeout 120 mj-tab --format csv --by region - <"$TMP/cr.csv"
# The last column names the source ("<stdin>" here), which differs on purpose.
cmp -s <(sed 's/,[^,]*$//' "$TMP/cr-file.txt") <(sed 's/,[^,]*$//' "$TMP/out") ||
  fail "a CR-only file gives other counts through a pipe"
rm -f "$TMP/cr.csv"

# A row of 600,000 fields is one row (rejected for its width) on both paths.
{ printf '%s\n%s' "$H" "$R"; awk 'BEGIN {for (i = 0; i < 600000; i++) printf ",x"; printf "\n"}'; printf '%s\n' "$R"; } >"$TMP/wide.csv"
for t in 1 2; do
  expect_status 1 timeout 120 mj-tab --threads $t --format csv --by region "$TMP/wide.csv"
  expect_err "wide.csv:2:13: row has 600012 fields, the header has 12"
  expect_err "2 rows read, 1 counted, 0 outside the filters, 1 rejected"
done
expect_status 1 timeout 120 mj-tab --format csv --by region - <"$TMP/wide.csv"
expect_err "<stdin>:2:13: row has 600012 fields, the header has 12"
expect_err "2 rows read, 1 counted, 0 outside the filters, 1 rejected"
# Over 1,000,000 fields fails alike on both paths.
{ printf '%s\n%s' "$H" "$R"; awk 'BEGIN {for (i = 0; i < 1000000; i++) printf ","; printf "\n"}'; printf '%s\n' "$R"; } >"$TMP/wider.csv"
expect_status 2 timeout 120 mj-tab --format csv --by region "$TMP/wider.csv"
expect_err "wider.csv:2: row is larger than the limits of 64 MiB or 1,000,000 fields"
expect_status 2 timeout 120 mj-tab --format csv --by region - <"$TMP/wider.csv"
expect_err "<stdin>:2: row is larger than the limits of 64 MiB or 1,000,000 fields"

# A semicolon file whose first line is blank is still read as one.
printf '\n%s\n%s\n' "$H" "$R" | tr , ';' >"$TMP/semi.csv"
expect_status 0 mj-tab --format csv --by region "$TMP/semi.csv"
expect_out "UZ-TK,Tashkent city,1,"
expect_status 0 mj-tab --format csv --by region - <"$TMP/semi.csv"
expect_out "UZ-TK,Tashkent city,1,"
# A lone CR inside a field does not split the record.
printf '%s\r\n%s\r\nA2,2023-01-02,hotline,UZ-TK,,fem\rale,30,physical,,,,\r\n' "$H" "$R" >"$TMP/lone-cr.csv"
expect_status 1 mj-tab --format csv --by region "$TMP/lone-cr.csv"
expect_err "lone-cr.csv:3:6:"
expect_err "2 rows read"
finish

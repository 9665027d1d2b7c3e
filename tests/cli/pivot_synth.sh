# The pivot tables of issue 17 on a register other than the sample: a
# synthetic one from mj-synth, with margins unlike the sample's and a
# random join. Nested columns, layers, percents alone and the wide Excel
# CSV are checked against an independent count with Python's csv module;
# a 100-column terminal gets region x violence x sex no wider than 100.
. "$SRC/tests/cli/lib.sh"
PY=/usr/bin/python3
R=$TMP/register.csv
cat >"$TMP/r.spec" <<'SPEC'
total,3001
id,T-
block,sex,age,channel,outcome
1201,female,18-44,hotline,consultation
400,female,30-59,hotline,referral
611,female,18-59,office,shelter
300,female,18-59,office,referral
290,male,18-59,office,consultation
199,male,0-17,hotline,referral
block,violence
1001,physical
37,sexual
1200,psychological
500,economic
263,other
block,region
900,UZ-TK
700,UZ-SA
501,UZ-FA
420,UZ-QR
300,UZ-XO
180,UZ-NG
block,date
1500,2024-02
1501,2024-03
SPEC
mj-synth --seed 7 -o "$R" "$TMP/r.spec" || fail "mj-synth"

# The independent count: every (region, channel, outcome), (channel, region,
# outcome) and (region, violence, sex) cell, with the row totals.
$PY - "$R" >"$TMP/indep" <<'PYEOF'
import csv, sys
from collections import Counter
c = Counter()
for r in csv.DictReader(open(sys.argv[1], encoding='utf-8-sig')):
    c[('rco', r['region'], r['channel'], r['outcome'])] += 1
    c[('rco', r['region'], r['channel'], '_total')] += 1
    c[('rco', r['region'], '_total', '')] += 1
    c[('lay', r['channel'], r['region'], r['outcome'])] += 1
    c[('lay', '_total', r['region'], r['outcome'])] += 1
    c[('rvs', r['region'], r['violence'], r['sex'])] += 1
for k, n in sorted(c.items()):
    print(' '.join(x or '-' for x in k), n)
PYEOF
[ -s "$TMP/indep" ] || fail "no independent count"

# --by region --cols channel,outcome: every cell, each channel's subtotal
# and each region's total.
expect_status 0 mj-tab --format csv --by region --cols channel,outcome "$R"
$PY - "$TMP/out" "$TMP/indep" <<'PYEOF' || fail "--cols channel,outcome on a synthetic register: counts differ"
import csv, sys
want = {}
for line in open(sys.argv[2]):
    k = line.split()
    if k[0] == 'rco':
        want[tuple(k[1:4])] = int(k[4])
got = {}
for r in csv.DictReader(open(sys.argv[1], encoding='utf-8')):
    if r['region_code'] == '_total':
        continue
    key = (r['region_code'], r['channel_code'], r['outcome_code'] if r['channel_code'] != '_total' else '-')
    got[key] = int(r['count'])
bad = [k for k in want if got.get(k) != want[k]]
bad += [k for k in got if got[k] and k not in want]
if bad:
    print(bad[:5], [(got.get(k), want.get(k)) for k in bad[:5]], file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF

# --layer channel: each channel's table and the one over all.
expect_status 0 mj-tab --format csv --by region --cols outcome --layer channel "$R"
$PY - "$TMP/out" "$TMP/indep" <<'PYEOF' || fail "--layer channel on a synthetic register: counts differ"
import csv, sys
want = {}
for line in open(sys.argv[2]):
    k = line.split()
    if k[0] == 'lay':
        want[tuple(k[1:4])] = int(k[4])
got = {}
for r in csv.DictReader(open(sys.argv[1], encoding='utf-8')):
    if '_total' in (r['region_code'], r['outcome_code']):
        continue
    got[(r['layer_code'], r['region_code'], r['outcome_code'])] = int(r['count'])
bad = [k for k in want if got.get(k) != want[k]] + [k for k in got if got[k] and k not in want]
if bad:
    print(bad[:5], file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF

# --show row%: percents alone, each the region's share, to one decimal.
expect_status 0 mj-tab --format csv --by region --cols channel,outcome --show 'row%' "$R"
$PY - "$TMP/out" "$TMP/indep" <<'PYEOF' || fail "--show row% on a synthetic register"
import csv, sys
want, tot = {}, {}
for line in open(sys.argv[2]):
    k = line.split()
    if k[0] == 'rco' and k[2] == '_total':
        tot[k[1]] = int(k[4])
    elif k[0] == 'rco':
        want[(k[1], k[2], k[3])] = int(k[4])
bad = 0
for r in csv.DictReader(open(sys.argv[1], encoding='utf-8')):
    assert 'count' not in r, 'a count column'
    key = (r['region_code'], r['channel_code'], r['outcome_code'])
    if key in want:
        if abs(float(r['row_percent']) - 100 * want[key] / tot[key[0]]) > 0.05 + 1e-9:
            bad += 1
sys.exit(1 if bad else 0)
PYEOF

# --layout wide --excel: the grid, with BOM, ';' and decimal commas; each
# region's line holds its counts in the column order of the headings.
expect_status 0 mj-tab --layout wide --excel --by region --cols channel,outcome "$R"
$PY - "$TMP/out" "$TMP/indep" <<'PYEOF' || fail "--layout wide --excel on a synthetic register"
import csv, sys
raw = open(sys.argv[1], 'rb').read()
assert raw.startswith(b'\xef\xbb\xbf'), 'no BOM'
lines = list(csv.reader(raw.decode('utf-8-sig').splitlines(), delimiter=';'))
want = {}
for line in open(sys.argv[2]):
    k = line.split()
    if k[0] == 'rco':
        want[(k[1], k[2], k[3])] = int(k[4])
# The headings: channel (merged over its outcomes) then outcome labels.
chans, outs = lines[2], lines[3]
region_labels = {'UZ-TK': 'Tashkent city', 'UZ-SA': 'Samarkand region', 'UZ-FA': 'Fergana region',
                 'UZ-QR': 'Republic of Karakalpakstan', 'UZ-XO': 'Khorezm region', 'UZ-NG': 'Namangan region'}
chan_labels = {'hotline': 'Hotline 1146', 'office': 'Territorial office'}
out_labels = {'shelter': 'Placed in the centre', 'referral': 'Referred', 'consultation': 'Consultation'}
bad = 0
rows = {l[0]: l for l in lines if l}
for (reg, ch, oc), n in want.items():
    if ch == '_total' or oc == '_total':
        continue
    line = rows[region_labels[reg]]
    # The column: under the channel's heading, the outcome's.
    col, cur = None, None
    for i in range(1, len(outs)):
        if chans[i]:
            cur = chans[i]
        if cur == chan_labels[ch] and outs[i] == out_labels[oc]:
            col = i
            break
    if col is None or line[col] != str(n):
        bad += 1
        print(reg, ch, oc, 'wanted', n, 'got', line[col] if col else None, file=sys.stderr)
# Decimal commas in the percents.
assert any(',' in x for x in rows['Tashkent city'][1:]), 'no decimal comma'
sys.exit(1 if bad else 0)
PYEOF

# A 100-column terminal: region x violence x sex, no line wider than 100,
# every cell of the independent count in it.
COLUMNS=100 mj-tab --format text --by region --cols violence,sex "$R" >"$TMP/t" 2>/dev/null ||
  fail "COLUMNS=100 region x violence x sex"
w=$($PY -c 'import sys; print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$TMP/t")
[ "$w" -le 100 ] || fail "COLUMNS=100: a line of $w characters"
expect_status 0 mj-tab --format csv --by region --cols violence,sex "$R"
$PY - "$TMP/out" "$TMP/indep" <<'PYEOF' || fail "region x violence x sex on a synthetic register: counts differ"
import csv, sys
want = {}
for line in open(sys.argv[2]):
    k = line.split()
    if k[0] == 'rvs':
        want[tuple(k[1:4])] = int(k[4])
got = {}
for r in csv.DictReader(open(sys.argv[1], encoding='utf-8')):
    got[(r['region_code'], r['violence_code'], r['sex_code'])] = int(r['count'])
bad = [k for k in want if got.get(k) != want[k]]
sys.exit(1 if bad else 0)
PYEOF
finish

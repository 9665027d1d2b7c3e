# How the golden letters of tests/cli/props.sh were computed, independently
# of the library: python3 props_golden.py RECORDS.csv ROWDIM COLDIM C1,C2,...
# (column codes in the order of their letters). Math only, no SciPy.
import csv, math, sys, itertools
path, rowdim, coldim, colorder = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4].split(',')
counts = {}
for rec in csv.DictReader(open(path, newline='', encoding='utf-8')):
    r, c = rec[rowdim].strip(), rec[coldim].strip()
    if not r or not c:
        continue
    counts[(r, c)] = counts.get((r, c), 0) + 1
rows = sorted({r for r, _ in counts})
cols = [c for c in colorder]
letter = {c: chr(65 + i) for i, c in enumerate(cols)}
base = {c: sum(counts.get((r, c), 0) for r in rows) for c in cols}
for r in rows:
    share = {c: counts.get((r, c), 0) / base[c] for c in cols if base[c] > 0}
    valid = [c for c in cols if c in share and 0 < share[c] < 1]
    k = len(valid)
    m = k * (k - 1) / 2
    out = []
    for c in cols:
        if c not in valid:
            out.append('.')
            continue
        s = ''
        for d in valid:
            if d == c or not share[c] > share[d]:
                continue
            x1, x2, n1, n2 = counts.get((r, c), 0), counts.get((r, d), 0), base[c], base[d]
            p = (x1 + x2) / (n1 + n2)
            z = (share[c] - share[d]) / math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2))
            pv = math.erfc(abs(z) / math.sqrt(2))
            if pv * m < 0.05:
                s += letter[d]
        out.append(s)
    print(r, *[f'{c}={o}' for c, o in zip(cols, out)])

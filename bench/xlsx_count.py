# openpyxl peer for bench/run.sh: counts a register workbook's rows by
# region in read-only mode, as CSV on stdout (region,n).
# Usage: python3 xlsx_count.py FILE.xlsx
import sys
from collections import Counter

from openpyxl import load_workbook

wb = load_workbook(sys.argv[1], read_only=True, data_only=True)
ws = wb.worksheets[0]
rows = ws.iter_rows(values_only=True)
header = [str(h).strip().lower() if h is not None else '' for h in next(rows)]
col = header.index('region')
counts = Counter(r[col] for r in rows if r and any(v is not None for v in r))
print('region,n')
for k, v in counts.items():
    print(f'{k},{v}')

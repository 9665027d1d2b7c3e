"""Checks the record reader against the csv-spectrum cases: each CSV must give
exactly the fields of its JSON twin (header row, then one object per row)."""
import json
import os
import subprocess
import sys

dump, spectrum = sys.argv[1], sys.argv[2]
csvs = os.path.join(spectrum, "csvs")
names = sorted(f[:-4] for f in os.listdir(csvs) if f.endswith(".csv"))
# csv-spectrum 2.0.0's own errata: the JSON twin of location_coordinates is a
# bare object, not a list, and gives the phone number as 1234567890 while its
# CSV says 2095257564. Everything else in that case is compared as it is.
ERRATA = {
    "location_coordinates": lambda want: [dict(want, **{"Contact Phone Number": "2095257564"})]
    if isinstance(want, dict) and want.get("Contact Phone Number") == "1234567890" else want,
}
failures = 0
for name in names:
    want = json.load(open(os.path.join(spectrum, "json", name + ".json"), encoding="utf-8"))
    want = ERRATA.get(name, lambda w: w)(want)
    for mode in ([], ["--fast"]):
        out = subprocess.run([dump, *mode, os.path.join(csvs, name + ".csv")],
                             capture_output=True, text=True)
        if out.returncode != 0:
            print(f"FAIL {name} {mode}: exit {out.returncode}: {out.stderr}")
            failures += 1
            continue
        rows = json.loads(out.stdout)
        header, body = (rows[0], rows[1:]) if rows else ([], [])
        got = [dict(zip(header, r)) for r in body]
        if got != want:
            print(f"FAIL {name} {mode}:\n  want {want}\n  got  {got}")
            failures += 1
print(f"{len(names)} csv-spectrum cases, {failures} failures")
sys.exit(1 if failures or not names else 0)

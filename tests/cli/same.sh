# Every output scripts/same-outputs.sh keeps (the README's tables in every
# format, the 2023 report in four languages, the month report, the other
# services' reports, charts, workbooks) is what it was when its checksums
# were recorded in tests/data/same-outputs.sums: refactorings change no
# output. MJ_RECORD=1 records them again, for a change made on purpose.
. "$SRC/tests/cli/lib.sh"
SUMS=$SRC/tests/data/same-outputs.sums
"$SRC/scripts/same-outputs.sh" "$BUILD" "$TMP/o" || fail "same-outputs.sh failed"
if [ "${MJ_RECORD:-}" = 1 ]; then
  /usr/bin/python3 "$SRC/tests/same_sums.py" "$TMP/o" >"$SUMS" || fail "cannot record $SUMS"
  echo "recorded $(wc -l <"$SUMS") lines in $SUMS"
else
  /usr/bin/python3 "$SRC/tests/same_sums.py" "$TMP/o" --check "$SUMS" ||
    fail "outputs differ from tests/data/same-outputs.sums: run scripts/same-outputs.sh with the build before and after, and diff -r the folders"
fi
finish

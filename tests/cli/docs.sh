# Every program's --help and man page agree: each option --help lists is
# described in the man page, and each program's man page exists and parses.
. "$SRC/tests/cli/lib.sh"
for prog in mj-tab mj-check mj-chart mj-xlsx mj-report mj-audit mj-synth; do
  man=$SRC/doc/$prog.1
  [ -s "$man" ] || { fail "$prog: no man page $man"; continue; }
  expect_status 0 "$prog" --help
  grep -q "^usage: $prog" "$TMP/out" || fail "$prog --help does not begin with its usage"
  for opt in $(grep -oE -- '--[a-z][a-z-]+' "$TMP/out" | sort -u); do
    # Options are written \-\-name in roff.
    grep -qF -- "$(printf '%s' "$opt" | sed 's/-/\\-/g')" "$man" ||
      fail "$prog: --help lists $opt, which $prog(1) does not describe"
  done
  if command -v groff >/dev/null; then
    warn=$(groff -man -Tutf8 -ww "$man" 2>&1 >/dev/null | head -3)
    [ -z "$warn" ] || fail "$prog(1): groff warns: $warn"
  fi
done
finish

# Helpers for command-line tests: each check prints what failed and counts it.
set -u
: "${BUILD:?BUILD must name the build directory}" "${SRC:?SRC must name the source directory}"
PATH="$BUILD/cmd:$PATH"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
# expect_status WANT CMD...: runs CMD (stdout to $TMP/out, stderr to $TMP/err).
expect_status() {
  want=$1; shift
  "$@" >"$TMP/out" 2>"$TMP/err"
  got=$?
  [ "$got" -eq "$want" ] || fail "exit $got, wanted $want: $* ($(head -c 300 "$TMP/err"))"
}
expect_out() { grep -qF -- "$1" "$TMP/out" || fail "stdout lacks: $1"; }
expect_err() { grep -qF -- "$1" "$TMP/err" || fail "stderr lacks: $1"; }
expect_no() { ! grep -qF -- "$1" "$2" || fail "$2 holds: $1"; }
finish() { [ "$failures" -eq 0 ] && echo "ok" || { echo "$failures failures"; exit 1; }; }

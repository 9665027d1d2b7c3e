# Every example command in README.md and the man pages runs from a fresh
# build, and the output a man page shows is the output the program prints.
. "$SRC/tests/cli/lib.sh"
/usr/bin/python3 "$SRC/tests/examples.py" "$SRC" "$BUILD" "$TMP/work" ||
  fail "an example of README.md or doc/*.1 does not run as shown"
finish

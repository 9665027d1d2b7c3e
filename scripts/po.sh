#!/usr/bin/env bash
# Extracts the translatable messages of lib/ and cmd/ into a template
# (POT file, default po/murojaat.pot); with --update, merges it into each
# po/LANG.po. The messages are the formats given to mj_error_set() and the
# library's helpers that fill an error, and the texts marked MJ_(), MJ_N_()
# (library) and _(), N_() (programs).
# Usage: scripts/po.sh [--update] [POTFILE]
set -euo pipefail
cd "$(dirname "$0")/.."
update=0
if [ "${1:-}" = --update ]; then update=1; shift; fi
pot=${1:-po/murojaat.pot}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

common=(--from-code=UTF-8 --language=C --sort-by-file --no-wrap
        --package-name=murojaat --msgid-bugs-address=none
        --keyword=MJ_ --keyword=MJ_N_ --keyword=_ --keyword=N_
        --keyword=mj_error_set:6 --flag=mj_error_set:6:c-format
        --add-comments=TRANSLATORS:)
# Helpers named alike take their format at different places: one run each.
xgettext "${common[@]}" --keyword=fail:3 -o "$tmp/scan.pot" lib/read/scan.c
xgettext "${common[@]}" --keyword=fail:4 --flag=fail:4:c-format -o "$tmp/synth.pot" lib/tools/synth.c
xgettext "${common[@]}" --keyword=fail:5 --flag=fail:5:c-format -o "$tmp/xlsxread.pot" lib/read/xlsxread.c
xgettext "${common[@]}" --keyword=report:8 --flag=report:8:c-format -o "$tmp/record.pot" lib/read/record.c
xgettext "${common[@]}" --keyword=fail_at:4 --flag=fail_at:4:c-format -o "$tmp/schema.pot" lib/read/schema.c
others=()
for f in lib/*/*.c lib/*/*.h cmd/*.c cmd/*.h; do
  case $f in lib/read/scan.c|lib/tools/synth.c|lib/read/xlsxread.c|lib/read/record.c|lib/read/schema.c|lib/read/embed.c) ;;
  *) others+=("$f") ;;
  esac
done
xgettext "${common[@]}" -o "$tmp/others.pot" "${others[@]}"
parts=()
for p in "$tmp"/*.pot; do [ -s "$p" ] && parts+=("$p"); done
msgcat --use-first --no-wrap --sort-by-file -o "$pot" "${parts[@]}"
if [ $update = 1 ]; then
  for po in po/*.po; do
    msgmerge --quiet --update --backup=none --no-wrap "$po" "$pot"
  done
fi

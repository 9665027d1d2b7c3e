# Messages in the user's language (GNU gettext, text domain "murojaat"):
# the locale's variables and --lang choose it, outputs do not change with
# it, and every message of lib/ and cmd/ is translated in every catalogue.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv

# Runs a program with the locale variables given first (NAME=VALUE ...) and
# every other locale variable unset.
in_locale() {
  local vars=()
  while [ $# -gt 0 ] && [[ $1 == *=* ]]; do vars+=("$1"); shift; done
  env -u LC_ALL -u LC_MESSAGES -u LANG -u LANGUAGE "${vars[@]}" "$@"
}

# The error of an unknown dimension, in each language, by each way of
# saying it. Without the locale generated on the machine (see
# scripts/setup.sh), the programs still speak its language through
# LANGUAGE under C.UTF-8; both paths must give the same words.
for way in LANG LC_MESSAGES LC_ALL; do
  expect_status 2 in_locale "$way=ru_RU.UTF-8" mj-tab --by nosuch "$S"
  expect_err "mj-tab: неизвестное измерение 'nosuch' (допустимые: channel, region"
  expect_status 2 in_locale "$way=uz_UZ.UTF-8" mj-tab --by nosuch "$S"
  expect_err "mj-tab: nomaʼlum oʻlchov 'nosuch' (mavjudlari: channel, region"
  expect_status 2 in_locale "$way=uz_UZ.UTF-8@cyrillic" mj-tab --by nosuch "$S"
  expect_err "mj-tab: номаълум ўлчов 'nosuch' (мавжудлари: channel, region"
done
# A program run from its build tree (as the README runs build/cmd/mj-tab)
# finds the catalogues built beside it without MJ_LOCALEDIR.
expect_status 2 env -u MJ_LOCALEDIR -u LC_ALL -u LANGUAGE LANG=ru_RU.UTF-8 "$BUILD/cmd/mj-tab" --by nosuch "$S"
expect_err "mj-tab: неизвестное измерение 'nosuch'"
# LC_ALL wins over LANG; LANGUAGE (a list) over both, as in every C program.
expect_status 2 in_locale LANG=uz_UZ.UTF-8 LC_ALL=ru_RU.UTF-8 mj-tab --by nosuch "$S"
expect_err "неизвестное измерение"
expect_status 2 in_locale LANG=ru_RU.UTF-8 LANGUAGE=uz@cyrillic:ru mj-tab --by nosuch "$S"
expect_err "номаълум ўлчов"
expect_status 2 in_locale LANG=C.UTF-8 LANGUAGE=uz mj-tab --by nosuch "$S"
expect_err "nomaʼlum oʻlchov"
# The C locale, and a language without a catalogue, say it in English.
expect_status 2 in_locale LANG=C mj-tab --by nosuch "$S"
expect_err "mj-tab: unknown dimension 'nosuch' (one of: channel"
expect_status 2 in_locale LANG=de_DE.UTF-8 mj-tab --by nosuch "$S"
expect_err "unknown dimension 'nosuch'"
# --lang chooses the messages' language too, over the locale.
expect_status 2 in_locale LANG=C mj-tab --lang ru --by nosuch "$S"
expect_err "неизвестное измерение 'nosuch'"
expect_status 2 in_locale LANG=ru_RU.UTF-8 mj-tab --by nosuch --lang=uz-Cyrl "$S"
expect_err "номаълум ўлчов 'nosuch'"
expect_status 2 in_locale LANG=ru_RU.UTF-8 mj-tab --lang en --by nosuch "$S"
expect_err "unknown dimension 'nosuch'"
# Messages of the programs themselves, of the reading layer, and notes.
expect_status 2 in_locale LANG=ru_RU.UTF-8 mj-tab --by region --decimals 9 "$S"
expect_err "mj-tab: --decimals: ожидается число от 0 до 6, получено \"9\""
expect_status 2 in_locale LANG=uz_UZ.UTF-8 mj-chart -o "$TMP/c.png"
expect_err "mj-chart: diagramma turini ayting: bar, hbar"
printf 'date,region,violence,notes\n2023-01-05,Andijan,physical,x\n' >"$TMP/n.csv"
expect_status 0 in_locale LANG=ru_RU.UTF-8 mj-tab --format csv --by region "$TMP/n.csv"
expect_err "примечание: столбца 'notes' нет в схеме; он пропущен"
expect_err "строк прочитано: 1, учтено: 1, вне фильтров: 0, отклонено: 0"
printf 'date,region,violence\n2023-13-05,Andijan,physical\n' >"$TMP/bad.csv"
expect_status 1 in_locale LANG=uz_UZ.UTF-8@cyrillic mj-check "$TMP/bad.csv"
expect_err "bad.csv:2:1: 'date' устуни:"
expect_err "сана эмас"

# Every program's --help in the user's language: its usage line, then no
# line of the English help left (option names and examples stay as typed).
for prog in mj-audit mj-chart mj-check mj-report mj-synth mj-tab mj-xlsx; do
  expect_status 0 in_locale LANG=C "$prog" --help
  cp "$TMP/out" "$TMP/help-en"
  for spec in "ru_RU.UTF-8:Использование:" "uz_UZ.UTF-8:Foydalanish:" "uz_UZ.UTF-8@cyrillic:Фойдаланиш:"; do
    loc=${spec%%:*} word=${spec#*:}
    expect_status 0 in_locale LANG="$loc" "$prog" --help
    head -1 "$TMP/out" | grep -q "^$word $prog" || fail "$prog --help under $loc: $(head -1 "$TMP/out")"
    # English prose lines: those with three words of lower-case letters.
    grep -E '[a-z]{3,} [a-z]{3,} [a-z]{3,}' "$TMP/help-en" | grep -v 'mj-[a-z]* .*samples/' >"$TMP/prose"
    left=$(grep -xF -f "$TMP/prose" "$TMP/out" | head -2)
    [ -z "$left" ] || fail "$prog --help under $loc keeps English: $left"
  done
done
# mj-audit's findings and their count, in Russian and Uzbek.
# Their numbers as the language writes them: a Russian reader takes
# "10,927" for ten and a bit, so "10 927" and "14,1" (the JSON keeps 14.1).
nbsp=$(printf '\302\240')
expect_status 1 in_locale LANG=ru_RU.UTF-8 mj-audit "$SRC/samples/published-2023.csv"
expect_out "напечатано 14,1%"
expect_out "899 из 10${nbsp}927"
expect_no "10,927" "$TMP/out"
expect_out "находки (проверено: 1 файл"
expect_status 1 in_locale LANG=ru_RU.UTF-8 mj-audit -f json "$SRC/samples/published-2023.csv"
expect_out '"printed": "14.1"'
expect_status 1 in_locale LANG=uz_UZ.UTF-8 mj-audit "$SRC/samples/published-2023.csv"
expect_out "bosilgani 14,1%"
expect_status 1 in_locale LANG=uz_UZ.UTF-8@cyrillic mj-audit "$SRC/samples/published-2023.csv"
expect_out "та топилма (текширилди: 1 та файл"

# Only the messages follow the locale: the same table, byte for byte, in
# every locale (numbers keep their decimal point, labels their --lang).
for L in C ru_RU.UTF-8 uz_UZ.UTF-8@cyrillic; do
  in_locale LANG=$L mj-tab --format csv --by violence --percent total,valid "$S" \
    >"$TMP/t-$L.csv" 2>/dev/null || fail "mj-tab in $L"
done
cmp -s "$TMP/t-C.csv" "$TMP/t-ru_RU.UTF-8.csv" || fail "a ru_RU locale changes the CSV"
cmp -s "$TMP/t-C.csv" "$TMP/t-uz_UZ.UTF-8@cyrillic.csv" || fail "a uz locale changes the CSV"
grep -q '24\.8' "$TMP/t-ru_RU.UTF-8.csv" || fail "percents lost their decimal point under ru_RU"

# Every message in the sources has a translation in every catalogue, none
# fuzzy, and each keeps its format's conversions (msgfmt --check).
if command -v xgettext >/dev/null && command -v msgcmp >/dev/null; then
  "$SRC/scripts/po.sh" "$TMP/murojaat.pot" 2>"$TMP/xgettext.err" || fail "extracting messages: $(cat "$TMP/xgettext.err")"
  n=$(grep -c '^msgid ' "$TMP/murojaat.pot")
  [ "$n" -gt 300 ] || fail "only $n messages extracted from lib/ and cmd/"
  for po in "$SRC"/po/*.po; do
    lang=$(basename "$po" .po)
    grep -qx "$lang" "$SRC/po/LINGUAS" || fail "$lang.po is not in po/LINGUAS"
    msgcmp "$po" "$TMP/murojaat.pot" 2>"$TMP/cmp.err" ||
      fail "$lang.po lacks translations: $(head -c 600 "$TMP/cmp.err")"
    fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' || true)
    [ "$fuzzy" -eq 0 ] || fail "$lang.po has fuzzy entries"
    msgfmt --check -o /dev/null "$po" 2>"$TMP/fmt.err" || fail "$lang.po: $(head -c 600 "$TMP/fmt.err")"
    untrans=$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)
    [ "$untrans" -eq 0 ] || fail "$lang.po has $untrans untranslated entries"
  done
  for lang in $(cat "$SRC/po/LINGUAS"); do
    [ -f "$SRC/po/$lang.po" ] || fail "po/LINGUAS names $lang, which has no catalogue"
    [ -f "$BUILD/po/$lang/LC_MESSAGES/murojaat.mo" ] || fail "no built catalogue for $lang"
  done
  # Uzbek Latin writes oʻ and gʻ with U+02BB and the tutuq belgisi with
  # U+02BC: in every line of every translation (msgexec gives them whole).
  msgexec -i "$SRC/po/uz.po" sh -c 'cat; echo' >"$TMP/uz.msgstr"
  ! grep -nP "[A-Za-z]'[A-Za-z]|[^oOgG]\x{02BB}|[oOgG]\x{02BC}" "$TMP/uz.msgstr" >"$TMP/apos" ||
    fail "uz.po: ASCII or wrong apostrophe: $(head -3 "$TMP/apos")"
  # No Latin letter left in a Cyrillic word of uz@cyrillic or ru.
  for po in uz@cyrillic ru; do
    msgexec -i "$SRC/po/$po.po" sh -c 'cat; echo' >"$TMP/$po.msgstr"
    ! grep -nP '[\x{0400}-\x{04FF}][a-z]|(?<!%)[a-z][\x{0400}-\x{04FF}]' "$TMP/$po.msgstr" >"$TMP/mixed" ||
      fail "$po.po mixes scripts: $(head -3 "$TMP/mixed")"
  done
else
  fail "xgettext or msgcmp missing (gettext package): cannot check the catalogues"
fi
finish

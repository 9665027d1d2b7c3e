# Generated phrases agree with their numbers: the report's key figure
# "N обращение/обращения/обращений" for every Russian plural form (1, 21;
# 2-4, 22; 5-20, 11-14, 112), the singular after any number in Uzbek; old
# outcome labels still read; Uzbek Cyrillic months. The outcome sentences of
# the whole sample are checked in i18n_report.sh, which builds its reports.
. "$SRC/tests/cli/lib.sh"
S=$SRC/samples/appeals-2023.csv
command -v pdftotext >/dev/null || { fail "pdftotext missing"; finish; }

# key_noun PDF: the number of the first key figure and the word under it.
key_noun() {
  pdftotext -layout "$1" - | awk '
    /Основные показатели|Asosiy ko..?rsatkichlar|Асосий кўрсаткичлар|Key figures/ {on = 1; next}
    on && NF && !num {num = $1; next}
    on && NF && num {print num, $1; exit}'
}

for spec in 1:обращение 2:обращения 5:обращений 21:обращение 22:обращения 112:обращений; do
  n=${spec%%:*} noun=${spec#*:}
  head -n $((n + 1)) "$S" >"$TMP/n$n.csv"
  expect_status 0 mj-report --quiet --lang ru -o "$TMP/ru$n" "$TMP/n$n.csv"
  got=$(key_noun "$TMP/ru$n/report.pdf")
  [ "$got" = "$n $noun" ] || fail "ru key figure for $n: '$got', wanted '$n $noun'"
done
for spec in uz:21:murojaat uz-Cyrl:2:мурожаат en:1:appeal en:2:appeals; do
  IFS=: read -r lang n noun <<<"$spec"
  expect_status 0 mj-report --quiet --lang "$lang" -o "$TMP/$lang$n" "$TMP/n$n.csv"
  got=$(key_noun "$TMP/$lang$n/report.pdf")
  [ "$got" = "$n $noun" ] || fail "$lang key figure for $n: '$got', wanted '$n $noun'"
done

# Old outcome labels still read as the same categories.
printf 'date,region,violence,outcome\n2023-01-05,Andijan,physical,Размещена в центре\n2023-01-06,Andijan,physical,Markazga joylashtirildi\n2023-01-07,Andijan,physical,перенаправлена\n' >"$TMP/old.csv"
expect_status 0 mj-tab --format csv --by outcome "$TMP/old.csv"
expect_out "shelter,Placed in the centre,2,"
expect_out "referral,Referred,1,"

# Uzbek Cyrillic month names keep their soft sign (июль, not июл).
expect_status 0 mj-report --quiet --lang uz-Cyrl --month 2023-08 --compare previous -o "$TMP/uzc" "$S"
tr '\n' ' ' <"$TMP/uzc/summary.txt" | grep -qF "$(printf '2023\302\240йил июль ойига нисбатан')" || fail "uz-Cyrl: июль"
finish

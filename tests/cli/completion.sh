# Bash completion: the one script installed for every program completes
# options from each program's --help, dimension names from the schema (also
# one given with --schema on the line), category codes after --where DIM=,
# chart types and the fixed values --help lists; meson install puts it, and
# a name for each program, where bash-completion looks.
. "$SRC/tests/cli/lib.sh"
# shellcheck source=../../cmd/completion.bash
. "$SRC/cmd/completion.bash"

# comp WORD...: completes the last word as bash would; the candidates go to
# $TMP/comp, one a line.
comp() {
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMPREPLY=()
  _mj_complete 2>/dev/null
  printf '%s\n' "${COMPREPLY[@]}" >"$TMP/comp"
  line="$*"
}
has() { grep -qxF -- "$1" "$TMP/comp" || fail "'$line': no $1 among: $(tr '\n' ' ' <"$TMP/comp" | head -c 300)"; }
hasnt() { ! grep -qxF -- "$1" "$TMP/comp" || fail "'$line' offers $1"; }

complete -p mj-tab 2>/dev/null | grep -q _mj_complete || fail "mj-tab has no completion"
for prog in mj-tab mj-check mj-chart mj-xlsx mj-report mj-audit mj-synth; do
  complete -p "$prog" 2>/dev/null | grep -q _mj_complete || fail "$prog has no completion"
  comp "$prog" --
  has --help
  [ "$(wc -l <"$TMP/comp")" -ge 3 ] || fail "$prog: too few options"
done
comp mj-tab --b;          has --by
comp mj-report --min;     has --min-cell
comp mj-report --comp;    has --compare
comp mj-tab --by re;      has region
comp mj-tab --by "";      has violence; has age_group; has month; has place
comp mj-tab --by region,vi; has region,violence
comp mj-tab --cols gr;    has group
comp mj-tab --lang "";    has en; has ru; has uz; has uz-Cyrl
comp mj-tab --format j;   has json
comp mj-tab --missing ""; has include; has exclude
comp mj-tab --sheet "";   hasnt NAME; hasnt N
comp mj-tab --where reg;  has region=
comp mj-tab --where region=UZ-T; has region=UZ-TO; has region=UZ-TK; hasnt region=UZ-AN
comp mj-tab --where violence=physical,se; has violence=physical,sexual
comp mj-chart "";         has bar; has hbar; has sunburst; has map
comp mj-chart do;         has donut
comp mj-tab --schema "$SRC/samples/schema-gbvims.csv" --by inc; has incident
comp mj-tab --schema="$SRC/samples/schema-gbvims.csv" --by per; has perpetrator
comp mj-tab --by inc;     hasnt incident
comp mj-tab --by=vio;     has violence
# As bash splits words at '=': "--by=vio", "--where region=UZ-T".
comp mj-tab --by = vio;   has violence
comp mj-tab --lang =;     has uz-Cyrl
comp mj-tab --where region = UZ-T; has UZ-TO; has UZ-TK; hasnt UZ-AN
comp mj-tab --where region =; has UZ-QR
comp mj-tab --where violence = physical,ps; has physical,psychological

# meson install: the script and every program's name in completionsdir.
dest=$TMP/dest
if meson install -C "$BUILD" --destdir "$dest" --no-rebuild --quiet >"$TMP/install.log" 2>&1; then
  dir=$(find "$dest" -path '*/bash-completion/completions/mj-tab' -printf '%h\n' | head -1)
  [ -n "$dir" ] || fail "no completion for mj-tab installed"
  case $dir in
  */share/bash-completion/completions) ;;
  *) fail "completion installed in $dir" ;;
  esac
  for prog in mj-tab mj-check mj-chart mj-xlsx mj-report mj-audit mj-synth; do
    [ -f "$dir/$prog" ] || fail "no completion installed for $prog"
    cmp -s "$dir/$prog" "$SRC/cmd/completion.bash" || fail "$dir/$prog is not the completion script"
  done
  bash -n "$dir/mj-tab" || fail "the installed script does not parse"
else
  fail "meson install failed: $(tail -3 "$TMP/install.log")"
fi
finish

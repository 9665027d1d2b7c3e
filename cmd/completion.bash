# bash completion for murojaat's programs (mj-tab, mj-check, mj-chart, mj-xlsx,
# mj-report, mj-audit, mj-synth). Everything offered comes from the programs
# themselves, so it stays true as they change: options and their fixed values
# ("--lang en|ru|uz|uz-Cyrl") from PROGRAM --help, chart types from
# mj-chart --help, dimension names and category codes from
# mj-check --explain with the --schema given on the line (else the built-in
# schema). Installed once per program where bash-completion looks for it.

# The words of the line so far: the --schema FILE given on it, if any.
_mj_schema_arg()
{
    local i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        --schema) printf '%s\n' "${COMP_WORDS[i + 1]}"; return ;;
        --schema=*) printf '%s\n' "${COMP_WORDS[i]#--schema=}"; return ;;
        esac
    done
}

# The schema described by mj-check --explain (dimension lines "name — kind",
# category lines "  code  label | label | ...").
_mj_explain()
{
    local schema check
    schema=$(_mj_schema_arg)
    check=mj-check
    # The mj-check beside the program being completed, when it was run by path.
    [[ ${COMP_WORDS[0]} == */* ]] && check=${COMP_WORDS[0]%/*}/mj-check
    if [ -n "$schema" ]; then
        "$check" --explain --schema "${schema/#\~/$HOME}" 2>/dev/null
    else
        "$check" --explain 2>/dev/null
    fi
}

# Dimension names of the schema, one a line.
_mj_dims()
{
    _mj_explain | sed -n 's/^\([A-Za-z0-9_]*\) — .*/\1/p'
}

# Category codes of dimension $1, one a line.
_mj_codes()
{
    _mj_explain | awk -v dim="$1" '
        /^[^ ].* — / { split($0, f, " "); cur = f[1]; next }
        cur == dim && /^  [^ ]/ && / \| / && !/^  labels:/ { print $1 }'
}

# The program's options from its --help: every --name it mentions.
_mj_options()
{
    "${COMP_WORDS[0]}" --help 2>/dev/null | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

# The fixed values --help gives option $1 ("--lang en|ru|uz|uz-Cyrl"), one a
# line, without placeholders in capitals ("--sheet NAME|N"); nothing when it
# names no list.
_mj_choices()
{
    "${COMP_WORDS[0]}" --help 2>/dev/null |
        grep -oE -- "(^|[ ,\[])$1[ =][A-Za-z0-9_.-]+(\|[A-Za-z0-9_.-]+)+" |
        head -n 1 | sed -E "s/^.*$1[ =]//" | tr '|' '\n' | grep -v '^[A-Z]*$'
}

_mj_complete()
{
    local cur prev prog
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    prog=${COMP_WORDS[0]##*/}
    COMPREPLY=()

    # "--opt=value" is completed as "--opt value". Bash splits the line at
    # '=' too (COMP_WORDBREAKS), so "--by=vio" may come as "--by" "=" "vio",
    # and "--where region=UZ" as "--where" "region" "=" "UZ".
    local eq=-1 where_dim=
    if [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        cur=${cur#*=}
    elif [ "$cur" = = ]; then
        eq=$COMP_CWORD
        cur=
    elif [ "$prev" = = ]; then
        eq=$((COMP_CWORD - 1))
    fi
    if [ "$eq" -ge 2 ]; then
        prev=${COMP_WORDS[eq - 1]}
        if [[ $prev != -* ]] && [ "${COMP_WORDS[eq - 2]}" = --where ]; then
            where_dim=$prev
            prev=--where
        fi
    fi

    # mj-chart's first argument is the chart type.
    if [ "$prog" = mj-chart ] && [ "$COMP_CWORD" -eq 1 ] && [[ $cur != -* ]]; then
        local types
        types=$("${COMP_WORDS[0]}" --help 2>/dev/null |
            sed -n 's/^TYPE is \(.*\)/\1/p' | head -n 1 |
            sed 's/ (.*//; s/,//g; s/ or / /')
        COMPREPLY=($(compgen -W "$types" -- "$cur"))
        return
    fi

    case $prev in
    --by | --cols | --sum | --weight | --of | -b)
        # A comma-separated list: complete its last name.
        local head=${cur%"${cur##*,}"} last=${cur##*,}
        COMPREPLY=($(compgen -P "$head" -W "$(_mj_dims)" -- "$last"))
        compopt -o nospace 2>/dev/null
        return
        ;;
    --where)
        if [ -n "$where_dim" ]; then
            local head=${cur%"${cur##*,}"} last=${cur##*,}
            COMPREPLY=($(compgen -P "$head" -W "$(_mj_codes "$where_dim")" -- "$last"))
        elif [[ $cur == *=* ]]; then
            local dim=${cur%%=*} vals=${cur#*=}
            local head=${vals%"${vals##*,}"} last=${vals##*,}
            COMPREPLY=($(compgen -P "$dim=$head" -W "$(_mj_codes "$dim")" -- "$last"))
        else
            COMPREPLY=($(compgen -S = -W "$(_mj_dims)" -- "$cur"))
        fi
        compopt -o nospace 2>/dev/null
        return
        ;;
    -o | --output | --schema | --population | --rejects | --against | --spec | --fix)
        COMPREPLY=($(compgen -f -- "$cur"))
        compopt -o filenames 2>/dev/null
        return
        ;;
    --*)
        local choices
        choices=$(_mj_choices "$prev")
        if [ -n "$choices" ]; then
            COMPREPLY=($(compgen -W "$choices" -- "$cur"))
            return
        fi
        ;;
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_mj_options)" -- "$cur"))
        return
    fi
    COMPREPLY=($(compgen -f -- "$cur"))
    compopt -o filenames 2>/dev/null
}

complete -F _mj_complete mj-tab mj-check mj-chart mj-xlsx mj-report mj-audit mj-synth

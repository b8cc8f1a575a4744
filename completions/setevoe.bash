# bash completion for setevoe                                -*- shell-script -*-
#
# Every candidate comes from the binary itself:
#   setevoe __complete -- WORD... CURRENT
# prints one candidate a line, "value<TAB>description"; a line "__files__"
# asks for file names. All the words typed so far are passed, so a global
# --db PATH given earlier chooses the database that ids are read from.
#
# Install as /usr/share/bash-completion/completions/setevoe, or source it
# from ~/.bashrc.

_setevoe()
{
    local cur cword
    local -a words
    if declare -F _get_comp_words_by_ref >/dev/null 2>&1; then
        # bash-completion: join words that bash split at ':' (COMP_WORDBREAKS).
        _get_comp_words_by_ref -n : -w words -i cword -c cur
    else
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
        cur=${COMP_WORDS[COMP_CWORD]}
    fi

    # bash splits "--opt=value" into "--opt" "=" "value"; "--opt value" means
    # the same to setevoe, so the "=" words are simply left out.
    local -a args=()
    local i
    for ((i = 1; i < cword; i++)); do
        [[ ${words[i]} == "=" ]] && continue
        # bash leaves a typed tilde unexpanded in the words: --db ~/school.db
        if [[ ${words[i]} == "~/"* ]]; then
            args+=("$HOME/${words[i]#"~/"}")
        else
            args+=("${words[i]}")
        fi
    done
    [[ $cur == "=" ]] && cur=""

    local cmd=${words[0]:-setevoe}
    # A path typed with a tilde is not expanded by bash inside COMP_WORDS.
    [[ $cmd == "~/"* ]] && cmd=$HOME/${cmd#"~/"}
    command -v -- "$cmd" >/dev/null 2>&1 || cmd=setevoe

    local out
    out=$("$cmd" __complete -- "${args[@]}" "$cur" 2>/dev/null) || return 0

    COMPREPLY=()
    local line value files=0
    local -A seen=()
    while IFS= read -r line; do
        [[ -z $line ]] && continue
        if [[ $line == "__files__" ]]; then
            files=1
            continue
        fi
        value=${line%%$'\t'*}
        [[ -n ${seen[$value]+x} ]] && continue
        seen[$value]=1
        COMPREPLY+=("$value")
    done <<<"$out"

    if ((files)); then
        compopt -o filenames 2>/dev/null
        local f
        while IFS= read -r f; do
            [[ -n $f ]] && COMPREPLY+=("$f")
        done < <(compgen -f -- "$cur")
    fi

    if declare -F __ltrim_colon_completions >/dev/null 2>&1; then
        __ltrim_colon_completions "$cur"
    fi
    return 0
}

complete -F _setevoe setevoe

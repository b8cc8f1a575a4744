# fish completion for setevoe.
#
# Every candidate comes from the binary itself:
#   setevoe __complete -- WORD... CURRENT
# prints one candidate a line, "value<TAB>description" (fish shows the
# description as it is); a line "__files__" asks for file names. All the words
# typed so far are passed, so a global --db PATH given earlier chooses the
# database that ids are read from.
#
# Install as /usr/share/fish/vendor_completions.d/setevoe.fish.

function __setevoe_complete
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l cmd $tokens[1]
    set -e tokens[1]
    # fish leaves a typed tilde unexpanded in the tokens: --db ~/school.db
    set tokens (string replace -r -- '^~/' "$HOME/" $tokens)
    if not command -q -- $cmd; and not test -x "$cmd"
        set cmd setevoe
    end

    # "--opt=value" is completed as the value of --opt; the candidates keep
    # the "--opt=" in front, as fish matches them against the whole token.
    set -l lead ''
    if string match -qr -- '^--[^=]+=' $cur
        set lead (string replace -r -- '=.*' '=' $cur)
        set -a tokens (string replace -r -- '=.*' '' $cur)
        set cur (string replace -r -- '^[^=]*=' '' $cur)
    end

    set -l seen
    for line in ($cmd __complete -- $tokens $cur 2>/dev/null)
        test -n "$line"; or continue
        if test "$line" = __files__
            for f in (__fish_complete_path $cur)
                printf '%s%s\n' $lead $f
            end
            continue
        end
        set -l value (string split -m 1 \t -- $line)[1]
        contains -- $value $seen; and continue
        set -a seen $value
        printf '%s%s\n' $lead $line
    end
end

complete -c setevoe -f -a '(__setevoe_complete)'

# bash completion for perfcmp                              -*- shell-script -*-
# Installed by 'make install' as BASHCOMPDIR/perfcmp (bash-completion loads
# it on first use); or source it from ~/.bashrc.
#
# It asks perfcmp itself: the commands come from 'perfcmp --help', each
# command's options from 'perfcmp COMMAND --help', the baseline names from
# 'perfcmp [--db PATH] baseline list --format=json' (with the --db,
# --dir or --baseline-dir on the command line), so it follows the installed
# version and never writes anything.  It needs nothing but bash.

# _perfcmp_run ARGS...: the perfcmp being completed, quiet on errors.
_perfcmp_run()
{
    local prog=${COMP_WORDS[0]}
    prog=${prog/#\~/$HOME}
    command -v "$prog" >/dev/null 2>&1 || prog=perfcmp
    "$prog" "$@" 2>/dev/null
}

_perfcmp_commands()
{
    _perfcmp_run --help | awk '/^Commands:/ { on = 1; next } on && !NF { exit } on { print $1 }'
}

# Options named in a help text: --long, --long[=, -s.
_perfcmp_options()
{
    _perfcmp_run "$@" --help | grep -oE -- '(^|[^A-Za-z0-9-])--?[A-Za-z][A-Za-z0-9-]*' |
        sed 's/^[^-]*//' | sort -u
}

# The values of --format that 'perfcmp COMMAND --help' names.
_perfcmp_formats()
{
    local line
    line=$(_perfcmp_run "$@" --help | grep -m1 -E -- '--format[= ][A-Za-z|]+([] ]|$)')
    case $line in
        *--format=*\|*) line=${line#*--format=}; line=${line%%[] ]*}; printf '%s\n' ${line//|/ } ;;
        *) line=${line#*--format[= ]FMT}
           printf '%s\n' $line | tr -d '(),' | grep -vxE 'default|or|' ;;
    esac
}

# Subcommands: the lower-case words after 'perfcmp COMMAND' in its usage
# lines ('baseline save', 'plot trend', ...).
_perfcmp_subcommands()
{
    _perfcmp_run "$1" --help | sed -n "s/^\(usage:\)\{0,1\} *perfcmp $1 \([a-z][a-z-]*\).*/\2/p" | sort -u
}

_perfcmp_baselines()
{
    local i w db= dir=
    for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
            --db|--dir|--baseline-dir)
                if [[ ${COMP_WORDS[i+1]} == = ]]; then
                    [[ $w == --db ]] && db=${COMP_WORDS[i+2]} || dir=${COMP_WORDS[i+2]}
                else
                    [[ $w == --db ]] && db=${COMP_WORDS[i+1]} || dir=${COMP_WORDS[i+1]}
                fi ;;
        esac
    done
    _perfcmp_run ${db:+--db "$db"} baseline list ${dir:+--dir "$dir"} --format=json |
        grep -oE '"name": *"[^"]*"' | sed 's/^"name": *"//; s/"$//'
}

_perfcmp()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev= cmd= sub= i w
    COMPREPLY=()
    # 'perfcmp --format=js': bash splits at '=', so the option is two back
    if [[ $cur == = ]]; then
        cur= prev=${COMP_WORDS[COMP_CWORD-1]}
    elif ((COMP_CWORD >= 2)) && [[ ${COMP_WORDS[COMP_CWORD-1]} == = ]]; then
        prev=${COMP_WORDS[COMP_CWORD-2]}
    elif ((COMP_CWORD >= 1)); then
        prev=${COMP_WORDS[COMP_CWORD-1]}
    fi

    # the command and, for 'baseline' and 'plot', its subcommand
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
            --) [[ -n $cmd ]] && return 0 ;;
            --db) [[ -z $cmd ]] && ((i++)) ;;
            -*|=) ;;
            *) if [[ -z $cmd ]]; then
                   [[ ${COMP_WORDS[i-1]} == --db || ${COMP_WORDS[i-1]} == = ]] || cmd=$w
               elif [[ -z $sub ]]; then
                   sub=$w
               fi ;;
        esac
    done

    case $prev in
        --db|-o|--output|--out)
            return 0 ;;   # file names: complete -o default
        --html|--dir|--baseline-dir)
            compopt -o filenames 2>/dev/null || :
            COMPREPLY=($(compgen -d -- "$cur")); return 0 ;;
        --baseline|--save-baseline)
            COMPREPLY=($(compgen -W "$(_perfcmp_baselines)" -- "$cur"))
            if [[ $prev == --baseline ]]; then
                compopt -o filenames 2>/dev/null || :
                COMPREPLY+=($(compgen -f -X '!*.json' -- "$cur") $(compgen -d -- "$cur"))
            fi
            return 0 ;;
        --format)
            [[ -n $cmd ]] && COMPREPLY=($(compgen -W "$(_perfcmp_formats "$cmd")" -- "$cur"))
            return 0 ;;
        --metric)
            COMPREPLY=($(compgen -W "wall_time cpu_time peak_rss instructions allocs all" -- "$cur"))
            return 0 ;;
    esac

    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W "$(_perfcmp_options)" -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(_perfcmp_commands)" -- "$cur"))
        fi
        return 0
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_perfcmp_options "$cmd")" -- "$cur"))
        return 0
    fi
    if [[ -z $sub ]]; then
        local subs
        subs=$(_perfcmp_subcommands "$cmd")
        if [[ -n $subs ]]; then
            COMPREPLY=($(compgen -W "$subs" -- "$cur"))
            return 0
        fi
    fi
    # 'baseline show NAME', 'baseline delete NAME', 'baseline save NAME'
    if [[ $cmd == baseline && $sub != import && $sub != list ]]; then
        COMPREPLY=($(compgen -W "$(_perfcmp_baselines)" -- "$cur"))
    fi
    # anything else: file names (complete -o default)
    return 0
}

complete -o default -o bashdefault -F _perfcmp perfcmp

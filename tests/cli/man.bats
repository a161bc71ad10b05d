#!/usr/bin/env bats
# The man pages say what --help says: they are made from it at build time
# (scripts/gen-man.sh), and these tests check the result, page by page,
# for every command 'perfcmp --help' lists (so a new command is checked
# without a change here).  docs/cli.md and docs/library.md are written by
# hand: every option of a --help must be named there too.

load helpers

MAN=$PERFCMP_ROOT/$BUILD/man

# The built perfcmp itself, not $PERFCMP_BIN: these tests read help texts
# and are about packaging; under make test-valgrind they would only be
# slower (memory errors are the other tests' business).
PERFCMP_BIN=$PERFCMP_ROOT/$BUILD/perfcmp

commands() {
    perfcmp --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'
}

# The options a help text (stdin) names: --long and -s.
options() {
    grep -oE -- '(^|[^A-Za-z0-9-])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[^-]*//' | sort -u
}

# A page's words without roff's font changes and escapes.
text_of() {
    sed -e 's/\\f[BIRP]//g' -e 's/\\&//g' -e 's/\\-/-/g' -e 's/\\\\/\\/g' "$1"
}

# missing_in FILE: the words on stdin (options, names) that FILE does not
# have as a word of its own.
missing_in() {
    sort -u > want
    grep -oE -- '[A-Za-z0-9_-]+' "$1" | sort -u > have
    comm -23 want have
}

@test "every command has a man page naming every option of its --help" {
    local c n=0
    for c in $(commands); do
        [ -s "$MAN/perfcmp-$c.1" ] || { echo "no page perfcmp-$c.1" >&2; return 1; }
        text_of "$MAN/perfcmp-$c.1" > page
        perfcmp "$c" --help | options | missing_in page > missing
        [ ! -s missing ] || { echo "perfcmp-$c.1 lacks: $(cat missing)" >&2; return 1; }
        grep -q "^perfcmp-$c \\\\- " page || grep -q "^perfcmp-$c - " page ||
            { echo "perfcmp-$c.1 has no NAME line" >&2; return 1; }
        n=$((n + 1))
    done
    [ "$n" -ge 12 ]
}

@test "perfcmp(1) has the global options and points to every command's page" {
    text_of "$MAN/perfcmp.1" > page
    perfcmp --help | options | missing_in page > missing
    [ ! -s missing ] || { echo "perfcmp.1 lacks: $(cat missing)" >&2; return 1; }
    local c
    for c in $(commands); do
        grep -q "perfcmp-$c(1)" page || { echo "perfcmp.1 does not name perfcmp-$c(1)" >&2; return 1; }
    done
    grep -q 'PERFCMP_DB' page
    grep -q '^\.TH "perfcmp" "1"' "$MAN/perfcmp.1"
}

@test "a page keeps the words of its --help: the description and the exit status" {
    text_of "$MAN/perfcmp-compare.1" > page
    grep -q '^\.SH EXIT STATUS' page
    grep -q 'Mann-Whitney U test' page
    grep -q 'perfcmp compare \[RUN|FILE\]' page
    # the usage lines of a command with several are all in SYNOPSIS
    text_of "$MAN/perfcmp-baseline.1" > page
    [ "$(grep -c '^perfcmp baseline [a-z]' page)" -ge 5 ]
}

@test "libperfcmp(3) names every public function and macro of perfcmp.h, and every bench flag" {
    local h=$PERFCMP_ROOT/include/perfcmp.h
    text_of "$MAN/libperfcmp.3" > page
    {
        # functions, without the library's own trailing-underscore ones
        grep -oE '(PERFCMP_API|static inline) [^(]*\b(perfcmp_[a-z_]*[a-z])\(' "$h" |
            grep -oE 'perfcmp_[a-z_]*[a-z]\($' | tr -d '('
        # macros, less the header's own helpers
        grep -oE '^#define (PERFCMP|perfcmp)_[A-Za-z_]*[A-Za-z]\b' "$h" | cut -d' ' -f2 |
            grep -vxE 'PERFCMP_(H|API|CAT|STR|COMPILER_NAME|COMPILER_VERSION|CFLAGS_STRING)'
        grep -oE 'PERFCMP_(LOWER|HIGHER)_IS_BETTER' "$h"
    } | sort -u > names
    [ "$(wc -l < names)" -ge 30 ]
    missing_in page < names > missing
    [ ! -s missing ] || { echo "libperfcmp.3 lacks: $(cat missing)" >&2; return 1; }
    "$EXAMPLES/hello" --help | options | missing_in page > missing
    [ ! -s missing ] || { echo "libperfcmp.3 lacks the bench flags: $(cat missing)" >&2; return 1; }
}

@test "docs/cli.md names every option of every command's --help, docs/library.md every bench flag" {
    local c
    for c in "" $(commands); do
        # shellcheck disable=SC2086
        perfcmp $c --help | options | missing_in "$PERFCMP_ROOT/docs/cli.md" > missing
        [ ! -s missing ] || { echo "docs/cli.md lacks, of perfcmp $c: $(cat missing)" >&2; return 1; }
    done
    "$EXAMPLES/hello" --help | options | missing_in "$PERFCMP_ROOT/docs/library.md" > missing
    [ ! -s missing ] || { echo "docs/library.md lacks: $(cat missing)" >&2; return 1; }
}

@test "the page generator turns a help text of any shape into pages scdoc accepts" {
    command -v scdoc >/dev/null || skip "scdoc is not installed"
    # a help text with roff and scdoc specials at the starts of lines
    printf '%s\n' 'usage: perfcmp x [--a=N] *_\' '' '.TH not a request' "'neither" \
        '- not a list' '# not a heading' '[not a table]' '' 'Options:' \
        '  --a N       a *b* _c_ \d' '  --long-option-alone' '                    its text' \
        '  --dot       .starts' '' 'Exit status: 0 fine.' > help.txt
    awk -f "$PERFCMP_ROOT/scripts/help2scd.awk" < help.txt > body.scd
    { printf 'x(1)\n\n# NAME\n\nx - y\n\n'; cat body.scd; } | scdoc > x.1
    text_of x.1 > page
    # (bats does not fail a test on a '!' command: hence the 'if')
    if grep -E '^[.'"'"'](TH not|neither|starts)' x.1; then false; fi
    grep -q '^\.TH not a request .neither - not a list # not a heading \[not a table\]$' page
    grep -q 'perfcmp x \[--a=N\] \*_\\$' page
    grep -q '^a \*b\* _c_ \\d$' page
    grep -q '^--long-option-alone$' page
    grep -q '^its text$' page
    grep -q '^\.starts$' page
    grep -q '^\.SH EXIT STATUS' x.1
}

#!/bin/sh
# Makes the man pages from the programs' own --help, so that --help and
# the pages cannot drift apart:
#   perfcmp(1)          docs/man/perfcmp.1.scd.in + 'perfcmp --help'
#   perfcmp-CMD(1)      docs/man/perfcmp-command.1.scd.in + 'perfcmp CMD --help',
#                       one for every command 'perfcmp --help' lists
#   libperfcmp(3)       docs/man/libperfcmp.3.scd.in + a bench binary's --help
# The help texts become scdoc by scripts/help2scd.awk; scdoc(1) writes roff.
#
#   scripts/gen-man.sh PERFCMP BENCH_BINARY OUTDIR
set -eu
perfcmp=$1 bench=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
man=$here/../docs/man
command -v scdoc >/dev/null 2>&1 || {
    echo "gen-man: scdoc is missing (apt-get install scdoc, or: sudo scripts/install-deps.sh)" >&2
    exit 2
}
version=$("$perfcmp" --version | cut -d' ' -f2)
mkdir -p "$out"
rm -f "$out"/*.1 "$out"/*.3 "$out"/*.scd
tmp=$out/.help

# fill TEMPLATE NAME VALUE...: replaces each line @NAME@ with the file
# $tmp.NAME, and @COMMAND@, @SUMMARY@, @VERSION@ inside lines.
fill() {
    GEN_COMMAND=$2 GEN_SUMMARY=$3 GEN_VERSION=$version GEN_TMP=$tmp awk '
        function rep(s, from, to,    i, r) {
            r = ""
            while ((i = index(s, from)) > 0) {
                r = r substr(s, 1, i - 1) to
                s = substr(s, i + length(from))
            }
            return r s
        }
        /^@[A-Z]+@$/ { f = ENVIRON["GEN_TMP"] "." substr($0, 2, length($0) - 2)
                       while ((getline l < f) > 0) print l
                       close(f); next }
        { $0 = rep($0, "@COMMAND@", ENVIRON["GEN_COMMAND"])
          $0 = rep($0, "@SUMMARY@", ENVIRON["GEN_SUMMARY"])
          print rep($0, "@VERSION@", ENVIRON["GEN_VERSION"]) }
    ' "$1"
}

page() { # page NAME SECTION: scdoc from $out/NAME.SECTION.scd
    scdoc < "$out/$1.$2.scd" > "$out/$1.$2.tmp" && mv "$out/$1.$2.tmp" "$out/$1.$2"
}

# perfcmp(1) and the commands it lists
"$perfcmp" --help > "$tmp.txt"
awk -f "$here/help2scd.awk" < "$tmp.txt" > "$tmp.HELP"
commands=$(sed -n '/^Commands:/,/^$/p' "$tmp.txt" | awk 'NR > 1 && NF { print $1 }')
[ -n "$commands" ] || { echo "gen-man: 'perfcmp --help' lists no commands" >&2; exit 2; }
printf '%s\n' $commands | sed 's/.*/*perfcmp-&*(1)/' | paste -sd, - | sed 's/,/, /g; s/$/./' > "$tmp.COMMANDS"
fill "$man/perfcmp.1.scd.in" "" "" > "$out/perfcmp.1.scd"
page perfcmp 1
for c in $commands; do
    summary=$(sed -n '/^Commands:/,/^$/p' "$tmp.txt" | awk -v c="$c" '$1 == c { $1 = ""; sub(/^ +/, ""); print; exit }' |
        sed 's/[\\*_]/\\&/g')
    "$perfcmp" "$c" --help > "$tmp.txt.$c"
    awk -f "$here/help2scd.awk" < "$tmp.txt.$c" > "$tmp.HELP"
    fill "$man/perfcmp-command.1.scd.in" "$c" "$summary" > "$out/perfcmp-$c.1.scd"
    page "perfcmp-$c" 1
done

# libperfcmp(3): the bench binary's flags from its --help
"$bench" --help | awk -v synopsis=0 -f "$here/help2scd.awk" |
    sed '/^# /d' > "$tmp.BENCHHELP"
fill "$man/libperfcmp.3.scd.in" "" "" > "$out/libperfcmp.3.scd"
page libperfcmp 3
rm -f "$tmp".* "$out"/*.scd

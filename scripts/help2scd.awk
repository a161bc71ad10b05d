# help2scd.awk - turns a command's --help text into scdoc (scdoc(5)) text,
# so that the man pages are made from the same words as --help.
#
#   awk -f scripts/help2scd.awk [-v synopsis=0] < help.txt
#
# The usage lines become a SYNOPSIS section (kept as they are); the text
# before the first list becomes DESCRIPTION; a line 'Options:' (any
# capitalised words and a colon) starts a section of that name; an
# 'Exit status:' paragraph starts EXIT STATUS.  A list entry is an indented
# line with its term, two spaces or more and its description, or a term
# alone followed by more deeply indented lines; option names in a term
# are set in bold.  Anything else is a paragraph.  Nothing is dropped, so
# a help text of a shape not foreseen here still reads right.

function esc(s,    r, i, c) {
    r = inline(s)
    # characters that mean something at the start of a scdoc line
    if (r ~ /^[-.#|:[;'`]/ || r ~ /^[0-9]+\. /)
        r = "\\" r
    return r
}

function inline(s,    r, i, c) {
    r = ""
    for (i = 1; i <= length(s); i++) {
        c = substr(s, i, 1)
        if (c == "\\" || c == "*" || c == "_")
            r = r "\\" c
        else
            r = r c
    }
    return r
}

# A term with its option names in bold: "-o, --output FILE".
function term(s,    r, t) {
    s = inline(s)
    r = ""
    while (match(s, /(^|[^A-Za-z0-9-])--?[A-Za-z][A-Za-z0-9-]*/)) {
        t = substr(s, RSTART, RLENGTH)
        if (substr(t, 1, 1) != "-") {
            r = r substr(s, 1, RSTART) "*" substr(t, 2) "*"
        } else {
            r = r substr(s, 1, RSTART - 1) "*" t "*"
        }
        s = substr(s, RSTART + RLENGTH)
    }
    r = r s
    if (r ~ /^[-.#|:[;'`]/)
        r = "\\" r
    return r
}

# Prints the paragraph collected so far, as one line (scdoc joins the
# lines of a paragraph anyway, and a line of the help that begins with '.'
# or '-' is then no roff request or list item).
# One that begins with '.' or a quote would be a roff request even so:
# it is kept as a literal block, where scdoc protects it.
function flush() {
    if (buf ~ /^[.']/)
        printf "```\n%s\n```\n\n", lit(buf)
    else if (buf != "")
        printf "%s\n\n", esc(buf)
    buf = ""
}

# Text for a literal block: only the backslash is special there.
function lit(s,    r, i) {
    r = ""
    while ((i = index(s, "\\")) > 0) {
        r = r substr(s, 1, i) "\\"
        s = substr(s, i + 1)
    }
    return r s
}

function section(name) {
    flush()
    if (name == cur) return
    printf "# %s\n\n", name
    cur = name
}

function indent_of(s) {
    match(s, /^ */)
    return RLENGTH
}

BEGIN { if (synopsis == "") synopsis = 1 }

{ sub(/\r$/, ""); line[++n] = $0 }

END {
    i = 1
    # SYNOPSIS: "usage: ..." and the lines after it up to a blank line
    if (n > 0 && line[1] ~ /^usage: /) {
        if (synopsis) {
            section("SYNOPSIS")
            print "```"
        }
        for (; i <= n && line[i] != ""; i++) {
            s = line[i]
            if (s ~ /^usage: /) s = substr(s, 8)
            else if (s ~ /^       /) s = substr(s, 8)
            if (synopsis) print lit(s)
        }
        if (synopsis) {
            print "```"
            print ""
        }
    }
    entries = 0
    for (; i <= n; i++) {
        s = line[i]
        if (s == "") {
            flush()
            continue
        }
        if (s ~ /^[A-Za-z][A-Za-z ]*:$/) {
            section(toupper(substr(s, 1, length(s) - 1)))
            continue
        }
        if (s ~ /^Exit status: /) {
            section("EXIT STATUS")
            s = substr(s, 14)
        }
        ind = indent_of(s)
        # a list entry: indented, or a lower-case word and a colon at the
        # start of a line whose description goes on below, indented
        col0 = s ~ /^[a-z][a-z-]*: / && i < n && indent_of(line[i + 1]) > 1
        if ((ind >= 1 && ind <= 4) || col0) {
            flush()
            if (col0 && (cur == "" || cur == "SYNOPSIS"))
                section("DESCRIPTION")
            else if (cur == "" || cur == "SYNOPSIS" || (cur == "DESCRIPTION" && !entries))
                section(s ~ /^ *-/ ? "OPTIONS" : (s ~ /^ *[a-z]/ ? "COMMANDS" : "DESCRIPTION"))
            entries = 1
            body = substr(s, ind + 1)
            if (col0) {
                t = substr(body, 1, index(body, ":"))
                d = substr(body, index(body, ":") + 1)
                sub(/^ +/, "", d)
            } else if (match(body, /  +/)) {
                t = substr(body, 1, RSTART - 1)
                d = substr(body, RSTART + RLENGTH)
            } else {
                t = body
                d = ""
            }
            # continuation lines: indented deeper than the entry
            while (i < n && line[i + 1] != "" && indent_of(line[i + 1]) > ind + 1) {
                i++
                c = line[i]
                sub(/^ +/, "", c)
                d = d == "" ? c : d " " c
            }
            print term(t)
            if (d ~ /^[.']/)
                printf "\t```\n\t%s\n\t```\n", lit(d)
            else if (d != "")
                print "\t" inline(d)
            print ""
            continue
        }
        if (cur == "" || cur == "SYNOPSIS")
            section("DESCRIPTION")
        sub(/^ +/, "", s)
        buf = buf == "" ? s : buf " " s
    }
    flush()
}

#!/usr/bin/env bats
# perfcmp report --html: a static, self-contained report directory.
# (tests/browser/report.bats opens it in a real headless browser.)

load helpers

GEN=$PERFCMP_ROOT/tests/cli/gen_history.py

record_history() {
    python3 "$GEN" "$WORK/data" --runs 20 --bench sort/1024 --flat hash/64 --step 12:30 "$@"
    perfcmp record -q "$WORK"/data/run-*.json >/dev/null
}

# Parses $1 (HTML) with Python's html.parser into JSON on stdout: the
# verdict rows, the img sources, the h3 names, whether any <script>,
# <link> or remote URL appears, and the text of some elements.
parse_report() {
    python3 - "$1" <<'EOF'
import json, sys
from html.parser import HTMLParser

class P(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows, self.imgs, self.h3, self.tags = [], [], [], []
        self.row = None; self.cell = None; self.in_h3 = None; self.remote = False
        self.h2 = []; self.in_h2 = None; self.summary = []; self.in_summary = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        for v in a.values():
            if v and ("http:" in v or "https:" in v or v.startswith("//")):
                self.remote = True
        if tag == "tr" and (a.get("class") or "").startswith("v-"):
            self.row = {"class": a["class"][2:], "cells": []}
        if tag == "td" and self.row is not None:
            self.cell = ""
        if tag == "img":
            self.imgs.append({"src": a.get("src"), "alt": a.get("alt")})
        if tag == "h3":
            self.in_h3 = ""
        if tag == "h2":
            self.in_h2 = ""
        if tag == "p" and a.get("class") == "summary":
            self.in_summary = ""
    def handle_endtag(self, tag):
        if tag == "td" and self.row is not None and self.cell is not None:
            self.row["cells"].append(self.cell.strip()); self.cell = None
        if tag == "tr" and self.row is not None:
            self.rows.append(self.row); self.row = None
        if tag == "h3" and self.in_h3 is not None:
            self.h3.append(self.in_h3); self.in_h3 = None
        if tag == "h2" and self.in_h2 is not None:
            self.h2.append(self.in_h2); self.in_h2 = None
        if tag == "p" and self.in_summary is not None:
            self.summary.append(self.in_summary); self.in_summary = None
    def handle_data(self, d):
        if self.cell is not None: self.cell += d
        if self.in_h3 is not None: self.in_h3 += d
        if self.in_h2 is not None: self.in_h2 += d
        if self.in_summary is not None: self.in_summary += d

p = P()
p.feed(open(sys.argv[1], encoding="utf-8").read())
print(json.dumps({"rows": p.rows, "imgs": p.imgs, "h3": p.h3, "h2": p.h2,
                  "summary": p.summary, "remote": p.remote,
                  "script": "script" in p.tags or "link" in p.tags,
                  "tags": sorted(set(p.tags))}))
EOF
}

@test "report writes index.html with the verdict table and SVG charts" {
    record_history
    perfcmp baseline save --run 3 >/dev/null
    run perfcmp report --html out
    [ "$status" -eq 0 ]
    [ "$output" = "wrote 'out/index.html' and 3 charts" ]
    [ -f out/index.html ] && [ -f out/compare.svg ]
    parse_report out/index.html > r.json
    python3 - <<'EOF'
import json, os
r = json.load(open("r.json"))
rows = {row["cells"][0]: row for row in r["rows"]}
assert rows["sort/1024"]["class"] == "regressed", rows
# the history's runs are 20 different commits: no noise check, and the note says so
assert rows["sort/1024"]["cells"][-1] == "regressed (no noise check: 0 of the last 19 runs repeat a build (5 needed))", rows["sort/1024"]
assert rows["sort/1024"]["cells"][4].startswith("+2"), rows["sort/1024"]
assert rows["hash/64"]["class"] == "unchanged"
assert r["h2"][0] == "run 20 against baseline 'default' (run 3)", r["h2"]
assert r["summary"][0] == "1 regressed, 1 unchanged", r["summary"]
srcs = [i["src"] for i in r["imgs"]]
assert srcs[0] == "compare.svg" and len(srcs) == 3, srcs
for s in srcs:
    assert os.path.isfile("out/" + s), s
assert r["h3"] == ["hash/64", "sort/1024"], r["h3"]
assert not r["remote"] and not r["script"]
EOF
}

@test "report lists each benchmark's change points" {
    record_history
    run perfcmp report --html out
    [ "$status" -eq 0 ]
    grep -q '<p class="finding">No change in 20 runs.</p>' out/index.html
    python3 - <<'EOF'
import re
html = open("out/index.html").read()
art = html[html.index('<h3>sort/1024</h3>'):]
m = re.search(r'<tr class="worse"><td>12</td><td class="name">([0-9a-f]{7}) &rarr; ([0-9a-f]{7})</td>'
              r'<td>[^<]+</td><td>[^<]+</td><td>\+(2[6-9]|3[0-4])\.[0-9]%</td><td>0\.005</td><td>worse</td></tr>', art)
assert m, art[:2000]
EOF
}

@test "report charts are self-contained SVG" {
    record_history
    perfcmp baseline save --run 3 >/dev/null
    perfcmp report --html out >/dev/null
    for f in out/*.svg; do
        python3 -c 'import sys, xml.etree.ElementTree as ET; ET.parse(sys.argv[1])' "$f"
        ! grep -q '<script' "$f"
        ! grep -qE '(xlink:)?href="https?:' "$f"
    done
    ! grep -qE 'https?://' out/index.html
}

@test "report without a baseline shows the trends and says how to get one" {
    record_history
    run perfcmp report --html out --last=8
    [ "$status" -eq 0 ]
    [ "$output" = "wrote 'out/index.html' and 2 charts" ]
    [ ! -e out/compare.svg ]
    grep -q 'No baseline' out/index.html
    grep -q '<h2>Trends of wall_time over the last 8 runs</h2>' out/index.html
    grep -q '<p class="finding">No change in 8 runs.</p>' out/index.html
}

@test "report escapes hostile benchmark names" {
    python3 - "$WORK" <<'EOF'
import json, sys
w = sys.argv[1]
names = ['<script>alert(1)</script>', "it's \"q\" & <b>bold</b>", "`touch %s/pwned`" % w,
         'x" onerror="alert(1)']
json.dump(names, open(w + "/names.json", "w"))
for run in range(1, 4):
    doc = {"schema": "perfcmp-results", "version": 1,
           "context": {"timestamp": "2026-01-01T0%d:00:00Z" % run, "host": "h", "cpu_model": "c",
                       "cpu_count": 1, "os": "Linux", "kernel": "k", "arch": "x",
                       "compiler": "gcc", "cflags": "", "library_version": "0.1.0",
                       "command": "x", "git": {"commit": "<i>c</i>", "branch": "<u>b</u>",
                                               "dirty": False}},
           "benchmarks": [{"name": n, "family": "f", "args": [], "tags": [], "status": "ok",
                           "iterations": 1,
                           "metrics": [{"name": "wall_time", "unit": "ns", "direction": "lower",
                                        "samples": [10 * run + i for i in range(5)]}]}
                          for n in names]}
    json.dump(doc, open("%s/h%d.json" % (w, run), "w"))
EOF
    perfcmp record -q h1.json h2.json h3.json >/dev/null
    perfcmp baseline save --run 1 >/dev/null
    run perfcmp report --html out
    [ "$status" -eq 0 ]
    [ ! -e "$WORK/pwned" ]
    parse_report out/index.html > r.json
    python3 - <<'EOF'
import json
r = json.load(open("r.json"))
names = json.load(open("names.json"))
assert sorted(r["h3"]) == sorted(names), r["h3"]
assert sorted(row["cells"][0] for row in r["rows"]) == sorted(names)
# no element came from the names or commits
assert not {"script", "b", "i", "u"} & set(r["tags"]), r["tags"]
assert all(i["src"].endswith(".svg") and "/" not in i["src"] for i in r["imgs"])
EOF
}

@test "report refuses bad usage and missing data with one line" {
    run perfcmp report --html out
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: no runs recorded yet: nothing to report" ]
    [ ! -e out ]
    record_history
    run perfcmp report
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: no output directory: give --html DIR (see 'perfcmp report --help')" ]
    run perfcmp report --html out --baseline nosuch
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: no baseline 'nosuch' in the database nor 'baselines/nosuch.json' (save one with 'perfcmp baseline save')" ]
    touch afile
    run perfcmp report --html afile
    [ "$status" -eq 2 ]
    assert_one_line
    [ "$output" = "error: cannot create directory 'afile': Not a directory" ]
    for bad in --last=0 --bogus extra --threshold=x; do
        run perfcmp report --html out "$bad"
        [ "$status" -eq 2 ]
        assert_one_line
    done
}

@test "report --help describes the command" {
    run perfcmp report --help
    [ "$status" -eq 0 ]
    [[ "${lines[0]}" == "usage: perfcmp report --html DIR"* ]]
}

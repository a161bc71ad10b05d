#!/usr/bin/env bats
# The HTML report in a real headless browser (Debian's chromium): the DOM
# has the verdict table, every chart loads as an image, and a screenshot
# is taken.  Run with `make test-browser`; skipped when chromium is absent.
# PERFCMP_SCREENSHOT=FILE keeps the screenshot for a look.

load ../cli/helpers

GEN=$PERFCMP_ROOT/tests/cli/gen_history.py

chromium_bin() {
    command -v chromium || command -v chromium-browser || command -v google-chrome
}

# Runs the headless browser on file $1 with extra flags; no network, a
# throw-away profile.
browse() {
    local page=$1
    shift
    timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$WORK/profile" "$@" "file://$page" 2>/dev/null
}

setup_report() {
    CHROMIUM=$(chromium_bin) || skip "chromium is not installed (apt-get install chromium)"
    python3 "$GEN" "$WORK/data" --runs 20 --bench sort/1024 --flat hash/64 --step 12:30
    perfcmp record -q "$WORK"/data/run-*.json >/dev/null
    perfcmp baseline save --run 3 >/dev/null
    perfcmp report --html "$WORK/out" >/dev/null
}

@test "the report's DOM in a browser has the verdict rows and the charts" {
    setup_report
    browse "$WORK/out/index.html" --dump-dom > dom.html
    python3 - <<'EOF'
import re
dom = open("dom.html").read()
rows = re.findall(r'<tr class="v-(\w+)"><td class="name">([^<]*)</td>', dom)
assert ("regressed", "sort/1024") in rows and ("unchanged", "hash/64") in rows, rows
imgs = re.findall(r'<img class="chart" src="([^"]+)"', dom)
assert imgs == ["compare.svg", "trend-001.svg", "trend-002.svg"], imgs
assert "<h3>sort/1024</h3>" in dom and "<h3>hash/64</h3>" in dom
EOF
}

@test "every chart of the report loads as an image in the browser" {
    setup_report
    # a test page beside the report that records each image's load
    python3 - "$WORK/out" <<'EOF'
import re, sys
d = sys.argv[1]
srcs = re.findall(r'<img class="chart" src="([^"]+)"', open(d + "/index.html").read())
imgs = "".join('<img src="%s" onload="ok(this)" onerror="bad(this)">' % s for s in srcs)
open(d + "/check.html", "w").write(
    "<!DOCTYPE html><html><body><div id=r></div>" + imgs +
    "<script>function add(c,t){var p=document.createElement('p');p.className=c;"
    "p.textContent=t;document.getElementById('r').appendChild(p)}"
    "function ok(i){add('loaded',i.getAttribute('src')+' '+i.naturalWidth+'x'+i.naturalHeight)}"
    "function bad(i){add('failed',i.getAttribute('src'))}</script></body></html>")
EOF
    browse "$WORK/out/check.html" --virtual-time-budget=10000 --dump-dom > check.dom
    python3 - <<'EOF'
import re
dom = open("check.dom").read()
loaded = dict(re.findall(r'<p class="loaded">(\S+) (\d+x\d+)</p>', dom))
failed = re.findall(r'<p class="failed">([^<]*)</p>', dom)
assert not failed, failed
assert loaded == {"compare.svg": "700x520", "trend-001.svg": "1000x380",
                  "trend-002.svg": "1000x380"}, loaded
EOF
}

@test "the report renders to a screenshot" {
    setup_report
    browse "$WORK/out/index.html" --window-size=1200,2400 --screenshot="$WORK/shot.png" >/dev/null
    [ "$(head -c 8 "$WORK/shot.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ]
    [ "$(stat -c %s "$WORK/shot.png")" -gt 20000 ]
    if [ -n "${PERFCMP_SCREENSHOT:-}" ]; then cp "$WORK/shot.png" "$PERFCMP_SCREENSHOT"; fi
}

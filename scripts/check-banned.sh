#!/bin/sh
# Fails when a banned libc function (as in git's banned.h) appears in our sources.
set -eu
cd "$(dirname "$0")/.."
if grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strtok|gets|strncpy)[[:space:]]*\(' \
        src/*/*.c src/*/*.h include/*.h 2>/dev/null; then
    echo "check-banned: use snprintf/memcpy/strtok_r instead of the functions above" >&2
    exit 1
fi
echo "check-banned: ok"

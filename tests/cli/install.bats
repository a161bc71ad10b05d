#!/usr/bin/env bats
# make install: the header, both libraries, perfcmp.pc and the binary land
# under DESTDIR, and a benchmark builds against them with pkg-config.

load helpers

@test "make install puts a usable library, header, pkg-config file and binary under DESTDIR" {
    if ldd "$PERFCMP_ROOT/$BUILD/libperfcmp.so" | grep -q 'libasan\|libubsan'; then
        skip "a sanitizer build's library needs the sanitizer runtime to link against"
    fi
    run make -C "$PERFCMP_ROOT" -s BUILD="$BUILD" install PREFIX=/usr/local DESTDIR="$WORK/inst"
    [ "$status" -eq 0 ]
    for f in bin/perfcmp include/perfcmp.h lib/libperfcmp.a lib/libperfcmp.so lib/pkgconfig/perfcmp.pc; do
        [ -e "$WORK/inst/usr/local/$f" ]
    done
    export PKG_CONFIG_SYSROOT_DIR=$WORK/inst PKG_CONFIG_PATH=$WORK/inst/usr/local/lib/pkgconfig
    run pkg-config --modversion perfcmp
    [ "$output" = "$("$PERFCMP_BIN" --version | cut -d' ' -f2)" ]
    # shellcheck disable=SC2046
    cc -O2 "$PERFCMP_ROOT/docs/examples/hello.c" $(pkg-config --cflags --libs perfcmp) -o hello
    run env LD_LIBRARY_PATH="$WORK/inst/usr/local/lib" ./hello --list
    [ "$status" -eq 0 ]
    [ "${lines[0]}" = "strlen/8" ]
    run "$WORK/inst/usr/local/bin/perfcmp" --version
    [ "$status" -eq 0 ]
}

@test "perfcmp.pc names the PREFIX of each install, not of an earlier one" {
    local prefix
    for prefix in /usr/local /opt/perfcmp /usr/local; do
        run make -C "$PERFCMP_ROOT" -s BUILD="$BUILD" install PREFIX="$prefix" DESTDIR="$WORK/d$prefix"
        [ "$status" -eq 0 ]
        run env PKG_CONFIG_PATH="$WORK/d$prefix$prefix/lib/pkgconfig" \
            pkg-config --variable=libdir perfcmp
        [ "$output" = "$prefix/lib" ] || { echo "PREFIX=$prefix gave libdir $output" >&2; false; }
    done
}

@test "make uninstall removes what install put there" {
    make -C "$PERFCMP_ROOT" -s BUILD="$BUILD" install PREFIX=/usr/local DESTDIR="$WORK/inst" >/dev/null
    run make -C "$PERFCMP_ROOT" -s BUILD="$BUILD" uninstall PREFIX=/usr/local DESTDIR="$WORK/inst"
    [ "$status" -eq 0 ]
    [ -z "$(find "$WORK/inst" -type f -o -type l)" ]
}

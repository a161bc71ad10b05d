#!/usr/bin/env bats
# make install: the header, both libraries, perfcmp.pc, the CMake package
# config, the binary, the man pages and the bash completion land under
# DESTDIR; a benchmark builds against them with pkg-config and with CMake's
# find_package; make uninstall takes every file away again.

load helpers

@test "make install puts a usable library, header, pkg-config file and binary under DESTDIR" {
    if ldd "$PERFCMP_ROOT/$BUILD/libperfcmp.so" | grep -q 'libasan\|libubsan'; then
        skip "a sanitizer build's library needs the sanitizer runtime to link against"
    fi
    run make -C "$PERFCMP_ROOT" -s BUILD="$BUILD" install PREFIX=/usr/local DESTDIR="$WORK/inst"
    [ "$status" -eq 0 ]
    for f in bin/perfcmp include/perfcmp.h lib/libperfcmp.a lib/libperfcmp.so lib/pkgconfig/perfcmp.pc \
             lib/cmake/perfcmp/perfcmp-config.cmake lib/cmake/perfcmp/perfcmp-config-version.cmake \
             share/man/man1/perfcmp.1 share/man/man1/perfcmp-compare.1 share/man/man3/libperfcmp.3 \
             share/bash-completion/completions/perfcmp; do
        [ -e "$WORK/inst/usr/local/$f" ] || { echo "not installed: $f" >&2; return 1; }
    done
    # a page for every command
    local c
    for c in $(perfcmp --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'); do
        [ -s "$WORK/inst/usr/local/share/man/man1/perfcmp-$c.1" ] || { echo "no page perfcmp-$c.1" >&2; return 1; }
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

@test "a CMake project finds perfcmp with find_package and links perfcmp::perfcmp or perfcmp::perfcmp_static" {
    if ldd "$PERFCMP_ROOT/$BUILD/libperfcmp.so" | grep -q 'libasan\|libubsan'; then
        skip "a sanitizer build's library needs the sanitizer runtime to link against"
    fi
    command -v cmake >/dev/null || { echo "cmake is missing: sudo scripts/install-deps.sh" >&2; return 1; }
    make -C "$PERFCMP_ROOT" -s BUILD="$BUILD" install PREFIX=/usr/local DESTDIR="$WORK/inst" >/dev/null
    mkdir consumer
    cat > consumer/CMakeLists.txt <<EOF
cmake_minimum_required(VERSION 3.13)
project(consumer C)
find_package(perfcmp 0.1 REQUIRED)
message(STATUS "perfcmp \${perfcmp_VERSION}")
add_executable(hello_shared "$PERFCMP_ROOT/docs/examples/hello.c")
target_link_libraries(hello_shared PRIVATE perfcmp::perfcmp)
add_executable(hello_static "$PERFCMP_ROOT/docs/examples/hello.c")
target_link_libraries(hello_static PRIVATE perfcmp::perfcmp_static)
EOF
    run cmake -S consumer -B cbuild -DCMAKE_PREFIX_PATH="$WORK/inst/usr/local"
    [ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
    [[ $output == *"perfcmp $("$PERFCMP_BIN" --version | cut -d' ' -f2)"* ]]
    run cmake --build cbuild
    [ "$status" -eq 0 ] || { echo "$output" >&2; return 1; }
    run env LD_LIBRARY_PATH="$WORK/inst/usr/local/lib" cbuild/hello_shared --list
    [ "$status" -eq 0 ] && [ "${lines[0]}" = "strlen/8" ]
    ldd cbuild/hello_shared | grep -q 'libperfcmp\.so'
    run cbuild/hello_static --list
    [ "$status" -eq 0 ] && [ "${lines[0]}" = "strlen/8" ]
    if ldd cbuild/hello_static | grep -q libperfcmp; then false; fi
    # a version the installed one does not satisfy is refused, naming both
    sed -i 's/find_package(perfcmp 0.1 REQUIRED)/find_package(perfcmp 1.0 REQUIRED)/' consumer/CMakeLists.txt
    run cmake -S consumer -B cbuild2 -DCMAKE_PREFIX_PATH="$WORK/inst/usr/local"
    [ "$status" -ne 0 ]
    [[ $output == *"1.0"* ]]
}

@test "make uninstall removes what install put there" {
    make -C "$PERFCMP_ROOT" -s BUILD="$BUILD" install PREFIX=/usr/local DESTDIR="$WORK/inst" >/dev/null
    # and the page of a command an older version had and this build has not
    : > "$WORK/inst/usr/local/share/man/man1/perfcmp-gone.1"
    run make -C "$PERFCMP_ROOT" -s BUILD="$BUILD" uninstall PREFIX=/usr/local DESTDIR="$WORK/inst"
    [ "$status" -eq 0 ]
    [ -z "$(find "$WORK/inst" -type f -o -type l)" ]
    [ ! -e "$WORK/inst/usr/local/lib/cmake/perfcmp" ]
}

#!/bin/sh
# build.sh - new compiler flags rebuild what the old ones built: an
# object made by "make CFLAGS=-O0" is not linked beside one made by
# "make" (.build-flags), nor a fuzz object beside one built with other
# flags or an older fuzz/fuzz.mk (fuzz/out/flags).  Each step compiles
# one small file in a copy of the build files.
SUITE=build
. "$TOP/tests/lib.sh"

# The make that runs the tests passes its own command-line variables
# down in MAKEFLAGS; this test sets its own.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
tree=$WORK/tree
mkdir -p "$tree/fuzz" "$tree/bench"
cp "$TOP/Makefile" "$TOP/VERSION" "$tree/"
cp "$TOP/fuzz/fuzz.mk" "$tree/fuzz/"
cp "$TOP/bench/bench.mk" "$tree/bench/"
cp -R "$TOP/lib" "$tree/lib"
find "$tree/lib" -name '*.[oad]' -exec rm -f {} +

# built yes|no OBJ NAME MAKE-ARGS...: make OBJ compiles it, or not.
built() {
	want=$1
	obj=$2
	name=$3
	shift 3
	make -C "$tree" --no-print-directory "$@" "$obj" >"$WORK/make.out" 2>&1 ||
	    { not_ok "$name" "make failed: $(tail -c 300 "$WORK/make.out")"; return; }
	if grep -q "CC *$obj" "$WORK/make.out"; then got=yes; else got=no; fi
	if [ "$got" = "$want" ]; then
		ok "$name"
	else
		not_ok "$name" "compiled: $got; make said: $(head -c 300 "$WORK/make.out")"
	fi
}

O=lib/core/esc.o
built yes $O "the first build compiles"
built no $O "the same flags: not compiled again"
built yes $O "CFLAGS=-O0 compiles it again" CFLAGS=-O0
built no $O "CFLAGS=-O0 once more: not compiled again" CFLAGS=-O0
built yes $O "back to the default flags compiles it again"
built yes $O "a new CC compiles it again" CC=gcc
if grep -q "$O" "$tree/.build-flags" 2>/dev/null; then
	not_ok ".build-flags" "holds an object name"
elif grep -q -- '-std=c11' "$tree/.build-flags" 2>/dev/null; then
	ok ".build-flags holds the flags"
else
	not_ok ".build-flags" "missing or without the flags"
fi

if command -v clang >/dev/null 2>&1; then
	F=fuzz/out/obj/lib/core/esc.o
	built yes $F "fuzz: the first build compiles"
	built no $F "fuzz: the same flags: not compiled again"
	built yes $F "fuzz: new FUZZ_CFLAGS compile it again" \
	    FUZZ_CFLAGS="-g -O0 -fsanitize=address"
	touch "$tree/fuzz/fuzz.mk"
	built yes $F "fuzz: a newer fuzz/fuzz.mk compiles it again"
else
	not_ok "fuzz objects" "clang not installed (make deps installs it)"
fi

finish

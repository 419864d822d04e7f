#!/bin/sh
# unit.sh TEST_BIN... - run the cmocka unit-test binaries, several at once.
#
# Prints "ok   NAME (N passed)" or "FAIL NAME (...)" for each binary in the
# order given, then "unit: N passed, N failed".  Logs go to $OUT (default
# tests/out) as NAME.log.  Generated keys are shared through
# $BWC_TEST_KEYS (default $OUT/keys), so only the first binary to need a
# key pays for it.  UNIT_JOBS sets how many run at once (default: the
# number of CPUs).
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=${OUT:-$TOP/tests/out}
BWC_TEST_KEYS=${BWC_TEST_KEYS:-$OUT/keys}
export BWC_TEST_KEYS TOP
mkdir -p "$OUT" "$BWC_TEST_KEYS"
jobs=${UNIT_JOBS:-$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)}

# Run each binary into NAME.log and NAME.rc; the slowest start first.
for t in "$@"; do echo "$t"; done |
	xargs -P "$jobs" -I{} sh -c '
		t=$1; n=$(basename "$t")
		"$t" >"$2/$n.log" 2>&1; echo $? >"$2/$n.rc"' sh {} "$OUT"

passed=0
failed=0
for t in "$@"; do
	name=$(basename "$t")
	log="$OUT/$name.log"
	rc=$(cat "$OUT/$name.rc" 2>/dev/null || echo 1)
	# cmocka: "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)..."
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		echo "FAIL $name ($p passed, $f failed; rc $rc)"
		sed 's/^/    /' "$log" | grep -E 'FAIL|ERROR|error|Assert|expected|ERROR:|runtime error|Sanitizer' | head -40
	else
		echo "ok   $name ($p passed)"
	fi
done
echo "unit: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

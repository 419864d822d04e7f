#!/bin/sh
# run.sh TEST_BIN... - run every test of the project and sum them up.
#
# Runs each cmocka unit-test binary given, then every shell test under
# tests/cli/ and tests/integration/ with these in the environment:
#   BWC       the bwcertcheck binary under test (absolute path)
#   TESTDATA  a directory with the test PKI made by testdata/mkpki.sh
#   TOP       the project root
# Each shell test prints its own "NAME: N passed, N failed" line and exits
# non-zero on failure.  The last line is the total, in the same form.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
export TOP
BWC="$TOP/bwcertcheck"
export BWC
OUT="$TOP/tests/out"
# Everything of the last run goes but the generated test keys.
mkdir -p "$OUT"
find "$OUT" -mindepth 1 -maxdepth 1 ! -name keys -exec rm -rf {} +
BWC_TEST_KEYS="$OUT/keys"
export BWC_TEST_KEYS
TESTDATA="$OUT/pki"
export TESTDATA
if ! sh "$TOP/testdata/mkpki.sh" "$TESTDATA" >"$OUT/mkpki.log" 2>&1; then
	echo "run.sh: testdata/mkpki.sh failed:" >&2
	cat "$OUT/mkpki.log" >&2
	exit 1
fi

passed=0
failed=0
failed_names=""

count() {
	# Sum the "N passed, N failed" line a test printed.
	line=$(grep -E '[0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	p=$(echo "$line" | sed -n 's/.*[^0-9]\([0-9][0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.* \([0-9][0-9]*\) failed.*/\1/p')
	echo "${p:-0} ${f:-0}"
}

# The unit-test binaries, several at once (tests/unit.sh).
if [ $# -gt 0 ]; then
	OUT="$OUT" sh "$TOP/tests/unit.sh" "$@" >"$OUT/unit.out" 2>&1
	grep -v '^unit: ' "$OUT/unit.out"
	set -- $(count "$OUT/unit.out")
	passed=$((passed + $1))
	failed=$((failed + $2))
	[ "$2" -ne 0 ] && failed_names="$failed_names unit"
fi

for t in "$TOP"/tests/cli/*.sh "$TOP"/tests/integration/*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	log="$OUT/$name.log"
	t0=$(date +%s)
	if sh "$t" >"$log" 2>&1; then
		rc=0
	else
		rc=$?
	fi
	secs=$(($(date +%s) - t0))
	set -- $(count "$log")
	p=$1
	f=$2
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		failed_names="$failed_names $name"
		echo "FAIL $name ($p passed, $f failed; rc $rc; ${secs} s)"
		grep -E '^(not ok|FAIL)' "$log" | head -40 | sed 's/^/    /'
	else
		echo "ok   $name ($p passed, ${secs} s)"
	fi
done

echo
if [ "$failed" -ne 0 ]; then
	echo "failed:$failed_names (logs in tests/out/)"
fi
echo "total: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

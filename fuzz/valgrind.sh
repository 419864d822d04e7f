#!/bin/sh
# valgrind.sh - run the CLI tests (tests/cli/*.sh) with bwcertcheck under
#   valgrind --leak-check=full --error-exitcode=1
# through a wrapper given to the tests as BWC, one log per process in
# fuzz/out/valgrind/logs/.  Fails if a test fails or if any process had a
# memory error or a leak.  The logs are the verdict: a test that expects
# exit 1 (warnings) could not tell valgrind's error exit from it.
# Run from the top of the tree (make valgrind does).
set -u
TOP=$(pwd)
OUT=$TOP/fuzz/out/valgrind
rm -rf "$OUT"
mkdir -p "$OUT/logs"

if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind: not installed (apt-get install valgrind)" >&2
	exit 1
fi
cat >"$OUT/bwcertcheck" <<EOF
#!/bin/sh
exec valgrind -q --leak-check=full --error-exitcode=1 \\
	--log-file="$OUT/logs/vg.%p" "$TOP/bwcertcheck" "\$@"
EOF
chmod +x "$OUT/bwcertcheck"

if ! sh testdata/mkpki.sh "$OUT/pki" >"$OUT/mkpki.log" 2>&1; then
	cat "$OUT/mkpki.log" >&2
	exit 1
fi
BWC=$OUT/bwcertcheck
TESTDATA=$OUT/pki
BWC_VALGRIND=1
# Each command of the hostile tests may take longer under valgrind.
BWC_HOSTILE_LIMIT=120
export TOP BWC TESTDATA BWC_VALGRIND BWC_HOSTILE_LIMIT

failed=0
for t in tests/cli/*.sh; do
	name=$(basename "$t" .sh)
	if sh "$t" >"$OUT/$name.log" 2>&1; then
		echo "ok   $name: $(tail -n 1 "$OUT/$name.log")"
	else
		echo "FAIL $name: $(grep -E '[0-9]+ passed, [0-9]+ failed' "$OUT/$name.log" | tail -n 1)"
		grep '^not ok' "$OUT/$name.log" | head -20 | sed 's/^/    /'
		failed=1
	fi
done

runs=$(ls "$OUT/logs" | wc -l)
bad=0
for l in "$OUT/logs"/vg.*; do
	[ -s "$l" ] || continue
	bad=$((bad + 1))
	if [ "$bad" -le 5 ]; then
		echo "--- $l"
		head -n 40 "$l"
	fi
done
echo "valgrind: $runs bwcertcheck runs, $bad with a memory error or leak"
[ "$failed" -eq 0 ] && [ "$bad" -eq 0 ]

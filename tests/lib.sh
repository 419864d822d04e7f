# lib.sh - helpers for the shell tests (sourced).  Each test file sets
# SUITE, calls the checks below and ends with "finish".
#   expect_exit CODE NAME -- COMMAND...   the command exits with CODE
#   expect_json PYEXPR NAME FILE         the JSON document in FILE makes
#                                        PYEXPR (over variable d) true
#   expect_grep PATTERN NAME FILE        FILE has a line matching PATTERN
#   check_formats NAME CODE CMD...       CMD in every format, each checked
# Output lines: "ok - NAME" or "not ok - NAME: details"; finish prints
# "SUITE: N passed, N failed" and returns non-zero on any failure.
PASS=0
FAIL=0
PY=/usr/bin/python3
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bwc-test.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

ok() { PASS=$((PASS + 1)); echo "ok - $1"; }
not_ok() { FAIL=$((FAIL + 1)); echo "not ok - $1: $2"; }

# expect_exit CODE NAME -- CMD...; stdout in $WORK/out, stderr in $WORK/err
expect_exit() {
	want=$1
	name=$2
	shift 3
	"$@" >"$WORK/out" 2>"$WORK/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		ok "$name"
	else
		not_ok "$name" "exit $got, expected $want; stderr: $(head -c 300 "$WORK/err")"
	fi
}

expect_json() {
	if $PY -c 'import json,sys
d = json.load(open(sys.argv[2]))
sys.exit(0 if eval(sys.argv[1]) else 1)' "$1" "$3" 2>"$WORK/pyerr"; then
		ok "$2"
	else
		not_ok "$2" "JSON check failed: $1 $(head -c 300 "$WORK/pyerr")"
	fi
}

expect_grep() {
	if grep -q -e "$1" "$3"; then
		ok "$2"
	else
		not_ok "$2" "no line matching '$1' in: $(head -c 400 "$3")"
	fi
}

expect_no_grep() {
	if grep -q -e "$1" "$3"; then
		not_ok "$2" "unexpected line matching '$1'"
	else
		ok "$2"
	fi
}

finish() {
	echo "$SUITE: $PASS passed, $FAIL failed"
	[ "$FAIL" -eq 0 ]
}

# expect_rule RULE STATUS NAME FILE: in the JSON report FILE, the first
# subject's finding for RULE has STATUS (pass, fail, skip, or "absent").
expect_rule() {
	if $PY -c 'import json,sys
d = json.load(open(sys.argv[3]))
fs = [f for f in d["subjects"][0].get("findings", []) if f["rule"] == sys.argv[1]]
got = fs[0]["status"] if fs else "absent"
if got != sys.argv[2]:
    print("got", got, fs[0]["message"] if fs else "")
    sys.exit(1)' "$1" "$2" "$4" >"$WORK/pyerr" 2>&1; then
		ok "$3"
	else
		not_ok "$3" "$1 expected $2: $(head -c 300 "$WORK/pyerr")"
	fi
}

# check_formats NAME CODE CMD...: run CMD --format FMT -o FILE for every
# format; each exits CODE, each output parses and no control character
# reaches text, nagios or stderr (tests/hostile_check.py), and promtool
# accepts the metrics.  Outputs are left in $WORK/NAME.FMT.
check_formats() {
	n=$1
	code=$2
	shift 2
	for fmt in text json junit sarif nagios prometheus; do
		o="$WORK/$n.$fmt"
		expect_exit "$code" "$n: --format $fmt exits $code" -- \
			"$@" --format "$fmt" -o "$o"
		if $PY "$TOP/tests/hostile_check.py" "$fmt" "$o" "$WORK/err" \
		    >"$WORK/pyerr" 2>&1; then
			ok "$n: --format $fmt output is valid and escaped"
		else
			not_ok "$n: --format $fmt output is valid and escaped" "$(head -c 300 "$WORK/pyerr")"
		fi
	done
	if command -v promtool >/dev/null 2>&1; then
		if promtool check metrics <"$WORK/$n.prometheus" >"$WORK/prom.err" 2>&1; then
			ok "$n: promtool check metrics"
		else
			not_ok "$n: promtool check metrics" "$(head -c 300 "$WORK/prom.err")"
		fi
	fi
}

# need_testdata: T is the test PKI tests/run.sh made ($TESTDATA), or one
# made here in $WORK when a test runs on its own.
need_testdata() {
	if [ -z "${TESTDATA:-}" ]; then
		TESTDATA=$WORK/pki
		sh "$TOP/testdata/mkpki.sh" "$TESTDATA" >/dev/null 2>&1 ||
		    { echo "$SUITE: testdata/mkpki.sh failed"; exit 1; }
	fi
	T=$TESTDATA
}

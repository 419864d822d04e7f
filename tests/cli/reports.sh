#!/bin/sh
# reports.sh - reports that never contradict the exit status: run-level
# errors write no report, skipped error rules are named beside the
# verdict, and a fleet's exit status and summary count every class.
SUITE=reports
. "$TOP/tests/lib.sh"
T=$TESTDATA
L="$BWC lint --trust-store $T/root.pem --fqdn pbx.example.test"
FORMATS="text json junit sarif nagios prometheus"

# one_line NAME: $WORK/err is exactly one line, $WORK/out is empty.
one_line() {
	if [ "$(wc -l <"$WORK/err")" -eq 1 ] && [ ! -s "$WORK/out" ]; then
		ok "$1: one line on stderr, nothing on stdout"
	else
		not_ok "$1: one line on stderr, nothing on stdout" \
		    "stderr: $(head -c 300 "$WORK/err") stdout: $(head -c 200 "$WORK/out")"
	fi
}

# run_level NAME ARGS...: in every format, exit 3 with one line on
# stderr and no report; -o FILE keeps what the last good run wrote.
run_level() {
	n=$1
	shift
	for fmt in $FORMATS; do
		expect_exit 3 "$n ($fmt): exit 3" -- $L --format "$fmt" "$@" "$T/good.pem"
		one_line "$n ($fmt)"
		printf 'the previous report\n' >"$WORK/prev.$fmt"
		$L --format "$fmt" -o "$WORK/prev.$fmt" "$@" "$T/good.pem" >/dev/null 2>&1
		if [ "$(cat "$WORK/prev.$fmt")" = "the previous report" ] &&
		    [ ! -e "$WORK/prev.$fmt.tmp" ]; then
			ok "$n ($fmt): -o FILE left as it was"
		else
			not_ok "$n ($fmt): -o FILE left as it was" "$(head -c 200 "$WORK/prev.$fmt")"
		fi
	done
}

## Run-level errors: no verdict, no report.
run_level "--key missing" --key "$WORK/no-such.key"
run_level "--key is a certificate" --key "$T/good.pem"
unset BWC_UNSET_PASSWORD
run_level "--password env: unset" --password env:BWC_UNSET_PASSWORD --key "$T/good-enc.key"
run_level "--password without a scheme" --password secret --key "$T/good-enc.key"
run_level "--password file: missing" --password "file:$WORK/no-such-pass" --key "$T/good-enc.key"
expect_exit 3 "a PKCS#12 with --password env: unset" -- $L --password env:BWC_UNSET_PASSWORD "$T/good.p12"
one_line "a PKCS#12 with --password env: unset"
expect_grep 'BWC_UNSET_PASSWORD' "--password env: names the variable" "$WORK/err"
# A good run through -o still replaces FILE.
expect_exit 0 "a good run after them writes -o FILE" -- $L --format prometheus -o "$WORK/prev.prometheus" --key "$T/good.key" "$T/good.pem"
expect_grep '^bwcertcheck_run_result 0$' "the good run's metrics are in FILE" "$WORK/prev.prometheus"

## Several inputs: 2 when any is not compliant, else 3, else 1, else 0.
E="$L --each"
expect_exit 2 "not compliant + unreadable: exit 2" -- $E "$T/wrong-name.pem" "$WORK/missing.pem"
expect_exit 2 "unreadable + not compliant: exit 2" -- $E "$WORK/missing.pem" "$T/expired.pem"
expect_exit 3 "unreadable + warnings: exit 3" -- $E "$T/expiring.pem" "$WORK/missing.pem"
expect_exit 1 "warnings + compliant: exit 1" -- $E "$T/good.pem" "$T/expiring.pem"
$E --format nagios "$T/good.pem" "$T/expiring.pem" "$T/wrong-name.pem" \
    "$T/expired.pem" "$WORK/missing.pem" >"$WORK/fleet.nagios" 2>/dev/null
expect_grep '^BWCERTCHECK CRITICAL - 5 subjects: 1 compliant, 1 with warnings, 2 not compliant, 1 unknown' \
    "nagios: CRITICAL, each class counted" "$WORK/fleet.nagios"
$E --format json "$WORK/missing.pem" "$T/wrong-name.pem" >"$WORK/fleet.json" 2>/dev/null
expect_json 'd["result"] == "fail" and d["exit_code"] == 2' "json: the run is fail/2" "$WORK/fleet.json"
$E --format sarif "$WORK/missing.pem" "$T/wrong-name.pem" >"$WORK/fleet.sarif" 2>/dev/null
expect_json 'd["runs"][0]["invocations"][0]["exitCode"] == 2 and not d["runs"][0]["invocations"][0]["executionSuccessful"]' \
    "sarif: exitCode 2, execution not successful" "$WORK/fleet.sarif"
$E --format prometheus "$WORK/missing.pem" "$T/wrong-name.pem" >"$WORK/fleet.prom" 2>/dev/null
expect_grep '^bwcertcheck_run_result 2$' "prometheus: run result 2" "$WORK/fleet.prom"
$E --color never "$WORK/missing.pem" "$T/wrong-name.pem" >"$WORK/fleet.txt" 2>/dev/null
expect_grep '^NOT COMPLIANT: 2 chains checked: 0 compliant, 0 with warnings, 1 not compliant, 1 not evaluated (exit 2)' \
    "text: the summary says not compliant" "$WORK/fleet.txt"

finish

#!/bin/sh
# formats.sh - the machine-readable formats, each read by its real
# consumer: junitparser and xmllint (junit), jsonschema against
# tests/sarif-subset.schema.json (sarif), promtool (prometheus), the
# Nagios plugin conventions (nagios); and --config with a [policy] that
# flips a verdict, whose name every report carries.
SUITE=formats
. "$TOP/tests/lib.sh"
T=$TESTDATA
L="$BWC lint --trust-store $T/root.pem --fqdn pbx.example.test"

# A file name with XML/label metacharacters, a control character and an
# invalid UTF-8 byte: every writer must escape it.
HOSTILE=$(printf 'evil<&"\047\001\377|=.pem')
cp "$T/good.pem" "$WORK/$HOSTILE"
MIX="$T/good.pem $T/expiring.pem $T/expired.pem $T/no-clientauth.pem"

# run_format FMT NAME CODE ARGS...: report into $WORK/NAME.FMT
run_format() {
	fmt=$1
	n=$2
	code=$3
	shift 3
	expect_exit "$code" "$fmt: $n exits $code" -- $L --each --format "$fmt" \
	    -o "$WORK/$n.$fmt" "$@"
}

# py NAME SCRIPT ARGS...: the Python check exits 0
py() {
	n=$1
	shift
	if $PY -c "$@" >"$WORK/pyout" 2>&1; then
		ok "$n"
	else
		not_ok "$n" "$(head -c 600 "$WORK/pyout")"
	fi
}

## junit
run_format junit mix 2 $MIX
run_format junit hostile 0 "$WORK/$HOSTILE"
run_format junit missing 3 "$WORK/missing.pem"
for n in mix hostile missing; do
	if xmllint --noout "$WORK/$n.junit" 2>"$WORK/xmlerr"; then
		ok "junit: $n is well-formed XML (xmllint)"
	else
		not_ok "junit: $n is well-formed XML (xmllint)" "$(head -c 300 "$WORK/xmlerr")"
	fi
done
py "junit: junitparser reads one testsuite per chain, failures by severity" '
import sys
from junitparser import JUnitXml, Failure, Skipped
x = JUnitXml.fromfile(sys.argv[1])
suites = {s.name.rsplit("/", 1)[-1]: s for s in x}
assert sorted(suites) == ["expired.pem", "expiring.pem", "good.pem", "no-clientauth.pem"], sorted(suites)
assert suites["good.pem"].failures == 0 and suites["good.pem"].errors == 0
assert suites["good.pem"].tests == len(list(suites["good.pem"]))
exp = {c.name: c.result for c in suites["expiring.pem"]}
f = [r for r in exp["expires-soon"] if isinstance(r, Failure)]
assert f and f[0].type == "warning" and "Fix: " in f[0].text, exp["expires-soon"]
assert any(isinstance(r, Skipped) for r in exp["key-match"])
dead = {c.name: c.result for c in suites["expired.pem"]}
assert [r.type for r in dead["not-expired"]] == ["error"], dead["not-expired"]
# a failed notice is not a failure
assert suites["no-clientauth.pem"].failures == 0
for s in x:
    for c in s:
        # dots made underscores, so Jenkins does not split the name at ".pem"
        assert c.classname == "bwcertcheck." + s.name.replace(".", "_"), c.classname
' "$WORK/mix.junit"
py "junit: a hostile file name arrives escaped, a missing file is an <error>" '
import sys
from junitparser import JUnitXml, Error
s = list(JUnitXml.fromfile(sys.argv[1]))[0]
assert s.name.endswith("evil<&\"\x27\\x01\\xff|=.pem"), repr(s.name)
m = list(JUnitXml.fromfile(sys.argv[2]))[0]
assert m.errors == 1 and isinstance(list(m)[0].result[0], Error)
' "$WORK/hostile.junit" "$WORK/missing.junit"

## sarif
run_format sarif mix 2 $MIX
run_format sarif hostile 0 "$WORK/$HOSTILE"
run_format sarif missing 3 "$WORK/missing.pem"
py "sarif: valid against the schema of what we emit (jsonschema)" '
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft7Validator.check_schema(schema)
for f in sys.argv[2:]:
    jsonschema.validate(json.load(open(f)), schema, cls=jsonschema.Draft7Validator)
' "$TOP/tests/sarif-subset.schema.json" "$WORK/mix.sarif" "$WORK/hostile.sarif" "$WORK/missing.sarif"
py "sarif: one result per failed rule, levels and locations" '
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
rules = run["tool"]["driver"]["rules"]
got = sorted((r["ruleId"], r["level"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1]) for r in run["results"])
want = [("eku-client-auth", "note", "no-clientauth.pem"),
        ("expires-soon", "warning", "expiring.pem"), ("not-expired", "error", "expired.pem")]
assert got == want, got
assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
assert run["invocations"][0] == {"executionSuccessful": True, "exitCode": 2}, run["invocations"]
assert run["properties"]["policy"] == "bandwidth"
m = json.load(open(sys.argv[2]))["runs"][0]["invocations"][0]
assert m["executionSuccessful"] is False and m["exitCode"] == 3, m
assert "missing.pem" in m["toolExecutionNotifications"][0]["message"]["text"]
' "$WORK/mix.sarif" "$WORK/missing.sarif"

## prometheus
run_format prometheus mix 2 $MIX "$WORK/$HOSTILE" "$WORK/missing.pem"
expect_exit 3 "prometheus: a missing file still exits 3" -- $L --format prometheus "$WORK/missing.pem"
if promtool check metrics <"$WORK/mix.prometheus" >"$WORK/promtool" 2>&1; then
	ok "prometheus: promtool check metrics accepts the file"
else
	not_ok "prometheus: promtool check metrics accepts the file" "$(head -c 600 "$WORK/promtool")"
fi
py "prometheus: expiry per certificate, rule verdicts, results" '
import re, sys
text = open(sys.argv[1]).read()
def val(pattern):
    m = re.search("^" + pattern + r" (-?[0-9.e+]+)$", text, re.M)
    assert m, pattern
    return float(m.group(1))
assert val(r"bwcertcheck_rule_failed\{subject=\"[^\"]*/expired.pem\",rule=\"not-expired\",severity=\"error\"\}") == 1
assert val(r"bwcertcheck_rule_failed\{subject=\"[^\"]*/good.pem\",rule=\"not-expired\",severity=\"error\"\}") == 0
assert val(r"bwcertcheck_subject_result\{subject=\"[^\"]*/expiring.pem\"\}") == 1
assert val(r"bwcertcheck_subject_result\{subject=\"[^\"]*/missing.pem\"\}") == 3
assert val(r"bwcertcheck_run_result") == 2
left = val(r"bwcertcheck_expires_in_seconds\{subject=\"[^\"]*/expiring.pem\",position=\"0\",cn=\"pbx.example.test\"\}")
assert 3 * 86400 < left < 6 * 86400, left
assert val(r"bwcertcheck_not_after_timestamp_seconds\{subject=\"[^\"]*/good.pem\",position=\"1\",cn=\"BWC Test Issuing CA\"\}") > 0
assert re.search(r"subject=\"[^\"]*evil<&\\\"\x27\\\\x01\\\\xff\|=\.pem\"", text), "hostile label"
' "$WORK/mix.prometheus"

## nagios: the status line, perfdata and exit codes of a plugin
nagios() {
	n=$1
	code=$2
	state=$3
	shift 3
	expect_exit "$code" "nagios: $n exits $code" -- $L --format nagios "$@"
	py "nagios: $n status line is $state with valid perfdata" '
import re, sys
lines = open(sys.argv[1]).read().split("\n")
state = sys.argv[2]
m = re.match(r"^BWCERTCHECK (OK|WARNING|CRITICAL|UNKNOWN) - ([^|]+?)(?: \| (.*))?$", lines[0])
assert m and m.group(1) == state, lines[0]
perf = m.group(3) or ""
item = r"(?:[A-Za-z0-9_.-]+|\x27[^\x27=]+\x27)=(?:-?[0-9.]+|U)[a-zA-Z%]*(?:;[-0-9.:@~]*){0,4}"
assert re.fullmatch(r"(?:%s)(?: %s)*" % (item, item), perf) or (state == "UNKNOWN" and not perf), perf
assert lines[-2] == "policy: bandwidth" and lines[-1] == "", lines[-2:]
assert all("|" not in l for l in lines[1:]), "a | in the long output"
' "$WORK/out" "$state"
}
nagios good 0 OK "$T/good.pem"
nagios expiring 1 WARNING "$T/expiring.pem"
nagios expired 2 CRITICAL "$T/expired.pem"
nagios missing 3 UNKNOWN "$WORK/missing.pem"
nagios hostile 0 OK "$WORK/$HOSTILE"
expect_grep '^BWCERTCHECK OK - .*; expires in [0-9]* days | days_left=[0-9]*;30:;0:$' "nagios: one chain gives days_left=N;30:;0:" "$WORK/out"
expect_exit 2 "nagios: several chains" -- $L --format nagios --each $MIX
expect_grep "^\[CRITICAL\] .*expired.pem: not-expired: " "nagios: long output lists the failed rule" "$WORK/out"

## --config and [policy]
cat >"$WORK/strict.ini" <<EOF
# a stricter internal standard
trust-store = $T/root.pem
format = nagios

[policy]
name = strict
min-rsa-bits = 3072
warn-days = 100
EOF
expect_exit 2 "config: [policy] min-rsa-bits 3072 fails the good chain" -- \
    $BWC lint --config "$WORK/strict.ini" --fqdn pbx.example.test "$T/good.pem"
expect_grep '^BWCERTCHECK CRITICAL - .*rsa-key-size.* days_left=[0-9]*;100:;0:$' "config: format and warn-days from the file" "$WORK/out"
expect_grep '^policy: strict$' "config: the report names the policy" "$WORK/out"
expect_exit 2 "config: the command line wins over the file" -- \
    $BWC lint --config "$WORK/strict.ini" --fqdn pbx.example.test --warn-days 7 --format prometheus "$T/good.pem"
expect_grep '^bwcertcheck_info{.*policy="strict"} 1$' "config: prometheus names the policy" "$WORK/out"
expect_grep 'rule="expires-soon",severity="warning"} 0$' "config: --warn-days 7 beat warn-days 100" "$WORK/out"
printf '[policy]\nname = x\nbrands = letsencrypt, verisign\n' >"$WORK/bad.ini"
expect_exit 3 "config: a bad [policy] value is a usage error" -- \
    $BWC lint --config "$WORK/bad.ini" "$T/good.pem"
expect_grep "bad.ini:3: unknown brand 'verisign'" "config: the error names FILE:LINE" "$WORK/err"
printf 'format = json\nfromat = junit\n' >"$WORK/typo.ini"
expect_exit 3 "config: an unknown key is an error" -- $BWC lint --config "$WORK/typo.ini" "$T/good.pem"
expect_grep "typo.ini:2: unknown option 'fromat'" "config: the unknown key is named with its line" "$WORK/err"

## path-valid and the issuing CA, in every format
for fmt in text json junit sarif nagios prometheus; do
	$L --format "$fmt" "$T/good.pem" >"$WORK/pv.$fmt" 2>/dev/null
done
expect_grep 'PASS  path-valid' "text: path-valid is reported" "$WORK/pv.text"
expect_grep 'root    CN=BWC Test Root CA.*(issuing CA: BWC Test PKI)$' "text: the issuing CA beside the root" "$WORK/pv.text"
expect_json '[f["status"] for f in d["subjects"][0]["findings"] if f["rule"] == "path-valid"] == ["pass"]' \
	"json: path-valid is reported" "$WORK/pv.json"
expect_json 'd["subjects"][0]["anchor"]["issuing_ca"] == "BWC Test PKI"' "json: anchor.issuing_ca" "$WORK/pv.json"
expect_grep 'name="path-valid"' "junit: path-valid is a testcase" "$WORK/pv.junit"
expect_grep 'name="anchor.issuing_ca" value="BWC Test PKI"' "junit: the issuing CA property" "$WORK/pv.junit"
expect_grep '"id": "path-valid"' "sarif: path-valid in the rule table" "$WORK/pv.sarif"
expect_grep '"issuingCa": "BWC Test PKI"' "sarif: the issuing CA in the subject summary" "$WORK/pv.sarif"
expect_grep 'rule="path-valid",severity="error"} 0$' "prometheus: path-valid is a rule sample" "$WORK/pv.prometheus"
expect_grep '^bwcertcheck_anchor_info{.*issuing_ca="BWC Test PKI"} 1$' "prometheus: bwcertcheck_anchor_info names the issuing CA" "$WORK/pv.prometheus"
expect_grep '^BWCERTCHECK OK - ' "nagios: the good chain, path-valid included, is OK" "$WORK/pv.nagios"

finish

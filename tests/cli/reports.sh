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

## An error rule skipped for want of input is named beside the verdict.
NF="$BWC lint --trust-store $T/root.pem"
for fmt in $FORMATS; do
	expect_exit 0 "no --fqdn ($fmt): still exit 0" -- $NF --format "$fmt" "$T/good.pem"
	cp "$WORK/out" "$WORK/nc.$fmt"
done
expect_grep 'good.pem  COMPLIANT (not checked: fqdn-match: no --fqdn given)$' "text: the subject line names fqdn-match" "$WORK/nc.text"
expect_grep '^COMPLIANT (not checked: fqdn-match: no --fqdn given): 1 chain' "text: the summary line names fqdn-match" "$WORK/nc.text"
expect_no_grep '^COMPLIANT:' "text: no bare COMPLIANT" "$WORK/nc.text"
expect_json 'd["subjects"][0]["not_checked"] == [{"rule": "fqdn-match", "why": "no --fqdn given"}]' "json: not_checked per subject" "$WORK/nc.json"
expect_grep '^BWCERTCHECK OK - .*good.pem: compliant (not checked: fqdn-match: no --fqdn given)' "nagios: the status line names fqdn-match" "$WORK/nc.nagios"
expect_grep '^\[NOT CHECKED\] .*good.pem: fqdn-match: no --fqdn given$' "nagios: a long-output line for it" "$WORK/nc.nagios"
expect_grep '<property name="not_checked" value="fqdn-match: no --fqdn given"/>' "junit: a not_checked property" "$WORK/nc.junit"
expect_json 'd["runs"][0]["properties"]["subjects"][0]["notChecked"] == [{"rule": "fqdn-match", "why": "no --fqdn given"}]' "sarif: notChecked in the subject summary" "$WORK/nc.sarif"
expect_json 'any("not checked: fqdn-match" in n["message"]["text"] for n in d["runs"][0]["invocations"][0]["toolExecutionNotifications"])' "sarif: a notification says it" "$WORK/nc.sarif"
expect_grep '^bwcertcheck_rule_not_checked{subject=".*good.pem",rule="fqdn-match"} 1$' "prometheus: bwcertcheck_rule_not_checked" "$WORK/nc.prometheus"
# With --fqdn everything ran: nothing is said.
$L --format json "$T/good.pem" >"$WORK/c.json" 2>/dev/null
expect_json 'd["subjects"][0]["not_checked"] == []' "json: with --fqdn not_checked is empty" "$WORK/c.json"
$L --format nagios "$T/good.pem" >"$WORK/c.nagios" 2>/dev/null
expect_no_grep 'not checked' "nagios: with --fqdn nothing is said" "$WORK/c.nagios"
# --disable is a choice, --key optional: neither is "not checked".
$L --disable fqdn-match --format json "$T/good.pem" >"$WORK/d.json" 2>/dev/null
expect_json 'd["subjects"][0]["not_checked"] == []' "json: a disabled rule is not in not_checked" "$WORK/d.json"
# Several chains: the run's summary counts them.
$NF --each --format nagios "$T/good.pem" "$T/no-ku.pem" >"$WORK/nc2.nagios" 2>/dev/null
expect_grep '^BWCERTCHECK OK - 2 subjects: .*; not checked: fqdn-match in 2 of 2' "nagios: the fleet line says not checked" "$WORK/nc2.nagios"
$NF --each --color never "$T/good.pem" "$T/no-ku.pem" >"$WORK/nc2.txt" 2>/dev/null
expect_grep '^COMPLIANT (not checked: fqdn-match in 2 of 2): 2 chains' "text: the fleet summary says not checked" "$WORK/nc2.txt"

## Nagios thresholds are plugin ranges; --crit-days; N% of the lifetime.
$L --format nagios "$T/good.pem" >"$WORK/r.nagios" 2>/dev/null
expect_grep '| days_left=[0-9]*;30:;0:$' "nagios: days_left=N;30:;0: (alert below)" "$WORK/r.nagios"
expect_exit 1 "expiring: a warning by default" -- $L "$T/expiring.pem"
expect_exit 2 "--crit-days 7: expiring (4 days) is an error" -- $L --crit-days 7 "$T/expiring.pem"
expect_exit 1 "--crit-days 2: expiring (4 days) still a warning" -- $L --crit-days 2 "$T/expiring.pem"
$L --crit-days 7 --format nagios "$T/expiring.pem" >"$WORK/crit.nagios" 2>/dev/null
expect_grep '^BWCERTCHECK CRITICAL - .*not compliant: expires-soon; .*| days_left=[0-9]*;30:;7:$' \
    "nagios: CRITICAL, critical range 7:" "$WORK/crit.nagios"
expect_grep '^\[CRITICAL\] .*expires-soon: .*(an error at 7 days, --crit-days)' "nagios: the finding is CRITICAL" "$WORK/crit.nagios"
$L --crit-days 7 --format json "$T/expiring.pem" >"$WORK/crit.json" 2>/dev/null
expect_json '[f["severity"] for f in d["subjects"][0]["findings"] if f["rule"] == "expires-soon"] == ["error"] and d["policy"]["crit_days"] == 7' \
    "json: the finding's severity is error; policy crit_days" "$WORK/crit.json"
$L --crit-days 7 --format junit "$T/expiring.pem" >"$WORK/crit.junit" 2>/dev/null
expect_grep '<failure message=".*" type="error">' "junit: the failure's type is error" "$WORK/crit.junit"
# good.pem lives 91 days: 33% is 30 days; 99% warns at once.
expect_exit 0 "--warn-days 33%: good passes" -- $L --warn-days 33% "$T/good.pem"
expect_exit 1 "--warn-days 99%: good warns" -- $L --warn-days 99% "$T/good.pem"
expect_exit 2 "--crit-days 99%: good is an error" -- $L --crit-days 99% "$T/good.pem"
$L --warn-days 33% --format json "$T/good.pem" >"$WORK/pct.json" 2>/dev/null
expect_json 'd["policy"]["warn_percent"] == 33 and d["policy"]["warn_days"] is None' "json: policy warn_percent" "$WORK/pct.json"
$L --warn-days 33% --format nagios "$T/good.pem" >"$WORK/pct.nagios" 2>/dev/null
expect_grep '| days_left=[0-9]*;30:;0:$' "nagios: 33% of 91 days is the range 30:" "$WORK/pct.nagios"
expect_exit 3 "--crit-days 101% is refused" -- $L --crit-days 101% "$T/good.pem"
expect_exit 3 "--warn-days 7d is refused" -- $L --warn-days 7d "$T/good.pem"
printf '[policy]\nwarn-days = 99%%\ncrit-days = 3\n' >"$WORK/pct.ini"
expect_exit 1 "[policy] warn-days = 99%" -- $L --config "$WORK/pct.ini" "$T/good.pem"
printf 'crit-days = 99%%\n' >"$WORK/crit.ini"
expect_exit 2 "crit-days = 99% as a setting" -- $L --config "$WORK/crit.ini" "$T/good.pem"

## Real certificate folders: certbot's live/DOMAIN, and what else a folder holds.
LIVE="$WORK/letsencrypt/live"
D="$LIVE/pbx.example.test"
mkdir -p "$D"
cp "$T/good-leaf.pem" "$D/cert.pem"
cp "$T/intermediate.pem" "$D/chain.pem"
cat "$T/good-leaf.pem" "$T/intermediate.pem" >"$D/fullchain.pem"
cp "$T/good.key" "$D/privkey.pem"
printf 'This directory contains your keys and certificates.\n' >"$LIVE/README"
expect_exit 0 "--each live/: every domain linted, README passed over" -- $L --each --format json -o "$WORK/live.json" "$LIVE"
expect_json '[s["name"] for s in d["subjects"]] == ["'"$D"'"]' "certbot: one chain, named after the folder" "$WORK/live.json"
expect_rule key-match pass "certbot: privkey.pem is the key" "$WORK/live.json"
expect_json 'len(d["subjects"][0]["chain"]) == 2' "certbot: fullchain.pem is the chain" "$WORK/live.json"
expect_json 'd["skipped"] == [{"name": "'"$LIVE/README"'", "why": "not a certificate (no PEM block, not DER)"}]' \
    "json: the README is listed as skipped, with why" "$WORK/live.json"
expect_exit 0 "--each live/DOMAIN: the same one chain" -- $L --each --format json -o "$WORK/dom.json" "$D"
expect_json '[s["name"] for s in d["subjects"]] == ["'"$D"'"] and d["skipped"] == []' "certbot folder given itself: one chain" "$WORK/dom.json"
cp "$T/unrelated.key" "$D/privkey.pem"
expect_exit 2 "certbot: a privkey.pem of another certificate fails key-match" -- $L --each "$LIVE"
cp "$T/good.key" "$D/privkey.pem"

# A plain folder: a key alone, an intermediate bundle, a README, an
# empty file and a chain.  Only the chain is judged.
F="$WORK/folder"
mkdir -p "$F"
cp "$T/good.key" "$F/privkey.pem"
cp "$T/intermediate.pem" "$F/chain.pem"
printf 'notes\n' >"$F/README.txt"
: >"$F/empty.pem"
cp "$T/good.pem" "$F/good.pem"
for fmt in $FORMATS; do
	expect_exit 0 "folder ($fmt): exit 0, the chain passes" -- $L --each --format "$fmt" "$F"
	cp "$WORK/out" "$WORK/folder.$fmt"
done
expect_grep 'README.txt  SKIPPED: not a certificate' "text: README.txt skipped" "$WORK/folder.text"
expect_grep 'privkey.pem  SKIPPED: holds a private key, no certificate' "text: a key alone skipped" "$WORK/folder.text"
expect_grep 'chain.pem  SKIPPED: holds CA certificates only' "text: an intermediate bundle skipped" "$WORK/folder.text"
expect_grep 'empty.pem  SKIPPED: an empty file' "text: an empty file skipped" "$WORK/folder.text"
expect_grep '^COMPLIANT: 1 chain checked: 1 compliant, 0 with warnings, 0 not compliant, 0 not evaluated, 4 skipped (exit 0)$' \
    "text: the summary counts the skipped files" "$WORK/folder.text"
expect_json 'len(d["subjects"]) == 1 and len(d["skipped"]) == 4 and d["exit_code"] == 0' "json: 1 subject, 4 skipped" "$WORK/folder.json"
expect_grep '^BWCERTCHECK OK - .*; 4 skipped' "nagios: the status line counts them" "$WORK/folder.nagios"
expect_grep '^\[SKIPPED\] .*privkey.pem: holds a private key' "nagios: a [SKIPPED] line each" "$WORK/folder.nagios"
expect_grep '<skipped message="holds a private key, no certificate"/>' "junit: a skipped test case" "$WORK/folder.junit"
expect_json 'sum(1 for n in d["runs"][0]["invocations"][0]["toolExecutionNotifications"] if n["level"] == "note") == 4 and d["runs"][0]["invocations"][0]["executionSuccessful"]' \
    "sarif: a note each; the run succeeded" "$WORK/folder.sarif"
expect_grep '^bwcertcheck_inputs_skipped 4$' "prometheus: bwcertcheck_inputs_skipped" "$WORK/folder.prometheus"
# What must still be judged or still be an error.
cp "$T/truncated.pem" "$F/truncated.pem"
expect_exit 3 "folder: an unreadable certificate is still exit 3" -- $L --each "$F"
expect_grep 'truncated.pem' "folder: it is named on stderr" "$WORK/err"
rm "$F/truncated.pem"
cp "$T/leaf-is-ca.pem" "$F/leaf-is-ca.pem"
expect_exit 2 "folder: a leaf with cA=TRUE is judged, not passed over" -- $L --each "$F"
rm "$F/leaf-is-ca.pem" "$F/good.pem"
expect_exit 3 "folder: nothing to lint at all is exit 3" -- $L --each "$F"
expect_grep 'no certificate chain in this folder' "folder: and says so" "$WORK/err"

## --disable adds up: repeats, comma lists and --config alike.
expect_exit 0 "--disable a --disable b: both skipped" -- $BWC lint --trust-store "$T/root.pem" --fqdn other.example.test \
    --disable fqdn-match --disable signature-sha256 --format json -o "$WORK/dis.json" "$T/sha1.pem"
expect_json '[f["rule"] for f in d["subjects"][0]["findings"] if f["message"] == "disabled by --disable"] == ["fqdn-match", "signature-sha256"]' \
    "--disable twice: both rules disabled" "$WORK/dis.json"
printf 'disable = fqdn-match\n' >"$WORK/dis.ini"
expect_exit 0 "--config disable + --disable: both skipped" -- $BWC lint --trust-store "$T/root.pem" --fqdn other.example.test \
    --config "$WORK/dis.ini" --disable signature-sha256 "$T/sha1.pem"
expect_exit 0 "--disable a,b --disable c" -- $BWC lint --trust-store "$T/root.pem" --fqdn other.example.test \
    --disable fqdn-match,chain-order --disable signature-sha256 "$T/sha1.pem"

## Fixes in the policy's terms; JSON findings carry their fix.
printf '[policy]\nmin-rsa-bits = 3072\nwildcards = no\n' >"$WORK/strict.ini"
expect_exit 2 "min-rsa-bits 3072: a 2048-bit chain fails" -- $L --config "$WORK/strict.ini" --color never "$T/good.pem"
expect_grep 'fix: Generate a new key of at least 3072 bits' "text: the fix names 3072 bits" "$WORK/out"
expect_no_grep 'at least 2048 bits' "text: the fix does not say 2048" "$WORK/out"
expect_exit 2 "wildcards = no: a wildcard fails" -- $L --config "$WORK/strict.ini" --format json -o "$WORK/wild.json" "$T/wildcard.pem"
expect_json '"allows no wildcards" in [f for f in d["subjects"][0]["findings"] if f["rule"] == "fqdn-match"][0]["fix"]' \
    "json: the fqdn-match fix suggests no wildcard" "$WORK/wild.json"
expect_json 'all(isinstance(f["fix"], str) and f["fix"] for f in d["subjects"][0]["findings"])' \
    "json: every finding has its fix" "$WORK/wild.json"

## Paths in --config are the config file's, not the working directory's.
mkdir -p "$WORK/etc/certs"
cp "$T/root.pem" "$WORK/etc/certs/root.pem"
cp "$T/good.key" "$WORK/etc/certs/good.key"
printf 'pass\n' >"$WORK/etc/pass.txt"
printf 'trust-store = certs/root.pem\nfqdn = pbx.example.test\n[lint]\nkey = certs/good.key\npassword = file:pass.txt\n' >"$WORK/etc/bw.ini"
expect_exit 0 "--config: relative paths from the file's folder" -- sh -c "cd / && $BWC lint --config $WORK/etc/bw.ini --format json $T/good.pem"
expect_json 'd["subjects"][0]["findings"][-1]["rule"] == "key-match" and d["subjects"][0]["findings"][-1]["status"] == "pass"' \
    "--config: key = certs/good.key was read" "$WORK/out"
printf 'trust-store = certs/root.pem\n[lint]\nkey = certs/missing.key\n' >"$WORK/etc/bad.ini"
expect_exit 3 "--config: an unreadable key path is exit 3" -- sh -c "cd / && $BWC lint --config $WORK/etc/bad.ini $T/good.pem"
expect_grep "^bwcertcheck: $WORK/etc/bad.ini:3: key: $WORK/etc/certs/missing.key: No such file or directory\$" \
    "--config: the error names FILE:LINE and the path" "$WORK/err"

## Messages that say what to do next.
expect_exit 3 "lint DIR without --each" -- $L "$F"
expect_grep "^bwcertcheck: $F: a folder: give --each to lint every file in it" "lint DIR: points at --each" "$WORK/err"
expect_exit 3 "a key file given as the chain" -- $L "$T/good.key"
expect_grep "^bwcertcheck: $T/good.key: holds a private key, no certificate: give it with --key" "key as chain: give it with --key" "$WORK/err"
expect_exit 3 "--key with a certificate" -- $L --key "$T/good.pem" "$T/good.pem"
expect_grep "^bwcertcheck: $T/good.pem: holds a certificate, not a private key" "--key cert.pem: says it is a certificate" "$WORK/err"
iconv -f ASCII -t UTF-16 "$T/good.pem" >"$WORK/utf16.pem"
iconv -f ASCII -t UTF-16LE "$T/good.key" >"$WORK/utf16.key"
expect_exit 3 "a UTF-16 PEM" -- $L "$WORK/utf16.pem"
expect_grep "^bwcertcheck: $WORK/utf16.pem: UTF-16 text, as PowerShell's > writes it, not PEM: convert it to ASCII (iconv -f UTF-16 -t ASCII $WORK/utf16.pem" \
    "UTF-16 PEM: says so and how to convert" "$WORK/err"
expect_exit 3 "a UTF-16 key (no byte-order mark)" -- $L --key "$WORK/utf16.key" "$T/good.pem"
expect_grep "utf16.key: UTF-16 text" "UTF-16 key: says so" "$WORK/err"

## Polish.
# An expired certificate is said once: not-expired fails, expires-soon does not warn too.
expect_exit 2 "expired: exit 2" -- $L --format json -o "$WORK/exp.json" "$T/expired.pem"
expect_rule not-expired fail "expired: not-expired fails" "$WORK/exp.json"
expect_rule expires-soon skip "expired: expires-soon does not warn again" "$WORK/exp.json"
# The leaf is named by the SAN that matched, not its first.
openssl req -new -key "$T/good.key" -subj "/CN=a.example.test" -out "$WORK/two.csr" 2>/dev/null
printf 'subjectAltName = DNS:a.example.test, DNS:pbx.example.test\nextendedKeyUsage = serverAuth\n' >"$WORK/two.ext"
openssl x509 -req -in "$WORK/two.csr" -CA "$T/intermediate.pem" -CAkey "$T/intermediate.key" \
    -CAcreateserial -CAserial "$WORK/two.srl" -days 30 -sha256 -extfile "$WORK/two.ext" -out "$WORK/two-leaf.pem" 2>/dev/null
cat "$WORK/two-leaf.pem" "$T/intermediate.pem" >"$WORK/two.pem"
$L --color never "$WORK/two.pem" >"$WORK/two.txt" 2>&1
expect_grep '^  leaf    pbx.example.test, RSA-2048' "text: the leaf is named by the SAN that covers the FQDN" "$WORK/two.txt"
# -q starts with the first failure, not a blank line.
$L -q --color never "$T/expired.pem" >"$WORK/q.txt" 2>/dev/null
if [ -n "$(head -n 1 "$WORK/q.txt")" ]; then ok "-q: no blank first line"; else not_ok "-q: no blank first line" "$(head -c 100 "$WORK/q.txt")"; fi
# With 2>&1 (cron's recipe) an input's error is said once.
sh -c "$L --color never $T/good.pem $T/truncated.pem 2>&1" >"$WORK/twice.txt"
n=$(grep -c 'truncated.pem: bad PEM\|truncated.pem: .*PEM' "$WORK/twice.txt")
if [ "$n" -eq 1 ]; then ok "2>&1: the error is said once"; else not_ok "2>&1: the error is said once" "$n times: $(cat "$WORK/twice.txt" | head -c 400)"; fi
expect_exit 3 "stderr apart: still one line there" -- $L "$T/good.pem" "$T/truncated.pem"
one_line_err=$(wc -l <"$WORK/err")
if [ "$one_line_err" -eq 1 ]; then ok "stderr apart: one line"; else not_ok "stderr apart: one line" "$one_line_err"; fi
# rules --help, -V, --version with OpenSSL and the roots' source.
expect_exit 0 "rules --help" -- $BWC rules --help
expect_grep '^usage: bwcertcheck rules' "rules --help: its usage" "$WORK/out"
expect_exit 0 "-V" -- $BWC -V
expect_grep '^OpenSSL 3' "--version names the OpenSSL library" "$WORK/out"
expect_grep '^built-in roots: [0-9]*, from Debian.s ca-certificates [0-9]' "--version names the roots' source" "$WORK/out"
expect_grep "(Mozilla's store as of 20[0-9][0-9]-[01][0-9]-[0-3][0-9])" "--version dates the roots" "$WORK/out"
expect_exit 0 "lint -V" -- $BWC lint -V
expect_exit 0 "--help" -- $BWC --help
expect_grep 'env:VAR, file:PATH, stdin' "--help names --password stdin" "$WORK/out"
# The man page's synopsis.
if command -v mandoc >/dev/null 2>&1; then
	mandoc -Tascii "$TOP/man/bwcertcheck.1" 2>/dev/null | col -b >"$WORK/man.txt"
	expect_grep 'bwcertcheck probe \[options\] host\[:port\] \.\.\.' "man: probe's synopsis" "$WORK/man.txt"
	expect_grep '^ *bwcertcheck listen \[options\]' "man: listen's synopsis line" "$WORK/man.txt"
	expect_no_grep "(.-.) is standard input" "man: '-' is standard input, in words" "$WORK/man.txt"
fi
# make demo's files are not where every test run empties.
if grep -q '^dir=.*tests/out' "$TOP/scripts/demo.sh"; then
	not_ok "demo: files outside tests/out" "scripts/demo.sh writes under tests/out"
else
	ok "demo: files outside tests/out"
fi

## -v, --show-chain: each certificate in full, as certigo and s_client -showcerts give it
## (tests/cli/show_chain.sh has the rest: escaping, roles, config, -q).
expect_exit 0 "-v" -- $L -v --color never "$T/good.pem"
fp=$(openssl x509 -in "$T/good-leaf.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
serial=$(openssl x509 -in "$T/good-leaf.pem" -noout -serial | sed 's/.*=//' | tr 'A-F' 'a-f')
expect_grep "^    sha256   $fp\$" "-v: the leaf's SHA-256 fingerprint, as openssl gives it" "$WORK/out"
expect_grep "^    serial   0*$(echo "$serial" | sed 's/^0*//')\$" "-v: the leaf's serial" "$WORK/out"
expect_grep '^  cert 1  intermediate CA$' "-v: the intermediate" "$WORK/out"
expect_grep '^    issuer   CN=BWC Test Issuing CA' "-v: issuer" "$WORK/out"
expect_grep '^    san      pbx.example.test$' "-v: SANs" "$WORK/out"
expect_grep '^    valid    20[0-9-]*T[0-9:]*Z to ' "-v: validity" "$WORK/out"
expect_grep '^    key      RSA-2048, signed with sha256WithRSAEncryption$' "-v: key" "$WORK/out"
expect_grep '^  anchor  root from the trust store' "-v: the root reached from the store" "$WORK/out"
expect_exit 0 "--show-chain" -- $L --show-chain --color never "$T/good.pem"
expect_grep '^  cert 0  leaf$' "--show-chain: the leaf" "$WORK/out"
expect_exit 0 "without -v" -- $L --color never "$T/good.pem"
expect_no_grep '^    sha256   ' "without -v: no chain dump" "$WORK/out"

finish

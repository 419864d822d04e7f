#!/bin/sh
# lint.sh - the lint command end to end: exit status, verdicts read from
# the JSON report, every input format, every kind of bad input.
SUITE=lint
. "$TOP/tests/lib.sh"
T=$TESTDATA
L="$BWC lint --trust-store $T/root.pem --fqdn pbx.example.test"

# lint_json NAME CODE FILE...: run lint with JSON output into $WORK/NAME.json
lint_json() {
	n=$1
	code=$2
	shift 2
	expect_exit "$code" "$n exits $code" -- $L --format json -o "$WORK/$n.json" "$@"
}

# The good chain passes in every format.
lint_json good 0 "$T/good.pem"
expect_json 'd["result"] == "pass" and d["exit_code"] == 0' "good: result pass" "$WORK/good.json"
expect_json 'all(f["status"] != "fail" for f in d["subjects"][0]["findings"])' "good: no finding fails" "$WORK/good.json"
expect_json 'd["subjects"][0]["chain"][0]["key"] == {"type": "RSA", "bits": 2048}' "good: leaf key facts" "$WORK/good.json"
expect_json 'd["subjects"][0]["anchor"]["brand"] == "custom"' "good: anchor from the trust store" "$WORK/good.json"
expect_json 'd["policy"]["name"] == "bandwidth"' "the report names the policy" "$WORK/good.json"
expect_json 'not any(f["rule"] == "tls12" for f in d["subjects"][0]["findings"])' "probe rules absent from a file" "$WORK/good.json"
expect_rule key-match skip "no key: key-match skipped" "$WORK/good.json"
for f in good-with-root.pem good-crlf.pem good-pem.p7b good-der.p7b; do
	lint_json "$f" 0 "$T/$f"
done
expect_exit 0 "DER leaf + PEM intermediate as two files" -- $L "$T/good.der" "$T/intermediate.pem"
expect_exit 1 "intermediate first, leaf second: verifies, chain-order warns" -- $L "$T/intermediate.der" "$T/good-leaf.pem"
expect_exit 0 "stdin" -- sh -c "$L - < $T/good.pem"
lint_json p12 0 --password pass:test-pass "$T/good.p12"
expect_rule key-match pass "PKCS#12 key matches" "$WORK/p12.json"
lint_json p12-3des 0 --password pass:test-pass "$T/good-3des.p12"
export BWC_TEST_PASS=test-pass
expect_exit 0 "--password env:" -- $L --password env:BWC_TEST_PASS "$T/good.p12"
printf 'test-pass\n' >"$WORK/pass.txt"
expect_exit 0 "--password file:" -- $L --password "file:$WORK/pass.txt" "$T/good.p12"
lint_json key 0 --key "$T/good.key" "$T/good.pem"
expect_rule key-match pass "--key matches" "$WORK/key.json"
lint_json enc-key 0 --key "$T/good-enc.key" --password pass:test-pass "$T/good.pem"
lint_json bad-key 2 --key "$T/unrelated.key" "$T/good.pem"
expect_rule key-match fail "--key of another cert fails" "$WORK/bad-key.json"

# Each broken leaf fails (or warns about) its rule.
check_leaf() {
	# check_leaf NAME RULE STATUS EXIT [extra options]
	n=$1 r=$2 s=$3 c=$4
	shift 4
	lint_json "$n" "$c" "$@" "$T/$n.pem"
	expect_rule "$r" "$s" "$n: $r $s" "$WORK/$n.json"
}
check_leaf ec rsa-key fail 2
check_leaf rsa1024 rsa-key-size fail 2
check_leaf sha1 signature-sha256 fail 2
check_leaf md5 signature-sha256 fail 2
check_leaf expired not-expired fail 2
check_leaf expiring expires-soon fail 1
check_leaf not-yet-valid not-expired fail 2
check_leaf self-signed not-self-signed fail 2
check_leaf leaf-is-ca leaf-not-ca fail 2
check_leaf no-serverauth eku-server-auth fail 2
check_leaf no-keyencipherment key-usage-encipherment fail 1
check_leaf no-ku key-usage-encipherment pass 0
check_leaf no-clientauth eku-client-auth fail 0
check_leaf no-eku eku-server-auth pass 0
check_leaf wrong-name fqdn-match fail 2
check_leaf cn-only fqdn-match fail 2
check_leaf nul-san fqdn-match fail 2
check_leaf reversed chain-order fail 1
check_leaf incomplete chain-complete fail 2
check_leaf unlisted-ca accepted-ca fail 2
check_leaf expired-intermediate not-expired fail 2
check_leaf wildcard fqdn-match pass 0
expect_json '"pki.example.test/issuing.crt" in [f for f in d["subjects"][0]["findings"] if f["rule"] == "chain-complete"][0]["message"]' \
	"incomplete: the caIssuers URL is named" "$WORK/incomplete.json"
expect_exit 2 "wildcard does not cover two labels" -- $BWC lint --trust-store "$T/root.pem" --fqdn a.pbx.example.test "$T/wildcard.pem"
expect_exit 2 "wildcard does not cover the apex" -- $BWC lint --trust-store "$T/root.pem" --fqdn example.test "$T/wildcard.pem"
expect_exit 0 "expiring passes with --warn-days 3" -- $L --warn-days 3 "$T/expiring.pem"
expect_exit 2 "--at after expiry fails" -- $L --at 2099-01-01T00:00:00Z "$T/good.pem"
expect_exit 0 "--disable turns a failure into a skip" -- $L --disable fqdn-match "$T/wrong-name.pem"
lint_json disabled 0 --disable fqdn-match "$T/wrong-name.pem"
expect_rule fqdn-match skip "a disabled rule is skipped, never passed" "$WORK/disabled.json"
expect_exit 0 "no --fqdn: fqdn-match skipped" -- $BWC lint --trust-store "$T/root.pem" "$T/wrong-name.pem"
expect_exit 2 "built-in roots reject the test root" -- $BWC lint --fqdn pbx.example.test "$T/good.pem"

# The escape sequence in nul-san's SAN never reaches the terminal.
$L --color never "$T/nul-san.pem" >"$WORK/nul.txt" 2>&1
if LC_ALL=C grep -q "$(printf '\033')" "$WORK/nul.txt"; then
	not_ok "no raw ESC in the text report" "found ESC"
else
	ok "no raw ESC in the text report"
fi
expect_grep '\\x1b\[31mred' "escaped ESC is shown as \\x1b" "$WORK/nul.txt"

# Colour: only when asked or on a terminal, never with NO_COLOR or --color never.
esc=$(printf '\033')
$L --color always "$T/good.pem" >"$WORK/c-always.txt" 2>&1
expect_grep "$esc\[32mPASS" "--color always colours the marks" "$WORK/c-always.txt"
$L "$T/good.pem" >"$WORK/c-auto.txt" 2>&1
expect_no_grep "$esc" "--color auto: no colour into a file" "$WORK/c-auto.txt"
$L --color never "$T/good.pem" >"$WORK/c-never.txt" 2>&1
expect_no_grep "$esc" "--color never: no colour" "$WORK/c-never.txt"
if command -v script >/dev/null 2>&1; then
	script -qec "$L $T/good.pem" /dev/null >"$WORK/c-tty.txt" 2>&1
	expect_grep "$esc\[32mPASS" "--color auto colours a terminal" "$WORK/c-tty.txt"
	NO_COLOR=1 script -qec "$L $T/good.pem" /dev/null >"$WORK/c-nocolor.txt" 2>&1
	expect_no_grep "$esc\[3" "NO_COLOR: no colour on a terminal" "$WORK/c-nocolor.txt"
fi
expect_exit 3 "--color with a bad value" -- $L --color sometimes "$T/good.pem"

# A file name with escape sequences is escaped in the report and on stderr.
mkdir -p "$WORK/evil"
evil="$WORK/evil/$(printf 'x\033[31mred\033]0;t\007')"
cp "$T/good.pem" "$evil.pem"
cp "$T/empty.pem" "$evil-empty.pem"
$L --each --color never "$WORK/evil" >"$WORK/evil.txt" 2>&1
if LC_ALL=C grep -q "$(printf '[\033\007]')" "$WORK/evil.txt"; then
	not_ok "no raw ESC or BEL from a file name" "found one"
else
	ok "no raw ESC or BEL from a file name"
fi
expect_exit 3 "--at far outside years 0000-9999 is refused" -- $L --at @-9223372036854775808 "$T/good.pem"
printf '[policy]\nname = ev\302\23331m\n' >"$WORK/c1.ini"
expect_exit 3 "a policy name with a C1 control is refused" -- $L --config "$WORK/c1.ini" "$T/good.pem"

# --each: every file is its own chain; the worst result wins.
expect_exit 2 "--each: worst of good and expired" -- $L --each "$T/good.pem" "$T/expired.pem"
$L --each --format json "$T/good.pem" "$T/expiring.pem" >"$WORK/each.json" 2>/dev/null
expect_json 'len(d["subjects"]) == 2 and d["result"] == "warn"' "--each: two subjects, result warn" "$WORK/each.json"
mkdir -p "$WORK/dir"
cp "$T/good.pem" "$T/no-ku.pem" "$WORK/dir/"
expect_exit 0 "--each over a directory" -- $L --each "$WORK/dir"

# --jobs: several chains judged at once give the report of one at a time,
# in every format: subjects in input order, the same lines on stderr (an
# unreadable file, an empty folder), the same exit status.
J=$WORK/jobs
mkdir -p "$J/folder/pbx" "$J/folder/deeper" "$J/empty"
for f in good expired expiring self-signed ec sha1 md5 no-ku incomplete \
    truncated bad-base64 empty good-crlf good-with-root; do
	cp "$T/$f.pem" "$J/folder/$f.pem"
done
cp "$T/good-pem.p7b" "$T/good.der" "$T/garbage.der" "$T/good.key" "$J/folder/"
cp "$T/intermediate.pem" "$J/folder/chain.pem"
cp "$T/good.pem" "$J/folder/pbx/fullchain.pem"
cp "$T/good.key" "$J/folder/pbx/privkey.pem"
echo "not a certificate" >"$J/folder/README"
ln -s nowhere "$J/folder/dangling.pem"
# One instant for both runs: JUnit stamps each suite with it.
AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
for fmt in text json junit sarif nagios prometheus markdown; do
	$L --each --jobs 1 --at "$AT" --format "$fmt" "$J/folder" "$T/good.pem" \
	    "$J/empty" "$T/expired.pem" >"$J/one.$fmt" 2>"$J/one.$fmt.err"
	rc1=$?
	$L --each --jobs 4 --at "$AT" --format "$fmt" "$J/folder" "$T/good.pem" \
	    "$J/empty" "$T/expired.pem" >"$J/four.$fmt" 2>"$J/four.$fmt.err"
	rc4=$?
	if [ "$rc1" = "$rc4" ] && cmp -s "$J/one.$fmt" "$J/four.$fmt" &&
	    cmp -s "$J/one.$fmt.err" "$J/four.$fmt.err"; then
		ok "--jobs 4 gives the --jobs 1 report, $fmt (exit $rc1)"
	else
		not_ok "--jobs 4 gives the --jobs 1 report, $fmt" \
		    "exit $rc1 vs $rc4; $(diff "$J/one.$fmt" "$J/four.$fmt" | head -n 5)"
	fi
done
expect_json '[s["name"].rsplit("/", 1)[-1] for s in d["subjects"]][-3:] == ["good.pem", "empty", "expired.pem"] and (lambda n: n == sorted(n) and len(n) == 18)([s["name"] for s in d["subjects"]][:-3])' \
    "--jobs: subjects in input order, a folder's sorted" "$J/four.json"
expect_json 'd["exit_code"] == 2 and any(s["name"].endswith("/pbx") for s in d["subjects"])' \
    "--jobs: the certbot folder is one chain, the worst result wins" "$J/four.json"

# Bad input: one line on stderr naming the file, exit 3.
bad_input() {
	expect_exit 3 "$1: exit 3" -- $L "$2"
	if [ "$(wc -l <"$WORK/err")" -eq 1 ] && grep -q -F "$2" "$WORK/err"; then
		ok "$1: one line naming the file"
	else
		not_ok "$1: one line naming the file" "$(cat "$WORK/err")"
	fi
}
bad_input "truncated PEM" "$T/truncated.pem"
bad_input "bad base64" "$T/bad-base64.pem"
bad_input "garbage DER" "$T/garbage.der"
bad_input "empty file" "$T/empty.pem"
bad_input "missing file" "$T/no-such-file.pem"
bad_input "a directory without --each" "$T"
bad_input "PKCS#12 without password" "$T/good.p12"
expect_exit 3 "wrong PKCS#12 password" -- $L --password pass:wrong "$T/good.p12"
expect_grep 'wrong password' "wrong password is named" "$WORK/err"
expect_exit 3 "usage: unknown option" -- $BWC lint --frobnicate "$T/good.pem"
expect_exit 3 "usage: unknown rule in --disable" -- $L --disable no-such-rule "$T/good.pem"
expect_exit 3 "usage: bad --at" -- $L --at yesterday "$T/good.pem"
# A PKCS#7 bundle is a set: its order is never a finding.
openssl crl2pkcs7 -nocrl -certfile "$T/intermediate.pem" -certfile "$T/good-leaf.pem" \
    -out "$WORK/reversed.p7b" 2>/dev/null
lint_json reversed-p7 0 "$WORK/reversed.p7b"
expect_rule chain-order skip "PKCS#7 out of order: chain-order asks no reordering" "$WORK/reversed-p7.json"
expect_exit 1 "the same order in PEM: chain-order warns" -- $L "$T/intermediate.pem" "$T/good-leaf.pem"
expect_exit 3 "usage: an IP address as --fqdn" -- $BWC lint --trust-store "$T/root.pem" --fqdn 8.8.8.8 "$T/good.pem"
expect_grep "^bwcertcheck: --fqdn '8.8.8.8': an IP address, not a host name" "--fqdn IP: one line naming the cause" "$WORK/err"
expect_exit 3 "usage: an underscore in --fqdn" -- $BWC lint --trust-store "$T/root.pem" --fqdn pbx_1.example.test "$T/good.pem"
expect_grep "only letters, digits, '-' and '.'" "--fqdn underscore: the message says which characters" "$WORK/err"
expect_exit 3 "usage: no file" -- $BWC lint
expect_exit 3 "trust store missing" -- $BWC lint --trust-store "$WORK/none.pem" "$T/good.pem"
$L --format json "$T/good.pem" "$T/empty.pem" >"$WORK/err.json" 2>/dev/null
expect_json 'd["exit_code"] == 3' "an input error in a chain gives exit 3" "$WORK/err.json"
$L --each --format json "$T/good.pem" "$T/truncated.pem" >"$WORK/err2.json" 2>/dev/null
expect_json '[s["result"] for s in d["subjects"]] == ["pass", "error"]' "--each goes on past a bad file" "$WORK/err2.json"

# rules: every rule ID is listed, explained and in the man page.
$BWC rules >"$WORK/rules.txt"
$BWC rules --format json >"$WORK/rules.json"
ids=$($PY -c 'import json,sys; print(" ".join(r["id"] for r in json.load(open(sys.argv[1]))))' "$WORK/rules.json")
for id in $ids; do
	if grep -q "^$id " "$WORK/rules.txt" && grep -q "^\.It Li $id\$" "$TOP/man/bwcertcheck.1" &&
		$BWC rules "$id" >/dev/null; then
		ok "rule $id is listed, explained and in the man page"
	else
		not_ok "rule $id" "missing from rules output or man page"
	fi
done
expect_exit 3 "rules: unknown ID" -- $BWC rules no-such-rule
expect_exit 0 "--version" -- $BWC --version
expect_exit 0 "--help" -- $BWC --help

finish

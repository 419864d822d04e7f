#!/bin/sh
# show_chain.sh - -v/--show-chain prints every certificate of the chain
# in the text report (subject, issuer, serial, SANs, validity, key,
# SHA-256 fingerprint), with the same facts openssl x509 reads, and
# escapes everything that comes from the certificate.
SUITE=show_chain
. "$TOP/tests/lib.sh"
T=$TESTDATA
# One instant for every run: the -v and --show-chain reports are compared
# whole, header ("evaluated at") included.
L="$BWC lint --trust-store $T/root.pem --fqdn pbx.example.test --at $(date -u +%Y-%m-%dT%H:%M:%SZ)"

# The leaf and the intermediate of good.pem, as separate files.
awk -v d="$WORK" '/BEGIN CERT/ { n++ } { print > (d "/c" n ".pem") }' "$T/good.pem"
leaf_fp=$(openssl x509 -in "$WORK/c1.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
inter_fp=$(openssl x509 -in "$WORK/c2.pem" -noout -fingerprint -sha256 | sed 's/.*=//')
leaf_serial=$(openssl x509 -in "$WORK/c1.pem" -noout -serial | sed 's/.*=//' | tr 'A-F' 'a-f')
leaf_end=$(openssl x509 -in "$WORK/c1.pem" -noout -enddate | sed 's/.*=//')
leaf_end=$(date -u -d "$leaf_end" +%Y-%m-%dT%H:%M:%SZ)

expect_exit 0 "-v: exit 0" -- $L -v "$T/good.pem"
cp "$WORK/out" "$WORK/v.txt"
expect_grep '^  cert 0  leaf$' "-v: cert 0 is the leaf" "$WORK/v.txt"
expect_grep '^  cert 1  intermediate CA$' "-v: cert 1 is the intermediate" "$WORK/v.txt"
expect_grep '^  anchor  root from the trust store' "-v: the anchor from the store is shown" "$WORK/v.txt"
expect_grep "^    sha256   $leaf_fp\$" "-v: the leaf's SHA-256 fingerprint is openssl's" "$WORK/v.txt"
expect_grep "^    sha256   $inter_fp\$" "-v: the intermediate's fingerprint is openssl's" "$WORK/v.txt"
expect_grep "^    serial   $leaf_serial\$" "-v: the leaf's serial is openssl's" "$WORK/v.txt"
expect_grep '^    subject  CN=pbx.example.test$' "-v: the leaf's subject" "$WORK/v.txt"
expect_grep '^    issuer   CN=BWC Test Issuing CA,O=BWC Test PKI,C=US$' "-v: the leaf's issuer" "$WORK/v.txt"
expect_grep '^    san      pbx.example.test$' "-v: the leaf's SANs" "$WORK/v.txt"
expect_grep "^    valid    .* to $leaf_end ([0-9]* days left)\$" "-v: the leaf's validity and days left" "$WORK/v.txt"
expect_grep '^    key      RSA-2048, signed with sha256WithRSAEncryption$' "-v: key and signature" "$WORK/v.txt"
n=$(grep -c '^    sha256 ' "$WORK/v.txt")
if [ "$n" -eq 3 ]; then ok "-v: three certificates (two given, the anchor)"; else not_ok "-v: three certificates" "$n"; fi

expect_exit 0 "--show-chain: exit 0" -- $L --show-chain "$T/good.pem"
if cmp -s "$WORK/out" "$WORK/v.txt"; then ok "--show-chain is -v"; else not_ok "--show-chain is -v" "outputs differ"; fi

expect_exit 0 "without -v: exit 0" -- $L "$T/good.pem"
expect_no_grep '^    sha256 ' "without -v: no certificate dump" "$WORK/out"
expect_exit 0 "-q -v: exit 0" -- $L -q -v "$T/good.pem"
expect_no_grep 'sha256' "-q -v: quiet wins, no dump" "$WORK/out"

# The input holds the root: it is cert 2, and no anchor line repeats it.
expect_exit 0 "-v with the root given: exit 0" -- $L -v "$T/good-with-root.pem"
expect_grep '^  cert 2  root, self-signed$' "-v: a root given is cert 2" "$WORK/out"
expect_no_grep '^  anchor ' "-v: a root given is not shown twice" "$WORK/out"

# An expired leaf says so.
expect_exit 2 "-v expired: exit 2" -- $L -v "$T/expired.pem"
expect_grep '^    valid    .*(expired [0-9]* days\{0,1\} ago)$' "-v: an expired certificate says since when" "$WORK/out"

# From --config too.
printf '[lint]\nshow-chain = yes\n' >"$WORK/v.ini"
expect_exit 0 "show-chain = yes in --config: exit 0" -- $L --config "$WORK/v.ini" "$T/good.pem"
expect_grep "^    sha256   $leaf_fp\$" "show-chain = yes in --config dumps the chain" "$WORK/out"

# The JSON report already holds the chain; -v changes nothing there.
expect_exit 0 "-v --format json: exit 0" -- $L -v --format json "$T/good.pem"
expect_json 'd["subjects"][0]["chain"][0]["sha256"] == "'"$(echo "$leaf_fp" | tr -d : | tr A-F a-f)"'"' \
	"-v --format json: the chain's sha256 is the same fingerprint" "$WORK/out"

# Hostile names: control characters, CR LF, bidi overrides, NUL.
H=$WORK/h
mkdir -p "$H"
if "$TOP/tests/hostile_gen" "$T" "$H" >/dev/null 2>"$WORK/gen.err"; then
	for f in names-ctrl.pem names-bad-utf8.pem names-utf8.pem; do
		$L -v "$H/$f" >"$WORK/hostile.txt" 2>"$WORK/err"
		if $PY "$TOP/tests/hostile_check.py" text "$WORK/hostile.txt" "$WORK/err" >"$WORK/pyerr" 2>&1; then
			ok "-v $f: everything from the certificate is escaped"
		else
			not_ok "-v $f: everything from the certificate is escaped" "$(head -c 300 "$WORK/pyerr")"
		fi
		expect_grep '^    subject  ' "-v $f: the subject is shown" "$WORK/hostile.txt"
	done
else
	not_ok "hostile_gen" "$(head -c 300 "$WORK/gen.err")"
fi

finish

#!/bin/sh
# fix_chain.sh - the fix-chain command end to end, offline: the chain
# written from reversed, padded, PKCS#7, PKCS#12 and split inputs; the
# lint of what was written; refusals that write nothing; -o replaced
# whole, through a symlink, mode 0644; --key and --p12.
SUITE=fix_chain
. "$TOP/tests/lib.sh"
T=$TESTDATA
F="$BWC fix-chain --trust-store $T/root.pem --fqdn pbx.example.test"
O=$WORK/out

# subjects_of FILE: the subject CNs of the PEM certificates in FILE, one a line.
subjects_of() {
	$PY - "$1" <<'EOF'
import re, subprocess, sys
pem = open(sys.argv[1]).read()
for block in re.findall(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", pem, re.S):
    out = subprocess.run(["openssl", "x509", "-noout", "-subject", "-nameopt", "multiline"],
                         input=block.encode(), capture_output=True).stdout.decode()
    print(re.search(r"commonName\s*=\s*(.*)", out).group(1).strip())
EOF
}

# expect_chain NAME FILE CN...: FILE holds exactly these certificates, in order.
expect_chain() {
	n=$1
	f=$2
	shift 2
	want=$(printf '%s\n' "$@")
	got=$(subjects_of "$f" 2>/dev/null)
	if [ "$got" = "$want" ]; then
		ok "$n"
	else
		not_ok "$n" "got [$(echo $got)], expected [$(echo $want)]"
	fi
}

LEAF=pbx.example.test
ICA="BWC Test Issuing CA"

# Reversed: intermediate first.
expect_exit 0 "reversed chain: fixed, lint passes" -- $F -o "$O-rev.pem" "$T/reversed.pem"
expect_chain "reversed chain: leaf, then intermediate" "$O-rev.pem" "$LEAF" "$ICA"
expect_grep "wrote $O-rev.pem: pbx.example.test, then BWC Test Issuing CA" "reversed: says what it wrote" "$WORK/err"
expect_grep "COMPLIANT" "reversed: prints the lint report" "$WORK/out"
expect_exit 0 "the fixed file lints clean" -- $BWC lint --trust-store "$T/root.pem" --fqdn $LEAF "$O-rev.pem"
mode=$(stat -c %a "$O-rev.pem")
if [ "$mode" = 644 ]; then ok "written with mode 0644"; else not_ok "written with mode 0644" "mode $mode"; fi

# Padded: the root, an unrelated hierarchy, duplicates, shuffled.
cat "$T/other-root.pem" "$T/root.pem" "$T/intermediate.pem" "$T/good-leaf.pem" \
    "$T/intermediate.pem" "$T/other-intermediate.pem" "$T/good-leaf.pem" > "$WORK/padded.pem"
expect_exit 0 "padded chain: fixed" -- $F -o "$O-pad.pem" "$WORK/padded.pem"
expect_chain "padded chain: only the path, no root" "$O-pad.pem" "$LEAF" "$ICA"
expect_grep "left out BWC Test Root CA ($WORK/padded.pem): the root" "padded: the root is named as left out" "$WORK/err"
expect_grep "left out a second copy of BWC Test Issuing CA" "padded: the duplicate is named" "$WORK/err"
expect_grep "left out Other Test Issuing CA.*not on the path" "padded: the stranger is named" "$WORK/err"
cat "$T/unlisted-ca-leaf.pem" "$T/other-intermediate.pem" "$T/good.pem" > "$WORK/two-leaves.pem"
expect_exit 0 "a second leaf of an unaccepted CA is left out" -- $F -o "$O-two.pem" "$WORK/two-leaves.pem"
expect_chain "two leaves: the one reaching the root" "$O-two.pem" "$LEAF" "$ICA"

# Split over files and formats, given in any order.
expect_exit 0 "DER leaf + PEM intermediate + root, any order" -- $F -o "$O-split.pem" "$T/root.pem" "$T/intermediate.der" "$T/good.der"
expect_chain "split: leaf, then intermediate" "$O-split.pem" "$LEAF" "$ICA"
expect_exit 0 "PKCS#7 set (DER)" -- $F -o "$O-p7.pem" "$T/good-der.p7b"
expect_chain "PKCS#7 DER: leaf, then intermediate" "$O-p7.pem" "$LEAF" "$ICA"
openssl crl2pkcs7 -nocrl -certfile "$T/root.pem" -certfile "$T/intermediate.pem" \
    -certfile "$T/good-leaf.pem" -out "$WORK/set.p7b" 2>/dev/null
expect_exit 0 "PKCS#7 set with the root, leaf last" -- $F -o "$O-set.pem" "$WORK/set.p7b"
expect_chain "PKCS#7 set: leaf, then intermediate, no root" "$O-set.pem" "$LEAF" "$ICA"
expect_exit 0 "PKCS#12 input" -- $F --password pass:test-pass -o "$O-p12in.pem" "$T/good.p12"
expect_chain "PKCS#12 input: leaf, then intermediate" "$O-p12in.pem" "$LEAF" "$ICA"
expect_exit 0 "stdin" -- sh -c "$F -o '$O-stdin.pem' - < '$T/reversed.pem'"

# The verdict is the lint of what was written.
expect_exit 2 "a fixed chain with an expired leaf: written, exit 2" -- $F -o "$O-exp.pem" "$T/intermediate.pem" "$T/expired-leaf.pem"
expect_chain "expired leaf: written in order anyway" "$O-exp.pem" "$LEAF" "$ICA"
expect_exit 1 "a fixed chain expiring soon: exit 1" -- $F -o "$O-soon.pem" "$T/expiring.pem"
expect_exit 0 "--format json: the report is JSON" -- $F --format json -o "$O-json.pem" "$T/reversed.pem"
cp "$WORK/out" "$WORK/report.json"
expect_json 'd["subjects"][0]["name"].endswith("out-json.pem") and d["result"] == "pass"' "json: the subject is the file written" "$WORK/report.json"
expect_json 'd["command"] == "fix-chain"' "json: the command is fix-chain" "$WORK/report.json"
expect_exit 0 "--format sarif" -- $F --format sarif -o "$O-sarif.pem" "$T/reversed.pem"
expect_grep '"command": "fix-chain"' "sarif: the command is fix-chain" "$WORK/out"
expect_exit 0 "text" -- $F -o "$O-text.pem" "$T/reversed.pem"
expect_grep "^bwcertcheck fix-chain: policy" "text: the header names fix-chain" "$WORK/out"

# Refusals: nothing written, the reason on stderr, exit 2.
echo "previous" > "$O-keep.pem"
expect_exit 2 "missing intermediate without --fetch: refused" -- $F -o "$O-keep.pem" "$T/incomplete.pem"
expect_grep "nothing written: the issuer of pbx.example.test (CN=BWC Test Issuing CA,O=BWC Test PKI,C=US) is missing; the CA publishes it at http://pki.example.test/issuing.crt" \
    "missing intermediate: names the certificate and the URL" "$WORK/err"
expect_grep "previous" "refused: the previous file is left as it was" "$O-keep.pem"
expect_exit 2 "a chain to a root that is not accepted: refused" -- $F -o "$O-un.pem" "$T/unlisted-ca.pem" "$T/other-root.pem"
expect_grep "self-signed root that is not an accepted CA" "unaccepted root: the reason" "$WORK/err"
if [ -e "$O-un.pem" ]; then not_ok "unaccepted root: nothing written" "file exists"; else ok "unaccepted root: nothing written"; fi
expect_exit 2 "a self-signed leaf: refused" -- $F -o "$O-self.pem" "$T/self-signed.pem"
expect_grep "the leaf, pbx.example.test, is self-signed" "self-signed leaf: said so" "$WORK/err"
expect_exit 2 "the root alone: refused" -- $F -o "$O-root.pem" "$T/root.pem"
expect_grep "only certificate given is a root" "the root alone: the reason" "$WORK/err"
if ls "$WORK"/.out* >/dev/null 2>&1; then not_ok "no temporary file is left" "$(ls -a "$WORK")"; else ok "no temporary file is left"; fi

# Input and usage errors: exit 3, nothing written.
expect_exit 3 "unreadable input" -- $F -o "$O-x.pem" "$WORK/no-such.pem"
expect_exit 3 "garbage input" -- $F -o "$O-x.pem" "$T/garbage.der"
expect_exit 3 "no -o" -- $F "$T/good.pem"
expect_exit 3 "-o - is refused (the report is on stdout)" -- $F -o - "$T/good.pem"
expect_exit 3 "no FILE" -- $F -o "$O-x.pem"
expect_exit 3 "--p12 without --password" -- $F --key "$T/good.key" --p12 "$WORK/x.p12" -o "$O-x.pem" "$T/good.pem"
expect_exit 3 "--p12 without a key" -- $F --password pass:x --p12 "$WORK/x.p12" -o "$O-x.pem" "$T/good.pem"
expect_exit 3 "accepted-ca cannot be disabled" -- $F --disable accepted-ca -o "$O-x.pem" "$T/good.pem"
expect_exit 3 "-o a directory" -- $F -o "$WORK" "$T/good.pem"
if [ -e "$O-x.pem" ]; then not_ok "errors: nothing written" "file exists"; else ok "errors: nothing written"; fi

# -o through a symlink: the target is replaced, the link stays.
mkdir -p "$WORK/etc"
echo old > "$WORK/etc/fullchain.pem"
ln -s etc/fullchain.pem "$WORK/live.pem"
expect_exit 0 "-o a symlink" -- $F -o "$WORK/live.pem" "$T/reversed.pem"
if [ -L "$WORK/live.pem" ]; then ok "the symlink stays a symlink"; else not_ok "the symlink stays a symlink" "replaced"; fi
expect_chain "the symlink's target gets the chain" "$WORK/etc/fullchain.pem" "$LEAF" "$ICA"

# --key: key-match; a key of another certificate writes nothing.
expect_exit 0 "--key that matches" -- $F --format json --key "$T/good.key" -o "$O-key.pem" "$T/reversed.pem"
cp "$WORK/out" "$WORK/key.json"
expect_rule key-match pass "--key: key-match passes" "$WORK/key.json"
expect_exit 2 "--key of another certificate: refused" -- $F --format json --key "$T/unrelated.key" -o "$O-badkey.pem" "$T/reversed.pem"
cp "$WORK/out" "$WORK/badkey.json"
expect_rule key-match fail "--key of another certificate: key-match fails" "$WORK/badkey.json"
if [ -e "$O-badkey.pem" ]; then not_ok "wrong key: nothing written" "file exists"; else ok "wrong key: nothing written"; fi
expect_exit 0 "--key picks the leaf among two" -- $F --key "$T/good.key" -o "$O-pick.pem" "$T/intermediate.pem" "$T/rsa1024-leaf.pem" "$T/good-leaf.pem"
expect_chain "--key: the matching leaf is written" "$O-pick.pem" "$LEAF" "$ICA"
expect_exit 2 "two leaves that both reach the root, no --key: refused" -- $F -o "$O-amb.pem" "$T/intermediate.pem" "$T/rsa1024-leaf.pem" "$T/good-leaf.pem"
expect_grep "leaf certificates that each reach an accepted root" "two leaves: the reason names them" "$WORK/err"

# --p12: a PKCS#12 equipment can import, readable with the password, mode 0600.
expect_exit 0 "--p12 with --key" -- $F --key "$T/good.key" --password pass:s3cret --p12 "$WORK/pbx.p12" -o "$O-p12.pem" "$T/reversed.pem"
mode=$(stat -c %a "$WORK/pbx.p12" 2>/dev/null)
if [ "$mode" = 600 ]; then ok "--p12 written with mode 0600"; else not_ok "--p12 written with mode 0600" "mode $mode"; fi
openssl pkcs12 -in "$WORK/pbx.p12" -passin pass:s3cret -nokeys -out "$WORK/p12-certs.pem" 2>/dev/null
expect_chain "--p12: holds the leaf and the intermediate" "$WORK/p12-certs.pem" "$LEAF" "$ICA"
expect_exit 0 "--p12: lint reads it back, key matches" -- $BWC lint --trust-store "$T/root.pem" --password pass:s3cret "$WORK/pbx.p12"
expect_exit 0 "--p12 from a PKCS#12 input (its key)" -- $F --password pass:test-pass --p12 "$WORK/again.p12" -o "$O-again.pem" "$T/good.p12"
expect_exit 3 "--p12 and -o the same file" -- $F --key "$T/good.key" --password pass:x --p12 "$O-same.pem" -o "$O-same.pem" "$T/good.pem"

# The help and the rules point at fix-chain.
expect_exit 0 "--help" -- $BWC --help
expect_grep "fix-chain" "--help lists fix-chain" "$WORK/out"
expect_exit 0 "rules chain-complete" -- $BWC rules chain-complete
expect_grep "fix-chain" "chain-complete's fix points at fix-chain" "$WORK/out"
expect_exit 0 "rules chain-order" -- $BWC rules chain-order
expect_grep "fix-chain" "chain-order's fix points at fix-chain" "$WORK/out"
finish

#!/bin/sh
# save_chain.sh - probe --save-chain DIR writes the chain each address
# served as PEM, one file per address (HOST_PORT[_ADDRESS].pem), which
# lint then judges as the probe did; says where on stderr and in the
# report; never writes outside DIR (a symlink there is refused); a DIR
# that cannot be used is a run-level error (exit 3, no report).
# tests/integration/fleet.sh has the first cases.
SUITE=save_chain
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BWC=${BWC:-$TOP/bwcertcheck}
. "$TOP/tests/lib.sh"
. "$TOP/tests/integration/servers.sh"
servers_init
need_testdata
FQ=pbx.example.test
P="$BWC probe --trust-store $T/root.pem --timeout 10"
CH="-cert_chain $T/intermediate.pem"
SUITES='AES128-SHA:AES128-SHA256:AES256-SHA256'

start_s_server GOOD -cert "$T/good-leaf.pem" -key "$T/good.key" $CH \
    -tls1_2 -cipher "$SUITES" || exit 1
start_s_server INC -cert "$T/good-leaf.pem" -key "$T/good.key" \
    -tls1_2 -cipher "$SUITES" || exit 1
D=$WORK/chains

# One target: the file, its name, its certificates in the served order.
mkdir -p "$D"
expect_exit 0 "--save-chain: exit 0" -- $P --fqdn $FQ --save-chain "$D" --format json -o "$WORK/one.json" "127.0.0.1:$GOOD_PORT"
f="$D/${FQ}_${GOOD_PORT}_127.0.0.1.pem"
if [ -f "$f" ]; then ok "--save-chain: ${FQ}_${GOOD_PORT}_127.0.0.1.pem"; else not_ok "--save-chain: the file" "$(ls -la "$D" 2>&1)"; fi
expect_grep "saved in $f" "--save-chain: stderr says where the chain went" "$WORK/err"
expect_json "d['subjects'][0]['probe']['saved_chain'] == '$f'" "--save-chain: JSON probe.saved_chain names the file" "$WORK/one.json"
n=$(grep -c 'BEGIN CERTIFICATE' "$f")
if [ "$n" -eq 2 ]; then ok "--save-chain: both served certificates"; else not_ok "--save-chain: both served certificates" "$n"; fi
awk -v d="$WORK" '/BEGIN CERT/ { n++ } { print > (d "/saved" n ".pem") }' "$f"
if [ "$(openssl x509 -in "$WORK/saved1.pem" -noout -fingerprint -sha256)" = "$(openssl x509 -in "$T/good-leaf.pem" -noout -fingerprint -sha256)" ] &&
    [ "$(openssl x509 -in "$WORK/saved2.pem" -noout -fingerprint -sha256)" = "$(openssl x509 -in "$T/intermediate.pem" -noout -fingerprint -sha256)" ]; then
	ok "--save-chain: the leaf, then the intermediate, as served"
else
	not_ok "--save-chain: the served order" "$(grep -c . "$f") lines"
fi
expect_exit 0 "lint of the saved chain: compliant, as the probe said" -- \
	$BWC lint --trust-store "$T/root.pem" --fqdn $FQ "$f"
mode=$(stat -c %a "$f")
if [ "$mode" = 644 ]; then ok "--save-chain: mode 0644"; else not_ok "--save-chain: mode 0644" "$mode"; fi

# Text says it too; -q keeps stderr quiet.
expect_exit 0 "--save-chain text: exit 0" -- $P --fqdn $FQ --save-chain "$D" "127.0.0.1:$GOOD_PORT"
expect_grep "^  saved   $f\$" "--save-chain: the text report names the file" "$WORK/out"
expect_exit 0 "--save-chain -q: exit 0" -- $P -q --fqdn $FQ --save-chain "$D" "127.0.0.1:$GOOD_PORT"
if [ ! -s "$WORK/err" ]; then ok "--save-chain -q: nothing on stderr"; else not_ok "--save-chain -q: nothing on stderr" "$(head -c 200 "$WORK/err")"; fi

# A fleet: one file per address, named from the host; the incomplete
# chain is saved as served (one certificate), and lint fails it too.
printf '127.0.0.1:%s %s\n127.0.0.1:%s %s\n' "$GOOD_PORT" "$FQ" "$INC_PORT" "$FQ" >"$WORK/targets"
rm -rf "$D"
mkdir "$D"
expect_exit 2 "--save-chain fleet: exit 2 (one chain incomplete)" -- $P --targets "$WORK/targets" --save-chain "$D/" --jobs 2
for p in "$GOOD_PORT" "$INC_PORT"; do
	if [ -f "$D/${FQ}_${p}_127.0.0.1.pem" ]; then ok "fleet: ${FQ}_${p}_127.0.0.1.pem"; else not_ok "fleet: ${FQ}_${p}_127.0.0.1.pem" "$(ls "$D")"; fi
done
n=$(grep -c 'BEGIN CERTIFICATE' "$D/${FQ}_${INC_PORT}_127.0.0.1.pem")
if [ "$n" -eq 1 ]; then ok "fleet: the incomplete chain is saved as served"; else not_ok "fleet: the incomplete chain" "$n certificates"; fi
expect_exit 2 "lint of the saved incomplete chain fails as the probe did" -- \
	$BWC lint --trust-store "$T/root.pem" --fqdn $FQ "$D/${FQ}_${INC_PORT}_127.0.0.1.pem"

# Never outside DIR: a symlink of the file's name is refused, not followed.
rm -rf "$D"
mkdir "$D"
echo outside >"$WORK/outside.pem"
ln -s "$WORK/outside.pem" "$D/${FQ}_${GOOD_PORT}_127.0.0.1.pem"
$P --fqdn $FQ --save-chain "$D" "127.0.0.1:$GOOD_PORT" >"$WORK/out" 2>"$WORK/err"
if [ "$(cat "$WORK/outside.pem")" = outside ] && [ -L "$D/${FQ}_${GOOD_PORT}_127.0.0.1.pem" ]; then
	ok "--save-chain: a symlink in DIR is not followed"
else
	not_ok "--save-chain: a symlink in DIR is not followed" "$(head -c 100 "$WORK/outside.pem")"
fi
expect_grep "not a regular file" "--save-chain: the refused file is named on stderr" "$WORK/err"
if [ -z "$(find "$D" -name '.*' -type f)" ]; then ok "--save-chain: no temporary file left"; else not_ok "--save-chain: no temporary file left" "$(ls -a "$D")"; fi

# A DIR that cannot be used: exit 3, one line, no report.
echo file >"$WORK/plain"
expect_exit 3 "--save-chain on a file: exit 3" -- $P --fqdn $FQ --save-chain "$WORK/plain" "127.0.0.1:$GOOD_PORT"
expect_grep "save-chain $WORK/plain: not a directory" "--save-chain on a file: says so" "$WORK/err"
if [ ! -s "$WORK/out" ]; then ok "--save-chain on a file: no report"; else not_ok "--save-chain on a file: no report" "$(head -c 200 "$WORK/out")"; fi
expect_exit 3 "--save-chain under a missing folder: exit 3" -- $P --fqdn $FQ --save-chain "$WORK/no/such" "127.0.0.1:$GOOD_PORT"
expect_grep "save-chain $WORK/no/such: No such file" "--save-chain under a missing folder: says so" "$WORK/err"

# From --config, relative to the file's folder.
mkdir -p "$WORK/cfg"
mkdir -p "$WORK/cfg/saved"
printf '[probe]\nsave-chain = saved\n' >"$WORK/cfg/c.ini"
expect_exit 0 "save-chain in --config: exit 0" -- $P --config "$WORK/cfg/c.ini" --fqdn $FQ "127.0.0.1:$GOOD_PORT"
if [ -f "$WORK/cfg/saved/${FQ}_${GOOD_PORT}_127.0.0.1.pem" ]; then ok "save-chain in --config: beside the config file"; else not_ok "save-chain in --config" "$(ls -R "$WORK/cfg")"; fi

finish

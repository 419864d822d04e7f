#!/bin/sh
# fleet.sh - the probe's reports over a fleet, against real servers on
# 127.0.0.1 (and ::1): one non-compliant host is never hidden behind an
# unreachable one, a targets line "ADDRESS FQDN" is named by its FQDN, a
# probe of an address without --fqdn says what it did not check, and an
# AAAA-only name is the dns-a-record failure it is (dnsmasq).
#
# Needs TOP and BWC (tests/run.sh sets them); TESTDATA is made here with
# testdata/mkpki.sh when it is not given.
SUITE=fleet
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BWC=${BWC:-$TOP/bwcertcheck}
. "$TOP/tests/lib.sh"
. "$TOP/tests/integration/servers.sh"
servers_init
need_testdata
FQ=pbx.example.test
P="$BWC probe --trust-store $T/root.pem --timeout 5"
CH="-cert_chain $T/intermediate.pem"
SUITES='AES128-SHA:AES128-SHA256:AES256-SHA256'

start_s_server GOOD -cert "$T/good-leaf.pem" -key "$T/good.key" $CH \
    -tls1_2 -cipher "$SUITES" || exit 1
start_s_server WRONG -cert "$T/wrong-name-leaf.pem" -key "$T/wrong-name.key" $CH \
    -tls1_2 -cipher "$SUITES" || exit 1
start_s_server TLS13 -cert "$T/good-leaf.pem" -key "$T/good.key" $CH -tls1_3 || exit 1
start_listener SILENT silent || exit 1
CLOSED_PORT=$(free_port)

## A fleet: compliant, not compliant, unreachable.
cat >"$WORK/targets" <<EOF
127.0.0.1:$GOOD_PORT $FQ
127.0.0.1:$WRONG_PORT $FQ
127.0.0.1:$CLOSED_PORT $FQ
EOF
expect_exit 2 "fleet: a non-compliant host outranks an unreachable one" -- \
    $P --targets "$WORK/targets" --format nagios
cp "$WORK/out" "$WORK/fleet.nagios"
expect_grep '^BWCERTCHECK CRITICAL - 3 subjects: 1 compliant, 0 with warnings, 1 not compliant, 1 unknown' \
    "fleet: nagios CRITICAL, each class counted" "$WORK/fleet.nagios"
expect_grep "^\\[UNKNOWN\\] $FQ:$CLOSED_PORT (127.0.0.1): .*connection refused" \
    "fleet: the unreachable host is still listed" "$WORK/fleet.nagios"
expect_exit 3 "fleet: compliant + unreachable is still 3" -- \
    $P --fqdn $FQ "127.0.0.1:$GOOD_PORT" "127.0.0.1:$CLOSED_PORT"

## Names: the FQDN of the line, the address beside it.
expect_exit 2 "fleet: json" -- $P --targets "$WORK/targets" --format json -o "$WORK/fleet.json"
expect_json '[s["name"] for s in d["subjects"]] == ["'"$FQ:$GOOD_PORT"'", "'"$FQ:$WRONG_PORT"'", "'"$FQ:$CLOSED_PORT"'"]' \
    "json: each subject is named FQDN:PORT" "$WORK/fleet.json"
expect_json 'all(s["address"] == "127.0.0.1" for s in d["subjects"][:2])' \
    "json: the address is its own field" "$WORK/fleet.json"
expect_exit 2 "fleet: prometheus" -- $P --targets "$WORK/targets" --format prometheus -o "$WORK/fleet.prom"
expect_grep "^bwcertcheck_subject_result{subject=\"$FQ:$GOOD_PORT\",address=\"127.0.0.1\"} 0\$" \
    "prometheus: subject is the FQDN, address a label" "$WORK/fleet.prom"
expect_grep "'days_left $FQ:$GOOD_PORT (127.0.0.1)'=" "nagios: perfdata labelled by the FQDN" "$WORK/fleet.nagios"
expect_exit 2 "fleet: text" -- $P --targets "$WORK/targets" --color never
expect_grep "^$FQ:$GOOD_PORT \\[127.0.0.1\\]:$GOOD_PORT  COMPLIANT (not checked: dns-a-record: no DNS look-up: the address was given)\$" \
    "text: the header names the FQDN, then the address" "$WORK/out"

## An address without --fqdn: what was not checked is said.
expect_exit 0 "address without --fqdn: exit 0" -- $P --format nagios "127.0.0.1:$GOOD_PORT"
expect_grep '^BWCERTCHECK OK - .*compliant (not checked: fqdn-match: no --fqdn given and HOST is an address; dns-a-record: ' \
    "nagios: OK, not checked: fqdn-match and dns-a-record" "$WORK/out"
expect_exit 0 "address without --fqdn: json" -- $P --format json -o "$WORK/lit.json" "127.0.0.1:$GOOD_PORT"
expect_json 'sorted(n["rule"] for n in d["subjects"][0]["not_checked"]) == ["dns-a-record", "fqdn-match"]' \
    "json: not_checked lists fqdn-match and dns-a-record" "$WORK/lit.json"
expect_exit 0 "address without --fqdn: text" -- $P --color never "127.0.0.1:$GOOD_PORT"
expect_grep '^COMPLIANT (not checked: fqdn-match: ' "text: no bare COMPLIANT" "$WORK/out"

printf '127.0.0.1:%s %s\n' "$GOOD_PORT" "$FQ" >"$WORK/one-target"

## The words of a probe report.
expect_exit 0 "text: a served chain" -- $P --fqdn $FQ --color never "127.0.0.1:$GOOD_PORT"
expect_grep '^  chain   2 certificates served$' "text: a server's chain is 'served', not 'given'" "$WORK/out"
expect_grep '^  tls     TLS 1.2 handshake completed (offered every suite, the server chose ' "text: 'chose', not 'prefers'" "$WORK/out"
expect_no_grep 'prefers' "text: no claim of a preference" "$WORK/out"
expect_exit 2 "TLS 1.3 only" -- $P --fqdn $FQ --color never "127.0.0.1:$TLS13_PORT"
n=$(grep '^  tls ' "$WORK/out" | grep -o 'TLSv1.3' | wc -l)
if [ "$n" -eq 1 ]; then ok "TLS 1.3 only: the tls line says TLSv1.3 once"; else not_ok "TLS 1.3 only: the tls line says TLSv1.3 once" "$(grep '^  tls ' "$WORK/out")"; fi
expect_no_grep 'no TLS 1.2 handshake: no TLS 1.2' "TLS 1.3 only: no repeated words" "$WORK/out"

## Progress on a terminal's stderr: done/total, failures so far, the
## target waited on longest; nothing when stderr is no terminal, or with -q.
printf '127.0.0.1:%s %s\n' "$GOOD_PORT" $FQ "$WRONG_PORT" $FQ "$CLOSED_PORT" $FQ \
    "$SILENT_PORT" $FQ >"$WORK/slow-targets"
if command -v script >/dev/null 2>&1; then
	script -qec "$P --timeout 2 --jobs 4 --format json -o $WORK/p.json --targets $WORK/slow-targets" /dev/null >"$WORK/tty.txt" 2>&1
	expect_grep '4/4 probed, 3 failing' "progress: done/total and failures on a terminal" "$WORK/tty.txt"
	expect_grep "waiting on 127.0.0.1:$SILENT_PORT for [0-9]* s" "progress: names the target waited on longest" "$WORK/tty.txt"
	script -qec "$P -q --timeout 2 --jobs 4 --format json -o $WORK/p.json --targets $WORK/slow-targets" /dev/null >"$WORK/tty-q.txt" 2>&1
	expect_no_grep 'probed' "progress: silent with -q" "$WORK/tty-q.txt"
	# The text report on the same terminal: each subject starts where the
	# progress line was wiped ("\r\033[K"), never glued after its text.
	script -qec "$P --timeout 2 --jobs 4 --color never --targets $WORK/slow-targets" /dev/null >"$WORK/tty-text.txt" 2>&1
	if $PY -c 'import re, sys
t = open(sys.argv[1], "rb").read()
drawn = re.findall(rb"probed, [0-9]+ failing[^\x1b\r\n]*\x1b\[K(.{0,4})", t, re.S)
sys.exit(0 if drawn and all(c in (b"\r\x1b[K", b"") for c in drawn) else 1)' "$WORK/tty-text.txt"; then
		ok "progress: wiped before each report on the same terminal"
	else
		not_ok "progress: wiped before each report on the same terminal" "$(od -c "$WORK/tty-text.txt" | head -8)"
	fi
fi
$P --timeout 2 --jobs 4 --format json -o "$WORK/p.json" --targets "$WORK/slow-targets" 2>"$WORK/notty.err" >/dev/null
expect_no_grep 'probed' "progress: silent when stderr is not a terminal" "$WORK/notty.err"

## --save-chain DIR: each served chain as PEM, to lint later.
mkdir -p "$WORK/chains"
expect_exit 0 "--save-chain: probe" -- $P --fqdn $FQ --save-chain "$WORK/chains" "127.0.0.1:$GOOD_PORT"
saved="$WORK/chains/${FQ}_${GOOD_PORT}_127.0.0.1.pem"
if [ -f "$saved" ] && [ "$(grep -c 'BEGIN CERTIFICATE' "$saved")" -eq 2 ]; then
	ok "--save-chain: one PEM file with the two certificates served"
else
	not_ok "--save-chain: one PEM file with the two certificates served" "$(ls "$WORK/chains")"
fi
expect_exit 0 "--save-chain: the saved chain lints the same" -- $BWC lint --trust-store "$T/root.pem" --fqdn $FQ "$saved"
mkdir -p "$WORK/chains2"
expect_exit 0 "--save-chain: an address without --fqdn" -- $P --save-chain "$WORK/chains2" "127.0.0.1:$GOOD_PORT"
if [ -f "$WORK/chains2/127.0.0.1_$GOOD_PORT.pem" ]; then
	ok "--save-chain: named by the address alone when there is no name"
else
	not_ok "--save-chain: named by the address alone when there is no name" "$(ls "$WORK/chains2")"
fi
expect_exit 3 "--save-chain to a missing folder: exit 3 before probing" -- $P --fqdn $FQ --save-chain "$WORK/none" "127.0.0.1:$GOOD_PORT"
expect_grep "^bwcertcheck: --save-chain $WORK/none: No such file or directory\$" "--save-chain: says why" "$WORK/err"
if [ ! -s "$WORK/out" ]; then ok "--save-chain error: no report"; else not_ok "--save-chain error: no report" "$(head -c 200 "$WORK/out")"; fi

## DNS through dnsmasq: a name with an AAAA record only, its IPv6 port
## closed; a name that does not exist.
V6ARGS=
have_ipv6 && V6ARGS="--host-record=v6only.example.test,::1"
start_dnsmasq DNS --local=/example.test/ $V6ARGS \
    --address=/pbx.example.test/127.0.0.1 || exit 1
R="--resolver 127.0.0.1:$DNS_PORT"
expect_exit 0 "a name with an A record passes" -- $P $R "$FQ:$GOOD_PORT"
expect_exit 3 "NXDOMAIN: exit 3" -- $P $R "nosuch.example.test:$GOOD_PORT"
expect_grep 'NXDOMAIN) (only DNS is asked, /etc/hosts is not read; --connect ADDR probes an address and still checks the name)$' \
    "NXDOMAIN: says /etc/hosts is not read and that --connect exists" "$WORK/err"
if [ -n "$V6ARGS" ]; then
	expect_exit 2 "AAAA only, IPv6 port closed: not compliant, not exit 3" -- \
	    $P $R --format json -o "$WORK/v6.json" "v6only.example.test:$CLOSED_PORT"
	expect_rule dns-a-record fail "AAAA only: dns-a-record fails" "$WORK/v6.json"
	expect_json 'd["subjects"][0]["result"] == "fail" and "error" not in d["subjects"][0]' \
	    "AAAA only: judged, not an error" "$WORK/v6.json"
	expect_json '"connection refused" in [f for f in d["subjects"][0]["findings"] if f["rule"] == "tls12"][0]["message"]' \
	    "AAAA only: the refused IPv6 port is the tls12 finding" "$WORK/v6.json"
	expect_exit 2 "AAAA only: nagios CRITICAL, not UNKNOWN" -- \
	    $P $R --format nagios "v6only.example.test:$CLOSED_PORT"
	expect_grep '^BWCERTCHECK CRITICAL - .*dns-a-record' "AAAA only: the status line names dns-a-record" "$WORK/out"
	expect_exit 2 "AAAA only: text" -- $P $R --color never "v6only.example.test:$CLOSED_PORT"
	expect_grep '^NOT COMPLIANT (not checked: [0-9]* rules: no certificate chain was obtained): ' \
	    "AAAA only: the rules without a chain are counted, not listed" "$WORK/out"
else
	echo "# no IPv6 on this machine: AAAA-only tests skipped"
fi

finish

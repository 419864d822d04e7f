#!/bin/sh
# probe.sh - the probe command against real servers on 127.0.0.1:
# openssl s_server in nine configurations, kamailio with TLS answering
# OPTIONS, dnsmasq serving A and SRV records, and listeners that
# misbehave (plaintext, silent, closing, resetting) or a closed port.
# For each s_server configuration the per-suite verdicts are compared
# with "openssl s_client -tls1_2 -cipher SUITE".
#
# Needs TOP and BWC (tests/run.sh sets them); TESTDATA is made here with
# testdata/mkpki.sh when it is not given.
SUITE=probe
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BWC=${BWC:-$TOP/bwcertcheck}
. "$TOP/tests/lib.sh"
. "$TOP/tests/integration/servers.sh"
servers_init
need_testdata
SUITES="AES128-SHA AES128-SHA256 AES256-SHA256"
FQ=pbx.example.test
P="$BWC probe --trust-store $T/root.pem"

# rule_is IDX RULE STATUS NAME FILE: subject IDX's finding for RULE.
rule_is() {
	expect_json "[f[\"status\"] for f in d[\"subjects\"][$1][\"findings\"] if f[\"rule\"] == \"$2\"] == [\"$3\"]" "$4" "$5"
}

# probe_json NAME CODE ARGS...: probe with JSON output into $WORK/NAME.json.
probe_json() {
	n=$1
	code=$2
	shift 2
	expect_exit "$code" "$n: exit $code" -- $P --format json -o "$WORK/$n.json" "$@"
}

# agree NAME PORT [CIPHER-SUFFIX]: for each suite, bwcertcheck's verdict
# in NAME.json equals s_client's (a TLS 1.2 handshake offering that suite
# alone; the suffix, e.g. ":@SECLEVEL=0", goes after the suite).
agree() {
	for s in $SUITES; do
		if openssl s_client -connect "127.0.0.1:$2" -servername $FQ \
		    -tls1_2 -cipher "$s${3:-}" -no-CAfile -no-CApath -no-CAstore \
		    </dev/null >"$WORK/sc.out" 2>&1 &&
		    grep -q "Cipher    : $s\$" "$WORK/sc.out"; then
			want=accepted
		else
			want=rejected
		fi
		expect_json "d[\"subjects\"][0][\"probe\"][\"ciphers\"][\"$s\"] == \"$want\"" \
		    "$1: $s $want, as s_client says" "$WORK/$1.json"
	done
}

cat "$T/good-leaf.pem" "$T/intermediate.pem" > "$WORK/kam-cert.pem"
CH="-cert_chain $T/intermediate.pem"
start_s_server S3 -cert "$T/good-leaf.pem" -key "$T/good.key" $CH \
    -tls1_2 -cipher 'AES128-SHA:AES128-SHA256:AES256-SHA256' || exit 1
start_s_server S128 -cert "$T/good-leaf.pem" -key "$T/good.key" $CH \
    -tls1_2 -cipher AES128-SHA256 || exit 1
start_s_server ECDHE -cert "$T/good-leaf.pem" -key "$T/good.key" $CH \
    -tls1_2 -cipher 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384' || exit 1
start_s_server TLS13 -cert "$T/good-leaf.pem" -key "$T/good.key" $CH -tls1_3 || exit 1
start_s_server EC -cert "$T/ec-leaf.pem" -key "$T/ec.key" $CH || exit 1
start_s_server EXPIRED -cert "$T/expired-leaf.pem" -key "$T/expired.key" $CH \
    -cipher 'AES128-SHA:AES128-SHA256:AES256-SHA256' || exit 1
# s_server itself needs level 0 to serve a 1024-bit key.
start_s_server WEAK -cert "$T/rsa1024-leaf.pem" -key "$T/rsa1024.key" $CH \
    -cipher 'AES128-SHA:AES128-SHA256:AES256-SHA256:@SECLEVEL=0' || exit 1
start_s_server WRONG -cert "$T/wrong-name-leaf.pem" -key "$T/wrong-name.key" $CH || exit 1
# The right certificate only for SNI pbx.example.test; another without.
start_s_server SNI -cert "$T/wrong-name-leaf.pem" -key "$T/wrong-name.key" $CH \
    -servername $FQ -cert2 "$T/good-leaf.pem" -key2 "$T/good.key" || exit 1
start_kamailio KAM "$WORK/kam-cert.pem" "$T/good.key" || exit 1
start_kamailio KAM8 "$WORK/kam-cert.pem" "$T/good.key" 8 || exit 1
start_listener PLAIN plaintext || exit 1
start_listener SILENT silent || exit 1
start_listener CLOSE close || exit 1
start_listener MIDWAY midway || exit 1
start_listener RESET reset || exit 1
CLOSED_PORT=$(free_port)
V6ARGS=
if have_ipv6; then
	start_s_server6 V6 -cert "$T/good-leaf.pem" -key "$T/good.key" $CH || exit 1
	V6ARGS="--host-record=v6only.example.test,::1"
fi
start_dnsmasq DNS --local=/example.test/ \
    --address=/pbx.example.test/127.0.0.1 \
    --txt-record=noaddr.example.test,"no address here" \
    --srv-host=_sips._tcp.zone.example.test,pbx.example.test,"$S3_PORT",10,50 \
    --srv-host=_sips._tcp.zone.example.test,pbx.example.test,"$S128_PORT",20,50 \
    --srv-host=_sips._tcp.zone.example.test,pbx.example.test,"$ECDHE_PORT",10,80 \
    $V6ARGS || exit 1
R="--resolver 127.0.0.1:$DNS_PORT"

# --- s_server: the three suites, a compliant chain
probe_json s3 0 --fqdn $FQ "127.0.0.1:$S3_PORT"
agree s3 "$S3_PORT"
expect_json 'd["subjects"][0]["kind"] == "host" and d["subjects"][0]["address"] == "127.0.0.1"' "s3: a host subject with its address" "$WORK/s3.json"
expect_json 'd["subjects"][0]["probe"]["tls_version"] == "TLSv1.2"' "s3: TLS 1.2" "$WORK/s3.json"
expect_json 'all(v["handshake_ms"] > 0 for v in d["subjects"][0]["probe"]["suites"].values())' "s3: per-suite handshake times" "$WORK/s3.json"
expect_json 'd["subjects"][0]["chain"][0]["san_dns"] == ["pbx.example.test"]' "s3: the presented chain is linted" "$WORK/s3.json"
rule_is 0 tls12 pass "s3: tls12 passes" "$WORK/s3.json"
rule_is 0 cipher-allowed pass "s3: cipher-allowed passes" "$WORK/s3.json"
rule_is 0 sni-independent pass "s3: sni-independent passes" "$WORK/s3.json"
rule_is 0 accepted-ca pass "s3: accepted-ca passes (--trust-store)" "$WORK/s3.json"
rule_is 0 dns-a-record skip "s3: IP literal: dns-a-record skipped" "$WORK/s3.json"
expect_exit 0 "s3: text report" -- $P --fqdn $FQ "127.0.0.1:$S3_PORT"
expect_grep 'AES128-SHA .*accepted' "s3: text names each suite" "$WORK/out"

# --- only AES128-SHA256: compliant, but not the default suite
probe_json s128 1 --fqdn $FQ "127.0.0.1:$S128_PORT"
agree s128 "$S128_PORT"
rule_is 0 cipher-default fail "s128: cipher-default warns" "$WORK/s128.json"
rule_is 0 cipher-allowed pass "s128: cipher-allowed passes" "$WORK/s128.json"

# --- only ECDHE suites: TLS 1.2 yes, allowed suites no
probe_json ecdhe 2 --fqdn $FQ "127.0.0.1:$ECDHE_PORT"
agree ecdhe "$ECDHE_PORT"
rule_is 0 tls12 pass "ecdhe: tls12 passes" "$WORK/ecdhe.json"
rule_is 0 cipher-allowed fail "ecdhe: cipher-allowed fails" "$WORK/ecdhe.json"
expect_json '"handshake failure" in d["subjects"][0]["probe"]["suites"]["AES128-SHA"]["reason"]' "ecdhe: the alert is the reason" "$WORK/ecdhe.json"

# --- TLS 1.3 only: tls12 fails, the chain is still judged
probe_json tls13 2 --fqdn $FQ "127.0.0.1:$TLS13_PORT"
agree tls13 "$TLS13_PORT"
rule_is 0 tls12 fail "tls13: tls12 fails" "$WORK/tls13.json"
rule_is 0 fqdn-match pass "tls13: the chain (over TLS 1.3) is still linted" "$WORK/tls13.json"
expect_json '"TLSv1.3" in d["subjects"][0]["probe"]["error"]' "tls13: the report says TLS 1.3 works" "$WORK/tls13.json"

# --- an ECDSA certificate
probe_json ec 2 --fqdn $FQ "127.0.0.1:$EC_PORT"
agree ec "$EC_PORT"
rule_is 0 rsa-key fail "ec: rsa-key fails" "$WORK/ec.json"
rule_is 0 cipher-allowed fail "ec: cipher-allowed fails" "$WORK/ec.json"

# --- an expired certificate
probe_json expired 2 --fqdn $FQ "127.0.0.1:$EXPIRED_PORT"
agree expired "$EXPIRED_PORT"
rule_is 0 not-expired fail "expired: not-expired fails" "$WORK/expired.json"
rule_is 0 cipher-allowed pass "expired: suites still accepted" "$WORK/expired.json"

# --- a 1024-bit key: the probe still completes the handshakes (its own
# context runs at security level 0) and rsa-key-size judges the key
probe_json weak 2 --fqdn $FQ "127.0.0.1:$WEAK_PORT"
agree weak "$WEAK_PORT" ":@SECLEVEL=0"
rule_is 0 rsa-key-size fail "weak: rsa-key-size fails" "$WORK/weak.json"
rule_is 0 cipher-allowed pass "weak: the suites are still probed" "$WORK/weak.json"

# --- a certificate for another name
probe_json wrong 2 --fqdn $FQ "127.0.0.1:$WRONG_PORT"
agree wrong "$WRONG_PORT"
rule_is 0 fqdn-match fail "wrong: fqdn-match fails" "$WORK/wrong.json"

# --- another certificate without SNI
probe_json sni 2 --fqdn $FQ "127.0.0.1:$SNI_PORT"
agree sni "$SNI_PORT"
rule_is 0 sni-independent fail "sni: sni-independent fails" "$WORK/sni.json"
rule_is 0 fqdn-match pass "sni: with SNI the right certificate" "$WORK/sni.json"
expect_json '"other.example.test" in [f for f in d["subjects"][0]["findings"] if f["rule"] == "sni-independent"][0]["message"]' "sni: names the certificate sent without SNI" "$WORK/sni.json"
probe_json nosni 2 --no-sni --fqdn $FQ "127.0.0.1:$SNI_PORT"
rule_is 0 sni-independent skip "--no-sni: sni-independent skipped" "$WORK/nosni.json"
rule_is 0 fqdn-match fail "--no-sni: the default certificate is judged" "$WORK/nosni.json"
probe_json servername 2 --servername $FQ --fqdn $FQ "127.0.0.1:$SNI_PORT" --disable sni-independent
rule_is 0 fqdn-match pass "--servername picks the certificate" "$WORK/servername.json"

# --- kamailio: a real SIP server over TLS
probe_json kam 0 --sip --fqdn $FQ "127.0.0.1:$KAM_PORT"
agree kam "$KAM_PORT"
rule_is 0 sip-options pass "kamailio: sip-options passes" "$WORK/kam.json"
expect_json 'd["subjects"][0]["probe"]["sip_status"] == 200' "kamailio: OPTIONS answered 200" "$WORK/kam.json"
expect_exit 0 "kamailio: text report" -- $P --sip --fqdn $FQ "127.0.0.1:$KAM_PORT"
expect_grep 'sip .*SIP/2.0 200 OK' "kamailio: the status line is reported" "$WORK/out"
expect_grep 'answers as kamailio (5\..*probe it with --connections 1' \
    "kamailio 5 found by its Server header: --connections 1 suggested" "$WORK/err"
if [ "$(grep -c 'connections 1' "$WORK/err")" -eq 1 ]; then
	ok "kamailio: the suggestion is made once"
else
	not_ok "kamailio: the suggestion is made once" "$(cat "$WORK/err")"
fi
expect_exit 0 "kamailio, --connections 1: compliant" -- \
    $P --sip --connections 1 --fqdn $FQ "127.0.0.1:$KAM_PORT"
expect_no_grep 'connections 1' "kamailio, --connections 1: no suggestion" "$WORK/err"
expect_exit 0 "kamailio, -q: compliant" -- $P -q --sip --fqdn $FQ "127.0.0.1:$KAM_PORT"
expect_no_grep 'connections 1' "kamailio, -q: no suggestion" "$WORK/err"
# hammer NAME DESC ROUNDS AT-ONCE ARGS...: ROUNDS times, AT-ONCE probes
# with ARGS at the same time; the server NAME (DESC in the test names)
# must outlive them all, and every probe must exit 0.
hammer() {
	hn=$1
	desc=$2
	rounds=$3
	at_once=$4
	shift 4
	i=0
	bad=0
	while [ $i -lt "$rounds" ]; do
		pids=
		j=0
		while [ $j -lt "$at_once" ]; do
			$P --sip --fqdn $FQ "$@" >"$WORK/hammer.$j" 2>&1 &
			pids="$pids $!"
			j=$((j + 1))
		done
		for p in $pids; do
			wait "$p" || bad=$((bad + 1))
		done
		i=$((i + 1))
	done
	what="$((rounds * at_once)) probes, $at_once at a time"
	expect_alive "$hn" "$desc outlives $what"
	if [ $bad -eq 0 ]; then
		ok "$desc: $what, all compliant"
	else
		not_ok "$desc: $what" "$bad did not exit 0; the last: $(tail -n 2 "$WORK/hammer.0")"
	fi
}
# One worker (kamailio.cfg, tcp_children) outlives the concurrent
# handshakes every probe makes, four probes at a time.
hammer KAM "kamailio, one worker" 10 4 "127.0.0.1:$KAM_PORT"
# Eight workers, as kamailio runs by default: every handshake at once
# crashed it within 5 to 14 probes here; one connection at a time
# (--connections 1) never did.
hammer KAM8 "kamailio, eight workers, --connections 1" 40 1 \
    --connections 1 "127.0.0.1:$KAM8_PORT"
expect_exit 3 "--connections 0 is refused" -- $P --connections 0 "127.0.0.1:$KAM8_PORT"
expect_grep 'connections: expected a whole number from 1 to 64' "--connections: the error names the bounds" "$WORK/err"
printf '[probe]\nconnections = 1\n' >"$WORK/conns.ini"
probe_json conns-config 0 --config "$WORK/conns.ini" --sip --fqdn $FQ "127.0.0.1:$KAM8_PORT"
expect_alive KAM8 "kamailio, eight workers: still runs after connections = 1 from --config"
probe_json nosip 1 --sip --timeout 1 --fqdn $FQ "127.0.0.1:$S3_PORT"
rule_is 0 sip-options fail "s_server: no SIP answer warns" "$WORK/nosip.json"

# --- DNS through dnsmasq
probe_json dns 0 $R "$FQ:$S3_PORT"
rule_is 0 dns-a-record pass "dns: dns-a-record passes" "$WORK/dns.json"
expect_json 'd["subjects"][0]["probe"]["dns_a_records"] == 1 and d["subjects"][0]["fqdn"] == "pbx.example.test"' "dns: one A record; FQDN from HOST" "$WORK/dns.json"
probe_json srv 2 $R --srv zone.example.test
expect_json '[s["port"] for s in d["subjects"]] == [int(x) for x in "'"$ECDHE_PORT $S3_PORT $S128_PORT"'".split()]' "srv: every target, by priority then weight" "$WORK/srv.json"
expect_json '[s["result"] for s in d["subjects"]] == ["fail", "pass", "warn"]' "srv: each target judged" "$WORK/srv.json"
probe_json nxdomain 3 $R "nosuch.example.test:$S3_PORT"
expect_grep 'nosuch.example.test.*NXDOMAIN' "nxdomain: one line naming the cause" "$WORK/err"
probe_json noaddr 2 $R "noaddr.example.test:$S3_PORT"
rule_is 0 dns-a-record fail "no A record: dns-a-record fails" "$WORK/noaddr.json"
rule_is 0 tls12 skip "no address: tls12 skipped, not failed" "$WORK/noaddr.json"
probe_json nosrv 3 $R --srv example.test
expect_grep '_sips._tcp.example.test' "no SRV record: names the query" "$WORK/err"
if [ -n "$V6ARGS" ]; then
	probe_json v6only 2 $R --fqdn $FQ "v6only.example.test:$V6_PORT"
	expect_json '"only AAAA" in [f for f in d["subjects"][0]["findings"] if f["rule"] == "dns-a-record"][0]["message"]' "AAAA only: named as the cause" "$WORK/v6only.json"
	rule_is 0 tls12 pass "AAAA only: the IPv6 address is still probed" "$WORK/v6only.json"
	probe_json v6lit 0 --fqdn $FQ "[::1]:$V6_PORT"
fi
probe_json connect 0 --connect "127.0.0.1:$S3_PORT" $FQ
rule_is 0 dns-a-record skip "--connect: no DNS" "$WORK/connect.json"
rule_is 0 fqdn-match pass "--connect: judged against HOST" "$WORK/connect.json"

# --- servers that cannot be evaluated: exit 3, one line on stderr
cannot() {
	probe_json "$1" 3 --timeout 3 "127.0.0.1:$2"
	expect_json 'd["subjects"][0]["result"] == "error"' "$1: result error" "$WORK/$1.json"
	expect_grep "^bwcertcheck: 127.0.0.1:$2: .*$3" "$1: the cause on stderr" "$WORK/err"
	lines=$(wc -l < "$WORK/err")
	if [ "$lines" -eq 1 ]; then ok "$1: one line"; else not_ok "$1: one line" "$lines lines"; fi
}
cannot plaintext "$PLAIN_PORT" 'not a TLS server.*SIP/2.0 400 Bad Request'
cannot closed "$CLOSED_PORT" 'connection refused'
cannot close "$CLOSE_PORT" 'closed the connection'
cannot midway "$MIDWAY_PORT" 'closed the connection during the TLS handshake'
cannot reset "$RESET_PORT" 'reset'
t0=$($PY -c 'import time; print(time.time())')
cannot silent "$SILENT_PORT" 'timed out after 3 s'
t1=$($PY -c 'import time; print(time.time())')
if $PY -c 'import sys; sys.exit(0 if float(sys.argv[2]) - float(sys.argv[1]) < 4 else 1)' "$t0" "$t1"; then
	ok "silent: --timeout 3 ends in under 4 s"
else
	not_ok "silent: --timeout 3 ends in under 4 s" "took $t0 .. $t1"
fi

# --- many targets: --targets, --jobs, --shard, worst exit status
cat > "$WORK/targets" <<EOF
# PBXes to check nightly
127.0.0.1:$S3_PORT $FQ
127.0.0.1:$S128_PORT $FQ   # only AES128-SHA256

127.0.0.1:$EXPIRED_PORT $FQ
127.0.0.1:$KAM_PORT $FQ
EOF
probe_json targets 2 --targets "$WORK/targets" --jobs 4
expect_json '[s["port"] for s in d["subjects"]] == [int(x) for x in "'"$S3_PORT $S128_PORT $EXPIRED_PORT $KAM_PORT"'".split()]' "--jobs 4: reported in input order" "$WORK/targets.json"
expect_json 'all(s["fqdn"] == "pbx.example.test" for s in d["subjects"])' "--targets: FQDN column" "$WORK/targets.json"
probe_json shard1 2 --targets "$WORK/targets" --shard 1/2
probe_json shard2 1 --targets "$WORK/targets" --shard 2/2
expect_json '[s["port"] for s in d["subjects"]] == [int(x) for x in "'"$S3_PORT $EXPIRED_PORT"'".split()]' "--shard 1/2: every other target" "$WORK/shard1.json"
expect_json '[s["port"] for s in d["subjects"]] == [int(x) for x in "'"$S128_PORT $KAM_PORT"'".split()]' "--shard 2/2: the rest" "$WORK/shard2.json"
expect_alive KAM "kamailio still runs after the targets file"
printf '127.0.0.1:%s\n\n127.0.0.1:99999\n' "$S3_PORT" > "$WORK/bad-targets"
expect_exit 3 "--targets: a bad line is an error" -- $P --targets "$WORK/bad-targets"
expect_grep "bad-targets:3: .*99999" "--targets: the error names file and line" "$WORK/err"
expect_exit 2 "two targets: the worst exit status" -- $P --fqdn $FQ "127.0.0.1:$S3_PORT" "127.0.0.1:$WRONG_PORT"
expect_exit 3 "a bad HOST is an error" -- $P "bad_host!:5061"

finish

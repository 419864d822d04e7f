#!/bin/sh
# listen.sh - the listen command against real TLS clients and SIP user
# agents on 127.0.0.1: openssl s_client (each allowed suite, TLS 1.3
# only, ECDHE only, verifying against another CA, trusting a --cert from
# the test PKI, with and without a client certificate), gnutls-cli (a
# second TLS stack, with and without the RSA suites), baresip (a real
# SIP UA placing calls with SDES-SRTP, plain RTP and DTLS-SRTP), and
# hostile clients (silent, plaintext, 1 MB of header, a byte a second,
# Content-Length 2^31, terminal escapes) served beside a good one.
#
# Needs TOP and BWC (tests/run.sh sets them); TESTDATA is made here with
# testdata/mkpki.sh when it is not given.
SUITE=listen
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BWC=${BWC:-$TOP/bwcertcheck}
. "$TOP/tests/lib.sh"
. "$TOP/tests/integration/servers.sh"
servers_init
need_testdata
CLIENT="$SRV_PY $TOP/tests/integration/listen_client.py"
OPTIONS_REQ='OPTIONS sip:test@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK1\r\nFrom: <sip:pbx@127.0.0.1>;tag=1\r\nTo: <sip:test@127.0.0.1>\r\nCall-ID: 1@pbx\r\nCSeq: 1 OPTIONS\r\nUser-Agent: s_client\r\nContent-Length: 0\r\n\r\n'

# listen_start NAME ARGS...: the listener on a free port of 127.0.0.1 in
# the background, JSON into $WORK/NAME.json, stderr into $WORK/NAME.err;
# sets PORT and LPID, returns once it says "listening on".
listen_start() {
	ln=$1
	shift
	PORT=$(free_port) || return 1
	$BWC listen --listen 127.0.0.1 --port "$PORT" \
	    --trust-store "$T/root.pem" --format json -o "$WORK/$ln.json" \
	    "$@" 2>"$WORK/$ln.err" &
	LPID=$!
	echo "$LPID" >> "$SRV/pids"
	i=0
	# The throw-away RSA key can take a few seconds on a busy machine.
	while ! grep -q '^listening on 127.0.0.1:' "$WORK/$ln.err" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 300 ] || ! kill -0 "$LPID" 2>/dev/null; then
			not_ok "$ln: listening" "$(head -c 300 "$WORK/$ln.err")"
			return 1
		fi
		sleep 0.1
	done
}

# listen_wait NAME CODE: the listener ends with exit status CODE.
listen_wait() {
	wait "$LPID"
	got=$?
	if [ "$got" -eq "$2" ]; then
		ok "$1: exit $2"
	else
		not_ok "$1: exit $2" "exit $got; stderr: $(tail -c 400 "$WORK/$1.err")"
	fi
}

# sclient ARGS...: openssl s_client to the listener, sending OPTIONS;
# its output in $WORK/sc.out.  -quiet waits for the listener to close.
sclient() {
	printf "$OPTIONS_REQ" | timeout 20 openssl s_client \
	    -connect "127.0.0.1:$PORT" -quiet "$@" >"$WORK/sc.out" 2>&1
}

# finding I RULE STATUS NAME FILE: subject I's finding for RULE has STATUS.
finding() {
	expect_json "[f[\"status\"] for f in d[\"subjects\"][$1][\"findings\"] if f[\"rule\"] == \"$2\"] == [\"$3\"]" "$4" "$5"
}

# ------------------------------------------------------------------
# s_client: TLS 1.2 with each allowed suite, one connection each.
IANA_AES128_SHA=TLS_RSA_WITH_AES_128_CBC_SHA
IANA_AES128_SHA256=TLS_RSA_WITH_AES_128_CBC_SHA256
IANA_AES256_SHA256=TLS_RSA_WITH_AES_256_CBC_SHA256
J=$WORK/suites.json
if listen_start suites --count 3 --timeout 60; then
	for s in AES128-SHA AES128-SHA256 AES256-SHA256; do
		sclient -tls1_2 -cipher "$s" -no-CAfile -no-CApath -no-CAstore
		expect_grep '^SIP/2.0 200 OK' "s_client $s: the listener answers OPTIONS with 200" "$WORK/sc.out"
	done
	listen_wait suites 1
	i=0
	for iana in $IANA_AES128_SHA $IANA_AES128_SHA256 $IANA_AES256_SHA256; do
		expect_json "d['subjects'][$i]['kind'] == 'client' and d['subjects'][$i]['handshake']['cipher'] == '$iana'" "s_client $iana: negotiated and reported" "$J"
		finding $i client-tls12 pass "s_client $iana: client-tls12 passes" "$J"
		finding $i client-cipher-allowed pass "s_client $iana: client-cipher-allowed passes" "$J"
		finding $i client-verifies-server fail "s_client $iana: no verification, client-verifies-server fails" "$J"
		finding $i sip-request pass "s_client $iana: sip-request passes" "$J"
		finding $i srtp-offer skip "s_client $iana: OPTIONS, srtp-offer skipped" "$J"
		i=$((i + 1))
	done
	finding 0 client-cipher-default pass "AES128-SHA alone: client-cipher-default passes" "$J"
	finding 1 client-cipher-default fail "AES128-SHA256 alone: client-cipher-default warns" "$J"
	expect_json "d['subjects'][0]['sip']['response'] == 200 and d['subjects'][0]['sip']['user_agent'] == 's_client' and d['subjects'][0]['client_hello']['sni'] is None" "the JSON carries the SIP request and the ClientHello" "$J"
	expect_json "d['command'] == 'listen' and d['policy']['srtp'] == 'sdes'" "the JSON names the command and the SRTP policy" "$J"
fi

# s_client offering TLS 1.3 only: refused, and client-tls12 fails.
J=$WORK/tls13.json
if listen_start tls13 --timeout 30; then
	sclient -tls1_3 -no-CAfile -no-CApath -no-CAstore
	listen_wait tls13 2
	finding 0 client-tls12 fail "TLS 1.3 only: client-tls12 fails" "$J"
	expect_json "d['subjects'][0]['client_hello']['versions'] == ['TLSv1.3'] and d['subjects'][0]['handshake']['outcome'] == 'server_alert'" "TLS 1.3 only: the offered versions and the refusal are reported" "$J"
	finding 0 client-verifies-server skip "TLS 1.3 only: client-verifies-server is skipped, not passed" "$J"
fi

# s_client offering ECDHE suites only.
J=$WORK/ecdhe.json
if listen_start ecdhe --timeout 30; then
	sclient -tls1_2 -cipher 'ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384' -no-CAfile -no-CApath -no-CAstore
	listen_wait ecdhe 2
	finding 0 client-tls12 pass "ECDHE only: client-tls12 passes" "$J"
	finding 0 client-cipher-allowed fail "ECDHE only: client-cipher-allowed fails" "$J"
	expect_json "'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' in d['subjects'][0]['client_hello']['suites']" "ECDHE only: the offered suites by IANA name" "$J"
fi

# s_client verifying against another CA refuses the throw-away certificate.
J=$WORK/verify.json
if listen_start verify --timeout 30; then
	sclient -tls1_2 -CAfile "$T/other-root.pem" -verify_return_error
	listen_wait verify 0
	finding 0 client-verifies-server pass "-verify_return_error: client-verifies-server passes" "$J"
	expect_json "d['subjects'][0]['handshake']['client_alert'] in ('unknown_ca', 'bad_certificate', 'certificate_unknown')" "-verify_return_error: the client's alert is reported" "$J"
	finding 0 sip-request skip "-verify_return_error: no SIP, sip-request skipped" "$J"
fi

# --cert from the test PKI, which s_client trusts: the call gets through.
J=$WORK/cert.json
if listen_start cert --cert "$T/good.pem" --key "$T/good.key" --timeout 30; then
	expect_grep "presenting .*pbx.example.test" "--cert: the banner names the certificate" "$WORK/cert.err"
	sclient -tls1_2 -CAfile "$T/root.pem" -verify_return_error -servername pbx.example.test -verify_hostname pbx.example.test
	expect_grep '^SIP/2.0 200 OK' "--cert: s_client verifies the chain and gets 200" "$WORK/sc.out"
	listen_wait cert 0
	finding 0 client-verifies-server skip "--cert: client-verifies-server skipped" "$J"
	expect_json "d['subjects'][0]['client_hello']['sni'] == 'pbx.example.test' and not d['subjects'][0]['handshake']['throwaway_certificate']" "--cert: SNI read, no throw-away certificate" "$J"
fi

# --require-client-cert: one client with the test PKI's chain, one without.
J=$WORK/mtls.json
if listen_start mtls --require-client-cert --count 2 --timeout 40; then
	sclient -tls1_2 -cert "$T/good-leaf.pem" -key "$T/good.key" -cert_chain "$T/intermediate.pem" -no-CAfile -no-CApath -no-CAstore
	sclient -tls1_2 -no-CAfile -no-CApath -no-CAstore
	listen_wait mtls 2
	finding 0 client-certificate pass "mutual TLS: client-certificate passes" "$J"
	finding 0 accepted-ca pass "mutual TLS: the client's chain goes through accepted-ca" "$J"
	finding 0 rsa-key pass "mutual TLS: the client's chain goes through rsa-key" "$J"
	expect_json "len(d['subjects'][0]['chain']) == 2 and not [f for f in d['subjects'][0]['findings'] if f['rule'] == 'key-match']" "mutual TLS: the chain is reported, key-match does not apply" "$J"
	finding 1 client-certificate fail "no client certificate: client-certificate fails" "$J"
	expect_json "[f['severity'] for f in d['subjects'][1]['findings'] if f['rule'] == 'client-certificate'] == ['error']" "with --require-client-cert a missing certificate is an error" "$J"
fi

# ------------------------------------------------------------------
# gnutls-cli: the RSA suites offered (and the certificate not checked),
# no RSA suite, and checking the certificate against the system's CAs.
RSA_PRIO='NONE:+VERS-TLS1.2:+RSA:+AES-128-CBC:+SHA1:+SHA256:+COMP-NULL:+SIGN-ALL:+CTYPE-X509'
J=$WORK/gnutls.json
if listen_start gnutls --count 3 --timeout 60; then
	printf "$OPTIONS_REQ" | timeout 20 gnutls-cli --insecure --priority "$RSA_PRIO" -p "$PORT" 127.0.0.1 >"$WORK/g1.out" 2>&1
	printf "$OPTIONS_REQ" | timeout 20 gnutls-cli --insecure --priority 'NORMAL:-RSA' -p "$PORT" 127.0.0.1 >"$WORK/g2.out" 2>&1
	printf "$OPTIONS_REQ" | timeout 20 gnutls-cli --priority "$RSA_PRIO" -p "$PORT" 127.0.0.1 >"$WORK/g3.out" 2>&1
	listen_wait gnutls 2
	finding 0 client-cipher-allowed pass "gnutls-cli RSA priority: client-cipher-allowed passes" "$J"
	expect_json "d['subjects'][0]['client_hello']['suites'] == ['TLS_RSA_WITH_AES_128_CBC_SHA', 'TLS_RSA_WITH_AES_128_CBC_SHA256'] and d['subjects'][0]['handshake']['outcome'] == 'completed'" "gnutls-cli RSA priority: exactly its two suites, handshake completed" "$J"
	finding 0 client-verifies-server fail "gnutls-cli --insecure: client-verifies-server fails" "$J"
	finding 1 client-cipher-allowed fail "gnutls-cli NORMAL:-RSA: client-cipher-allowed fails" "$J"
	finding 2 client-verifies-server pass "gnutls-cli verifying: client-verifies-server passes" "$J"
fi

# ------------------------------------------------------------------
# baresip places three calls at once: SDES-SRTP, plain RTP, DTLS-SRTP.
# bsconf DIR PORT MEDIAENC: a config folder (test-servers.md).
bsconf() {
	mkdir -p "$1"
	cat > "$1/config" <<EOF
module_path /usr/lib/baresip/modules
module g711.so
module ausine.so
module srtp.so
module dtls_srtp.so
module account.so
module_app menu.so
audio_player ausine,
audio_source ausine,440
audio_alert ausine,
sip_listen 127.0.0.1:$2
sip_trans_def tls
sip_verify_server no
EOF
	echo "<sip:pbx@127.0.0.1>;regint=0;answermode=manual${3:+;mediaenc=$3}" > "$1/accounts"
	: > "$1/contacts"
}
J=$WORK/baresip.json
if listen_start baresip --count 3 --timeout 60; then
	for m in srtp-mand plain dtls_srtp; do
		e=$m
		[ "$m" = plain ] && e=
		bsconf "$WORK/bs-$m" "$(free_port)" "$e"
		timeout 20 baresip -f "$WORK/bs-$m" -e "/dial sip:test@127.0.0.1:$PORT;transport=tls" -t 5 </dev/null >"$WORK/bs-$m.log" 2>&1 &
		echo $! >> "$SRV/pids"
	done
	listen_wait baresip 2
	expect_json "len(d['subjects']) == 3 and all(s['sip']['method'] == 'INVITE' and s['sip']['response'] == 488 and s['sip']['user_agent'].startswith('baresip') for s in d['subjects'])" "baresip: three INVITEs read and answered 488" "$J"
	expect_json "[[f['status'] for f in s['findings'] if f['rule'] == 'srtp-offer'] for s in d['subjects'] if s['sdp']['media'][0]['proto'] == 'RTP/SAVP' and s['sdp']['media'][0]['crypto'][0]['suite'] == 'AES_CM_128_HMAC_SHA1_80'] == [['pass']]" "baresip mediaenc=srtp-mand: RTP/SAVP with a=crypto passes srtp-offer" "$J"
	expect_json "[[f['status'] for f in s['findings'] if f['rule'] == 'srtp-suite'] for s in d['subjects'] if s['sdp']['media'][0]['proto'] == 'RTP/SAVP'] == [['pass']]" "baresip mediaenc=srtp-mand: srtp-suite passes" "$J"
	expect_json "[[f['status'] for f in s['findings'] if f['rule'] == 'srtp-offer'] for s in d['subjects'] if s['sdp']['media'][0]['proto'] == 'RTP/AVP'] == [['fail']]" "baresip without mediaenc: plain RTP/AVP fails srtp-offer" "$J"
	expect_json "[[f['message'] for f in s['findings'] if f['rule'] == 'srtp-offer' and f['status'] == 'fail' and 'DTLS-SRTP' in f['message']] != [] for s in d['subjects'] if s['sdp']['media'][0]['proto'].startswith('UDP/TLS/')] == [True]" "baresip mediaenc=dtls_srtp: reported as DTLS-SRTP, failed under srtp = sdes" "$J"
	if grep -Eq 'inline:[A-Za-z0-9+/]{16}' "$J"; then
		not_ok "baresip: no SDES key in the report" "$(grep -Eo 'inline:[A-Za-z0-9+/]{16}' "$J" | head -1)"
	else
		ok "baresip: no SDES key in the report"
	fi
fi

# ------------------------------------------------------------------
# Hostile clients, all at once, and a good one a moment later: each ends
# within the connection's 15 s, the good one is answered meanwhile, and
# nothing the clients sent reaches the report or stderr unescaped.
J=$WORK/hostile.json
if listen_start hostile --count 8 --timeout 60; then
	t0=$(date +%s)
	for m in silent plaintext flood drip hugebody shortbody escapes; do
		timeout 30 $CLIENT $m "$PORT" >"$WORK/hc-$m.out" 2>&1 &
		echo $! >> "$SRV/pids"
	done
	sleep 1
	timeout 30 $CLIENT options "$PORT" >"$WORK/hc-options.out" 2>&1
	t1=$(date +%s)
	expect_grep '^SIP/2.0 200 OK' "hostile: a good client beside them is answered" "$WORK/hc-options.out"
	if [ $((t1 - t0)) -lt 12 ]; then
		ok "hostile: the good client did not wait for the hostile ones"
	else
		not_ok "hostile: the good client did not wait for the hostile ones" "$((t1 - t0)) s"
	fi
	listen_wait hostile 2
	t2=$(date +%s)
	if [ $((t2 - t0)) -le 25 ]; then
		ok "hostile: every connection ended within its bound"
	else
		not_ok "hostile: every connection ended within its bound" "$((t2 - t0)) s"
	fi
	expect_json "len(d['subjects']) == 8" "hostile: one subject per connection" "$J"
	expect_json "any(s['sip']['user_agent'] == 'short' and [f['status'] for f in s['findings'] if f['rule'] == 'srtp-offer'] == ['fail'] and 'body did not arrive' in s['sdp']['error'] for s in d['subjects'])" "hostile: an INVITE whose body never comes fails srtp-offer" "$J"
	expect_json "any(not s['client_hello']['received'] and 'sent nothing within 15 s' in s['handshake']['detail'] for s in d['subjects'])" "hostile: a silent client ends after 15 s" "$J"
	expect_json "any('OPTIONS sip:test@127.0.0.1 SIP/2.0' in (s['client_hello'].get('not_tls') or '') and s['findings'][0]['status'] == 'fail' for s in d['subjects'])" "hostile: SIP in the clear is quoted and fails client-tls12" "$J"
	expect_json "any('longer than 16384' in (s['sip']['error'] or '') for s in d['subjects'])" "hostile: 1 MB of header stops at 16 KiB" "$J"
	expect_json "any('incomplete SIP request header' in (s['sip']['error'] or '') for s in d['subjects'])" "hostile: a byte a second ends at the bound" "$J"
	expect_json "any(s['sip']['response'] == 413 and '2147483648' in (s['sdp']['error'] or '') for s in d['subjects'])" "hostile: Content-Length 2^31 is refused with 413, unread" "$J"
	expect_grep '^SIP/2.0 413 ' "hostile: the huge body's client gets 413" "$WORK/hc-hugebody.out"
	expect_json "any(s['sip']['user_agent'] == 'evil\\\\x1b]0;owned\\\\x07\\\\x1b[31m' for s in d['subjects'])" "hostile: a User-Agent with escapes is escaped" "$J"
	esc=$(printf '\033')
	bel=$(printf '\007')
	if grep -q "[$esc$bel]" "$J" "$WORK/hostile.err"; then
		not_ok "hostile: no raw control character in the report or on stderr" "found"
	else
		ok "hostile: no raw control character in the report or on stderr"
	fi
fi

# ------------------------------------------------------------------
# Every format carries the client.
for fmt in text json junit sarif nagios prometheus html markdown; do
	PORT=$(free_port)
	$BWC listen --listen 127.0.0.1 --port "$PORT" --timeout 30 \
	    --cert "$T/good.pem" --key "$T/good.key" \
	    --format $fmt -o "$WORK/f.$fmt" 2>"$WORK/f.$fmt.err" &
	LPID=$!
	echo "$LPID" >> "$SRV/pids"
	i=0
	while ! grep -q "^listening on" "$WORK/f.$fmt.err" 2>/dev/null && [ $i -lt 300 ]; do
		i=$((i + 1))
		sleep 0.1
	done
	sclient -tls1_2 -cipher AES128-SHA256 -no-CAfile -no-CApath -no-CAstore
	wait "$LPID"
	expect_grep '127\.0\.0\.1:[0-9]' "--format $fmt: the report names the client" "$WORK/f.$fmt"
done
expect_grep '^  sip     OPTIONS sip:test@127.0.0.1 SIP/2.0; User-Agent: s_client; answered 200' "text: the client's SIP request" "$WORK/f.text"
expect_exit 0 "junit: a client rule's failure is a failure" -- $SRV_PY -c 'import sys, xml.etree.ElementTree as E
t = E.parse(sys.argv[1])
sys.exit(0 if [c for c in t.iter("testcase") if c.get("name") == "client-cipher-default" and c.find("failure") is not None] else 1)' "$WORK/f.junit"
expect_json "any(r['ruleId'] == 'client-cipher-default' for r in d['runs'][0]['results'])" "sarif: a client rule's failure is a result" "$WORK/f.sarif"
expect_grep 'bwcertcheck_rule_failed{.*rule="client-cipher-default".* 1$' "prometheus: a client rule's failure is a metric" "$WORK/f.prometheus"
expect_grep 'WARNING' "nagios: the warning is the status" "$WORK/f.nagios"
expect_grep '<dt>sip</dt><dd>OPTIONS sip:test@127.0.0.1 SIP/2.0; User-Agent: s_client; answered 200</dd>' "html: the client's SIP request" "$WORK/f.html"
expect_grep '^| SIP request | OPTIONS sip:test@127.0.0.1 SIP/2.0; User-Agent: s\\_client; answered 200' "markdown: the client's SIP request" "$WORK/f.markdown"
expect_grep '^| TLS versions offered (as a client) | TLSv1.2' "markdown: the questionnaire answers the outbound direction" "$WORK/f.markdown"
if command -v xmllint >/dev/null 2>&1; then
	expect_exit 0 "junit: well-formed XML" -- xmllint --noout "$WORK/f.junit"
fi
if command -v promtool >/dev/null 2>&1; then
	expect_exit 0 "prometheus: promtool accepts the metrics" -- sh -c "promtool check metrics < '$WORK/f.prometheus'"
fi

# ------------------------------------------------------------------
# Nobody connects; bad settings.
echo previous > "$WORK/keep.json"
PORT=$(free_port)
expect_exit 3 "no client within --timeout: exit 3" -- $BWC listen --listen "127.0.0.1:$PORT" --timeout 1 -q --cert "$T/good.pem" --key "$T/good.key" --format json -o "$WORK/keep.json"
expect_grep "^bwcertcheck: listen: no client connected to 127.0.0.1 port $PORT within 1 s\$" "no client: one line says so (--listen ADDR:PORT)" "$WORK/err"
expect_exit 0 "no client: -o FILE is left as it was" -- grep -qx previous "$WORK/keep.json"
expect_exit 3 "listen --key without --cert is a usage error" -- $BWC listen --key "$T/good.key"
expect_exit 3 "listen --cert with an EC key: exit 3" -- $BWC listen --listen 127.0.0.1 --port "$PORT" --cert "$T/ec.pem" --key "$T/ec.key" --timeout 1
expect_grep 'RSA' "listen --cert EC: says the SBC presents RSA" "$WORK/err"
expect_exit 3 "listen --listen on an address not of this machine: exit 3" -- $BWC listen --listen 192.0.2.77 --port "$PORT" --cert "$T/good.pem" --key "$T/good.key" --timeout 1
expect_grep 'cannot listen on 192.0.2.77' "listen on a foreign address: says why" "$WORK/err"

finish

#!/bin/sh
# live_pages.sh - the html and markdown reports of a probe and of listen.
# Probe: a zone whose two SRV records (dnsmasq) lead to two s_servers on
# 127.0.0.1, one with all three suites, one without the default.  The
# Markdown, rendered by cmark-gfm, answers the questionnaire from what
# the probe measured (A records, port, SRV record, TLS version, suites,
# the default); the page lists the targets most urgent first.  Listen:
# s_client places an INVITE with an SRTP offer and a User-Agent holding
# '|' and '`'; the questionnaire answers what the client offered.
SUITE=live_pages
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BWC=${BWC:-$TOP/bwcertcheck}
. "$TOP/tests/lib.sh"
. "$TOP/tests/integration/servers.sh"
servers_init
need_testdata
CHECK="$PY $TOP/tests/pages_check.py"

start_s_server ALL -cert "$T/good-leaf.pem" -key "$T/good.key" \
    -cert_chain "$T/intermediate.pem" -tls1_2 \
    -cipher 'AES128-SHA:AES128-SHA256:AES256-SHA256' || exit 1
start_s_server ONE -cert "$T/wildcard-leaf.pem" -key "$T/wildcard.key" \
    -cert_chain "$T/intermediate.pem" -tls1_2 -cipher 'AES256-SHA256' || exit 1
Z=_sips._tcp.zone.example.test
start_dnsmasq DNS --local=/example.test/ \
    --address=/pbx.example.test/127.0.0.1 \
    --srv-host="$Z,pbx.example.test,$ALL_PORT,10,50" \
    --srv-host="$Z,pbx.example.test,$ONE_PORT,20,50" || exit 1
P="$BWC probe --trust-store $T/root.pem --resolver 127.0.0.1:$DNS_PORT --srv zone.example.test"

$PY - "$ALL_PORT" "$ONE_PORT" "$Z" >"$WORK/expect.json" <<'PY'
import json, sys
a, o, z = sys.argv[1:]
print(json.dumps({
    "rows": ["pbx.example.test:" + o, "pbx.example.test:" + a],
    "md_rows": ["pbx.example.test:%s (127.0.0.1)" % p for p in (o, a)],
    "results": ["warn", "pass"],
    "counts": {"pass": 1, "warn": 1, "fail": 0, "error": 0},
    "marks": {"pbx.example.test:" + o: ["pass"], "pbx.example.test:" + a: ["pass"]},
    "texts": [],
    "verdict": "COMPLIANT WITH WARNINGS",
    "sections": ["For the carrier's TLS/SRTP questionnaire"],
    "cells": {
        "A records": "127.0.0.1 (1 A, 0 AAAA in DNS)",
        "Port": o,
        "SRV record": "%s: priority 20, weight 50, port %s, target pbx.example.test" % (z, o),
        "TLS version": "TLS 1.2",
        "Allowed suites accepted": "AES256-SHA256; AES128-SHA rejected; AES128-SHA256 rejected",
        "Default suite": "AES128-SHA: rejected",
        "Wildcard": "yes: *.example.test covers pbx.example.test (exactly one label, never a.pbx.example.test)",
    },
}))
PY
# The other target's answers, checked the same way.
$PY - "$WORK/expect.json" "$ALL_PORT" "$Z" >"$WORK/expect2.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d["cells"] = {
    "Port": sys.argv[2],
    "SRV record": "%s: priority 10, weight 50, port %s, target pbx.example.test" % (sys.argv[3], sys.argv[2]),
    "Allowed suites accepted": "AES128-SHA, AES128-SHA256, AES256-SHA256",
    "Default suite": "AES128-SHA: accepted",
    "Wildcard": "no",
}
print(json.dumps(d))
PY

expect_exit 1 "markdown: probe --srv exits 1 (one target lacks the default suite)" -- \
    $P --format markdown -o "$WORK/probe.md"
if cmark-gfm -e table "$WORK/probe.md" >"$WORK/probe-md.html" 2>"$WORK/cmark.err" &&
    $CHECK md "$WORK/probe-md.html" "$WORK/expect.json" >"$WORK/check.out" 2>&1 &&
    $CHECK md "$WORK/probe-md.html" "$WORK/expect2.json" >>"$WORK/check.out" 2>&1; then
	ok "markdown: the questionnaire answers A records, port, SRV, TLS and suites as measured"
else
	not_ok "markdown: questionnaire" "$(head -c 1500 "$WORK/check.out" "$WORK/cmark.err")"
fi
expect_grep "^| $(echo "$Z" | sed 's/_/\\\\_/g') | 10 | 50 | $ALL_PORT | pbx.example.test |\$" \
    "markdown: the SRV records found, in the order a client tries them" "$WORK/probe.md"

expect_exit 1 "html: probe --srv exits 1" -- $P --format html -o "$WORK/probe.html"
if $CHECK html "$WORK/probe.html" "$WORK/expect.json" >"$WORK/check.out" 2>&1; then
	ok "html: the targets most urgent first, well-formed and self-contained"
else
	not_ok "html: probe page" "$(head -c 1500 "$WORK/check.out")"
fi
expect_grep '<code>AES128-SHA</code> rejected' "html: each suite's result in the details" "$WORK/probe.html"

expect_exit 1 "json: the SRV record each target came from" -- $P --format json -o "$WORK/probe.json"
expect_json 'd["subjects"][0]["probe"]["srv"] == {"name": "'"$Z"'", "priority": 10, "weight": 50, "port": '"$ALL_PORT"', "target": "pbx.example.test"}' \
    "json: probe.srv names the record" "$WORK/probe.json"

# ------------------------------------------------------------------
# listen: the equipment as a TLS client, placing a call.
sdp='v=0
o=pbx 1 1 IN IP4 127.0.0.1
s=-
c=IN IP4 127.0.0.1
t=0 0
m=audio 40000 RTP/SAVP 0 8
a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz
a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj
'
body=$(printf '%s' "$sdp" | sed 's/$/\r/')
len=$(printf '%s' "$sdp" | sed 's/$/\r/' | wc -c)
invite() {
	printf 'INVITE sip:test@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK77\r\nMax-Forwards: 70\r\nFrom: <sip:pbx@127.0.0.1>;tag=19\r\nTo: <sip:test@127.0.0.1>\r\nCall-ID: 84b4c76e@pbx\r\nCSeq: 1 INVITE\r\nUser-Agent: pbx|`ua`\r\nContent-Type: application/sdp\r\nContent-Length: %s\r\n\r\n' "$len"
	printf '%s\n' "$body"
}
for fmt in markdown html; do
	port=$(free_port)
	$BWC listen --listen 127.0.0.1 --port "$port" --timeout 30 \
	    --cert "$T/good.pem" --key "$T/good.key" \
	    --format $fmt -o "$WORK/listen.$fmt" 2>"$WORK/listen.$fmt.err" &
	lpid=$!
	echo "$lpid" >> "$SRV/pids"
	i=0
	while ! grep -q "^listening on" "$WORK/listen.$fmt.err" 2>/dev/null &&
	    [ $i -lt 300 ] && kill -0 "$lpid" 2>/dev/null; do
		i=$((i + 1))
		sleep 0.1
	done
	invite | timeout 20 openssl s_client -connect "127.0.0.1:$port" \
	    -tls1_2 -cipher 'AES128-SHA256:AES256-SHA256' -no-CAfile \
	    -no-CApath -no-CAstore -quiet -ign_eof >"$WORK/sc.out" 2>&1
	wait "$lpid"
	got=$?
	if [ "$got" -le 1 ]; then
		ok "listen --format $fmt: a verdict (exit $got)"
	else
		not_ok "listen --format $fmt" "exit $got: $(tail -c 400 "$WORK/listen.$fmt.err")"
	fi
done
$PY - >"$WORK/expect-listen.json" <<'PY'
import json
print(json.dumps({
    "rows": [], "md_rows": None, "results": [], "counts": {}, "marks": {},
    "texts": ["pbx|`ua`"],
    "verdict": "COMPLIANT WITH WARNINGS",
    "sections": ["For the carrier's TLS/SRTP questionnaire"],
    "cells": {
        "TLS versions offered (as a client)": "TLSv1.2",
        "Allowed suites offered": "AES128-SHA256, AES256-SHA256 (of 2 suites offered)",
        "Default suite offered": "AES128-SHA: no",
        "SRTP offer (SDP)": "audio RTP/SAVP: a=crypto AES_CM_128_HMAC_SHA1_80, AES_CM_128_HMAC_SHA1_32",
    },
}))
PY
if cmark-gfm -e table "$WORK/listen.markdown" >"$WORK/listen-md.html" 2>"$WORK/cmark.err" &&
    $CHECK md "$WORK/listen-md.html" "$WORK/expect-listen.json" >"$WORK/check.out" 2>&1; then
	ok "markdown: the questionnaire answers what the client offered, its SRTP suites among it"
else
	not_ok "markdown: listen questionnaire" "$(head -c 1500 "$WORK/check.out" "$WORK/cmark.err")"
fi
expect_grep '^| SIP request | INVITE sip:test@127.0.0.1 SIP/2.0; User-Agent: pbx\\|\\`ua\\`' \
    "markdown: the User-Agent's | and \` stay in their cell" "$WORK/listen.markdown"
expect_grep 'data-result="warn"' "html: the client is a row" "$WORK/listen.html"
expect_grep '<dt>sdp</dt><dd>  a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:&lt;key not shown&gt;' \
    "html: the SDP offer in the details, never its key" "$WORK/listen.html"
expect_no_grep 'WVNfX19zZW1jdGwg' "html: the SDES key is not in the page" "$WORK/listen.html"

finish

#!/bin/sh
# inventory.sh - tls-inventory against real openssl s_server on
# 127.0.0.1: which of TLS 1.0, 1.1 and 1.3 the server also enables
# (each compared with openssl s_client offering that version alone),
# which TLS 1.2 suites beyond the allowed three it accepts, and whether
# it staples OCSP (-status_file); a notice that never changes the
# verdict, in every format, and --disable tls-inventory skips it.
SUITE=inventory
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BWC=${BWC:-$TOP/bwcertcheck}
. "$TOP/tests/lib.sh"
. "$TOP/tests/integration/servers.sh"
servers_init
need_testdata
FQ=pbx.example.test
P="$BWC probe --trust-store $T/root.pem --fqdn $FQ --timeout 10"
CH="-cert_chain $T/intermediate.pem"
THREE='AES128-SHA:AES128-SHA256:AES256-SHA256'
OTHERS='ALL:!aNULL:!eNULL:!AES128-SHA:!AES128-SHA256:!AES256-SHA256'

# A stapled OCSP response for the leaf, made by the issuing CA.
: >"$WORK/index.txt"
if openssl ocsp -issuer "$T/intermediate.pem" -cert "$T/good-leaf.pem" -no_nonce \
    -reqout "$WORK/req.der" >/dev/null 2>&1 &&
    openssl ocsp -index "$WORK/index.txt" -rsigner "$T/intermediate.pem" \
    -rkey "$T/intermediate.key" -CA "$T/intermediate.pem" -reqin "$WORK/req.der" \
    -respout "$WORK/resp.der" -ndays 1 >/dev/null 2>&1 && [ -s "$WORK/resp.der" ]; then
	ok "an OCSP response for the leaf"
else
	not_ok "an OCSP response for the leaf" "openssl ocsp failed"
fi

# Only what the carrier needs.
start_s_server ONLY -cert "$T/good-leaf.pem" -key "$T/good.key" $CH \
    -tls1_2 -cipher "$THREE" || exit 1
# TLS 1.2 and 1.3 (s_server's default versions), the three suites.
start_s_server T13 -cert "$T/good-leaf.pem" -key "$T/good.key" $CH \
    -cipher "$THREE" || exit 1
# TLS 1.1 too (a client wanting it needs @SECLEVEL=0), no TLS 1.0.
start_s_server T11 -cert "$T/good-leaf.pem" -key "$T/good.key" $CH \
    -no_tls1 -cipher "$THREE:@SECLEVEL=0" || exit 1
# Everything this OpenSSL has, and OCSP stapling.
start_s_server WIDE -cert "$T/good-leaf.pem" -key "$T/good.key" $CH \
    -cipher 'ALL:@SECLEVEL=0' -status_file "$WORK/resp.der" || exit 1

# inv NAME PORT: probe in JSON into $WORK/NAME.json; compliant (exit 0)
# whatever the inventory finds.
inv() {
	expect_exit 0 "$1: compliant, exit 0 (a notice never changes it)" -- \
	    $P --format json -o "$WORK/$1.json" "127.0.0.1:$2"
}

# agree NAME PORT: each version's true/false is what s_client finds (a
# handshake it completes says "New, ..., Cipher is X", one refused
# "New, (NONE), Cipher is (NONE)").
agree() {
	for v in 1.0:tls1 1.1:tls1_1 1.3:tls1_3; do
		key=TLSv${v%%:*}
		openssl s_client -connect "127.0.0.1:$2" -servername $FQ \
		    -"${v#*:}" -cipher 'ALL:@SECLEVEL=0' -no-CAfile -no-CApath \
		    -no-CAstore </dev/null >"$WORK/sc.out" 2>&1
		if grep -q '^New, .*Cipher is ' "$WORK/sc.out" &&
		    ! grep -q 'Cipher is (NONE)' "$WORK/sc.out"; then
			want=True
		else
			want=False
		fi
		expect_json "d['subjects'][0]['probe']['inventory']['versions']['$key'] == $want" \
		    "$1: $key is $want, as s_client finds" "$WORK/$1.json"
	done
}

rule() { # rule NAME STATUS: tls-inventory's status in NAME.json
	expect_rule tls-inventory "$2" "$1: tls-inventory $2" "$WORK/$1.json"
}

inv ONLY "$ONLY_PORT"
agree ONLY "$ONLY_PORT"
rule ONLY pass
expect_json "d['subjects'][0]['probe']['inventory']['other_suites'] == [] and d['subjects'][0]['probe']['inventory']['other_suites_complete']" \
    "ONLY: no other suite, and the list is complete" "$WORK/ONLY.json"
expect_json "d['subjects'][0]['probe']['ocsp_stapling'] is False" "ONLY: no OCSP stapling" "$WORK/ONLY.json"

inv T13 "$T13_PORT"
agree T13 "$T13_PORT"
rule T13 pass
expect_json "[f['message'] for f in d['subjects'][0]['findings'] if f['rule'] == 'tls-inventory'][0].startswith('TLS 1.0 refused, TLS 1.1 refused, TLS 1.3 enabled')" \
    "T13: the message lists TLS 1.3" "$WORK/T13.json"

inv T11 "$T11_PORT"
agree T11 "$T11_PORT"
rule T11 fail
expect_json "d['subjects'][0]['result'] == 'pass'" "T11: TLS 1.1 enabled, the subject still passes" "$WORK/T11.json"

inv WIDE "$WIDE_PORT"
agree WIDE "$WIDE_PORT"
rule WIDE fail
first=$(openssl s_client -connect "127.0.0.1:$WIDE_PORT" -servername $FQ -tls1_2 \
    -cipher "$OTHERS:@SECLEVEL=0" -no-CAfile -no-CApath -no-CAstore </dev/null 2>/dev/null |
    sed -n 's/^ *Cipher *: *//p' | head -n 1)
expect_json "d['subjects'][0]['probe']['inventory']['other_suites'][0] == '$first'" \
    "WIDE: the first other suite is the one s_client gets ($first)" "$WORK/WIDE.json"
expect_json "len(d['subjects'][0]['probe']['inventory']['other_suites']) == 24 and not d['subjects'][0]['probe']['inventory']['other_suites_complete']" \
    "WIDE: 24 other suites listed, and said to be maybe more" "$WORK/WIDE.json"
expect_json "len(set(d['subjects'][0]['probe']['inventory']['other_suites'])) == 24 and not set(d['subjects'][0]['probe']['inventory']['other_suites']) & {'AES128-SHA', 'AES128-SHA256', 'AES256-SHA256'}" \
    "WIDE: each once, none of the allowed three" "$WORK/WIDE.json"
expect_json "d['subjects'][0]['probe']['ocsp_stapling'] is True and d['subjects'][0]['probe']['ocsp_response_status'] == 'successful'" \
    "WIDE: OCSP stapled (successful)" "$WORK/WIDE.json"

# Every format, valid and escaped; the notice is there.
check_formats wide 0 $P "127.0.0.1:$WIDE_PORT"
expect_grep '^  NOTE  tls-inventory  *TLS 1.0 enabled, TLS 1.1 enabled, TLS 1.3 enabled; other TLS 1.2 suites: ' \
    "text: the notice lists versions and suites" "$WORK/wide.text"
expect_grep 'OCSP stapling: yes (successful)' "text: OCSP stapling" "$WORK/wide.text"
expect_grep '^bwcertcheck_tls_version_enabled{.*version="TLSv1.0"} 1$' "prometheus: TLS 1.0 enabled" "$WORK/wide.prometheus"
expect_grep '^bwcertcheck_ocsp_stapled{.*} 1$' "prometheus: OCSP stapled" "$WORK/wide.prometheus"
expect_grep '^bwcertcheck_rule_failed{.*rule="tls-inventory",severity="notice"} 1$' "prometheus: the notice" "$WORK/wide.prometheus"
expect_grep '^BWCERTCHECK OK' "nagios: still OK" "$WORK/wide.nagios"
expect_grep 'tls-inventory' "junit: a test case for the notice" "$WORK/wide.junit"
expect_json "[r['level'] for r in d['runs'][0]['results'] if r['ruleId'] == 'tls-inventory'] == ['note']" \
    "sarif: the notice is a note" "$WORK/wide.sarif"
for fmt in html markdown; do
	expect_exit 0 "--format $fmt: exit 0" -- $P --format "$fmt" -o "$WORK/wide.$fmt" "127.0.0.1:$WIDE_PORT"
	expect_grep 'tls-inventory' "$fmt: the notice" "$WORK/wide.$fmt"
done

# --disable tls-inventory: skipped, and none of its handshakes.
expect_exit 0 "--disable tls-inventory: exit 0" -- $P --disable tls-inventory --format json \
    -o "$WORK/off.json" "127.0.0.1:$WIDE_PORT"
rule off skip
expect_json "'inventory' not in d['subjects'][0]['probe'] and d['subjects'][0]['probe']['ocsp_stapling'] is None" \
    "--disable tls-inventory: no inventory taken, no OCSP asked" "$WORK/off.json"

# A server that never answers an old ClientHello (a middlebox that drops
# what it does not like) cannot hold the probe for --timeout: the
# inventory has a bound of its own, and what it could not learn is "not
# determined", never "refused".  relay.py passes a TLS 1.2 or 1.3
# ClientHello on to ONLY and keeps silent on any older one.
cat >"$WORK/relay.py" <<'EOP'
import socket, sys, threading
port, backend = int(sys.argv[1]), int(sys.argv[2])
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", port))
ls.listen(64)

def pump(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

def serve(c):
    head = b""
    c.settimeout(30)
    try:
        while len(head) < 11:
            d = c.recv(11 - len(head))
            if not d:
                c.close()
                return
            head += d
        if head[9:11] < b"\x03\x03":
            while c.recv(65536):
                pass
            c.close()
            return
        b = socket.create_connection(("127.0.0.1", backend))
        b.sendall(head)
        c.settimeout(None)
        threading.Thread(target=pump, args=(b, c), daemon=True).start()
        pump(c, b)
    except OSError:
        c.close()

while True:
    c, _ = ls.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
EOP
RELAY_PORT=$(free_port)
$SRV_PY "$WORK/relay.py" "$RELAY_PORT" "$ONLY_PORT" >"$WORK/relay.log" 2>&1 &
echo $! >>"$SRV/pids"
wait_tcp "$RELAY_PORT" || not_ok "relay" "not listening: $(cat "$WORK/relay.log")"
t0=$(date +%s)
expect_exit 0 "silent on old versions, --timeout 30: still compliant" -- \
    $P --timeout 30 --format json -o "$WORK/silent.json" "127.0.0.1:$RELAY_PORT"
t1=$(date +%s)
if [ $((t1 - t0)) -lt 20 ]; then
	ok "silent on old versions: over long before --timeout 30 ($((t1 - t0)) s)"
else
	not_ok "silent on old versions: over long before --timeout 30" "$((t1 - t0)) s"
fi
expect_json "d['subjects'][0]['probe']['inventory']['versions'] == {'TLSv1.0': None, 'TLSv1.1': None, 'TLSv1.3': False}" \
    "silent on old versions: TLS 1.0 and 1.1 not determined, TLS 1.3 refused" "$WORK/silent.json"
rule silent fail
expect_json "'TLS 1.0 not determined' in [f['message'] for f in d['subjects'][0]['findings'] if f['rule'] == 'tls-inventory'][0]" \
    "silent on old versions: the notice says not determined" "$WORK/silent.json"

expect_exit 0 "rules tls-inventory" -- $BWC rules tls-inventory
expect_grep '^tls-inventory (notice, probe only)' "rules tls-inventory: a notice, probe only" "$WORK/out"

finish

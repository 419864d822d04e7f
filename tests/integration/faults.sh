#!/bin/sh
# faults.sh - the probe when this machine, not the server, is the
# trouble: few file descriptors, little address space; and what a
# fleet needs: SRV targets probed at once, every A record of a name
# probed, a resolver that drops AAAA, a server that wants a client
# certificate.
#
# Servers: openssl s_server, a silent listener, dnsmasq, dns_stub.py
# (AAAA dropped or refused), and multi_tls.c on 127.0.0.2... (all of
# 127.0.0.0/8 is loopback).
SUITE=faults
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BWC=${BWC:-$TOP/bwcertcheck}
. "$TOP/tests/lib.sh"
. "$TOP/tests/integration/servers.sh"
servers_init
need_testdata
FQ=pbx.example.test
P="$BWC probe --trust-store $T/root.pem"
SUITES='AES128-SHA:AES128-SHA256:AES256-SHA256'
CH="-cert_chain $T/intermediate.pem"

start_s_server GOOD -cert "$T/good-leaf.pem" -key "$T/good.key" $CH \
    -tls1_2 -cipher "$SUITES" || exit 1
start_listener SILENT silent || exit 1

# timed NAME CODE MAX -- CMD...: CMD exits CODE within MAX seconds;
# stdout in $WORK/out, stderr in $WORK/err.
timed() {
	name=$1
	want=$2
	max=$3
	shift 4
	start=$(date +%s%N)
	"$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	echo "# $name: exit $rc, $ms ms"
	if [ "$rc" -ne "$want" ]; then
		not_ok "$name" "exit $rc, expected $want (${ms} ms); stderr: $(head -c 300 "$WORK/err")"
	elif [ "$ms" -gt $((max * 1000)) ]; then
		not_ok "$name" "took ${ms} ms, bound ${max} s"
	else
		ok "$name (${ms} ms)"
	fi
}

# lines N SPEC: N lines of SPEC, a --targets file on stdout.
lines() {
	i=0
	while [ "$i" -lt "$1" ]; do
		echo "$2"
		i=$((i + 1))
	done
}

# --- a report that cannot be written stops the run at once
lines 5 "127.0.0.1:$SILENT_PORT $FQ" >"$WORK/silent5"
{ echo "127.0.0.1:$GOOD_PORT $FQ"; cat "$WORK/silent5"; } >"$WORK/good-silent5"
# | head -1: the reader leaves after the first line; one after another
# the five silent targets would take 10 s.
set -- $($PY "$TOP/tests/signal_run.py" head 1 $P --targets "$WORK/good-silent5" \
    --timeout 2 --jobs 1)
echo "# | head -1: rc $1, $2 s"
if [ "$1" = -13 ]; then
	ok "| head -1: ends by SIGPIPE at the first write that fails"
else
	not_ok "| head -1: ends by SIGPIPE at the first write that fails" "rc $1"
fi
if [ "${2%.*}" -lt 6 ]; then
	ok "| head -1: does not probe the rest ($2 s)"
else
	not_ok "| head -1: does not probe the rest" "$2 s"
fi
mkdir -p "$WORK/outdir"
timed "-o DIR: refused before the first probe" 3 2 -- \
    $P --timeout 5 -o "$WORK/outdir" "127.0.0.1:$SILENT_PORT"
expect_grep 'outdir: [Ii]s a directory' "-o DIR: said so, naming it" "$WORK/err"
timed "-o in a missing directory: refused before the first probe" 3 2 -- \
    $P --timeout 5 -o "$WORK/nodir/r.prom" "127.0.0.1:$SILENT_PORT"

# --- the open-file limit sizes --jobs; it is never the server's fault
lines 24 "127.0.0.1:$GOOD_PORT $FQ" >"$WORK/good24"
expect_exit 0 "ulimit -n 64, --jobs 24: every healthy target passes" -- \
    sh -c 'ulimit -n 64 && exec "$@"' sh $P --targets "$WORK/good24" \
    --jobs 24 --format json -o "$WORK/fd.json"
expect_json 'len(d["subjects"]) == 24 and all(s["result"] == "pass" for s in d["subjects"])' \
    "ulimit -n 64: 24 subjects, all pass" "$WORK/fd.json"
expect_grep 'jobs 24 lowered to' "ulimit -n 64: says once that --jobs was lowered" "$WORK/err"
n=$(grep -c 'lowered' "$WORK/err")
if [ "$n" -eq 1 ]; then ok "the note is said once"; else not_ok "the note is said once" "$n times"; fi

# --- little address space: many threads, no abort (ASan needs terabytes
# of address space, valgrind its own: not under those)
if [ "${BWC_SANITIZE:-}" != 1 ] && [ "${BWC_VALGRIND:-}" != 1 ]; then
	lines 64 "127.0.0.1:$SILENT_PORT $FQ" >"$WORK/silent64"
	timed "ulimit -v 1000000, --jobs 64 silent targets: ends, exit 3" 3 10 -- \
	    sh -c 'ulimit -v 1000000 && exec "$@"' sh $P --targets "$WORK/silent64" \
	    --jobs 64 --timeout 2 --format json -o "$WORK/vm.json"
	expect_json 'len(d["subjects"]) == 64' "ulimit -v: every target reported" "$WORK/vm.json"
	expect_no_grep 'out of memory' "ulimit -v: no allocation failed" "$WORK/err"
fi

# --- SRV: the targets found are probed at once under --jobs
start_dnsmasq DNS \
    --srv-host=_sips._tcp.zone.example.test,s1.example.test,$SILENT_PORT,10,50 \
    --srv-host=_sips._tcp.zone.example.test,s2.example.test,$SILENT_PORT,10,50 \
    --srv-host=_sips._tcp.zone.example.test,s3.example.test,$SILENT_PORT,10,50 \
    --srv-host=_sips._tcp.zone.example.test,s4.example.test,$SILENT_PORT,20,50 \
    --srv-host=_sips._tcp.zone.example.test,s5.example.test,$SILENT_PORT,20,50 \
    --srv-host=_sips._tcp.zone.example.test,s6.example.test,$SILENT_PORT,20,50 \
    --address=/s1.example.test/127.0.0.1 --address=/s2.example.test/127.0.0.1 \
    --address=/s3.example.test/127.0.0.1 --address=/s4.example.test/127.0.0.1 \
    --address=/s5.example.test/127.0.0.1 --address=/s6.example.test/127.0.0.1 \
    || exit 1
# One after another that is 6 x 2 s; at once, the look-up and one round.
timed "--srv, 6 silent targets, --timeout 2 --jobs 6: within 2 x --timeout" 3 6 -- \
    $P --srv --resolver "127.0.0.1:$DNS_PORT" --timeout 2 --jobs 6 \
    --format json -o "$WORK/srv.json" zone.example.test
expect_json 'len(d["subjects"]) == 6' "--srv: the six targets reported" "$WORK/srv.json"
expect_json '[s["name"].split(":")[0] for s in d["subjects"]] == ["s%d.example.test" % i for i in range(1, 7)]' \
    "--srv: in SRV order" "$WORK/srv.json"

# --- a resolver that answers A but drops AAAA (or refuses it): A is
# all the SBC uses, so the probe goes on after a short wait for AAAA
# instead of spending --timeout on it and blaming the server's TCP.
for mode in drop refused; do
	verb=${mode%d}s
	start_dns_stub "STUB_$mode" "$mode" 127.0.0.1 || exit 1
	eval "sport=\$STUB_${mode}_PORT"
	timed "a resolver that $verb AAAA, --timeout 5: compliant within 3 s" 0 3 -- \
	    $P --resolver "127.0.0.1:$sport" --timeout 5 --format json \
	    -o "$WORK/aaaa-$mode.json" "$FQ:$GOOD_PORT"
	expect_json 'd["subjects"][0]["probe"]["dns_a_records"] == 1 and d["subjects"][0]["probe"]["dns_aaaa_records"] == 0' \
	    "a resolver that $verb AAAA: one A record, no AAAA" "$WORK/aaaa-$mode.json"
done

# A slow resolver spends part of --timeout: a server that then stays
# silent is still named, with what DNS took of the time.
start_dns_stub STUB_slow slow 127.0.0.1 || exit 1
timed "a slow resolver, a silent server: could not evaluate within --timeout" 3 5 -- \
    $P --resolver "127.0.0.1:$STUB_slow_PORT" --timeout 3 "$FQ:$SILENT_PORT"
expect_grep 'timed out after 3 s: .* (the DNS look-up took 1\.[0-9] s of it)' \
    "a slow resolver: the error says what DNS took" "$WORK/err"

# --- every A record is probed: 70 addresses, the last one expired
ARGS=
DNSARGS=
i=2
while [ "$i" -le 71 ]; do
	if [ "$i" -eq 71 ]; then
		ARGS="$ARGS 127.0.0.$i=$WORK/expired-chain.pem:$T/expired.key"
	else
		ARGS="$ARGS 127.0.0.$i=$WORK/good-chain.pem:$T/good.key"
	fi
	DNSARGS="$DNSARGS --host-record=$FQ,127.0.0.$i"
	i=$((i + 1))
done
cat "$T/good-leaf.pem" "$T/intermediate.pem" >"$WORK/good-chain.pem"
cat "$T/expired-leaf.pem" "$T/intermediate.pem" >"$WORK/expired-chain.pem"
cc -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O1 \
    $(pkg-config --cflags openssl) -o "$WORK/multi_tls" \
    "$TOP/tests/integration/multi_tls.c" $(pkg-config --libs openssl) || exit 1
MPORT=$(free_port)
"$WORK/multi_tls" "$MPORT" $ARGS >"$SRV/multi.log" 2>&1 &
echo $! >>"$SRV/pids"
wait_tcp "$MPORT" 127.0.0.71 || { cat "$SRV/multi.log"; exit 1; }
# --local: the zone's other questions (AAAA) are answered, not refused.
start_dnsmasq DNS70 --local=/example.test/ $DNSARGS || exit 1
expect_exit 2 "70 A records, one expired: not compliant" -- \
    $P --resolver "127.0.0.1:$DNS70_PORT" --timeout 30 --format json -o "$WORK/a70.json" \
    "$FQ:$MPORT"
expect_json 'len(d["subjects"]) == 70' "70 A records: 70 addresses probed" "$WORK/a70.json"
expect_json '[s["address"] for s in d["subjects"] if s["result"] != "pass"] == ["127.0.0.71"]' \
    "70 A records: the expired one, and only it, fails" "$WORK/a70.json"

# --- a server that wants a client certificate (mutual TLS)
start_s_server MTLS -cert "$T/good-leaf.pem" -key "$T/good.key" $CH \
    -cipher "$SUITES" -Verify 1 -CAfile "$T/root.pem" || exit 1
expect_exit 3 "mutual TLS without --client-cert: could not evaluate" -- \
    $P --format json -o "$WORK/mtls.json" --connect "127.0.0.1:$MTLS_PORT" \
    "$FQ:$MTLS_PORT"
expect_grep 'requires a client certificate (mutual TLS)' \
    "mutual TLS: the cause is named" "$WORK/err"
expect_no_grep 'refuses TLS 1.2' "mutual TLS: not called a TLS 1.2 refusal" "$WORK/mtls.json"
expect_exit 0 "mutual TLS with --client-cert and --client-key: compliant" -- \
    $P --client-cert "$T/good-leaf.pem" --client-key "$T/good.key" \
    --connect "127.0.0.1:$MTLS_PORT" "$FQ:$MTLS_PORT"
expect_exit 3 "--client-key that does not match: exit 3 before probing" -- \
    $P --client-cert "$T/good-leaf.pem" --client-key "$T/unrelated.key" \
    --connect "127.0.0.1:$MTLS_PORT" "$FQ:$MTLS_PORT"
expect_grep 'does not match' "--client-key mismatch: said so" "$WORK/err"
expect_exit 3 "--client-cert without --client-key: usage error" -- \
    $P --client-cert "$T/good-leaf.pem" "$FQ:$MTLS_PORT"

finish

#!/bin/sh
# hostile_servers.sh - the probe against servers that misbehave on
# 127.0.0.1: each run must end within --timeout + 1 s, with a clear
# cause and exit 3 when the server did not speak TLS (or exit 2 when it
# did and no TLS 1.2 handshake completed), and a fleet run must go on
# past them.  Names and status lines a server sends must come out
# escaped in every format.
#
# Servers: tests/integration/hostile_server.py (one process, one port
# per mode) and openssl s_server (a good one, one with -nocert, one
# presenting a certificate with NUL and ESC in its SANs).  All listen on
# 127.0.0.1, on ports the kernel picks, and are stopped by pid in a trap.
#
# Needs TOP and BWC (tests/run.sh sets them); TESTDATA is made here with
# testdata/mkpki.sh when it is not given.
SUITE=hostile_servers
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BWC=${BWC:-$TOP/bwcertcheck}
. "$TOP/tests/lib.sh"
need_testdata
TO=2
# How long past --timeout a run may take to end: its own start and exit.
SLACK=1
# Under ASan and UBSan a handshake with a 1 MB Certificate takes longer,
# and so do start and exit.
if [ "${BWC_SANITIZE:-}" = 1 ]; then
	TO=4
	SLACK=3
fi
FQ=pbx.example.test
P="$BWC probe --trust-store $T/root.pem --timeout $TO"
MODES="reset garbage bigcert hugerecord drip helloclose silent alert emptycert"

PIDS=""
stop_servers() {
	for pid in $PIDS; do
		kill "$pid" 2>/dev/null
	done
	sleep 0.1
	for pid in $PIDS; do
		kill -9 "$pid" 2>/dev/null
	done
	PIDS=""
}
trap 'stop_servers; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

# wait_for FILE PATTERN: until FILE has a line matching PATTERN (~5 s).
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		grep -q -e "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

cat "$T/good-leaf.pem" "$T/intermediate.pem" >"$WORK/chain.pem"
/usr/bin/python3 "$TOP/tests/integration/hostile_server.py" "$WORK/ports" \
	$MODES "sip=$WORK/chain.pem:$T/good.key" "slow=$WORK/chain.pem:$T/good.key" \
	>"$WORK/hostile_server.log" 2>&1 &
PIDS="$PIDS $!"
if ! wait_for "$WORK/ports" slow; then
	not_ok "hostile_server.py starts" "$(head -c 300 "$WORK/hostile_server.log")"
	finish
	exit 1
fi
port_of() {
	awk -v m="$1" '$1 == m { print $2 }' "$WORK/ports"
}

# start_s_server NAME ARGS...: s_server on a port the kernel picks; sets
# NAME_PORT.  Its stdin is a FIFO held open read-write: never EOF.
start_s_server() {
	name=$1
	shift
	mkfifo "$WORK/$name.in"
	openssl s_server -accept 127.0.0.1:0 "$@" <>"$WORK/$name.in" \
	    >"$WORK/$name.log" 2>&1 &
	PIDS="$PIDS $!"
	if ! wait_for "$WORK/$name.log" '^ACCEPT'; then
		not_ok "s_server $name starts" "$(head -c 300 "$WORK/$name.log")"
		return 1
	fi
	eval "${name}_PORT=\$(sed -n 's/^ACCEPT .*:\([0-9]*\)\$/\1/p' \"\$WORK/\$name.log\" | head -n 1)"
}
CH="-cert_chain $T/intermediate.pem"
start_s_server GOOD -cert "$T/good-leaf.pem" -key "$T/good.key" $CH \
	-cipher AES128-SHA:AES128-SHA256:AES256-SHA256 -no_tls1_3
start_s_server NOCERT -nocert -cipher 'aNULL:@SECLEVEL=0' -no_tls1_3
start_s_server EVIL -cert "$T/nul-san-leaf.pem" -key "$T/nul-san.key" $CH \
	-cipher AES128-SHA:AES128-SHA256:AES256-SHA256 -no_tls1_3

# timed NAME CODE MAX -- CMD...: CMD exits CODE within MAX seconds.
timed() {
	name=$1
	want=$2
	max=$3
	shift 4
	start=$(date +%s%N)
	"$@" >"$WORK/out" 2>"$WORK/err"
	rc=$?
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	if [ "$rc" -ne "$want" ]; then
		not_ok "$name" "exit $rc, expected $want (${ms} ms); stderr: $(head -c 300 "$WORK/err")"
	elif [ "$ms" -gt $((max * 1000)) ]; then
		not_ok "$name" "took ${ms} ms, bound ${max} s"
	else
		ok "$name (exit $rc, ${ms} ms)"
	fi
}

# hostile MODE CODE CAUSE: probe the server of MODE; it ends within
# --timeout + 1 s with exit CODE and CAUSE (a grep pattern) in the report.
hostile() {
	port=$(port_of "$1")
	timed "$1: ends with exit $2 within $((TO + SLACK)) s" "$2" $((TO + SLACK)) -- \
		$P --format json --connect "127.0.0.1:$port" "$FQ:$port"
	cp "$WORK/out" "$WORK/$1.json"
	if grep -q -e "$3" "$WORK/$1.json" "$WORK/err"; then
		ok "$1: the cause is named ($3)"
	else
		not_ok "$1: the cause is named ($3)" "$(head -c 400 "$WORK/$1.json") $(head -c 200 "$WORK/err")"
	fi
}

# Not TLS at all: could not evaluate (3).
hostile reset 3 'connection reset'
hostile garbage 3 'not a TLS server'
hostile drip 3 "timed out after $TO s"
hostile helloclose 3 'closed the connection'
hostile silent 3 'never answered'
# TLS, but no TLS 1.2 handshake completes: tls12 fails (2).
hostile bigcert 2 'excessive message size'
hostile hugerecord 2 'packet length too long'
hostile alert 2 'alert handshake failure'
hostile emptycert 2 'length mismatch'
for m in bigcert hugerecord alert emptycert; do
	expect_rule tls12 fail "$m: tls12 fails" "$WORK/$m.json"
done
timed "s_server -nocert: ends with exit 2 within $((TO + SLACK)) s" 2 $((TO + SLACK)) -- \
	$P --format json --connect "127.0.0.1:$NOCERT_PORT" "$FQ:$NOCERT_PORT"
expect_rule cipher-allowed fail "s_server -nocert: no allowed suite" "$WORK/out"
timed "the good s_server: compliant" 0 $((TO + SLACK)) -- \
	$P --connect "127.0.0.1:$GOOD_PORT" "$FQ:$GOOD_PORT"

# A fleet: the good server first and last, every hostile one between.
{
	echo "# fleet with hostile members"
	echo "127.0.0.1:$GOOD_PORT $FQ"
	for m in $MODES; do
		echo "127.0.0.1:$(port_of "$m") $FQ"
	done
	echo "127.0.0.1:$NOCERT_PORT $FQ"
	echo "127.0.0.1:$GOOD_PORT $FQ"
} >"$WORK/targets"
n=$(grep -c '^127' "$WORK/targets")
# Four at a time, each bounded by the timeout: ceil(n / 4) rounds at most.
timed "fleet of $n with --jobs 4: ends, exit 2 (the failures outrank the errors)" 2 $(( (n + 3) / 4 * (TO + SLACK) )) -- \
	$P --targets "$WORK/targets" --jobs 4 --format json -o "$WORK/fleet.json"
expect_json "len(d[\"subjects\"]) == $n" "fleet: every target reported" "$WORK/fleet.json"
expect_json 'd["subjects"][0]["result"] == "pass" and d["subjects"][-1]["result"] == "pass"' \
	"fleet: the good server passes before and after the hostile ones" "$WORK/fleet.json"
expect_json 'all(s["result"] in ("error", "fail") for s in d["subjects"][1:-1])' \
	"fleet: every hostile server is an error or a failure" "$WORK/fleet.json"
expect_json 'sum(s["result"] == "error" for s in d["subjects"]) == 5' \
	"fleet: the five that do not speak TLS are errors" "$WORK/fleet.json"

# Names and status lines from servers, through every format.
check_formats garbage 3 $P --connect "127.0.0.1:$(port_of garbage)" "$FQ:$(port_of garbage)"
expect_grep 'x1b\]0;pwned' "garbage: the answer is quoted, escaped" "$WORK/garbage.text"
check_formats evil-names 2 $P --connect "127.0.0.1:$EVIL_PORT" "$FQ:$EVIL_PORT"
expect_grep 'x1b\[31mred' "evil names: the SAN is shown, escaped" "$WORK/evil-names.text"
SIP_PORT=$(port_of sip)
check_formats sip-status 0 $P --sip --connect "127.0.0.1:$SIP_PORT" "$FQ:$SIP_PORT"
expect_grep 'SIP/2.0 200 OK \\x1b' "SIP status line: shown, escaped" "$WORK/sip-status.text"

# A server 0.4 s slow to each handshake: all at once they fit in 2 s;
# one at a time (--connections 1) they do not, and the handshakes left
# waiting make the address could-not-evaluate, never rejected suites.
SLOW_PORT=$(port_of slow)
SLOWP="$BWC probe --trust-store $T/root.pem --disable tls-inventory --connect 127.0.0.1:$SLOW_PORT"
timed "slow server, every handshake at once, --timeout 2: compliant" 0 4 -- \
    $SLOWP --timeout 2 "$FQ:$SLOW_PORT"
timed "slow server, --connections 1 --timeout 2: could not evaluate" 3 4 -- \
    $SLOWP --timeout 2 --connections 1 --format json -o "$WORK/slow.json" "$FQ:$SLOW_PORT"
expect_grep 'could not be probed: not .* within the 2 s timeout.*--connections.*(raise --timeout or --connections)' \
    "slow server, --connections 1: the waiting handshakes are named" "$WORK/err"
expect_json 'd["subjects"][0]["result"] == "error" and "rejected" not in [v for v in d["subjects"][0].get("probe", {}).get("ciphers", {}).values()]' \
    "slow server, --connections 1: no suite called rejected" "$WORK/slow.json"
timed "slow server, --connections 1 --timeout 6: compliant" 0 8 -- \
    $SLOWP --timeout 6 --connections 1 "$FQ:$SLOW_PORT"

finish

# servers.sh - real servers on 127.0.0.1 for the probe's integration
# tests (sourced).  Every server gets a free port, its pid is saved, and
# servers_stop (installed as an EXIT/INT/TERM trap by servers_init)
# stops exactly those pids - and a kamailio's children - even when a
# test fails halfway.
#
#   servers_init                    temp dir $SRV, traps; call once
#   free_port                       print a free TCP port below 32768
#   start_s_server NAME ARGS...     openssl s_server -accept 127.0.0.1:PORT ARGS;
#                                   sets NAME_PORT
#   start_kamailio NAME CERT KEY [N] kamailio with TLS (kamailio.cfg), N
#                                   TCP workers (1);
#                                   sets NAME_PORT and NAME_PID
#   expect_alive NAME TEST          NAME_PID still runs; if not, the
#                                   failure quotes its log's last alarm
#   start_dnsmasq NAME ARGS...      dnsmasq on a loopback UDP/TCP port
#   start_dns_stub NAME MODE ADDR   dns_stub.py: A is ADDR, AAAA dropped,
#                                   refused or empty, or all slow (MODE);
#                                   sets NAME_PORT
#   start_listener NAME MODE        listener.py MODE (silent, plaintext,
#                                   close, midway, reset)
#   servers_stop                    stop everything started
#
# Nothing here ever talks to anything but 127.0.0.1 (and ::1).

SRV_HERE=$TOP/tests/integration
SRV_PY=/usr/bin/python3

servers_init() {
	SRV=$(mktemp -d "${TMPDIR:-/tmp}/bwc-srv.XXXXXX")
	: > "$SRV/pids"
	trap 'servers_stop; rm -rf "$WORK"' EXIT
	trap 'exit 130' INT TERM
}

servers_stop() {
	[ -n "${SRV:-}" ] && [ -f "$SRV/pids" ] || return 0
	while read -r pid; do
		[ -n "$pid" ] || continue
		# kamailio forks workers: stop them too, by their pids.
		kids=$(children_of "$pid")
		kill "$pid" $kids 2>/dev/null
	done < "$SRV/pids"
	sleep 0.1
	while read -r pid; do
		[ -n "$pid" ] || continue
		kill -9 "$pid" 2>/dev/null
	done < "$SRV/pids"
	rm -rf "$SRV"
	SRV=
}

# children_of PID: the pids whose parent is PID, from /proc (no procps
# needed).  The command name in /proc/PID/stat is in parentheses and may
# hold spaces, so the fields are read after the last ')'.
children_of() {
	for st in /proc/[0-9]*/stat; do
		sed -n 's/^\([0-9]*\) (.*) [A-Za-z] \([0-9]*\) .*/\1 \2/p' "$st" 2>/dev/null
	done | awk -v p="$1" '$2 == p { print $1 }'
}

# A port nobody listens on, below the kernel's range for outgoing
# sockets, not handed out twice in one run.
free_port() {
	$SRV_PY - "$SRV/ports" <<'EOF'
import random, socket, sys
used = set()
try:
    used = set(open(sys.argv[1]).read().split())
except OSError:
    pass
for _ in range(200):
    p = random.randint(20000, 32000)
    if str(p) in used:
        continue
    ok = True
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
        s = socket.socket(socket.AF_INET, kind)
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            ok = False
        s.close()
    if ok:
        open(sys.argv[1], "a").write("%d\n" % p)
        print(p)
        sys.exit(0)
sys.exit(1)
EOF
}

# wait_tcp PORT [HOST]: until something accepts there (at most ~5 s).
wait_tcp() {
	$SRV_PY - "$1" "${2:-127.0.0.1}" <<'EOF'
import socket, sys, time
for _ in range(100):
    try:
        socket.create_connection((sys.argv[2], int(sys.argv[1])), 0.2).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
sys.exit(1)
EOF
}

# wait_dns PORT [SECS]: until a DNS server answers there (at most ~5 s;
# SECS: how long one answer may take, 0.05 unless given).
wait_dns() {
	$SRV_PY - "$1" "${2:-0.05}" <<'EOF'
import socket, struct, sys, time
q = struct.pack(">HHHHHH", 7, 0x0100, 1, 0, 0, 0) + b"\x04test\x00" + struct.pack(">HH", 1, 1)
for _ in range(100):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(float(sys.argv[2]))
    try:
        s.sendto(q, ("127.0.0.1", int(sys.argv[1])))
        s.recv(512)
        sys.exit(0)
    except OSError:
        time.sleep(0.05)
    finally:
        s.close()
sys.exit(1)
EOF
}

# set_var NAME VALUE: NAME=VALUE without eval on untrusted text.
set_var() {
	eval "$1=\$2"
}

# start_s_server NAME ARGS...: s_server with ARGS on a free port.
# Its stdin is a FIFO held open read-write: no data, never EOF.
start_s_server() {
	name=$1
	shift
	port=$(free_port) || return 1
	mkfifo "$SRV/$name.in"
	openssl s_server -quiet -accept "127.0.0.1:$port" "$@" \
	    <> "$SRV/$name.in" > "$SRV/$name.log" 2>&1 &
	echo $! >> "$SRV/pids"
	set_var "${name}_PORT" "$port"
	wait_tcp "$port" || { echo "start_s_server $name: not listening" >&2; return 1; }
}

# start_s_server6 NAME ARGS...: the same on [::1].
start_s_server6() {
	name=$1
	shift
	port=$(free_port) || return 1
	mkfifo "$SRV/$name.in"
	openssl s_server -quiet -accept "[::1]:$port" "$@" \
	    <> "$SRV/$name.in" > "$SRV/$name.log" 2>&1 &
	echo $! >> "$SRV/pids"
	set_var "${name}_PORT" "$port"
	wait_tcp "$port" ::1 || { echo "start_s_server6 $name: not listening" >&2; return 1; }
}

# start_kamailio NAME CERT KEY [WORKERS]: CERT holds the leaf and its
# chain; WORKERS TCP workers (1 unless given: kamailio.cfg says why).
start_kamailio() {
	name=$1
	port=$(free_port) || return 1
	mkdir -p "$SRV/$name.run"
	kamailio -f "$SRV_HERE/kamailio.cfg" -A "TLS_PORT=$port" \
	    -A "TLS_CERT=\"$2\"" -A "TLS_KEY=\"$3\"" -A "TCP_CHILDREN=${4:-1}" \
	    -DD -E -Y "$SRV/$name.run" -P "$SRV/$name.pid" -m 32 -M 8 \
	    > "$SRV/$name.log" 2>&1 &
	echo $! >> "$SRV/pids"
	set_var "${name}_PID" $!
	set_var "${name}_PORT" "$port"
	wait_tcp "$port" || { echo "start_kamailio: not listening" >&2; cat "$SRV/$name.log" >&2; return 1; }
}

# expect_alive NAME TEST: the server started as NAME is still running.  A
# server that crashed makes every later test against it fail with
# "connection refused"; this names the crash, from its log.
expect_alive() {
	eval "pid=\${${1}_PID:-}"
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		ok "$2"
	else
		not_ok "$2" "$1 (pid ${pid:-?}) is gone: $(grep -a -E 'CRITICAL|ALERT|BUG' "$SRV/$1.log" 2>/dev/null | tail -n 2 | tr '\n' ' ' | cut -c1-300)"
	fi
}

# start_dnsmasq NAME ARGS...: an authoritative-only DNS server for the
# records in ARGS; "@PORT@" in ARGS is not needed: the port is chosen here.
start_dnsmasq() {
	name=$1
	shift
	port=$(free_port) || return 1
	dnsmasq --no-daemon --no-resolv --no-hosts --no-poll \
	    --port="$port" --listen-address=127.0.0.1 --bind-interfaces \
	    --pid-file= --user="$(id -un)" --group="$(id -gn)" \
	    "$@" > "$SRV/$name.log" 2>&1 &
	echo $! >> "$SRV/pids"
	set_var "${name}_PORT" "$port"
	wait_dns "$port" || { echo "start_dnsmasq: not answering" >&2; cat "$SRV/$name.log" >&2; return 1; }
}

# start_dns_stub NAME MODE ADDR: a DNS server that answers A with ADDR
# and AAAA as MODE says (dns_stub.py: drop, refused, nodata, slow).
start_dns_stub() {
	port=$(free_port) || return 1
	$SRV_PY "$SRV_HERE/dns_stub.py" "$2" "$port" "$3" > "$SRV/$1.log" 2>&1 &
	echo $! >> "$SRV/pids"
	set_var "${1}_PORT" "$port"
	wait_dns "$port" 2 || { echo "start_dns_stub $1: not answering" >&2; cat "$SRV/$1.log" >&2; return 1; }
}

# start_listener NAME MODE: a misbehaving server (listener.py).
start_listener() {
	port=$(free_port) || return 1
	$SRV_PY "$SRV_HERE/listener.py" "$2" "$port" > "$SRV/$1.log" 2>&1 &
	echo $! >> "$SRV/pids"
	set_var "${1}_PORT" "$port"
	wait_tcp "$port" || { echo "start_listener $1: not listening" >&2; return 1; }
}

# have_ipv6: can we listen on ::1?
have_ipv6() {
	$SRV_PY -c 'import socket; s = socket.socket(socket.AF_INET6); s.bind(("::1", 0))' 2>/dev/null
}

# Run directly (tests/run.sh runs every tests/integration/*.sh), this
# file tests itself: servers started by a test that fails halfway are
# all stopped, by pid, when it exits.
if [ -z "${SUITE:-}" ]; then
	SUITE=servers
	TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
	SRV_HERE=$TOP/tests/integration
	. "$TOP/tests/lib.sh"
	mkdir -p "$WORK/t"
	(
		WORK=$WORK/t
		servers_init
		start_listener L silent || exit 2
		start_dnsmasq D --local=/example.test/ || exit 2
		cp "$SRV/pids" "$WORK/../pids"
		exit 1	# the test fails
	) 2>/dev/null
	n=$(wc -l < "$WORK/pids" 2>/dev/null || echo 0)
	if [ "$n" -eq 2 ]; then ok "two servers started"; else not_ok "two servers started" "$n pids"; fi
	alive=
	while read -r pid; do
		kill -0 "$pid" 2>/dev/null && alive="$alive $pid"
	done < "$WORK/pids"
	if [ -z "$alive" ]; then
		ok "a failed test's servers are stopped by pid"
	else
		not_ok "a failed test's servers are stopped by pid" "still running:$alive"
		kill $alive 2>/dev/null
	fi
	finish
fi

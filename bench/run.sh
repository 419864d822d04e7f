#!/bin/sh
# run.sh - the benchmark: bwcertcheck against the floor and its peers.
#
#   sh bench/run.sh [quick] [SECTION...]
#
# SECTION is lint, mem, start, jobs, probe or fleet (default: all of
# them);
# "quick" uses fewer repetitions and a smaller large input.  Run it
# through "make bench", which builds ./bwcertcheck, bench/out/gen and
# bench/out/floor first.
#
# Everything is generated under bench/out/ (kept between runs: the
# chains are made once).  Every measurement is repeated and its median
# kept; the measurements of one table row are taken in turns, round by
# round, so a noisy neighbour slows them alike and the ratios hold.
# Servers listen on 127.0.0.1 only, on free ports, and are stopped by
# their pids on exit.  The table is printed at the end and kept in
# bench/out/table.txt.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
OUT=$TOP/bench/out
BWC=$TOP/bwcertcheck
GEN=$OUT/gen
FLOOR=$OUT/floor
FQDN=pbx.bench.example.test

REPS=5
N_BIG=100000
# Chains run under callgrind for instruction counts (slow: ~50x).
N_IR=1000
SECTIONS=
for a in "$@"; do
	case $a in
	quick) REPS=3; N_BIG=20000; N_IR=200 ;;
	lint|mem|start|jobs|probe|fleet) SECTIONS="$SECTIONS $a" ;;
	*) echo "run.sh: unknown argument '$a'" >&2; exit 2 ;;
	esac
done
[ -n "$SECTIONS" ] || SECTIONS="lint mem start jobs probe fleet"
# One set of inputs per size, so a quick run does not replace the full one.
PKI=$OUT/pki-$N_BIG

for f in "$BWC" "$GEN" "$FLOOR"; do
	[ -x "$f" ] || { echo "run.sh: $f missing: run 'make bench'" >&2; exit 2; }
done

ONE_CORE=
command -v taskset >/dev/null 2>&1 && ONE_CORE="taskset -c 0"
RES=$OUT/res
TABLE=$OUT/table.txt
PIDS=$OUT/pids
rm -rf "$RES"
mkdir -p "$RES"
: > "$PIDS"
: > "$TABLE"
: > "$OUT/ports"

stop_servers() {
	[ -f "$PIDS" ] || return 0
	while read -r pid; do
		[ -n "$pid" ] && kill "$pid" 2>/dev/null
	done < "$PIDS"
	: > "$PIDS"
}
trap 'stop_servers' EXIT
trap 'exit 130' INT TERM

say() { printf '%s\n' "$*" >&2; }

# median < numbers
median() {
	sort -n | awk '{ a[NR] = $1 } END {
		if (NR == 0) { print "NA"; exit }
		if (NR % 2) print a[(NR + 1) / 2]
		else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# rec KEY VALUE: one sample; med KEY: their median
rec() { echo "$2" >> "$RES/$1"; }
med() { [ -s "$RES/$1" ] && median < "$RES/$1" || echo NA; }

# exec_ms CMD...: run it once, output discarded; sets MS (wall ms),
# RSS_KB (peak), EXIT and CPU (user + system ms, children included)
exec_ms() {
	set -- $("$FLOOR" exec 1 "$@")
	MS=$2 RSS_KB=$4 EXIT=$7 CPU=$9
}

# ir CMD...: instructions CMD executes (valgrind's callgrind; the
# count does not depend on what else runs), or NA without valgrind.
# valgrind hides SHA-NI and AVX-512 from the program, so SHA-256 and
# RSA cost more instructions here than they cost time.
ir() {
	command -v valgrind >/dev/null 2>&1 || { echo NA; return; }
	valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" \
	    2>&1 >/dev/null | awk '/Collected :/ { print $NF }'
}

# ratio A B: A / B to two decimals, or NA
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "NA" || b == "NA" || b == 0) print "NA"
		else printf "%.2f\n", a / b }'
}

# per_s N MS: N items in MS milliseconds, per second
per_s() {
	awk -v n="$1" -v ms="$2" 'BEGIN {
		if (ms == "NA" || ms == 0) print "NA"
		else printf "%.0f\n", n * 1000 / ms }'
}

row() { printf '%-44s %14s  %s\n' "$1" "$2" "$3" | tee -a "$TABLE"; }
head_row() { printf '\n%s\n' "$1" | tee -a "$TABLE"; }

# A TCP port nobody listens on, in 20000..32000 (below the kernel's
# range for outgoing sockets), not handed out twice in one run.
free_port() {
	python3 - "$OUT/ports" <<'EOF'
import random, socket, sys
used = set()
try:
    used = set(open(sys.argv[1]).read().split())
except OSError:
    pass
for _ in range(500):
    p = random.randint(20000, 32000)
    if str(p) in used:
        continue
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        s.close()
        continue
    s.close()
    open(sys.argv[1], "a").write("%d\n" % p)
    print(p)
    sys.exit(0)
sys.exit(1)
EOF
}

# wait_port PORT: until something accepts on 127.0.0.1:PORT (5 s at most)
wait_port() {
	i=0
	while [ $i -lt 50 ]; do
		python3 -c "import socket,sys; socket.create_connection(('127.0.0.1', int(sys.argv[1])), 0.2).close()" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	say "run.sh: nothing listens on 127.0.0.1:$1"
	return 1
}

# start_s_server PORT: one openssl s_server with the carrier's three suites
start_s_server() {
	# s_server sends its stdin to the client and stops at EOF: give it
	# a FIFO opened read-write, which never has data nor an EOF.
	[ -p "$OUT/fifo" ] || mkfifo "$OUT/fifo"
	openssl s_server -quiet -accept "127.0.0.1:$1" \
	    -cert "$PKI/server.pem" -key "$PKI/leaf.key" \
	    -cert_chain "$PKI/intermediate.pem" -tls1_2 \
	    -cipher 'AES128-SHA:AES128-SHA256:AES256-SHA256' \
	    <> "$OUT/fifo" > /dev/null 2>&1 &
	echo $! >> "$PIDS"
	wait_port "$1"
}

machine() {
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	echo "machine: $(nproc) CPUs ($cpu), $(uname -sr), $(openssl version)"
}

# --- inputs -----------------------------------------------------------

inputs() {
	if [ ! -f "$PKI/done" ]; then
		say "generating $N_BIG chains (RSA-2048, leaf + intermediate) in $PKI"
		rm -rf "$PKI"
		"$GEN" "$PKI" "$N_BIG" || exit 1
		# The chain an s_server sends: the leaf of chain 0.
		openssl x509 -in "$PKI/chains/c0000000.pem" -out "$PKI/server.pem"
		for n in 1 1000 10000; do
			mkdir -p "$PKI/set$n"
			(cd "$PKI/chains" && ls | head -n $n | xargs ln -t "$PKI/set$n")
		done
		: > "$PKI/done"
	fi
	ONE=$PKI/set1/c0000000.pem
	# The 10,000 in two halves, for two processes side by side.
	if [ ! -d "$PKI/half2" ]; then
		mkdir -p "$PKI/half1" "$PKI/half2"
		(cd "$PKI/set10000" && ls | head -n 5000 | xargs ln -t "$PKI/half1" &&
		    ls | tail -n 5000 | xargs ln -t "$PKI/half2")
	fi
	IR_SET=$PKI/set$N_IR
	if [ ! -d "$IR_SET" ]; then
		mkdir -p "$IR_SET"
		(cd "$PKI/chains" && ls | head -n "$N_IR" | xargs ln -t "$IR_SET")
	fi
	# A chain that reaches a built-in root: ISRG Root X1 on its own,
	# taken from the bundle the binary is built from.
	X1=$OUT/isrg-root-x1.pem
	if [ ! -s "$X1" ]; then
		awk -v out="$OUT/root-" '/-----BEGIN CERTIFICATE-----/ { n++ }
		    n { print > (out n ".pem") }' "$TOP/lib/x509/roots_bundle.pem"
		for f in "$OUT"/root-*.pem; do
			openssl x509 -in "$f" -noout -subject | grep -q 'CN *= *ISRG Root X1' &&
			    cp "$f" "$X1"
		done
		rm -f "$OUT"/root-*.pem
	fi
}

# --- lint throughput ------------------------------------------------------

sec_lint() {
	say "lint throughput: $REPS rounds over 10,000 chains on one core"
	set10k=$PKI/set10000
	for r in $(seq "$REPS"); do
		for fmt in nagios text json; do
			exec_ms $ONE_CORE "$BWC" lint --each --fqdn "$FQDN" \
			    --trust-store "$PKI/root.pem" --format "$fmt" "$set10k"
			rec "lint_$fmt" "$MS"
			rec "lint_${fmt}_cpu" "$CPU"
			[ "$EXIT" = 0 ] || say "run.sh: lint --format $fmt exited $EXIT"
		done
		# openssl verify reads one certificate a file: the shared
		# intermediate goes in once with -untrusted.
		cd "$set10k" || exit 1
		exec_ms $ONE_CORE openssl verify -no-CApath -no-CAstore \
		    -CAfile "$PKI/root.pem" -untrusted "$PKI/intermediate.pem" $(ls)
		cd "$TOP" || exit 1
		rec ossl "$MS"
		rec ossl_cpu "$CPU"
		[ "$EXIT" = 0 ] || say "run.sh: openssl verify exited $EXIT"
		for m in sig min verify; do
			rec "floor_$m" "$($ONE_CORE "$FLOOR" $m "$set10k" \
			    "$PKI/root.pem" 10000 | awk '{ print $2 }')"
		done
		rec floor_parse "$($ONE_CORE "$FLOOR" parse "$set10k" 10000 | \
		    awk '{ print $2 }')"
	done
	sig=$(med floor_sig)
	head_row "lint --each over 10,000 chains, one core (chains/s; x = sig floor / this)"
	row "floor: 2 RSA signature checks (in-process)" "$sig" "1.00x"
	for m in min verify parse; do
		v=$(med floor_$m)
		case $m in
		min) what="floor: read+d2i leaf, 2 sig checks" ;;
		verify) what="floor: read+d2i both, X509_verify_cert" ;;
		parse) what="floor: read+d2i both, nothing checked" ;;
		esac
		row "$what" "$v" "$(ratio "$sig" "$v")x"
	done
	for fmt in nagios text json; do
		v=$(per_s 10000 "$(med lint_$fmt)")
		row "bwcertcheck lint --each --format $fmt" "$v" "$(ratio "$sig" "$v")x"
		eval "LINT_$fmt=$v"
	done
	v=$(per_s 10000 "$(med ossl)")
	row "openssl verify (one process, 10,000 files)" "$v" "$(ratio "$sig" "$v")x"
	row "bwcertcheck nagios / openssl verify" "$(ratio "$LINT_nagios" "$v")" ""
	row "bwcertcheck nagios / floor min" "$(ratio "$LINT_nagios" "$(med floor_min)")" ""
	row "  the same in CPU time (user + system)" \
	    "$(ratio "$(med ossl_cpu)" "$(med lint_nagios_cpu)")" "openssl verify / bwcertcheck"
	say "lint: instructions over $N_IR chains (callgrind)"
	lint_ir=$(ir "$BWC" lint --each --fqdn "$FQDN" --trust-store "$PKI/root.pem" \
	    --format nagios "$IR_SET")
	cd "$IR_SET" || exit 1
	ossl_ir=$(ir openssl verify -no-CApath -no-CAstore -CAfile "$PKI/root.pem" \
	    -untrusted "$PKI/intermediate.pem" $(ls))
	cd "$TOP" || exit 1
	head_row "the same, instructions a chain over $N_IR chains (callgrind)"
	row "bwcertcheck lint --each --format nagios" "$(per_chain "$lint_ir" "$N_IR")" ""
	row "openssl verify" "$(per_chain "$ossl_ir" "$N_IR")" ""
	row "openssl verify / bwcertcheck" "$(ratio "$ossl_ir" "$lint_ir")" ""
}

# per_chain TOTAL N: TOTAL / N in thousands, or NA
per_chain() {
	awk -v t="$1" -v n="$2" 'BEGIN {
		if (t == "NA" || t == "") print "NA"
		else printf "%.0f k\n", t / n / 1000 }'
}

# --- memory ---------------------------------------------------------------

sec_mem() {
	say "memory: peak RSS of lint --each over 1,000 and $N_BIG chains"
	head_row "peak RSS of lint --each (KB)"
	for fmt in text nagios json; do
		exec_ms "$BWC" lint --each --fqdn "$FQDN" \
		    --trust-store "$PKI/root.pem" --format "$fmt" "$PKI/set1000"
		small=$RSS_KB
		exec_ms "$BWC" lint --each --fqdn "$FQDN" \
		    --trust-store "$PKI/root.pem" --format "$fmt" "$PKI/chains"
		big=$RSS_KB
		row "--format $fmt: 1,000 / $N_BIG chains" "$small / $big" \
		    "growth $((big - small)) KB, $(( (big - small) * 1024 / (N_BIG - 1000) )) B a file"
	done
	exec_ms "$BWC" lint --each --jobs 2 --fqdn "$FQDN" \
	    --trust-store "$PKI/root.pem" --format nagios "$PKI/set1000"
	small=$RSS_KB
	exec_ms "$BWC" lint --each --jobs 2 --fqdn "$FQDN" \
	    --trust-store "$PKI/root.pem" --format nagios "$PKI/chains"
	big=$RSS_KB
	row "--jobs 2 nagios: 1,000 / $N_BIG chains" "$small / $big" \
	    "growth $((big - small)) KB, $(( (big - small) * 1024 / (N_BIG - 1000) )) B a file"
}

# --- start-up -----------------------------------------------------------

sec_start() {
	say "start-up"
	head_row "start-up, wall time (ms, median)"
	if command -v hyperfine >/dev/null 2>&1; then
		# -i: lint of the bench chain against the built-in roots exits 2.
		hyperfine -N -i --warmup 5 --runs 100 --export-json "$RES/start.json" \
		    "/bin/true" \
		    "$BWC rules" \
		    "$BWC lint --trust-store $PKI/root.pem --fqdn $FQDN $ONE" \
		    "$BWC lint --fqdn $FQDN $ONE" \
		    "openssl verify -no-CApath -no-CAstore -CAfile $PKI/root.pem -untrusted $PKI/intermediate.pem $ONE" \
		    > /dev/null 2>&1
		python3 - "$RES/start.json" > "$RES/start.txt" <<'EOF'
import json, statistics, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print("%.2f" % (statistics.median(r["times"]) * 1e3))
EOF
		set -- $(cat "$RES/start.txt")
	else
		set -- $("$FLOOR" exec 100 /bin/true | awk '{ print $2 }') \
		    $("$FLOOR" exec 100 "$BWC" rules | awk '{ print $2 }') \
		    $("$FLOOR" exec 100 "$BWC" lint --trust-store "$PKI/root.pem" \
			--fqdn "$FQDN" "$ONE" | awk '{ print $2 }') \
		    $("$FLOOR" exec 100 "$BWC" lint --fqdn "$FQDN" "$ONE" | \
			awk '{ print $2 }') \
		    $("$FLOOR" exec 100 openssl verify -no-CApath -no-CAstore \
			-CAfile "$PKI/root.pem" -untrusted "$PKI/intermediate.pem" \
			"$ONE" | awk '{ print $2 }')
	fi
	row "/bin/true (process floor)" "$1" ""
	row "bwcertcheck rules" "$2" ""
	row "bwcertcheck lint, one chain, --trust-store" "$3" ""
	row "bwcertcheck lint, one chain, built-in roots" "$4" "$(ratio "$4" "$3")x --trust-store"
	row "openssl verify, one chain" "$5" ""
	# A chain that reaches a built-in root parses that root: ISRG Root
	# X1 on its own, against the built-in roots and as --trust-store.
	set -- $("$FLOOR" exec 100 "$BWC" lint --trust-store "$X1" "$X1" | \
		awk '{ print $2 }') \
	    $("$FLOOR" exec 100 "$BWC" lint "$X1" | awk '{ print $2 }')
	row "bwcertcheck lint of a root, --trust-store" "$1" ""
	row "bwcertcheck lint of a built-in root" "$2" "$(ratio "$2" "$1")x --trust-store"
	say "start-up: instructions (callgrind)"
	set -- $(ir "$BWC" lint --trust-store "$PKI/root.pem" --fqdn "$FQDN" "$ONE") \
	    $(ir "$BWC" lint --fqdn "$FQDN" "$ONE") \
	    $(ir "$BWC" lint --trust-store "$X1" "$X1") $(ir "$BWC" lint "$X1")
	head_row "start-up, instructions (callgrind, millions)"
	row "bwcertcheck lint, one chain, --trust-store" "$(mega "$1")" ""
	row "bwcertcheck lint, one chain, built-in roots" "$(mega "$2")" "$(ratio "$2" "$1")x --trust-store"
	row "bwcertcheck lint of a root, --trust-store" "$(mega "$3")" ""
	row "bwcertcheck lint of a built-in root" "$(mega "$4")" "$(ratio "$4" "$3")x --trust-store"
}

# mega N: N in millions to one decimal, or NA
mega() {
	awk -v n="$1" 'BEGIN { if (n == "NA" || n == "") print "NA";
		else printf "%.1f\n", n / 1e6 }'
}

# --- lint on every core -----------------------------------------------------

sec_jobs() {
	say "lint --jobs: $REPS rounds over 10,000 chains, every core"
	lint="$BWC lint --each --fqdn $FQDN --trust-store $PKI/root.pem --format nagios"
	for r in $(seq "$REPS"); do
		for j in 1 2; do
			exec_ms $lint --jobs $j "$PKI/set10000"
			rec "jobs$j" "$MS"
			rec "jobs${j}_cpu" "$CPU"
			[ "$EXIT" = 0 ] || say "run.sh: --jobs $j exited $EXIT"
		done
		# What worker processes could do at best: two processes over
		# the two halves, nothing sent back.
		exec_ms sh -c "$lint $PKI/half1 >/dev/null & $lint $PKI/half2 >/dev/null; wait"
		rec procs2 "$MS"
		rec procs2_cpu "$CPU"
		rec load "$(cut -d' ' -f1 /proc/loadavg)"
	done
	one=$(per_s 10000 "$(med jobs1)")
	head_row "lint --each over 10,000 chains, $(nproc) CPUs, load $(med load) (chains/s; x = this / --jobs 1)"
	row "bwcertcheck --jobs 1" "$one" "1.00x"
	v=$(per_s 10000 "$(med jobs2)")
	row "bwcertcheck --jobs 2 (threads)" "$v" "$(ratio "$v" "$one")x"
	v=$(per_s 10000 "$(med procs2)")
	row "two processes over the two halves" "$v" "$(ratio "$v" "$one")x"
	head_row "the same, CPU time (user + system, ms; x = this / --jobs 1)"
	c1=$(med jobs1_cpu)
	row "bwcertcheck --jobs 1" "$c1" "1.00x"
	row "bwcertcheck --jobs 2 (threads)" "$(med jobs2_cpu)" "$(ratio "$(med jobs2_cpu)" "$c1")x"
	row "two processes over the two halves" "$(med procs2_cpu)" "$(ratio "$(med procs2_cpu)" "$c1")x"
	row "--jobs 2 on two idle cores, at most" "" \
	    "$(awk -v a="$c1" -v b="$(med jobs2_cpu)" 'BEGIN { printf "%.2fx\n", 2 * a / b }')"
}

# --- probe ----------------------------------------------------------------

# probe_cmd PORT: the command line of a whole probe of 127.0.0.1:PORT
probe_cmd() {
	echo "$BWC probe --trust-store $PKI/root.pem --fqdn $FQDN 127.0.0.1:$1"
}

start_nginx() {
	command -v nginx >/dev/null 2>&1 || return 1
	NGX=$OUT/nginx
	mkdir -p "$NGX/logs"
	cat "$PKI/server.pem" "$PKI/intermediate.pem" > "$NGX/chain.pem"
	cat > "$NGX/nginx.conf" <<EOF
daemon off;
worker_processes 2;
pid $NGX/nginx.pid;
error_log $NGX/logs/error.log crit;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $NGX/tmp;
	proxy_temp_path $NGX/tmp;
	fastcgi_temp_path $NGX/tmp;
	uwsgi_temp_path $NGX/tmp;
	scgi_temp_path $NGX/tmp;
	server {
		listen 127.0.0.1:$1 ssl;
		ssl_certificate $NGX/chain.pem;
		ssl_certificate_key $PKI/leaf.key;
		ssl_protocols TLSv1.2;
		ssl_ciphers AES128-SHA:AES128-SHA256:AES256-SHA256;
		ssl_session_cache off;
		ssl_session_tickets off;
		return 200;
	}
}
EOF
	mkdir -p "$NGX/tmp"
	nginx -p "$NGX" -c "$NGX/nginx.conf" > /dev/null 2>&1 &
	echo $! >> "$PIDS"
	wait_port "$1"
}

sec_probe() {
	say "probe latency"
	head_row "probe of one target on 127.0.0.1 (ms, median; x = this / floor)"
	SPORT=$(free_port) && start_s_server "$SPORT" || return 0
	if ! $(probe_cmd "$SPORT") > /dev/null 2>&1; then
		rc=$?
		row "bwcertcheck probe: not measured" "" "exit $rc on a good server"
		return 0
	fi
	for r in $(seq "$REPS"); do
		rec tls1 "$("$FLOOR" tls "$SPORT" 20 | awk '{ print $2 }')"
		rec tlsset "$("$FLOOR" tlsset "$SPORT" 10 | awk '{ print $2 }')"
		rec probe_s "$("$FLOOR" exec 11 $(probe_cmd "$SPORT") | awk '{ print $2 }')"
		rec tlsset_proc "$("$FLOOR" exec 11 "$FLOOR" tlsset "$SPORT" 1 | \
		    awk '{ print $2 }')"
		rec start1 "$("$FLOOR" exec 11 "$BWC" lint --trust-store \
		    "$PKI/root.pem" --fqdn "$FQDN" "$ONE" | awk '{ print $2 }')"
	done
	set1=$(med tlsset)
	row "floor: one TLS 1.2 handshake (in-process)" "$(med tls1)" ""
	row "floor: the probe's 5 handshakes back to back" "$set1" "1.00x"
	row "floor: the same as a process of its own" "$(med tlsset_proc)" "$(ratio "$(med tlsset_proc)" "$set1")x"
	row "bwcertcheck probe, s_server (serial)" "$(med probe_s)" "$(ratio "$(med probe_s)" "$set1")x"
	row "  against the floor as a process" "" "$(ratio "$(med probe_s)" "$(med tlsset_proc)")x"
	row "  bwcertcheck start-up (lint of one chain)" "$(med start1)" ""
	if NPORT=$(free_port) && start_nginx "$NPORT"; then
		for r in $(seq "$REPS"); do
			rec tls1_n "$("$FLOOR" tls "$NPORT" 20 | awk '{ print $2 }')"
			rec tlspar_n "$("$FLOOR" tlspar "$NPORT" 20 | awk '{ print $2 }')"
			rec tlspar_proc "$("$FLOOR" exec 11 "$FLOOR" tlspar \
			    "$NPORT" 1 | awk '{ print $2 }')"
			rec probe_n "$("$FLOOR" exec 11 $(probe_cmd "$NPORT") | awk '{ print $2 }')"
		done
		one=$(med tls1_n)
		row "floor: one handshake, nginx (2 workers)" "$one" "1.00x"
		row "floor: the 5 handshakes at once, nginx" "$(med tlspar_n)" "$(ratio "$(med tlspar_n)" "$one")x"
		row "floor: the 5 at once as a process of its own" "$(med tlspar_proc)" "$(ratio "$(med tlspar_proc)" "$one")x"
		row "bwcertcheck probe, nginx (parallel)" "$(med probe_n)" "$(ratio "$(med probe_n)" "$one")x"
		row "  against the floor as a process" "" "$(ratio "$(med probe_n)" "$(med tlspar_proc)")x"
	else
		row "nginx: not available" "" "skipped"
	fi
	PROBE_MS=$(med probe_s)
	peers "$SPORT"
}

# peer NAME TIMEOUT CMD...: time a peer tool against the s_server
peer() {
	name=$1 limit=$2
	shift 2
	if ! command -v "$1" > /dev/null 2>&1; then
		row "$name" "skipped" "not installed"
		return
	fi
	exec_ms timeout "$limit" "$@"
	if [ "$EXIT" = 124 ]; then
		row "$name" "> $((limit * 1000))" "timed out"
		return
	fi
	row "$name" "$MS" "bwcertcheck $(ratio "$MS" "$PROBE_MS")x faster"
}

sec_peers_install() {
	# The peers come from Debian when they can; a peer we cannot get is skipped.
	missing=
	command -v sslscan > /dev/null 2>&1 || missing="$missing sslscan"
	command -v testssl > /dev/null 2>&1 || missing="$missing testssl.sh"
	command -v nmap > /dev/null 2>&1 || missing="$missing nmap"
	command -v hyperfine > /dev/null 2>&1 || missing="$missing hyperfine"
	command -v nginx > /dev/null 2>&1 || missing="$missing nginx-light"
	if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null 2>&1; then
		say "installing$missing"
		for p in $missing; do
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$p" \
			    > /dev/null 2>&1 || say "run.sh: cannot install $p: skipped"
		done
	fi
}

peers() {
	head_row "peers on the same s_server (ms, one run each)"
	peer "sslscan" 300 sslscan --no-colour "127.0.0.1:$1"
	peer "testssl.sh --fast" 300 testssl --fast --warnings batch \
	    --color 0 --quiet "127.0.0.1:$1"
	peer "nmap --script ssl-enum-ciphers" 300 nmap -Pn -n \
	    --script ssl-enum-ciphers -p "$1" 127.0.0.1
}

# --- fleet ----------------------------------------------------------------

sec_fleet() {
	say "fleet: 1,000 targets over 8 s_servers"
	ports=
	for i in 1 2 3 4 5 6 7 8; do
		p=$(free_port) && start_s_server "$p" || return 0
		ports="$ports $p"
	done
	: > "$OUT/targets"
	i=0
	while [ $i -lt 1000 ]; do
		for p in $ports; do
			[ $i -lt 1000 ] && echo "127.0.0.1:$p $FQDN" >> "$OUT/targets"
			i=$((i + 1))
		done
	done
	head_row "fleet: 1,000 targets over 8 loopback s_servers (targets/s)"
	for j in 1 8 64; do
		exec_ms "$BWC" probe --trust-store "$PKI/root.pem" \
		    --targets "$OUT/targets" --jobs "$j" --format nagios
		[ "$EXIT" = 0 ] || say "run.sh: fleet --jobs $j exited $EXIT"
		v=$(per_s 1000 "$MS")
		eval "FLEET_$j=$v"
		row "bwcertcheck probe --jobs $j" "$v" "$(ratio "$v" "${FLEET_1:-NA}")x --jobs 1"
	done
}

# --- main -----------------------------------------------------------------

machine | tee -a "$TABLE"
inputs
case $SECTIONS in *probe*) sec_peers_install ;; esac
for s in $SECTIONS; do
	case $s in
	lint) sec_lint ;;
	mem) sec_mem ;;
	start) sec_start ;;
	jobs) sec_jobs ;;
	probe) sec_probe ;;
	fleet) sec_fleet ;;
	esac
	stop_servers
done
say ""
say "table kept in $TABLE"

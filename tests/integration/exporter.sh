#!/bin/sh
# exporter.sh - bwcertcheck exporter against its real consumer: a
# compliant and a non-compliant openssl s_server, the exporter, and a
# Prometheus server scraping it with the blackbox-style relabelling of
# contrib/prometheus/prometheus.yml (the README's), all on 127.0.0.1.
# Prometheus's HTTP API must then show the series the exporter served;
# promtool checks both endpoints and the README's alert rules; hostile
# requests get bounded answers and the exporter keeps serving; SIGTERM
# stops it cleanly.  Every wait is bounded; every server is stopped by
# its pid.
SUITE=exporter
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BWC=${BWC:-$TOP/bwcertcheck}
. "$TOP/tests/lib.sh"
. "$TOP/tests/integration/servers.sh"
servers_init
need_testdata
FQ=pbx.example.test
HC="$PY $TOP/tests/integration/http_client.py"
CONTRIB=$TOP/contrib

# http NAME URL: GET URL into $WORK/NAME.txt; the status in $WORK/NAME.code
http() {
	$HC get "$2" "$WORK/$1.txt" > "$WORK/$1.code"
}

# expect_code NAME WANT: the status http NAME got
expect_code() {
	got=$(cat "$WORK/$1.code")
	if [ "$got" = "$2" ]; then
		ok "$1: HTTP $2"
	else
		not_ok "$1: HTTP $2" "got $got: $(head -c 300 "$WORK/$1.txt")"
	fi
}

# expect_py NAME PYEXPR FILE: PYEXPR over the text of FILE (variable t)
expect_py() {
	if $PY -c 'import sys
t = open(sys.argv[2]).read()
sys.exit(0 if eval(sys.argv[1]) else 1)' "$2" "$3" 2>"$WORK/pyerr"; then
		ok "$1"
	else
		not_ok "$1" "$2 $(head -c 300 "$WORK/pyerr") in: $(head -c 300 "$3")"
	fi
}

# term_wait PID: SIGTERM, then its exit status in TW_RC, or "running"
# (and SIGKILL) when it has not ended within 10 s.
term_wait() {
	kill -TERM "$1"
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -9 "$1"
		TW_RC=running
		return
	fi
	wait "$1"
	TW_RC=$?
}

# promcheck NAME FILE: promtool check metrics accepts FILE
promcheck() {
	if promtool check metrics < "$2" > "$WORK/promtool.out" 2>&1; then
		ok "$1"
	else
		not_ok "$1" "$(head -c 400 "$WORK/promtool.out")"
	fi
}

CIPHERS='AES128-SHA:AES128-SHA256:AES256-SHA256'
start_s_server GOOD -cert "$T/good-leaf.pem" -key "$T/good.key" \
    -cert_chain "$T/intermediate.pem" -tls1_2 -cipher "$CIPHERS" || exit 1
start_s_server WRONG -cert "$T/wrong-name-leaf.pem" -key "$T/wrong-name.key" \
    -cert_chain "$T/intermediate.pem" -tls1_2 -cipher "$CIPHERS" || exit 1
start_listener SILENT silent || exit 1

# --- usage errors: exit 3 before serving -------------------------------
expect_exit 3 "a host argument is refused" -- $BWC exporter 127.0.0.1
expect_exit 3 "--listen without an IP is refused" -- \
    $BWC exporter --listen localhost:9219
expect_exit 3 "a bad --allow pattern is refused" -- \
    $BWC exporter --allow 'http://x/'
expect_exit 3 "--srv is refused" -- $BWC exporter --srv

# --- port 0: a free port, printed; IPv6 where this host has it ----------
if have_ipv6; then LADDR='[::1]'; LHOST='[::1]'; else LADDR=127.0.0.1; LHOST=127.0.0.1; fi
: > "$WORK/empty-targets"
$BWC exporter --listen "$LADDR:0" --trust-store "$T/root.pem" \
    --fqdn other.example.test --targets "$WORK/empty-targets" \
    --allow 127.0.0.1 > "$SRV/exporter0.log" 2>&1 &
E0_PID=$!
echo $E0_PID >> "$SRV/pids"
i=0
while [ $i -lt 50 ] && ! grep -q 'listening on' "$SRV/exporter0.log"; do
	sleep 0.1
	i=$((i + 1))
done
P0=$(sed -n 's/.*listening on .*:\([0-9][0-9]*\) .*/\1/p' "$SRV/exporter0.log")
if [ -n "$P0" ] && [ "$P0" != 0 ]; then
	ok "--listen $LADDR:0 prints the port it got ($P0)"
	http port0 "http://$LHOST:$P0/metrics"
	expect_code port0 200
	# Without fqdn, --fqdn is judged; a request's fqdn wins over it.
	http fq1 "http://$LHOST:$P0/probe?target=127.0.0.1:$WRONG_PORT"
	expect_grep 'rule="fqdn-match",severity="error"} 0$' \
	    "/probe without fqdn judges --fqdn" "$WORK/fq1.txt"
	http fq2 "http://$LHOST:$P0/probe?target=127.0.0.1:$WRONG_PORT&fqdn=$FQ"
	expect_grep 'rule="fqdn-match",severity="error"} 1$' \
	    "/probe's fqdn wins over --fqdn" "$WORK/fq2.txt"
else
	not_ok "--listen $LADDR:0 prints the port it got" "$(cat "$SRV/exporter0.log")"
fi
expect_grep 'empty-targets: no target: nothing to sweep' \
    "an empty --targets file is said, not silent" "$SRV/exporter0.log"
term_wait "$E0_PID"
if [ "$TW_RC" = 0 ]; then ok "an idle exporter stops on SIGTERM, exit 0"; else
	not_ok "an idle exporter stops on SIGTERM, exit 0" "exit $TW_RC"; fi

# --- the exporter ------------------------------------------------------
EP=$(free_port) || exit 1
printf '127.0.0.1:%s %s\n127.0.0.1:%s %s\n' "$GOOD_PORT" $FQ \
    "$WRONG_PORT" $FQ > "$WORK/targets"
$BWC exporter --listen "127.0.0.1:$EP" --trust-store "$T/root.pem" \
    --targets "$WORK/targets" --allow 127.0.0.1 --interval 30 --timeout 3 \
    --jobs 2 > "$SRV/exporter.log" 2>&1 &
EXP_PID=$!
echo $EXP_PID >> "$SRV/pids"
wait_tcp "$EP" || { echo "exporter not listening"; cat "$SRV/exporter.log"; exit 1; }
expect_grep "listening on 127.0.0.1:$EP" "it says where it listens" \
    "$SRV/exporter.log"
URL=http://127.0.0.1:$EP

http good "$URL/probe?target=127.0.0.1:$GOOD_PORT&fqdn=$FQ"
expect_code good 200
expect_py "/probe of a compliant server: every error rule passes" \
    '"bwcertcheck_rule_failed{" in t and not [l for l in t.splitlines() if l.startswith("bwcertcheck_rule_failed{") and "severity=\"error\"" in l and not l.endswith(" 0")]' \
    "$WORK/good.txt"
expect_grep '^bwcertcheck_probe_success 1$' "/probe: probe_success 1" "$WORK/good.txt"
expect_grep '^bwcertcheck_probe_duration_seconds [0-9.]*$' \
    "/probe: probe_duration_seconds" "$WORK/good.txt"
expect_grep '^bwcertcheck_run_result 0$' "/probe: the probe's run_result" "$WORK/good.txt"
promcheck "promtool check metrics: /probe" "$WORK/good.txt"

# The cache: a second /probe within --interval does not probe again.
http m1 "$URL/metrics"
http good2 "$URL/probe?target=127.0.0.1:$GOOD_PORT&fqdn=$FQ"
http m2 "$URL/metrics"
if $PY -c 'import re, sys
def v(f, n):
    m = re.search("^" + n + r" (\d+)$", open(f).read(), re.M)
    return int(m.group(1))
a, b = sys.argv[1], sys.argv[2]
sys.exit(0 if v(b, "bwcertcheck_exporter_cache_hits_total") == v(a, "bwcertcheck_exporter_cache_hits_total") + 1 and v(b, "bwcertcheck_exporter_probes_total") <= v(a, "bwcertcheck_exporter_probes_total") + 2 else 1)' \
    "$WORK/m1.txt" "$WORK/m2.txt" 2>"$WORK/pyerr"; then
	ok "the cache answered the second /probe"
else
	not_ok "the cache answered the second /probe" "$(cat "$WORK/pyerr")"
fi
if cmp -s "$WORK/good.txt" "$WORK/good2.txt"; then
	ok "the cached answer is the first one"
else
	not_ok "the cached answer is the first one" "differs"
fi

# Other fqdn values are probes of their own, but only so many per target.
n=1
for name in a b c; do
	http "name$name" "$URL/probe?target=127.0.0.1:$GOOD_PORT&fqdn=$name.$FQ"
	[ "$(cat "$WORK/name$name.code")" = 200 ] && n=$((n + 1))
done
http named "$URL/probe?target=127.0.0.1:$GOOD_PORT&fqdn=d.$FQ"
if [ $n -eq 4 ] && [ "$(cat "$WORK/named.code")" = 429 ]; then
	ok "a fifth fqdn for one target within --interval: 429"
else
	not_ok "a fifth fqdn for one target within --interval: 429" \
	    "$n answered, then $(cat "$WORK/named.code")"
fi


http wrong "$URL/probe?target=127.0.0.1:$WRONG_PORT&fqdn=$FQ"
expect_code wrong 200
expect_grep 'bwcertcheck_rule_failed{.*rule="fqdn-match",severity="error"} 1$' \
    "/probe of a wrong name: fqdn-match failed" "$WORK/wrong.txt"
expect_grep '^bwcertcheck_run_result 2$' "/probe of a wrong name: not compliant" \
    "$WORK/wrong.txt"

# Without fqdn, a --targets line gives it.
http wrong2 "$URL/probe?target=127.0.0.1:$WRONG_PORT"
expect_grep 'rule="fqdn-match",severity="error"} 1$' \
    "/probe without fqdn takes the --targets line's" "$WORK/wrong2.txt"

http silent "$URL/probe?target=127.0.0.1:$SILENT_PORT&fqdn=$FQ"
expect_code silent 200
expect_grep '^bwcertcheck_probe_success 0$' "/probe of a silent server: probe_success 0" \
    "$WORK/silent.txt"
expect_grep '^bwcertcheck_run_result 3$' "/probe of a silent server: could not evaluate" \
    "$WORK/silent.txt"

# --- what may be probed --------------------------------------------------
http url "$URL/probe?target=http://127.0.0.1:$GOOD_PORT/"
expect_code url 400
expect_grep 'not a URL' "a URL as target: 400 and why" "$WORK/url.txt"
http userinfo "$URL/probe?target=user@127.0.0.1:$GOOD_PORT"
expect_code userinfo 400
http notarget "$URL/probe"
expect_code notarget 400
http badport "$URL/probe?target=127.0.0.1:99999"
expect_code badport 400
http badfqdn "$URL/probe?target=127.0.0.1:$GOOD_PORT&fqdn=a/b"
expect_code badfqdn 400
# Outside --allow and --targets: refused before any connection.
http other "$URL/probe?target=127.0.0.2:$GOOD_PORT"
expect_code other 403
http name "$URL/probe?target=pbx.example.com"
expect_code name 403
http nopage "$URL/nothing"
expect_code nopage 404

# --- the sweep and /metrics ----------------------------------------------
# A subject is named by its FQDN and port; the address is its own label.
i=0
while [ $i -lt 100 ]; do
	http metrics "$URL/metrics"
	grep -q '^bwcertcheck_subject_result{' "$WORK/metrics.txt" && break
	sleep 0.2
	i=$((i + 1))
done
expect_grep 'bwcertcheck_subject_result{subject="'"$FQ:$GOOD_PORT"'",address="127.0.0.1"} 0' \
    "/metrics: the sweep judged the compliant server" "$WORK/metrics.txt"
expect_grep 'bwcertcheck_subject_result{subject="'"$FQ:$WRONG_PORT"'",address="127.0.0.1"} 2' \
    "/metrics: the sweep judged the wrong name" "$WORK/metrics.txt"
expect_grep '^bwcertcheck_exporter_probes_total [1-9]' "/metrics: probes counted" \
    "$WORK/metrics.txt"
expect_grep '^bwcertcheck_exporter_probe_failures_total{cause="error"} [1-9]' \
    "/metrics: failures by cause" "$WORK/metrics.txt"
expect_grep '^bwcertcheck_exporter_probes_in_flight [0-9]' "/metrics: in flight" \
    "$WORK/metrics.txt"
expect_grep '^bwcertcheck_exporter_requests_rejected_total{reason="not_allowed"} 2$' \
    "/metrics: refusals counted by reason" "$WORK/metrics.txt"
promcheck "promtool check metrics: /metrics" "$WORK/metrics.txt"

# --- a real Prometheus, scraping as the README says ----------------------
PP=$(free_port) || exit 1
sed -e "s/'pbx1.example.com:5061', 'pbx2.example.com'/'127.0.0.1:$GOOD_PORT'/" \
    -e "s/203.0.113.7:5061/127.0.0.1:$WRONG_PORT/" \
    -e "s/pbx3.example.com/$FQ/" -e "s/127.0.0.1:9219/127.0.0.1:$EP/" \
    -e 's/scrape_interval: 5m/scrape_interval: 1s/' \
    -e 's/scrape_timeout: 30s/scrape_timeout: 1s/' \
    "$CONTRIB/prometheus/prometheus.yml" > "$WORK/prometheus.yml"
cat >> "$WORK/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  evaluation_interval: 1s
EOF
if grep -q "9219\|example.com\|203.0.113" "$WORK/prometheus.yml"; then
	not_ok "the scrape config points only at this test" "$(cat "$WORK/prometheus.yml")"
fi
mkdir -p "$WORK/tsdb"
prometheus --config.file="$WORK/prometheus.yml" \
    --storage.tsdb.path="$WORK/tsdb" --web.listen-address="127.0.0.1:$PP" \
    > "$SRV/prometheus.log" 2>&1 &
PROM_PID=$!
echo $PROM_PID >> "$SRV/pids"
wait_tcp "$PP" || { echo "prometheus not listening"; tail -20 "$SRV/prometheus.log"; }

# pq NAME EXPR PYCHECK: until the query's result (variable r) makes
# PYCHECK true, at most ~40 s.
pq() {
	i=0
	while [ $i -lt 80 ]; do
		$HC query "$PP" "$2" > "$WORK/pq.json"
		if $PY -c 'import json, sys
r = json.load(open(sys.argv[2]))
sys.exit(0 if isinstance(r, list) and eval(sys.argv[1]) else 1)' "$3" "$WORK/pq.json" 2>/dev/null; then
			ok "$1"
			return
		fi
		sleep 0.5
		i=$((i + 1))
	done
	not_ok "$1" "query $2 gave $(head -c 400 "$WORK/pq.json")"
}

pq "Prometheus: fqdn-match failed for the wrong name (scraped via /probe)" \
    "bwcertcheck_rule_failed{job=\"bwcertcheck\",rule=\"fqdn-match\",instance=\"127.0.0.1:$WRONG_PORT\"}" \
    'len(r) == 1 and r[0]["value"][1] == "1" and r[0]["metric"]["subject"] == "'"$FQ:$WRONG_PORT"'" and r[0]["metric"]["address"] == "127.0.0.1"'
pq "Prometheus: no error rule failed for the compliant server" \
    "bwcertcheck_rule_failed{job=\"bwcertcheck\",severity=\"error\",instance=\"127.0.0.1:$GOOD_PORT\"}" \
    'len(r) >= 10 and all(s["value"][1] == "0" for s in r) and any(s["metric"]["rule"] == "fqdn-match" for s in r)'
pq "Prometheus: probe_success 1 for both targets" \
    'bwcertcheck_probe_success{job="bwcertcheck",subject=""}' \
    'sorted(s["metric"]["instance"] for s in r if s["value"][1] == "1") == sorted(["127.0.0.1:'"$GOOD_PORT"'", "127.0.0.1:'"$WRONG_PORT"'"])'
pq "Prometheus: the exporter's own job is up" \
    'up{job="bwcertcheck-exporter"}' 'len(r) == 1 and r[0]["value"][1] == "1"'
pq "Prometheus: the sweep's results through /metrics" \
    'bwcertcheck_subject_result{job="bwcertcheck-exporter"}' \
    'sorted((s["metric"]["subject"], s["value"][1]) for s in r) == sorted([("'"$FQ:$GOOD_PORT"'", "0"), ("'"$FQ:$WRONG_PORT"'", "2")])'

# Prometheus is done: its scrapes must not mix with the counts below.
kill -TERM "$PROM_PID"
i=0
while kill -0 "$PROM_PID" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -9 "$PROM_PID" 2>/dev/null
wait "$PROM_PID" 2>/dev/null

# --- the README shows what the tests use ---------------------------------
for f in prometheus/prometheus.yml prometheus/bwcertcheck-rules.yml; do
	if $PY -c 'import sys
sys.exit(0 if open(sys.argv[1]).read() in open(sys.argv[2]).read() else 1)' \
	    "$CONTRIB/$f" "$TOP/README.md"; then
		ok "README shows contrib/$f as it is"
	else
		not_ok "README shows contrib/$f as it is" "not found verbatim"
	fi
done
if promtool test rules "$TOP/tests/integration/exporter-rules.test.yml" \
    > "$WORK/rules.out" 2>&1; then
	ok "promtool test rules: the alert rules fire as the README says"
else
	not_ok "promtool test rules" "$(head -c 800 "$WORK/rules.out")"
fi

# --- the systemd unit ------------------------------------------------------
U=$CONTRIB/bwcertcheck-exporter.service
for k in DynamicUser=yes ProtectSystem=strict NoNewPrivileges=yes; do
	expect_grep "^$k\$" "the unit sets $k" "$U"
done
if command -v systemd-analyze >/dev/null 2>&1; then
	sed "s#^ExecStart=/usr/local/bin/bwcertcheck #ExecStart=$BWC #" "$U" \
	    > "$WORK/bwcertcheck-exporter.service"
	if systemd-analyze verify --man=no "$WORK/bwcertcheck-exporter.service" \
	    > "$WORK/verify.out" 2>&1 && ! grep -q . "$WORK/verify.out"; then
		ok "systemd-analyze verify accepts the unit"
	else
		not_ok "systemd-analyze verify accepts the unit" "$(head -c 400 "$WORK/verify.out")"
	fi
else
	echo "# systemd-analyze not installed: unit not verified"
fi

# --- hostile requests ------------------------------------------------------
LONG=$($PY -c 'print("a" * 100000)')
http long "$URL/probe?target=$LONG"
expect_code long 414
$PY -c 'import sys
sys.stdout.write("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + "b" * 100000 + "\r\n\r\n")' |
    $HC send "$EP" > "$WORK/bighdr.code"
case $(cat "$WORK/bighdr.code") in
431|413|400) ok "overlong headers: a 4xx answer" ;;
*) not_ok "overlong headers: a 4xx answer" "got $(cat "$WORK/bighdr.code")" ;;
esac
printf 'POST /probe?target=127.0.0.1:%s HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello' \
    "$GOOD_PORT" | $HC send "$EP" > "$WORK/post.code"
if [ "$(cat "$WORK/post.code")" = 405 ]; then ok "POST: 405"; else
	not_ok "POST: 405" "got $(cat "$WORK/post.code")"; fi

$HC flood "$EP" "/probe?target=127.0.0.1:$GOOD_PORT&fqdn=$FQ" 1000 > "$WORK/flood.json"
echo "# 1,000 at once: $(cat "$WORK/flood.json")"
expect_json 'd["statuses"].get("no_answer", 0) == 0 and sum(d["statuses"].values()) == 1000' \
    "1,000 requests at once: every one answered" "$WORK/flood.json"
expect_json 'set(d["statuses"]) <= {"200", "429", "503"} and d["statuses"].get("429", 0) > 0' \
    "1,000 requests at once: 200, or 429 over the rate" "$WORK/flood.json"
$HC flood "$EP" "/probe?target=127.0.0.1:$SILENT_PORT&fqdn=x.$FQ" 100 > "$WORK/flood2.json"
echo "# 100 for a silent server: $(cat "$WORK/flood2.json")"
expect_json 'd["statuses"].get("no_answer", 0) == 0' \
    "100 requests for a silent server: every one answered" "$WORK/flood2.json"
sleep 2
http after "$URL/metrics"
expect_code after 200
http after2 "$URL/probe?target=127.0.0.1:$GOOD_PORT&fqdn=$FQ"
expect_code after2 200
expect_grep '^bwcertcheck_exporter_requests_rejected_total{reason="rate"} [1-9]' \
    "the refusals over the rate are counted" "$WORK/after.txt"
expect_grep '^bwcertcheck_exporter_probes_in_flight [0-2]$' \
    "never more probes at once than --jobs" "$WORK/after.txt"

# --- SIGTERM, with a probe of a silent server under way --------------------
# requests_total of a /metrics answer (which counts itself)
requests_total() {
	http m "$URL/metrics"
	sed -n 's/^bwcertcheck_exporter_requests_total //p' "$WORK/m.txt"
}
r0=$(requests_total)
$HC get "$URL/probe?target=127.0.0.1:$SILENT_PORT&fqdn=y.$FQ" "$WORK/last.txt" \
    > "$WORK/last.code" &
GET_PID=$!
# Until the exporter has the request: one more than the /metrics polls.
polls=0
while [ $polls -lt 100 ]; do
	polls=$((polls + 1))
	[ "$(requests_total)" -ge $((r0 + polls + 1)) ] && break
	sleep 0.1
done
term_wait "$EXP_PID"
if [ "$TW_RC" = 0 ]; then ok "SIGTERM: a clean stop within --timeout, exit 0"; else
	not_ok "SIGTERM: a clean stop within --timeout, exit 0" "exit $TW_RC"; fi
wait "$GET_PID"
case $(cat "$WORK/last.code") in
200|503) ok "the request under way at SIGTERM got an answer" ;;
*) not_ok "the request under way at SIGTERM got an answer" \
    "got $(cat "$WORK/last.code"): $(head -c 200 "$WORK/last.txt")" ;;
esac
finish

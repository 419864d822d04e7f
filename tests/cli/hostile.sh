#!/bin/sh
# hostile.sh - hostile certificates and files: each must end with the
# right verdict or a clean input error (exit 3), in bounded time and
# memory, and names from them must come out escaped in every format.
#
# The inputs are made fresh on each run by tests/hostile_gen.c (built
# here on tests/pki.c, signed with the keys of $TESTDATA) and by the
# shell below; see the header of hostile_gen.c for the list.  Peak
# memory is the child's maximum resident set (getrusage); the bounds
# are for the plain build, four times as much plus 150 MB under ASan
# (BWC_SANITIZE=1, with a 16 MB quarantine), unchecked under valgrind
# (BWC_VALGRIND=1).
SUITE=hostile
. "$TOP/tests/lib.sh"
T=$TESTDATA
H=$WORK/h
mkdir -p "$H"
L="$BWC lint --trust-store $T/root.pem --fqdn pbx.example.test"
LIMIT=${BWC_HOSTILE_LIMIT:-30}
# The limit for what must end at once (valgrind is some 50 times slower).
FAST=3
[ "${BWC_VALGRIND:-}" = 1 ] && FAST=$LIMIT
# ASan and UBSan make the signature checks some five times slower.
[ "${BWC_SANITIZE:-}" = 1 ] && FAST=10

# tests/hostile_gen is built by the Makefile (make test) with the
# project's warning flags.
if [ ! -x "$TOP/tests/hostile_gen" ] ||
    ! "$TOP/tests/hostile_gen" "$T" "$H" 2>"$WORK/gen.err"; then
	not_ok "hostile_gen" "$(cat "$WORK/gen.err" 2>/dev/null | head -c 600)"
	finish
	exit 1
fi
ok "hostile_gen made $(ls "$H" | wc -l) files"

# bounded.py OUT ERR STDIN LIMIT CMD...: run CMD with a time limit; print
# "RC PEAK_KB SECONDS".  Exit 124 when the limit was hit.
cat >"$WORK/bounded.py" <<'EOF'
import resource, subprocess, sys, time
out, err, stdin, limit = sys.argv[1:5]
t = time.monotonic()
try:
    rc = subprocess.run(sys.argv[5:], stdout=open(out, "wb"),
                        stderr=open(err, "wb"), stdin=open(stdin, "rb"),
                        timeout=float(limit)).returncode
except subprocess.TimeoutExpired:
    rc = 124
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(rc if rc >= 0 else 128 - rc, rss, "%.2f" % (time.monotonic() - t))
EOF

# bounded NAME CODE MAXMB [--stdin FILE] -- CMD...: CMD exits CODE within
# LIMIT seconds with a peak RSS under MAXMB.  stdout in $WORK/out,
# stderr in $WORK/err.
bounded() {
	name=$1
	want=$2
	maxmb=$3
	shift 3
	stdin=/dev/null
	if [ "$1" = --stdin ]; then
		stdin=$2
		shift 2
	fi
	shift
	# Under ASan, a small quarantine: the bound is on the program, not on
	# the freed memory ASan holds back (256 MB by default).
	set -- $(ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=16 \
	    $PY "$WORK/bounded.py" "$WORK/out" "$WORK/err" "$stdin" \
	    "$LIMIT" "$@")
	rc=$1
	mb=$(( $2 / 1024 ))
	secs=$3
	if [ "${BWC_SANITIZE:-}" = 1 ]; then
		maxmb=$((maxmb * 4 + 150))
	fi
	echo "# $name: exit $rc, peak $mb MB, $secs s" >>"$WORK/figures"
	if [ "$rc" -ne "$want" ]; then
		not_ok "$name" "exit $rc, expected $want ($secs s); stderr: $(head -c 300 "$WORK/err")"
	elif [ "${BWC_VALGRIND:-}" != 1 ] && [ "$mb" -gt "$maxmb" ]; then
		not_ok "$name" "peak memory $mb MB, bound $maxmb MB"
	else
		ok "$name (exit $rc, peak $mb MB, $secs s)"
	fi
}

# --- Big and many ------------------------------------------------------

head -c 52428800 /dev/urandom >"$H/junk-50m.bin"
bounded "50 MB of junk: input error" 3 40 -- $L "$H/junk-50m.bin"
expect_grep 'larger than' "50 MB of junk: the cause is named" "$WORK/err"
bounded "50 MB of junk on stdin: input error" 3 40 --stdin "$H/junk-50m.bin" -- $L -
{
	echo "-----BEGIN CERTIFICATE-----"
	head -c 52428800 /dev/zero | tr '\0' 'A'
} >"$H/pem-50m.pem"
bounded "50 MB PEM block: input error" 3 40 -- $L "$H/pem-50m.pem"
rm -f "$H/junk-50m.bin" "$H/pem-50m.pem"

bounded "10,000 certificates in one PEM: input error" 3 30 -- $L "$H/bundle-10k.pem"
expect_grep 'more than 1024 certificates' "10,000 certificates: the cause is named" "$WORK/err"
bounded "200,000 PEM blocks, no certificate: input error" 3 60 -- $L "$H/pem-blocks.pem"
expect_grep 'no certificate in 200000 PEM blocks' "PEM blocks: counted" "$WORK/err"
bounded "--each over 10,000 certificates: input error" 3 40 -- $L --each "$H/bundle-10k.pem"

bounded "10,000 SANs, the last the FQDN: compliant" 0 40 -- $L --format json "$H/san-10k.pem"
expect_rule fqdn-match pass "10,000 SANs: fqdn-match passes" "$WORK/out"
bounded "10,000 SANs, none the FQDN: not compliant" 2 40 -- $L --format json "$H/san-10k-miss.pem"
expect_json '"and 9992 more" in [f for f in d["subjects"][0]["findings"] if f["rule"] == "fqdn-match"][0]["message"]' \
	"10,000 SANs: the message lists 8 and counts the rest" "$WORK/out"
bounded "1 MB private extension: compliant" 0 40 -- $L "$H/big-ext.pem"

# --- Broken ASN.1 ------------------------------------------------------

bounded "100,000 nested SEQUENCEs (DER): input error" 3 40 -- $L "$H/der-deep.der"
bounded "100,000 nested SEQUENCEs (PEM): input error" 3 40 -- $L "$H/pem-deep.pem"
expect_grep 'pem-deep.pem: certificate 1' "nested ASN.1 in PEM: the block is named" "$WORK/err"
bounded "a SEQUENCE claiming 2 GB: input error" 3 40 -- $L "$H/der-length-lie.der"

# --- Odd certificates --------------------------------------------------

bounded "duplicate subjectAltName: not compliant" 2 40 -- $L --format json "$H/dup-san.pem"
expect_rule fqdn-match fail "duplicate SAN: fqdn-match fails" "$WORK/out"
bounded "duplicate basicConstraints: not compliant" 2 40 -- $L --format json "$H/dup-bc.pem"
# OpenSSL's usage getters answer 0 for such a certificate; the facts must not.
expect_rule key-usage-encipherment pass "duplicate basicConstraints: keyUsage still read" "$WORK/out"
expect_rule eku-server-auth pass "duplicate basicConstraints: extendedKeyUsage still read" "$WORK/out"
# OpenSSL then links the certificate to no issuer: say why, not "missing".
expect_json '"cert 0 has invalid extensions" in [f for f in d["subjects"][0]["findings"] if f["rule"] == "accepted-ca"][0]["message"]' \
	"duplicate extension in the leaf: accepted-ca names it" "$WORK/out"
expect_rule chain-complete pass "duplicate extension in the leaf: no intermediate called missing" "$WORK/out"
bounded "duplicate extension in the intermediate: not compliant" 2 40 -- $L --format json "$H/dup-ext-ca.pem"
expect_json '"cert 1 has invalid extensions" in [f for f in d["subjects"][0]["findings"] if f["rule"] == "accepted-ca"][0]["message"]' \
	"duplicate extension in the intermediate: accepted-ca names it" "$WORK/out"
expect_rule chain-complete pass "duplicate extension in the intermediate: not called missing" "$WORK/out"
# RFC 5280 4.1.2.2: a positive serial number of at most 20 octets.
bounded "negative serial: not compliant" 2 40 -- $L --format json "$H/serial-negative.pem"
expect_json 'd["subjects"][0]["chain"][0]["serial"] == "-12345678"' "negative serial: shown with its sign" "$WORK/out"
expect_json '"a negative serial number" in [f for f in d["subjects"][0]["findings"] if f["rule"] == "path-valid"][0]["message"]' \
	"negative serial: path-valid names it" "$WORK/out"
bounded "40-byte serial: not compliant" 2 40 -- $L --format json "$H/serial-40.pem"
expect_json 'len(d["subjects"][0]["chain"][0]["serial"]) == 80' "40-byte serial: all 80 hex digits" "$WORK/out"
expect_json '"a serial number of 40 octets" in [f for f in d["subjects"][0]["findings"] if f["rule"] == "path-valid"][0]["message"]' \
	"40-byte serial: path-valid names it" "$WORK/out"
# Every pair a candidate issuer: 65,280 signature checks took 6 s.
LIMIT=$FAST bounded "256 certificates of one name: judged at once" 2 40 -- $L "$H/same-name-256.pem"
bounded "a loop (A signs B signs A): not compliant" 2 40 -- $L --format json "$H/loop.pem"
expect_rule accepted-ca fail "loop: accepted-ca fails" "$WORK/out"
bounded "20-deep chain: compliant" 0 40 -- $BWC lint --trust-store "$H/deep-root.pem" \
	--fqdn pbx.example.test --format json "$H/deep-chain.pem"
expect_json 'len(d["subjects"][0]["chain"]) == 20 and d["subjects"][0]["anchor"]["root"] == "CN=Deep Root"' \
	"20-deep chain: every certificate reported, and the root" "$WORK/out"
bounded "expired root: not compliant" 2 40 -- $BWC lint --trust-store "$H/expired-root.pem" \
	--fqdn pbx.example.test --format json "$H/expired-root-chain.pem"
expect_rule not-expired fail "expired root: not-expired fails" "$WORK/out"
expect_json '"Expired Root" in [f for f in d["subjects"][0]["findings"] if f["rule"] == "not-expired"][0]["message"]' \
	"expired root: the root is named" "$WORK/out"

# --- PKCS#12 -----------------------------------------------------------

bounded "PKCS#12 without a certificate: input error" 3 40 -- $L --password pass:test-pass "$H/p12-nocert.p12"
expect_grep 'holds no certificate' "PKCS#12 without a certificate: the cause is named" "$WORK/err"
# 2^31 - 1 MAC iterations took minutes; 8 million PBKDF2 ones 2 s a bag.
LIMIT=$FAST bounded "PKCS#12 asking for 2^31 MAC iterations: refused at once" 3 40 -- \
	$L --password pass:test-pass "$H/p12-iter.p12"
expect_grep 'more than 5000000 key derivation iterations' "PKCS#12 MAC iterations: the cause is named" "$WORK/err"
LIMIT=$FAST bounded "PKCS#12 asking for 8 million PBKDF2 iterations: refused at once" 3 40 -- \
	$L "$H/p12-pbe-iter.p12"
expect_grep 'more than 5000000 key derivation iterations' "PKCS#12 PBKDF2 iterations: the cause is named" "$WORK/err"
bounded "PKCS#12 as --key asking for 2^31 iterations: refused" 3 40 -- \
	$L --key "$H/p12-iter.p12" --password pass:test-pass "$T/good.pem"
# Encrypted PKCS#8 keys: the same cap on PBKDF2 and on scrypt's N * r * p.
LIMIT=$FAST bounded "--key asking for 2^31 PBKDF2 iterations (PEM): refused at once" 3 40 -- \
	$L --key "$H/key-iter.pem" --password pass:test-pass "$T/good.pem"
expect_grep 'more than 5000000 key derivation iterations' "PKCS#8 iterations: the cause is named" "$WORK/err"
LIMIT=$FAST bounded "--key asking for 2^31 PBKDF2 iterations (DER): refused at once" 3 40 -- \
	$L --key "$H/key-iter.der" --password pass:test-pass "$T/good.pem"
LIMIT=$FAST bounded "--key asking for scrypt with p = 2^16: refused at once" 3 40 -- \
	$L --key "$H/key-scrypt.pem" --password pass:test-pass "$T/good.pem"
LIMIT=$FAST bounded "such a key beside the chain: skipped, the chain judged" 0 40 -- \
	$L --password pass:test-pass --format json "$H/key-iter-chain.pem"
expect_rule key-match skip "such a key beside the chain: key-match skipped" "$WORK/out"

# --- Keys and passwords ------------------------------------------------

head -c 5000000 /dev/urandom >"$H/junk.key"
bounded "--key of 5 MB junk: input error" 3 40 -- $L --key "$H/junk.key" "$T/good.pem"
bounded "--password file: of 5 MB: input error" 3 40 -- $L --password "file:$H/junk.key" "$T/good.p12"
expect_grep 'larger than 4096' "--password file: too big: the cause is named" "$WORK/err"
expect_no_grep 'test-pass' "no password in the error" "$WORK/err"

# --- Secrets -----------------------------------------------------------

# A wrong password, given each way, never shows up in any output.
SECRET=Zq9-not-the-password
export BWC_HOSTILE_SECRET=$SECRET
printf '%s\n' "$SECRET" >"$WORK/secret.txt"
leaked=""
for spec in "pass:$SECRET" env:BWC_HOSTILE_SECRET "file:$WORK/secret.txt"; do
	for fmt in text json junit sarif nagios prometheus; do
		$L --password "$spec" --format "$fmt" "$T/good.p12" >"$WORK/out" 2>"$WORK/err"
		[ $? -eq 3 ] || leaked="$leaked $spec/$fmt:exit"
		grep -q -e "$SECRET" "$WORK/out" "$WORK/err" && leaked="$leaked $spec/$fmt"
		$L --key "$T/good-enc.key" --password "$spec" --format "$fmt" \
			"$T/good.pem" >"$WORK/out" 2>"$WORK/err"
		[ $? -eq 3 ] || leaked="$leaked $spec/$fmt:key-exit"
		grep -q -e "$SECRET" "$WORK/out" "$WORK/err" && leaked="$leaked $spec/$fmt:key"
	done
done
if [ -z "$leaked" ]; then
	ok "a wrong password (pass:, env:, file:) fails with exit 3 and is never printed"
else
	not_ok "a wrong password fails with exit 3 and is never printed" "$leaked"
fi
# A server's combined file (key, then chain): no key material in a report.
cat "$T/good.key" "$T/good.pem" >"$WORK/combined.pem"
keyline=$(sed -n 2p "$T/good.key")
leaked=""
for fmt in text json junit sarif nagios prometheus; do
	$L --format "$fmt" "$WORK/combined.pem" >"$WORK/out" 2>"$WORK/err"
	grep -q -e 'PRIVATE KEY' -e "$keyline" "$WORK/out" "$WORK/err" &&
		leaked="$leaked $fmt"
done
if [ -z "$leaked" ]; then
	ok "a key beside the chain never reaches a report"
else
	not_ok "a key beside the chain never reaches a report" "in:$leaked"
fi

# lint never opens a network socket, not even for a leaf whose AIA
# names where its intermediate could be fetched: socket() is replaced
# by one that records the call and fails (local AF_UNIX sockets pass).
cat >"$WORK/nonet.c" <<'EOF'
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int
socket(int domain, int type, int protocol)
{
	const char *log = getenv("BWC_NONET_LOG");
	int fd;

	if (domain == AF_UNIX)
		return (int)syscall(SYS_socket, domain, type, protocol);
	if (log != NULL && (fd = open(log, O_WRONLY | O_CREAT | O_APPEND,
	    0600)) >= 0) {
		(void)write(fd, "socket\n", 7);
		close(fd);
	}
	errno = EACCES;
	return -1;
}
EOF
if [ "${BWC_VALGRIND:-}" = 1 ]; then
	ok "lint opens no network socket # skipped under valgrind"
elif cc -shared -fPIC -o "$WORK/nonet.so" "$WORK/nonet.c" 2>"$WORK/cc.err"; then
	: >"$WORK/nonet.log"
	BWC_NONET_LOG=$WORK/nonet.log LD_PRELOAD=$WORK/nonet.so \
	    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	    $L --each "$T/incomplete.pem" "$T/good.pem" "$T/good.p12" --password pass:test-pass \
	    >"$WORK/out" 2>"$WORK/err"
	rc=$?
	if [ "$rc" -eq 2 ] && [ ! -s "$WORK/nonet.log" ]; then
		ok "lint opens no network socket (AIA caIssuers is not fetched)"
	else
		not_ok "lint opens no network socket" "exit $rc, $(wc -l <"$WORK/nonet.log") socket() calls; $(head -c 200 "$WORK/err")"
	fi
	# The shim works: the probe's socket() is caught.
	BWC_NONET_LOG=$WORK/nonet.log LD_PRELOAD=$WORK/nonet.so \
	    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	    $BWC probe --timeout 1 --connect 127.0.0.1:9 pbx.example.test >/dev/null 2>&1
	if [ -s "$WORK/nonet.log" ]; then
		ok "the socket() shim catches the probe"
	else
		not_ok "the socket() shim catches the probe" "no call recorded"
	fi
else
	not_ok "socket() shim builds" "$(head -c 300 "$WORK/cc.err")"
fi

# --- A directory with loops (--each) -----------------------------------

D=$WORK/dir
mkdir -p "$D"
cp "$T/good.pem" "$D/good.pem"
ln -s loop-b "$D/loop-a"
ln -s loop-a "$D/loop-b"
ln -s self "$D/self"
ln -s . "$D/here"
ln -s /dev/zero "$D/zero"
mkfifo "$D/fifo" 2>/dev/null || true
bounded "--each over a directory of symlink loops: ends, exit 3" 3 40 -- \
	$L --each --format json "$D"
expect_json '[s["result"] for s in d["subjects"] if s["name"].endswith("/good.pem")] == ["pass"]' \
	"symlink loops: the good file is still judged" "$WORK/out"
expect_json 'sorted(s["name"].rsplit("/", 1)[1] for s in d["subjects"] if s["result"] == "error") == ["loop-a", "loop-b", "self"]' \
	"symlink loops: each loop is an input error" "$WORK/out"
expect_grep 'loop-a: Too many levels of symbolic links' "symlink loops: the cause is named" "$WORK/err"

# --- Names through every format ----------------------------------------

check_formats names-ctrl 2 $L "$H/names-ctrl.pem"
expect_grep 'x1b\]0;pwned' "control names: ESC shown as \\x1b" "$WORK/names-ctrl.text"
check_formats names-bad-utf8 0 $L "$H/names-bad-utf8.pem"
check_formats nul-san 2 $L "$T/nul-san.pem"
check_formats names-utf8 0 $L "$H/names-utf8.pem" --fqdn xn--bcher-kva.example.test
expect_json '"B\u00fccher \u03a9 \u65e5\u672c \U0001f600" in d["subjects"][0]["chain"][0]["subject"]' \
	"UTF-8 names: kept as they are in JSON" "$WORK/names-utf8.json"
expect_exit 0 "an IDN FQDN matches its A-label SAN" -- \
	$BWC lint --trust-store "$T/root.pem" --fqdn bücher.example.test "$H/names-utf8.pem"

cat "$WORK/figures"
finish

#!/bin/sh
# fetch.sh - fix-chain --fetch against HTTP servers on 127.0.0.1: the
# missing intermediate served as DER and as PKCS#7 by python3 -m
# http.server, and by aia_server.py after redirects; and servers that
# serve a wrong certificate, a stranger, a 404, bytes too slowly,
# nothing at all, 64 MiB, five redirects or a redirect to file://; and
# an HTTPS server (openssl s_server -WWW) the system does not trust.
# Each ends with the right chain or a clear refusal that writes
# nothing, within --timeout (2 s here) plus a margin.
#
# Every leaf is issued here, so its caIssuers URL can name the port.
# Needs TOP and BWC (tests/run.sh sets them); TESTDATA is made here with
# testdata/mkpki.sh when it is not given.
SUITE=fetch
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
BWC=${BWC:-$TOP/bwcertcheck}
. "$TOP/tests/lib.sh"
. "$TOP/tests/integration/servers.sh"
servers_init
need_testdata
# Nothing here may go through a proxy: every URL is on 127.0.0.1.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
TO=2
F="$BWC fix-chain --trust-store $T/root.pem --fqdn pbx.example.test --timeout $TO"
O=$WORK/out

# What the servers serve.
WWW=$WORK/www
mkdir -p "$WWW"
cp "$T/intermediate.der" "$WWW/issuing.der"
openssl crl2pkcs7 -nocrl -certfile "$T/intermediate.pem" -outform DER \
    -out "$WWW/issuing.p7c" 2>/dev/null
openssl x509 -in "$T/other-intermediate.pem" -outform DER -out "$WWW/stranger.der"
# An impostor: the issuing CA's name and key identifier, another key,
# signed by the root.  Only the signature on the leaf tells it apart.
skid=$(openssl x509 -in "$T/intermediate.pem" -noout -ext subjectKeyIdentifier |
    sed -n 's/^ *\([0-9A-F:]*\) *$/\1/p')
printf '[v3]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\nsubjectKeyIdentifier = %s\nauthorityKeyIdentifier = keyid\n' \
    "$skid" > "$WORK/impostor.cnf"
openssl req -new -newkey rsa:2048 -nodes -keyout "$WORK/impostor.key" \
    -subj "/C=US/O=BWC Test PKI/CN=BWC Test Issuing CA" -out "$WORK/impostor.csr" 2>/dev/null
openssl x509 -req -in "$WORK/impostor.csr" -CA "$T/root.pem" -CAkey "$T/root.key" \
    -set_serial 0x5eed -days 30 -extfile "$WORK/impostor.cnf" -extensions v3 \
    -outform DER -out "$WWW/impostor.der" 2>/dev/null
openssl req -new -key "$T/good.key" -subj "/CN=pbx.example.test" -out "$WORK/leaf.csr" 2>/dev/null

# leaf NAME URL: a leaf under the test issuing CA whose caIssuers is URL.
n_leaf=0
leaf() {
	n_leaf=$((n_leaf + 1))
	printf '[v3]\nbasicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth\nsubjectAltName = DNS:pbx.example.test\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\nauthorityInfoAccess = caIssuers;URI:%s\n' \
	    "$2" > "$WORK/$1.cnf"
	openssl x509 -req -in "$WORK/leaf.csr" -CA "$T/intermediate.pem" \
	    -CAkey "$T/intermediate.key" -set_serial "$((4096 + n_leaf))" -days 90 \
	    -extfile "$WORK/$1.cnf" -extensions v3 -out "$WORK/$1.pem" 2>/dev/null ||
	    not_ok "leaf $1" "openssl x509 -req failed"
}

# expect_within SECONDS NAME: the last command timed by `timed` took at most SECONDS.
timed() {
	t0=$(date +%s)
	expect_exit "$@"
	t1=$(date +%s)
	elapsed=$((t1 - t0))
}
expect_within() {
	if [ "$elapsed" -le "$1" ]; then
		ok "$2 (${elapsed} s)"
	else
		not_ok "$2" "took ${elapsed} s, more than $1"
	fi
}

expect_nothing_written() {
	if [ -e "$1" ]; then not_ok "$2" "$1 exists"; else ok "$2"; fi
}

# python3 -m http.server for the files, aia_server.py for the rest.
port=$(free_port) || exit 1
$SRV_PY -m http.server --bind 127.0.0.1 --directory "$WWW" "$port" \
    > "$SRV/http.log" 2>&1 &
echo $! >> "$SRV/pids"
wait_tcp "$port" || { echo "fetch: http.server not listening"; exit 1; }
H=http://127.0.0.1:$port
aport=$(free_port) || exit 1
: > "$WORK/aia.log"
$SRV_PY "$SRV_HERE/aia_server.py" "$aport" "$WWW" "$WORK/aia.log" \
    > "$SRV/aia.log" 2>&1 &
echo $! >> "$SRV/pids"
wait_tcp "$aport" || { echo "fetch: aia_server.py not listening"; exit 1; }
A=http://127.0.0.1:$aport

# The intermediate, as DER and as PKCS#7.
leaf der "$H/issuing.der"
expect_exit 0 "DER from http.server: fixed, lint passes" -- $F --fetch -o "$O-der.pem" "$WORK/der.pem"
expect_grep "fetched BWC Test Issuing CA from $H/issuing.der: its signature on pbx.example.test verifies" \
    "DER: says which URL gave which certificate" "$WORK/err"
expect_exit 0 "DER: the file written lints clean" -- $BWC lint --trust-store "$T/root.pem" "$O-der.pem"
leaf p7 "$H/issuing.p7c"
expect_exit 0 "PKCS#7 from http.server: fixed" -- $F --fetch -o "$O-p7.pem" "$WORK/p7.pem"
expect_grep "fetched BWC Test Issuing CA from $H/issuing.p7c" "PKCS#7: says where from" "$WORK/err"

# Without --fetch nothing is asked of any server.
: > "$WORK/aia.log"
leaf quiet "$A/file/issuing.der"
expect_exit 2 "without --fetch: refused" -- $F -o "$O-quiet.pem" "$WORK/quiet.pem"
expect_grep "is missing; the CA publishes it at $A/file/issuing.der" "without --fetch: names the URL" "$WORK/err"
if [ -s "$WORK/aia.log" ]; then
	not_ok "without --fetch: no request reaches the server" "$(head -c 200 "$WORK/aia.log")"
else
	ok "without --fetch: no request reaches the server"
fi
expect_exit 0 "the same leaf with --fetch" -- $F --fetch -o "$O-quiet.pem" "$WORK/quiet.pem"
expect_grep "GET /file/issuing.der" "with --fetch: the server was asked" "$WORK/aia.log"

# A wrong certificate: never used.
leaf impostor "$H/impostor.der"
expect_exit 2 "impostor (same name and key id, another key): refused" -- $F --fetch -o "$O-imp.pem" "$WORK/impostor.pem"
expect_grep "served BWC Test Issuing CA, which did not sign pbx.example.test (the signature does not verify): not used" \
    "impostor: the signature is named" "$WORK/err"
expect_nothing_written "$O-imp.pem" "impostor: nothing written"
leaf stranger "$H/stranger.der"
expect_exit 2 "a certificate of another CA: refused" -- $F --fetch -o "$O-str.pem" "$WORK/stranger.pem"
expect_grep "served Other Test Issuing CA, which did not sign" "stranger: named" "$WORK/err"
leaf missing "$H/no-such.der"
expect_exit 2 "404: refused" -- $F --fetch -o "$O-404.pem" "$WORK/missing.pem"
expect_grep "fetching it failed: $H/no-such.der: HTTP status 404" "404: the status is named" "$WORK/err"

# Slow, silent, huge: bounded.
leaf drip "$A/drip"
timed 2 "a server that drips bytes: refused" -- $F --fetch -o "$O-drip.pem" "$WORK/drip.pem"
expect_within $((TO + 6)) "drip: ends within --timeout"
expect_grep "no complete answer in time (--timeout)" "drip: the timeout is named" "$WORK/err"
leaf hang "$A/hang"
timed 2 "a server that never answers: refused" -- $F --fetch -o "$O-hang.pem" "$WORK/hang.pem"
expect_within $((TO + 6)) "hang: ends within --timeout"
expect_nothing_written "$O-hang.pem" "hang: nothing written"
leaf huge "$A/huge"
timed 2 "64 MiB without a length: refused" -- $F --fetch -o "$O-huge.pem" "$WORK/huge.pem"
expect_within $((TO + 6)) "huge: ends within --timeout"
expect_grep "more than 262144 bytes: not a certificate" "huge: the bound is named" "$WORK/err"
leaf hugelen "$A/huge-length"
expect_exit 2 "a Content-Length of 64 MiB: refused" -- $F --fetch -o "$O-hugel.pem" "$WORK/hugelen.pem"
expect_grep "more than 262144 bytes" "huge with a length: the bound is named" "$WORK/err"

# Redirects: a few are followed, five are too many, file:// never.
leaf r2 "$A/redirect/2/issuing.der"
expect_exit 0 "two redirects: followed" -- $F --fetch -o "$O-r2.pem" "$WORK/r2.pem"
leaf r5 "$A/redirect/5/issuing.der"
timed 2 "five redirects: refused" -- $F --fetch -o "$O-r5.pem" "$WORK/r5.pem"
expect_within $((TO + 6)) "five redirects: bounded"
expect_grep "more than 3 redirects" "five redirects: named" "$WORK/err"
leaf tofile "$A/to-file"
expect_exit 2 "a redirect to file://: refused" -- $F --fetch -o "$O-file.pem" "$WORK/tofile.pem"
expect_grep "only http:// and https:// URLs are fetched" "file://: named" "$WORK/err"
leaf ftp "ftp://127.0.0.1:$aport/issuing.der"
expect_exit 2 "an ftp:// caIssuers URL: refused, never fetched" -- $F --fetch -o "$O-ftp.pem" "$WORK/ftp.pem"
expect_grep "only http:// and https:// URLs are fetched" "ftp://: named" "$WORK/err"

# HTTPS is fetched too, and the server is verified against the system's
# CA store: a server with a certificate of the test PKI is refused.
(cd "$WWW" && start_s_server S -WWW -cert "$T/good.pem" -key "$T/good.key") ||
    { echo "fetch: s_server -WWW not listening"; exit 1; }
S_PORT=$(tail -n 1 "$SRV/ports")
leaf tls "https://127.0.0.1:$S_PORT/issuing.der"
expect_exit 2 "https from a server the system does not trust: refused" -- $F --fetch -o "$O-tls.pem" "$WORK/tls.pem"
expect_grep "fetching it failed: https://127.0.0.1:$S_PORT/issuing.der: SSL certificate problem" \
    "https: the failed server verification is named" "$WORK/err"
expect_nothing_written "$O-tls.pem" "https: nothing written"

finish

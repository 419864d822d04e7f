#!/bin/sh
# mkseeds.sh PKIDIR CORPUSDIR - seed corpora for the fuzz targets.
#
# load     every file of the test PKI (PEM, DER, PKCS#7, PKCS#12, keys),
#          made at run time by testdata/mkpki.sh, so nothing committed
#          expires; PKCS#12 files with few key derivation iterations too,
#          under the fuzzer's lower cap (load_int.h)
# load_parse  the same seeds
# fqdn     flag byte, SAN length, SAN bytes, FQDN (fuzz_fqdn.c)
# config   small --config files
# targets  small --targets files
# report   bytes to steer the subject builder (fuzz_report.c)
# listen   what a SIP client sends the listener: requests, SDP offers
#
# Seeds are written under fixed names, so the corpus a fuzzer grew in
# CORPUSDIR stays and a new run starts from it.
set -eu
pki=$1
out=$2
mkdir -p "$out/load" "$out/load_parse" "$out/fqdn" "$out/config" \
    "$out/targets" "$out/report" "$out/listen"

for f in "$pki"/*; do
	[ -f "$f" ] && [ -s "$f" ] && cp "$f" "$out/load/seed-$(basename "$f")"
done
# A server's combined file: key, then the chain.
cat "$pki/good.key" "$pki/good.pem" >"$out/load/seed-combined.pem"
# PKCS#12 as the loader meets it, with a handful of iterations: the
# fuzzer's cap refuses the test PKI's own (2048 each for MAC, key, certs).
for it in 1 7; do
	openssl pkcs12 -export -passout pass:test-pass -iter "$it" -maciter \
	    -inkey "$pki/good.key" -in "$pki/good.pem" \
	    -out "$out/load/seed-iter$it.p12" 2>/dev/null || true
done
cp "$out/load"/seed-* "$out/load_parse/"

# fqdn: seed NAME FLAG SAN FQDN (printf escapes allowed in SAN and FQDN)
n=0
fqdn_seed() {
	n=$((n + 1))
	san=$(printf "$2"; printf x)
	san=${san%x}
	len=$(printf '%s' "$san" | wc -c)
	{
		printf "\\$(printf '%03o' "$1")"
		printf "\\$(printf '%03o' "$len")"
		printf "$2"
		printf "$3"
	} >"$out/fqdn/seed-$n"
}
fqdn_seed 1 'pbx.example.test' 'pbx.example.test'
fqdn_seed 1 '*.example.test' 'pbx.example.test'
fqdn_seed 1 '*.example.test' 'a.pbx.example.test'
fqdn_seed 0 '*.example.test' 'pbx.example.test'
fqdn_seed 1 '*.com' 'example.com'
fqdn_seed 1 'p*.example.com' 'pbx.example.com'
fqdn_seed 1 'pbx.example.test\000.evil.test' 'pbx.example.test'
fqdn_seed 1 'PBX.Example.TEST.' 'pbx.example.test.'
fqdn_seed 1 'xn--bcher-kva.example' 'b\303\274cher.example'
fqdn_seed 1 '\033[31mred.example.test' 'red.example.test'
fqdn_seed 1 '*.' 'x.'
fqdn_seed 1 '' ''
fqdn_seed 1 'a..b' 'a..b'
fqdn_seed 1 '*.xn--p1ai.example' 'xn--d1acufc.xn--p1ai.example'
fqdn_seed 1 '1.2.3.4' '[2001:db8::1]'

# config
cat >"$out/config/seed-policy.ini" <<'EOF'
; the carrier's rules, spelled out
[policy]
name = strict internal
brands = letsencrypt, digicert , globalsign
suites = AES128-SHA256,TLS_RSA_WITH_AES_256_CBC_SHA256
default-suite = AES128-SHA256
min-rsa-bits = 3072
wildcards = no
warn-days = 21
port = 5061
EOF
cat >"$out/config/seed-options.ini" <<'EOF'
fqdn = pbx.example.com
warn_days = 14
[bwcertcheck]
format = json
quiet = yes
[lint]
each = true
password = env:P12PASS
[probe]
timeout = 5
jobs = 8
no-sni = off
sip = on
targets = /etc/bwcertcheck/targets
EOF
printf '[policy]\nsuites = aes128-sha\ndefault-suite = none\n[Policy]\nport=1\n' \
	>"$out/config/seed-dup.ini"
printf '[nope]\nx=1\n' >"$out/config/seed-section.ini"
printf 'format = "text"\r\n  [probe]  \r\nport = 65536\n' >"$out/config/seed-crlf.ini"
printf '[policy]\nname = \033[31mred\n' >"$out/config/seed-ctrl.ini"

# targets
cat >"$out/targets/seed-fleet" <<'EOF'
# fleet
pbx1.example.com
pbx2.example.com:5062 pbx2.example.com
192.0.2.10:5061 pbx3.example.com   # by address
[2001:db8::1]:5061 pbx4.example.com
2001:db8::2
EOF
printf 'b\303\274cher.example:5061 xn--bcher-kva.example\n' >>"$out/targets/seed-fleet"
printf 'host:0\n' >"$out/targets/seed-port0"
printf 'host:65536 a b\n' >"$out/targets/seed-extra"
printf '[::1\n' >"$out/targets/seed-v6"
printf 'a\tb.example.com\r\n' >"$out/targets/seed-tab"

# report: bytes steer fuzz_report.c's builder; certificates make varied bytes
head -c 64 /dev/zero >"$out/report/seed-zero"
awk 'BEGIN { for (i = 0; i < 512; i++) printf "%c", 255 }' >"$out/report/seed-ff"
cp "$pki/nul-san-leaf.pem" "$out/report/seed-nul-san"
cp "$pki/good.der" "$out/report/seed-der"
cp "$pki/good-der.p7b" "$out/report/seed-p7b"

# listen: an INVITE offering SDES, DTLS-SRTP and plain RTP; an OPTIONS
sdp='v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\na=fingerprint:sha-256 AB:CD\r\nm=audio 10000 RTP/SAVP 0 8 101\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZWNyZXRfX19rZXlfX19zYWx0X18|2^20|1:4\r\na=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:a;inline:b KDR=1\r\nm=audio 10002 UDP/TLS/RTP/SAVPF 111\r\nm=video 0 RTP/AVP 96\r\n'
len=$(printf "$sdp" | wc -c)
{
	printf 'INVITE sip:test@127.0.0.1:5061;transport=tls SIP/2.0\r\n'
	printf 'Via: SIP/2.0/TLS 127.0.0.1:40000;branch=z9hG4bKa1;rport\r\n'
	printf 'v: SIP/2.0/TLS 10.0.0.1;branch=z9hG4bKb2\r\n'
	printf 'From: <sip:pbx@127.0.0.1>;tag=f00\r\nt: <sip:test@127.0.0.1>\r\n'
	printf 'Call-ID: 3b1f@pbx\r\nCSeq: 1\r\n INVITE\r\nUser-Agent: baresip\r\n'
	printf 'Content-Type: application/sdp\r\nContent-Length: %d\r\n\r\n' "$len"
	printf "$sdp"
} >"$out/listen/seed-invite"
printf '\r\n\r\nOPTIONS sip:x SIP/2.0\nVia: v\nFrom: f\nTo: t;tag=1\ni: c\nCSeq: 1 OPTIONS\nl: 0\n\n' \
	>"$out/listen/seed-options"
printf 'BYE sip:x SIP/2.0\r\nContent-Length: 2147483648\r\n\r\n' >"$out/listen/seed-huge"


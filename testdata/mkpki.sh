#!/bin/sh
# mkpki.sh OUTDIR - generate the test PKI as files, with the openssl CLI
# only, at test time, so that nothing committed ever expires.
#
# Two hierarchies:
#   root.pem "BWC Test Root CA"  -> intermediate.pem "BWC Test Issuing CA"
#   other-root.pem "Other Test Root" -> other-intermediate.pem "Other Test Issuing CA"
# then one leaf per rule to pass or fail, each as NAME-leaf.pem (the
# leaf alone), NAME.pem (the chain a server would send) and NAME.key;
# the good chain in every input format; and broken inputs.
# README.md beside this script lists every file and what it exercises.
#
# Tests pass root.pem as --trust-store.  Times are relative to now
# (root: now-2y..now+10y, intermediate: now-1y..now+5y, leaves:
# now-1d..now+90d unless a leaf is about time).  Serial numbers are
# random; everything else is the same on every run.
#
# "openssl x509 -req" in OpenSSL 3.0 cannot back-date a certificate, so
# every certificate is issued by "openssl ca" with explicit -startdate
# and -enddate, from a throwaway CA database in OUTDIR/.work.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 OUTDIR" >&2
	exit 2
fi
out=$1
mkdir -p "$out"
work=$out/.work
rm -rf "$work"
mkdir -p "$work/new"
: > "$work/index.txt"
echo 01 > "$work/serial"
trap 'rm -rf "$work"' EXIT

now=$(date -u +%s)

# ts DAYS: now + DAYS days (DAYS may be negative) as YYYYMMDDHHMMSSZ.
# Civil date from epoch seconds in awk (H. Hinnant's days_from_civil,
# inverted), since POSIX date(1) has no date arithmetic.
ts() {
	awk -v now="$now" -v days="$1" 'BEGIN {
		t = now + days * 86400
		z = int(t / 86400); s = t - z * 86400
		z += 719468
		era = int(z / 146097); doe = z - era * 146097
		yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
		y = yoe + era * 400
		doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
		mp = int((5 * doy + 2) / 153)
		d = doy - int((153 * mp + 2) / 5) + 1
		m = mp < 10 ? mp + 3 : mp - 9
		if (m <= 2) y++
		printf "%04d%02d%02d%02d%02d%02dZ\n", y, m, d,
		    int(s / 3600), int(s % 3600 / 60), s % 60
	}'
}

cat > "$work/ca.cnf" <<EOF
[ ca ]
default_ca = test_ca

[ test_ca ]
database = $work/index.txt
new_certs_dir = $work/new
serial = $work/serial
unique_subject = no
email_in_dn = no
default_md = sha256
policy = policy_any

[ policy_any ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = optional

[ req ]
distinguished_name = req_dn
prompt = no

[ req_dn ]
CN = unused
EOF

# The extension sections; leaf() appends one section per leaf.
cat > "$work/ext.cnf" <<EOF
[ root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ intermediate ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

# dNSNames no config string can hold: "pbx.example.test<NUL>.evil.test"
# and "<ESC>[31mred.example.test".  IA5STRING takes no FORMAT:HEX, but a
# [2] IMPLICIT OCTET STRING encodes to the same bytes as a dNSName.
[ nul_san ]
dns1 = IMPLICIT:2,FORMAT:HEX,OCTETSTRING:7062782e6578616d706c652e74657374002e6576696c2e74657374
dns2 = IMPLICIT:2,FORMAT:HEX,OCTETSTRING:1b5b33316d7265642e6578616d706c652e74657374
EOF

# key NAME ALGORITHM-OPTIONS...: a private key (PKCS#8) and a CSR for it.
key() {
	name=$1
	shift
	openssl genpkey -quiet "$@" -out "$work/$name.key"
	openssl req -new -config "$work/ca.cnf" -key "$work/$name.key" \
		-out "$work/$name.csr"
}

# sign OUT SUBJECT KEY ISSUER EXTSECTION START END MD [-selfsign]
sign() {
	if [ "${9:-}" = -selfsign ]; then
		set -- "$@" -keyfile "$work/$3.key"
	else
		set -- "$@" -cert "$out/$4.pem" -keyfile "$work/$4.key"
	fi
	_out=$1 _subj=$2 _key=$3 _sect=$5 _start=$6 _end=$7 _md=$8
	shift 8
	openssl ca -batch -notext -config "$work/ca.cnf" -rand_serial \
		-preserveDN -subj "$_subj" -in "$work/$_key.csr" \
		-extfile "$work/ext.cnf" -extensions "$_sect" \
		-startdate "$_start" -enddate "$_end" -md "$_md" \
		-out "$_out" "$@" 2>"$work/ca.log" || {
		cat "$work/ca.log" >&2
		exit 1
	}
}

# CAs, each with its own key.
key root -algorithm RSA -pkeyopt rsa_keygen_bits:2048
key intermediate -algorithm RSA -pkeyopt rsa_keygen_bits:2048
key other-root -algorithm RSA -pkeyopt rsa_keygen_bits:2048
key other-intermediate -algorithm RSA -pkeyopt rsa_keygen_bits:2048
sign "$out/root.pem" "/C=US/O=BWC Test PKI/CN=BWC Test Root CA" root - \
	root "$(ts -730)" "$(ts 3650)" sha256 -selfsign
sign "$out/intermediate.pem" "/C=US/O=BWC Test PKI/CN=BWC Test Issuing CA" \
	intermediate root intermediate "$(ts -365)" "$(ts 1825)" sha256
sign "$out/other-root.pem" "/C=US/O=Other Test PKI/CN=Other Test Root" \
	other-root - root "$(ts -730)" "$(ts 3650)" sha256 -selfsign
sign "$out/other-intermediate.pem" \
	"/C=US/O=Other Test PKI/CN=Other Test Issuing CA" \
	other-intermediate other-root intermediate "$(ts -365)" "$(ts 1825)" sha256
# The same intermediate (name and key), expired: a chain whose leaf is
# fine but whose intermediate is not.
sign "$work/intermediate-expired.pem" \
	"/C=US/O=BWC Test PKI/CN=BWC Test Issuing CA" \
	intermediate root intermediate "$(ts -400)" "$(ts -30)" sha256
for ca in root intermediate other-root other-intermediate; do
	cp "$work/$ca.key" "$out/$ca.key"
done

# Leaf keys: one RSA-2048 key shared by the leaves where the key does
# not matter, and one key per leaf where it does.
key leaf -algorithm RSA -pkeyopt rsa_keygen_bits:2048
key rsa1024 -algorithm RSA -pkeyopt rsa_keygen_bits:1024
key ec -algorithm EC -pkeyopt ec_paramgen_curve:P-256
key unrelated -algorithm RSA -pkeyopt rsa_keygen_bits:2048
cp "$work/unrelated.key" "$out/unrelated.key"

# The leaf under construction: reset() sets the good defaults, a block
# changes what its rule is about, leaf() issues it.
reset() {
	cn=pbx.example.test
	san=DNS:pbx.example.test
	bc="critical, CA:FALSE"
	ku="critical, digitalSignature, keyEncipherment"
	eku="serverAuth, clientAuth"
	extra=
	lkey=leaf
	issuer=intermediate
	start=$(ts -1)
	end=$(ts 90)
	md=sha256
	chain=normal	# normal (leaf, issuer), reverse, leaf-only, self
}

# leaf NAME: issue the leaf, write NAME-leaf.pem, NAME.pem, NAME.key.
leaf() {
	{
		printf '\n[ %s ]\n' "$1"
		[ -n "$bc" ] && printf 'basicConstraints = %s\n' "$bc"
		[ -n "$ku" ] && printf 'keyUsage = %s\n' "$ku"
		[ -n "$eku" ] && printf 'extendedKeyUsage = %s\n' "$eku"
		[ -n "$san" ] && printf 'subjectAltName = %s\n' "$san"
		printf 'subjectKeyIdentifier = hash\n'
		[ "$chain" != self ] &&
			printf 'authorityKeyIdentifier = keyid:always\n'
		[ -n "$extra" ] && printf '%s\n' "$extra"
		:
	} >> "$work/ext.cnf"
	if [ "$chain" = self ]; then
		sign "$out/$1-leaf.pem" "/CN=$cn" "$lkey" - "$1" \
			"$start" "$end" "$md" -selfsign
	else
		sign "$out/$1-leaf.pem" "/CN=$cn" "$lkey" "$issuer" "$1" \
			"$start" "$end" "$md"
	fi
	cp "$work/$lkey.key" "$out/$1.key"
	case $chain in
	normal) cat "$out/$1-leaf.pem" "$out/$issuer.pem" > "$out/$1.pem" ;;
	reverse) cat "$out/$issuer.pem" "$out/$1-leaf.pem" > "$out/$1.pem" ;;
	leaf-only | self) cp "$out/$1-leaf.pem" "$out/$1.pem" ;;
	esac
}

reset; leaf good
reset; cn='*.example.test'; san='DNS:*.example.test'; leaf wildcard
reset; lkey=ec; ku="critical, digitalSignature"; leaf ec
reset; lkey=rsa1024; leaf rsa1024
reset; md=sha1; leaf sha1
reset; md=md5; leaf md5
reset; start=$(ts -100); end=$(ts -10); leaf expired
reset; end=$(ts 5); leaf expiring
reset; start=$(ts 30); end=$(ts 120); leaf not-yet-valid
reset; chain=self; leaf self-signed
reset; bc="critical, CA:TRUE"; ku="critical, digitalSignature, keyEncipherment, keyCertSign"
leaf leaf-is-ca
reset; eku=clientAuth; leaf no-serverauth
reset; ku="critical, digitalSignature"; leaf no-keyencipherment
reset; ku=; leaf no-ku
reset; eku=serverAuth; leaf no-clientauth
reset; eku=; leaf no-eku
reset; cn=other.example.test; san=DNS:other.example.test; leaf wrong-name
reset; san=; leaf cn-only
reset; san=ASN1:SEQUENCE:nul_san; leaf nul-san
reset; chain=reverse; leaf reversed
reset; chain=leaf-only
extra='authorityInfoAccess = caIssuers;URI:http://pki.example.test/issuing.crt'
leaf incomplete
reset; issuer=other-intermediate; leaf unlisted-ca

# The good chain in every input format, and with the root.
cat "$out/good.pem" "$out/root.pem" > "$out/good-with-root.pem"
cp "$out/good-leaf.pem" "$out/expired-intermediate-leaf.pem"
cp "$out/good.key" "$out/expired-intermediate.key"
cat "$out/good-leaf.pem" "$work/intermediate-expired.pem" > \
	"$out/expired-intermediate.pem"
openssl x509 -in "$out/good-leaf.pem" -outform DER -out "$out/good.der"
openssl x509 -in "$out/intermediate.pem" -outform DER \
	-out "$out/intermediate.der"
openssl crl2pkcs7 -nocrl -certfile "$out/good.pem" -out "$out/good-pem.p7b"
openssl crl2pkcs7 -nocrl -certfile "$out/good.pem" -outform DER \
	-out "$out/good-der.p7b"
openssl pkcs12 -export -inkey "$out/good.key" -in "$out/good-leaf.pem" \
	-certfile "$out/intermediate.pem" -name pbx.example.test \
	-passout pass:test-pass -out "$out/good.p12"
# As older Windows exports it: 3DES and a SHA-1 MAC (default provider).
openssl pkcs12 -export -inkey "$out/good.key" -in "$out/good-leaf.pem" \
	-certfile "$out/intermediate.pem" -name pbx.example.test \
	-certpbe PBE-SHA1-3DES -keypbe PBE-SHA1-3DES -macalg sha1 \
	-passout pass:test-pass -out "$out/good-3des.p12"
openssl pkey -in "$out/good.key" -aes256 -passout pass:test-pass \
	-out "$out/good-enc.key"
openssl pkey -in "$out/good.key" -traditional -out "$out/good-traditional.key"
awk '{ printf "%s\r\n", $0 }' "$out/good.pem" > "$out/good-crlf.pem"

# Broken inputs.
head -n 10 "$out/good-leaf.pem" > "$out/truncated.pem"
{
	echo '-----BEGIN CERTIFICATE-----'
	echo 'MIIB!!!!not*base64@@@@ this is not a certificate ~~~~'
	echo '-----END CERTIFICATE-----'
} > "$out/bad-base64.pem"
# A SEQUENCE that claims 65535 bytes and holds 8.
printf '\060\202\377\377\002\001\001\060\003\001\001\377' > "$out/garbage.der"
: > "$out/empty.pem"

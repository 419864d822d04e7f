#!/bin/sh
# demo.sh - show the main job on two example chains made here and now:
# one a PBX could present to the carrier as it is, one that breaks
# several rules.  The example CA stands in for an accepted CA through
# --trust-store, since no real CA signs for example names.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
# Not under tests/out, which every test run empties: the "Try:" line
# below names these files.
dir="$top/demo"
rm -rf "$dir"
mkdir -p "$dir"
sh "$top/testdata/mkpki.sh" "$dir" >/dev/null

# A leaf that breaks several rules at once: an EC key, SHA-1, a wildcard
# one level too high, no serverAuth, keyUsage without keyEncipherment,
# and sent without its intermediate.
openssl ecparam -name prime256v1 -genkey -noout -out "$dir/bad.key" 2>/dev/null
openssl req -new -key "$dir/bad.key" -subj "/CN=*.example.test" \
	-out "$dir/bad.csr" 2>/dev/null
cat >"$dir/bad.ext" <<'EXT'
subjectAltName = DNS:*.example.test
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
basicConstraints = critical, CA:FALSE
authorityInfoAccess = caIssuers;URI:http://pki.example.test/issuing.crt
EXT
openssl x509 -req -in "$dir/bad.csr" -CA "$dir/intermediate.pem" \
	-CAkey "$dir/intermediate.key" -CAcreateserial -days 20 -sha1 \
	-extfile "$dir/bad.ext" -out "$dir/bad.pem" 2>/dev/null

bwc="$top/bwcertcheck"
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

cd "$dir"
say "bwcertcheck lint --trust-store root.pem --fqdn pbx.example.test good.pem"
"$bwc" lint --trust-store root.pem --fqdn pbx.example.test good.pem || true
say "bwcertcheck lint --trust-store root.pem --fqdn a.pbx.example.test bad.pem"
"$bwc" lint --trust-store root.pem --fqdn a.pbx.example.test bad.pem || true
say "bwcertcheck rules fqdn-match"
"$bwc" rules fqdn-match
printf '\nThe example files are in %s.\n' "$dir"
printf 'Try: %s lint --format json --trust-store %s/root.pem %s/good.pem\n' \
	"$bwc" "$dir" "$dir"

#!/bin/sh
# fleet-screenshot.sh [OUT.png] - the README's picture of --format html:
# a small fleet made from the test PKI (testdata/mkpki.sh), linted with
# --each, rendered by headless Chromium.  Default OUT: docs/fleet-report.png.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/docs/fleet-report.png}
dir=$(mktemp -d "${TMPDIR:-/tmp}/bwc-shot.XXXXXX")
trap 'rm -rf "$dir"' EXIT
sh "$top/testdata/mkpki.sh" "$dir/pki" >/dev/null
mkdir "$dir/fleet"
# Files named as the PBXs they belong to.
cp "$dir/pki/good.pem" "$dir/fleet/pbx-berlin.pem"
cp "$dir/pki/wildcard.pem" "$dir/fleet/pbx-dallas.pem"
cp "$dir/pki/expiring.pem" "$dir/fleet/pbx-lagos.pem"
cp "$dir/pki/expired.pem" "$dir/fleet/pbx-oslo.pem"
cp "$dir/pki/incomplete.pem" "$dir/fleet/pbx-perth.pem"
cp "$dir/pki/no-keyencipherment.pem" "$dir/fleet/pbx-quito.pem"
cd "$dir/fleet"
"$top/bwcertcheck" lint --each --trust-store "$dir/pki/root.pem" \
    --fqdn pbx.example.test --format html -o "$dir/fleet.html" \
    pbx-*.pem || [ $? -le 2 ]
timeout 90 chromium --headless --no-sandbox --disable-gpu \
    --disable-background-networking --disable-component-update \
    --disable-sync --no-first-run --user-data-dir="$dir/profile" \
    --hide-scrollbars --window-size=1200,1050 \
    --screenshot="$out" "file://$dir/fleet.html" >/dev/null 2>&1
echo "$out"

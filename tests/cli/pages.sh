#!/bin/sh
# pages.sh - the html and markdown reports of a small fleet, read by
# their consumers: the page parsed strictly by html5lib, loaded in
# headless Chromium (a screenshot that is not blank, and the rows of
# its DOM), and the Markdown rendered by cmark-gfm and cmark, then
# parsed.  One subject carries a hostile CN, SANs and file name: markup
# in them must stay text, and a '|' or '`' must not break a table.
SUITE=pages
. "$TOP/tests/lib.sh"
T=$TESTDATA
CHECK="$PY $TOP/tests/pages_check.py"
HOSTILE='h<i>&|`x`.pem'

# A leaf whose CN and SANs hold markup, pipes and backticks, valid for
# 20 days (a warning), issued by the test intermediate.
cat >"$WORK/hostile.cnf" <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
CN = <img src=x onerror=alert(1)>|\`cn\`
[ext]
subjectAltName = DNS:pbx.example.test, DNS:<script>alert(1)</script>.example.test, DNS:x|y\`z\`.example.test
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
CNF
mkdir -p "$WORK/fleet"
if openssl req -new -key "$T/good.key" -config "$WORK/hostile.cnf" \
    -out "$WORK/hostile.csr" 2>"$WORK/ossl.err" &&
    openssl x509 -req -in "$WORK/hostile.csr" -CA "$T/intermediate.pem" \
    -CAkey "$T/intermediate.key" -CAserial "$WORK/ca.srl" -CAcreateserial \
    -days 20 -extfile "$WORK/hostile.cnf" -extensions ext \
    -out "$WORK/hostile-leaf.pem" 2>>"$WORK/ossl.err"; then
	cat "$WORK/hostile-leaf.pem" "$T/intermediate.pem" >"$WORK/fleet/$HOSTILE"
	ok "a leaf with a hostile CN and SANs"
else
	not_ok "hostile leaf" "$(cat "$WORK/ossl.err")"
fi
for f in good expiring expired wildcard incomplete truncated; do
	cp "$T/$f.pem" "$WORK/fleet/"
done
cd "$WORK/fleet" || exit 1
FLEET="good.pem expiring.pem expired.pem wildcard.pem incomplete.pem $HOSTILE truncated.pem"
L="$BWC lint --each --trust-store $T/root.pem --fqdn pbx.example.test"

# What the run must show, most urgent first.
$PY - "$HOSTILE" >"$WORK/expect.json" <<'PY'
import json, sys
h = sys.argv[1]
sans = ["pbx.example.test", "<script>alert(1)</script>.example.test",
        "x|y`z`.example.test"]
print(json.dumps({
    "rows": ["expired.pem", "incomplete.pem", "truncated.pem", "expiring.pem",
             h, "good.pem", "wildcard.pem"],
    "results": ["fail", "fail", "error", "warn", "warn", "pass", "pass"],
    "counts": {"pass": 2, "warn": 2, "fail": 2, "error": 1},
    "marks": {"expired.pem": ["fail"], "incomplete.pem": ["pass"],
              "expiring.pem": ["warn"], h: ["warn"], "good.pem": ["pass"],
              "wildcard.pem": ["pass"]},
    "texts": [h] + sans[1:],
    "verdict": "NOT COMPLIANT",
    "sections": ["For the carrier's TLS/SRTP questionnaire"],
    "cells": {
        "SAN dNSNames": ", ".join(sans),
        "Wildcard": "yes: *.example.test covers pbx.example.test "
                    "(exactly one label, never a.pbx.example.test)",
        "Issuing CA": "BWC Test PKI (CN=BWC Test Issuing CA,O=BWC Test PKI,C=US)",
        "Equipment FQDN": "pbx.example.test",
    },
}))
PY

# --- html
# shellcheck disable=SC2086
expect_exit 2 "html: the fleet exits 2" -- $L --format html -o "$WORK/fleet.html" $FLEET
if $CHECK html "$WORK/fleet.html" "$WORK/expect.json" >"$WORK/check.out" 2>&1; then
	ok "html: well-formed (html5lib, strict), self-contained, rows by urgency, timeline, hostile text escaped"
else
	not_ok "html: page" "$(head -c 1500 "$WORK/check.out")"
fi
expect_exit 0 "html: one subject also makes a page" -- \
    $L --format html -o "$WORK/one.html" good.pem
expect_grep '</html>' "html: the one-subject page is complete" "$WORK/one.html"

# Headless Chromium: nothing fetched (no network needed or used), a
# fresh profile each time, bounded in time.
chromium_run() {
	prof=$(mktemp -d "$WORK/chromium.XXXXXX")
	timeout 90 chromium --headless --no-sandbox --disable-gpu \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --no-first-run --user-data-dir="$prof" \
	    --window-size=1280,1600 "$@" 2>"$WORK/chromium.err"
	rc=$?
	rm -rf "$prof"
	return $rc
}
if [ "${BWC_SANITIZE:-}" = 1 ]; then
	# The page is the same bytes in both passes and Chromium runs none of
	# our code: the plain pass loads it; this one checks the writer.
	echo "# chromium: in the plain pass only"
elif ! command -v chromium >/dev/null 2>&1; then
	not_ok "chromium" "not installed (make deps installs it)"
else
	if chromium_run --screenshot="$WORK/fleet.png" "file://$WORK/fleet.html" \
	    >/dev/null && [ -s "$WORK/fleet.png" ] &&
	    $CHECK png "$WORK/fleet.png" >"$WORK/check.out" 2>&1; then
		ok "chromium: the screenshot is not blank"
	else
		not_ok "chromium: screenshot" "$(tail -c 600 "$WORK/chromium.err") $(cat "$WORK/check.out" 2>/dev/null)"
	fi
	if chromium_run --dump-dom "file://$WORK/fleet.html" >"$WORK/dom.html" &&
	    $CHECK dom "$WORK/dom.html" "$WORK/expect.json" >"$WORK/check.out" 2>&1; then
		ok "chromium: --dump-dom shows the rows, counts and marks"
	else
		not_ok "chromium: dump-dom" "$(head -c 1500 "$WORK/check.out") $(tail -c 300 "$WORK/chromium.err")"
	fi
fi

# --- markdown
# shellcheck disable=SC2086
expect_exit 2 "markdown: the fleet exits 2" -- $L --format markdown -o "$WORK/fleet.md" $FLEET
if cmark-gfm -e table --unsafe "$WORK/fleet.md" >"$WORK/md-gfm.html" 2>"$WORK/cmark.err" &&
    $CHECK md "$WORK/md-gfm.html" "$WORK/expect.json" >"$WORK/check.out" 2>&1; then
	ok "markdown: cmark-gfm tables hold every cell, hostile text stays text, questionnaire answered"
else
	not_ok "markdown: cmark-gfm" "$(head -c 1500 "$WORK/check.out" "$WORK/cmark.err")"
fi
if cmark --unsafe "$WORK/fleet.md" >"$WORK/md.html" 2>"$WORK/cmark.err" &&
    $CHECK mdplain "$WORK/md.html" "$WORK/expect.json" >"$WORK/check.out" 2>&1; then
	ok "markdown: plain cmark (raw HTML allowed) renders no markup from the certificates"
else
	not_ok "markdown: cmark" "$(head -c 1500 "$WORK/check.out" "$WORK/cmark.err")"
fi
expect_grep '^| Certificate authority | --trust-store root' \
    "markdown: the questionnaire names the CA" "$WORK/fleet.md"
expect_grep 'not measured: lint reads files' \
    "markdown: lint says what it could not measure" "$WORK/fleet.md"

finish

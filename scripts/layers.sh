#!/bin/sh
# layers.sh - check the one-way include rule between the layers.
#
#   core                      data and pure helpers; includes core only
#   x509, probe, rules        each sees core and itself (x509 and probe
#                             never see each other, rules never OpenSSL)
#   report                    sees core, rules and itself
#   app                       sees everything; bwcertcheck.c sees app
#
# Prints each include against the rule as FILE:LINE and exits 1.
set -u
cd "$(dirname "$0")/.." || exit 2

allowed() {
	case $1 in
	core) echo "core" ;;
	x509) echo "core x509" ;;
	probe) echo "core probe" ;;
	rules) echo "core rules" ;;
	report) echo "core rules report" ;;
	app) echo "core x509 probe rules report app" ;;
	esac
}

bad=0
for f in lib/*/*.[ch] rules/*.[ch]; do
	[ -f "$f" ] || continue
	case $f in
	rules/*) layer=rules ;;
	*) layer=${f#lib/}; layer=${layer%%/*} ;;
	esac
	ok=$(allowed "$layer")
	if [ -z "$ok" ]; then
		echo "$f: not in a known layer (core x509 probe rules report app)"
		bad=1
		continue
	fi
	# Every quoted include names its layer: "LAYER/file.h".
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
	while IFS= read -r line; do
		n=${line%%:*}
		inc=$(echo "$line" | sed 's/.*include[[:space:]]*"\([^"]*\)".*/\1/')
		dep=${inc%%/*}
		if [ "$dep" = "$inc" ]; then
			echo "$f:$n: \"$inc\" must be written as \"LAYER/$inc\""
			continue
		fi
		case " $ok " in
		*" $dep "*) ;;
		*) echo "$f:$n: $layer must not include $inc ($layer sees: $ok)" ;;
		esac
	done
	# OpenSSL stays out of the rules and the reporters.
	case $layer in
	rules|report|core)
		grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*<openssl/' "$f" |
		while IFS= read -r line; do
			[ "$layer" = core ] && case $f in lib/core/ossl_err.*) continue ;; esac
			echo "$f:${line%%:*}: $layer must not include OpenSSL headers"
		done ;;
	esac
done > "${TMPDIR:-/tmp}/layers.$$"
if [ -s "${TMPDIR:-/tmp}/layers.$$" ]; then
	cat "${TMPDIR:-/tmp}/layers.$$"
	echo "layers: $(wc -l < "${TMPDIR:-/tmp}/layers.$$") include(s) against the rule (scripts/layers.sh)"
	bad=1
fi
rm -f "${TMPDIR:-/tmp}/layers.$$"
exit $bad

#!/bin/sh
# install-deps.sh - install what building and testing bwcertcheck needs,
# from Debian's archive, when it is missing.  Checks first, so a machine
# that has everything runs no apt-get at all.
set -eu

need=""
have_pc() { pkg-config --exists "$1" 2>/dev/null; }
have_cmd() { command -v "$1" >/dev/null 2>&1; }
add() { need="$need $1"; }

have_cmd cc || add gcc
have_cmd make || add make
have_cmd pkg-config || add pkg-config
have_cmd git || add git
have_cmd openssl || add openssl
have_pc openssl || add libssl-dev
have_pc cmocka || add libcmocka-dev
have_pc jansson || add libjansson-dev
have_pc libcares || add libc-ares-dev
have_pc inih || add libinih-dev
have_pc libidn2 || add libidn2-dev
have_pc libcurl || add libcurl4-openssl-dev
have_pc libmicrohttpd || add libmicrohttpd-dev
[ -x /usr/bin/python3 ] || add python3
# Consumers that check our output formats, and real servers for the
# probe's integration tests (all on 127.0.0.1).
/usr/bin/python3 -c 'import junitparser' 2>/dev/null || add python3-junitparser
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || add python3-jsonschema
have_cmd promtool || add prometheus
have_cmd xmllint || add libxml2-utils
have_cmd mandoc || add mandoc
have_cmd dnsmasq || add dnsmasq-base
have_cmd kamailio || add "kamailio kamailio-tls-modules"
[ -e /usr/lib/x86_64-linux-gnu/kamailio/modules/tls.so ] ||
	ls /usr/lib/*/kamailio/modules/tls.so >/dev/null 2>&1 || add kamailio-tls-modules
have_cmd clang || add clang
ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
	add libclang-rt-dev
have_cmd valgrind || add valgrind
# The zsh completion is checked by zsh itself.
have_cmd zsh || add zsh
# The Debian package: build it, lint it, install it, read its man page.
have_cmd dpkg-buildpackage || add dpkg-dev
have_cmd dh || add debhelper
have_cmd lintian || add lintian
have_cmd man || add man-db
have_cmd flock || add util-linux
# The html and markdown reports, read as their users' tools read them.
have_cmd chromium || add chromium
have_cmd cmark || add cmark
have_cmd cmark-gfm || add cmark-gfm
/usr/bin/python3 -c 'import html5lib' 2>/dev/null || add python3-html5lib
# Real TLS clients and a SIP user agent for the listen command's tests.
have_cmd gnutls-cli || add gnutls-bin
have_cmd baresip || add baresip

if [ -n "$need" ]; then
	echo "install-deps: installing:$need"
	if [ "$(id -u)" -ne 0 ]; then
		echo "install-deps: need root to install:$need" >&2
		exit 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $need >/dev/null
fi

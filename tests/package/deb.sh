#!/bin/sh
# deb.sh - the Debian package as a user gets it: build it from the files
# git knows (make deb), lintian finds no error, dpkg -i installs it, the
# installed command runs and lints a chain, its man page is found, and
# dpkg -r removes it again.  `make deb-check` runs it (make check does).
#
# The install touches the machine, so the test holds a lock while the
# package is installed (several checkouts may run it at once), never
# replaces a bwcertcheck installed by someone else, and removes its own
# on every way out: success, failure, or a signal.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
SUITE=deb
. "$TOP/tests/lib.sh"

VERSION=$(cat "$TOP/VERSION")
LOCK=/run/lock/bwcertcheck-deb-check.lock
installed_by_us=0

cleanup() {
	if [ "$installed_by_us" -eq 1 ]; then
		dpkg_locked -r bwcertcheck >"$WORK/remove.log" 2>&1 ||
			echo "deb.sh: dpkg -r bwcertcheck failed: $(cat "$WORK/remove.log")" >&2
		installed_by_us=0
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# dpkg_locked ARGS...: dpkg ARGS, waiting up to a minute while another
# dpkg or apt-get holds dpkg's own lock.
dpkg_locked() {
	tries=0
	while :; do
		dpkg "$@" 2>"$WORK/dpkg.err"
		rc=$?
		if [ "$rc" -ne 0 ] && grep -q 'lock' "$WORK/dpkg.err" &&
		    [ "$tries" -lt 30 ]; then
			tries=$((tries + 1))
			sleep 2
			continue
		fi
		cat "$WORK/dpkg.err" >&2
		return "$rc"
	done
}

for tool in dpkg-buildpackage dh lintian man flock; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		not_ok "tools" "$tool is missing (make deps installs it)"
		finish
		exit 1
	fi
done
if [ "$(id -u)" -ne 0 ]; then
	not_ok "root" "installing a package needs root"
	finish
	exit 1
fi

# The version lives in VERSION; debian/changelog must say the same.
got=$(cd "$TOP" && dpkg-parsechangelog -S Version)
if [ "$got" = "$VERSION" ]; then
	ok "debian/changelog has the version in VERSION ($VERSION)"
else
	not_ok "debian/changelog version" "changelog $got, VERSION $VERSION"
fi

# Every library the Makefile links (PKGS) comes from a -dev package that
# debian/control lists in Build-Depends.
pkgs=$(sed -n 's/^PKGS[[:space:]]*=[[:space:]]*//p' "$TOP/Makefile")
bdeps=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' "$TOP/debian/control")
for pc in $pkgs; do
	dir=$(pkg-config --variable=pcfiledir "$pc" 2>/dev/null)
	owner=$(dpkg -S "$dir/$pc.pc" 2>/dev/null | sed 's/:.*//' | head -n 1)
	if [ -z "$owner" ]; then
		not_ok "Build-Depends for $pc" "no installed package holds $pc.pc"
	elif echo "$bdeps" | grep -q "[ ,]$owner\([ ,(]\|$\)"; then
		ok "Build-Depends lists $owner (for $pc)"
	else
		not_ok "Build-Depends for $pc" "$owner is not in debian/control"
	fi
done

# Build from the files git knows, into $WORK.
deb="$WORK/deb/bwcertcheck_${VERSION}_$(dpkg --print-architecture).deb"
if make --no-print-directory -C "$TOP" deb DEB_DIR="$WORK/deb" \
    >"$WORK/build.out" 2>&1 && [ -f "$deb" ]; then
	ok "make deb builds $(basename "$deb")"
else
	not_ok "make deb" "$(tail -n 30 "$WORK/build.out" "$WORK/deb/build.log" 2>/dev/null)"
	finish
	exit 1
fi

deps=$(dpkg-deb -f "$deb" Depends)
case $deps in
*libssl3*libc6*|*libc6*libssl3*) ok "Depends computed from the libraries ($deps)" ;;
*) not_ok "Depends" "expected shlibs-computed libc6 and libssl3: $deps" ;;
esac

lintian --fail-on error --tag-display-limit 0 "$WORK/deb/"*.changes \
    >"$WORK/lintian.out" 2>&1
rc=$?
echo "lintian output:"
grep -v 'running with root privileges' "$WORK/lintian.out" | sed 's/^/    /'
if [ "$rc" -eq 0 ]; then
	ok "lintian reports no error"
else
	not_ok "lintian" "exit $rc: $(grep '^E:' "$WORK/lintian.out" | head -n 10)"
fi

# From here on the machine changes: one checkout at a time.
exec 9>"$LOCK"
if ! flock -w 300 9; then
	not_ok "lock" "another package test held $LOCK for 5 minutes"
	finish
	exit 1
fi
if dpkg-query -W -f '${Status}' bwcertcheck 2>/dev/null | grep -q 'installed'; then
	not_ok "not installed before" \
	    "a bwcertcheck package is installed already; dpkg -r bwcertcheck, then run again"
	finish
	exit 1
fi

installed_by_us=1
if dpkg_locked -i "$deb" >"$WORK/install.log" 2>&1; then
	ok "dpkg -i installs it"
else
	not_ok "dpkg -i" "$(tail -n 20 "$WORK/install.log")"
	finish
	exit 1
fi

expect_exit 0 "the installed bwcertcheck --version runs" -- /usr/bin/bwcertcheck --version
expect_grep "^bwcertcheck $VERSION" "the installed command says version $VERSION" "$WORK/out"

if sh "$TOP/testdata/mkpki.sh" "$WORK/pki" >"$WORK/mkpki.log" 2>&1; then
	expect_exit 0 "the installed command lints the demo chain: compliant" -- \
	    /usr/bin/bwcertcheck lint --trust-store "$WORK/pki/root.pem" \
	    --fqdn pbx.example.test "$WORK/pki/good.pem"
	expect_exit 2 "the installed command fails an expired chain" -- \
	    /usr/bin/bwcertcheck lint --trust-store "$WORK/pki/root.pem" \
	    --fqdn pbx.example.test "$WORK/pki/expired.pem"
else
	not_ok "mkpki" "$(tail -n 5 "$WORK/mkpki.log")"
fi

expect_exit 0 "man -w bwcertcheck finds the page" -- man -w bwcertcheck
expect_grep "^/usr/share/man/man1/bwcertcheck\.1" "the page is the package's" "$WORK/out"

# The package holds everything `make install` installs (the command, the
# man page, the shell completion), each under its own name; debian/rules
# may put one where Debian wants it (zsh's vendor-completions).
dpkg -L bwcertcheck >"$WORK/files"
if make --no-print-directory -C "$WORK/deb/src" install PREFIX=/usr \
    DESTDIR="$WORK/inst" >"$WORK/inst.log" 2>&1; then
	(cd "$WORK/inst" && find . -type f | sed 's/^\.//') >"$WORK/want"
	missing=""
	while read -r f; do
		b=$(basename "$f")
		grep -q -e "/$b\$" -e "/$b\.gz\$" "$WORK/files" || missing="$missing $f"
	done <"$WORK/want"
	if [ -z "$missing" ]; then
		ok "the package has all $(wc -l <"$WORK/want") files make install installs"
	else
		not_ok "package contents" "missing:$missing"
	fi
else
	not_ok "make install" "$(tail -n 10 "$WORK/inst.log")"
fi
# Shell completion where bash-completion and Debian's zsh look for it.
if [ -f "$TOP/completions/bwcertcheck.bash" ]; then
	expect_grep '^/usr/share/bash-completion/completions/bwcertcheck$' \
	    "bash completion in /usr/share/bash-completion/completions" "$WORK/files"
fi
if [ -f "$TOP/completions/_bwcertcheck" ]; then
	expect_grep '^/usr/share/zsh/vendor-completions/_bwcertcheck$' \
	    "zsh completion in /usr/share/zsh/vendor-completions" "$WORK/files"
fi

if dpkg_locked -r bwcertcheck >"$WORK/remove.log" 2>&1; then
	installed_by_us=0
	ok "dpkg -r removes it"
else
	not_ok "dpkg -r" "$(tail -n 20 "$WORK/remove.log")"
fi
if [ -e /usr/bin/bwcertcheck ]; then
	not_ok "removed" "/usr/bin/bwcertcheck is still there"
else
	ok "no /usr/bin/bwcertcheck after dpkg -r"
fi

finish

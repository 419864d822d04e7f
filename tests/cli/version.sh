#!/bin/sh
# version.sh - the version is kept in one place (VERSION): the binary
# prints it and debian/changelog, which the package takes its version
# from, says the same.
SUITE=version
. "$TOP/tests/lib.sh"

version=$(cat "$TOP/VERSION")
case $version in
[0-9]*.[0-9]*.[0-9]*) ok "VERSION holds a version ($version)" ;;
*) not_ok "VERSION" "not MAJOR.MINOR.PATCH: '$version'" ;;
esac

expect_exit 0 "--version exits 0" -- "$BWC" --version
expect_grep "^bwcertcheck $version\( \|$\)" "--version prints the version in VERSION" "$WORK/out"

# The first line of debian/changelog: "bwcertcheck (VERSION) DIST; ..."
got=$(sed -n '1s/^bwcertcheck (\([^)]*\)).*/\1/p' "$TOP/debian/changelog")
if [ "$got" = "$version" ]; then
	ok "debian/changelog's newest entry is $version"
else
	not_ok "debian/changelog" "newest entry '$got', VERSION '$version'"
fi

finish

#!/bin/sh
# mkpki.sh OUTDIR - write the test PKI into OUTDIR at test time, so that
# nothing committed ever expires.  The PKI is tests/pki.c, the one the
# unit tests build in memory, written out by tests/mkpki (tests/mkpki.c;
# made here with make when it is missing).  README.md beside this script
# lists every file and what it exercises.
set -eu

if [ $# -ne 1 ]; then
	echo "usage: $0 OUTDIR" >&2
	exit 2
fi
top=$(cd "$(dirname "$0")/.." && pwd)
if [ ! -x "$top/tests/mkpki" ]; then
	make -s -C "$top" tests/mkpki >&2
fi
exec "$top/tests/mkpki" "$1"

#!/bin/sh
# embed-pem.sh NAME < FILE.pem > FILE.c
# Turn a PEM file into a C string called NAME.  PEM is base64 and
# header lines, so every line can be quoted as it is.
set -eu
name=$1
printf '/* Generated from a PEM bundle by scripts/embed-pem.sh; do not edit. */\n'
printf 'extern const char %s[];\n' "$name"
printf 'const char %s[] =\n' "$name"
tr -d '\r' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/\\n"/'
printf '\t"";\n'

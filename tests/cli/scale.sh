#!/bin/sh
# scale.sh - every format stays linear in the number of subjects, also
# when the same subject comes again and again (a Prometheus label set
# must be unique, so repeats get " #2", " #3"...).
SUITE=scale
. "$TOP/tests/lib.sh"
T=$TESTDATA
L="$BWC lint --trust-store $T/root.pem --fqdn pbx.example.test --each"
N=3000

# The same file N times: N subjects with one name.
i=0
: >"$WORK/args"
while [ "$i" -lt "$N" ]; do
	echo "$T/good.pem" >>"$WORK/args"
	i=$((i + 1))
done

# ms FORMAT: the milliseconds a run of N repeated subjects takes.
ms() {
	start=$(date +%s%N)
	# One run for all N: xargs must not split them (its default of
	# 128 KiB of arguments is too little for long paths).
	xargs -x -s 1000000 $L --format "$1" -o "$WORK/out.$1" <"$WORK/args" \
	    >/dev/null 2>&1
	echo $(( ($(date +%s%N) - start) / 1000000 ))
}
json=$(ms json)
prom=$(ms prometheus)
echo "# $N repeated subjects: json $json ms, prometheus $prom ms"
# Linear: within twice JSON's time (and a second for a loaded machine).
if [ "$prom" -le $((2 * json + 1000)) ]; then
	ok "prometheus, $N repeated subjects: within 2x JSON ($prom ms, JSON $json ms)"
else
	not_ok "prometheus, $N repeated subjects: within 2x JSON" "$prom ms, JSON $json ms"
fi
n=$(grep '^bwcertcheck_subject_result{' "$WORK/out.prometheus" | sort -u | wc -l)
if [ "$n" -eq "$N" ]; then ok "prometheus: $N distinct label sets"; else not_ok "prometheus: $N distinct label sets" "$n"; fi
expect_grep "subject=\"$T/good.pem #$N\"" "prometheus: the last repeat is #$N" "$WORK/out.prometheus"

finish

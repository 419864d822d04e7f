#!/bin/sh
# run.sh NAME SECONDS - replay fuzz/regress/NAME/*, then fuzz NAME for
# SECONDS from its corpus in fuzz/out/corpus/NAME.  Prints one line:
#   fuzz_NAME: N runs in S s (R/s), corpus C inputs, coverage E edges,
#   F features, K regression inputs replayed, 0 crashes
# A crash, leak, timeout or sanitizer report fails (exit 1); the input is
# left in fuzz/out/crash-NAME-* and the last lines of the log are shown.
# Run from the top of the tree (fuzz.mk does).
set -u
name=$1
secs=$2
out=fuzz/out
bin=$out/fuzz_$name
corpus=$out/corpus/$name
log=$out/$name.log

# The test PKI's root, so fuzz_load's seeds reach a verified chain.
BWC_FUZZ_TRUST=$out/pki/root.pem
export BWC_FUZZ_TRUST
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS

# libFuzzer lets inputs grow toward max_len over a run, and a larger
# input costs more: each bound is what the target needs to reach all of
# its code.  load: 8 KB hold a leaf, two CAs and a key in PEM (the
# seeds are at most 4.3 KB); load_parse: 16 KB for bundles of a dozen
# certificates; report: 2 KB fill two subjects of three certificates.
case $name in
load) max_len=8192 ;;
load_parse) max_len=16384 ;;
report) max_len=2048 ;;
*) max_len=4096 ;;
esac
dict=""
[ -f "fuzz/${name%_parse}.dict" ] && dict="-dict=fuzz/${name%_parse}.dict"

fail() {
	echo "fuzz_$name: FAILED ($1); log: $2"
	grep -E 'ERROR|SUMMARY|runtime error|\*\*\*|Test unit written|fuzz_[a-z]+:' "$2" |
		head -20 | sed 's/^/    /'
	exit 1
}

# Inputs that once crashed a target stay as regression tests.
if ls "fuzz/regress/$name"/* >/dev/null 2>&1; then
	if ! "$bin" -runs=1 "fuzz/regress/$name"/* >"$log.regress" 2>&1; then
		fail "a regression input" "$log.regress"
	fi
	nreg=$(ls "fuzz/regress/$name" | wc -l)
else
	nreg=0
fi

mkdir -p "$corpus"
# -timeout: one input may take at most 10 s; -rss_limit_mb: 2 GB.
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
	-max_len="$max_len" -print_final_stats=1 \
	-artifact_prefix="$out/crash-$name-" $dict "$corpus" >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
units=$(ls "$corpus" | wc -l)
[ "$rc" -eq 0 ] || fail "exit $rc after ${runs:-?} runs" "$log"
# Coverage from libFuzzer's last status line: "cov:" counts the edges
# reached, "ft:" the features (edges with hit counts, compared values).
cov=$(sed -n 's/^#[0-9]*[[:space:]]*DONE .*cov: \([0-9]*\) ft: \([0-9]*\).*/\1 edges, \2 features/p' "$log" | tail -n 1)
echo "fuzz_$name: ${runs:-0} runs in $secs s ($(( ${runs:-0} / secs ))/s)," \
	"corpus $units inputs, coverage ${cov:-unknown}," \
	"$nreg regression inputs replayed, 0 crashes"

#!/bin/sh
# inputs.sh - odd inputs: nothing to check is not OK (exit 3), a FIFO
# is refused rather than waited on, --each says what it passed over,
# and --targets files from any system (CR line ends, a byte-order mark)
# are read whole, with bad lines named (ten at most) and echoed short.
# Only addresses on 127.0.0.0/8 with nothing listening: no DNS, no
# traffic beyond this machine.
SUITE=inputs
. "$TOP/tests/lib.sh"
T=$TESTDATA
L="$BWC lint --trust-store $T/root.pem --fqdn pbx.example.test"
P="$BWC probe --trust-store $T/root.pem --timeout 2 --resolver 127.0.0.1:9"

# --- nothing checked is not OK
: >"$WORK/empty"
expect_exit 3 "probe --targets of an empty file: exit 3" -- $P --targets "$WORK/empty" --format nagios
expect_grep '^BWCERTCHECK UNKNOWN' "empty --targets: Nagios says UNKNOWN" "$WORK/out"
expect_grep 'no target in the file' "empty --targets: said so" "$WORK/err"
printf '# only a comment\n\n' >"$WORK/comments"
expect_exit 3 "probe --targets with comments only: exit 3" -- $P --targets "$WORK/comments"
echo "127.0.0.1:1" >"$WORK/one"
expect_exit 0 "--shard 2/2 over one target: an empty slice is fine, exit 0" -- \
    $P --targets "$WORK/one" --shard 2/2 --format nagios
expect_grep '^BWCERTCHECK OK - nothing to check in shard 2/2: 1 target for 2 shards' \
    "empty shard: Nagios says OK and why" "$WORK/out"
expect_grep 'nothing to check in shard 2/2' "empty shard: a note on stderr" "$WORK/err"
mkdir -p "$WORK/emptydir"
expect_exit 3 "lint --each over an empty folder: exit 3" -- $L --each "$WORK/emptydir"
mkdir -p "$WORK/odd/x.pem"
mkfifo "$WORK/odd/fifo"
expect_exit 3 "lint --each over a FIFO and a folder named x.pem: exit 3" -- \
    timeout 10 $L --each --format json -o "$WORK/odd.json" "$WORK/odd"
expect_json 'sorted(s["name"].rsplit("/", 1)[1] for s in d["skipped"]) == ["fifo", "x.pem"]' \
    "--each: the FIFO and the folder are named as skipped" "$WORK/odd.json"
expect_json '[s for s in d["skipped"] if s["name"].endswith("fifo") and "FIFO" in s["why"]]' \
    "--each: the FIFO is called one" "$WORK/odd.json"

# --- a FIFO is refused, never waited on
mkfifo "$WORK/fifo"
expect_exit 3 "lint FIFO: refused, exit 3" -- timeout 10 $L "$WORK/fifo"
expect_grep 'FIFO' "lint FIFO: said so" "$WORK/err"
expect_exit 3 "--config FIFO: refused, exit 3" -- timeout 10 $L --config "$WORK/fifo" "$T/good.pem"
expect_grep 'FIFO' "--config FIFO: said so" "$WORK/err"
expect_exit 3 "--targets FIFO: refused, exit 3" -- timeout 10 $P --targets "$WORK/fifo"
expect_exit 0 "'-' still reads a pipe" -- sh -c "cat '$T/good.pem' | $L -"

# --- --targets from any system
printf '\357\273\277127.0.0.1:1\r127.0.0.2:1\r' >"$WORK/cr"
expect_exit 3 "a BOM and CR line ends: both targets probed" -- \
    $P --targets "$WORK/cr" --format json -o "$WORK/cr.json"
expect_json '[s["name"] for s in d["subjects"]] == ["127.0.0.1:1", "127.0.0.2:1"]' \
    "BOM, CR: the two targets, the first an address" "$WORK/cr.json"
$PY -c 'import sys
lines = ["127.0.0.1:1"] * 3 + ["[" + "x" * 1000000] + ["a b c"] * 12
open(sys.argv[1], "w").write("\n".join(lines) + "\n")' "$WORK/bad"
expect_exit 3 "13 bad lines among good ones: exit 3, nothing probed" -- \
    $P --targets "$WORK/bad" --format json -o "$WORK/bad.json"
expect_json 'len(d["subjects"]) == 11 and all(s["result"] == "error" for s in d["subjects"])' \
    "bad lines: the summary and ten named" "$WORK/bad.json"
expect_json '"13 bad lines" in d["subjects"][0]["error"] and d["subjects"][1]["name"].endswith(":4")' \
    "bad lines: counted, and named by line" "$WORK/bad.json"
n=$(wc -c <"$WORK/err")
if [ "$n" -lt 4000 ]; then ok "a 1 MB bad line is echoed short ($n bytes on stderr)"; else not_ok "a 1 MB bad line is echoed short" "$n bytes on stderr"; fi
n=$(wc -c <"$WORK/bad.json")
if [ "$n" -lt 20000 ]; then ok "... and in the report ($n bytes)"; else not_ok "... and in the report" "$n bytes"; fi

finish

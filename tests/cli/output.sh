#!/bin/sh
# output.sh - the report is never damaged: -o and what is already there
# (symbolic links, devices, FIFOs, a stale temporary file), overlapping
# runs, signals mid-run, closed standard descriptors, -o -.
SUITE=output
. "$TOP/tests/lib.sh"
T=$TESTDATA
L="$BWC lint --trust-store $T/root.pem --fqdn pbx.example.test"
SIGRUN="$PY $TOP/tests/signal_run.py"
D=$WORK/d
mkdir -p "$D"

# no_temp NAME DIR: DIR holds no temporary file (.NAME.* or *.tmp).
no_temp() {
	left=$(ls -A "$2" | grep -E '^\.|\.tmp$')
	if [ -z "$left" ]; then ok "$1"; else not_ok "$1" "left: $left"; fi
}

# --- closed standard descriptors
expect_exit 3 "stderr closed, -o: exit 3" -- \
    sh -c 'exec 2>&-; exec "$@"' sh $L --format json -o "$D/closed2.json" "$T/missing.pem"
expect_json 'd["result"] == "error" and len(d["subjects"]) == 1' \
    "stderr closed: the -o report is whole JSON, no diagnostics inside" "$D/closed2.json"
expect_exit 0 "stdout closed: the report goes nowhere, exit 0" -- \
    sh -c 'exec >&-; exec "$@"' sh $L "$T/good.pem"
expect_exit 0 "stdin, stdout and stderr closed, -o: exit 0" -- \
    sh -c 'exec <&- >&- 2>&-; exec "$@"' sh $L --format json -o "$D/closed012.json" "$T/good.pem"
expect_json 'd["result"] == "pass"' "all closed: the report is whole" "$D/closed012.json"

# --- -o -
(cd "$D" && $L --format json -o - "$T/good.pem" >"$WORK/dash.json")
expect_json 'd["result"] == "pass"' "-o - writes to standard output" "$WORK/dash.json"
if [ -e "$D/-" ] || [ -e "$D/-.tmp" ]; then
	not_ok "-o - makes no file" "$(ls -A "$D")"
else
	ok "-o - makes no file"
fi

# --- a symbolic link is followed; the link stays
echo old >"$D/real.json"
ln -s real.json "$D/link.json"
expect_exit 0 "-o LINK: exit 0" -- $L --format json -o "$D/link.json" "$T/good.pem"
if [ -L "$D/link.json" ]; then ok "-o LINK: the link stays a link"; else not_ok "-o LINK: the link stays a link" "replaced"; fi
expect_json 'd["result"] == "pass"' "-o LINK: the file it points to has the report" "$D/real.json"
no_temp "-o LINK: no temporary file left" "$D"

# --- a stale FILE.tmp that is a symbolic link is not written through
echo precious >"$WORK/victim"
ln -s "$WORK/victim" "$D/r.json.tmp"
expect_exit 0 "-o FILE beside a FILE.tmp symlink: exit 0" -- \
    $L --format json -o "$D/r.json" "$T/good.pem"
if [ "$(cat "$WORK/victim")" = precious ]; then
	ok "the FILE.tmp symlink's target is untouched"
else
	not_ok "the FILE.tmp symlink's target is untouched" "overwritten"
fi
if [ -f "$D/r.json" ] && [ ! -L "$D/r.json" ]; then
	ok "FILE is a regular file"
else
	not_ok "FILE is a regular file" "$(ls -l "$D/r.json")"
fi
rm -f "$D/r.json.tmp"

# --- a FIFO is written, not replaced
mkfifo "$D/fifo"
timeout 10 cat "$D/fifo" >"$WORK/fifo.out" &
reader=$!
expect_exit 0 "-o FIFO: exit 0" -- timeout 10 $L --format json -o "$D/fifo" "$T/good.pem"
wait $reader
if [ -p "$D/fifo" ]; then ok "-o FIFO: still a FIFO"; else not_ok "-o FIFO: still a FIFO" "replaced"; fi
expect_json 'd["result"] == "pass"' "-o FIFO: the reader got the report" "$WORK/fifo.out"

# --- a device is written, not replaced (mknod needs root)
if mknod "$D/null" c 1 3 2>/dev/null; then
	expect_exit 0 "-o DEVICE: exit 0" -- $L -o "$D/null" "$T/good.pem"
	if [ -c "$D/null" ]; then ok "-o DEVICE: still a device"; else not_ok "-o DEVICE: still a device" "replaced"; fi
	rm -f "$D/null"
fi

# --- refused before any work, naming FILE (never a temporary name)
expect_exit 3 "-o DIR: exit 3" -- $L -o "$D" "$T/good.pem"
expect_grep '[Ii]s a directory' "-o DIR: said so" "$WORK/err"
if [ -e "$D.tmp" ]; then not_ok "-o DIR: no DIR.tmp" "made"; rm -f "$D.tmp"; else ok "-o DIR: no DIR.tmp"; fi
expect_exit 3 "-o in a missing directory: exit 3" -- $L -o "$D/nodir/r.json" "$T/good.pem"
expect_grep "$D/nodir/r.json: " "-o in a missing directory: FILE is named" "$WORK/err"
expect_no_grep 'r\.json\.tmp' "-o in a missing directory: not FILE.tmp" "$WORK/err"

# --- overlapping runs: each renames a whole report, the last one wins
mkfifo "$WORK/inA" "$WORK/inB"
AT=@$(date +%s)
$L --at "$AT" --format json -o "$D/shared.json" - <"$WORK/inA" >/dev/null 2>&1 &
pa=$!
$L --at "$AT" --format text -o "$D/shared.json" - <"$WORK/inB" >/dev/null 2>&1 &
pb=$!
# Both runs are under way (their reports begun) before either ends.
exec 7>"$WORK/inA" 8>"$WORK/inB"
sleep 0.3
cat "$T/good.pem" >&7
exec 7>&-
wait $pa
ra=$?
cat "$T/good.pem" >&8
exec 8>&-
wait $pb
rb=$?
if [ "$ra" -eq 0 ] && [ "$rb" -eq 0 ]; then ok "overlapping runs: both exit 0"; else not_ok "overlapping runs: both exit 0" "exit $ra and $rb"; fi
$L --at "$AT" --format text - <"$T/good.pem" >"$WORK/text.want" 2>/dev/null
if cmp -s "$D/shared.json" "$WORK/text.want"; then
	ok "overlapping runs: the last run's report, whole"
else
	not_ok "overlapping runs: the last run's report, whole" "$(head -c 200 "$D/shared.json" | od -c | head -5)"
fi
no_temp "overlapping runs: no temporary file left" "$D"

# --- signals: the temporary file goes, FILE keeps the previous report
for sig in TERM INT HUP; do
	echo previous >"$D/sig.json"
	set -- $($SIGRUN signal "$sig:$D" $L --format json -o "$D/sig.json" -)
	case $sig in TERM) want=-15 ;; INT) want=-2 ;; HUP) want=-1 ;; esac
	if [ "$1" = "$want" ]; then
		ok "SIG$sig mid-run: dies of the signal ($1)"
	else
		not_ok "SIG$sig mid-run: dies of the signal" "rc $1, expected $want"
	fi
	if [ "$(cat "$D/sig.json")" = previous ]; then
		ok "SIG$sig: FILE keeps the previous report"
	else
		not_ok "SIG$sig: FILE keeps the previous report" "$(head -c 100 "$D/sig.json")"
	fi
	no_temp "SIG$sig: no temporary file left" "$D"
done

finish

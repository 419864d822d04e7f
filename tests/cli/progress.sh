#!/bin/sh
# progress.sh - lint --each over many files draws a progress line on
# stderr when stderr is a terminal (done/total, how many fail so far),
# run under a pseudo-terminal; and writes none when stderr is not a
# terminal or with -q.  The report on stdout is the same either way.
SUITE=progress
. "$TOP/tests/lib.sh"
need_testdata
# One instant for every run, so that two reports can be compared.
L="$BWC lint --trust-store $T/root.pem --fqdn pbx.example.test --at $(date -u +%Y-%m-%dT%H:%M:%SZ)"

mkdir -p "$WORK/many"
for i in $(seq 1 40); do
	cp "$T/good.pem" "$WORK/many/good-$i.pem"
done
cp "$T/expired.pem" "$WORK/many/expired.pem"
cp "$T/wrong-name.pem" "$WORK/many/wrong-name.pem"

# on_tty OUT ERR CMD...: CMD with stderr on a pseudo-terminal (its bytes
# into ERR) and stdout into OUT, or on the same terminal when OUT is
# "-"; prints the exit status.  Killed after 60 s.
cat >"$WORK/on_tty.py" <<'EOP'
import os, pty, select, subprocess, sys, time
out, err, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
master, slave = pty.openpty()
p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                     stdout=slave if out == "-" else open(out, "wb"),
                     stderr=slave, close_fds=True)
os.close(slave)
got = b""
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    r, _, _ = select.select([master], [], [], 0.2)
    if r:
        try:
            d = os.read(master, 65536)
        except OSError:
            d = b""
        if not d:
            break
        got += d
    elif p.poll() is not None:
        break
if p.poll() is None:
    p.kill()
rc = p.wait()
open(err, "wb").write(got)
print(rc)
EOP

rc=$($PY "$WORK/on_tty.py" "$WORK/tty.out" "$WORK/tty.err" $L --each "$WORK/many")
if [ "$rc" = 2 ]; then ok "on a terminal: exit 2 (two chains fail)"; else not_ok "on a terminal: exit 2" "rc $rc"; fi
expect_grep 'bwcertcheck: 42/42 linted, 2 failing' "on a terminal: the progress line ends at 42/42, 2 failing" "$WORK/tty.err"
if tr '\r' '\n' <"$WORK/tty.err" | grep -q '^bwcertcheck: [0-9]*/42 linted'; then
	ok "on a terminal: the line is drawn over itself (a carriage return first)"
else
	not_ok "on a terminal: the line is drawn over itself" "$(od -c "$WORK/tty.err" | head -5)"
fi
$L --each "$WORK/many" >"$WORK/plain.out" 2>/dev/null
if cmp -s "$WORK/tty.out" "$WORK/plain.out"; then ok "on a terminal: the report itself is unchanged"; else not_ok "on a terminal: the report itself is unchanged" "stdout differs"; fi

# The report on the same terminal: each report line starts where the
# progress line was wiped ("\r\033[K"), never glued after its text.
rc=$($PY "$WORK/on_tty.py" - "$WORK/both.tty" $L --color never --each "$WORK/many")
if [ "$rc" = 2 ] && $PY -c 'import re, sys
t = open(sys.argv[1], "rb").read()
drawn = re.findall(rb"failing\x1b\[K(.{0,4})", t, re.S)
sys.exit(0 if drawn and all(c in (b"\r\x1b[K", b"") for c in drawn) and b"wrong-name.pem" in t else 1)' "$WORK/both.tty"; then
	ok "report and progress on one terminal: the line is wiped before each report line"
else
	not_ok "report and progress on one terminal" "rc $rc: $(od -c "$WORK/both.tty" | head -8)"
fi

rc=$($PY "$WORK/on_tty.py" "$WORK/q.out" "$WORK/q.err" $L -q --each "$WORK/many")
if [ "$rc" = 2 ] && ! grep -q 'linted' "$WORK/q.err"; then
	ok "-q on a terminal: no progress line"
else
	not_ok "-q on a terminal: no progress line" "rc $rc: $(head -c 200 "$WORK/q.err")"
fi

expect_exit 2 "stderr not a terminal: exit 2" -- $L --each "$WORK/many"
if [ ! -s "$WORK/err" ]; then ok "stderr not a terminal: nothing on stderr"; else not_ok "stderr not a terminal: nothing on stderr" "$(head -c 200 "$WORK/err")"; fi

# One file: no progress line, even on a terminal.
rc=$($PY "$WORK/on_tty.py" "$WORK/one.out" "$WORK/one.err" $L --each "$T/good.pem")
if [ "$rc" = 0 ] && ! grep -q 'linted' "$WORK/one.err"; then
	ok "one file on a terminal: no progress line"
else
	not_ok "one file on a terminal: no progress line" "rc $rc: $(head -c 200 "$WORK/one.err")"
fi

finish

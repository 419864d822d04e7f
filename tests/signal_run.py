#!/usr/bin/python3
# signal_run.py MODE ARG CMD... - run CMD the way a fault would meet it;
# print "RC SECONDS" (RC is -N when CMD died of signal N).  Bounded: CMD
# is killed after 20 s (RC then "timeout").
#
#   signal SIG:DIR   CMD's stdin is a pipe held open; once a temporary
#                    file (a name starting with '.') appears in DIR, send
#                    SIG (TERM, INT, HUP) to CMD
#   head   N         CMD's stdout is a pipe whose reader keeps the first
#                    N lines and then closes it, as `| head -N` does
import os
import signal
import subprocess
import sys
import time


def main():
    mode, arg, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
    t0 = time.monotonic()
    if mode == "signal":
        name, d = arg.split(":", 1)
        before = set(os.listdir(d))
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while time.monotonic() - t0 < 10:
            if any(f.startswith(".") for f in set(os.listdir(d)) - before):
                break
            time.sleep(0.02)
        p.send_signal(getattr(signal, "SIG" + name))
    else:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        for _ in range(int(arg)):
            p.stdout.readline()
        p.stdout.close()
    try:
        rc = p.wait(timeout=20)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
        rc = "timeout"
    print(rc, "%.2f" % (time.monotonic() - t0))


if __name__ == "__main__":
    main()

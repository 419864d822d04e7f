#!/usr/bin/python3
"""http_client.py - the HTTP requests of the exporter's tests, on 127.0.0.1.

  get URL OUT            GET URL, body into OUT, print the status (0: no answer)
  send PORT              send stdin's bytes as the request, print the status
  flood PORT PATH N      N requests at once, each on its own connection;
                         print one JSON line: statuses counted, requests
                         with no answer, slowest answer in seconds
  query PROMPORT EXPR    Prometheus /api/v1/query; print the result as JSON

Every socket has a timeout, so nothing here waits for long.
"""
import asyncio
import json
import resource
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT = 30


def get(url, out):
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as r:
            body, status = r.read(), r.status
    except urllib.error.HTTPError as e:
        body, status = e.read(), e.code
    except OSError as e:
        body, status = str(e).encode(), 0
    with open(out, "wb") as f:
        f.write(body)
    print(status)


def status_of(data):
    line = data.split(b"\r\n", 1)[0].split()
    if len(line) >= 2 and line[0].startswith(b"HTTP/") and line[1].isdigit():
        return int(line[1])
    return 0


def send(port):
    req = sys.stdin.buffer.read()
    s = socket.create_connection(("127.0.0.1", int(port)), TIMEOUT)
    s.settimeout(TIMEOUT)
    data = b""
    try:
        s.sendall(req)
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    s.close()
    print(status_of(data))


async def one(port, path, stats, t0):
    try:
        r, w = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port), TIMEOUT)
        w.write(("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                 % path).encode())
        await w.drain()
        line = await asyncio.wait_for(r.readline(), TIMEOUT)
        w.close()
        code = status_of(line)
    except (OSError, asyncio.TimeoutError):
        code = 0
    stats["slowest"] = max(stats["slowest"], time.monotonic() - t0)
    key = str(code) if code else "no_answer"
    stats["statuses"][key] = stats["statuses"].get(key, 0) + 1


async def flood_all(port, path, n):
    stats = {"statuses": {}, "slowest": 0.0}
    t0 = time.monotonic()
    await asyncio.gather(*(one(port, path, stats, t0) for _ in range(n)))
    return stats


def flood(port, path, n):
    n = int(n)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = min(hard, n + 64) if hard != resource.RLIM_INFINITY else n + 64
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    stats = asyncio.run(flood_all(int(port), path, n))
    print(json.dumps(stats))


def query(port, expr):
    url = "http://127.0.0.1:%s/api/v1/query?%s" % (
        port, urllib.parse.urlencode({"query": expr}))
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            d = json.load(r)
    except (OSError, ValueError) as e:
        print(json.dumps({"error": str(e)}))
        return
    print(json.dumps(d.get("data", {}).get("result", [])))


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    {"get": get, "send": send, "flood": flood, "query": query}[cmd](*args)

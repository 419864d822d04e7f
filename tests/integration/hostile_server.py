#!/usr/bin/python3
# hostile_server.py PORTFILE MODE... - TLS servers that misbehave, for
# tests/integration/hostile_servers.sh.  Standard library only.
#
# Listens on 127.0.0.1 only, one port per MODE (chosen by the kernel),
# and writes "MODE PORT" lines to PORTFILE (then renames it into place,
# so a reader never sees half of it).  Serves every connection in its
# own thread until killed.  Modes, each after reading the ClientHello:
#
#   reset       reset the connection (RST)
#   garbage     answer bytes that are not TLS, escape sequences first
#   bigcert     a ServerHello, then a 1 MB Certificate message
#   hugerecord  a record header claiming 65535 bytes, then that much junk
#   drip        a ServerHello, one byte a second
#   helloclose  a ServerHello, then close
#   silent      accept, read, say nothing, never close
#   alert       a fatal handshake_failure alert, to every ClientHello
#   emptycert   a ServerHello, an empty Certificate message, ServerHelloDone
#   sip=CHAIN:KEY  a real TLS server (the carrier's three suites) with the
#               certificate chain and key in those PEM files, answering
#               any request with a SIP status line full of escape sequences
#   slow=CHAIN:KEY the same server, but each connection waits 0.4 s
#               before its handshake (a loaded or far-away server)
import os
import socket
import ssl
import struct
import sys
import threading
import time

# Suites the ServerHello may pick, if the client offers one of them.
KNOWN = (0x002F, 0x003C, 0x003D, 0x0035, 0x009C, 0x009D, 0xC02F, 0xC030,
         0xC013, 0xC014, 0xC027, 0xC028)


def read_record(c):
    """One TLS record (header and body), or b"" at EOF."""
    head = b""
    while len(head) < 5:
        b = c.recv(5 - len(head))
        if not b:
            return b""
        head += b
    n = struct.unpack(">H", head[3:5])[0]
    body = b""
    while len(body) < n:
        b = c.recv(n - len(body))
        if not b:
            break
        body += b
    return head + body


def offered_suite(rec):
    """The first suite of the ClientHello in rec that we know, or AES128-SHA."""
    try:
        p = 5 + 4 + 2 + 32
        p += 1 + rec[p]
        n = struct.unpack(">H", rec[p:p + 2])[0]
        suites = [struct.unpack(">H", rec[p + 2 + i:p + 4 + i])[0]
                  for i in range(0, n, 2)]
        for s in suites:
            if s in KNOWN:
                return s
    except (IndexError, struct.error):
        pass
    return 0x002F


def record(ctype, body):
    return struct.pack(">BHH", ctype, 0x0303, len(body)) + body


def handshake(htype, body):
    return struct.pack(">B", htype) + struct.pack(">I", len(body))[1:] + body


def server_hello(suite):
    # renegotiation_info (empty): OpenSSL 3 clients refuse a server without it.
    ext = struct.pack(">HH", 0xFF01, 1) + b"\x00"
    body = (b"\x03\x03" + os.urandom(32) + b"\x00" + struct.pack(">H", suite)
            + b"\x00" + struct.pack(">H", len(ext)) + ext)
    return record(22, handshake(2, body))


def send_records(c, data, ctype=22):
    for i in range(0, len(data), 16384):
        c.sendall(record(ctype, data[i:i + 16384]))


def serve(c, mode):
    c.settimeout(60)
    hello = read_record(c)
    if not hello:
        return
    suite = offered_suite(hello)
    if mode == "reset":
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    elif mode == "garbage":
        c.sendall(b"\x1b]0;pwned\x07\x1b[2J\x1b[31mHELLO\xc2\x9b31m\r\n"
                  + bytes((i * 37 + 11) % 256 for i in range(2048)))
        time.sleep(0.5)
    elif mode == "bigcert":
        c.sendall(server_hello(suite))
        cert = bytes((i * 7) % 256 for i in range(1024 * 1024))
        entry = struct.pack(">I", len(cert))[1:] + cert
        body = struct.pack(">I", len(entry))[1:] + entry
        send_records(c, handshake(11, body))
        time.sleep(0.5)
    elif mode == "hugerecord":
        c.sendall(struct.pack(">BHH", 22, 0x0303, 0xFFFF))
        c.sendall(b"\x41" * 0xFFFF)
        time.sleep(0.5)
    elif mode == "drip":
        for b in server_hello(suite) * 100:
            c.sendall(bytes([b]))
            time.sleep(1)
    elif mode == "helloclose":
        c.sendall(server_hello(suite))
    elif mode == "silent":
        while c.recv(4096):
            pass
    elif mode == "alert":
        while hello:
            c.sendall(record(21, b"\x02\x28"))
            hello = read_record(c)
    elif mode == "emptycert":
        c.sendall(server_hello(suite) +
                  record(22, handshake(11, b"\x00\x00\x00")) +
                  record(22, handshake(14, b"")))
        time.sleep(0.5)


SIP_ANSWER = (b"SIP/2.0 200 OK \x1b]0;pwned\x07\x1b[31mred\xc2\x9b2J\r\n"
              b"Via: SIP/2.0/TLS 127.0.0.1;branch=z9hG4bK\x1b[5m\r\n"
              b"Content-Length: 0\r\n\r\n")


def serve_sip(c, ctx):
    c.settimeout(10)
    t = ctx.wrap_socket(c, server_side=True)
    data = b""
    while b"\r\n\r\n" not in data:
        b = t.recv(4096)
        if not b:
            return
        data += b
    t.sendall(SIP_ANSWER)
    time.sleep(0.2)


def handle(c, mode, ctx):
    try:
        if ctx is not None:
            if mode == "slow":
                time.sleep(0.4)
            serve_sip(c, ctx)
        else:
            serve(c, mode)
    except (OSError, ssl.SSLError):
        pass
    finally:
        c.close()


def listen(mode, s, ctx):
    while True:
        c, _ = s.accept()
        threading.Thread(target=handle, args=(c, mode, ctx),
                         daemon=True).start()


def main():
    portfile, modes = sys.argv[1], sys.argv[2:]
    lines = []
    for mode in modes:
        ctx = None
        if mode.startswith(("sip=", "slow=")):
            mode, files = mode.split("=", 1)
            chain, key = files.split(":")
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(chain, key)
            ctx.set_ciphers("AES128-SHA:AES128-SHA256:AES256-SHA256")
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", 0))
        s.listen(64)
        lines.append("%s %d\n" % (mode, s.getsockname()[1]))
        threading.Thread(target=listen, args=(mode, s, ctx),
                         daemon=True).start()
    with open(portfile + ".tmp", "w") as f:
        f.writelines(lines)
    os.rename(portfile + ".tmp", portfile)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()

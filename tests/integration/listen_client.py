#!/usr/bin/python3
# listen_client.py MODE PORT - a client of `bwcertcheck listen` on
# 127.0.0.1 that misbehaves, for the listener's integration tests.  Each
# mode ends by itself within 25 s, whatever the listener does.
#   silent     connect, send nothing, wait
#   plaintext  send a SIP request in the clear, with terminal escapes
#   flood      TLS 1.2, then 1 MB of SIP header lines without an end
#   drip       TLS 1.2, then a SIP request one byte a second
#   hugebody   TLS 1.2, then an INVITE with Content-Length 2^31
#   shortbody  TLS 1.2, then an INVITE announcing 500 bytes of SDP, sending 8
#   escapes    TLS 1.2, then OPTIONS whose User-Agent holds escapes
#   options    TLS 1.2, then a well-formed OPTIONS; print the answer
# TLS is made with Python's ssl module (OpenSSL underneath), offering
# AES128-SHA only and verifying nothing.
import socket
import ssl
import sys
import time

OPTIONS = (b"OPTIONS sip:test@127.0.0.1 SIP/2.0\r\n"
           b"Via: SIP/2.0/TLS 127.0.0.1:5999;branch=z9hG4bK776asdhds\r\n"
           b"Max-Forwards: 70\r\n"
           b"From: <sip:pbx@127.0.0.1>;tag=1928301774\r\n"
           b"To: <sip:test@127.0.0.1>\r\n"
           b"Call-ID: a84b4c76e66710@pbx\r\n"
           b"CSeq: 63104 OPTIONS\r\n"
           b"User-Agent: %s\r\n"
           b"Content-Length: 0\r\n\r\n")


def tls(sock):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_ciphers("AES128-SHA")
    return ctx.wrap_socket(sock)


def send_quietly(s, data):
    try:
        s.sendall(data)
        return True
    except OSError:
        return False


def read_all(s, limit):
    got = b""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            b = s.recv(4096)
        except (OSError, ssl.SSLError):
            break
        if not b:
            break
        got += b
    return got


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    raw = socket.create_connection(("127.0.0.1", port), 5)
    raw.settimeout(20)
    if mode == "silent":
        read_all(raw, 20)
        return
    if mode == "plaintext":
        send_quietly(raw, OPTIONS % b"plain\x1b[2J\x07")
        read_all(raw, 20)
        return
    s = tls(raw)
    if mode == "flood":
        line = b"X-Pad: " + b"a" * 1000 + b"\r\n"
        send_quietly(s, b"INVITE sip:test@127.0.0.1 SIP/2.0\r\n")
        for _ in range(1024):
            if not send_quietly(s, line):
                break
        read_all(s, 20)
    elif mode == "drip":
        for b in OPTIONS % b"drip":
            if not send_quietly(s, bytes([b])):
                break
            time.sleep(1)
    elif mode == "hugebody":
        msg = (OPTIONS % b"huge").replace(b"OPTIONS", b"INVITE").replace(
            b"Content-Length: 0", b"Content-Length: 2147483648")
        send_quietly(s, msg + b"v=0\r\n" * 100)
        sys.stdout.write(read_all(s, 20).decode("latin-1"))
    elif mode == "shortbody":
        msg = (OPTIONS % b"short").replace(b"OPTIONS", b"INVITE").replace(
            b"Content-Length: 0", b"Content-Length: 500")
        send_quietly(s, msg + b"v=0\r\no=-")
        read_all(s, 20)
    elif mode == "escapes":
        send_quietly(s, OPTIONS % b"evil\x1b]0;owned\x07\x1b[31m")
        sys.stdout.write(read_all(s, 20).decode("latin-1"))
    elif mode == "options":
        send_quietly(s, OPTIONS % b"listen_client")
        sys.stdout.write(read_all(s, 20).decode("latin-1"))


if __name__ == "__main__":
    try:
        main()
    except (OSError, ssl.SSLError) as e:
        print("listen_client: %s" % e, file=sys.stderr)

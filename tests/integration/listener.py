#!/usr/bin/python3
# listener.py MODE PORT - a misbehaving TCP server on 127.0.0.1 for the
# probe's integration tests.  Runs until killed.
#   silent     listen and never accept: the kernel completes the TCP
#              handshake, nothing ever answers the ClientHello
#   plaintext  answer whatever arrives with a plaintext SIP response
#              (a SIP-over-TCP port mistaken for SIP over TLS)
#   close      read the ClientHello, then close the connection
#   midway     read the ClientHello, send the start of a TLS handshake
#              record, then close in the middle of it
#   reset      read the ClientHello, then reset the connection (RST)
import socket
import struct
import sys


def main():
    mode, port = sys.argv[1], int(sys.argv[2])
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(64)
    if mode == "silent":
        while True:
            socket.socket().close()
            import time
            time.sleep(3600)
    while True:
        c, _ = s.accept()
        try:
            c.settimeout(5)
            c.recv(4096)
            if mode == "plaintext":
                c.sendall(b"SIP/2.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            elif mode == "midway":
                c.sendall(b"\x16\x03\x03\x00\x60\x02\x00\x00\x5c\x03\x03")
            elif mode == "reset":
                c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                             struct.pack("ii", 1, 0))
        except OSError:
            pass
        c.close()


if __name__ == "__main__":
    main()

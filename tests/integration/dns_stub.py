#!/usr/bin/python3
# dns_stub.py MODE PORT ADDR - a DNS server on 127.0.0.1:PORT (UDP) that
# answers every A query with ADDR and treats AAAA queries as MODE says,
# as broken resolvers and firewalls do.  Runs until killed.
#   drop      never answer AAAA (a firewall that drops them)
#   refused   answer AAAA with REFUSED
#   nodata    answer AAAA with no record (what a healthy server says)
#   slow      as nodata, but every answer comes 1.2 s late (a slow
#             resolver: less than c-ares's 1.5 s a try)
# Any other query type gets NOTIMP.  dnsmasq cannot be made to do the
# first two, hence this.
import socket
import struct
import sys
import threading

QTYPE_A, QTYPE_AAAA = 1, 28
RCODE_NOTIMP, RCODE_REFUSED = 4, 5


def reply(query, question, rcode, answers=b"", n_answers=0):
    qid, flags = struct.unpack(">HH", query[:4])
    # QR, the query's opcode and RD, RA; then the RCODE.
    flags = 0x8000 | (flags & 0x7900) | 0x0080 | rcode
    return struct.pack(">HHHHHH", qid, flags, 1, n_answers, 0, 0) + \
        question + answers


def main():
    mode, port, addr = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", port))

    def send(data, peer):
        if mode == "slow":
            threading.Timer(1.2, s.sendto, (data, peer)).start()
        else:
            s.sendto(data, peer)

    while True:
        query, peer = s.recvfrom(512)
        # Header, one question: labels up to the root, QTYPE, QCLASS.
        i = 12
        while i < len(query) and query[i] != 0:
            i += 1 + query[i]
        if len(query) < 12 or i + 5 > len(query):
            continue
        question = query[12:i + 5]
        qtype = struct.unpack(">H", query[i + 1:i + 3])[0]
        if qtype == QTYPE_A:
            rr = b"\xc0\x0c" + struct.pack(">HHIH", QTYPE_A, 1, 60, 4) + \
                socket.inet_aton(addr)
            send(reply(query, question, 0, rr, 1), peer)
        elif qtype == QTYPE_AAAA:
            if mode == "refused":
                send(reply(query, question, RCODE_REFUSED), peer)
            elif mode in ("nodata", "slow"):
                send(reply(query, question, 0), peer)
        else:
            send(reply(query, question, RCODE_NOTIMP), peer)


if __name__ == "__main__":
    main()

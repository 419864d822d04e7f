#!/usr/bin/python3
# aia_server.py PORT DIR LOG - an HTTP server on 127.0.0.1 that serves
# caIssuers URLs badly, for fix-chain --fetch.  Runs until killed.  Each
# request line is appended to LOG.
#   /file/NAME        DIR/NAME, as a good server would
#   /redirect/N/NAME  302 to /redirect/N-1/NAME, then /file/NAME at 0
#   /to-file          302 to file:///etc/hostname (not http or https)
#   /drip             headers, then one byte every 0.5 s, forever
#   /hang             reads the request, never answers
#   /huge             64 MiB without a Content-Length
#   /huge-length      a Content-Length of 64 MiB, then the bytes
import http.server
import os
import sys
import time

HUGE = 64 * 1024 * 1024


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):
        with open(self.server.log, "a") as f:
            f.write("%s\n" % self.requestline)

    def send_body(self, body, ctype="application/pkix-cert"):
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def stream(self, total, length):
        self.send_response(200)
        self.send_header("Content-Type", "application/pkix-cert")
        if length:
            self.send_header("Content-Length", str(total))
        self.end_headers()
        chunk = b"\x30" * 65536
        sent = 0
        while sent < total:
            self.wfile.write(chunk)
            sent += len(chunk)

    def do_GET(self):
        parts = self.path.split("/")
        try:
            if parts[1] == "file" and len(parts) == 3:
                name = os.path.basename(parts[2])
                with open(os.path.join(self.server.dir, name), "rb") as f:
                    self.send_body(f.read())
            elif parts[1] == "redirect" and len(parts) == 4:
                n = int(parts[2])
                self.send_response(302)
                self.send_header("Location", "/file/%s" % parts[3] if n <= 1
                                 else "/redirect/%d/%s" % (n - 1, parts[3]))
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif parts[1] == "to-file":
                self.send_response(302)
                self.send_header("Location", "file:///etc/hostname")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif parts[1] == "drip":
                self.send_response(200)
                self.send_header("Content-Type", "application/pkix-cert")
                self.end_headers()
                while True:
                    self.wfile.write(b"\x30")
                    self.wfile.flush()
                    time.sleep(0.5)
            elif parts[1] == "hang":
                time.sleep(3600)
            elif parts[1] == "huge":
                self.stream(HUGE, False)
            elif parts[1] == "huge-length":
                self.stream(HUGE, True)
            else:
                self.send_error(404)
        except (BrokenPipeError, ConnectionResetError):
            pass
        except OSError:
            self.send_error(404)


def main():
    port, root, log = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    srv.daemon_threads = True
    srv.dir = root
    srv.log = log
    srv.serve_forever()


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""fake_smtp.py: a small SMTP relay with TLS, for petitiond's tests.

It speaks just enough SMTP for libcurl (EHLO, STARTTLS, MAIL, RCPT,
DATA, RSET, NOOP, QUIT) on 127.0.0.1, with a self-signed certificate it
makes with the openssl command when DIR holds none, as a stock Debian
Exim does.  Standard library only: the tests cannot reach PyPI.

usage: fake_smtp.py DIR [--san SAN] [--no-starttls] [--smtps]

  DIR            where the certificate (DIR/cert.pem, DIR/key.pem) and the
                 transcript (DIR/wire.txt) go
  --san SAN      the certificate's subjectAltName (default
                 "IP:127.0.0.1,DNS:localhost")
  --no-starttls  do not offer STARTTLS
  --smtps        TLS from the first byte (smtps://) instead of STARTTLS

It prints "port N" on standard output once it listens, then serves one
connection at a time until killed, or until its parent process is gone.
Each connection appends to DIR/wire.txt, a line at a time and flushed,
what the client said ("C: ..."), what happened to TLS ("TLS: on", "TLS:
failed ...") and, once a message is accepted, its bytes between
"DATA-BEGIN" and "DATA-END"; a connection ends with "END".  Tests poll
that file.
"""

import argparse
import os
import socket
import ssl
import subprocess
import sys


def make_certificate(directory, san):
    cert = os.path.join(directory, "cert.pem")
    key = os.path.join(directory, "key.pem")
    if not (os.path.exists(cert) and os.path.exists(key)):
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
             "-subj", "/CN=fake-smtp.test", "-addext", "subjectAltName=" + san,
             "-keyout", key, "-out", cert],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return cert, key


class Session:
    def __init__(self, sock, log, context, offer_starttls):
        self.sock = sock
        self.log = log
        self.context = context
        self.offer_starttls = offer_starttls
        self.buf = b""
        self.tls = False

    def note(self, text):
        self.log.write(text + "\n")
        self.log.flush()

    def send(self, text):
        self.sock.sendall(text.encode("ascii"))

    def line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line.decode("utf-8", "replace")

    def data(self):
        while b"\r\n.\r\n" not in b"\r\n" + self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
        whole = b"\r\n" + self.buf
        end = whole.index(b"\r\n.\r\n")
        body = whole[2:end + 2]
        self.buf = whole[end + 5:]
        return body.decode("utf-8", "replace")

    def ehlo(self):
        lines = ["fake-smtp.test", "8BITMIME", "SIZE 10485760"]
        if self.offer_starttls and not self.tls:
            lines.append("STARTTLS")
        reply = "".join("250-%s\r\n" % l for l in lines[:-1]) + "250 %s\r\n" % lines[-1]
        self.send(reply)

    def starttls(self):
        self.send("220 2.0.0 ready to start TLS\r\n")
        try:
            self.sock = self.context.wrap_socket(self.sock, server_side=True)
        except (ssl.SSLError, OSError) as e:
            self.note("TLS: failed %s" % e)
            return False
        self.buf = b""
        self.tls = True
        self.note("TLS: on")
        return True

    def run(self):
        self.send("220 fake-smtp.test ESMTP\r\n")
        while True:
            line = self.line()
            if line is None:
                return
            self.note("C: " + line)
            verb = line[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.ehlo()
            elif line.upper() == "STARTTLS" and self.offer_starttls and not self.tls:
                if not self.starttls():
                    return
            elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                self.send("250 2.0.0 ok\r\n")
            elif verb == "DATA":
                self.send("354 go ahead\r\n")
                body = self.data()
                if body is None:
                    return
                self.note("DATA-BEGIN\n" + body + "DATA-END")
                self.send("250 2.0.0 queued\r\n")
            elif verb == "QUIT":
                self.send("221 2.0.0 bye\r\n")
                return
            else:
                self.send("502 5.5.2 not here\r\n")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dir")
    p.add_argument("--san", default="IP:127.0.0.1,DNS:localhost")
    p.add_argument("--no-starttls", action="store_true")
    p.add_argument("--smtps", action="store_true")
    args = p.parse_args()

    cert, key = make_certificate(args.dir, args.san)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    print("port %d" % listener.getsockname()[1], flush=True)
    # A test that dies without stopping us must not leave us running:
    # look every second whether the parent is still there.
    parent = os.getppid()
    listener.settimeout(1)

    with open(os.path.join(args.dir, "wire.txt"), "a", encoding="utf-8") as log:
        while True:
            try:
                sock, _ = listener.accept()
            except socket.timeout:
                if os.getppid() != parent:
                    return 0
                continue
            sock.settimeout(10)
            session = Session(sock, log, context, not args.smtps and not args.no_starttls)
            try:
                if args.smtps:
                    try:
                        session.sock = context.wrap_socket(sock, server_side=True)
                    except (ssl.SSLError, OSError) as e:
                        session.note("TLS: failed %s" % e)
                        continue
                    session.tls = True
                    session.note("TLS: on")
                session.run()
            except (ssl.SSLError, OSError) as e:
                session.note("error %s" % e)
            finally:
                session.note("END")
                try:
                    session.sock.close()
                except OSError:
                    pass


if __name__ == "__main__":
    sys.exit(main())

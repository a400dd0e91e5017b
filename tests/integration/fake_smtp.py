#!/usr/bin/env python3
"""fake_smtp.py: a small SMTP relay with TLS, for petitiond's tests.

It speaks just enough SMTP for libcurl (EHLO, STARTTLS, MAIL, RCPT,
DATA, RSET, NOOP, QUIT) on 127.0.0.1, with a self-signed certificate it
makes with the openssl command when DIR holds none, as a stock Debian
Exim does.  Standard library only: the tests cannot reach PyPI.

usage: fake_smtp.py DIR [--san SAN] [--no-starttls] [--smtps]
                        [--refuse ADDR=CODE[/N]]...

  DIR            where the certificate (DIR/cert.pem, DIR/key.pem) and the
                 transcript (DIR/wire.txt) go
  --san SAN      the certificate's subjectAltName (default
                 "IP:127.0.0.1,DNS:localhost")
  --no-starttls  do not offer STARTTLS
  --smtps        TLS from the first byte (smtps://) instead of STARTTLS
  --refuse ADDR=CODE[/N]
                 answer CODE (a 4xx or 5xx) to RCPT TO:<ADDR>, the first N
                 times only when /N is given (greylisting), with a text that
                 quotes the address as real relays do: 5xx "5.1.1 <ADDR>:
                 Recipient address rejected: User unknown", 4xx "4.7.1
                 <ADDR>: Recipient address rejected: Greylisted, try again
                 later"; repeat for more addresses

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


class Refusals:
    """What --refuse asks: address -> [code, times left or None]."""

    def __init__(self, specs):
        self.rules = {}
        for spec in specs:
            addr, _, rest = spec.partition("=")
            code, _, times = rest.partition("/")
            self.rules[addr.lower()] = [int(code), int(times) if times else None]

    def reply(self, addr):
        rule = self.rules.get(addr.lower())
        if rule is None or rule[1] == 0:
            return "250 2.1.5 ok\r\n"
        if rule[1] is not None:
            rule[1] -= 1
        code = rule[0]
        if code >= 500:
            return "%d-5.1.1 <%s>: Recipient address rejected:\r\n%d 5.1.1 User unknown\r\n" % (
                code, addr, code)
        return "%d 4.7.1 <%s>: Recipient address rejected: Greylisted, try again later\r\n" % (
            code, addr)


class Session:
    def __init__(self, sock, log, context, offer_starttls, refusals):
        self.sock = sock
        self.log = log
        self.context = context
        self.offer_starttls = offer_starttls
        self.refusals = refusals
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
            elif verb == "RCPT":
                addr = line[line.find("<") + 1:line.rfind(">")] if "<" in line else ""
                self.send(self.refusals.reply(addr))
            elif verb in ("MAIL", "RSET", "NOOP"):
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
    p.add_argument("--refuse", action="append", default=[])
    args = p.parse_args()
    refusals = Refusals(args.refuse)

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
            session = Session(sock, log, context, not args.smtps and not args.no_starttls,
                              refusals)
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

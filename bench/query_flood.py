#!/usr/bin/env python3
"""bench/query_flood.py PORT PID [TOTAL [NARGS [CONCURRENCY [MODE]]]]: the
memory of a server under requests with many short query arguments (issue 19,
finding 1), GET /healthz?k0=1&k1=1&...&k{NARGS-1}=1 (300: 1,998 bytes), one
per connection, to a release petitiond on 127.0.0.1:PORT whose process is
PID:

  build/petitiond migrate --db /tmp/x.db
  build/petitiond serve --db /tmp/x.db --listen 127.0.0.1:8090 --dev \\
      --mail-dir /tmp/mail 2>/dev/null &
  bench/query_flood.py 8090 $! 100000

Prints the server's RSS before and after 3,000, 15,000, 100,000 and TOTAL
(default 100,000) requests, CONCURRENCY (64) in flight.  MODE "read"
(default) waits for each answer (at most 2 s) and counts the statuses; MODE
"fire" sends and closes at once, as an attacker would.  Connections come from
127.0.0.2 to 127.0.0.9 so that 100,000 of them do not run out of ports.
"""
import collections
import selectors
import socket
import sys
import time

port = int(sys.argv[1])
pid = int(sys.argv[2])
total = int(sys.argv[3]) if len(sys.argv) > 3 else 100000
nargs = int(sys.argv[4]) if len(sys.argv) > 4 else 300
conc = int(sys.argv[5]) if len(sys.argv) > 5 else 64
mode = sys.argv[6] if len(sys.argv) > 6 else "read"

target = "/healthz?" + "&".join("k%d=1" % i for i in range(nargs))
request = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % target).encode()
checkpoints = sorted({n for n in (3000, 15000, 100000) if n < total} | {total})


def rss_mb():
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return -1


def complete(data):
    """True once data holds a whole answer: headers and Content-Length bytes."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return False
    for line in data[:end].split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(data) - end - 4 >= int(line.split(b":")[1])
    return False


sel = selectors.DefaultSelector()
statuses = collections.Counter()
sent = done = 0


def send_one():
    """Send one request; True when its answer is to be read."""
    global sent
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.%d" % (2 + sent % 8), 0))
    s.connect(("127.0.0.1", port))
    s.sendall(request)
    sent += 1
    if mode == "fire":
        s.close()
        return False
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, [time.time(), b""])
    return True


def finish(s, data, why):
    global done
    sel.unregister(s)
    s.close()
    line = data.split(b"\r\n", 1)[0].split(b" ")
    statuses[line[1].decode() if len(line) > 1 else why] += 1
    done += 1


print("target %d bytes, %d arguments, mode %s" % (len(target), nargs, mode))
print("%8d requests: RSS %6.1f MB" % (0, rss_mb()))
t0 = time.time()
for cp in checkpoints:
    while done < cp:
        while sent < cp and len(sel.get_map()) < conc:
            if not send_one():
                done += 1
        for key, _ in sel.select(timeout=0.05):
            try:
                x = key.fileobj.recv(65536)
            except OSError:
                x = b""
            if not x:
                finish(key.fileobj, key.data[1], "closed unanswered")
                continue
            key.data[1] += x
            if complete(key.data[1]):
                finish(key.fileobj, key.data[1], "")
        now = time.time()
        for key in list(sel.get_map().values()):
            if now - key.data[0] > 2.0:
                finish(key.fileobj, key.data[1], "no answer in 2 s")
    print("%8d requests: RSS %6.1f MB  (%.1f s; %s)"
          % (done, rss_mb(), time.time() - t0, dict(statuses)))
    sys.stdout.flush()

#!/usr/bin/env python3
# compare-answers.py: the work of scripts/compare-answers (read its header
# comment first: what is run, what is fetched, what is normalised and why).
# Python 3.11 standard library only.
#
#   compare-answers.py record  BIN DIR        record BIN's answers into DIR
#   compare-answers.py compare BIN DIR        BIN's answers against DIR's
#   compare-answers.py BIN_A BIN_B            record A (temporary), compare B
#
# options (before or after the arguments):
#   --no-dev      only the "site" pass (no --dev server)
#   --keep        keep the temporary directories (databases, logs, answers)
#   --context N   lines of each unified diff shown (default 40)
#   --raw         record without normalising
#
# The environment variable COMPARE_ANSWERS_WALL_SHIFT=SECONDS runs `serve`
# with its wall clock moved by that many seconds (through the same
# LD_PRELOAD shim that fixes the clock of `migrate` and `demo`); the
# self-check uses it to show that no answer depends on the wall clock
# beyond what is normalised.

import difflib
import hashlib
import http.client
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

# ---- fixed inputs ------------------------------------------------------------------------

# The time of the whole run: the demo data is loaded "now" = FIXED_NOW (its
# relative dates, such as e-6512's "opened -12d 14:40", are counted from
# the Eastern day of that moment) and the server's clock (--clock-file)
# says FIXED_NOW too, as `make run` would a few seconds after loading.
# 2026-11-16 17:00:00 UTC = Monday 12:00 EST: e-6512 and e-6478 are open,
# e-6390 closed two days before (the scheduler moves it on at start-up),
# and every relative date falls inside the 45th Parliament.
FIXED_NOW = 1794848400

# The public address given to `serve --base-url` and sent as Host, so that
# absolute links (feeds, e-mails) do not carry the random port.
BASE_URL = "http://127.0.0.1:8080"
HOST = "127.0.0.1:8080"
USER_AGENT = "compare-answers/1"

PASSES = ("site", "dev")

# Every petition state's slug (src/core/petition_state.c), public or not:
# the list filters must take the public ones and refuse the others (400).
STATUS_SLUGS = (
    "draft", "awaiting-supporters", "awaiting-member", "under-review",
    "returned-for-revision", "open", "waiting-for-certification", "not-certified",
    "certified", "presented", "response-tabled", "closed-upon-dissolution",
    "not-answered-before-dissolution", "abandoned", "rejected", "withdrawn", "expired",
    "removed", "closed", "bogus",
)
SORTS = ("recent", "oldest", "most-signatures", "fewest-signatures", "relevance")

# The signed-in workspaces, fetched signed out (a redirect to sign in).
WORKSPACES = (
    "/account", "/account/petition", "/member", "/member/petitions/e-6104",
    "/member/present/e-6277", "/clerk", "/clerk/petitions/e-6104", "/clerk/signatures",
    "/clerk/signatures/e-6512", "/clerk/signing-rules", "/clerk/house",
    "/clerk/house/e-6277", "/clerk/calendar", "/clerk/paper", "/responder",
    "/responder/petitions/e-6104", "/admin", "/admin/parliament", "/admin/audit",
    "/admin/remove",
)

# A valid signature of an open petition (tests/integration/cache_test.c).
SIGN_FORM = [
    ("first_name", "Compare"), ("last_name", "Answers"),
    ("email", "compare.answers@example.org"), ("country", "Canada"), ("province", "BC"),
    ("postal_code", "V6B 1A1"), ("phone", "604-555-0100"), ("eligible", "1"), ("terms", "1"),
]

# ---- the clock shim ----------------------------------------------------------------------

# `petitiond migrate` and `demo` have no --clock-file: they read the wall
# clock (clock_gettime, and SQLite's 'now' through gettimeofday).  This
# library, preloaded into them, says FIXED_NOW instead, so that the demo's
# relative dates are the same on any day.  With COMPARE_ANSWERS_SHIFT it
# moves the real clock instead of freezing it (for `serve` in the
# self-check; frozen, its timed waits would spin).
SHIM_C = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>

static int (*real_clock_gettime)(clockid_t, struct timespec *);

static void
adjust(struct timespec *ts)
{
    const char *now = getenv("COMPARE_ANSWERS_NOW");
    const char *shift = getenv("COMPARE_ANSWERS_SHIFT");
    if (now && *now) {
        ts->tv_sec = (time_t)atoll(now);
        ts->tv_nsec = 0;
    } else if (shift && *shift) {
        ts->tv_sec += (time_t)atoll(shift);
    }
}

int
clock_gettime(clockid_t id, struct timespec *ts)
{
    if (!real_clock_gettime)
        real_clock_gettime = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    int r = real_clock_gettime(id, ts);
    if (r == 0 && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE))
        adjust(ts);
    return r;
}

int
gettimeofday(struct timeval *restrict tv, void *restrict tz)
{
    (void)tz;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (tv) {
        tv->tv_sec = ts.tv_sec;
        tv->tv_usec = ts.tv_nsec / 1000;
    }
    return 0;
}

time_t
time(time_t *t)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    if (t)
        *t = ts.tv_sec;
    return ts.tv_sec;
}
"""


def die(msg):
    print(f"compare-answers: {msg}", file=sys.stderr)
    sys.exit(2)


def build_shim(workdir):
    src = os.path.join(workdir, "clockshim.c")
    lib = os.path.join(workdir, "clockshim.so")
    with open(src, "w") as f:
        f.write(SHIM_C)
    cc = os.environ.get("CC", "cc")
    r = subprocess.run([cc, "-shared", "-fPIC", "-O1", "-o", lib, src, "-ldl"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        die(f"cannot build the clock shim with {cc}:\n{r.stderr}")
    return lib


# ---- one petitiond ----------------------------------------------------------------------

class Petitiond:
    """A fresh database with the demo data and `serve` on a free loopback port."""

    # Where the compared side's database lives (main(): --store, --copy-to):
    # None = a SQLite file; ("store", URI) = the demo loaded straight into
    # that database; ("copy", URI) = the demo loaded into SQLite, then
    # `petitiond copy` into that database.  "{n}" in URI becomes a name of
    # its own for each pass and run.
    target = None

    def __init__(self, binary, workdir, shim, dev, target=None):
        self.binary = os.path.abspath(binary)
        self.target = target
        self.workdir = workdir
        self.shim = shim
        self.dev = dev
        self.proc = None
        self.port = None
        os.makedirs(workdir, exist_ok=True)
        self.log_path = os.path.join(workdir, "serve.log")

    def _run(self, *args):
        env = dict(os.environ, LD_PRELOAD=self.shim, COMPARE_ANSWERS_NOW=str(FIXED_NOW))
        r = subprocess.run([self.binary, *args], cwd=self.workdir, env=env,
                           capture_output=True, text=True)
        if r.returncode != 0:
            die(f"{self.binary} {' '.join(args)} failed ({r.returncode}):\n{r.stdout}{r.stderr}")

    def start(self):
        # Relative paths, run in workdir: /dev/mail shows the mail directory
        # as given, and the temporary directory's name is random.
        db = "petitions.db"
        if self.target:
            kind, uri = self.target
            db = uri.replace("{n}", f"ca{os.getpid()}_{os.path.basename(self.workdir)}")
        if self.target and self.target[0] == "store":
            self._run("migrate", "--db", db)
            self._run("demo", "--db", db)
        else:
            self._run("migrate", "--db", "petitions.db")
            self._run("demo", "--db", "petitions.db")
        if self.target and self.target[0] == "copy":
            self._run("migrate", "--db", db)
            self._run("copy", "--from", "petitions.db", "--to", db)
        with open(os.path.join(self.workdir, "clock"), "w") as f:
            f.write(f"{FIXED_NOW}\n")
        # Both engines sign the public logs (a key of this side's own: a
        # checkpoint's signature differs, and no compared answer shows one).
        args = [self.binary, "serve", "--listen", "127.0.0.1:0", "--db", db,
                "--clock-file", "clock", "--base-url", BASE_URL, "--log-key", "log.key"]
        if self.dev:
            os.makedirs(os.path.join(self.workdir, "mail"), exist_ok=True)
            args += ["--dev", "--mail-dir", "mail"]
        env = dict(os.environ)
        shift = os.environ.get("COMPARE_ANSWERS_WALL_SHIFT")
        if shift:
            env.update(LD_PRELOAD=self.shim, COMPARE_ANSWERS_SHIFT=shift)
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(args, cwd=self.workdir, env=env, stdout=subprocess.PIPE,
                                     stderr=self.log)
        # "petitiond: serving http://127.0.0.1:PORT/ ..." once it listens.
        out = b""
        deadline = time.monotonic() + 30
        while self.port is None:
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                self.stop()
                die(f"{self.binary} serve did not start; see {self.log_path}\n{out.decode()}")
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                out += chunk
                m = re.search(rb"serving http://127\.0\.0\.1:(\d+)/", out)
                if m:
                    self.port = int(m.group(1))
        # /healthz answers once the database does; its "counts checked_at"
        # is set by the scheduler's first pass, which applies the deadlines
        # at FIXED_NOW (e-6390 moves on) before the counts check.  Then a
        # little more for the rest of that pass (the daily erasure).
        start = time.monotonic()
        while True:
            try:
                r = http_exchange(self.port, "GET", "/healthz", [], None)
                if r["status"] == 200 and (re.search(rb"checked_at=[1-9]", r["body"])
                                           or time.monotonic() - start > 5):
                    break
            except (OSError, http.client.HTTPException):
                pass
            if time.monotonic() - start > 30 or self.proc.poll() is not None:
                self.stop()
                die(f"{self.binary} serve: /healthz never said ok; see {self.log_path}")
            time.sleep(0.05)
        time.sleep(1.0)

    def stop(self):
        """Stop with SIGTERM; the exit status (0 expected), or None if killed."""
        if not self.proc:
            return None
        rc = None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                rc = self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        else:
            rc = self.proc.returncode
        self.proc.stdout.close()
        self.log.close()
        self.proc = None
        return rc


# ---- HTTP ------------------------------------------------------------------------------

def http_exchange(port, method, target, headers, body):
    """One request on its own connection: its status line, status, headers
    as sent (name, value) and body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", HOST)
        conn.putheader("User-Agent", USER_AGENT)
        for name, value in headers:
            conn.putheader(name, value)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        resp = conn.getresponse()
        data = resp.read()
        version = {10: "HTTP/1.0", 11: "HTTP/1.1"}.get(resp.version, f"HTTP/{resp.version}")
        return {
            "status": resp.status,
            "status_line": f"{version} {resp.status} {resp.reason}",
            "headers": list(resp.msg.items()),
            "body": data,
        }
    finally:
        conn.close()


# ---- the requests ----------------------------------------------------------------------
#
# A request is a dict:
#   method, path      the request line's target, with {var} placeholders
#   headers           [[name, value]...], values with {var} placeholders
#   form              [[name, value]...]: a urlencoded body (values with
#                     {var}); "body" a raw one
#   jar               a cookie jar's name: its cookies are sent, and the
#                     answer's Set-Cookie kept in it
#   save              {var: ["header", NAME] | ["body", REGEX]}: a value
#                     of this answer kept for later requests
#   random            true: the saved values are random (a MAC, a token);
#                     they are replaced by <VAR> in every answer
#   pause             seconds to wait before sending
#   until             a regex: the request is sent again (10 s at most)
#                     until the body matches (e-mail written by a thread)
# A var may be unknown at run time (an answer that lacked it): the
# request is then sent with "{var}" left in place, and the difference shows.

def q(path, **params):
    return path + "?" + urllib.parse.urlencode(params) if params else path


class Plan:
    def __init__(self):
        self.reqs = []

    def add(self, path, method="GET", headers=(), **kw):
        r = {"method": method, "path": path, "headers": [list(h) for h in headers]}
        r.update(kw)
        self.reqs.append(r)
        return r

    def get(self, *paths, **kw):
        for p in paths:
            self.add(p, **kw)


def discover(port):
    """The demo's petitions, keywords, subjects, Members and sessions, read
    from the API of the binary being recorded."""
    def get_json(target):
        r = http_exchange(port, "GET", target, [], None)
        if r["status"] != 200:
            die(f"discovery: GET {target} answered {r['status']}")
        return json.loads(r["body"])

    petitions, page = [], 1
    while True:
        d = get_json(f"/api/v1/petitions?per_page=100&page={page}")
        petitions += d["petitions"]
        if page >= d["pages"]:
            break
        page += 1
    details = {}
    for p in petitions:
        details[p["number"]] = get_json(f"/api/v1/petitions/{p['number']}")
    found = {
        "petitions": [p["number"] for p in petitions],
        "status": {p["number"]: p["status"] for p in petitions},
        "type": {p["number"]: p["type"] for p in petitions},
        "presented": sorted({v for d in details.values() for v in find_presented(d)}),
        "keywords": [k["slug"] for k in get_json("/api/v1/keywords")["keywords"]],
        "subjects": [s["code"] for s in get_json("/api/v1/subjects")["subjects"]],
        "members": [m["key"] for m in get_json("/api/v1/members")["members"]],
        "sessions": [],
        "parliaments": [],
    }
    for parl in get_json("/api/v1/parliaments")["parliaments"]:
        found["parliaments"].append(parl["number"])
        for s in parl.get("sessions", []):
            found["sessions"].append(f"{parl['number']}-{s['number']}")
    return found


def find_presented(detail):
    """The presented numbers (PPS-NNNNN) an e-petition's JSON holds."""
    out = []

    def walk(v):
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, str) and re.fullmatch(r"\d{3}-\d{5}", v):
            out.append(v)
    walk(detail)
    return [n for n in out if detail.get("number", "").startswith("e-")]


def static_files(binary):
    """The files of static/ in the recorded binary's tree (BIN is
    TREE/build/petitiond), else in this script's."""
    here = os.path.dirname(os.path.abspath(__file__))
    for d in (os.path.join(os.path.dirname(os.path.abspath(binary)), "..", "static"),
              os.path.join(here, "..", "static")):
        if os.path.isdir(d):
            return sorted(f for f in os.listdir(d) if not f.startswith("."))
    die("no static/ directory beside the binary's build/ or this script")


def plan_public(found, binary):
    """Every public URL: pages in both languages, feeds, the API, exports,
    static files, errors, methods, HEAD and conditional requests."""
    P = Plan()
    pets = found["petitions"]
    open_pets = [n for n in pets if found["status"][n] == "open"]
    e_pets = [n for n in pets if n.startswith("e-")]
    kws, subs = found["keywords"], found["subjects"]
    first_kw = kws[0] if kws else "belarus"
    first_sub = subs[0] if subs else "foreign-affairs"

    # -- the language chooser and health
    P.get("/")
    for al in ("en", "fr", "fr-CA,fr;q=0.9,en;q=0.8", "en-US,en;q=0.5", "de", "*",
               "de;q=1, fr;q=0.5"):
        P.add("/", headers=[("Accept-Language", al)])
    P.add("/", method="HEAD")
    P.add("/", headers=[("Accept-Language", "fr")], save={"etag_root_fr": ["header", "ETag"]})
    P.add("/", headers=[("Accept-Language", "fr"), ("If-None-Match", "{etag_root_fr}")])
    P.get("/healthz")

    # -- home
    for lang in ("en", "fr"):
        P.get(f"/{lang}")
        P.add(f"/{lang}", method="HEAD")
    P.get("/en?unknown=1", "/EN", "/de", "/en/", "/fr/")
    P.add("/en", headers=[("Accept-Language", "fr")])

    # -- the list: filters, orders, pages, searches
    for lang in ("en", "fr"):
        L = f"/{lang}/petitions"
        P.get(L, L + "/")
        for s in SORTS:
            P.get(q(L, sort=s))
        P.get(q(L, type="electronic"), q(L, type="paper"), q(L, responded="true"),
              q(L, responded="false"), q(L, page=1), q(L, page=2))
        for s in ("open", "response-tabled", "draft", "bogus"):
            P.get(q(L, status=s))
        P.get(q(L, subject=first_sub), q(L, keyword=first_kw))
        for words in ("belarus", "Bélarus", "quebec", "Québec", "sanctions", "sanc",
                      "e-2829", "432-00158", "zzzqqqxxx"):
            P.get(q(L, q=words))
    L = "/en/petitions"
    for s in STATUS_SLUGS:
        P.get(q(L, status=s))
    for k in kws:
        P.get(q(L, keyword=k))
    for s in subs:
        P.get(q(L, subject=s))
    for m in found["members"]:
        P.get(q(L, member=m))
    for n in found["parliaments"]:
        P.get(q(L, parliament=n))
    for s in found["sessions"]:
        P.get(q(L, session=s))
    P.get(
        # blank fields as the filter form sends them mean "any"
        L + "?status=&type=&subject=&keyword=&q=&sort=&responded=",
        q(L, status="open", sort="most-signatures"),
        q(L, keyword=first_kw, type="electronic", sort="oldest"),
        q(L, q="belarus", sort="recent"),
        q(L, q="belarus", status="response-tabled", sort="fewest-signatures"),
        q(L, subject=first_sub, responded="true"),
        q(L, foo="bar"),
        q(L, q=" e-6512 "), q(L, q="441-01211"), q(L, q="e-99999"), q(L, q="999-99999"),
        q(L, q='"sanctions" * : - NEAR( belarus'), q(L, q="-"), q(L, q="*"),
        q(L, q="x" * 201), q(L, q="é" * 200),
        # refused filters (400)
        q(L, type="bogus"), q(L, subject="bogus"), q(L, keyword="bogus"), q(L, member="bogus"),
        q(L, parliament="0"), q(L, parliament="abc"), q(L, session="44"),
        q(L, session="44-0"), q(L, parliament="43", session="44-1"),
        q(L, responded="maybe"), q(L, sort="bogus"), q(L, page="0"), q(L, page="-1"),
        q(L, page="abc"), q(L, page="10000"), q(L, page="10001"), q(L, per_page="5"),
        # not UTF-8, control characters: refused before any handler
        L + "?q=%FF", L + "?q=a%01b",
    )
    P.get(q("/fr/petitions", status="bogus"), q("/fr/petitions", q="x" * 201))

    for lang in ("en", "fr"):
        P.get(f"/{lang}/petitions/not-accepted", f"/{lang}/petitions/overdue")

    # -- each petition
    for n in pets:
        for lang in ("en", "fr"):
            P.get(f"/{lang}/petitions/{n}", f"/{lang}/petitions/{n}/certificate")
        P.get(f"/en/petitions/{n}/sign", f"/en/petitions/{n}/check-email")
        P.get(f"/api/v1/petitions/{n}", f"/api/v1/petitions/{n}/count",
              f"/api/v1/petitions/{n}.xml", f"/api/v1/petitions/{n}.xml?lang=fr")
    for n in found["presented"]:
        P.get(f"/en/petitions/{n}", f"/fr/petitions/{n}", f"/api/v1/petitions/{n}",
              f"/api/v1/petitions/{n}/count", f"/api/v1/petitions/{n}.xml")
    for n in open_pets:
        P.get(f"/fr/petitions/{n}/sign", f"/fr/petitions/{n}/check-email")
    P.get("/en/petitions/e-2829/", "/en/petitions/e-99999", "/fr/petitions/e-99999",
          "/en/petitions/999-99999", "/en/petitions/e-abc", "/fr/petitions/e-abc",
          "/en/petitions/e-0", "/en/petitions/xyz", "/en/petitions/E-2829",
          "/en/petitions/e-2829x", "/en/petitions/e-2829/nope",
          "/en/petitions/e-99999/certificate", "/en/petitions/e-99999/sign",
          "/en/petitions/e-abc/certificate")
    # signing refused without writing: an empty form (422), from another site (403)
    if open_pets:
        n = open_pets[0]
        form_hdr = ("Content-Type", "application/x-www-form-urlencoded")
        P.add(f"/en/petitions/{n}/sign", method="POST", headers=[form_hdr], body="")
        P.add(f"/fr/petitions/{n}/sign", method="POST", headers=[form_hdr],
              form=[("first_name", "=cmd"), ("last_name", ""), ("email", "not-an-address"),
                    ("country", "Canada"), ("province", "ON"), ("postal_code", "V6B 1A1"),
                    ("phone", "x"), ("eligible", "1")])
        P.add(f"/en/petitions/{n}/sign", method="POST",
              headers=[form_hdr, ("Origin", "https://elsewhere.example")], form=SIGN_FORM)
        P.add(f"/en/petitions/{n}/sign", method="POST",
              headers=[form_hdr, ("Sec-Fetch-Site", "cross-site")], form=SIGN_FORM)
    closed = [n for n in e_pets if found["status"][n] != "open"]
    if closed:
        P.add(f"/en/petitions/{closed[0]}/sign", method="POST",
              headers=[("Content-Type", "application/x-www-form-urlencoded")], form=SIGN_FORM)
    P.add("/en/petitions/e-99999/sign", method="POST",
          headers=[("Content-Type", "application/x-www-form-urlencoded")], form=SIGN_FORM)

    # -- keywords, subjects, feeds
    for lang in ("en", "fr"):
        P.get(f"/{lang}/keywords", f"/{lang}/subjects", f"/{lang}/feeds/opened.atom",
              f"/{lang}/feeds/responses.atom")
        for k in kws:
            P.get(f"/{lang}/keywords/{k}", f"/{lang}/feeds/keywords/{k}.atom")
        for s in subs:
            P.get(f"/{lang}/subjects/{s}")
        P.get(f"/{lang}/keywords/no-such-keyword", f"/{lang}/subjects/no-such-subject",
              f"/{lang}/feeds/keywords/no-such-keyword.atom")
    P.get(f"/en/keywords/{first_kw}?page=1", f"/en/keywords/{first_kw}?page=2",
          f"/en/keywords/{first_kw}?page=0", f"/en/keywords/{first_kw}?page=abc",
          f"/en/subjects/{first_sub}?page=2", f"/en/subjects/{first_sub}?page=0",
          f"/en/feeds/keywords/{first_kw}", f"/en/feeds/opened.atom?x=1", "/en/feeds/nope.atom",
          "/en/keywords/", f"/en/keywords/{first_kw}/")
    P.add("/en/feeds/opened.atom", method="HEAD")

    # -- forms (their CSRF token and cookie are random) and links from e-mails
    for lang in ("en", "fr"):
        P.get(f"/{lang}/register", f"/{lang}/sign-in", f"/{lang}/password/forgot",
              f"/{lang}/password/reset", f"/{lang}/account/activate")
    P.get("/en/sign-in?next=%2Fen%2Faccount", "/en/sign-in?next=https%3A%2F%2Fevil.example%2F",
          "/en/password/reset?u=1&x=1&t=abc", "/en/account/activate?u=1&x=1&t=abc",
          "/en/support/1", "/en/support/1?r=1&t=abc", "/fr/support/abc",
          "/en/signatures/1", "/en/signatures/1?t=abc", "/fr/signatures/abc?t=abc")
    P.add("/en/register", method="HEAD")
    form_hdr = ("Content-Type", "application/x-www-form-urlencoded")
    # posted without the CSRF cookie and token: refused, nothing written
    for path in ("/en/sign-in", "/fr/sign-in", "/en/register", "/en/password/forgot",
                 "/en/sign-out"):
        P.add(path, method="POST", headers=[form_hdr],
              form=[("email", "nobody@example.org"), ("password", "x")])

    # -- workspaces, signed out
    for w in WORKSPACES:
        P.get(f"/en{w}")
    for w in ("/account", "/clerk", "/admin"):
        P.get(f"/fr{w}")

    # -- the API
    A = "/api/v1/petitions"
    P.get("/api/v1/openapi.json", A, "/api/v1/subjects", "/api/v1/keywords",
          "/api/v1/members", "/api/v1/parliaments", "/api/v1/petitions.xsd")
    for s in STATUS_SLUGS:
        P.get(q(A, status=s))
    for s in SORTS:
        P.get(q(A, sort=s))
        P.get(q(A, sort=s, q="belarus"))
    for k in kws:
        P.get(q(A, keyword=k))
    for s in subs:
        P.get(q(A, subject=s))
    for m in found["members"]:
        P.get(q(A, member=m))
    for n in found["parliaments"]:
        P.get(q(A, parliament=n))
    for s in found["sessions"]:
        P.get(q(A, session=s))
    total = len(pets)
    for page in range(1, total + 2):
        P.get(q(A, per_page=1, page=page))
    for page in (1, 2, 3, 4, 5):
        P.get(q(A, per_page=3, page=page))
    P.get(
        q(A, type="electronic"), q(A, type="paper"), q(A, responded="true"),
        q(A, responded="false"), q(A, per_page=100), q(A, page=2), q(A, page=10000),
        q(A, per_page=1), q(A, per_page=100, page=1),
        q(A, q="belarus"), q(A, q="Bélarus"), q(A, q="quebec"), q(A, q="québec sanctions"),
        q(A, q="e-2829"), q(A, q="zzzqqqxxx"), q(A, q='"x" * NEAR('),
        q(A, keyword=first_kw, sort="most-signatures"),
        q(A, session="44-1", responded="true", per_page=100),
        q(A, parliament=44, session="44-1"),
        q(A, status="open", type="electronic", sort="oldest", per_page=2, page=1),
        q(A, subject=first_sub, keyword=first_kw, q="belarus", sort="relevance"),
        # every error of the README's API section: 400 JSON
        q(A, foo="bar"), A + "?status=open&status=open", A + "?page=1&page=2",
        q(A, page=0), q(A, page=10001), q(A, page="abc"), q(A, page=""),
        q(A, per_page=0), q(A, per_page=101), q(A, per_page="abc"), q(A, per_page=""),
        q(A, status=""), q(A, type="bogus"), q(A, subject="bogus"), q(A, keyword="bogus"),
        q(A, member="bogus"), q(A, member=""), q(A, parliament=0), q(A, parliament=100),
        q(A, parliament="x"), q(A, session="44"), q(A, session="44-0"), q(A, session="x-1"),
        q(A, parliament=43, session="44-1"), q(A, responded="yes"), q(A, sort="bogus"),
        q(A, q="x" * 201), q(A, lang="fr"), A + "?q=%FF",
        "/api/v1/subjects?x=1", "/api/v1/keywords?x=1", "/api/v1/members?x=1",
        "/api/v1/parliaments?x=1", "/api/v1/openapi.json?x=1", "/api/v1/petitions.xsd?x=1",
        A + "/e-2829?x=1", A + "/e-2829/count?x=1", A + "/e-2829?lang=fr",
        # unknown and malformed petitions: 404 and 400
        A + "/e-99999", A + "/e-99999/count", A + "/e-99999.xml", A + "/999-99999",
        A + "/e-abc", A + "/e-abc/count", A + "/e-abc.xml", A + "/xyz", A + "/e-2829.json",
        A + "/e-2829.xml?lang=de", A + "/e-2829.xml?x=1", A + "/e-2829/nope",
        A + "/", A + "/e-2829/", "/api/v1/nope", "/api/v2/petitions", "/api/v1",
    )
    # exports: every match, the list's filters, lang=fr for the XML
    E = ("/api/v1/petitions.csv", "/api/v1/petitions.xml")
    for path in E:
        P.get(path, q(path, keyword=first_kw), q(path, status="open"),
              q(path, type="paper"), q(path, session="44-1", responded="true"),
              q(path, q="belarus"), q(path, sort="most-signatures"), q(path, subject=first_sub),
              q(path, foo="bar"), q(path, page=1), q(path, status="bogus"))
    P.get(E[0] + "?lang=fr", E[1] + "?lang=fr", q(E[1], keyword=first_kw, lang="fr"),
          q(E[1], lang="de"), q(E[1], session="44-1", lang="fr"))
    for path in ("/api/v1/openapi.json", A, "/api/v1/keywords", E[0], E[1],
                 "/api/v1/petitions/e-2829"):
        P.add(path, method="HEAD")

    # -- static files
    for f in static_files(binary):
        P.get(f"/static/{f}")
        P.add(f"/static/{f}", method="HEAD")
    P.get("/static/nope.css", "/static/", "/static", "/static/..%2FMakefile",
          "/static/../Makefile", "/static/style.css?v=1")

    # -- unknown pages, methods, the server's limits
    P.get("/nope", "/en/nope", "/fr/nope", "/en/petitions/e-2829/certificate/x",
          "/dev/mail", "/dev/mail/000001-x.eml", "/favicon.ico", "/robots.txt")
    P.add("/nope", headers=[("Accept-Language", "fr")])
    P.add("/en", method="POST", headers=[form_hdr], body="")
    P.add("/fr/petitions", method="POST", headers=[form_hdr], body="")
    P.add("/en/petitions/e-2829", method="PUT", body="")
    P.add(A, method="POST", headers=[form_hdr], body="")
    P.add("/api/v1/keywords", method="DELETE")
    P.add("/en/sign-out", method="GET")
    P.add("/en/account/petition/submit", method="GET")
    P.add("/static/style.css", method="POST", headers=[form_hdr], body="")
    P.add("/en", method="OPTIONS")
    P.add("/en/petitions?q=" + "a" * 2100)
    P.add("/en", headers=[("X-Big", "x" * 9000)])
    P.add(f"/en/petitions/{open_pets[0] if open_pets else 'e-6512'}/sign", method="POST",
          headers=[form_hdr], body="a=" + "x" * 70000)

    # -- conditional requests: the ETag / Last-Modified of the answer before
    cond = ["/en", "/fr/petitions", "/en/petitions/e-2829", "/en/keywords",
            f"/en/keywords/{first_kw}", "/en/feeds/opened.atom", "/static/style.css",
            "/api/v1/openapi.json", A, "/api/v1/petitions/e-2829",
            "/api/v1/petitions/e-2829/count", "/api/v1/petitions.csv", "/api/v1/petitions.xml",
            "/api/v1/petitions.xsd", "/en/petitions/e-2829/certificate"]
    cond += [f"/en/petitions/{n}" for n in open_pets]
    for i, path in enumerate(cond):
        et, lm = f"etag{i}", f"lm{i}"
        if path == "/static/style.css":
            style_etag = et
        P.add(path, save={et: ["header", "ETag"], lm: ["header", "Last-Modified"]})
        P.add(path, headers=[("If-None-Match", "{%s}" % et)])
        P.add(path, method="HEAD", headers=[("If-None-Match", "{%s}" % et)])
        P.add(path, headers=[("If-Modified-Since", "{%s}" % lm)])
    P.add("/en", headers=[("If-None-Match", '"not-this-one"')])
    P.add("/en", headers=[("If-None-Match", "*")])
    P.add("/en", headers=[("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT")])
    P.add("/static/style.css", headers=[("If-None-Match", '"a", {%s}, W/"b"' % style_etag)])
    return P.reqs


def plan_dev(found):
    """With --dev, after the public URLs: the mailbox, then the journeys
    that write: a signature signed and confirmed from its e-mail, then a
    petition removed by the administrator (410 after).  The e-mails
    written meanwhile are fetched at the end (plan_mails)."""
    P = Plan()
    P.get("/dev/mail", "/dev/mail/nope.eml", "/dev/mail/000001-x.eml", "/dev/mail/..%2Fclock")

    open_pets = [n for n in found["petitions"] if found["status"][n] == "open"]
    n = open_pets[0] if open_pets else "e-6512"
    form_hdr = ("Content-Type", "application/x-www-form-urlencoded")
    P.get(f"/en/petitions/{n}", f"/api/v1/petitions/{n}/count")
    # signed: 303 to check-email; the e-mail's link confirms it
    P.add(f"/en/petitions/{n}/sign", method="POST", headers=[form_hdr], form=SIGN_FORM)
    P.add(f"/en/petitions/{n}/check-email", jar="signer")
    # e-mail is written by the mail thread, a moment after the answer
    P.add("/dev/mail", until=r"signature-confirm\.eml",
          save={"mail1": ["body", r'href="/dev/mail/([0-9a-z.-]+\.eml)"']})
    P.add("/dev/mail/{mail1}",
          save={"confirm": ["body", r"(/en/signatures/[^\s\"<>&]+(?:&amp;[^\s\"<>&]+)*)"],
                # the receipt's link is a MAC under the site's random link key
                "receipt": ["body", r"(/receipts/[0-9]+/[A-Za-z0-9_-]+\.tlog-proof)"]},
          random=True)
    P.add("{confirm}", jar="signer")
    P.add("{confirm}", method="POST", headers=[form_hdr], jar="signer",
          form=[("csrf", "{cookie:pd_csrf}"), ("t", "{confirm_t}")])
    # A page showing counts is drawn again at most every --count-freshness-ms
    # (500) while they move: wait that out, or what shows the new count
    # would depend on how fast the requests came.
    P.add(f"/en/petitions/{n}", pause=1.0)
    P.get(f"/fr/petitions/{n}", f"/api/v1/petitions/{n}/count",
          f"/api/v1/petitions/{n}", "/en", q("/api/v1/petitions", status="open"))
    # the same address again: the same answer, another e-mail
    P.add(f"/fr/petitions/{n}/sign", method="POST", headers=[form_hdr], form=SIGN_FORM)
    P.add("/dev/mail", until=r"000002-")

    # the administrator removes a petition: its pages answer 410
    victim = "e-5921" if "e-5921" in found["petitions"] else found["petitions"][-1]
    P.add("/en/sign-in", jar="admin")
    P.add("/en/sign-in", method="POST", headers=[form_hdr], jar="admin",
          form=[("csrf", "{cookie:pd_csrf}"), ("email", "admin@petitions.test"),
                ("password", "petitions-demo")])
    # signed in, a form's CSRF token is the session's, not the cookie's
    P.add("/en/admin/remove", jar="admin", random=True,
          save={"admin_csrf": ["body", r'name="csrf" value="([^"]+)"']})
    P.add("/en/admin/remove", method="POST", headers=[form_hdr], jar="admin",
          form=[("csrf", "{admin_csrf}"), ("number", "e-99999"), ("reason", "x")])
    P.add("/en/admin/remove", method="POST", headers=[form_hdr], jar="admin",
          form=[("csrf", "{admin_csrf}"), ("number", victim), ("reason", "")])
    P.add("/en/admin/remove", method="POST", headers=[form_hdr], jar="admin",
          form=[("csrf", "{admin_csrf}"), ("number", victim),
                ("reason", "Removed by compare-answers")])
    P.add("/en/admin/remove", method="POST", headers=[form_hdr], jar="admin",
          form=[("csrf", "{admin_csrf}"), ("number", victim), ("reason", "again")])
    P.get(f"/en/petitions/{victim}", f"/fr/petitions/{victim}",
          f"/en/petitions/{victim}/certificate", f"/api/v1/petitions/{victim}",
          f"/api/v1/petitions/{victim}/count", f"/api/v1/petitions/{victim}.xml",
          q("/en/petitions", q=victim), q("/api/v1/petitions", q=victim), "/en/petitions",
          "/api/v1/petitions", "/en/petitions/not-accepted")
    P.add("/en/sign-out", method="POST", headers=[form_hdr], jar="admin",
          form=[("csrf", "{admin_csrf}")])
    P.add("/en/admin", jar="admin")
    return P.reqs


def plan_mails(body):
    """Each e-mail /dev/mail lists (their names are the outbox's ids and
    kinds, the same in every run)."""
    P = Plan()
    names = re.findall(r'href="/dev/mail/([0-9a-z.-]+\.eml)"', body.decode("utf-8", "replace"))
    for name in sorted(set(names)):
        P.get(f"/dev/mail/{name}")
    return P.reqs


# ---- running a plan ------------------------------------------------------------------------

class Run:
    """The state of one pass: saved values, cookie jars, random values."""

    def __init__(self, port):
        self.port = port
        self.vars = {}
        self.jars = {}
        self.randoms = {}   # value -> placeholder, longest replaced first

    def random(self, value, placeholder):
        # Replaced wherever it appears: too short a value could match
        # anything (tokens, MACs and cookies here are 32 characters or more).
        if len(value) >= 16:
            self.randoms[value] = placeholder

    def fill(self, text, jar):
        def sub(m):
            name = m.group(1)
            if name.startswith("cookie:"):
                v = self.jars.get(jar, {}).get(name[7:])
            else:
                v = self.vars.get(name)
            return v if v is not None else m.group(0)
        return re.sub(r"\{([a-z_0-9]+(?::[a-z_0-9]+)?)\}", sub, text)

    def perform(self, req):
        if req.get("pause"):
            time.sleep(req["pause"])
        jar = req.get("jar")
        path = self.fill(req["path"], jar)
        headers = [(k, self.fill(v, jar)) for k, v in req["headers"]]
        if jar and self.jars.get(jar):
            headers.append(("Cookie", "; ".join(f"{k}={v}" for k, v in self.jars[jar].items())))
        body = None
        if "form" in req:
            body = urllib.parse.urlencode([(k, self.fill(v, jar)) for k, v in req["form"]])
        elif "body" in req:
            body = req["body"]
        unresolved = re.findall(r"\{([a-z_0-9]+(?::[a-z_0-9]+)?)\}",
                                " ".join([path, body or ""] + [v for _, v in headers]))
        deadline = time.monotonic() + 10
        while True:
            try:
                ans = http_exchange(self.port, req["method"], path, headers,
                                    body.encode() if body is not None else None)
            except (OSError, http.client.HTTPException) as e:
                ans = {"status": 0, "status_line": f"no answer: {type(e).__name__}: {e}",
                       "headers": [], "body": b""}
            # "until": asked again (10 s at most) until the body matches, for
            # what a thread of the server writes a moment after (e-mail)
            if (not req.get("until") or re.search(req["until"].encode(), ans["body"])
                    or time.monotonic() > deadline):
                break
            time.sleep(0.05)
        # cookies: kept in the jar; every value set is random
        for name, value in ans["headers"]:
            if name.lower() == "set-cookie":
                cname, _, rest = value.partition("=")
                cval = rest.split(";", 1)[0]
                if cval:
                    self.random(cval, f"<cookie {cname}>")
                if jar:
                    if cval:
                        self.jars.setdefault(jar, {})[cname] = cval
                    else:
                        self.jars.setdefault(jar, {}).pop(cname, None)
        for var, (where, what) in req.get("save", {}).items():
            v = None
            if where == "header":
                v = next((val for n, val in ans["headers"] if n.lower() == what.lower()), None)
            else:
                m = re.search(what.encode(), ans["body"])
                if m:
                    v = m.group(1).decode("utf-8", "replace").replace("&amp;", "&")
            if v is None:
                continue
            self.vars[var] = v
            if req.get("random"):
                self.random(v, f"<{var}>")
                # a link's query values (the signature's MAC) appear alone too
                for k, vals in urllib.parse.parse_qs(urllib.parse.urlsplit(v).query).items():
                    self.vars[f"{var}_{k}"] = vals[0]
                    self.random(vals[0], f"<{var} {k}>")
        ans["unresolved"] = unresolved
        return self.render(req, ans)

    # ---- normalisation (see scripts/compare-answers) ----
    DATE_HEADERS = ("date", "last-modified", "expires")

    raw = False   # --raw: record without normalising (to see what differs between runs)

    def render(self, req, ans):
        """The recorded text of one exchange: the request as planned (with
        its {placeholders}), the status line, the headers sorted by name,
        a blank line, the body; normalised."""
        lines = [f"{req['method']} {req['path']} HTTP/1.1"]
        for k, v in req["headers"]:
            lines.append(f"{k}: {v}")
        if req.get("jar"):
            lines.append(f"Cookie: (jar {req['jar']})")
        for var in ans.get("unresolved", []):
            # an earlier answer lacked what this request needed
            lines.append(f"(unresolved: {{{var}}} was sent as it is)")
        if "form" in req:
            lines.append("")
            lines.append("&".join(f"{k}={v}" for k, v in req["form"]))
        elif req.get("body"):
            lines.append("")
            lines.append(req["body"] if len(req["body"]) < 200
                         else f"({len(req['body'])} bytes)")
        lines += ["", "=" * 72, ans["status_line"]]
        hdrs = sorted(ans["headers"], key=lambda h: h[0].lower())
        for name, value in hdrs:
            lines.append(f"{name}: {value if self.raw else self.norm_header(name, value)}")
        head = ("\n".join(lines) + "\n\n").encode()
        return head + (ans["body"] if self.raw else self.norm_body(ans["body"]))

    def norm_header(self, name, value):
        n = name.lower()
        if n in self.DATE_HEADERS:
            return "<date>" if value else value
        if n == "etag":
            # the opaque tag only: a weak or strong validator still shows
            return re.sub(r'"[^"]*"', '"<etag>"', value)
        return self.norm_text(value)

    def norm_text(self, value):
        for v in sorted(self.randoms, key=len, reverse=True):
            value = value.replace(v, self.randoms[v])
        return value

    def norm_body(self, body):
        # /healthz's count of data changes since start moves with the
        # background jobs (a checkpoint signed a moment later on one side),
        # not with what the site holds.
        body = re.sub(rb"(?m)^changes data=[0-9]+ ", b"changes data=<n> ", body)
        for v in sorted(self.randoms, key=len, reverse=True):
            body = body.replace(v.encode(), self.randoms[v].encode())
            # and as HTML writes it in an attribute (a link's &amp;)
            if "&" in v:
                body = body.replace(v.replace("&", "&amp;").encode(), self.randoms[v].encode())
        return body


def slug(req):
    s = f"{req['method']} {req['path']}"
    s = re.sub(r"[^A-Za-z0-9._-]+", "_", s).strip("_")
    return s[:80]


def run_pass(binary, workdir, shim, pass_name, plan=None, target=None):
    """Start a server for the pass, plan it (record) or take the plan
    (compare), perform it: ([requests with "file"], {file: bytes}, exit status)."""
    srv = Petitiond(binary, os.path.join(workdir, pass_name), shim, dev=(pass_name == "dev"),
                    target=target)
    srv.start()
    try:
        run = Run(srv.port)
        answers = {}

        def perform(reqs, first):
            for i, r in enumerate(reqs, first):
                r.setdefault("file", f"{i:04d}-{slug(r)}.http")
                answers[r["file"]] = run.perform(r)

        if plan is not None:
            perform(plan, 1)
        else:
            found = discover(srv.port)
            plan = plan_public(found, binary)
            if pass_name == "dev":
                plan += plan_dev(found)
            perform(plan, 1)
            if pass_name == "dev":
                mails = plan_mails(http_exchange(srv.port, "GET", "/dev/mail", [], None)["body"])
                perform(mails, len(plan) + 1)
                plan += mails
    finally:
        rc = srv.stop()
    return plan, answers, rc, srv.log_path


# ---- record and compare --------------------------------------------------------------------

def write_answers(outdir, passes, binary):
    os.makedirs(outdir, exist_ok=True)
    with open(binary, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    # binary, sha256 and recorded_at say what was recorded; compare reads
    # only fixed_now, base_url and passes
    meta = {"binary": os.path.abspath(binary), "sha256": digest,
            "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "fixed_now": FIXED_NOW, "base_url": BASE_URL, "host": HOST, "passes": {}}
    for name, (plan, answers) in passes.items():
        d = os.path.join(outdir, name)
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d)
        for f, data in answers.items():
            with open(os.path.join(d, f), "wb") as fh:
                fh.write(data)
        with open(os.path.join(d, "requests.json"), "w") as fh:
            json.dump(plan, fh, indent=1, ensure_ascii=False)
            fh.write("\n")
        meta["passes"][name] = len(plan)
    with open(os.path.join(outdir, "meta.json"), "w") as fh:
        json.dump(meta, fh, indent=1)
        fh.write("\n")


def record(binary, outdir, shim, workdir, passes):
    results, ok = {}, True
    for name in passes:
        plan, answers, rc, log = run_pass(binary, workdir, shim, name)
        if rc != 0:
            print(f"compare-answers: {name}: serve exited with {rc}; see {log}", file=sys.stderr)
            ok = False
        results[name] = (plan, answers)
        print(f"compare-answers: {name}: {len(plan)} answers recorded")
    write_answers(outdir, results, binary)
    print(f"compare-answers: recorded into {outdir}")
    return ok


def relevance_ranked(path):
    """Whether a request is a search ordered by relevance (a q= with words,
    sorted by relevance or by default)."""
    query = urllib.parse.urlsplit(path).query
    params = urllib.parse.parse_qs(query, keep_blank_values=True)
    words = [w for w in params.get("q", []) if w.strip()]
    return bool(words) and params.get("sort", ["relevance"])[-1] in ("relevance", "")


# Petition numbers in an answer: e-2829, 432-00158.
NUMBERS = re.compile(rb"\b(?:e-\d+|\d{3}-\d{5})\b")


def same_results(want, got):
    """Two answers of one search on two engines: the same status line and
    the same petitions, each as often, in whatever order (relevance is the
    observable rules of store/search.h; beyond them each engine's ranking
    orders ties its own way)."""
    def status(b):
        m = re.search(rb"^HTTP/1\.[01] [0-9]+", b, re.M)
        return m.group(0) if m else b
    return (status(want) == status(got)
            and sorted(NUMBERS.findall(want)) == sorted(NUMBERS.findall(got)))


def compare(binary, refdir, shim, workdir, passes, context, keep_dir=None, target=None):
    if not os.path.isfile(os.path.join(refdir, "meta.json")):
        die(f"{refdir}: no meta.json: not a directory of recorded answers")
    with open(os.path.join(refdir, "meta.json")) as fh:
        meta = json.load(fh)
    if meta.get("fixed_now") != FIXED_NOW or meta.get("base_url") != BASE_URL:
        die(f"{refdir} was recorded with another clock or address; record it again")
    compared = differ = as_sets = 0
    failed = []
    got_all = {}
    for name in passes:
        if name not in meta["passes"]:
            print(f"compare-answers: {name}: not in {refdir}; skipped", file=sys.stderr)
            continue
        with open(os.path.join(refdir, name, "requests.json")) as fh:
            plan = json.load(fh)
        _, answers, rc, log = run_pass(binary, workdir, shim, name, plan, target)
        got_all[name] = (plan, answers)
        if rc != 0:
            failed.append(f"{name}: serve exited with {rc} (see {log})")
        for r in plan:
            compared += 1
            try:
                with open(os.path.join(refdir, name, r["file"]), "rb") as fh:
                    want = fh.read()
            except FileNotFoundError:
                want = b""
            got = answers[r["file"]]
            if got == want:
                continue
            if target and relevance_ranked(r["path"]) and same_results(want, got):
                as_sets += 1
                continue
            differ += 1
            print(f"DIFFERS {name}/{r['file']}: {r['method']} {r['path']}")
            diff = difflib.unified_diff(
                want.decode("utf-8", "replace").splitlines(),
                got.decode("utf-8", "replace").splitlines(),
                f"recorded/{name}/{r['file']}", f"now/{name}/{r['file']}", lineterm="", n=2)
            lines = list(diff)
            for line in lines[:context]:
                print("    " + line[:300])
            if len(lines) > context:
                print(f"    ... ({len(lines) - context} more diff lines)")
    if keep_dir:
        write_answers(keep_dir, got_all, binary)
        print(f"compare-answers: this binary's answers are in {keep_dir}")
    for f in failed:
        print(f"compare-answers: {f}")
    if as_sets:
        print(f"compare-answers: {as_sets} searches by relevance found the same petitions in "
              "another order (each engine ranks beyond store/search.h's rules its own way)")
    print(f"{compared} answers compared, {differ} differ")
    return differ == 0 and not failed


def main(argv):
    opts = {"dev": True, "keep": False, "context": 40, "target": None}
    args, i = [], 0
    while i < len(argv):
        a = argv[i]
        if a == "--no-dev":
            opts["dev"] = False
        elif a == "--keep":
            opts["keep"] = True
        elif a == "--raw":
            Run.raw = True
        elif a in ("--store", "--copy-to"):
            i += 1
            opts["target"] = ("store" if a == "--store" else "copy", argv[i])
        elif a == "--context":
            i += 1
            opts["context"] = int(argv[i])
        elif a in ("-h", "--help"):
            print("usage: compare-answers record BIN DIR | compare BIN DIR | BIN_A BIN_B\n"
                  "       [--no-dev] [--keep] [--context N] [--raw] [--store URI | --copy-to URI]\n"
                  "(scripts/compare-answers' header comment says more)")
            return 0
        else:
            args.append(a)
        i += 1
    passes = PASSES if opts["dev"] else ("site",)
    usage = ("usage: compare-answers record BIN DIR | compare BIN DIR | BIN_A BIN_B"
             " [--no-dev] [--keep] [--context N] [--raw]")
    if len(args) == 3 and args[0] in ("record", "compare"):
        mode, bins, refdir = args[0], [args[1]], os.path.abspath(args[2])
    elif len(args) == 2:
        mode, bins, refdir = "both", args, None
    else:
        die(usage)
    for b in bins:
        if not (os.path.isfile(b) and os.access(b, os.X_OK)):
            die(f"{b}: not an executable")

    workdir = tempfile.mkdtemp(prefix="compare-answers.")
    try:
        shim = build_shim(workdir)
        if mode == "record":
            return 0 if record(bins[0], refdir, shim, os.path.join(workdir, "run"), passes) else 1
        if mode == "compare":
            keep = os.path.join(workdir, "answers") if opts["keep"] else None
            return 0 if compare(bins[0], refdir, shim, os.path.join(workdir, "run"), passes,
                                opts["context"], keep, opts["target"]) else 1
        ref = os.path.join(workdir, "answers-a")
        if not record(bins[0], ref, shim, os.path.join(workdir, "run-a"), passes):
            return 1
        keep = os.path.join(workdir, "answers-b") if opts["keep"] else None
        return 0 if compare(bins[1], ref, shim, os.path.join(workdir, "run-b"), passes,
                            opts["context"], keep, opts["target"]) else 1
    finally:
        if opts["keep"]:
            print(f"compare-answers: kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

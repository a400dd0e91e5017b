#!/bin/sh
# bench/dissolution.sh: dissolve Parliament with 300 open petitions and
# 100,000 signatures (issue "from certificate to government response",
# item 4) and measure what the public sees meanwhile.
#
# Same run, same machine: page latency before the dissolution is the
# baseline; the dissolution request itself, the mail thread listing and
# queueing every distinct person, and page latency while it works are
# measured against it.  Release build, development mode (e-mail written
# to files), one curl client.  Results: bench/results/dissolution-DATE.txt.
#
#   bench/dissolution.sh [PETITIONS] [SIGNATURES]
set -eu
cd "$(dirname "$0")/.."
PETITIONS=${1:-300}
SIGNATURES=${2:-100000}
PORT=${PORT:-8131}
BASE=http://127.0.0.1:$PORT
W=$(mktemp -d /tmp/petitiond-bench-XXXXXX)
PID=
trap 'kill $PID 2>/dev/null || true; rm -rf "$W"' EXIT
make --no-print-directory build/petitiond >/dev/null
BIN=build/petitiond
mkdir -p bench/results "$W/mail"

# 300 open petitions, derived from the demo's e-6512.
python3 - "$PETITIONS" "$W/data.json" <<'EOF'
import json, sys, copy
n, out = int(sys.argv[1]), sys.argv[2]
d = json.load(open('data/demo/demo.json'))
src = [p for p in d['petitions'] if p['number'] == 'e-6512'][0]
ps = []
for i in range(n):
    p = copy.deepcopy(src)
    p['number'] = 'e-%d' % (20000 + i)
    p['signatures'] = {'total': 0, 'by_region': {r: 0 for r in p['signatures']['by_region']}}
    ps.append(p)
d['petitions'] = ps
json.dump(d, open(out, 'w'), ensure_ascii=False)
EOF
$BIN migrate --db "$W/b.db" >/dev/null
$BIN demo --db "$W/b.db" --file "$W/data.json" >/dev/null
# Signatures: every address signs 1 to 3 petitions (a third sign two or more).
sqlite3 "$W/b.db" <<EOF
.output /dev/null
PRAGMA journal_mode=WAL;
.output stdout
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < $SIGNATURES)
INSERT INTO signatures (petition_id, email_key, email, first_name, last_name, country, region,
                        postal_code, phone, lang, ip, rate_key, created_at, confirmed_at, review)
SELECT p.id,
       'p' || (i % ($SIGNATURES * 2 / 3)) || '@example.org',
       'p' || (i % ($SIGNATURES * 2 / 3)) || '@example.org', 'Sig', 'Natory', 'Canada', 'ON',
       'K1A 0A6', '613-555-0100', CASE WHEN i % 3 = 0 THEN 'fr' ELSE 'en' END, '192.0.2.1',
       '192.0.2.1', strftime('%s', 'now') - 3600, strftime('%s', 'now') - 3000, 'clear'
  FROM k JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM petitions) p
    ON p.n = (i * 7) % $PETITIONS WHERE 1 ON CONFLICT DO NOTHING;
EOF
ROWS=$(sqlite3 "$W/b.db" "SELECT count(*) FROM signatures")
PEOPLE=$(sqlite3 "$W/b.db" "SELECT count(DISTINCT email_key) FROM signatures")

$BIN serve --listen 127.0.0.1:$PORT --db "$W/b.db" --dev --mail-dir "$W/mail" \
    >"$W/out" 2>"$W/log" &
PID=$!
for i in $(seq 100); do curl -fs "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.05; done

# Page latencies (ms) of n sequential requests, appended to a file.
lat() {
    for i in $(seq "$1"); do
        curl -s -o /dev/null -w '%{time_total}\n' "$BASE/en/petitions/e-$((20000 + i % PETITIONS))"
    done | awk '{printf "%.3f\n", $1 * 1000}' >>"$2"
}
# "p50 p99 max (n requests)" of a file of latencies.
pct() {
    sort -n "$1" | awk '{v[NR]=$1} END {printf "%.1f %.1f %.1f (%d requests)", v[int(NR*0.5)], v[int(NR*0.99)], v[NR], NR}'
}
mailing() {
    [ "$(sqlite3 "$W/b.db" "SELECT count(*) FROM mailings WHERE done_at IS NULL")" != 0 ] ||
        [ "$(sqlite3 "$W/b.db" "SELECT count(*) FROM outbox WHERE sent_at IS NULL")" != 0 ]
}
lat 1000 "$W/before"
BEFORE=$(pct "$W/before")

# Sign in as the administrator and dissolve.
J="$W/jar"
curl -s -c "$J" -b "$J" "$BASE/en/sign-in" >"$W/p"
CSRF=$(grep -o 'name="csrf" value="[^"]*"' "$W/p" | head -1 | sed 's/.*value="//;s/"//')
curl -s -c "$J" -b "$J" -o /dev/null --data-urlencode "csrf=$CSRF" \
    --data "email=admin%40petitions.test&password=petitions-demo" "$BASE/en/sign-in"
curl -s -c "$J" -b "$J" "$BASE/en/admin/parliament" >"$W/p"
CSRF=$(grep -o 'name="csrf" value="[^"]*"' "$W/p" | head -1 | sed 's/.*value="//;s/"//')
T0=$(date +%s.%N)
CODE=$(curl -s -c "$J" -b "$J" -o /dev/null -w '%{http_code} %{time_total}' \
    --data-urlencode "csrf=$CSRF" --data "action=dissolve&confirm=1" "$BASE/en/admin/parliament")
# Pages, all the while the mail thread lists, queues and sends everyone.
while mailing; do lat 100 "$W/during"; done
T1=$(date +%s.%N)
MAILS=$(ls "$W/mail" | grep -c -- '-dissolution.eml' || true)
CLOSED=$(sqlite3 "$W/b.db" "SELECT count(*) FROM petitions WHERE state = 'CLOSED_UPON_DISSOLUTION'")

OUT=bench/results/dissolution-$(date +%Y-%m-%d).txt
{
    echo "# Dissolution of $PETITIONS open petitions, $ROWS signature rows ($PEOPLE people)"
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n): $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "dissolve request (HTTP code, seconds): $CODE"
    echo "petitions closed upon dissolution:     $CLOSED"
    echo "dissolution e-mails written:           $MAILS (one per person)"
    printf "all e-mail listed, queued and sent in: %.1f s\n" "$(echo "$T1 - $T0" | bc)"
    echo "page latency ms (p50 p99 max), before: $BEFORE"
    echo "page latency ms (p50 p99 max), during: $(pct "$W/during")"
} | tee "$OUT"

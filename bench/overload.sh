#!/bin/sh
# bench/overload.sh: a fresh client's latency while 10,000 idle or slow
# connections are held open, slowloris style (issue 6, item 7: "the site
# still answers a fresh client within 1 s").
#
# Release build, demo database, the server at its default limits.  Each
# run starts a server and measures GET /en/petitions/e-2829 with a new
# connection per request (curl, sequential): first with nothing else open
# (the baseline of the same run), then while bench/slowloris holds IDLE
# connections that stopped in the middle of their headers and SLOW that
# trickle a header byte about once a second.  The server's hold is read
# from /proc/PID/fd before and after the measurement.  RUNS runs; the
# table gives the median and the range of p50, p99 and max.  Results:
# bench/results/overload-DATE.txt.
#
#   BUILD=build IDLE=10000 SLOW=300 REQUESTS=200 RUNS=3 bench/overload.sh
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
IDLE=${IDLE:-10000}
SLOW=${SLOW:-300}
REQUESTS=${REQUESTS:-200}
RUNS=${RUNS:-3}
W=$(mktemp -d /tmp/petitiond-overload-XXXXXX)
PID=
LORIS=
cleanup() {
    [ -z "$LORIS" ] || kill "$LORIS" 2>/dev/null || true
    [ -z "$PID" ] || kill "$PID" 2>/dev/null || true
    rm -rf "$W"
}
trap cleanup EXIT
make --no-print-directory BUILD="$BUILD" "$BUILD/petitiond" >/dev/null
BIN=$BUILD/petitiond
mkdir -p "$BUILD/bench" bench/results
cc -O2 -std=c11 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -Isrc \
    -o "$BUILD/bench/slowloris" bench/slowloris.c
# Room for the server's connections and ours (each raises its own soft
# limit to what it needs; this lets them reach the hard limit).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

$BIN migrate --db "$W/b.db" >/dev/null
$BIN demo --db "$W/b.db" >/dev/null

# Latencies (ms) of REQUESTS sequential requests, each a new connection.
lat() {
    i=0
    while [ "$i" -lt "$REQUESTS" ]; do
        curl -s -o /dev/null -m 10 -w '%{http_code} %{time_total}\n' "$BASE/en/petitions/e-2829"
        i=$((i + 1))
    done | awk '$1 != 200 {bad++} {printf "%.3f\n", $2 * 1000}
                END {if (bad) printf "overload.sh: %d answers not 200\n", bad > "/dev/stderr"}' >"$1"
}
# "p50 p99 max" (nearest rank) of a file of latencies.
pct() {
    sort -n "$1" | awk '{v[NR] = $1}
        function rank(p) { r = int(p * NR); if (r < p * NR) r++; return v[r] }
        END {printf "%.1f %.1f %.1f", rank(0.5), rank(0.99), v[NR]}'
}
# Connections the server holds: its sockets less the listening one.
held() {
    echo $(($(find /proc/"$PID"/fd -lname 'socket:*' 2>/dev/null | wc -l) - 1))
}

: >"$W/runs"
run=1
while [ "$run" -le "$RUNS" ]; do
    $BIN serve --listen 127.0.0.1:0 --db "$W/b.db" >"$W/out" 2>"$W/log" &
    PID=$!
    for i in $(seq 200); do grep -q 'serving http' "$W/out" && break; sleep 0.05; done
    BASE=$(sed -n 's|.*serving \(http://127.0.0.1:[0-9]*\)/.*|\1|p' "$W/out")
    [ -n "$BASE" ] || { echo "overload.sh: the server did not start" >&2; cat "$W/log" >&2; exit 1; }
    PORT=${BASE##*:}

    lat "$W/base"
    T0=$(date +%s.%N)
    "$BUILD/bench/slowloris" "$PORT" "$IDLE" "$SLOW" >"$W/loris" &
    LORIS=$!
    for i in $(seq 600); do grep -q ready "$W/loris" && break; sleep 0.05; done
    grep -q ready "$W/loris" || { echo "overload.sh: slowloris did not get ready" >&2; exit 1; }
    want=$((IDLE + SLOW))
    for i in $(seq 600); do [ "$(held)" -ge "$want" ] && break; sleep 0.05; done
    OPEN_S=$(echo "$(date +%s.%N) - $T0" | bc)
    BEFORE=$(held)
    lat "$W/load"
    AFTER=$(held)
    kill "$LORIS"
    wait "$LORIS" || true
    LORIS=
    kill "$PID"
    wait "$PID" && STOP=clean || STOP="exit $?"
    PID=
    printf '%s %s %s %s %.1f %s\n' "$(pct "$W/base")" "$(pct "$W/load")" "$BEFORE" "$AFTER" \
        "$OPEN_S" "$STOP" >>"$W/runs"
    run=$((run + 1))
done

# Median and range of one column of the runs file.
stat() {
    cut -d' ' -f"$1" "$W/runs" | sort -n | awk '{v[NR] = $1}
        END {printf "%6.1f (%s-%s)", v[int((NR + 1) / 2)], v[1], v[NR]}'
}
OUT=bench/results/overload-$(date +%Y-%m-%d).txt
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain --untracked-files=no 2>/dev/null)" ] || COMMIT="$COMMIT + uncommitted changes"
{
    echo "# bench/overload.sh: GET /en/petitions/e-2829, a new connection per request,"
    echo "# $REQUESTS sequential requests per condition, $RUNS runs (release build, default limits)"
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $COMMIT"
    echo "# $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
    echo "# open-file limit (hard) $(ulimit -Hn); net.core.somaxconn $(cat /proc/sys/net/core/somaxconn)"
    echo
    echo "## runs: ms p50 p99 max, with nothing open / with $IDLE idle + $SLOW slow open"
    n=1
    while read -r b50 b99 bmax l50 l99 lmax before after open_s stop; do
        echo "run $n: baseline $b50 $b99 $bmax / loaded $l50 $l99 $lmax;" \
            "held $before before, $after after; opened in $open_s s; stop $stop"
        n=$((n + 1))
    done <"$W/runs"
    echo
    echo "## median of $RUNS runs (range), ms"
    echo "                 p50                 p99                 max"
    echo "baseline   $(stat 1)   $(stat 2)   $(stat 3)"
    echo "loaded     $(stat 4)   $(stat 5)   $(stat 6)"
} | tee "$OUT"

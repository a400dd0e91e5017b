#!/bin/bash
# bench/big_petition.sh: the largest petition the UK ever had (6.1 million
# signatures), made bigger (issue 16, item 6): with BIG_ROWS (10,000,000)
# confirmed signatures stored beforehand on the open petition e-6512, on
# SQLite and on PostgreSQL:
#
#  - intake at 64 connections (bench/sign.lua, as bench/surge.sh signs)
#    against the same on an empty database (the demo data), the runs one
#    after the other in every round: the ratio big ÷ empty, the big
#    database's run taken once petitiond is idle after start-up (its
#    scheduler recounts every petition at start and hourly: `counts
#    check` in the background), and also stated for a run started as
#    soon as petitiond answers (during that recount);
#  - petitiond's RSS after start-up and after serving (the petition page
#    and the count endpoint, half a run each, then the intake run), and
#    its peak (VmHWM); on PostgreSQL the database server's own memory is
#    not petitiond's and is not counted;
#  - start-up: exec to the first 200 of GET /healthz (bench/startup.c), on
#    the big and on the empty database;
#  - `petitiond counts check` on the big database: how long the recount of
#    every signature takes, after the load and again after the runs (and
#    that it finds no drift).
#
# The load is set-up, not measured: bench/sqlite_baseline load (SQLite,
# transactions of 10,000, synchronous off) and bench/pg_baseline load
# (PostgreSQL, COPY, then VACUUM ANALYZE as autovacuum would), both moving
# the counts so that counts check finds no drift; its time and the
# database's size are stated.  The big database is loaded once per engine
# and signed into by every round (a few ten thousand rows more); the empty
# one is a fresh copy of the template each round.  The PostgreSQL server is
# the benchmark's own (bench/lib.sh, pg_start; its settings in the header),
# stopped at the end, also on failure.
#
#   make bench-big                          (builds, then runs this)
#   BUILD=build-bench bench/big_petition.sh (the build folder; default build)
#
# Settings from the environment: BIG_ROWS (10000000), DUR (seconds per wrk
# run, 8), ROUNDS (3), CONNS (64), ENGINES ("sqlite postgresql"), PG_POOL
# (petitiond's --db-pool on PostgreSQL, 8), OUT (the results file,
# bench/results/big-petition-DATE.txt), KEEP=1 keeps the work folder,
# BENCH_COMMIT (what the header names as the source instead of git's HEAD).
# Needs about 20 GB free under /tmp and, on 2 cores, about 25 minutes.
set -Eeu
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8
BUILD=${BUILD:-build}
BIG_ROWS=${BIG_ROWS:-10000000}
DUR=${DUR:-8}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64}
ENGINES=${ENGINES:-sqlite postgresql}
PG_POOL=${PG_POOL:-8}
THREADS=2
PETITION="e-6512"
PAGE=/en/petitions/$PETITION
COUNT=/api/v1/petitions/$PETITION/count

BIN=$BUILD/petitiond
BASELINE=$BUILD/bench/sqlite_baseline
PGBASE=$BUILD/bench/pg_baseline
STARTUP=$BUILD/bench/startup

BENCH=big
# shellcheck source=bench/lib.sh
. bench/lib.sh
install_missing
PATH=$PATH:/usr/sbin
make --no-print-directory BUILD="$BUILD" "$BIN" "$BASELINE" "$PGBASE" "$STARTUP" >/dev/null

# ---- work folder and clean-up -----------------------------------------------------------
W=$(mktemp -d /tmp/petitiond-big-XXXXXX)
SPID="" WPID=""
cleanup() {
    for p in $WPID $SPID; do kill "$p" 2>/dev/null || true; done
    for p in $WPID $SPID; do wait "$p" 2>/dev/null || true; done
    pg_stop
    if [ "${KEEP:-0}" = 1 ]; then echo "big: work folder kept: $W" >&2; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'echo "big: failed at line $LINENO (exit $?)" >&2' ERR
trap 'exit 130' INT TERM
mkdir -p bench/results
OUT=${OUT:-bench/results/big-petition-$(date +%Y-%m-%d).txt}
exec > >(tee "$OUT") 2>&1

secs_since() { awk -v ms=$(($(now_ms) - $1)) 'BEGIN {printf "%.1f", ms / 1000}'; }

# ---- the machine -----------------------------------------------------------------------
COMMIT=$(source_commit)
echo "# The biggest petition, bigger (issue 16, item 6): bench/big_petition.sh, $BIG_ROWS signatures on $PETITION"
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n): $(uname -srm); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo)"
echo "# commit $COMMIT; $BIN (release, -O2); petitiond default threads (one per core)"
echo "# $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2) -t$THREADS -c$CONNS, ${DUR} s per run; SQLite $(sqlite3 --version | cut -d' ' -f1)"
if has_engine postgresql; then
    pg_start "$W/pg"
    echo "#   petitiond --db-pool $PG_POOL"
fi
echo "# load generator and servers share the cores; figures: median of $ROUNDS (min–max)"

make_templates

# ---- helpers ---------------------------------------------------------------------------
# Signature rows of db $1 with an id above $2 (the index of the primary key:
# a count of the whole petition would read ten million rows).
rows_after() { q "$1" "SELECT count(*) FROM signatures WHERE id > $2"; }
max_id() { q "$1" "SELECT coalesce(max(id), 0) FROM signatures"; }
# petitiond's memory, MB: VmRSS or VmHWM ($1) of SPID.
mb() { awk -v f="$1:" '$1 == f {printf "%.1f", $2 / 1024}' "/proc/$SPID/status"; }
# Start petitiond on db $1 with bench/startup --keep: sets SPID, URL and
# START_MS (exec to the first 200) or exits with the log's end.
start_timed() {
    local db=$1 port line
    local opts=()
    [ "$ENGINE" = sqlite ] || opts=(--db-pool "$PG_POOL")
    port=$("$STARTUP" --free-port)
    line=$("$STARTUP" --keep "$port" "$BIN" serve --listen "127.0.0.1:$port" --db "$db" \
        --no-access-log --trusted-proxy 127.0.0.1 "${opts[@]}" 2>>"$W/serve.log" |
        grep '^startup_ms' || true)
    SPID=$(kv "$line" pid)
    if [ -z "$SPID" ] || ! kill -0 "$SPID" 2>/dev/null; then
        echo "big: petitiond did not start on $db; its log:" >&2
        tail -20 "$W/serve.log" >&2
        exit 1
    fi
    URL=http://127.0.0.1:$port
    START_MS=$(kv "$line" startup_ms)
}
# One intake run on db $1 at CONNS connections (round $2, slot $3): sets
# RATE, P50, P99 and EQ (acknowledged against stored); counts BAD_ACK.
sign_run() {
    local db=$1 r=$2 slot=$3 before line stored ok cut a b
    before=$(max_id "$db")
    line=$(BENCH_RUN="$$r${r}s$slot$P" BENCH_SLOT="$slot" BENCH_PETITION=$PETITION \
        wrk -t$THREADS -c"$CONNS" -d"${DUR}s" --timeout 10s -s bench/sign.lua "$URL" 2>>"$W/wrk.log" |
        grep '^BENCH' || echo "BENCH requests=0")
    # The writes in flight when wrk stopped.
    a=$(max_id "$db")
    for _ in $(seq 40); do
        sleep 0.25
        b=$(max_id "$db")
        [ "$a" = "$b" ] && break
        a=$b
    done
    stored=$(rows_after "$db" "$before")
    ok=$(kv "$line" ok)
    cut=$(($(kv "$line" sent) - $(kv "$line" requests)))
    RATE=$(per_s "$ok" "$(kv "$line" duration_us)")
    P50=$(ms "$(kv "$line" p50_us)")
    P99=$(ms "$(kv "$line" p99_us)")
    if [ "$stored" = "$ok" ]; then
        EQ=equal
    elif [ "$stored" -gt "$ok" ] && [ "$stored" -le $((ok + cut)) ]; then
        EQ="+$((stored - ok)) cut"
    else
        EQ="BUG $((stored - ok))"
        BAD_ACK=$((BAD_ACK + 1))
    fi
    EQ="$ok/$stored $EQ"
}
# Wait until petitiond (SPID) has used no CPU for a second, at most 2
# minutes; prints how long that took, in seconds.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SPID/stat"; }
wait_idle() {
    local t0 a b
    t0=$(now_ms)
    a=$(cpu_ticks)
    for _ in $(seq 120); do
        sleep 1
        b=$(cpu_ticks)
        [ $((b - a)) -le 2 ] && break
        a=$b
    done
    secs_since "$t0"
}
# `petitiond counts check` on db $1, timed: sets CHECK_S and CHECK (the verdict).
counts_check() {
    local t0
    t0=$(now_ms)
    if "$BIN" counts check --db "$1" >"$W/counts.out" 2>&1; then
        CHECK="no drift"
    else
        CHECK="DRIFT: $(tr '\n' ' ' <"$W/counts.out")"
        DRIFT=$((DRIFT + 1))
    fi
    CHECK_S=$(secs_since "$t0")
}

# ---- one engine ------------------------------------------------------------------------
big_engine() {
    local big t0 r empty slot rate_empty idle s0 s1 s2 hwm
    echo
    echo "## $ENAME: $BIG_ROWS signatures on $PETITION"
    big=$(fresh big)
    t0=$(now_ms)
    if [ "$ENGINE" = sqlite ]; then
        "$BASELINE" load "$big" "$BIG_ROWS" "$PETITION" >/dev/null
        sql "$big" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
        LOAD_S=$(secs_since "$t0")
        SIZE_MB=$(awk -v b="$(stat -c %s "$big")" 'BEGIN {printf "%.0f", b / 1048576}')
        HOW="bench/sqlite_baseline load: transactions of 10,000, synchronous off"
    else
        "$PGBASE" load "$big" "$BIG_ROWS" "$PETITION" >/dev/null
        psq "$big" "VACUUM (ANALYZE) signatures" >/dev/null
        psq "$big" "CHECKPOINT" >/dev/null
        LOAD_S=$(secs_since "$t0")
        SIZE_MB=$(pg_size_mb big)
        HOW="bench/pg_baseline load: COPY, transactions of 1,000,000, then VACUUM ANALYZE and CHECKPOINT"
    fi
    add "${P}load_s" "$LOAD_S"
    add "${P}size_mb" "$SIZE_MB"
    echo "# loaded in $LOAD_S s ($HOW); database $SIZE_MB MB; shown total $(q "$big" "SELECT signature_total FROM petitions WHERE id = $PETITION_ID")"
    counts_check "$big"
    add "${P}check_s" "$CHECK_S"
    echo "# counts check after the load: $CHECK_S s, $CHECK"
    echo "# each round: a fresh empty database (the demo data), started and signed; then the big one:"
    echo "#   'big 1st' signs as soon as it answers (while the scheduler's start-up counts check, which"
    echo "#   runs at start and hourly, recounts the ten million rows; OS cache as the last round left"
    echo "#   it), 'big' signs again once petitiond has been idle for a second (+N s: how long after the"
    echo "#   first run that was) and has served the page and the count endpoint ($HALF s each)."
    echo "#   start = exec to the first 200; RSS MB at the first 200, when idle, after the run; peak ="
    echo "#   VmHWM; sig/s = 303s per second; ack/stored = 303s / new rows; ratio = ÷ empty of the round"
    printf '%-5s %-6s %-7s %9s %9s %9s %9s %9s %8s %7s %7s %-22s %6s\n' round db data "start ms" "RSS start" \
        "idle" "after" "peak" "sig/s" "p50 ms" "p99 ms" "ack/stored" ratio
    for r in $(seq "$ROUNDS"); do
        # Three runs a round, each with client addresses of its own (sign.lua's slots).
        slot=$(((r - 1) * 3))
        # The empty database.
        empty=$(fresh empty)
        start_timed "$empty"
        add "${P}start_empty" "$START_MS"
        s0=$(mb VmRSS)
        sleep 1
        s1=$(mb VmRSS)
        sign_run "$empty" "$r" "$slot"
        rate_empty=$RATE
        add "${P}rate_empty" "$RATE"
        add "${P}p99_empty" "$P99"
        printf '%-5s %-6s %-7s %9s %9s %9s %9s %9s %8s %7s %7s %-22s %6s\n' "$r" "$DBL" empty "$START_MS" \
            "$s0" "$s1" "$(mb VmRSS)" "$(mb VmHWM)" "$RATE" "$P50" "$P99" "$EQ" "-"
        stop_server
        drop empty
        # The big one: signing at once (the start-up recount running), then
        # again once petitiond is idle, after the page views.
        start_timed "$big"
        add "${P}start_big" "$START_MS"
        s0=$(mb VmRSS)
        sign_run "$big" "$r" $((slot + 1))
        add "${P}rate_first" "$RATE"
        add "${P}ratio_first" "$(div "$RATE" "$rate_empty")"
        printf '%-5s %-6s %-7s %9s %9s %9s %9s %9s %8s %7s %7s %-22s %6s\n' "$r" "$DBL" "big 1st" "$START_MS" \
            "$s0" "-" "$(mb VmRSS)" "$(mb VmHWM)" "$RATE" "$P50" "$P99" "$EQ" "$(div "$RATE" "$rate_empty")"
        idle=$(wait_idle)
        add "${P}recount_s" "$idle"
        s1=$(mb VmRSS)
        wrk -t$THREADS -c"$CONNS" -d"${HALF}s" "$URL$PAGE" >/dev/null 2>&1
        wrk -t$THREADS -c"$CONNS" -d"${HALF}s" "$URL$COUNT" >/dev/null 2>&1
        sign_run "$big" "$r" $((slot + 2))
        sleep 0.5
        s2=$(mb VmRSS)
        hwm=$(mb VmHWM)
        add "${P}rss_start" "$s0"
        add "${P}rss_served" "$s2"
        add "${P}rss_peak" "$hwm"
        add "${P}rate_big" "$RATE"
        add "${P}p99_big" "$P99"
        add "${P}ratio" "$(div "$RATE" "$rate_empty")"
        printf '%-5s %-6s %-7s %9s %9s %9s %9s %9s %8s %7s %7s %-22s %6s\n' "$r" "$DBL" big "+$idle s" \
            "-" "$s1" "$s2" "$hwm" "$RATE" "$P50" "$P99" "$EQ" "$(div "$RATE" "$rate_empty")"
        stop_server
    done
    counts_check "$big"
    add "${P}check_s" "$CHECK_S"
    echo "# counts check after the runs: $CHECK_S s, $CHECK"
    echo "# median (min–max) of $ROUNDS rounds:"
    printf '  intake, %s conns: empty %s sig/s (p99 %s ms), big %s sig/s (p99 %s ms); big ÷ empty %s\n' \
        "$CONNS" "$(fig %.0f "${P}rate_empty")" "$(fig %.1f "${P}p99_empty")" "$(fig %.0f "${P}rate_big")" \
        "$(fig %.1f "${P}p99_big")" "$(fig %.2f "${P}ratio")"
    printf '  big, first run after start-up: %s sig/s, ÷ empty %s; idle %s s after it\n' \
        "$(fig %.0f "${P}rate_first")" "$(fig %.2f "${P}ratio_first")" "$(fig %.1f "${P}recount_s")"
    printf '  start-up: empty %s ms, big %s ms; RSS big: start %s MB, served %s MB, peak %s MB\n' \
        "$(fig %.1f "${P}start_empty")" "$(fig %.1f "${P}start_big")" "$(fig %.1f "${P}rss_start")" \
        "$(fig %.1f "${P}rss_served")" "$(fig %.1f "${P}rss_peak")"
    drop big
}

# ---- summary ---------------------------------------------------------------------------------
pad() { printf '%s%*s' "$1" $(($2 > ${#1} ? $2 - ${#1} : 0)) ''; }
row() { printf '%s %s %s %s %s\n' "$(pad "$1" 40)" "$(pad "$2" 22)" "$(pad "$3" 40)" "$(pad "$4" 20)" "$5"; }
met() { if awk -v v="$1" -v t="$3" "BEGIN {exit !(v $2 t)}"; then echo met; else echo MISSED; fi; }
summary() {
    local e
    echo
    echo "## summary: issue 16, item 6 ($BIG_ROWS signatures; 2 cores, load generator sharing them);"
    echo "##   median (min–max)"
    row figure target measured "ratio (same run)" result
    for e in $ENGINES; do
        use_engine "$e"
        row "$ENAME: intake, $CONNS conns, big" "≥ 0.8 × empty db" "$(fig %.0f "${P}rate_big") sig/s" \
            "$(fig %.2f "${P}ratio")" "$(met "$(medv "${P}ratio")" '>=' 0.8)"
        row "  intake, $CONNS conns, empty database" "(the baseline)" "$(fig %.0f "${P}rate_empty") sig/s" "-" "-"
        row "  big, first run after start-up" "-" "$(fig %.0f "${P}rate_first") sig/s" \
            "$(fig %.2f "${P}ratio_first")" "-"
        row "$ENAME: petitiond RSS, big" "< 100 MB (peak)" \
            "served $(fig %.1f "${P}rss_served") MB, peak $(medv "${P}rss_peak") MB" "-" \
            "$(met "$(maxof ${V[${P}rss_peak]})" '<' 100)"
        row "$ENAME: start-up, big" "< 200 ms" "$(fig %.1f "${P}start_big") ms" \
            "$(div "$(medv "${P}start_big")" "$(medv "${P}start_empty")") × empty" \
            "$(met "$(medv "${P}start_big")" '<' 200)"
        row "$ENAME: counts check, big (load, runs)" "(stated)" "$(echo ${V[${P}check_s]} | sed 's/ / s, /') s" "-" "-"
        row "$ENAME: database size; load (set-up)" "-" "$(medv "${P}size_mb") MB; $(medv "${P}load_s") s" "-" "-"
    done
    row "acknowledged = stored (every run)" "equal" \
        "$([ "$BAD_ACK" = 0 ] && echo "every run" || echo "$BAD_ACK run(s) differ")" "-" \
        "$([ "$BAD_ACK" = 0 ] && echo met || echo MISSED)"
    row "counts check (after load and runs)" "no drift" \
        "$([ "$DRIFT" = 0 ] && echo "no drift" || echo "$DRIFT check(s) drifted")" "-" \
        "$([ "$DRIFT" = 0 ] && echo met || echo MISSED)"
}

BAD_ACK=0
DRIFT=0
HALF=$((DUR > 1 ? DUR / 2 : 1))
for e in $ENGINES; do
    use_engine "$e"
    big_engine
done
summary
echo
echo "# written to $OUT"

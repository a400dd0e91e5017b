#!/bin/bash
# bench/surge.sh: the surge benchmarks (issue 6, item 4), each against a
# baseline measured in the same run, on the same machine:
#
#  (a) signature intake: wrk POSTs valid signatures (bench/sign.lua: unique
#      e-mails, provinces and territories mixed, one client address each) to
#      the open petition e-6512 at 64 and 256 connections, then confirms them
#      (bench/confirm.lua, links made by bench/tokens.c): signatures/s,
#      p50/p99 latency, and acknowledged (303) = stored (new rows);
#  (b) raw SQLite (bench/sqlite_baseline.c): the same rows, same schema and
#      settings, one prepared INSERT in transactions of 100, alone and with
#      the confirmation e-mail's outbox row; intake / baseline per round;
#  (c) page views: wrk on the petition page and the count endpoint, and
#      nginx (Debian's, started here on 127.0.0.1) serving the same bytes as
#      static files; how soon a confirmed signature shows in the counts;
#  (d) memory and start-up with 1,000,000 signatures on one petition.
#
# (a) and (c) run on SQLite and on PostgreSQL (issue 16, item 6), one engine
# after the other in every round.  On PostgreSQL the baseline of (b) is
# bench/pg_baseline.c: the server's signature INSERT, pipelined in
# transactions of 100 and of 1,000, from 1 and from 8 connections; the
# best of the four is the round's ceiling, and intake on PostgreSQL is
# compared with it and with intake on SQLite in the same round.  The
# PostgreSQL server is the benchmark's own (bench/lib.sh, pg_start: a Unix
# socket in the work folder, fsync and synchronous_commit on, the sizes in
# the header), stopped at the end, also on failure.  In (c) both engines'
# servers run side by side and each page is asked of SQLite's, of
# PostgreSQL's, then of nginx, one after the other.
#
# Three rounds of each (every round has its own baseline); the tables give
# each run, then the median and the range (min–max).  Release build, e-mail
# left in the outbox, wrk -t2 sharing the cores with the server.  The whole
# output goes to bench/results/surge-DATE.txt.  About 16 minutes with both
# engines, 8 with SQLite alone.
#
#   make bench                       (builds, then runs this)
#   BUILD=build-bench bench/surge.sh (the build folder to use; default build)
#
# Settings from the environment: DUR (seconds per wrk run, 8), ROUNDS (3),
# SIGN_CONNS ("64 256"), PAGE_CONNS ("64 256"), BASE_ROWS (200000),
# PG_BASE_ROWS (rows of each PostgreSQL baseline, 100000), ENGINES ("sqlite
# postgresql": the engines of (a) and (c)), PG_POOL (petitiond's --db-pool
# on PostgreSQL, 8), LOAD_ROWS (1000000), PARTS (acd: which of (a)+(b),
# (c), (d) to run), OUT (the results file), KEEP=1 keeps the work folder,
# BENCH_COMMIT (what the header names as the source instead of git's HEAD),
# OVERLOAD=0 skips bench/overload.sh (run at the end when it exists; it
# writes its own bench/results/overload-DATE.txt).  Needs wrk, nginx,
# sqlite3 and curl; installs the missing ones (Debian); PostgreSQL 15
# (postgresql-15, make deps) when ENGINES has it.
set -Eeu
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8 # numbers with '.', and ${#s} counts characters (tables)
BUILD=${BUILD:-build}
DUR=${DUR:-8}
ROUNDS=${ROUNDS:-3}
SIGN_CONNS=${SIGN_CONNS:-64 256}
PAGE_CONNS=${PAGE_CONNS:-64 256}
BASE_ROWS=${BASE_ROWS:-200000}
PG_BASE_ROWS=${PG_BASE_ROWS:-100000}
ENGINES=${ENGINES:-sqlite postgresql}
PG_POOL=${PG_POOL:-8}
LOAD_ROWS=${LOAD_ROWS:-1000000}
PARTS=${PARTS:-acd}
THREADS=2
PETITION="e-6512"
PAGE=/en/petitions/$PETITION
COUNT=/api/v1/petitions/$PETITION/count
has() { case $PARTS in *"$1"*) return 0 ;; esac; return 1; }

BIN=$BUILD/petitiond
TOKENS=$BUILD/bench/tokens
BASELINE=$BUILD/bench/sqlite_baseline
PGBASE=$BUILD/bench/pg_baseline
STARTUP=$BUILD/bench/startup

BENCH=surge
# shellcheck source=bench/lib.sh
. bench/lib.sh
install_missing
PATH=$PATH:/usr/sbin
make --no-print-directory BUILD="$BUILD" "$BIN" "$TOKENS" "$BASELINE" "$PGBASE" "$STARTUP" >/dev/null

# ---- work folder and clean-up -----------------------------------------------------------
W=$(mktemp -d /tmp/petitiond-surge-XXXXXX)
SPID="" NPID="" WPID="" SAMPLER="" SPIDS=""
cleanup() {
    for p in $SAMPLER $WPID $SPID $SPIDS $NPID; do kill "$p" 2>/dev/null || true; done
    for p in $SAMPLER $WPID $SPID $SPIDS $NPID; do wait "$p" 2>/dev/null || true; done
    pg_stop
    if [ "${KEEP:-0}" = 1 ]; then echo "surge: work folder kept: $W" >&2; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'echo "surge: failed at line $LINENO (exit $?)" >&2' ERR
trap 'exit 130' INT TERM
mkdir -p bench/results
OUT=${OUT:-bench/results/surge-$(date +%Y-%m-%d).txt}
exec > >(tee "$OUT") 2>&1

# ---- helpers -------------------------------------------------------------------------
# (bench/lib.sh: sql, now_ms, kv, fig3, med, maxof, div, per_s, ms, V with add, fig and
# medv, start_server, stop_server, wrk_get, wrk_errors, pg_start, pg_stop, pg_uri, psq,
# pg_fresh, pg_drop, the engines' make_templates, use_engine, fresh, drop, q and
# has_engine, start_nginx, stop_nginx.)

# wrk with a Lua script: the BENCH line (stderr to the log).
wrk_run() {
    local conns=$1 script=$2 url=$3
    wrk -t$THREADS -c"$conns" -d"${DUR}s" --timeout 10s -s "$script" "$url" 2>>"$W/wrk.log" |
        grep '^BENCH' || echo "BENCH requests=0"
}
# Signature rows of the petition in db $1 (and pending, confirmed, total).
rows() { q "$1" "SELECT count(*) FROM signatures WHERE petition_id = $PETITION_ID"; }
pending() { q "$1" "SELECT count(*) FROM signatures WHERE petition_id = $PETITION_ID AND confirmed_at IS NULL"; }
confirmed() { q "$1" "SELECT count(*) FROM signatures WHERE petition_id = $PETITION_ID AND confirmed_at IS NOT NULL"; }
db_total() { q "$1" "SELECT signature_total FROM petitions WHERE id = $PETITION_ID"; }
# While a wrk run lasts: "ms value" of query $2 on db $1 every second, into
# file $3 (SAMPLER is its pid; stop it with stop_sampler).  The slowest
# second shows a stall that the latency percentiles of wrk cannot: requests
# still waiting when wrk stops are in no percentile.
start_sampler() {
    : >"$3"
    # Killed in the middle of a query, the loop is no failure of the script.
    (
        trap - ERR
        while :; do
            echo "$(now_ms) $(q "$1" "$2")" >>"$3"
            sleep 1
        done
    ) &
    SAMPLER=$!
}
stop_sampler() {
    kill "$SAMPLER" 2>/dev/null || true
    wait "$SAMPLER" 2>/dev/null || true
    SAMPLER=""
}
# The lowest rate per second between consecutive samples of file $1, from
# the second interval on (the first holds wrk's start: threads, Lua init).
slowest() {
    awk 'NR > 2 && $1 > p {r = ($2 - v) * 1000 / ($1 - p); if (m == "" || r < m) m = r}
         {p = $1; v = $2} END {printf "%.0f", (m == "" ? 0 : m)}' "$1"
}
# Wait until f db stops changing (the writes in flight when wrk stopped).
settle() {
    local a b
    a=$($1 "$2")
    for _ in $(seq 40); do
        sleep 0.25
        b=$($1 "$2")
        [ "$a" = "$b" ] && break
        a=$b
    done
}
api_total() { curl -s "$URL/api/v1/petitions/$PETITION/count" | grep -o '"total":[0-9]*' | cut -d: -f2; }
page_total() { curl -s "$URL/en/petitions/$PETITION" | grep -o 'id="signature-total"[^>]*>[^<]*' | sed 's/.*>//; s/[^0-9]//g'; }

# One person signs (curl) and confirms; prints "api_lag_ms page_lag_ms
# confirm_ms": how long after the confirmation's 200 (its commit) a request
# to the count endpoint and to the petition page sees the new total.  $1: database, $2: a
# number no other probe of the run has (it runs in a subshell: $(probe)).
PROBES=0
probe() {
    local db=$1 n=$2 email ip code id tok before t0 t1 now api="" page="" a p
    email="probe$$n$n@example.ca"
    ip="10.251.$((n / 250)).$((n % 250 + 1))"
    code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Forwarded-For: $ip" \
        --data "first_name=Pro&last_name=Be&email=${email/@/%40}&country=Canada&province=ON&postal_code=K1A+0A6&phone=613-555-0100&eligible=1&terms=1" \
        "$URL/en/petitions/$PETITION/sign")
    id=$(q "$db" "SELECT id FROM signatures WHERE email = '$email'")
    [ "$code" = 303 ] && [ -n "$id" ] || { echo "- - -"; return; }
    tok=$("$TOKENS" "$db" "$PETITION" "$id" | head -1 | cut -d' ' -f2)
    # Start from shown = stored.
    for _ in $(seq 200); do
        before=$(db_total "$db")
        [ "$(api_total)" = "$before" ] && [ "$(page_total)" = "$before" ] && break
        sleep 0.05
    done
    t0=$(now_ms)
    code=$(curl -s -o /dev/null -w '%{http_code}' --data "t=$tok" "$URL/en/signatures/$id")
    t1=$(now_ms)
    [ "$code" = 200 ] || { echo "- - -"; return; }
    # A lag is from the 200 to the start of the first request that saw it.
    while :; do
        now=$(now_ms)
        [ -z "$api" ] && a=$(api_total) && [ "${a:-0}" -gt "$before" ] && api=$((now - t1))
        now=$(now_ms)
        [ -z "$page" ] && p=$(page_total) && [ "${p:-0}" -gt "$before" ] && page=$((now - t1))
        [ -n "$api" ] && [ -n "$page" ] && break
        [ $((now - t1)) -gt 10000 ] && break
        sleep 0.01
    done
    echo "${api:-10000} ${page:-10000} $((t1 - t0))"
}

# ---- the machine -----------------------------------------------------------------------
COMMIT=$(source_commit)
echo "# Surge benchmarks (issue 6, item 4): bench/surge.sh, $ROUNDS rounds, each with its baseline"
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n): $(uname -srm); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# commit $COMMIT; $BIN (release, -O2); petitiond default threads (one per core)"
echo "# $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2) -t$THREADS, ${DUR} s per run; $(nginx -v 2>&1 | sed 's/.*: //'); SQLite $(sqlite3 --version | cut -d' ' -f1); libmicrohttpd $(pkg-config --modversion libmicrohttpd 2>/dev/null || echo '?')"
if has_engine postgresql && { has a || has c; }; then
    pg_start "$W/pg"
    echo "#   petitiond --db-pool $PG_POOL"
fi
echo "# load generator and servers share the cores; figures: median of $ROUNDS (min–max)"

# The databases with the demo petitions, copied for every server and baseline
# (on PostgreSQL: the template database tmpl).
make_templates

# ---- (a) and (b): intake and the raw baseline ---------------------------------------------
# (b) on the current engine: this round's baselines, each on a fresh copy of
# the template.  Sets BROWS (the rows' ceiling: SQLite's rows; on PostgreSQL
# the best of its four), BOUT (the same with the outbox rows) and, on
# PostgreSQL, BMULTI (multi-row INSERTs).
baselines() {
    local r=$1 line db best=0 c b v
    if [ "$ENGINE" = sqlite ]; then
        db=$(fresh base)
        line=$("$BASELINE" rows "$db" "$BASE_ROWS" "$PETITION")
        BROWS=$(kv "$line" rows_per_s)
        add base_rows "$BROWS"
        add base_rows_p99 "$(kv "$line" commit_p99_ms)"
        printf '%-5s %-6s %-10s %5s %8s %8s %7s %7s %8s\n' "$r" sqlite rows 1 "$BROWS" "-" "-" \
            "$(kv "$line" commit_p99_ms)" "$(kv "$line" commit_max_ms)"
        drop base
        db=$(fresh base)
        line=$("$BASELINE" outbox "$db" "$BASE_ROWS" "$PETITION")
        BOUT=$(kv "$line" rows_per_s)
        add base_outbox "$BOUT"
        add base_outbox_p99 "$(kv "$line" commit_p99_ms)"
        printf '%-5s %-6s %-10s %5s %8s %8s %7s %7s %8s\n' "$r" sqlite "+outbox" 1 "$BOUT" "-" "-" \
            "$(kv "$line" commit_p99_ms)" "$(kv "$line" commit_max_ms)"
        drop base
        return
    fi
    for c in 1 8; do
        for b in 100 1000; do
            db=$(fresh base)
            line=$("$PGBASE" -b "$b" -c "$c" rows "$db" "$PG_BASE_ROWS" "$PETITION")
            v=$(kv "$line" rows_per_s)
            best=$(maxof "$best" "$v")
            add "pg_base_c${c}_b$b" "$v"
            add "pg_base_c${c}_b${b}_p99" "$(kv "$line" txn_p99_ms)"
            printf '%-5s %-6s %-10s %5s %8s %8s %7s %7s %8s\n' "$r" pg "rows/$b" "$c" "$v" "-" "-" \
                "$(kv "$line" txn_p99_ms)" "$(kv "$line" txn_max_ms)"
            drop base
        done
    done
    BROWS=$best
    add pg_base_ceiling "$BROWS"
    # The store's way: one statement at a time, each answer awaited (not in
    # the ceiling; a quarter of the rows).
    db=$(fresh base)
    line=$("$PGBASE" -s -b 100 -c 1 rows "$db" $((PG_BASE_ROWS / 4)) "$PETITION")
    add pg_base_sync "$(kv "$line" rows_per_s)"
    printf '%-5s %-6s %-10s %5s %8s %8s %7s %7s %8s\n' "$r" pg "1by1/100" 1 "$(kv "$line" rows_per_s)" "-" "-" \
        "$(kv "$line" txn_p99_ms)" "$(kv "$line" txn_max_ms)"
    drop base
    # The same rows as one multi-row INSERT per transaction (not in the ceiling).
    db=$(fresh base)
    line=$("$PGBASE" -m -b 1000 -c 8 rows "$db" "$PG_BASE_ROWS" "$PETITION")
    BMULTI=$(kv "$line" rows_per_s)
    add pg_base_multi "$BMULTI"
    printf '%-5s %-6s %-10s %5s %8s %8s %7s %7s %8s\n' "$r" pg "multi/1000" 8 "$(kv "$line" rows_per_s)" "-" "-" \
        "$(kv "$line" txn_p99_ms)" "$(kv "$line" txn_max_ms)"
    drop base
    db=$(fresh base)
    line=$("$PGBASE" -b 100 -c 8 outbox "$db" "$PG_BASE_ROWS" "$PETITION")
    BOUT=$(kv "$line" rows_per_s)
    add pg_base_outbox "$BOUT"
    add pg_base_outbox_p99 "$(kv "$line" txn_p99_ms)"
    printf '%-5s %-6s %-10s %5s %8s %8s %7s %7s %8s\n' "$r" pg "+out/100" 8 "$BOUT" "-" "-" \
        "$(kv "$line" txn_p99_ms)" "$(kv "$line" txn_max_ms)"
    drop base
}

# More pending signatures in db $1 ($2 of them), written directly.
add_pending() {
    if [ "$ENGINE" = sqlite ]; then
        "$BASELINE" pending "$1" "$2" "$PETITION" >/dev/null
    else
        "$PGBASE" pending "$1" "$2" "$PETITION" >/dev/null
    fi
}

# (a) on the current engine: a fresh server signs at each concurrency, then
# confirms.  LAST[name] keeps this round's rates for the engines' ratio.
declare -A LAST
serve_round() {
    local r=$1 db k c line before stored ok rate cut eq p50 p99 slow most want have tbefore grew
    local opts=()
    [ "$ENGINE" = sqlite ] || opts=(--db-pool "$PG_POOL")
    db=$(fresh intake)
    start_server "$db" "$W/intake.log" "${opts[@]}"
    k=0
    for c in $SIGN_CONNS; do
        before=$(rows "$db")
        start_sampler "$db" "SELECT max(id) FROM signatures" "$W/samples.$r.$ENGINE.sign$c"
        cpu0=$(cpu_snap)
        line=$(BENCH_RUN="$$r${r}c$c$P" BENCH_SLOT=$(((r - 1) * 2 + k)) BENCH_PETITION=$PETITION \
            wrk_run "$c" bench/sign.lua "$URL")
        cpu1=$(cpu_snap)
        stop_sampler
        settle rows "$db"
        stored=$(($(rows "$db") - before))
        ok=$(kv "$line" ok)
        rate=$(per_s "$ok" "$(kv "$line" duration_us)")
        cut=$(($(kv "$line" sent) - $(kv "$line" requests)))
        # Every 303 must be a stored row; rows beyond them can only be
        # requests wrk sent but stopped waiting for.
        if [ "$stored" = "$ok" ]; then
            eq=equal
        elif [ "$stored" -gt "$ok" ] && [ "$stored" -le $((ok + cut)) ]; then
            eq="+$((stored - ok)) cut"
        else
            eq="BUG $((stored - ok))"
            BAD_ACK=$((BAD_ACK + 1))
        fi
        p50=$(ms "$(kv "$line" p50_us)")
        p99=$(ms "$(kv "$line" p99_us)")
        slow=$(slowest "$W/samples.$r.$ENGINE.sign$c")
        read -r cs cd cr ci <<<"$(cpu_per_sig "$cpu0" "$cpu1" "$ok")"
        add "${P}sign${c}_cpu_server" "$cs"
        add "${P}sign${c}_cpu_db" "$cd"
        add "${P}sign${c}_cpu_rest" "$cr"
        add "${P}sign${c}_idle" "$ci"
        printf '%-5s %-6s %5s %8s %8s %8s %8s %6s\n' "$r" "$DBL" "$c" "$cs" "$cd" "$cr" \
            $((cs + cd + cr)) "$ci" >>"$W/cpu.txt"
        LAST[${P}sign$c]=$rate
        add "${P}sign${c}_slow" "$slow"
        add "${P}sign${c}_rate" "$rate"
        add "${P}sign${c}_p50" "$p50"
        add "${P}sign${c}_p99" "$p99"
        add "${P}sign${c}_503" "$(kv "$line" s503)"
        add "${P}sign${c}_ratio" "$(div "$rate" "$BROWS")"
        add "${P}sign${c}_ratio_out" "$(div "$rate" "$BOUT")"
        [ "$ENGINE" = sqlite ] || add "${P}sign${c}_ratio_multi" "$(div "$rate" "$BMULTI")"
        printf '%-5s %-6s %-10s %5s %8s %8s %7s %7s %8s %8s %5s %5s %8s %4s %-10s %6s %6s\n' "$r" \
            "$DBL" sign "$c" "$rate" "$slow" "$p50" "$p99" "$(ms "$(kv "$line" max_us)")" "$ok" \
            "$(kv "$line" s503)" "$(kv "$line" other)" "$stored" "$cut" "$eq" \
            "$(div "$rate" "$BROWS")" "$(div "$rate" "$BOUT")"
        k=$((k + 1))
    done
    most=0
    for c in $SIGN_CONNS; do
        # shellcheck disable=SC2086
        most=$(maxof $most ${V[${P}sign${c}_rate]})
    done
    for c in $SIGN_CONNS; do
        # Enough pending signatures that no wrk thread runs dry: top up
        # with rows written directly (their links work all the same).
        want=$(((most * DUR * 3) / 2 + 5000))
        have=$(pending "$db")
        if [ "$have" -lt "$want" ]; then
            add_pending "$db" $((want - have))
        fi
        "$TOKENS" "$db" "$PETITION" >"$W/tokens.txt"
        before=$(confirmed "$db")
        tbefore=$(db_total "$db")
        start_sampler "$db" "SELECT signature_total FROM petitions WHERE id = $PETITION_ID" \
            "$W/samples.$r.$ENGINE.confirm$c"
        line=$(BENCH_TOKENS="$W/tokens.txt" BENCH_THREADS=$THREADS wrk_run "$c" bench/confirm.lua "$URL")
        stop_sampler
        settle confirmed "$db"
        stored=$(($(confirmed "$db") - before))
        grew=$(($(db_total "$db") - tbefore))
        ok=$(kv "$line" ok)
        rate=$(per_s "$ok" "$(kv "$line" duration_us)")
        cut=$(($(kv "$line" sent) - $(kv "$line" requests)))
        if [ "$stored" = "$ok" ] && [ "$grew" = "$stored" ]; then
            eq=equal
        elif [ "$stored" -ge "$ok" ] && [ "$stored" -le $((ok + cut)) ] && [ "$grew" = "$stored" ]; then
            eq="+$((stored - ok)) cut"
        else
            eq="BUG $((stored - ok))/$((grew - stored))"
            BAD_ACK=$((BAD_ACK + 1))
        fi
        [ "$(kv "$line" exhausted)" = 0 ] || eq="$eq, DRY $(kv "$line" exhausted)"
        p50=$(ms "$(kv "$line" p50_us)")
        p99=$(ms "$(kv "$line" p99_us)")
        slow=$(slowest "$W/samples.$r.$ENGINE.confirm$c")
        LAST[${P}confirm$c]=$rate
        add "${P}confirm${c}_slow" "$slow"
        add "${P}confirm${c}_rate" "$rate"
        add "${P}confirm${c}_p50" "$p50"
        add "${P}confirm${c}_p99" "$p99"
        add "${P}confirm${c}_ratio" "$(div "$rate" "$BROWS")"
        printf '%-5s %-6s %-10s %5s %8s %8s %7s %7s %8s %8s %5s %5s %8s %4s %-10s %6s\n' "$r" \
            "$DBL" confirm "$c" "$rate" "$slow" "$p50" "$p99" "$(ms "$(kv "$line" max_us)")" "$ok" \
            "$(kv "$line" s503)" "$(kv "$line" other)" "$stored" "$cut" "$eq" \
            "$(div "$rate" "$BROWS")"
    done
    stop_server
    # Shown counts against the rows, after everything the round did.
    if ! "$BIN" counts check --db "$db" >"$W/counts.out" 2>&1; then
        DRIFT=$((DRIFT + 1))
        echo "round $r: $ENAME: counts check: $(tr '\n' ' ' <"$W/counts.out")"
    fi
    drop intake
}

# (a) and (b): in every round, on each engine, its baselines then a fresh server.
intake() {
    local r e c
    : >"$W/cpu.txt"
    echo
    echo "## (a) signature intake and (b) the raw baselines, on $(echo "$ENGINES" | sed 's/sqlite/SQLite/; s/postgresql/PostgreSQL/; s/ / and /')"
    echo "# db: sqlite or pg (PostgreSQL); every run on a fresh copy of the template database"
    if has_engine sqlite; then
        echo "# SQLite baseline (bench/sqlite_baseline): $BASE_ROWS rows, transactions of 100, the server's"
        echo "#   pragmas; 'rows' = signature rows only, '+outbox' = with the confirmation e-mail's outbox row;"
        echo "#   p99/max = of COMMIT"
    fi
    if has_engine postgresql; then
        echo "# PostgreSQL baseline (bench/pg_baseline): $PG_BASE_ROWS rows, the server's INSERT pipelined in"
        echo "#   transactions of 100 or 1,000 ('rows/100', 'rows/1000') from 1 or 8 connections (conns),"
        echo "#   synchronous_commit on; '+out/100' = with the outbox row; p99/max = of a whole transaction;"
        echo "#   the round's ceiling = the best of the four 'rows' runs; '1by1/100' = the same INSERT"
        echo "#   one at a time, each answer awaited, as the store sends statements ($((PG_BASE_ROWS / 4)) rows);"
        echo "#   'multi/1000' = the same rows as one multi-row INSERT per transaction of 1,000; neither is"
        echo "#   in the ceiling"
    fi
    echo "# intake: wrk POST /{en,fr}/petitions/$PETITION/sign, a fresh server per round and engine;"
    echo "#   sig/s = 303s per second; ack = 303s, stored = new rows; cut = sent but unanswered when wrk"
    echo "#   stopped (a cut request may still be stored: '+N cut'); /rows = ÷ this round's baseline rows"
    echo "#   (on PostgreSQL its ceiling), /+out = ÷ its rows with the outbox"
    echo "# confirm: wrk POST /en/signatures/ID t=TOKEN, each pending signature once; ok = 303s (Post/Redirect/Get),"
    echo "#   stored = newly confirmed rows, and petitions.signature_total must grow by as many"
    echo "# slow 1 s = the lowest rate over one second of the run (rows / confirmations; a stall);"
    echo "#   max ms = the slowest answer wrk saw (baseline: the slowest COMMIT or transaction)"
    printf '%-5s %-6s %-10s %5s %8s %8s %7s %7s %8s %8s %5s %5s %8s %4s %-10s %6s %6s\n' \
        round db what conns "rate/s" "slow 1 s" "p50 ms" "p99 ms" "max ms" ack 503 other stored cut \
        "ack=stored" "/rows" "/+out"
    for r in $(seq "$ROUNDS"); do
        for e in $ENGINES; do
            use_engine "$e"
            baselines "$r"
            serve_round "$r"
        done
        if has_engine sqlite && has_engine postgresql; then
            for c in $SIGN_CONNS; do
                add "pg_sign${c}_vs_sqlite" "$(div "${LAST[pg_sign$c]}" "${LAST[sign$c]}")"
                add "pg_confirm${c}_vs_sqlite" "$(div "${LAST[pg_confirm$c]}" "${LAST[confirm$c]}")"
            done
        fi
    done
    echo "# median (min–max) of $ROUNDS rounds:"
    if has_engine sqlite; then
        printf '  SQLite baseline rows/s:   rows only %s, commit p99 %s ms\n' "$(fig %.0f base_rows)" "$(fig %.1f base_rows_p99)"
        printf '                            +outbox   %s, commit p99 %s ms\n' "$(fig %.0f base_outbox)" "$(fig %.1f base_outbox_p99)"
    fi
    if has_engine postgresql; then
        for c in 1 8; do
            for b in 100 1000; do
                printf '  PostgreSQL baseline rows/s, %s conn(s) × %4s rows: %s, transaction p99 %s ms\n' "$c" "$b" \
                    "$(fig %.0f "pg_base_c${c}_b$b")" "$(fig %.1f "pg_base_c${c}_b${b}_p99")"
            done
        done
        printf '  PostgreSQL ceiling (best of the four): %s rows/s; +outbox (8 × 100) %s, p99 %s ms\n' \
            "$(fig %.0f pg_base_ceiling)" "$(fig %.0f pg_base_outbox)" "$(fig %.1f pg_base_outbox_p99)"
        printf '  PostgreSQL, one statement at a time (1 × 100): %s rows/s; multi-row INSERTs (8 × 1000): %s rows/s\n' \
            "$(fig %.0f pg_base_sync)" "$(fig %.0f pg_base_multi)"
    fi
    for e in $ENGINES; do
        use_engine "$e"
        for c in $SIGN_CONNS; do
            printf '  %-10s sign, %3s conns:    %s sig/s (slowest second %s), p50 %s ms, p99 %s ms;\n' "$ENAME" "$c" \
                "$(fig %.0f "${P}sign${c}_rate")" "$(fig %.0f "${P}sign${c}_slow")" "$(fig %.1f "${P}sign${c}_p50")" \
                "$(fig %.1f "${P}sign${c}_p99")"
            printf '                                   / rows %s, / +outbox %s\n' \
                "$(fig %.2f "${P}sign${c}_ratio")" "$(fig %.2f "${P}sign${c}_ratio_out")"
        done
        for c in $SIGN_CONNS; do
            printf '  %-10s confirm, %3s conns: %s /s (slowest second %s), p50 %s ms, p99 %s ms; / rows %s\n' \
                "$ENAME" "$c" "$(fig %.0f "${P}confirm${c}_rate")" "$(fig %.0f "${P}confirm${c}_slow")" \
                "$(fig %.1f "${P}confirm${c}_p50")" "$(fig %.1f "${P}confirm${c}_p99")" \
                "$(fig %.2f "${P}confirm${c}_ratio")"
        done
    done
    if has_engine sqlite && has_engine postgresql; then
        for c in $SIGN_CONNS; do
            printf '  PostgreSQL ÷ SQLite, %3s conns: intake %s, confirmations %s\n' "$c" \
                "$(fig %.2f "pg_sign${c}_vs_sqlite")" "$(fig %.2f "pg_confirm${c}_vs_sqlite")"
        done
    fi
    echo "# CPU per acknowledged signature during each intake run, in microseconds: the server"
    echo "#   process (on SQLite the database runs inside it), the database (PostgreSQL: the cluster's"
    echo "#   postmaster and its processes), the rest of the machine (the load generator above all),"
    echo "#   their sum; idle% = how much of the two cores stayed idle (0: CPU-bound)"
    printf '%-5s %-6s %5s %8s %8s %8s %8s %6s\n' round db conns server database rest total idle%
    cat "$W/cpu.txt"
    for e in $ENGINES; do
        use_engine "$e"
        for c in $SIGN_CONNS; do
            printf '  %-10s sign, %3s conns: CPU per signature: server %s µs, database %s µs, rest %s µs; idle %s%%\n' \
                "$ENAME" "$c" "$(fig %.0f "${P}sign${c}_cpu_server")" "$(fig %.0f "${P}sign${c}_cpu_db")" \
                "$(fig %.0f "${P}sign${c}_cpu_rest")" "$(fig %.0f "${P}sign${c}_idle")"
        done
    done
    if [ -s "$W/wrk.log" ]; then
        echo "# what wrk's scripts logged (unexpected answers), most frequent first:"
        sort "$W/wrk.log" | uniq -c | sort -rn | head -5 | sed 's/^/#   /'
    fi
}

# ---- (c) page views against nginx ----------------------------------------------------------
# (c): a server per engine and nginx beside them, rounds of wrk on each;
# probes of the counts.
pages() {
    local e r c what path vis a b ra rb errs db
    declare -A SURL DBOF
    echo
    echo "## (c) page views: petitiond on $(echo "$ENGINES" | sed 's/sqlite/SQLite/; s/postgresql/PostgreSQL/; s/ / and /') against nginx serving the same bytes as static files"
    for e in $ENGINES; do
        use_engine "$e"
        db=$(fresh pages)
        local opts=()
        [ "$ENGINE" = sqlite ] || opts=(--db-pool "$PG_POOL")
        start_server "$db" "$W/pages.$e.log" "${opts[@]}"
        SURL[$e]=$URL
        DBOF[$e]=$db
        SPIDS="$SPIDS $SPID"
        SPID=""
    done
    mkdir -p "$W/nginx/root/en/petitions" "$W/nginx/root/api/v1/petitions/$PETITION" "$W/nginx/tmp"
    URL=${SURL[${ENGINES%% *}]}
    curl -fs -o "$W/nginx/root$PAGE" "$URL$PAGE"
    curl -fs -o "$W/nginx/root$COUNT" "$URL$COUNT"
    PAGE_TYPE=$(curl -fs -o /dev/null -w '%{content_type}' "$URL$PAGE")
    COUNT_TYPE=$(curl -fs -o /dev/null -w '%{content_type}' "$URL$COUNT")
    NPORT=$("$STARTUP" --free-port)
    start_nginx "$NPORT" "$W/nginx/root" "$PAGE_TYPE" "location /api/ { default_type \"$COUNT_TYPE\"; }"
    cmp -s "$W/nginx/root$PAGE" <(curl -fs "$NURL$PAGE") || { echo "surge: nginx does not serve the page" >&2; exit 1; }
    echo "# page $PAGE: $(wc -c <"$W/nginx/root$PAGE") bytes ($PAGE_TYPE); count $COUNT: $(wc -c <"$W/nginx/root$COUNT") bytes"
    for e in $ENGINES; do
        use_engine "$e"
        echo "#   from $ENAME: page $(curl -fs "${SURL[$e]}$PAGE" | wc -c) bytes, count $(curl -fs "${SURL[$e]}$COUNT" | wc -c) bytes"
    done
    echo "# nginx: 2 workers, keep-alive, sendfile, open_file_cache, access_log off, on 127.0.0.1;"
    echo "#   the same bodies and content types, its own headers; in each round and for each page the"
    echo "#   servers are asked one after the other: $(echo "$ENGINES" | sed 's/sqlite/SQLite/; s/postgresql/PostgreSQL/; s/ /, /'), then nginx"
    echo "# visible: a person signs and confirms during the 64-connection count run; ms from the"
    echo "#   confirmation's 200 until the count endpoint / the petition page show the new total"
    printf '%-5s %-6s %-6s %6s %10s %8s %8s %10s %8s %8s %6s %s\n' round db what conns "petitiond/s" "p50 ms" "p99 ms" \
        "nginx/s" "p50 ms" "p99 ms" ratio "errors"
    for r in $(seq "$ROUNDS"); do
        for c in $PAGE_CONNS; do
            for what in page count; do
                path=$PAGE
                [ $what = count ] && path=$COUNT
                for e in $ENGINES; do
                    use_engine "$e"
                    URL=${SURL[$e]}
                    vis=""
                    if [ $what = count ] && [ "$c" = "$(echo $PAGE_CONNS | cut -d' ' -f1)" ]; then
                        wrk_get "$c" "$URL$path" >"$W/wrk.out" &
                        WPID=$!
                        sleep $((DUR > 2 ? DUR / 3 : 1))
                        PROBES=$((PROBES + 1))
                        vis=$(probe "${DBOF[$e]}" $PROBES)
                        wait $WPID
                        WPID=""
                        a=$(cat "$W/wrk.out")
                    else
                        a=$(wrk_get "$c" "$URL$path")
                    fi
                    eval "A_$e=\$a VIS_$e=\$vis"
                done
                b=$(wrk_get "$c" "$NURL$path")
                rb=$(per_s "$(kv "$b" requests)" "$(kv "$b" duration_us)")
                add "${what}${c}_nginx" "$rb"
                add "${what}${c}_b_p99" "$(ms "$(kv "$b" p99_us)" 2)"
                for e in $ENGINES; do
                    use_engine "$e"
                    eval "a=\$A_$e vis=\$VIS_$e"
                    ra=$(per_s "$(kv "$a" requests)" "$(kv "$a" duration_us)")
                    add "${P}${what}${c}_rate" "$ra"
                    add "${P}${what}${c}_ratio" "$(div "$ra" "$rb")"
                    add "${P}${what}${c}_a_p50" "$(ms "$(kv "$a" p50_us)" 2)"
                    add "${P}${what}${c}_a_p99" "$(ms "$(kv "$a" p99_us)" 2)"
                    errs="$(wrk_errors "$a") / $(wrk_errors "$b")"
                    printf '%-5s %-6s %-6s %6s %10s %8s %8s %10s %8s %8s %6s %s\n' "$r" "$DBL" $what "$c" \
                        "$ra" "$(ms "$(kv "$a" p50_us)" 2)" "$(ms "$(kv "$a" p99_us)" 2)" "$rb" \
                        "$(ms "$(kv "$b" p50_us)" 2)" "$(ms "$(kv "$b" p99_us)" 2)" \
                        "$(div "$ra" "$rb")" "$errs"
                    if [ -n "$vis" ]; then
                        # shellcheck disable=SC2086
                        set -- $vis
                        printf '%-5s %-6s visible: count endpoint %s ms, page %s ms after the 200 (confirm took %s ms)\n' \
                            "$r" "$DBL" "$1" "$2" "$3"
                        [ "$1" != - ] && add "${P}vis_api" "$1" && add "${P}vis_page" "$2"
                    fi
                done
            done
        done
    done
    # The same with nothing else running.
    for e in $ENGINES; do
        use_engine "$e"
        URL=${SURL[$e]}
        for r in $(seq "$ROUNDS"); do
            PROBES=$((PROBES + 1))
            # shellcheck disable=SC2046
            set -- $(probe "${DBOF[$e]}" $PROBES)
            printf '%-5s %-6s visible, idle: count endpoint %s ms, page %s ms (confirm took %s ms)\n' \
                "$r" "$DBL" "$1" "$2" "$3"
            [ "$1" != - ] && add "${P}vis_api" "$1" && add "${P}vis_page" "$2"
        done
    done
    stop_nginx
    for SPID in $SPIDS; do stop_server; done
    SPIDS=""
    for e in $ENGINES; do
        use_engine "$e"
        drop pages
    done
    echo "# median (min–max) of $ROUNDS rounds (petitiond / nginx, ratio petitiond ÷ nginx):"
    for e in $ENGINES; do
        use_engine "$e"
        for c in $PAGE_CONNS; do
            for what in page count; do
                printf '  %-10s %-5s %3s conns: %s / %s req/s, ratio %s; p99 %s / %s ms\n' "$ENAME" $what "$c" \
                    "$(fig %.0f "${P}${what}${c}_rate")" "$(fig %.0f "${what}${c}_nginx")" \
                    "$(fig %.2f "${P}${what}${c}_ratio")" "$(fig %.2f "${P}${what}${c}_a_p99")" \
                    "$(fig %.2f "${what}${c}_b_p99")"
            done
        done
        printf '  %-10s counts visible after the commit (all probes): count endpoint %s ms, page %s ms\n' \
            "$ENAME" "$(fig %.0f "${P}vis_api")" "$(fig %.0f "${P}vis_page")"
    done
}

# ---- (d) memory and start-up with a million signatures ---------------------------------------
# (d): a database of LOAD_ROWS signatures, start-up times and RSS.
memory() {
    echo
    echo "## (d) memory and start-up with $LOAD_ROWS signatures on $PETITION"
    cp "$W/tmpl.db" "$W/big.db"
    T0=$(now_ms)
    "$BASELINE" load "$W/big.db" "$LOAD_ROWS" "$PETITION" >/dev/null
    sql "$W/big.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
    LOAD_S=$(awk -v ms=$(($(now_ms) - T0)) 'BEGIN {printf "%.1f", ms / 1000}')
    if "$BIN" counts check --db "$W/big.db" >"$W/counts.out" 2>&1; then
        CHECK="no drift"
    else
        CHECK="DRIFT: $(tr '\n' ' ' <"$W/counts.out")"
        DRIFT=$((DRIFT + 1))
    fi
    DBMB=$(awk -v b="$(stat -c %s "$W/big.db")" 'BEGIN {printf "%.0f", b / 1048576}')
    echo "# loaded in $LOAD_S s (bench/sqlite_baseline load; confirmed, review clear, counts moved);"
    echo "#   counts check: $CHECK; database file $DBMB MB; shown total $(db_total "$W/big.db")"
    echo "# start-up: exec to the first 200 of GET /healthz (bench/startup.c polls every 0.25 ms)"
    for db in tmpl big; do
        cp "$W/$db.db" "$W/start.db"
        for _ in 1 2 3 4 5; do
            port=$("$STARTUP" --free-port)
            line=$("$STARTUP" "$port" "$BIN" serve --listen "127.0.0.1:$port" --db "$W/start.db" \
                --no-access-log 2>>"$W/start.log" | grep '^startup_ms' || true)
            [ -n "$line" ] || { echo "surge: start-up run failed:" >&2; tail -5 "$W/start.log" >&2; exit 1; }
            add "start_$db" "$(kv "$line" startup_ms)"
            add "start_rss_$db" "$(awk -v k="$(kv "$line" rss_kb)" 'BEGIN {printf "%.1f", k / 1024}')"
        done
        rm -f "$W/start.db"*
    done
    printf '  start-up, demo database (9 petitions):  %s ms, RSS at the first 200 %s MB (5 starts)\n' \
        "$(fig %.1f start_tmpl)" "$(fig %.1f start_rss_tmpl)"
    printf '  start-up, %s signatures:         %s ms, RSS at the first 200 %s MB (5 starts)\n' \
        "$LOAD_ROWS" "$(fig %.1f start_big)" "$(fig %.1f start_rss_big)"
    echo "# RSS (VmRSS, MB) after start-up, 1 s later, after serving (wrk on the page and the count"
    HALF=$((DUR > 1 ? DUR / 2 : 1))
    echo "#   endpoint, $HALF s each at 64 connections, then 300 signatures); VmHWM = peak"
    printf '%-5s %10s %10s %14s %10s %s\n' round start "after 1 s" "after serving" "peak" "signed"
    for r in $(seq "$ROUNDS"); do
        port=$("$STARTUP" --free-port)
        line=$("$STARTUP" --keep "$port" "$BIN" serve --listen "127.0.0.1:$port" --db "$W/big.db" \
            --no-access-log --trusted-proxy 127.0.0.1 2>>"$W/big.log" | grep '^startup_ms' || true)
        SPID=$(kv "$line" pid)
        if [ -z "$SPID" ] || ! kill -0 "$SPID" 2>/dev/null; then
            echo "surge: petitiond on $LOAD_ROWS signatures did not start; its log:" >&2
            tail -20 "$W/big.log" >&2
            exit 1
        fi
        URL=http://127.0.0.1:$port
        mb() { awk -v f="$1:" '$1 == f {printf "%.1f", $2 / 1024}' "/proc/$SPID/status"; }
        r0=$(mb VmRSS)
        sleep 1
        r1=$(mb VmRSS)
        wrk -t$THREADS -c64 -d${HALF}s "$URL$PAGE" >/dev/null 2>&1
        wrk -t$THREADS -c64 -d${HALF}s "$URL$COUNT" >/dev/null 2>&1
        signed=$(seq 300 | awk '{printf "%d.%d\n", $1 / 250, $1 % 250 + 1}' | xargs -P 8 -I{} curl -s -o /dev/null -w '%{http_code}\n' \
            -H "X-Forwarded-For: 10.24$r.{}" \
            --data "first_name=Mem&last_name=Ory&email=mem$$r${r}n{}%40example.ca&country=Canada&province=QC&postal_code=H2X+1Y4&phone=613-555-0100&eligible=1&terms=1" \
            "$URL/en/petitions/$PETITION/sign" | grep -c 303 || true)
        sleep 0.5
        r2=$(mb VmRSS)
        hwm=$(mb VmHWM)
        add rss_start "$r0"
        add rss_idle "$r1"
        add rss_served "$r2"
        add rss_peak "$hwm"
        printf '%-5s %10s %10s %14s %10s %s\n' "$r" "$r0" "$r1" "$r2" "$hwm" "$signed/300"
        stop_server
    done
    printf '  RSS MB: after start-up %s, after serving %s, peak (VmHWM) %s\n' "$(fig %.1f rss_start)" \
        "$(fig %.1f rss_served)" "$(fig %.1f rss_peak)"
    rm -f "$W/big.db"*
}

# ---- summary ---------------------------------------------------------------------------------
# The targets, measured, met or missed (rows of the parts that ran).
# A row of the summary: columns padded by characters, not bytes.
pad() { printf '%s%*s' "$1" $(($2 > ${#1} ? $2 - ${#1} : 0)) ''; }
row() { printf '%s %s %s %s %s\n' "$(pad "$1" 44)" "$(pad "$2" 22)" "$(pad "$3" 40)" "$(pad "$4" 20)" "$5"; }
# "met" when the median $1 compares ($2) with the target $3, else MISSED.
met() { if awk -v v="$1" -v t="$3" "BEGIN {exit !(v $2 t)}"; then echo met; else echo MISSED; fi; }
c0=$(echo $SIGN_CONNS | cut -d' ' -f1)
p0=$(echo $PAGE_CONNS | cut -d' ' -f1)
summary() {
    echo
    echo "## summary: targets of issues 6 (SQLite) and 16 (PostgreSQL) (2 cores, load generator"
    echo "##   sharing them); median (min–max)"
    row figure target "measured" "ratio (same run)" result
    if has a && has_engine sqlite; then
        use_engine sqlite
        summary_intake
    fi
    if has a && has_engine postgresql; then
        use_engine postgresql
        summary_pg_intake
    fi
    if has a || has d; then
        row "counts check after the runs" "no drift" \
            "$([ $DRIFT = 0 ] && echo "no drift" || echo "$DRIFT database(s) drifted")" "-" \
            "$([ $DRIFT = 0 ] && echo met || echo MISSED)"
    fi
    if has c; then
        for e in $ENGINES; do
            use_engine "$e"
            summary_pages
        done
    fi
    if has d; then summary_memory; fi
}
summary_pg_intake() {
    local c b
    row "PostgreSQL intake, $c0 connections" "≥ 0.5 × raw PG ceiling" \
        "$(fig %.0f "pg_sign${c0}_rate") sig/s" "$(fig %.2f "pg_sign${c0}_ratio")" \
        "$(met "$(medv "pg_sign${c0}_ratio")" '>=' 0.5)"
    row "  raw PostgreSQL ceiling (best of 4)" "(the baseline)" "$(fig %.0f pg_base_ceiling) rows/s" "-" "-"
    for c in 1 8; do
        for b in 100 1000; do
            row "  raw PostgreSQL: $c conn(s) × $b rows" "-" "$(fig %.0f "pg_base_c${c}_b$b") rows/s" "-" "-"
        done
    done
    row "  raw PostgreSQL: + outbox rows (8 × 100)" "-" "$(fig %.0f pg_base_outbox) rows/s" \
        "$(fig %.2f "pg_sign${c0}_ratio_out")" "-"
    row "  raw PostgreSQL: one statement at a time" "-" "$(fig %.0f pg_base_sync) rows/s" "-" "-"
    row "  raw PostgreSQL: multi-row INSERTs (8 × 1000)" "-" "$(fig %.0f pg_base_multi) rows/s" \
        "$(fig %.2f "pg_sign${c0}_ratio_multi")" "-"
    if has_engine sqlite; then
        row "PostgreSQL intake vs SQLite, $c0 conns" "≥ 1.0 × SQLite intake" \
            "$(medv "pg_sign${c0}_rate") vs $(medv "sign${c0}_rate") sig/s" \
            "$(fig %.2f "pg_sign${c0}_vs_sqlite")" "$(met "$(medv "pg_sign${c0}_vs_sqlite")" '>=' 1.0)"
    fi
    row "PostgreSQL intake p99, $c0 connections" "< 50 ms" \
        "$(fig %.1f "pg_sign${c0}_p99") ms" "-" "$(met "$(medv "pg_sign${c0}_p99")" '<' 50)"
    for c in $SIGN_CONNS; do
        [ "$c" = "$c0" ] && continue
        row "PostgreSQL intake, $c connections" "-" \
            "$(fig %.0f "pg_sign${c}_rate") sig/s, p99 $(medv "pg_sign${c}_p99") ms" \
            "$(fig %.2f "pg_sign${c}_ratio")" "-"
        if has_engine sqlite; then
            row "  ÷ SQLite intake, $c connections" "-" "-" "$(fig %.2f "pg_sign${c}_vs_sqlite")" "-"
        fi
    done
    for c in $SIGN_CONNS; do
        row "PostgreSQL confirmations, $c connections" "-" \
            "$(fig %.0f "pg_confirm${c}_rate")/s, p99 $(medv "pg_confirm${c}_p99") ms" \
            "$(fig %.2f "pg_confirm${c}_ratio")" "-"
        if has_engine sqlite; then
            row "  ÷ SQLite confirmations, $c connections" "-" "-" \
                "$(fig %.2f "pg_confirm${c}_vs_sqlite")" "-"
        fi
    done
}
summary_intake() {
    row "intake, $c0 connections" "≥ 0.5 × raw SQLite" \
        "$(fig %.0f "sign${c0}_rate") sig/s" "$(fig %.2f "sign${c0}_ratio")" \
        "$(met "$(medv "sign${c0}_ratio")" '>=' 0.5)"
    row "  raw SQLite: signature rows" "(the baseline)" "$(fig %.0f base_rows) rows/s" "-" "-"
    row "  raw SQLite: rows + outbox rows" "-" "$(fig %.0f base_outbox) rows/s" \
        "$(fig %.2f "sign${c0}_ratio_out")" "-"
    row "intake p99, $c0 connections" "< 50 ms" \
        "$(fig %.1f "sign${c0}_p99") ms" "-" "$(met "$(medv "sign${c0}_p99")" '<' 50)"
    for c in $SIGN_CONNS; do
        [ "$c" = "$c0" ] && continue
        row "intake, $c connections" "-" \
            "$(fig %.0f "sign${c}_rate") sig/s, p99 $(medv "sign${c}_p99") ms" \
            "$(fig %.2f "sign${c}_ratio")" "-"
    done
    for c in $SIGN_CONNS; do
        row "confirmations, $c connections" "-" \
            "$(fig %.0f "confirm${c}_rate")/s, p99 $(medv "confirm${c}_p99") ms" \
            "$(fig %.2f "confirm${c}_ratio")" "-"
    done
    row "acknowledged = stored (every run)" "equal" \
        "$([ $BAD_ACK = 0 ] && echo "every run" || echo "$BAD_ACK run(s) differ")" "-" \
        "$([ $BAD_ACK = 0 ] && echo met || echo MISSED)"
}
summary_pages() {
    local c what L=""
    [ "$ENGINE" = sqlite ] || L="$ENAME: "
    row "${L}petition page, $p0 connections" "≥ 1.0 × nginx static" \
        "$(fig %.0f "${P}page${p0}_rate") req/s" "$(fig %.2f "${P}page${p0}_ratio")" \
        "$(met "$(medv "${P}page${p0}_ratio")" '>=' 1.0)"
    for c in $PAGE_CONNS; do
        for what in page count; do
            [ $what = page ] && [ "$c" = "$p0" ] && continue
            row "$L$([ $what = page ] && echo "petition page" || echo "count endpoint"), $c connections" \
                "-" "$(fig %.0f "${P}${what}${c}_rate") req/s" "$(fig %.2f "${P}${what}${c}_ratio")" "-"
        done
    done
    # shellcheck disable=SC2086
    amax=$(maxof ${V[${P}vis_api]:-99999})
    # shellcheck disable=SC2086
    pmax=$(maxof ${V[${P}vis_page]:-99999})
    row "${L}count endpoint shows a commit" "≤ 1 s (every probe)" \
        "$(fig %.0f "${P}vis_api") ms, worst $amax ms" "-" "$(met "$amax" '<=' 1000)"
    row "${L}petition page shows a commit" "≤ 1 s (every probe)" \
        "$(fig %.0f "${P}vis_page") ms, worst $pmax ms" "-" "$(met "$pmax" '<=' 1000)"
}
summary_memory() {
    row "RSS with $LOAD_ROWS signatures" "< 100 MB (peak)" \
        "$(fig %.1f rss_served) MB, peak $(medv rss_peak) MB" "-" "$(met "$(medv rss_peak)" '<' 100)"
    row "start-up with $LOAD_ROWS signatures" "< 200 ms" \
        "$(fig %.1f start_big) ms" "$(div "$(medv start_big)" "$(medv start_tmpl)") × demo db" \
        "$(met "$(medv start_big)" '<' 200)"
    row "database file, $LOAD_ROWS signatures" "-" "$DBMB MB" "-" "-"
}

BAD_ACK=0 # runs where acknowledged ≠ stored
DRIFT=0   # databases whose counts check found drift

# ---- the run -------------------------------------------------------------------------------
if has a; then intake; fi
if has c; then pages; fi
if has d; then memory; fi
summary

# ---- the overload test, when there is one ------------------------------------------------------
if [ -f bench/overload.sh ] && [ "${OVERLOAD:-1}" != 0 ]; then
    echo
    echo "## bench/overload.sh"
    BUILD=$BUILD sh bench/overload.sh || echo "surge: bench/overload.sh exited with $?"
fi
echo
echo "# written to $OUT"

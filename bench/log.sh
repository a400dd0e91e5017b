#!/usr/bin/env bash
# bench/log.sh: what the public log costs (issue 18, item 8), each figure
# beside its baseline in the same run:
#
#  (a) confirmations with the log against the same without it
#      (--no-public-log): a signature's "sig" entry is written when it is
#      confirmed, in the same transaction as the count; wrk -c64 confirms
#      pending signatures of e-6512 (bench/confirm.lua, links from
#      bench/tokens), the two variants one after the other in every round,
#      in alternating order; ratio = with ÷ without, per round;
#  (b) a checkpoint at LOG_ENTRIES (1,000,000) entries: bench/log_bench
#      appends them through the store, then times 200 times the root of the
#      whole tree (what signing a checkpoint computes), a root at a random
#      size, an inclusion and a consistency proof (fresh reader each time);
#      and the storage per entry (the log's tables ÷ entries);
#  (c) tiles against the count endpoint: wrk -c64 on a full hash tile and
#      on /api/v1/petitions/e-6512/count of the same server, alternating;
#      requests a second, and the p99 latency of each (as fast = no slower).
#
# On SQLite and on PostgreSQL (ENGINES), ROUNDS (3) rounds of (a) and (c);
# median (min–max).  Release build, e-mail left in the outbox, wrk -t2
# sharing the cores with the server.  Results: bench/results/log-DATE.txt.
# Settings: DUR (8), ROUNDS (3), LOG_ENTRIES (1000000), ENGINES, BUILD, PARTS
# (abc: which of the three to run).
set -Eeu
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8
BUILD=${BUILD:-build}
DUR=${DUR:-8}
ROUNDS=${ROUNDS:-3}
LOG_ENTRIES=${LOG_ENTRIES:-1000000}
ENGINES=${ENGINES:-sqlite postgresql}
PARTS=${PARTS:-abc}
has() { case $PARTS in *"$1"*) return 0 ;; esac; return 1; }
THREADS=2
PETITION="e-6512"
BIN=$BUILD/petitiond
TOKENS=$BUILD/bench/tokens
BASELINE=$BUILD/bench/sqlite_baseline
PGBASE=$BUILD/bench/pg_baseline
LOGBENCH=$BUILD/bench/log_bench
BENCH=log # named in lib.sh's messages
export BENCH
# shellcheck source=bench/lib.sh
. bench/lib.sh
install_missing
PATH=$PATH:/usr/sbin
make --no-print-directory BUILD="$BUILD" "$BIN" "$TOKENS" "$BASELINE" "$PGBASE" "$LOGBENCH" >/dev/null

W=$(mktemp -d /tmp/petitiond-log-XXXXXX)
SPID=""
cleanup() {
    [ -z "$SPID" ] || kill "$SPID" 2>/dev/null || true
    [ -z "$SPID" ] || wait "$SPID" 2>/dev/null || true
    pg_stop
    rm -rf "$W"
}
trap cleanup EXIT
trap 'echo "log: failed at line $LINENO (exit $?)" >&2' ERR
trap 'exit 130' INT TERM
mkdir -p bench/results
OUT=${OUT:-bench/results/log-$(date +%Y-%m-%d).txt}
exec > >(tee "$OUT") 2>&1

pending() { q "$1" "SELECT count(*) FROM signatures WHERE petition_id = $PETITION_ID AND confirmed_at IS NULL"; }
confirmed() { q "$1" "SELECT count(*) FROM signatures WHERE petition_id = $PETITION_ID AND confirmed_at IS NOT NULL"; }
add_pending() {
    if [ "$ENGINE" = sqlite ]; then
        "$BASELINE" pending "$1" "$2" "$PETITION" >/dev/null
    else
        "$PGBASE" pending "$1" "$2" "$PETITION" >/dev/null
    fi
}
opts() { [ "$ENGINE" = sqlite ] || echo "--db-pool 8"; }
met() { if awk -v v="$1" -v t="$3" "BEGIN {exit !(v $2 t)}"; then echo met; else echo MISSED; fi; }

echo "# bench/log.sh: the public log's costs, $ROUNDS rounds, each with its baseline"
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname): $(uname -sr) $(uname -m); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "# commit $(source_commit); $BIN (release); wrk -t$THREADS, ${DUR} s per run; load generator and server share the cores"
if has_engine postgresql; then pg_start "$W/pg"; fi
make_templates

# ---- (a) confirmations with and without the log ------------------------------------------
confirmations() {
echo
echo "## (a) confirmations of e-6512 at 64 connections: with the log, and without (--no-public-log)"
printf '%-5s %-6s %-8s %10s %8s %8s\n' round db variant "confirm/s" "p99 ms" ok
for r in $(seq "$ROUNDS"); do
    for e in $ENGINES; do
        use_engine "$e"
        if [ $((r % 2)) = 1 ]; then order="log nolog"; else order="nolog log"; fi
        for variant in $order; do
            db=$(fresh confirm)
            add_pending "$db" 150000
            if [ "$variant" = log ]; then extra=(--log-key "$W/log.key"); else extra=(--no-public-log); fi
            # shellcheck disable=SC2046
            start_server "$db" "$W/server.log" $(opts) "${extra[@]}"
            "$TOKENS" "$db" "$PETITION" >"$W/tokens.txt" # the link key is the server's
            line=$(BENCH_TOKENS="$W/tokens.txt" BENCH_THREADS=$THREADS \
                wrk -t$THREADS -c64 -d"${DUR}s" --timeout 10s -s bench/confirm.lua "$URL" \
                2>>"$W/wrk.log" | grep '^BENCH' || echo "BENCH requests=0")
            stop_server
            ok=$(kv "$line" ok)
            rate=$(per_s "$ok" "$(kv "$line" duration_us)")
            add "${e}_$variant" "$rate"
            eval "last_$variant=$rate"
            printf '%-5s %-6s %-8s %10s %8s %8s\n' "$r" "$DBL" "$variant" "$rate" \
                "$(ms "$(kv "$line" p99_us)")" "$ok"
            drop confirm
        done
        # shellcheck disable=SC2154
        add "${e}_ratio" "$(div "$last_log" "$last_nolog")"
    done
done
}
if has a; then confirmations; fi

# ---- (b) a checkpoint at a million entries, and the storage --------------------------------
big_log() {
echo
echo "## (b) the log of e-6512 at $LOG_ENTRIES entries: appending, a checkpoint's root, proofs, storage"
for e in $ENGINES; do
    use_engine "$e"
    db=$(fresh big)
    BIG[$e]=$db
    line=$("$LOGBENCH" "$db" "${PETITION#e-}" "$LOG_ENTRIES")
    echo "$DBL $line"
    add "${e}_root_p99" "$(kv "$line" root_p99_us)"
    if [ "$e" = sqlite ]; then
        bytes=$(sql "$db" "SELECT sum(pgsize) FROM dbstat WHERE name IN ('petition_logs', 'log_parts',
            'log_hashes', 'log_checkpoints') OR name LIKE 'sqlite_autoindex_log%'")
    else
        bytes=$(q "$db" "SELECT sum(pg_total_relation_size(c)) FROM unnest(ARRAY['petition_logs',
            'log_parts', 'log_hashes', 'log_checkpoints']::regclass[]) c")
    fi
    per=$(awk -v b="$bytes" -v n="$LOG_ENTRIES" 'BEGIN {printf "%.1f", b / n}')
    echo "$DBL storage: $bytes bytes for $LOG_ENTRIES entries: $per bytes per entry"
    add "${e}_bytes" "$per"
done
}
declare -A BIG
if has b || has c; then big_log; fi

# ---- (c) tiles against the count endpoint --------------------------------------------------
tiles() {
echo
echo "## (c) a full hash tile of the million-entry log against the count endpoint, 64 connections"
printf '%-5s %-6s %-7s %10s %8s %8s\n' round db what "req/s" "p99 ms" errors
for e in $ENGINES; do
    use_engine "$e"
    # shellcheck disable=SC2046
    start_server "${BIG[$e]}" "$W/server.log" $(opts) --log-key "$W/big.key"
    # The first checkpoint of the million entries, then a tile inside it.
    for _ in $(seq 600); do
        n=$(curl -s "$URL/log/${PETITION#e-}/checkpoint" | sed -n 2p)
        [ "${n:-0}" -ge "$LOG_ENTRIES" ] && break
        sleep 0.1
    done
    tile="/log/${PETITION#e-}/tile/0/x001/234"
    for r in $(seq "$ROUNDS"); do
        for what in tile count; do
            if [ $what = tile ]; then path=$tile; else path=/api/v1/petitions/$PETITION/count; fi
            line=$(wrk_get 64 "$URL$path")
            rate=$(per_s "$(kv "$line" requests)" "$(kv "$line" duration_us)")
            add "${e}_$what" "$rate"
            eval "last_$what=$rate last_${what}_p99=$(kv "$line" p99_us)"
            printf '%-5s %-6s %-7s %10s %8s %8s\n' "$r" "$DBL" "$what" "$rate" \
                "$(ms "$(kv "$line" p99_us)")" "$(wrk_errors "$line")"
        done
        # shellcheck disable=SC2154
        add "${e}_tile_ratio" "$(div "$last_tile" "$last_count")"
        # shellcheck disable=SC2154
        add "${e}_tile_p99_ratio" "$(div "$last_tile_p99" "$last_count_p99")"
    done
    stop_server
done
}
if has c; then tiles; fi

# ---- summary ---------------------------------------------------------------------------------
echo
echo "## summary: median (min–max) of $ROUNDS rounds"
printf '%-52s %-26s %s\n' measure figure target
for e in $ENGINES; do
    use_engine "$e"
    if has a; then
        printf '%-52s %-26s %s\n' "$ENAME confirmations/s with the log" "$(fig '%.0f' "${e}_log")" ""
        printf '%-52s %-26s %s\n' "$ENAME confirmations/s without (baseline)" "$(fig '%.0f' "${e}_nolog")" ""
        printf '%-52s %-26s %s\n' "$ENAME with / without" "$(fig '%.2f' "${e}_ratio")" \
            "at least 0.9: $(met "$(medv "${e}_ratio")" '>=' 0.9)"
    fi
    if has b || has c; then
        printf '%-52s %-26s %s\n' "$ENAME checkpoint root at $LOG_ENTRIES, p99 us" \
            "$(medv "${e}_root_p99")" "under 5000: $(met "$(medv "${e}_root_p99")" '<' 5000)"
        printf '%-52s %-26s %s\n' "$ENAME storage per entry, bytes" "$(medv "${e}_bytes")" \
            "under 100: $(met "$(medv "${e}_bytes")" '<' 100)"
    fi
    if has c; then
        printf '%-52s %-26s %s\n' "$ENAME tile req/s" "$(fig '%.0f' "${e}_tile")" ""
        printf '%-52s %-26s %s\n' "$ENAME count endpoint req/s (baseline)" "$(fig '%.0f' "${e}_count")" ""
        printf '%-52s %-26s %s\n' "$ENAME tile / count" "$(fig '%.2f' "${e}_tile_ratio")" \
            "at least 1: $(met "$(medv "${e}_tile_ratio")" '>=' 1)"
        printf '%-52s %-26s %s\n' "$ENAME tile p99 / count p99 (latency)" "$(fig '%.2f' "${e}_tile_p99_ratio")" \
            "at most 1: $(met "$(medv "${e}_tile_p99_ratio")" '<=' 1)"
    fi
done

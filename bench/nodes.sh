#!/usr/bin/env bash
# bench/nodes.sh: one petitiond node against two on one PostgreSQL database,
# in the same run (issue 17, item 5), and the costs a capacity model needs.
#
# Each round, on a fresh copy of the demo database (the benchmark's own
# cluster, bench/lib.sh's settings, synchronous_commit on, no standby):
#   one node:  wrk -t2 -c64 signs e-6512 through it (bench/sign.lua);
#   two nodes: wrk -t1 -c32 on each at once (64 connections in all).
# Per run: signatures acknowledged per second (303s), p99, every 303 a
# stored row, and the CPU each acknowledged signature cost: in the nodes
# (all of them), in the database (the cluster's processes) and in the rest
# of the machine (the load generator first of all), with how idle the cores
# stayed (lib.sh cpu_snap and cpu_per_sig).  The two cores are shared by
# the nodes, PostgreSQL and wrk: a second node cannot add cores here, so
# the point is what a signature costs where, which docs/capacity.md turns
# into nodes and database size for a national surge.
#
# Settings from the environment: DUR (8 s), ROUNDS (3), CONNS (64),
# BUILD (build).  Results: bench/results/nodes-DATE.txt.
set -Eeu
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8
BUILD=${BUILD:-build}
DUR=${DUR:-8}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64}
THREADS=2
PETITION="e-6512"
BIN=$BUILD/petitiond
BENCH=nodes
ENGINES=postgresql
# shellcheck source=bench/lib.sh
. bench/lib.sh
install_missing
PATH=$PATH:/usr/sbin
make --no-print-directory BUILD="$BUILD" "$BIN" >/dev/null

W=$(mktemp -d /tmp/petitiond-nodes-XXXXXX)
SPID="" SPIDS=""
cleanup() {
    for p in $SPID $SPIDS; do kill "$p" 2>/dev/null || true; done
    for p in $SPID $SPIDS; do wait "$p" 2>/dev/null || true; done
    pg_stop
    rm -rf "$W"
}
trap cleanup EXIT
trap 'echo "nodes: failed at line $LINENO (exit $?)" >&2' ERR
trap 'exit 130' INT TERM
mkdir -p bench/results
OUT=${OUT:-bench/results/nodes-$(date +%Y-%m-%d).txt}
exec > >(tee "$OUT") 2>&1

# The CPU of every node: cpu_snap reads SPID; here the sum of the nodes.
nodes_snap() {
    local s=0 p rest
    for p in $SPIDS; do
        s=$((s + $(proc_ticks "$p")))
    done
    rest=$(SPID=0 cpu_snap | cut -d' ' -f2-)
    echo "$s $rest"
}
rows() { q "$1" "SELECT count(*) FROM signatures WHERE petition_id = $PETITION_ID"; }
settle_rows() {
    local a b
    a=$(rows "$1")
    for _ in $(seq 40); do
        sleep 0.25
        b=$(rows "$1")
        [ "$a" = "$b" ] && break
        a=$b
    done
}

echo "# bench/nodes.sh: one node against two on one PostgreSQL database, $ROUNDS rounds"
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(hostname): $(uname -sr) $(uname -m); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
echo "# commit $(source_commit); $BIN (release); wrk $CONNS connections in all, ${DUR} s per run"
pg_start "$W/pg"
echo "#   each node: petitiond serve --db-pool 8 --trusted-proxy 127.0.0.1 --no-access-log"
echo "# the nodes, PostgreSQL and wrk share the $(nproc) cores"
make_templates

printf '%-5s %-6s %8s %7s %8s %8s %-9s %8s %8s %8s %8s %6s\n' round nodes "sig/s" "p99 ms" ack stored "ack=rows" \
    "node µs" "db µs" "rest µs" "total µs" "idle%"
for r in $(seq "$ROUNDS"); do
    for n in 1 2; do
        db=$(fresh intake)
        SPIDS=""
        urls=()
        for k in $(seq "$n"); do
            start_server "$db" "$W/node$k.log" --db-pool 8
            SPIDS="$SPIDS $SPID"
            urls+=("$URL")
            SPID=""
        done
        before=$(rows "$db")
        cpu0=$(nodes_snap)
        per=$((CONNS / n))
        k=0
        wpids=()
        for u in "${urls[@]}"; do
            BENCH_RUN="n$$r${r}n$n$k" BENCH_SLOT=$(((r * 4 + n * 2 + k) % 16)) BENCH_PETITION=$PETITION \
                wrk -t$((THREADS / n)) -c"$per" -d"${DUR}s" --timeout 10s -s bench/sign.lua "$u" \
                2>>"$W/wrk.log" | grep '^BENCH' >"$W/out.$k" &
            wpids+=($!)
            k=$((k + 1))
        done
        wait "${wpids[@]}"
        cpu1=$(nodes_snap)
        settle_rows "$db"
        stored=$(($(rows "$db") - before))
        ok=0 cut=0 dur=0 p99=0
        for f in "$W"/out.*; do
            line=$(cat "$f")
            ok=$((ok + $(kv "$line" ok)))
            cut=$((cut + $(kv "$line" sent) - $(kv "$line" requests)))
            dur=$(maxof "$dur" "$(kv "$line" duration_us)")
            p99=$(maxof "$p99" "$(kv "$line" p99_us)")
        done
        rm -f "$W"/out.*
        rate=$(per_s "$ok" "$dur")
        if [ "$stored" = "$ok" ]; then
            eq=equal
        elif [ "$stored" -gt "$ok" ] && [ "$stored" -le $((ok + cut)) ]; then
            eq="+$((stored - ok))cut"
        else
            eq="BUG"
        fi
        read -r cs cd cr ci <<<"$(cpu_per_sig "$cpu0" "$cpu1" "$ok")"
        add "n${n}_rate" "$rate"
        add "n${n}_p99" "$(ms "$p99")"
        add "n${n}_node" "$cs"
        add "n${n}_db" "$cd"
        add "n${n}_rest" "$cr"
        add "n${n}_idle" "$ci"
        printf '%-5s %-6s %8s %7s %8s %8s %-9s %8s %8s %8s %8s %6s\n' "$r" "$n" "$rate" "$(ms "$p99")" "$ok" "$stored" \
            "$eq" "$cs" "$cd" "$cr" $((cs + cd + cr)) "$ci"
        for p in $SPIDS; do
            kill "$p" 2>/dev/null || true
            wait "$p" 2>/dev/null || true
        done
        SPIDS=""
        drop intake
    done
done
echo "# median (min–max) of $ROUNDS rounds:"
for n in 1 2; do
    printf '  %s node(s): %s sig/s, p99 %s ms; CPU per signature: nodes %s µs, database %s µs, rest %s µs; idle %s%%\n' \
        "$n" "$(fig %.0f "n${n}_rate")" "$(fig %.1f "n${n}_p99")" "$(fig %.0f "n${n}_node")" \
        "$(fig %.0f "n${n}_db")" "$(fig %.0f "n${n}_rest")" "$(fig %.0f "n${n}_idle")"
done
printf '  two nodes ÷ one: %s\n' "$(div "$(medv n2_rate)" "$(medv n1_rate)")"
echo "# written to $OUT"

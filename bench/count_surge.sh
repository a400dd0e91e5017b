#!/bin/bash
# bench/count_surge.sh: the count endpoint DURING a surge (issue 15, item 5),
# for one binary or two compared in the same run.
#
# bench/surge.sh measures GET /api/v1/petitions/e-6512/count only with
# nothing else running, when it is answered from the page cache.  Here a
# second wrk reads the count endpoint at 16 connections (--latency,
# bench/get.lua) while a surge runs, both for the same seconds:
#
#   sign     wrk signs the open petition e-6512 at 256 connections
#            (bench/sign.lua, as surge.sh does).  A new signature awaits
#            its confirmation and moves no count: the count answer stays
#            fresh and comes from the page cache throughout;
#   confirm  wrk confirms its pending signatures at 256 connections
#            (bench/confirm.lua, links made by bench/tokens.c, topped up
#            with rows by bench/sqlite_baseline.c as surge.sh does).  Every
#            batch the writer commits moves the count, so the count answer
#            is drawn again after each one, from the counts in memory
#            (workflow/counts.c), where a lock held across the writer's
#            commit made count reads wait for the disk.
#
# Reported: the count endpoint's requests/s, p50, p99, p99.9 and max; the
# surge's rate (303s or 200s per second); the writer's commits during it
# (/healthz: batches, commit_ms, commit_max_ms).  Each server (a fresh copy
# of its round's database) is measured with --count-freshness-ms 0 (the
# count answer drawn again after every change: "fresh 0") and once more
# with the default freshness (500 ms): idle, then the signing surge, then
# the confirmations.  Baselines of the same run: the same server's count
# endpoint idle (nothing else running, measured first), and nginx (Debian's,
# on 127.0.0.1) serving the same count bytes as a static file, with the
# same wrk settings, once a round.
#
# With two binaries the rounds are interleaved (BEFORE, AFTER, BEFORE,
# AFTER, ...), so both meet the same machine; every round of every binary
# has a fresh demo database made by that binary (migrate + demo).  Figures:
# median of the rounds (min–max).  The whole output goes to
# bench/results/count-surge-DATE.txt.  About ROUNDS × (12 × DUR + 30) s
# with two binaries (8 minutes with the defaults).
#
#   make bench-count                                  (this tree's release build)
#   make bench-count BEFORE=../old/build/petitiond    (and a second binary)
#   BEFORE=path BUILD=dir bench/count_surge.sh
#
# Settings from the environment: BEFORE (a second petitiond to compare,
# run first in every round; its bench/tokens and bench/sqlite_baseline are
# taken from its build folder when there, else from BUILD's), BUILD (the
# build folder whose petitiond is measured, build), DUR (seconds per wrk
# run, 10), ROUNDS (3), SURGE_CONNS (256), COUNT_CONNS (16), COUNT_THREADS
# (wrk threads reading the count, 1; the surge's wrk has 2), SURGES ("sign
# confirm"), OUT (the results file), KEEP=1 keeps the work folder.  Needs
# wrk, nginx, sqlite3 and curl; installs the missing ones (Debian).
set -Eeu
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8 # numbers with '.', and ${#s} counts characters (tables)
BUILD=${BUILD:-build}
DUR=${DUR:-10}
ROUNDS=${ROUNDS:-3}
SURGE_CONNS=${SURGE_CONNS:-256}
COUNT_CONNS=${COUNT_CONNS:-16}
COUNT_THREADS=${COUNT_THREADS:-1}
SURGES=${SURGES:-sign confirm}
BEFORE=${BEFORE:-}
THREADS=2
PETITION=e-6512
COUNT=/api/v1/petitions/$PETITION/count
STARTUP=$BUILD/bench/startup

BENCH=count-surge
# shellcheck source=bench/lib.sh
. bench/lib.sh
install_missing
PATH=$PATH:/usr/sbin
make --no-print-directory BUILD="$BUILD" "$BUILD/petitiond" "$STARTUP" "$BUILD/bench/tokens" \
    "$BUILD/bench/sqlite_baseline" >/dev/null

# The binaries by label ("before" and "after" with BEFORE, else
# "petitiond"), and the folder of the bench tools that go with each.
if [ -n "$BEFORE" ]; then
    [ -x "$BEFORE" ] || { echo "$BENCH: BEFORE=$BEFORE is not an executable" >&2; exit 1; }
    LABELS="before after"
    declare -A BINS=([before]=$BEFORE [after]=$BUILD/petitiond)
    declare -A TOOLS=([before]=$(dirname "$BEFORE")/bench [after]=$BUILD/bench)
    [ -x "${TOOLS[before]}/tokens" ] && [ -x "${TOOLS[before]}/sqlite_baseline" ] ||
        TOOLS[before]=$BUILD/bench
else
    LABELS=petitiond
    declare -A BINS=([petitiond]=$BUILD/petitiond)
    declare -A TOOLS=([petitiond]=$BUILD/bench)
fi
FRESH="0 default"

# ---- work folder and clean-up -----------------------------------------------------------
W=$(mktemp -d /tmp/petitiond-count-surge-XXXXXX)
SPID="" NPID="" WPID=""
cleanup() {
    for p in $WPID $SPID $NPID; do kill "$p" 2>/dev/null || true; done
    for p in $WPID $SPID $NPID; do wait "$p" 2>/dev/null || true; done
    if [ "${KEEP:-0}" = 1 ]; then echo "$BENCH: work folder kept: $W" >&2; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'echo "$BENCH: failed at line $LINENO (exit $?)" >&2' ERR
trap 'exit 130' INT TERM
mkdir -p bench/results
OUT=${OUT:-bench/results/count-surge-$(date +%Y-%m-%d).txt}
exec > >(tee "$OUT") 2>&1

# ---- helpers -------------------------------------------------------------------------
# (bench/lib.sh: sql, kv, fig3, med, div, per_s, ms, V with add, fig and medv,
# start_server, stop_server, wrk_errors, start_nginx, stop_nginx.)
# wrk reading URL $1 at COUNT_CONNS: the BENCH line (bench/get.lua; wrk's
# own report, --latency included, to $W/wrk-count.log).
wrk_count() {
    wrk -t"$COUNT_THREADS" -c"$COUNT_CONNS" -d"${DUR}s" --timeout 10s --latency -s bench/get.lua "$1" \
        2>>"$W/wrk.log" | tee -a "$W/wrk-count.log" | grep '^BENCH' || echo "BENCH requests=0"
}
# wrk at SURGE_CONNS with script $1 on the server: the BENCH line.
wrk_surge() {
    wrk -t$THREADS -c"$SURGE_CONNS" -d"${DUR}s" --timeout 10s -s "$1" "$URL" 2>>"$W/wrk.log" |
        grep '^BENCH' || echo "BENCH requests=0"
}
# Pending signatures of the petition in db $1.
pending() {
    sql "$1" "SELECT count(*) FROM signatures s JOIN petitions p ON p.id = s.petition_id
              WHERE p.e_number = ${PETITION#e-} AND s.confirmed_at IS NULL"
}
# A figure of /healthz's intake line: $1 the body, $2 the key.
health() { printf '%s\n' "$1" | sed -n 's/^intake //p' | tr ' ' '\n' | sed -n "s/^$2=//p"; }
rate() { per_s "$(kv "$1" requests)" "$(kv "$1" duration_us)"; }
# A row of the table.
trow() { printf '%-5s %-7s %-7s %-7s %9s %7s %7s %7s %8s %6s %8s %5s %8s %8s %6s\n' "$@"; }
# The count figures of a BENCH line $2 under key $1, and its row's first columns.
count_figures() {
    add "$1.rate" "$(rate "$2")"
    add "$1.p50" "$(ms "$(kv "$2" p50_us)" 2)"
    add "$1.p99" "$(ms "$(kv "$2" p99_us)" 2)"
    add "$1.p999" "$(ms "$(kv "$2" p999_us)" 2)"
    add "$1.max" "$(ms "$(kv "$2" max_us)" 1)"
}
count_columns() {
    printf '%s\n' "$(rate "$1")" "$(ms "$(kv "$1" p50_us)" 2)" "$(ms "$(kv "$1" p99_us)" 2)" \
        "$(ms "$(kv "$1" p999_us)" 2)" "$(ms "$(kv "$1" max_us)" 1)" "$(wrk_errors "$1")"
}

# ---- the machine -----------------------------------------------------------------------
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git --no-optional-locks diff --quiet HEAD 2>/dev/null || COMMIT="$COMMIT + uncommitted changes"
echo "# The count endpoint during a surge (issue 15, item 5): bench/count_surge.sh, $ROUNDS rounds"
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n): $(uname -srm); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# this tree: commit $COMMIT"
for l in $LABELS; do
    b=${BINS[$l]}
    c=$(git -C "$(dirname "$b")" rev-parse --short HEAD 2>/dev/null || echo "?")
    git -C "$(dirname "$b")" --no-optional-locks diff --quiet HEAD 2>/dev/null || c="$c + uncommitted changes"
    echo "# $l: $b (commit $c of its tree; release build, default threads); bench tools ${TOOLS[$l]}"
done
echo "# $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), ${DUR} s per run: the surge -t$THREADS -c$SURGE_CONNS (bench/sign.lua,"
echo "#   bench/confirm.lua), the count -t$COUNT_THREADS -c$COUNT_CONNS --latency (bench/get.lua) on $COUNT, started together"
echo "# $(nginx -v 2>&1 | sed 's/.*: //'); SQLite $(sqlite3 --version | cut -d' ' -f1); libmicrohttpd $(pkg-config --modversion libmicrohttpd 2>/dev/null || echo '?')"
echo "# load generators and servers share the cores; figures: median of $ROUNDS (min–max)"
echo "# rounds interleaved: $(for r in 1 2; do for l in $LABELS; do printf '%s ' "$l"; done; done)..."

# ---- nginx serving the count bytes ------------------------------------------------------------
# The count of the demo database, as the first binary answers it.
FIRST=${LABELS%% *}
BIN=${BINS[$FIRST]}
"$BIN" migrate --db "$W/probe.db" >/dev/null
"$BIN" demo --db "$W/probe.db" >/dev/null
start_server "$W/probe.db" "$W/probe.log"
mkdir -p "$W/nginx/root/api/v1/petitions/$PETITION"
curl -fs -o "$W/nginx/root$COUNT" "$URL$COUNT"
COUNT_TYPE=$(curl -fs -o /dev/null -w '%{content_type}' "$URL$COUNT")
stop_server
rm -f "$W/probe.db"*
NPORT=$("$STARTUP" --free-port)
start_nginx "$NPORT" "$W/nginx/root" "$COUNT_TYPE"
cmp -s "$W/nginx/root$COUNT" <(curl -fs "$NURL$COUNT") || {
    echo "$BENCH: nginx does not serve the count" >&2
    exit 1
}
echo "# count $COUNT: $(wc -c <"$W/nginx/root$COUNT") bytes ($COUNT_TYPE) on the demo database;"
echo "#   nginx: 2 workers, keep-alive, sendfile, open_file_cache, access_log off"
echo "# what: idle = the count endpoint with nothing else running (its fresh database, measured"
echo "#   first); sign, confirm = the count endpoint during that surge, and the surge's rate"
echo "#   (303s, 200s per second) and 503s; commits = the writer's commits during the surge,"
echo "#   mean and max ms of one (/healthz); a confirm row marked DRY ran out of links"
echo
trow round binary fresh what "count/s" "p50" "p99" "p99.9" "max ms" errors "surge/s" 503 commits \
    "mean ms" "max ms"

# ---- the rounds ---------------------------------------------------------------------------
SAME_BYTES=1
DRY=0
DRIFT=0
RUN=0
for r in $(seq "$ROUNDS"); do
    for l in $LABELS; do
        BIN=${BINS[$l]}
        T=${TOOLS[$l]}
        rm -f "$W/tmpl.db"*
        "$BIN" migrate --db "$W/tmpl.db" >/dev/null
        "$BIN" demo --db "$W/tmpl.db" >/dev/null
        for f in $FRESH; do
            RUN=$((RUN + 1))
            cp "$W/tmpl.db" "$W/run.db"
            if [ "$f" = 0 ]; then
                start_server "$W/run.db" "$W/$l.log" --count-freshness-ms 0
            else
                start_server "$W/run.db" "$W/$l.log"
            fi
            cmp -s "$W/nginx/root$COUNT" <(curl -fs "$URL$COUNT") || SAME_BYTES=0
            # The baseline: this server, nothing else running.
            idle=$(wrk_count "$URL$COUNT")
            count_figures "$l.$f.idle" "$idle"
            # shellcheck disable=SC2046
            trow "$r" "$l" "$f" idle $(count_columns "$idle") - - - - -
            for s in $SURGES; do
                if [ "$s" = confirm ]; then
                    # Enough pending signatures that no wrk thread runs dry.
                    want=$((25000 * DUR))
                    have=$(pending "$W/run.db")
                    if [ "$have" -lt "$want" ]; then
                        "$T/sqlite_baseline" pending "$W/run.db" $((want - have)) "$PETITION" >/dev/null
                    fi
                    "$T/tokens" "$W/run.db" "$PETITION" >"$W/tokens.txt"
                    script=bench/confirm.lua
                else
                    script=bench/sign.lua
                fi
                h0=$(curl -fs "$URL/healthz")
                # Both wrk for the same seconds.
                BENCH_RUN="$$r${r}n$RUN" BENCH_SLOT=$((RUN % 16)) BENCH_PETITION=$PETITION \
                    BENCH_TOKENS="$W/tokens.txt" BENCH_THREADS=$THREADS \
                    wrk_surge "$script" >"$W/surge.out" &
                WPID=$!
                during=$(wrk_count "$URL$COUNT")
                wait $WPID
                WPID=""
                surge=$(cat "$W/surge.out")
                h1=$(curl -fs "$URL/healthz")
                k=$l.$f.$s
                count_figures "$k" "$during"
                batches=$(($(health "$h1" batches) - $(health "$h0" batches)))
                cms=$(($(health "$h1" commit_ms) - $(health "$h0" commit_ms)))
                mean=$(awk -v a="$cms" -v b="$batches" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
                cmax=$(health "$h1" commit_max_ms)
                srate=$(per_s "$(kv "$surge" ok)" "$(kv "$surge" duration_us)")
                add "$k.surge" "$srate"
                add "$k.s503" "$(kv "$surge" s503)"
                add "$k.commits" "$batches"
                add "$k.commit_mean" "$mean"
                add "$k.vs_idle" "$(div "$(rate "$during")" "$(rate "$idle")")"
                dry=""
                if [ "$s" = confirm ] && [ "$(kv "$surge" exhausted)" != 0 ]; then
                    dry=" DRY"
                    DRY=$((DRY + 1))
                fi
                # shellcheck disable=SC2046
                trow "$r" "$l" "$f" "$s" $(count_columns "$during") "$srate$dry" "$(kv "$surge" s503)" \
                    "$batches" "$mean" "$cmax"
            done
            stop_server
            # Shown counts against the rows after the surges.
            if ! "$BIN" counts check --db "$W/run.db" >"$W/counts.out" 2>&1; then
                DRIFT=$((DRIFT + 1))
                echo "round $r $l fresh $f: counts check: $(tr '\n' ' ' <"$W/counts.out")"
            fi
            rm -f "$W/run.db"*
        done
    done
    # nginx, the same wrk settings, once a round.
    n=$(wrk_count "$NURL$COUNT")
    count_figures nginx "$n"
    # shellcheck disable=SC2046
    trow "$r" nginx - - $(count_columns "$n") - - - - -
done
stop_nginx

# ---- summary ---------------------------------------------------------------------------------
echo
echo "## median (min–max) of $ROUNDS rounds; count/s ÷ the same server idle and ÷ nginx"
printf '  nginx, the same count bytes: %s req/s, p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms\n' \
    "$(fig %.0f nginx.rate)" "$(fig %.2f nginx.p50)" "$(fig %.2f nginx.p99)" "$(fig %.2f nginx.p999)" \
    "$(fig %.1f nginx.max)"
for f in $FRESH; do
    echo "  freshness $f:"
    for l in $LABELS; do
        k=$l.$f.idle
        printf '    %-7s idle     count %s req/s (÷ nginx %s), p50 %s, p99 %s ms\n' "$l" \
            "$(fig %.0f "$k.rate")" "$(div "$(medv "$k.rate")" "$(medv nginx.rate)")" \
            "$(fig %.2f "$k.p50")" "$(fig %.2f "$k.p99")"
        for s in $SURGES; do
            k=$l.$f.$s
            printf '    %-7s %-8s count %s req/s (÷ idle %s, ÷ nginx %s)\n' "" "$s" "$(fig %.0f "$k.rate")" \
                "$(fig %.2f "$k.vs_idle")" "$(div "$(medv "$k.rate")" "$(medv nginx.rate)")"
            printf '    %-16s p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms\n' "" "$(fig %.2f "$k.p50")" \
                "$(fig %.2f "$k.p99")" "$(fig %.2f "$k.p999")" "$(fig %.1f "$k.max")"
            printf '    %-16s %s %s/s (503s %s); commits %s, %s ms each\n' "" "$s" "$(fig %.0f "$k.surge")" \
                "$(fig %.0f "$k.s503")" "$(fig %.0f "$k.commits")" "$(fig %.2f "$k.commit_mean")"
        done
    done
    if [ -n "$BEFORE" ]; then
        for s in $SURGES; do
            a=after.$f.$s b=before.$f.$s
            printf '    after ÷ before, %s (medians): count/s %s, p50 %s, p99 %s, p99.9 %s, max %s; %s/s %s\n' \
                "$s" "$(div "$(medv "$a.rate")" "$(medv "$b.rate")")" \
                "$(div "$(medv "$a.p50")" "$(medv "$b.p50")")" "$(div "$(medv "$a.p99")" "$(medv "$b.p99")")" \
                "$(div "$(medv "$a.p999")" "$(medv "$b.p999")")" "$(div "$(medv "$a.max")" "$(medv "$b.max")")" \
                "$s" "$(div "$(medv "$a.surge")" "$(medv "$b.surge")")"
        done
    fi
done
echo "  counts check after every server: $([ $DRIFT = 0 ] && echo "no drift" || echo "$DRIFT server(s) DRIFTED")"
echo "  count bytes the same from every server before its surges: $([ $SAME_BYTES = 1 ] && echo yes || echo NO)"
[ $DRY = 0 ] || echo "  $DRY confirmation run(s) ran out of links (DRY): their rates are low"
if [ -s "$W/wrk.log" ]; then
    echo "# what wrk's scripts logged (unexpected answers), most frequent first:"
    sort "$W/wrk.log" | uniq -c | sort -rn | head -5 | sed 's/^/#   /'
fi
echo
echo "# written to $OUT"

#!/bin/bash
# bench/opendata.sh: the open-data API and exports on a register of N public
# e-petitions (default 5,000), each figure against a baseline measured in
# the same round, on the same machine:
#
#  (1) uncached answers: the time (curl's time_total) and size of the CSV
#      and XML exports of all N petitions, a list page of 100, the same
#      filtered by a keyword, and one petition with a government response
#      in JSON and in XML.  The page cache (src/http/cache.h) keeps answers
#      up to 1 MiB until the site clock has moved 60 s: the server reads its
#      clock from a file (--clock-file), which is moved 61 s on before each
#      timed request, so every timed answer is drawn anew (the exports,
#      larger than 1 MiB, are never kept anyway);
#  (2) baselines of the same round: (a) the sqlite3 shell writing the same
#      petitions from the same database file as CSV, with the CSV export's
#      columns, and with the XML's texts as well (whereas clauses, prayer,
#      response, counts by province); (b) nginx (Debian's, started here on
#      127.0.0.1: 2 workers, sendfile, access_log off) serving the very
#      bytes of petitiond's answers as static files, fetched with curl the
#      same way; ratios petitiond ÷ baseline per round;
#  (3) cached throughput: wrk on the keyword list and the petition's JSON
#      (answers from the page cache, a copy from memory) and on nginx
#      serving the same bytes, at the same connections; ratio petitiond ÷
#      nginx;
#  (4) memory: petitiond's VmRSS at start and its peak (VmHWM) after the
#      exports and at the end of the round.
#
# Every round starts a fresh server, GETs each URL once (the store's caches
# warm, not timed), then times them; then the baselines, then wrk.  The
# register is made by bench/opendata_demo.py (a fixed seed: the same bytes
# every run) and loaded with `petitiond demo --file`.  Release build, wrk
# -t2 sharing the cores with the servers.  The output goes to
# bench/results/opendata-DATE.txt.  About 5 minutes.
#
#   make bench-opendata                 (builds, then runs this)
#   BUILD=build-bench bench/opendata.sh (the build folder to use; default build)
#
# Settings from the environment: N (petitions, 5000), ROUNDS (5), DUR
# (seconds per wrk run, 5), CONNS (wrk's connections, 64), OUT (the results
# file), KEEP=1 keeps the work folder.  Needs wrk, nginx, sqlite3 and curl
# (installs the missing ones, Debian) and python3.
set -Eeu
cd "$(dirname "$0")/.."
export LC_ALL=C.UTF-8 # numbers with '.', and ${#s} counts characters (tables)
BENCH=opendata
BUILD=${BUILD:-build}
N=${N:-5000}
ROUNDS=${ROUNDS:-5}
DUR=${DUR:-5}
CONNS=${CONNS:-64}
THREADS=2
BIN=$BUILD/petitiond

# shellcheck source=bench/lib.sh
. bench/lib.sh
install_missing
PATH=$PATH:/usr/sbin
command -v python3 >/dev/null 2>&1 || { echo "opendata: needs python3" >&2; exit 1; }
make --no-print-directory BUILD="$BUILD" "$BIN" >/dev/null

# ---- work folder and clean-up -----------------------------------------------------------
W=$(mktemp -d /tmp/petitiond-opendata-XXXXXX)
SPID="" NPID=""
cleanup() {
    for p in $SPID $NPID; do kill "$p" 2>/dev/null || true; done
    for p in $SPID $NPID; do wait "$p" 2>/dev/null || true; done
    if [ "${KEEP:-0}" = 1 ]; then echo "opendata: work folder kept: $W" >&2; else rm -rf "$W"; fi
}
trap cleanup EXIT
trap 'echo "opendata: failed at line $LINENO (exit $?)" >&2' ERR
trap 'exit 130' INT TERM
mkdir -p bench/results
OUT=${OUT:-bench/results/opendata-$(date +%Y-%m-%d).txt}
exec > >(tee "$OUT") 2>&1

# ---- helpers -------------------------------------------------------------------------
# (bench/lib.sh: sql, kv, fig3, med, div, per_s, ms, V with add, fig and medv,
# start_server, stop_server, wrk_get, wrk_errors, start_nginx, stop_nginx.)
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# Seconds (curl's or a difference of nanoseconds) as milliseconds.
sec_ms() { awk -v s="$1" 'BEGIN {printf "%.2f", s * 1000}'; }
mib() { awk -v b="$1" 'BEGIN {printf "%.2f", b / 1048576}'; }
# VmRSS or VmHWM of the server, MB.
mem() { awk -v f="$1:" '$1 == f {printf "%.1f", $2 / 1024}' "/proc/$SPID/status"; }

# The site clock: a whole number of seconds in $CLOCK, read by the server at
# each use.  tick moves it 61 s on (written whole: a new file renamed over).
CLOCK=$W/clock
CLOCK_NOW=$(date +%s)
echo "$CLOCK_NOW" >"$CLOCK"
tick() {
    CLOCK_NOW=$((CLOCK_NOW + 61))
    echo "$CLOCK_NOW" >"$CLOCK.new"
    mv "$CLOCK.new" "$CLOCK"
}
# GET URL $1 into file $2: "seconds bytes status".
get() { curl -s -o "$2" -w '%{time_total} %{size_download} %{http_code}' "$1"; }

# ---- the register -------------------------------------------------------------------------
DB=$W/opendata.db
T0=$(now_ms)
python3 bench/opendata_demo.py "$N" "$W/demo" >"$W/demo.files"
"$BIN" migrate --db "$DB" >/dev/null
first=1
while read -r f; do
    # petitiond demo loads once: forget the mark of the previous file.
    [ $first = 1 ] || sql "$DB" "DELETE FROM meta WHERE key = 'demo_loaded'"
    first=0
    "$BIN" demo --db "$DB" --file "$f" >/dev/null
done <"$W/demo.files"
rm -f "$W"/demo-*.json
sql "$DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
LOAD_S=$(awk -v ms=$(($(now_ms) - T0)) 'BEGIN {printf "%.1f", ms / 1000}')

PUBLIC="'OPEN_FOR_SIGNATURE', 'WAITING_FOR_CERTIFICATION', 'NOT_CERTIFIED', 'CERTIFIED',
 'PRESENTED', 'RESPONSE_TABLED', 'CLOSED_UPON_DISSOLUTION', 'NOT_ANSWERED_BEFORE_DISSOLUTION', 'CLOSED'"
NPUB=$(sql "$DB" "SELECT count(*) FROM petitions WHERE state IN ($PUBLIC)")
[ "$NPUB" = "$N" ] || { echo "opendata: $NPUB public petitions loaded, not $N" >&2; exit 1; }
STATES=$(sql "$DB" "SELECT group_concat(n || ' ' || lower(state), ', ') FROM
    (SELECT state, count(*) AS n FROM petitions GROUP BY state ORDER BY n DESC)")
NRESP=$(sql "$DB" "SELECT count(*) FROM responses")
RESP_KB=$(sql "$DB" "SELECT printf('%.1f', avg(length(CAST(text_en AS BLOB))) / 1024) FROM responses")
NKW=$(sql "$DB" "SELECT count(*) FROM keywords")
# The keyword of the most petitions, and the first petition with a response.
KEYWORD=$(sql "$DB" "SELECT k.slug FROM keywords k JOIN petition_keywords pk ON pk.keyword_id = k.id
    GROUP BY k.id ORDER BY count(*) DESC, k.slug LIMIT 1")
KW_N=$(sql "$DB" "SELECT count(*) FROM petition_keywords pk JOIN keywords k ON k.id = pk.keyword_id
    WHERE k.slug = '$KEYWORD'")
PETITION=e-$(sql "$DB" "SELECT min(e_number) FROM petitions WHERE state = 'RESPONSE_TABLED'")
DBMB=$(awk -v b="$(stat -c %s "$DB")" 'BEGIN {printf "%.0f", b / 1048576}')

# What is measured: name, path on petitiond, file on nginx.
WHATS="csv xml list keyword json pxml"
declare -A PATH_OF FILE_OF LABEL
PATH_OF[csv]=/api/v1/petitions.csv
PATH_OF[xml]=/api/v1/petitions.xml
PATH_OF[list]="/api/v1/petitions?per_page=100"
PATH_OF[keyword]="/api/v1/petitions?keyword=$KEYWORD&per_page=100"
PATH_OF[json]=/api/v1/petitions/$PETITION
PATH_OF[pxml]=/api/v1/petitions/$PETITION.xml
for w in $WHATS; do FILE_OF[$w]=/$w.body; done
LABEL[csv]="CSV export, all $N"
LABEL[xml]="XML export, all $N"
LABEL[list]="list, per_page=100"
LABEL[keyword]="list, keyword, per_page=100"
LABEL[json]="petition $PETITION, JSON"
LABEL[pxml]="petition $PETITION, XML"

# The raw SQLite baselines: every public petition in the list's order
# (latest state change first), (a) with the CSV export's columns, (b) with
# the XML export's texts too.  Times and dates as SQLite writes them.
BASE_JOINS="FROM petitions p JOIN parliaments par ON par.id = p.parliament_id
 LEFT JOIN sessions ses ON ses.id = p.session_id
 LEFT JOIN subjects sub ON sub.id = p.subject_id
 LEFT JOIN members am ON am.id = p.authorizing_member_id
 LEFT JOIN sessions ps ON ps.id = p.presented_session_id
 LEFT JOIN parliaments pp ON pp.id = ps.parliament_id
 LEFT JOIN responses r ON r.petition_id = p.id
 LEFT JOIN ministries rm ON rm.id = r.ministry_id
 WHERE p.state IN ($PUBLIC)
 ORDER BY p.state_changed_at DESC, p.id DESC"
BASE_CSV="SELECT 'e-' || p.e_number AS number, p.kind AS type, lower(p.state) AS status,
 date(p.state_changed_at, 'unixepoch') AS status_date, par.number AS parliament,
 par.number || '-' || ses.number AS session, sub.name_en AS subject_en, sub.name_fr AS subject_fr,
 (SELECT group_concat(k.name_en, '; ') FROM petition_keywords pk JOIN keywords k
   ON k.id = pk.keyword_id WHERE pk.petition_id = p.id) AS keywords_en,
 (SELECT group_concat(k.name_fr, '; ') FROM petition_keywords pk JOIN keywords k
   ON k.id = pk.keyword_id WHERE pk.petition_id = p.id) AS keywords_fr,
 p.petitioner_name AS petitioner, p.petitioner_province AS petitioner_province,
 am.first_name || ' ' || am.last_name AS authorizing_member,
 strftime('%Y-%m-%dT%H:%M:%SZ', p.opened_at, 'unixepoch') AS opened_at,
 strftime('%Y-%m-%dT%H:%M:%SZ', p.closes_at, 'unixepoch') AS closes_at,
 strftime('%Y-%m-%dT%H:%M:%SZ', p.certified_at, 'unixepoch') AS certified_at,
 strftime('%Y-%m-%dT%H:%M:%SZ', p.presented_at, 'unixepoch') AS presented_at,
 pp.number || ps.number || '-' || printf('%05d', p.presented_sequence) AS presented_number,
 strftime('%Y-%m-%dT%H:%M:%SZ', r.tabled_at, 'unixepoch') AS response_tabled_at,
 p.signature_total AS signatures, 'http://127.0.0.1/en/petitions/e-' || p.e_number AS url"
BASE_FULL="$BASE_CSV, p.prayer_en AS prayer,
 (SELECT group_concat(g.text_en, char(10)) FROM petition_grievances g
   WHERE g.petition_id = p.id) AS grievances,
 (SELECT group_concat(c.region || '=' || c.count, ' ') FROM petition_counts c
   WHERE c.petition_id = p.id) AS by_province,
 rm.title_en AS minister, r.signed_by AS signed_by, r.text_en AS response"
# sqlite3 -csv writing query $1 to file $2: the wall time in seconds.
sqlite_export() {
    local t0 t1
    t0=$(date +%s%N)
    sqlite3 -csv -header "$DB" "$1 $BASE_JOINS" >"$2"
    t1=$(date +%s%N)
    awk -v d=$((t1 - t0)) 'BEGIN {printf "%.6f", d / 1e9}'
}

# ---- the machine -----------------------------------------------------------------------
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git --no-optional-locks diff --quiet HEAD 2>/dev/null || COMMIT="$COMMIT + uncommitted changes"
echo "# Open data benchmarks: bench/opendata.sh, N=$N public petitions, $ROUNDS rounds, each with its baselines"
echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n): $(uname -srm); $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "# commit $COMMIT; $BIN (release, -O2); petitiond default threads (one per core)"
echo "# $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2) -t$THREADS -c$CONNS, ${DUR} s per run; $(nginx -v 2>&1 | sed 's/.*: //'); SQLite $(sqlite3 --version | cut -d' ' -f1); curl $(curl --version | head -1 | cut -d' ' -f2)"
echo "# load generator and servers share the cores; figures: median of $ROUNDS (min–max)"
echo "# register (bench/opendata_demo.py, loaded in $LOAD_S s): $STATES;"
echo "#   $NRESP responses of ${RESP_KB} KB (English, as much in French); $NKW keywords, 3 to 6 each;"
echo "#   database file $DBMB MB"
echo "# keyword: $KEYWORD ($KW_N petitions); petition with a response: $PETITION"

# ---- the rounds ----------------------------------------------------------------------------
mkdir -p "$W/got" "$W/nginx/root"
LOG=$W/server.log
round() {
    local r=$1 w line t b s tn sn a bb more="" ra rb n x
    start_server "$DB" "$LOG" --clock-file "$CLOCK"
    add rss_start "$(mem VmRSS)"
    # Warm the store (statements, SQLite's pages): each once, not timed.
    for w in $WHATS; do
        tick
        line=$(get "$URL${PATH_OF[$w]}" /dev/null)
        [ "${line##* }" = 200 ] || { echo "opendata: ${PATH_OF[$w]}: status ${line##* }" >&2; exit 1; }
    done
    # (1) uncached, each after the clock moved on.
    for w in $WHATS; do
        tick
        read -r t b s <<<"$(get "$URL${PATH_OF[$w]}" "$W/got/$w")"
        [ "$s" = 200 ] || { echo "opendata: ${PATH_OF[$w]}: status $s" >&2; exit 1; }
        add "${w}_ms" "$(sec_ms "$t")"
        add "${w}_bytes" "$b"
        cp "$W/got/$w" "$W/nginx/root${FILE_OF[$w]}"
    done
    add hwm_exports "$(mem VmHWM)"
    if [ "$r" = 1 ]; then
        n=$(python3 -c 'import csv, sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig"))) - 1)' "$W/got/csv")
        x=$(grep -o '<Petition ' "$W/got/xml" | wc -l)
        echo "# the CSV export has $n petitions, the XML export $x (both must be $N)"
        [ "$n" = "$N" ] && [ "$x" = "$N" ] || { echo "opendata: an export lacks petitions" >&2; exit 1; }
    fi
    # (2a) the sqlite3 shell, on the same database file.
    t=$(sqlite_export "$BASE_CSV" "$W/base.csv")
    add sqlite_csv_ms "$(sec_ms "$t")"
    add sqlite_csv_bytes "$(stat -c %s "$W/base.csv")"
    t=$(sqlite_export "$BASE_FULL" "$W/base_full.csv")
    add sqlite_full_ms "$(sec_ms "$t")"
    add sqlite_full_bytes "$(stat -c %s "$W/base_full.csv")"
    # (2b) nginx with the same bytes, each fetched once (its file cache) then timed.
    NPORT=$(free_port)
    for w in $WHATS; do
        more="$more location = ${FILE_OF[$w]} { default_type \"$(curl -s -o /dev/null -w '%{content_type}' "$URL${PATH_OF[$w]}")\"; }"
    done
    start_nginx "$NPORT" "$W/nginx/root" application/octet-stream "$more"
    for w in $WHATS; do
        get "$NURL${FILE_OF[$w]}" /dev/null >/dev/null
        read -r tn _ sn <<<"$(get "$NURL${FILE_OF[$w]}" "$W/got/$w.nginx")"
        if [ "$sn" != 200 ] || ! cmp -s "$W/got/$w" "$W/got/$w.nginx"; then
            echo "opendata: nginx does not serve the bytes of ${PATH_OF[$w]}" >&2
            exit 1
        fi
        add "${w}_nginx_ms" "$(sec_ms "$tn")"
        add "${w}_ratio_nginx" "$(div "$(last "${w}_ms")" "$(last "${w}_nginx_ms")")"
    done
    add csv_ratio_sqlite "$(div "$(last csv_ms)" "$(last sqlite_csv_ms)")"
    add xml_ratio_sqlite "$(div "$(last xml_ms)" "$(last sqlite_full_ms)")"
    printf '%-5s %-28s %10s %12s %10s %8s %11s %9s\n' round what bytes "petitiond ms" "nginx ms" \
        "÷nginx" "sqlite3 ms" "÷sqlite3"
    for w in $WHATS; do
        bb="-" s="-"
        case $w in
        csv) bb=$(last sqlite_csv_ms) s=$(last csv_ratio_sqlite) ;;
        xml) bb=$(last sqlite_full_ms) s=$(last xml_ratio_sqlite) ;;
        esac
        printf '%-5s %-28s %10s %12s %10s %8s %11s %9s\n' "$r" "${LABEL[$w]}" "$(last "${w}_bytes")" \
            "$(last "${w}_ms")" "$(last "${w}_nginx_ms")" "$(last "${w}_ratio_nginx")" "$bb" "$s"
    done
    printf '%-5s %-28s %10s %12s\n' "$r" "sqlite3 -csv, CSV columns" "$(last sqlite_csv_bytes)" "$(last sqlite_csv_ms)"
    printf '%-5s %-28s %10s %12s\n' "$r" "sqlite3 -csv, with the texts" "$(last sqlite_full_bytes)" "$(last sqlite_full_ms)"
    # (3) cached: wrk on petitiond (its page cache, filled at this clock) and nginx.
    printf '%-5s %-28s %6s %12s %8s %8s %10s %8s %8s %6s %s\n' round what conns "petitiond/s" \
        "p50 ms" "p99 ms" "nginx/s" "p50 ms" "p99 ms" ratio errors
    for w in keyword json; do
        get "$URL${PATH_OF[$w]}" /dev/null >/dev/null
        a=$(wrk_get "$CONNS" "$URL${PATH_OF[$w]}")
        bb=$(wrk_get "$CONNS" "$NURL${FILE_OF[$w]}")
        ra=$(per_s "$(kv "$a" requests)" "$(kv "$a" duration_us)")
        rb=$(per_s "$(kv "$bb" requests)" "$(kv "$bb" duration_us)")
        add "${w}_rate" "$ra"
        add "${w}_nginx_rate" "$rb"
        add "${w}_rate_ratio" "$(div "$ra" "$rb")"
        add "${w}_p99" "$(ms "$(kv "$a" p99_us)" 2)"
        add "${w}_nginx_p99" "$(ms "$(kv "$bb" p99_us)" 2)"
        printf '%-5s %-28s %6s %12s %8s %8s %10s %8s %8s %6s %s\n' "$r" "${LABEL[$w]}" "$CONNS" "$ra" \
            "$(ms "$(kv "$a" p50_us)" 2)" "$(ms "$(kv "$a" p99_us)" 2)" "$rb" \
            "$(ms "$(kv "$bb" p50_us)" 2)" "$(ms "$(kv "$bb" p99_us)" 2)" "$(div "$ra" "$rb")" \
            "$(wrk_errors "$a") / $(wrk_errors "$bb")"
    done
    add hwm_end "$(mem VmHWM)"
    printf '%-5s memory: VmRSS at start %s MB, VmHWM after the exports %s MB, at the end %s MB\n' \
        "$r" "$(last rss_start)" "$(last hwm_exports)" "$(last hwm_end)"
    stop_nginx
    stop_server
}
# The figure of this round: the last value under a name.
last() { printf '%s\n' "${V[$1]##* }"; }

echo
echo "## the rounds: a fresh server each; times of one GET (curl's time_total), after a warm-up GET"
echo "# petitiond: the site clock moved 61 s before each GET, so no answer comes from its page cache;"
echo "# nginx: the same bytes as static files (compared with cmp); sqlite3: sqlite3 -csv -header on the"
echo "#   same database file into a file, wall time with the shell's start (CSV columns ÷ the CSV export,"
echo "#   with the texts ÷ the XML export); ÷ = petitiond ÷ the baseline of the round"
for r in $(seq "$ROUNDS"); do
    echo
    round "$r"
done

# ---- summary ---------------------------------------------------------------------------------
# A row of the summary: columns padded by characters, not bytes.
pad() { printf '%s%*s' "$1" $(($2 > ${#1} ? $2 - ${#1} : 0)) ''; }
row() { printf '%s %s %s %s\n' "$(pad "$1" 40)" "$(pad "$2" 32)" "$(pad "$3" 38)" "$4"; }
echo
echo "## summary: median (min–max) of $ROUNDS rounds; ratio = petitiond ÷ the baseline of the same round"
echo "# sizes: $(for w in $WHATS; do printf '%s %s MB; ' "$w" "$(mib "$(medv "${w}_bytes")")"; done)"
echo "#   sqlite3 CSV columns $(mib "$(medv sqlite_csv_bytes)") MB, with the texts $(mib "$(medv sqlite_full_bytes)") MB"
row figure "petitiond" "baseline" "ratio"
for w in $WHATS; do
    row "${LABEL[$w]}, uncached" "$(fig %.2f "${w}_ms") ms" "nginx $(fig %.2f "${w}_nginx_ms") ms" \
        "$(fig %.2f "${w}_ratio_nginx")"
    case $w in
    csv) row "" "" "sqlite3 $(fig %.2f sqlite_csv_ms) ms" "$(fig %.2f csv_ratio_sqlite)" ;;
    xml) row "" "" "sqlite3 $(fig %.2f sqlite_full_ms) ms" "$(fig %.2f xml_ratio_sqlite)" ;;
    esac
done
for w in keyword json; do
    row "${LABEL[$w]}, cached" "$(fig %.0f "${w}_rate") req/s" "nginx $(fig %.0f "${w}_nginx_rate") req/s" \
        "$(fig %.2f "${w}_rate_ratio")"
    row "  p99, $CONNS connections" "$(fig %.2f "${w}_p99") ms" "nginx $(fig %.2f "${w}_nginx_p99") ms" "-"
done
row "VmRSS at start" "$(fig %.1f rss_start) MB" "-" "-"
row "VmHWM after the exports" "$(fig %.1f hwm_exports) MB" "-" "-"
row "VmHWM at the end of a round" "$(fig %.1f hwm_end) MB" "-" "-"
if [ -s "$W/wrk.log" ]; then
    echo "# what wrk logged, most frequent first:"
    sort "$W/wrk.log" | uniq -c | sort -rn | head -5 | sed 's/^/#   /'
fi
echo
echo "# written to $OUT"

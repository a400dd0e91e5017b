# bench/lib.sh: helpers shared by the benchmark scripts (bench/surge.sh,
# bench/opendata.sh, bench/big_petition.sh), sourced by them after they set:
#
#   BENCH    the script's name, for messages ("surge: ...")
#   BIN      the petitiond binary
#   W        the work folder (set before start_server, wrk_get, start_nginx)
#   THREADS  wrk's threads; DUR: seconds per wrk run
#
# It defines functions and the array V of figures; it runs nothing.
# shellcheck shell=bash

# ---- packages ----------------------------------------------------------------------
# wrk, nginx, sqlite3 and curl from Debian when missing; the nginx package
# starts a service on port 80, which these scripts do not want: stop it.
install_missing() {
    local missing=""
    command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
    command -v sqlite3 >/dev/null 2>&1 || missing="$missing sqlite3"
    command -v curl >/dev/null 2>&1 || missing="$missing curl"
    local want_nginx=0
    command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || want_nginx=1
    [ -z "$missing" ] && [ $want_nginx = 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 || {
            echo "$BENCH: need root or sudo to install:$missing nginx" >&2
            exit 1
        }
        sudo=sudo
    fi
    echo "$BENCH: installing:$missing$([ $want_nginx = 1 ] && echo ' nginx')" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    [ -z "$missing" ] || $sudo apt-get install -y -qq --no-install-recommends $missing
    if [ $want_nginx = 1 ]; then
        $sudo apt-get install -y -qq --no-install-recommends nginx-light ||
            $sudo apt-get install -y -qq --no-install-recommends nginx
        if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
            $sudo systemctl stop nginx || true
            $sudo systemctl disable nginx || true
        elif [ -x /etc/init.d/nginx ]; then
            $sudo /etc/init.d/nginx stop >/dev/null 2>&1 || true
        fi
    fi
}

# ---- figures ---------------------------------------------------------------------------
sql() { sqlite3 -cmd '.timeout 10000' "$@"; }
now_ms() { date +%s%3N; }
# The value of key in a "BENCH k=v ..." line.
kv() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
# "median (min–max)" of the values after the format.
fig3() {
    local f=$1
    shift
    printf '%s\n' "$@" | sort -g | awk -v f="$f" '{v[NR] = $1}
        END {m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
             printf f " (" f "–" f ")", m, v[1], v[NR]}'
}
med() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
maxof() { printf '%s\n' "$@" | sort -g | tail -1; }
div() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
# n requests in us microseconds, per second.
per_s() { awk -v n="$1" -v us="$2" 'BEGIN {printf "%.0f", (us > 0 ? n / us * 1e6 : 0)}'; }
# Microseconds as milliseconds with $2 decimals (1).
ms() { awk -v u="$1" -v d="${2:-1}" 'BEGIN {printf "%.*f", d, u / 1000}'; }
# Figures are kept as space-separated lists under a name: V[name].
declare -A V
add() { V[$1]="${V[$1]:-} $2"; }

# CPU accounting (ticks of CLK_TCK): cpu_snap prints "server database
# machine" for the server SPID, the database (on PostgreSQL the bench
# cluster's postmaster and every process it started; on SQLite nothing: it
# runs inside the server) and the whole machine's busy time (/proc/stat:
# everything but idle and iowait).  cpu_per_sig BEFORE AFTER N prints
# "server database rest idle%": microseconds of CPU per signature (N of
# them) in the server, in the database and in everything else (the load
# generator first of all), and how idle the machine was.
CLK_TCK=$(getconf CLK_TCK)
proc_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
cpu_snap() {
    local db=0 pm p
    if [ "${ENGINE:-sqlite}" != sqlite ] && [ -n "${PGD:-}" ] && [ -f "$PGD/data/postmaster.pid" ]; then
        pm=$(head -1 "$PGD/data/postmaster.pid")
        for p in $pm $(pgrep -P "$pm"); do
            db=$((db + $(proc_ticks "$p")))
        done
    fi
    echo "$(proc_ticks "$SPID") $db $(awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6}' /proc/stat)"
}
cpu_per_sig() {
    awk -v n="$3" -v hz="$CLK_TCK" -v a="$1" -v b="$2" 'BEGIN {
        split(a, x, " "); split(b, y, " ");
        s = y[1] - x[1]; d = y[2] - x[2]; busy = y[3] - x[3]; idle = y[4] - x[4];
        f = n > 0 ? 1e6 / hz / n : 0;
        printf "%.0f %.0f %.0f %.0f", s * f, d * f, (busy - s - d) * f, (busy + idle > 0 ? 100 * idle / (busy + idle) : 0) }'
}
# shellcheck disable=SC2086
fig() { fig3 "$1" ${V[$2]}; }
# shellcheck disable=SC2086
medv() { med ${V[$1]}; }

# What the results' header names as the source: BENCH_COMMIT when set (an
# exported tree has no git), else git's HEAD and whether the tree differs.
source_commit() {
    if [ -n "${BENCH_COMMIT:-}" ]; then
        echo "$BENCH_COMMIT"
    elif git --no-optional-locks diff --quiet HEAD 2>/dev/null; then
        git rev-parse --short HEAD 2>/dev/null || echo unknown
    else
        echo "$(git rev-parse --short HEAD 2>/dev/null || echo unknown) + uncommitted changes"
    fi
}

# ---- petitiond -------------------------------------------------------------------------
# Start petitiond on a free port with database $1 (log $2) and the serve
# options after them, if any: sets SPID and URL.
start_server() {
    local db=$1 log=$2
    shift 2
    : >"$W/url"
    "$BIN" serve --listen 127.0.0.1:0 --db "$db" --no-access-log --trusted-proxy 127.0.0.1 \
        "$@" >"$W/url" 2>>"$log" &
    SPID=$!
    for _ in $(seq 600); do
        URL=$(head -1 "$W/url" | grep -o 'http://[0-9.]*:[0-9]*' || true)
        [ -n "$URL" ] && curl -fs -o /dev/null "$URL/healthz" && return 0
        kill -0 "$SPID" 2>/dev/null || break
        sleep 0.05
    done
    echo "$BENCH: petitiond did not start; its log:" >&2
    tail -20 "$log" >&2
    exit 1
}
# Stop the server and wait for it to be gone (it may not be this shell's
# child: bench/startup --keep starts it).
stop_server() {
    kill "$SPID" 2>/dev/null || true
    wait "$SPID" 2>/dev/null || true
    for _ in $(seq 200); do
        kill -0 "$SPID" 2>/dev/null || break
        sleep 0.05
    done
    SPID=""
}

# ---- wrk -------------------------------------------------------------------------------
# wrk on a URL (bench/get.lua): its BENCH line, requests, duration, errors
# and latency percentiles in microseconds (stderr to $W/wrk.log).
wrk_get() {
    wrk -t"$THREADS" -c"$1" -d"${DUR}s" --timeout 10s -s bench/get.lua "$2" 2>>"$W/wrk.log" |
        grep '^BENCH' || echo "BENCH requests=0"
}
# Requests of a BENCH line that went wrong: non-2xx, connect, read, write, timeout.
wrk_errors() {
    echo $(($(kv "$1" non2xx3xx) + $(kv "$1" connect) + $(kv "$1" read) + $(kv "$1" write) + $(kv "$1" timeout)))
}

# ---- PostgreSQL --------------------------------------------------------------------------
# A PostgreSQL 15 cluster of the benchmark's own in $1 (a new folder): made
# and started by scripts/pg-cluster when the tree has it (initdb as an
# unprivileged user when run as root, a Unix socket in $1 only, fsync and
# synchronous_commit on), else the same way here; then given the settings
# below and restarted; prints two lines for the results' header.  Sets PGD
# (the folder).  pg_uri NAME is a
# database's URI; pg_stop stops the cluster and removes its folder
# (nothing to do when there is none: a trap may call it twice).
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
# Sizes for a 2-core, 24 GB machine shared with other work: most of the
# 10-million-signature database in PostgreSQL's own cache, checkpoints rare
# enough not to land in every run.  PG_SETTINGS goes in the results' header.
PG_SHARED_BUFFERS=${PG_SHARED_BUFFERS:-2GB}
PG_SETTINGS="shared_buffers=$PG_SHARED_BUFFERS effective_cache_size=8GB max_wal_size=8GB checkpoint_timeout=15min fsync=on synchronous_commit=on full_page_writes=on max_connections=300"
PGD=""
# Run a command as the owner of the cluster's data (PostgreSQL refuses root).
as_pg_owner() {
    if [ "$(id -u)" = 0 ]; then
        (cd "$PGD" && setpriv --reuid="$(stat -c %u "$PGD/data")" \
            --regid="$(stat -c %g "$PGD/data")" --clear-groups "$@")
    else
        (cd "$PGD" && "$@")
    fi
}
pg_start() {
    PGD=$1
    [ -x "$PG_BIN/initdb" ] || {
        echo "$BENCH: $PG_BIN/initdb not found: install postgresql-15 (make deps)" >&2
        exit 1
    }
    # The cluster's user must reach the folder (mktemp makes work folders 0700).
    chmod a+x "$(dirname "$PGD")"
    if [ -x scripts/pg-cluster ]; then
        scripts/pg-cluster start "$PGD" >/dev/null || exit 1
    else
        local run=""
        mkdir -p "$PGD"
        chmod 755 "$PGD"
        if [ "$(id -u)" = 0 ]; then
            chown nobody:nogroup "$PGD"
            run="setpriv --reuid=nobody --regid=nogroup --clear-groups"
        fi
        # shellcheck disable=SC2086
        (cd "$PGD" && $run "$PG_BIN/initdb" -D "$PGD/data" -U petitiond --auth=trust -E UTF8 \
            --locale=C.UTF-8 --no-sync >"$PGD/initdb.log" 2>&1) || {
            cat "$PGD/initdb.log" >&2
            exit 1
        }
        printf '%s\n' "listen_addresses = ''" "unix_socket_directories = '$PGD'" \
            "unix_socket_permissions = 0777" "logging_collector = off" >>"$PGD/data/postgresql.conf"
    fi
    echo "# bench/lib.sh: the benchmark's settings" >>"$PGD/data/postgresql.conf"
    # shellcheck disable=SC2086
    printf '%s\n' $PG_SETTINGS >>"$PGD/data/postgresql.conf"
    local how=start
    [ ! -x scripts/pg-cluster ] || how=restart
    as_pg_owner "$PG_BIN/pg_ctl" -D "$PGD/data" -l "$PGD/log" -w -t 60 $how >/dev/null || {
        echo "$BENCH: PostgreSQL did not start; its log:" >&2
        tail -20 "$PGD/log" >&2
        exit 1
    }
    [ "$(psq "$(pg_uri postgres)" 'SHOW shared_buffers')" = "$PG_SHARED_BUFFERS" ] || {
        echo "$BENCH: PostgreSQL did not take the benchmark's settings" >&2
        exit 1
    }
    # The lines of the results' header.
    echo "# PostgreSQL $(psq "$(pg_uri postgres)" 'SHOW server_version' | cut -d' ' -f1), the benchmark's own cluster on a Unix socket:"
    echo "#   $PG_SETTINGS"
}
pg_uri() { printf 'postgresql:///%s?host=%s&user=petitiond\n' "$1" "$PGD"; }
pg_stop() {
    [ -n "$PGD" ] && [ -d "$PGD" ] || return 0
    if [ -x scripts/pg-cluster ]; then
        scripts/pg-cluster stop "$PGD" || true
    else
        if [ -f "$PGD/data/postmaster.pid" ]; then
            as_pg_owner "$PG_BIN/pg_ctl" -D "$PGD/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
                as_pg_owner "$PG_BIN/pg_ctl" -D "$PGD/data" -m immediate -w stop >/dev/null 2>&1 ||
                true
        fi
        rm -rf "$PGD"
    fi
    PGD=""
}
# The rows of query $2 on the PostgreSQL database of URI $1: unaligned, no header.
psq() { PGOPTIONS="-c client_min_messages=warning" psql -XAtq -v ON_ERROR_STOP=1 "$1" -c "$2"; }
# A fresh database $1 copied from the template database $2 (closed); prints its URI.
pg_fresh() {
    psq "$(pg_uri postgres)" "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null
    psq "$(pg_uri postgres)" "CREATE DATABASE $1 TEMPLATE $2" >/dev/null
    pg_uri "$1"
}
pg_drop() { psq "$(pg_uri postgres)" "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null; }
# The size of database $1 in MB.
pg_size_mb() { psq "$(pg_uri postgres)" "SELECT pg_database_size('$1') / 1048576"; }

# ---- the engines ---------------------------------------------------------------------------
# For scripts that run on SQLite and on PostgreSQL (bench/surge.sh,
# bench/big_petition.sh): they set ENGINES ("sqlite postgresql" or one of
# them), BIN, PETITION (e-6512) and W, and start the cluster (pg_start)
# when ENGINES has postgresql.
#
# make_templates makes the template databases every run copies: $W/tmpl.db
# and, when the cluster runs, the database tmpl (petitiond migrate, then
# demo), and checks that PETITION is open for signature in both.
# use_engine sqlite|postgresql selects the engine of what follows: ENGINE,
# ENAME (its name), DBL (its name in tables), P (the prefix of its figures:
# "" on SQLite, so they keep the names of earlier results; "pg_" on
# PostgreSQL) and PETITION_ID (the petition's id in its template).  fresh
# NAME makes database NAME a copy of the engine's template and prints what
# --db takes; drop NAME removes it; q DB SQL asks either engine.
has_engine() { case " $ENGINES " in *" $1 "*) return 0 ;; esac; return 1; }
make_templates() {
    local db
    PID_SQLITE="" PID_PG=""
    for db in "$W/tmpl.db" ${PGD:+"$(pg_uri tmpl)"}; do
        "$BIN" migrate --db "$db" >/dev/null
        "$BIN" demo --db "$db" >/dev/null
        PETITION_ID=$(q "$db" "SELECT id FROM petitions WHERE e_number = ${PETITION#e-}")
        if [ -z "$PETITION_ID" ] ||
            [ "$(q "$db" "SELECT state FROM petitions WHERE id = $PETITION_ID")" != OPEN_FOR_SIGNATURE ]; then
            echo "$BENCH: $PETITION is not open for signature in the demo data ($db)" >&2
            exit 1
        fi
        case $db in
        postgres*) PID_PG=$PETITION_ID ;;
        *) PID_SQLITE=$PETITION_ID ;;
        esac
    done
    for db in $ENGINES; do use_engine "$db"; done # the names are known
}
use_engine() {
    ENGINE=$1
    case $1 in
    sqlite) P="" DBL=sqlite ENAME=SQLite PETITION_ID=$PID_SQLITE ;;
    postgresql) P=pg_ DBL=pg ENAME=PostgreSQL PETITION_ID=$PID_PG ;;
    *)
        echo "$BENCH: unknown engine $1 (ENGINES: sqlite, postgresql)" >&2
        exit 1
        ;;
    esac
}
fresh() {
    if [ "$ENGINE" = sqlite ]; then
        cp "$W/tmpl.db" "$W/$1.db"
        echo "$W/$1.db"
    else
        pg_fresh "$1" tmpl
    fi
}
drop() {
    if [ "$ENGINE" = sqlite ]; then rm -f "$W/$1.db"*; else pg_drop "$1"; fi
}
q() {
    case $1 in
    postgresql://* | postgres://*) psq "$1" "$2" ;;
    *) sql "$1" "$2" ;;
    esac
}

# ---- nginx -----------------------------------------------------------------------------
# Debian's nginx on 127.0.0.1:$1 serving the files under $2 as static files
# (2 workers, keep-alive, sendfile, open_file_cache, access_log off), with
# content type $3 unless a location in $4 (more lines of the server block)
# says otherwise; its files in $W/nginx.  Sets NPID and NURL.
start_nginx() {
    local port=$1 root=$2 type=$3 more=${4:-}
    mkdir -p "$W/nginx/tmp"
    chmod 755 "$W" && chmod -R a+rX "$W/nginx" "$root"
    cat >"$W/nginx/nginx.conf" <<EOF
worker_processes 2;
daemon off;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    open_file_cache max=64 inactive=60s;
    open_file_cache_valid 60s;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    keepalive_timeout 65;
    types { }
    default_type "$type";
    client_body_temp_path $W/nginx/tmp;
    proxy_temp_path $W/nginx/tmp;
    fastcgi_temp_path $W/nginx/tmp;
    uwsgi_temp_path $W/nginx/tmp;
    scgi_temp_path $W/nginx/tmp;
    server {
        listen 127.0.0.1:$port;
        root $root;
        $more
    }
}
EOF
    nginx -p "$W/nginx" -e "$W/nginx/error.log" -c "$W/nginx/nginx.conf" &
    NPID=$!
    NURL=http://127.0.0.1:$port
    for _ in $(seq 100); do
        curl -s -o /dev/null "$NURL/" && return 0
        kill -0 "$NPID" 2>/dev/null || break
        sleep 0.05
    done
    echo "$BENCH: nginx did not start; its log:" >&2
    tail -20 "$W/nginx/error.log" >&2
    exit 1
}
stop_nginx() {
    kill "$NPID" 2>/dev/null || true
    wait "$NPID" 2>/dev/null || true
    NPID=""
}

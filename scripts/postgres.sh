# Sourced by scripts/test.sh: a throwaway PostgreSQL cluster from Debian's `postgresql` package, for the tests.
# start_throwaway_postgres: initdb into a temp folder and pg_ctl start on a free loopback port, as the
# `postgres` OS user (the server refuses to run as root); creates the role and database `videotracker` and
# exports VT_TEST_POSTGRES, a Npgsql connection string whose user may create databases (each test makes its own).
# stop_throwaway_postgres: stops the server and removes the folder. Call it from a trap so it runs on failure too.
start_throwaway_postgres() {
    local bin port password as_postgres
    bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -x "$bin/pg_ctl" ] || { echo "PostgreSQL server binaries not found under /usr/lib/postgresql" >&2; return 1; }
    if [ "$(id -u)" -eq 0 ]; then as_postgres=(runuser -u postgres --); else as_postgres=(sudo -u postgres); fi
    VT_PG_DIR="$(mktemp -d /tmp/vt-postgres.XXXXXX)"
    chown postgres:postgres "$VT_PG_DIR" 2>/dev/null || sudo chown postgres:postgres "$VT_PG_DIR"
    chmod 700 "$VT_PG_DIR" 2>/dev/null || true
    port="$(free_loopback_port)"
    password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
    "${as_postgres[@]}" "$bin/initdb" -D "$VT_PG_DIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --no-sync -E UTF8 >"$VT_PG_DIR/initdb.log" 2>&1 || { cat "$VT_PG_DIR/initdb.log" >&2; return 1; }
    # Throwaway data: no fsync. Enough connections for three app processes and parallel test factories.
    "${as_postgres[@]}" "$bin/pg_ctl" -D "$VT_PG_DIR/data" -l "$VT_PG_DIR/server.log" -w -t 60 start \
        -o "-p $port -k $VT_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
        >/dev/null || { cat "$VT_PG_DIR/server.log" >&2; return 1; }
    VT_PG_STOP=("${as_postgres[@]}" "$bin/pg_ctl" -D "$VT_PG_DIR/data" -m immediate -w stop)
    "${as_postgres[@]}" "$bin/psql" -q -h "$VT_PG_DIR" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE videotracker LOGIN CREATEDB PASSWORD '$password'" \
        -c "CREATE DATABASE videotracker OWNER videotracker" >/dev/null
    export VT_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Database=videotracker;Username=videotracker;Password=$password"
    echo "Throwaway PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($VT_PG_DIR)" >&2
}

stop_throwaway_postgres() {
    if [ -n "${VT_PG_DIR:-}" ] && [ -d "$VT_PG_DIR" ]; then
        "${VT_PG_STOP[@]}" >/dev/null 2>&1 || true
        rm -rf "$VT_PG_DIR" 2>/dev/null || sudo rm -rf "$VT_PG_DIR"
    fi
    VT_PG_DIR=""
}

free_loopback_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 20000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            echo "$port"
            return 0
        fi
    done
    return 1
}

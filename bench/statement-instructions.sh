#!/bin/bash
# PostgreSQL's instructions per execution of prepared statements, counted by valgrind (callgrind) in a
# single-user backend: a measure of a statement's server CPU that the machine's load does not move
# (repeat runs agree within ±10k of ~16M), for comparing shapes of one statement on a shared machine.
#
# Usage: bench/statement-instructions.sh <database> <file.sql>...
#   <database>: a database on 127.0.0.1:5432 (user postgres), copied once with pg_dump into a cluster
#   of its own under $INSTRUCTIONS_DIR (default /tmp/statement-instructions; delete it to copy again).
#   Each file holds one statement without parameters (BENCH_PAGE_SAVE of bench:page-statement keeps
#   the page's in its `page` field). Prints instructions per execution: those of 13 executions less
#   those of 3, over 10, so parsing, planning and the backend's start are left out. The row written
#   to stdout is counted too.
# Needs valgrind and PostgreSQL's server binaries (pg_config --bindir); runs the backend as postgres.
set -euo pipefail
database=$1
shift
dir=${INSTRUCTIONS_DIR:-/tmp/statement-instructions}
bin=$(pg_config --bindir)
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi; }

if [ ! -d "$dir/data" ]; then
  mkdir -p "$dir" && chown postgres "$dir"
  as_postgres "$bin/initdb" -D "$dir/data" -A trust -U postgres > "$dir/initdb.log"
  as_postgres "$bin/pg_ctl" -D "$dir/data" -o "-p 5499 -k $dir -c listen_addresses=''" -l "$dir/server.log" -w start > /dev/null
  psql -q -h "$dir" -p 5499 -U postgres -c "CREATE DATABASE copy"
  pg_dump -h 127.0.0.1 -U postgres "$database" | psql -q -h "$dir" -p 5499 -U postgres copy > "$dir/restore.log" 2>&1
  psql -q -h "$dir" -p 5499 -U postgres copy -c "VACUUM ANALYZE"
  as_postgres "$bin/pg_ctl" -D "$dir/data" -w stop > /dev/null
fi

for file in "$@"; do
  counts=()
  for executions in 3 13; do
    script="$dir/script.sql"
    { echo "SET max_parallel_workers_per_gather = 0;"; echo; echo "PREPARE q AS $(cat "$file");"; echo; for _ in $(seq "$executions"); do echo "EXECUTE q;"; echo; done; } > "$script"
    chmod 644 "$script"
    as_postgres valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin/postgres" --single -j -D "$dir/data" copy < "$script" > "$dir/out.txt" 2> "$dir/valgrind.txt"
    if grep -q ERROR "$dir/valgrind.txt"; then
      grep ERROR "$dir/valgrind.txt" >&2
      exit 1
    fi
    counts+=("$(grep -o 'Collected : [0-9]*' "$dir/valgrind.txt" | grep -o '[0-9]*')")
  done
  echo "$file $(((counts[1] - counts[0]) / 10)) instructions per execution"
done

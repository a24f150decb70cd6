#!/bin/bash
# PostgreSQL's instructions per execution of prepared statements, counted by valgrind (callgrind) in a
# single-user backend: a measure of a statement's server CPU that the machine's load does not move
# (repeat runs agree within ±10k of ~16M), for comparing shapes of one statement on a shared machine.
#
# Usage: bench/statement-instructions.sh [--heap] <database> <file.sql>...
#   --heap: the heap instead (valgrind's dhat): bytes and blocks malloc'd per execution, counted the same way, and the
#   allocation sites that take most (PostgreSQL's memory contexts take their blocks from malloc).
#   --cache: cache misses instead (valgrind's cachegrind simulating this machine's per-core caches: 32 KB L1 and, as the
#   last level, the 512 KB L2; CACHE_LL="size,ways,line" to change it), per execution, and the functions with most
#   first-level data misses. Instructions say what a statement computes; misses say how much memory it walks.
#   <database>: a database on 127.0.0.1:5432 (user postgres), copied once with pg_dump into a cluster
#   of its own under $INSTRUCTIONS_DIR (default /tmp/statement-instructions; delete it to copy again).
#   Each file holds one statement without parameters (BENCH_PAGE_SAVE of bench:page-statement keeps
#   the page's in its `page` field). Prints instructions per execution: those of 13 executions less
#   those of 3, over 10, so parsing, planning and the backend's start are left out. The row written
#   to stdout is counted too.
# Needs valgrind and PostgreSQL's server binaries (pg_config --bindir); runs the backend as postgres.
set -euo pipefail
mode=instructions
if [ "${1:-}" = --heap ] || [ "${1:-}" = --cache ]; then
  mode=${1#--}
  shift
fi
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
    if [ "$mode" = heap ]; then
      profile="$dir/heap-$executions.json"
      rm -f "$profile" && touch "$profile" && chown postgres "$profile"
      as_postgres valgrind --tool=dhat --dhat-out-file="$profile" "$bin/postgres" --single -j -D "$dir/data" copy < "$script" > "$dir/out.txt" 2> "$dir/valgrind.txt"
    elif [ "$mode" = cache ]; then
      profile="$dir/cache-$executions.out"
      rm -f "$profile" && touch "$profile" && chown postgres "$profile"
      as_postgres valgrind --tool=cachegrind --cache-sim=yes --I1=32768,8,64 --D1=32768,8,64 --LL="${CACHE_LL:-524288,8,64}" --cachegrind-out-file="$profile" \
        "$bin/postgres" --single -j -D "$dir/data" copy < "$script" > "$dir/out.txt" 2> "$dir/valgrind.txt"
    else
      as_postgres valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin/postgres" --single -j -D "$dir/data" copy < "$script" > "$dir/out.txt" 2> "$dir/valgrind.txt"
    fi
    if grep -q ERROR "$dir/valgrind.txt"; then
      grep ERROR "$dir/valgrind.txt" >&2
      exit 1
    fi
    if [ "$mode" = instructions ]; then counts+=("$(grep -o 'Collected : [0-9]*' "$dir/valgrind.txt" | grep -o '[0-9]*')"); fi
  done
  if [ "$mode" = cache ]; then
    cg_diff "$dir/cache-3.out" "$dir/cache-13.out" > "$dir/cache-diff.out" 2> /dev/null
    python3 - "$file" "$dir/cache-diff.out" <<'PY'
import sys
events, totals, functions, name = [], None, {}, None
for line in open(sys.argv[2]):
    if line.startswith('events:'):
        events = line.split()[1:]
    elif line.startswith('summary:'):
        totals = dict(zip(events, (int(v) for v in line.split()[1:])))
    elif line.startswith('fn='):
        name = line[3:].strip()
    elif line[:1].isdigit() and name:
        values = dict(zip(events, (int(v) for v in line.split()[1:])))
        functions[name] = functions.get(name, 0) + values.get('D1mr', 0) + values.get('D1mw', 0)
per = lambda event: totals.get(event, 0) / 10
print(f"{sys.argv[1]} per execution: {per('Ir'):,.0f} instructions, {per('Dr') + per('Dw'):,.0f} data accesses, "
      f"{per('D1mr') + per('D1mw'):,.0f} L1 data misses, {per('DLmr') + per('DLmw'):,.0f} last-level data misses, {per('ILmr'):,.0f} last-level instruction misses")
for function, misses in sorted(functions.items(), key=lambda item: -item[1])[:10]:
    print(f"  {misses / 10:>10,.0f} L1 data misses  {function}")
PY
  elif [ "$mode" = heap ]; then
    python3 - "$file" "$dir/heap-3.json" "$dir/heap-13.json" <<'PY'
import collections, json, sys
SKIP = {'malloc', '???', 'palloc', 'palloc0', 'repalloc', 'MemoryContextAlloc', 'MemoryContextAllocZero'}
def sites(path):
    profile = json.load(open(path))
    frames, found = profile['ftbl'], collections.defaultdict(lambda: [0, 0])
    for point in profile['pps']:
        names = [n for n in (frames[i].split(': ')[1].split(' (')[0] if ': ' in frames[i] else frames[i] for i in point['fs'][:10]) if n not in SKIP]
        site = found[' < '.join(names[:4])]
        site[0] += point['tb']
        site[1] += point['tbk']
    return found
few, many = sites(sys.argv[2]), sites(sys.argv[3])
per = {site: [(many[site][i] - few.get(site, [0, 0])[i]) / 10 for i in (0, 1)] for site in many}
print(f"{sys.argv[1]} {sum(v[0] for v in per.values()):,.0f} bytes in {sum(v[1] for v in per.values()):,.0f} blocks per execution")
for site, (size, blocks) in sorted(per.items(), key=lambda item: -item[1][0])[:8]:
    print(f"  {size:>10,.0f} bytes {blocks:>5.1f} blocks  {site}")
PY
  else
    echo "$file $(((counts[1] - counts[0]) / 10)) instructions per execution"
  fi
done

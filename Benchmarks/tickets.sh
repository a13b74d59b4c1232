#!/usr/bin/env bash
# Support tickets benchmark: makes TICKETS_BENCH_TENANTS tenants and writes TICKETS_BENCH_TICKETS
# tickets (TICKETS_BENCH_MESSAGES messages each on average, the description included) as JSON
# lines, imports them with `statusd import tickets` (the real import path), then times at the
# store (tickets-bench queries, SQLiteTicketStore directly) and over HTTP on a running
# `statusd serve` (n/a while a page answers 404): the agents' queue with filters, a customer's
# "Suivi de vos demandes", a ticket page, search by number, search by words.
# Prints: tickets-bench: tickets=N import_per_s=… queue_p50_ms=… queue_p99_ms=… mine_… page_… number_… words_…
#         and the same for HTTP (http_queue_p99_ms=…), db_mb=…
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tickets="${TICKETS_BENCH_TICKETS:-1000000}"
tenants="${TICKETS_BENCH_TENANTS:-5000}"
messages="${TICKETS_BENCH_MESSAGES:-10}"
runs="${TICKETS_BENCH_RUNS:-1000}"
work="$(mktemp -d "${TICKETS_BENCH_WORK:-/tmp}/tickets-bench.XXXXXX")"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null || true; [ -n "${TICKETS_BENCH_KEEP:-}" ] || rm -rf "$work"; }
trap cleanup EXIT

if [ -z "${TICKETS_BENCH_BIN_DIR:-}" ]; then
  echo "building statusd and tickets-bench in release (.build-release)..." >&2
  (cd "$root" && swift build -c release --scratch-path .build-release --product statusd >&2 \
     && swift build -c release --scratch-path .build-release --product tickets-bench >&2)
  TICKETS_BENCH_BIN_DIR="$root/.build-release/release"
fi
statusd="$TICKETS_BENCH_BIN_DIR/statusd"
bench="$TICKETS_BENCH_BIN_DIR/tickets-bench"

cat > "$work/bench.yaml" <<YAML
listen: 127.0.0.1:0
database: $work/tickets.sqlite
YAML

echo "making $tenants tenants and writing $tickets tickets..." >&2
timeout 3600 "$bench" generate --tickets "$tickets" --tenants "$tenants" --messages "$messages" \
  --database "$work/tickets.sqlite" --out "$work/tickets.jsonl"
echo "file: $(du -h "$work/tickets.jsonl" | cut -f1)" >&2

echo "importing..." >&2
start=$(date +%s.%N)
timeout 7200 "$statusd" import tickets "$work/tickets.jsonl" --config "$work/bench.yaml" >&2
end=$(date +%s.%N)
import_per_s=$(/usr/bin/python3 -c "print(round($tickets / ($end - $start)))")
echo "a second run adds nothing:" >&2
timeout 7200 "$statusd" import tickets "$work/tickets.jsonl" --config "$work/bench.yaml" | tail -3 >&2
db_mb=$(/usr/bin/python3 -c "import os; print(round(sum(os.path.getsize('$work/tickets.sqlite' + s) for s in ['', '-wal'] if os.path.exists('$work/tickets.sqlite' + s)) / 1e6))")

echo "timing the store, $runs runs of each query..." >&2
store_line=$(timeout 3600 "$bench" queries --database "$work/tickets.sqlite" --runs "$runs" --tenants "$tenants" ${TICKETS_BENCH_SLOW:+--slow})
echo "$store_line" >&2
store_figures=$(echo "$store_line" | tail -1 | sed 's/^tickets=[0-9]* //')

echo "starting statusd serve..." >&2
"$statusd" serve --config "$work/bench.yaml" > "$work/serve.log" 2>&1 &
server=$!
address=""
for _ in $(seq 1 300); do
  address=$(sed -n 's/^statusd listening on \(http:[^ ]*\)$/\1/p' "$work/serve.log" | head -1)
  [ -n "$address" ] && break
  sleep 0.1
done
http_figures=""
if [ -n "$address" ]; then
  "$bench" http-setup --database "$work/tickets.sqlite" --address "$address" --runs "$runs" --tenants "$tenants" --out "$work" > "$work/setup.txt"
  for kind in queue mine page number words; do
    # The first request of the kind tells whether the page exists yet (another branch builds it).
    first_url=$(sed -n '1s/^url = "\(.*\)"$/\1/p' "$work/$kind.txt")
    cookie=$(sed -n '2s/^cookie = "\(.*\)"$/\1/p' "$work/$kind.txt")
    status=$(curl -s -o /dev/null -w '%{http_code}' -b "$cookie" "$first_url" || echo none)
    if [ "$status" = "200" ]; then
      timeout 1800 curl -s -K "$work/$kind.txt" -w '%{http_code} %{time_total}\n' > "$work/http-$kind.txt"
      read -r p50 p99 bad < <(/usr/bin/python3 -c "
rows = [line.split() for line in open('$work/http-$kind.txt') if line.strip()]
values = sorted(float(t) * 1000 for _, t in rows)
print(round(values[len(values) // 2], 2), round(values[min(len(values) - 1, int(len(values) * 0.99))], 2), sum(1 for c, _ in rows if c != '200'))")
      [ "$bad" = "0" ] || echo "http $kind: $bad answers were not 200" >&2
    else
      echo "GET ${first_url#$address} answers $status: http_$kind figures n/a" >&2
      p50="n/a"; p99="n/a"
    fi
    http_figures="$http_figures http_${kind}_p50_ms=$p50 http_${kind}_p99_ms=$p99"
  done
else
  echo "statusd serve did not start: http figures n/a" >&2
  http_figures=" http=n/a"
fi
echo "tickets-bench: tickets=$tickets import_per_s=$import_per_s $store_figures$http_figures db_mb=$db_mb"

#!/usr/bin/env bash
# Knowledge-base search benchmark: generates KB_BENCH_ARTICLES articles (French and English,
# common words in most, a long tail of rare ones, one in ten with an attachment's text), imports
# them with `statusd kb import` (the real import path), times the store's search over a query mix
# (rare, common, two words, prefixes as typed, numbers, with and without filters), then the whole
# HTTP answer of GET /kb?q= on a running `statusd serve` (n/a while /kb answers 404).
# Prints: kb-bench: articles=N http_p50_ms=… http_p99_ms=… store_p99_ms=… import_per_s=… db_mb=…
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
articles="${KB_BENCH_ARTICLES:-100000}"
runs="${KB_BENCH_RUNS:-10000}"
work="$(mktemp -d /tmp/kb-bench.XXXXXX)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

if [ -z "${KB_BENCH_BIN_DIR:-}" ]; then
  echo "building statusd and kb-bench in release (.build-release)..." >&2
  (cd "$root" && swift build -c release --scratch-path .build-release --product statusd >&2 \
     && swift build -c release --scratch-path .build-release --product kb-bench >&2)
  KB_BENCH_BIN_DIR="$root/.build-release/release"
fi
statusd="$KB_BENCH_BIN_DIR/statusd"
bench="$KB_BENCH_BIN_DIR/kb-bench"

cat > "$work/bench.yaml" <<YAML
listen: 127.0.0.1:0
database: $work/kb.sqlite
YAML

echo "generating $articles articles..." >&2
timeout 1800 "$bench" generate --articles "$articles" --out "$work/articles"

echo "importing..." >&2
start=$(date +%s.%N)
timeout 3600 "$statusd" kb import "$work/articles" --config "$work/bench.yaml" >&2
end=$(date +%s.%N)
import_per_s=$(python3 -c "print(round($articles / ($end - $start)))")
db_mb=$(python3 -c "import os; print(round(sum(os.path.getsize('$work/kb.sqlite' + s) for s in ['', '-wal'] if os.path.exists('$work/kb.sqlite' + s)) / 1e6))")

echo "timing the store over $runs queries..." >&2
store_line=$(timeout 1800 "$bench" queries --database "$work/kb.sqlite" --runs "$runs")
echo "$store_line" >&2
store_p99=$(echo "$store_line" | sed -n 's/.*store_p99_ms=\([0-9.]*\).*/\1/p')

echo "starting statusd serve..." >&2
"$statusd" serve --config "$work/bench.yaml" > "$work/serve.log" 2>&1 &
server=$!
address=""
for _ in $(seq 1 100); do
  address=$(sed -n 's/^statusd listening on \(http:[^ ]*\)$/\1/p' "$work/serve.log" | head -1)
  [ -n "$address" ] && break
  sleep 0.1
done
http_p50="n/a"; http_p99="n/a"
if [ -n "$address" ] && [ "$(curl -s -o /dev/null -w '%{http_code}' "$address/kb?q=facture")" = "200" ]; then
  "$bench" queries --database "$work/kb.sqlite" --list > "$work/queries.txt"
  python3 - "$address" "$work/queries.txt" "$runs" > "$work/urls.txt" <<'PY'
import sys
address, path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
queries = [line.strip() for line in open(path) if line.strip()]
for index in range(runs):
    print(f"url = \"{address}/kb?{queries[index % len(queries)]}\"")
    print("output = /dev/null")
PY
  timeout 1800 curl -s -K "$work/urls.txt" -w '%{time_total}\n' > "$work/http.txt"
  read -r http_p50 http_p99 < <(python3 -c "
values = sorted(float(line) * 1000 for line in open('$work/http.txt') if line.strip())
print(round(values[len(values) // 2], 2), round(values[min(len(values) - 1, int(len(values) * 0.99))], 2))")
else
  echo "GET /kb answers $(curl -s -o /dev/null -w '%{http_code}' "$address/kb?q=facture" 2>/dev/null || echo none): http figures n/a" >&2
fi
echo "kb-bench: articles=$articles http_p50_ms=$http_p50 http_p99_ms=$http_p99 store_p99_ms=$store_p99 import_per_s=$import_per_s db_mb=$db_mb"

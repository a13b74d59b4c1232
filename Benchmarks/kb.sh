#!/usr/bin/env bash
# Knowledge-base search benchmark: generates KB_BENCH_ARTICLES articles (French and English,
# common words in most, a long tail of rare ones, one in ten with an attachment's text), imports
# them with `statusd kb import` (the real import path), times the store's search over a query mix
# (rare, common, two words, prefixes as typed, numbers, with and without filters), then the whole
# HTTP answer of GET /kb?q= on a running `statusd serve`.
# Prints: kb-bench: articles=N http_p50_ms=… http_p99_ms=… store_p99_ms=… import_per_s=… db_mb=…
#
# Environment (all optional):
#   KB_BENCH_ARTICLES   articles generated and imported   (default 100000)
#   KB_BENCH_RUNS       queries timed, store and HTTP     (default 10000)
#   KB_BENCH_BIN_DIR    a folder holding statusd and kb-bench, instead of building them (release)
set -euo pipefail
bench_name=kb.sh
source "$(dirname "$0")/lib.sh"

articles="${KB_BENCH_ARTICLES:-100000}"
runs="${KB_BENCH_RUNS:-10000}"
require_positive articles runs
need_packages curl=curl python3=python3
failure_logs="serve.log"

if [ -n "${KB_BENCH_BIN_DIR:-}" ]; then
  statusd="$(release_binary statusd "$KB_BENCH_BIN_DIR/statusd")"
  bench="$(release_binary kb-bench "$KB_BENCH_BIN_DIR/kb-bench")"
else
  statusd="$(release_binary statusd)"
  bench="$(release_binary kb-bench)"
fi

port="$(free_port)"
cat > "$work/bench.yaml" <<YAML
listen: 127.0.0.1:$port
database: $work/kb.sqlite
YAML

log "generating $articles articles ($(load))"
run timeout 1800 "$bench" generate --articles "$articles" --out "$work/articles"

log "importing ($(load))"
start=$(date +%s.%N)
run timeout 3600 "$statusd" kb import "$work/articles" --config "$work/bench.yaml" >&2
end=$(date +%s.%N)
import_per_s=$(python3 -c "print(round($articles / ($end - $start)))")
db_mb=$(python3 -c "import os; print(round(sum(os.path.getsize('$work/kb.sqlite' + s) for s in ['', '-wal'] if os.path.exists('$work/kb.sqlite' + s)) / 1e6))")

log "timing the store over $runs queries ($(load))"
store_line=$(timeout 1800 "$bench" queries --database "$work/kb.sqlite" --runs "$runs")
log "$store_line"
store_p99=$(echo "$store_line" | sed -n 's/.*store_p99_ms=\([0-9.]*\).*/\1/p')

log "starting statusd serve"
"$statusd" serve --config "$work/bench.yaml" > "$work/serve.log" 2>&1 &
track $!
address="http://127.0.0.1:$port"
wait_http "$address/healthz" 30 || die "statusd did not answer on $address within 30 s"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$address/kb?q=facture")" = "200" ] || die "GET /kb?q=facture did not answer 200"
"$bench" queries --database "$work/kb.sqlite" --list > "$work/queries.txt"
python3 - "$address" "$work/queries.txt" "$runs" > "$work/urls.txt" <<'PY'
import sys
address, path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
queries = [line.strip() for line in open(path) if line.strip()]
for index in range(runs):
    print(f"url = \"{address}/kb?{queries[index % len(queries)]}\"")
    print("output = /dev/null")
PY
log "timing $runs HTTP answers ($(load))"
run timeout 1800 curl -s -K "$work/urls.txt" -w '%{time_total}\n' > "$work/http.txt"
read -r http_p50 http_p99 < <(python3 -c "
values = sorted(float(line) * 1000 for line in open('$work/http.txt') if line.strip())
print(round(values[len(values) // 2], 2), round(values[min(len(values) - 1, int(len(values) * 0.99))], 2))")
echo "kb-bench: articles=$articles http_p50_ms=$http_p50 http_p99_ms=$http_p99 store_p99_ms=$store_p99 import_per_s=$import_per_s db_mb=$db_mb"

#!/usr/bin/env bash
# Page benchmark: statusd serving the demo's grid and /api/v2/summary.json to a crowd, against
# nginx serving the same bytes (saved from statusd's answers, gzip as the client asks), in one
# run, alternated. Everything stays on 127.0.0.1 and every step has a time limit. The last line
# of stdout is always:
#   pages-bench: grid_rps=A nginx_rps=B ratio=A/B errors_at_1000=E summary_ratio=S/N
#
# Environment (all optional):
#   PAGES_BENCH_BIN            use this statusd binary instead of building it (release)
#   PAGES_BENCH_SECONDS        length of each wrk run                      (default 10)
#   PAGES_BENCH_ROUNDS         alternated statusd/nginx rounds at 50 conns  (default 2)
#   PAGES_BENCH_THREADS        wrk threads                                 (default 2)
#   PAGES_BENCH_NGINX_WORKERS  nginx worker processes                      (default 1)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"

seconds="${PAGES_BENCH_SECONDS:-10}"
rounds="${PAGES_BENCH_ROUNDS:-2}"
threads="${PAGES_BENCH_THREADS:-2}"
nginx_workers="${PAGES_BENCH_NGINX_WORKERS:-1}"
for v in seconds rounds threads nginx_workers; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "pages.sh: $v must be a positive integer, got '${!v}'" >&2; exit 2; }
done

log() { echo "pages.sh: $*" >&2; }
die() { echo "pages.sh: FAIL: $*" >&2; exit 1; }
load() { echo "loadavg $(cut -d' ' -f1 /proc/loadavg)"; }

# --- 1. Debian packages -----------------------------------------------------------------------
need_pkgs=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_pkgs+=(nginx)
command -v wrk >/dev/null 2>&1 || need_pkgs+=(wrk)
command -v curl >/dev/null 2>&1 || need_pkgs+=(curl)
command -v python3 >/dev/null 2>&1 || need_pkgs+=(python3)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  [ "$(id -u)" -eq 0 ] || die "missing ${need_pkgs[*]}; install them (apt-get install ${need_pkgs[*]}) or run as root"
  log "installing ${need_pkgs[*]}"
  timeout 600 apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"

# --- temp dir and cleanup ---------------------------------------------------------------------
work="$(mktemp -d /tmp/pages-bench.XXXXXX)"
nginx_pid=""
statusd_pid=""
child_pid=""
cleanup() {
  local rc=$?
  trap - INT TERM
  for pid in $child_pid $statusd_pid $nginx_pid; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $child_pid $statusd_pid $nginx_pid; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ $rc -ne 0 ]; then
    for f in error.log statusd.log statusd.out; do
      [ -s "$work/$f" ] && { log "--- tail of $f"; tail -n 20 "$work/$f" >&2; }
    done
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run CMD...: a long step in the background, so that INT/TERM reach the trap at once.
run() {
  local rc=0
  "$@" &
  child_pid=$!
  wait "$child_pid" || rc=$?
  child_pid=""
  return $rc
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_http() {
  local url=$1 deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    curl -fsS --max-time 1 -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# wrk, 1000 connections need as many descriptors.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# --- 2. statusd on the demo -------------------------------------------------------------------
if [ -n "${PAGES_BENCH_BIN:-}" ]; then
  bin="$PAGES_BENCH_BIN"
  [ -x "$bin" ] || die "PAGES_BENCH_BIN=$bin is not an executable file"
  log "using prebuilt $bin"
else
  log "building statusd (release, in .build-release)"
  run timeout 3600 swift build --package-path "$repo" -c release --product statusd --scratch-path "$repo/.build-release" >&2 \
    || die "swift build failed"
  bin="$(swift build --package-path "$repo" -c release --scratch-path "$repo/.build-release" --show-bin-path)/statusd"
  [ -x "$bin" ] || die "built, but $bin is missing"
fi

statusd_port="$(free_port)"
# No config products: nothing probes during the runs, so the pages stay the same bytes.
cat >"$work/statusd.yaml" <<YAML
listen: 127.0.0.1:$statusd_port
base_url: http://127.0.0.1:$statusd_port
time_zone: Europe/Paris
history_days: 25
database: $work/demo.sqlite
YAML
run timeout 120 "$bin" demo --config "$work/statusd.yaml" >"$work/demo.out" 2>&1 || die "statusd demo failed: $(cat "$work/demo.out")"
"$bin" serve --config "$work/statusd.yaml" --log-level warning >"$work/statusd.out" 2>"$work/statusd.log" &
statusd_pid=$!
statusd="http://127.0.0.1:$statusd_port"
wait_http "$statusd/healthz" 30 || die "statusd did not answer on $statusd within 30 s"
log "statusd serving the demo on $statusd"

# --- 3. nginx with the same bytes -------------------------------------------------------------
mkdir -p "$work"/{body,proxy,fastcgi,uwsgi,scgi} "$work/root/api/v2"
save() { # save PATH FILE: statusd's answer to PATH, plain and gzip, as nginx's FILE and FILE.gz
  curl -fsS --max-time 5 -H 'Accept-Language: fr' -o "$work/root/$2" "$statusd$1"
  curl -fsS --max-time 5 -H 'Accept-Language: fr' -H 'Accept-Encoding: gzip' -o "$work/root/$2.gz" "$statusd$1"
  gzip -t "$work/root/$2.gz" || die "statusd's gzip answer for $1 does not decompress"
  cmp -s "$work/root/$2" <(gzip -dc "$work/root/$2.gz") || die "statusd's gzip answer for $1 differs from its plain one"
}
save / index.html
save /api/v2/summary.json api/v2/summary.json
grid_bytes=$(stat -c %s "$work/root/index.html"); grid_gz=$(stat -c %s "$work/root/index.html.gz")
log "grid: $grid_bytes bytes, $grid_gz gzip; summary: $(stat -c %s "$work/root/api/v2/summary.json") bytes"

# nginx's workers run as nobody when started as root: they must read the saved files.
chmod 755 "$work" "$work/root" "$work/root/api" "$work/root/api/v2"
chmod 644 "$work"/root/index.html* "$work"/root/api/v2/summary.json*
nginx_port="$(free_port)"
sed -e "s#@DIR@#$work#g" -e "s#@PORT@#$nginx_port#g" -e "s#@WORKERS@#$nginx_workers#g" \
  "$here/nginx-pages.conf.template" >"$work/nginx.conf"
"$NGINX" -t -q -p "$work" -c "$work/nginx.conf" -e "$work/error.log" || die "nginx config test failed"
"$NGINX" -p "$work" -c "$work/nginx.conf" -e "$work/error.log" &
nginx_pid=$!
nginx="http://127.0.0.1:$nginx_port"
wait_http "$nginx/" 10 || die "nginx did not answer on $nginx within 10 s"
cmp -s "$work/root/index.html.gz" <(curl -fsS --max-time 5 -H 'Accept-Encoding: gzip' "$nginx/") \
  || die "nginx does not serve statusd's gzip bytes"

# --- 4. measurements --------------------------------------------------------------------------
# bench NAME URL CONNECTIONS: runs wrk (gzip accepted, as browsers ask), prints its report to
# stderr, and sets rps and errors (socket errors plus answers that are not 2xx or 3xx).
bench() {
  local name=$1 url=$2 connections=$3 out="$work/wrk.out"
  log "$name: $connections connections, ${seconds}s, $(load)"
  run timeout $((seconds + 60)) wrk -t "$threads" -c "$connections" -d "${seconds}s" --timeout 5s \
    -H 'Accept-Encoding: gzip' -H 'Accept-Language: fr' "$url" >"$out" 2>&1 || die "wrk failed: $(cat "$out")"
  cat "$out" >&2
  rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
  [ -n "$rps" ] || die "no Requests/sec in wrk's report"
  local socket non2xx
  socket="$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$out")"
  non2xx="$(awk '/Non-2xx or 3xx responses:/ {print $5}' "$out")"
  errors=$(( ${socket:-0} + ${non2xx:-0} ))
}

mean() { python3 -c 'import sys; v=[float(x) for x in sys.argv[1:]]; print(f"{sum(v)/len(v):.0f}")' "$@"; }

grid_runs=(); nginx_runs=()
for round in $(seq "$rounds"); do
  bench "statusd / (round $round)" "$statusd/" 50; grid_runs+=("$rps")
  bench "nginx / (round $round)" "$nginx/" 50; nginx_runs+=("$rps")
done
grid_rps="$(mean "${grid_runs[@]}")"; nginx_rps="$(mean "${nginx_runs[@]}")"
echo "grid at 50 connections: statusd ${grid_runs[*]} req/s, nginx ${nginx_runs[*]} req/s"

bench "statusd / at 1000" "$statusd/" 1000
errors_at_1000=$errors
echo "grid at 1000 connections: statusd $rps req/s, $errors errors"

bench "statusd summary.json" "$statusd/api/v2/summary.json" 50; summary_rps=$rps
bench "nginx summary.json" "$nginx/api/v2/summary.json" 50; summary_nginx_rps=$rps
echo "summary at 50 connections: statusd $summary_rps req/s, nginx $summary_nginx_rps req/s"

ratio="$(python3 -c "print(f'{$grid_rps / $nginx_rps:.2f}')")"
summary_ratio="$(python3 -c "print(f'{$summary_rps / $summary_nginx_rps:.2f}')")"
echo "pages-bench: grid_rps=$grid_rps nginx_rps=$nginx_rps ratio=$ratio errors_at_1000=$errors_at_1000 summary_ratio=$summary_ratio"

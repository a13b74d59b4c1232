#!/usr/bin/env bash
# Probe benchmark: statusd's checker against prometheus-blackbox-exporter, same target, same
# machine, same concurrency, in one run. Everything stays on 127.0.0.1 and every step has a
# time limit. The last line of stdout is always:
#   probe-bench: checks/s=A blackbox/s=B ratio=R lag_p99_ms=L rss_mb=M
#
# Environment (all optional):
#   PROBE_BENCH_BIN            use this probe-bench binary instead of building it
#   PROBE_BENCH_CHECKS         checks in the throughput run          (default 50000)
#   PROBE_BENCH_CONCURRENCY    concurrency of both contenders        (default 64)
#   PROBE_BENCH_LAG_SECONDS    duration of the scheduling-lag run    (default 40)
#   PROBE_BENCH_WRK_SECONDS    duration of the blackbox wrk run      (default 10)
#   PROBE_BENCH_NGINX_WORKERS  nginx worker processes                (default 1)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"

checks="${PROBE_BENCH_CHECKS:-50000}"
concurrency="${PROBE_BENCH_CONCURRENCY:-64}"
lag_seconds="${PROBE_BENCH_LAG_SECONDS:-40}"
wrk_seconds="${PROBE_BENCH_WRK_SECONDS:-10}"
nginx_workers="${PROBE_BENCH_NGINX_WORKERS:-1}"

for v in checks concurrency lag_seconds wrk_seconds nginx_workers; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "probes.sh: $v must be a positive integer, got '${!v}'" >&2; exit 2; }
done

log() { echo "probes.sh: $*" >&2; }
# The machine is shared: the 1-minute load average before each phase tells whether it was busy.
load() { echo "loadavg $(cut -d' ' -f1 /proc/loadavg)"; }
die() { echo "probes.sh: FAIL: $*" >&2; exit 1; }

# --- 1. Debian packages -----------------------------------------------------------------------
need_pkgs=()
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_pkgs+=(nginx)
[ -x /usr/bin/prometheus-blackbox-exporter ] || need_pkgs+=(prometheus-blackbox-exporter)
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
BLACKBOX=/usr/bin/prometheus-blackbox-exporter

# --- temp dir and cleanup ---------------------------------------------------------------------
work="$(mktemp -d /tmp/probe-bench.XXXXXX)"
nginx_pid=""
blackbox_pid=""
child_pid=""
cleanup() {
  local rc=$?
  trap - INT TERM
  for pid in $child_pid $blackbox_pid $nginx_pid; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in $child_pid $blackbox_pid $nginx_pid; do
    # wait up to 5 s for a clean stop, then force it
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ $rc -ne 0 ]; then
    for f in error.log blackbox.log; do
      [ -s "$work/$f" ] && { log "--- tail of $f"; tail -n 20 "$work/$f" >&2; }
    done
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run CMD...: runs a long step in the background and waits for it, so that INT/TERM reach the
# trap at once instead of after the step; cleanup stops it.
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

# wait_http URL SECONDS: succeed once URL answers at all, or fail after SECONDS.
wait_http() {
  local url=$1 deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    curl -fsS --max-time 1 -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# nginx_counters: prints "accepts requests" from stub_status (the query itself counts as one of each).
nginx_counters() {
  curl -fsS --max-time 2 "http://127.0.0.1:$port/nginx_status" | awk 'NR==3 {print $1, $3}'
}

# Raise the soft open-file limit to the hard one: nginx, wrk and probe-bench inherit it.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# --- 2. nginx target --------------------------------------------------------------------------
port="$(free_port)"
mkdir -p "$work"/{body,proxy,fastcgi,uwsgi,scgi}
sed -e "s#@DIR@#$work#g" -e "s#@PORT@#$port#g" -e "s#@WORKERS@#$nginx_workers#g" \
  "$here/nginx.conf.template" >"$work/nginx.conf"
"$NGINX" -t -q -p "$work" -c "$work/nginx.conf" -e "$work/error.log" || die "nginx config test failed"
"$NGINX" -p "$work" -c "$work/nginx.conf" -e "$work/error.log" &
nginx_pid=$!
target="http://127.0.0.1:$port/"
wait_http "$target" 10 || die "nginx did not answer on $target within 10 s"
[ "$(curl -fsS --max-time 2 "$target")" = "ok" ] || die "nginx at $target did not answer 'ok'"
log "nginx ($nginx_workers worker(s)) serving $target"

# --- 3. statusd throughput --------------------------------------------------------------------
if [ -n "${PROBE_BENCH_BIN:-}" ]; then
  bin="$PROBE_BENCH_BIN"
  [ -x "$bin" ] || die "PROBE_BENCH_BIN=$bin is not an executable file"
  log "using prebuilt $bin"
else
  log "building probe-bench (release)"
  run timeout 3600 swift build --package-path "$repo" -c release --product probe-bench >&2 || die "swift build failed"
  bin="$(swift build --package-path "$repo" -c release --show-bin-path)/probe-bench"
  [ -x "$bin" ] || die "built, but $bin is missing"
fi

# parse KEY FILE: prints the last KEY=<number> found in FILE, or fails.
parse() {
  local v
  v="$(grep -oE "(^|[^A-Za-z0-9_])$1=[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?" "$2" | tail -n 1 | sed -E "s/.*$1=//")"
  [ -n "$v" ] || { log "no $1=<number> in this output:"; cat "$2" >&2; return 1; }
  echo "$v"
}

log "statusd throughput: $checks checks, concurrency $concurrency ($(load))"
before="$(nginx_counters)"
run timeout 900 "$bin" throughput --target "$target" --checks "$checks" --concurrency "$concurrency" \
  >"$work/throughput.out" || die "probe-bench throughput failed (exit $?): $(tail -n 5 "$work/throughput.out")"
after="$(nginx_counters)"
checks_per_s="$(parse checks_per_s "$work/throughput.out")" || die "probe-bench throughput printed no checks_per_s"
read -r acc0 req0 <<<"$before"; read -r acc1 req1 <<<"$after"
statusd_conns=$((acc1 - acc0 - 1)); statusd_reqs=$((req1 - req0 - 1))
echo "statusd: checks_per_s=$checks_per_s (nginx saw $statusd_reqs requests on $statusd_conns connections)"

# --- 4. blackbox baseline ---------------------------------------------------------------------
bport="$(free_port)"
"$BLACKBOX" --config.file="$here/blackbox.yml" --web.listen-address="127.0.0.1:$bport" \
  --log.level=warn >"$work/blackbox.log" 2>&1 &
blackbox_pid=$!
wait_http "http://127.0.0.1:$bport/metrics" 15 || die "blackbox exporter did not answer on 127.0.0.1:$bport within 15 s"
probe_url="http://127.0.0.1:$bport/probe?module=http_2xx&target=$target"
curl -fsS --max-time 10 "$probe_url" >"$work/probe.txt" || die "blackbox probe request failed"
grep -qx 'probe_success 1' "$work/probe.txt" || { cat "$work/probe.txt" >&2; die "blackbox probe of $target did not report probe_success 1"; }
log "blackbox exporter on 127.0.0.1:$bport: a probe answers probe_success 1"

log "blackbox throughput: wrk -t2 -c$concurrency -d${wrk_seconds}s ($(load))"
before="$(nginx_counters)"
run timeout $((wrk_seconds + 60)) wrk -t2 -c"$concurrency" -d"${wrk_seconds}s" --timeout 10s "$probe_url" \
  >"$work/wrk.out" 2>&1 || { cat "$work/wrk.out" >&2; die "wrk failed"; }
after="$(nginx_counters)"
cat "$work/wrk.out" >&2
blackbox_per_s="$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.out")"
[[ "$blackbox_per_s" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "could not read Requests/sec from wrk"
wrk_reqs="$(awk '/requests in/ {print $1}' "$work/wrk.out")"
read -r acc0 req0 <<<"$before"; read -r acc1 req1 <<<"$after"
bb_conns=$((acc1 - acc0 - 1)); bb_reqs=$((req1 - req0 - 1))
echo "blackbox: probes_per_s=$blackbox_per_s (wrk completed $wrk_reqs probes; nginx saw $bb_reqs requests on $bb_conns connections)"
# blackbox answers 200 even when its probe failed: probes that never reached nginx would count
# in wrk's figure, so they must be few.
if grep -q -E 'Non-2xx|Socket errors' "$work/wrk.out"; then
  log "warning: wrk reported errors (see above)"
fi
if [ -n "$wrk_reqs" ] && [ "$bb_reqs" -lt $((wrk_reqs * 99 / 100)) ]; then
  die "nginx saw $bb_reqs requests but wrk counted $wrk_reqs probes: blackbox probes failed"
fi

# Stop the exporter before the lag run so it does not take memory or CPU from statusd.
kill -TERM "$blackbox_pid" 2>/dev/null || true
wait "$blackbox_pid" 2>/dev/null || true
blackbox_pid=""

# --- 5. statusd scheduling lag ----------------------------------------------------------------
log "statusd lag: 10000 checks every 10 s for ${lag_seconds} s ($(load))"
run timeout $((lag_seconds + 300)) "$bin" lag --target "$target" --checks 10000 --interval 10 --duration "$lag_seconds" \
  >"$work/lag.out" || die "probe-bench lag failed (exit $?): $(tail -n 5 "$work/lag.out")"
lag_p99="$(parse lag_p99_ms "$work/lag.out")" || die "probe-bench lag printed no lag_p99_ms"
rss="$(parse rss_mb "$work/lag.out")" || die "probe-bench lag printed no rss_mb"
echo "statusd: lag_p99_ms=$lag_p99 rss_mb=$rss"

# --- 6. result --------------------------------------------------------------------------------
ratio="$(awk -v a="$checks_per_s" -v b="$blackbox_per_s" 'BEGIN { if (b <= 0) exit 1; printf "%.2f", a / b }')" \
  || die "blackbox throughput is zero"
echo "probe-bench: checks/s=$checks_per_s blackbox/s=$blackbox_per_s ratio=$ratio lag_p99_ms=$lag_p99 rss_mb=$rss"

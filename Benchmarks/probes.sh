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
bench_name=probes.sh
source "$(dirname "$0")/lib.sh"

checks="${PROBE_BENCH_CHECKS:-50000}"
concurrency="${PROBE_BENCH_CONCURRENCY:-64}"
lag_seconds="${PROBE_BENCH_LAG_SECONDS:-40}"
wrk_seconds="${PROBE_BENCH_WRK_SECONDS:-10}"
nginx_workers="${PROBE_BENCH_NGINX_WORKERS:-1}"
require_positive checks concurrency lag_seconds wrk_seconds nginx_workers

# --- 1. Debian packages -----------------------------------------------------------------------
need_packages nginx=nginx prometheus-blackbox-exporter=prometheus-blackbox-exporter wrk=wrk curl=curl python3=python3
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
BLACKBOX=/usr/bin/prometheus-blackbox-exporter
failure_logs="error.log blackbox.log"

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
track $!
target="http://127.0.0.1:$port/"
wait_http "$target" 10 || die "nginx did not answer on $target within 10 s"
[ "$(curl -fsS --max-time 2 "$target")" = "ok" ] || die "nginx at $target did not answer 'ok'"
log "nginx ($nginx_workers worker(s)) serving $target"

# --- 3. statusd throughput --------------------------------------------------------------------
bin="$(release_binary probe-bench "${PROBE_BENCH_BIN:-}")"

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
track "$blackbox_pid"
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

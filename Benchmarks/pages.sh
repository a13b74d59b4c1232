#!/usr/bin/env bash
# Page benchmark: statusd serving the demo's grid and /api/v2/summary.json to a crowd, against
# nginx serving the same bytes (saved from statusd's answers, gzip as the client asks), in one
# run, alternated. Everything stays on 127.0.0.1 and every step has a time limit. The last line
# of stdout is always:
#   pages-bench: grid_rps=A nginx_rps=B ratio=A/B errors_at_1000=E summary_ratio=S/N customer_ratio=C/N
# customer_ratio is the grid as a signed-in demo member sees it ("Mes services" first, their
# menu in the header; one session and one subscriptions read per request, the page itself
# from the cache) against the same nginx.
#
# Environment (all optional):
#   PAGES_BENCH_BIN            use this statusd binary instead of building it (release)
#   PAGES_BENCH_SECONDS        length of each wrk run                      (default 10)
#   PAGES_BENCH_ROUNDS         alternated statusd/nginx rounds at 50 conns  (default 2)
#   PAGES_BENCH_THREADS        wrk threads                                 (default 2)
#   PAGES_BENCH_NGINX_WORKERS  nginx worker processes                      (default 1)
set -euo pipefail
bench_name=pages.sh
source "$(dirname "$0")/lib.sh"

seconds="${PAGES_BENCH_SECONDS:-10}"
rounds="${PAGES_BENCH_ROUNDS:-2}"
threads="${PAGES_BENCH_THREADS:-2}"
nginx_workers="${PAGES_BENCH_NGINX_WORKERS:-1}"
require_positive seconds rounds threads nginx_workers

# --- 1. Debian packages -----------------------------------------------------------------------
need_packages nginx=nginx wrk=wrk curl=curl python3=python3
NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
failure_logs="error.log statusd.log statusd.out"

# wrk, 1000 connections need as many descriptors.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# --- 2. statusd on the demo -------------------------------------------------------------------
bin="$(release_binary statusd "${PAGES_BENCH_BIN:-}")"

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
track $!
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
track $!
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

grid_runs=(); nginx_runs=(); customer_nginx_runs=()
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

# A demo member signs in as a browser would (the anonymous CSRF cookie, the email, the password).
jar="$work/member.cookies"
login_page="$(curl -fsS --max-time 5 -c "$jar" "$statusd/login")"
csrf="$(printf '%s' "$login_page" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)"
[ -n "$csrf" ] || die "no CSRF token on /login"
curl -fsS --max-time 5 -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
  --data-urlencode "email=camille.martin@demo.example" "$statusd/login"
curl -fsS --max-time 5 -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" \
  --data-urlencode "email=camille.martin@demo.example" --data-urlencode "password=Demo-Membre-2026" "$statusd/login/password"
sid="$(awk '$6 == "sid" {print $7}' "$jar")"
[ -n "$sid" ] || die "the demo member could not sign in"
customer_page="$(curl -fsS --max-time 5 -H "Cookie: sid=$sid" -H 'Accept-Language: fr' "$statusd/")"
case "$customer_page" in *camille*|*Camille*) ;; *) die "the signed-in grid does not name the member" ;; esac
customer_runs=()
for round in $(seq "$rounds"); do
  bench_cookie="sid=$sid"
  log "statusd / as a signed-in member (round $round)"
  run timeout $((seconds + 60)) wrk -t "$threads" -c 50 -d "${seconds}s" --timeout 5s \
    -H 'Accept-Encoding: gzip' -H 'Accept-Language: fr' -H "Cookie: $bench_cookie" "$statusd/" >"$work/wrk.out" 2>&1 \
    || die "wrk failed: $(cat "$work/wrk.out")"
  cat "$work/wrk.out" >&2
  customer_runs+=("$(awk '/^Requests\/sec:/ {print $2}' "$work/wrk.out")")
  bench "nginx / (member round $round)" "$nginx/" 50; customer_nginx_runs+=("$rps")
done
customer_rps="$(mean "${customer_runs[@]}")"; customer_nginx_rps="$(mean "${customer_nginx_runs[@]}")"
echo "grid as a signed-in member at 50 connections: statusd ${customer_runs[*]} req/s, nginx ${customer_nginx_runs[*]} req/s"

ratio="$(python3 -c "print(f'{$grid_rps / $nginx_rps:.2f}')")"
summary_ratio="$(python3 -c "print(f'{$summary_rps / $summary_nginx_rps:.2f}')")"
customer_ratio="$(python3 -c "print(f'{$customer_rps / $customer_nginx_rps:.2f}')")"
echo "pages-bench: grid_rps=$grid_rps nginx_rps=$nginx_rps ratio=$ratio errors_at_1000=$errors_at_1000 summary_ratio=$summary_ratio customer_ratio=$customer_ratio"

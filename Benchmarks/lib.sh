# Shared by the benchmark scripts (sourced, not run): logging, Debian packages, a work folder
# whose processes are stopped on exit, long steps that INT/TERM interrupt at once, free ports,
# waiting for an address, and release builds. The script sets `bench_name` before sourcing it.
#   bench_name=pages.sh; source "$(dirname "$0")/lib.sh"

here="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"

log() { echo "$bench_name: $*" >&2; }
die() { echo "$bench_name: FAIL: $*" >&2; exit 1; }
# The machine is shared: the 1-minute load average before each phase tells whether it was busy.
load() { echo "loadavg $(cut -d' ' -f1 /proc/loadavg)"; }

# require_positive NAME...: each variable holds a positive integer, or the script stops (status 2).
require_positive() {
  local v
  for v in "$@"; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "$bench_name: $v must be a positive integer, got '${!v}'" >&2; exit 2; }
  done
}

# need_packages COMMAND=PACKAGE...: installs (apt-get, as root) the packages whose command is missing.
need_packages() {
  local pair command package missing=()
  for pair in "$@"; do
    command=${pair%%=*}; package=${pair#*=}
    command -v "$command" >/dev/null 2>&1 || [ -x "/usr/sbin/$command" ] || [ -x "/usr/bin/$command" ] || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}; install them (apt-get install ${missing[*]}) or run as root"
  log "installing ${missing[*]}"
  timeout 600 apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The work folder; `track PID` adds a process that cleanup stops (TERM, 5 s, then KILL).
# On failure, cleanup prints the tails of the logs named in `failure_logs` (files of the folder).
work="$(mktemp -d "/tmp/${bench_name%.sh}-bench.XXXXXX")"
tracked_pids=""
child_pid=""
failure_logs=""
track() { tracked_pids="$tracked_pids $1"; }
cleanup() {
  local rc=$? pid
  trap - INT TERM
  for pid in $child_pid $tracked_pids; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $child_pid $tracked_pids; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ $rc -ne 0 ]; then
    for f in $failure_logs; do
      [ -s "$work/$f" ] && { log "--- tail of $f"; tail -n 20 "$work/$f" >&2; }
    done
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# run CMD...: a long step in the background, so that INT/TERM reach the trap at once instead
# of after the step; cleanup stops it.
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

# wait_http URL SECONDS: succeeds once URL answers at all, or fails after SECONDS.
wait_http() {
  local url=$1 deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    curl -fsS --max-time 1 -o /dev/null "$url" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# release_binary PRODUCT [PREBUILT]: prints the path of PRODUCT built in release (in
# .build-release), or PREBUILT when it is given (an executable file).
release_binary() {
  local product=$1 prebuilt=${2:-} bin
  if [ -n "$prebuilt" ]; then
    [ -x "$prebuilt" ] || die "$prebuilt is not an executable file"
    log "using prebuilt $prebuilt"
    echo "$prebuilt"
    return
  fi
  log "building $product (release, in .build-release)"
  run timeout 3600 swift build --package-path "$repo" -c release --product "$product" --scratch-path "$repo/.build-release" >&2 \
    || die "swift build failed"
  bin="$(swift build --package-path "$repo" -c release --scratch-path "$repo/.build-release" --show-bin-path)/$product"
  [ -x "$bin" ] || die "built, but $bin is missing"
  echo "$bin"
}

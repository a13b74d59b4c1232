#!/usr/bin/env bash
# Mail benchmark: one update to N subscribers (default 10,000). statusd queues N distinct mails
# in one transaction and its real DeliveryService sends them through SMTPSender (libcurl) to a
# real SMTP server (aiosmtpd) on loopback; a plain Python smtplib client sends as many to the
# same server in the same run, as the reference. Everything stays on 127.0.0.1 and every step
# has a time limit. The last line of stdout is always:
#   mail-bench: mails=N total_s=T mails/s=M reference_mails/s=R ratio=M/R
#
# Environment (all optional):
#   MAIL_BENCH_BIN     use this mail-bench binary instead of building it
#   MAIL_BENCH_MAILS   mails in each run (default 10000)
#   MAIL_BENCH_CONCURRENCY  mails statusd sends at once (default: DeliveryPolicy's, what statusd runs with)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
mails="${MAIL_BENCH_MAILS:-10000}"
[[ "$mails" =~ ^[1-9][0-9]*$ ]] || { echo "mail.sh: MAIL_BENCH_MAILS must be a positive integer, got '$mails'" >&2; exit 2; }

log() { echo "mail.sh: $*" >&2; }
load() { echo "loadavg $(cut -d' ' -f1 /proc/loadavg)"; }
die() { echo "mail.sh: FAIL: $*" >&2; exit 1; }

# --- 1. Debian packages: the SMTP server runs on Debian's python3 with python3-aiosmtpd --------
PYTHON=/usr/bin/python3
if ! "$PYTHON" -c 'import aiosmtpd' 2>/dev/null; then
  [ "$(id -u)" -eq 0 ] || die "missing python3-aiosmtpd; install it (apt-get install python3-aiosmtpd) or run as root"
  log "installing python3-aiosmtpd"
  timeout 600 apt-get update -qq
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends python3 python3-aiosmtpd >/dev/null
fi

# --- 2. mail-bench ------------------------------------------------------------------------------
if [ -n "${MAIL_BENCH_BIN:-}" ]; then
  bin="$MAIL_BENCH_BIN"
  [ -x "$bin" ] || die "MAIL_BENCH_BIN=$bin is not an executable file"
else
  log "building mail-bench (release)"
  timeout 3600 swift build --package-path "$repo" -c release --product mail-bench >&2 || die "swift build failed"
  bin="$(swift build --package-path "$repo" -c release --show-bin-path)/mail-bench"
  [ -x "$bin" ] || die "built, but $bin is missing"
fi

# --- 3. the SMTP server, counting what it accepts ----------------------------------------------
work="$(mktemp -d /tmp/mail-bench.XXXXXX)"
server_pid=""
cleanup() {
  local rc=$?
  if [ -n "$server_pid" ]; then
    exec {server_in}>&- 2>/dev/null || true   # its standard input closes: it stops by itself
    for _ in $(seq 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  [ $rc -ne 0 ] && [ -s "$work/server.log" ] && { log "--- tail of the SMTP server's log"; tail -n 20 "$work/server.log" >&2; }
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkfifo "$work/in" "$work/out"
"$PYTHON" "$repo/Tests/TestSupport/smtp_server.py" --folder "$work" --discard <"$work/in" >"$work/out" 2>"$work/server.log" &
server_pid=$!
exec {server_in}>"$work/in" {server_out}<"$work/out"
read -r -t 15 ready <&"$server_out" || die "the SMTP server did not start within 15 s"
port="$(sed -E 's/.*"port": ([0-9]+).*/\1/' <<<"$ready")"
[[ "$port" =~ ^[0-9]+$ ]] || die "the SMTP server said '$ready'"
log "aiosmtpd on 127.0.0.1:$port"

# counted: prints "messages recipients sessions" as the server counted them.
counted() {
  echo '{"do": "count"}' >&"$server_in"
  local reply
  read -r -t 10 reply <&"$server_out" || die "the SMTP server did not answer"
  sed -E 's/.*"messages": ([0-9]+), "recipients": ([0-9]+), "sessions": ([0-9]+).*/\1 \2 \3/' <<<"$reply"
}

# parse KEY TEXT: the number after KEY= in TEXT.
parse() { grep -oE "(^|[^A-Za-z0-9_])$1=[0-9]+(\.[0-9]+)?" <<<"$2" | tail -n 1 | sed -E "s/.*$1=//"; }

# --- 4. the reference: plain smtplib, one connection ----------------------------------------------
log "reference: smtplib sends $mails mails ($(load))"
reference="$(timeout 600 "$PYTHON" "$here/smtp_reference.py" --port "$port" --mails "$mails")" || die "the reference client failed"
reference_per_s="$(parse reference_mails_per_s "$reference")"
echo "reference: $reference"

# --- 5. statusd: queue in one transaction, deliver through the outbox -----------------------------
read -r before_messages before_recipients before_sessions <<<"$(counted)"
log "statusd: $mails mails through the outbox ($(load))"
concurrency=()
[ -n "${MAIL_BENCH_CONCURRENCY:-}" ] && concurrency=(--concurrency "$MAIL_BENCH_CONCURRENCY")
result="$(timeout 900 "$bin" --smtp-url "smtp://127.0.0.1:$port" --mails "$mails" "${concurrency[@]}")" || die "mail-bench failed: $result"
echo "statusd: $result"
read -r after_messages after_recipients after_sessions <<<"$(counted)"
arrived=$((after_messages - before_messages)); distinct=$((after_recipients - before_recipients))
echo "statusd: the server saw $arrived mails in $((after_sessions - before_sessions)) SMTP sessions"
[ "$arrived" -eq "$mails" ] || die "the server accepted $arrived mails from statusd, not $mails"
[ "$distinct" -eq "$mails" ] || die "statusd's mails went to $distinct distinct recipients, not $mails"

total_s="$(parse total_s "$result")"
per_s="$(parse mails_per_s "$result")"
ratio="$(awk -v a="$per_s" -v b="$reference_per_s" 'BEGIN { if (b <= 0) exit 1; printf "%.2f", a / b }')" || die "the reference rate is zero"
echo "mail-bench: mails=$mails total_s=$total_s mails/s=$per_s reference_mails/s=$reference_per_s ratio=$ratio"

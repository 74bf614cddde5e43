#!/usr/bin/env bash
# Load (and fault) test against the production command line on PostgreSQL.
#
#   bench/load/run.sh [--duration SECONDS] [--clients N] [--fault]
#
# Starts scripts/serve-production (gunicorn, WEB_CONCURRENCY workers, default 3) on a free
# loopback port with DATABASE_URL=postgres://postgres@127.0.0.1:5432/specportal_load,
# creates the load world (bench/load/setup_world.py), runs bench/load/loadgen.py, checks
# the gunicorn master and workers survived, stops gunicorn. --fault restarts PostgreSQL
# (pg_ctlcluster ... restart) halfway through: other users of that cluster see it too.
# The JSON summary is printed and kept in bench/results/. Exits non-zero on any problem.
set -euo pipefail
cd "$(dirname "$0")/../.."

duration=60 clients=6 fault=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --fault) fault=1; shift ;;
    *) echo "usage: $0 [--duration SECONDS] [--clients N] [--fault]" >&2; exit 2 ;;
  esac
done

PYTHON="${PYTHON:-.venv/bin/python}"
database="${LOAD_DATABASE:-specportal_load}"
port="$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
work="$(mktemp -d)"
mkdir -p bench/results
label="load-$([ -n "$fault" ] && echo fault || echo plain)-$(date +%Y%m%d-%H%M%S)"
server_pid=""

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export DEBUG=0 STATIC_MANIFEST=1 LOG_LEVEL=WARNING
export SECRET_KEY="$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(64))')"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$database"

if ! psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1; then
  createdb -h 127.0.0.1 -U postgres "$database"
fi

PYTHON="$PYTHON" BIND="127.0.0.1:$port" WEB_CONCURRENCY="${WEB_CONCURRENCY:-3}" \
  scripts/serve-production >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 300); do
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "serve-production exited" >&2; exit 1; }
  curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$port/" && break
  sleep 0.1
done
"$PYTHON" bench/load/setup_world.py "$clients" >"$work/world.json"
workers_before="$(pgrep -P "$server_pid" | sort | tr '\n' ' ')"
echo "gunicorn $server_pid on 127.0.0.1:$port, workers: $workers_before; $clients clients for $duration s${fault:+, PostgreSQL restart at $((duration / 2)) s}"

fault_args=()
if [ -n "$fault" ]; then
  fault_args=(--fault-at "$((duration / 2))"
    --fault-cmd "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main restart")
fi
status=0
"$PYTHON" bench/load/loadgen.py --base "http://127.0.0.1:$port" --world "$work/world.json" \
  --duration "$duration" "${fault_args[@]}" >"bench/results/$label.json" || status=$?
cat "bench/results/$label.json"

kill -0 "$server_pid" 2>/dev/null || { echo "FAILED: the gunicorn master died" >&2; status=1; }
workers_after="$(pgrep -P "$server_pid" | sort | tr '\n' ' ')"
if [ "$workers_before" != "$workers_after" ]; then
  echo "FAILED: gunicorn workers were replaced ($workers_before -> $workers_after): a worker hung or crashed" >&2
  grep -E 'WORKER TIMEOUT|Worker .* (was sent|exited)' "$work/server.log" >&2 || true
  status=1
else
  echo "gunicorn master and workers unchanged (no worker hung, crashed or was restarted)"
fi
server_errors="$(grep -cE '"[A-Z]+ [^"]*" 5[0-9][0-9] ' "$work/server.log" || true)"
echo "5xx in gunicorn's access log: $server_errors"
grep -m3 -A12 'Traceback' "$work/server.log" | head -40 || true
[ "$status" = 0 ] && echo "PASSED: $label" || echo "FAILED: $label" >&2
exit "$status"

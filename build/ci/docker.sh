#!/usr/bin/env bash
# The Docker engine and images for the Docker target's tests, for .ci/run (and a laptop):
#   build/ci/docker.sh start   installs docker.io if missing, starts dockerd only if no engine answers, builds the
#                              images (build/images/all.sh: cached by content hash, so a warm machine only checks tags)
#   build/ci/docker.sh stop    stops dockerd only if `start` started it; leaves an engine it found running alone
# Tests also need TESTCONTAINERS_RYUK_DISABLED=true (Ryuk's image cannot be pulled; the target's sweep does its job).
set -euo pipefail
cd "$(dirname "$0")/../.."
state="${KILLSWITCH_DOCKERD_STATE:-/run/killswitch-ci-dockerd.pid}"
log="${KILLSWITCH_DOCKERD_LOG:-/var/log/killswitch-ci-dockerd.log}"

wait_for() { # wait_for <seconds> <command...>
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

case "${1:-}" in
  start)
    if ! command -v docker >/dev/null || ! command -v dockerd >/dev/null; then
      echo "[docker] installing docker.io"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
    fi
    if docker info >/dev/null 2>&1; then
      echo "[docker] an engine is already running: using it, and leaving it running"
    else
      echo "[docker] starting dockerd (log: $log)"
      dockerd >"$log" 2>&1 &
      echo $! >"$state"
      wait_for 60 docker info || { echo "[docker] dockerd did not answer within 60 s:"; tail -20 "$log"; exit 1; }
    fi
    started=$SECONDS
    bash build/images/all.sh
    echo "[docker] images ready in $((SECONDS - started)) s"
    ;;
  stop)
    if [ -f "$state" ]; then
      pid=$(cat "$state")
      echo "[docker] stopping the dockerd this run started (pid $pid)"
      kill "$pid" 2>/dev/null || true
      wait_for 30 sh -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
      rm -f "$state"
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac

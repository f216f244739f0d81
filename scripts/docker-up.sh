#!/usr/bin/env bash
# Makes sure a Docker engine answers: installs docker.io (and debootstrap, for a local base image when no
# registry can be reached) with apt if missing, and starts dockerd if it is not running. Idempotent.
# Used by .ci/run; handy on a fresh Debian/Ubuntu machine too (needs root there).
set -euo pipefail

log() { printf 'docker-up: %s\n' "$*" >&2; }

if docker info >/dev/null 2>&1; then
  log "Docker engine already answers"
else
  missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  if [ ${#missing[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || { log "need root to install ${missing[*]}"; exit 2; }
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  if ! pgrep -x dockerd >/dev/null 2>&1; then
    [ "$(id -u)" = 0 ] || { log "dockerd is not running and starting it needs root"; exit 2; }
    log "starting dockerd (log: /var/log/fwprobe-dockerd.log)"
    nohup dockerd >/var/log/fwprobe-dockerd.log 2>&1 &
  fi
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { log "dockerd did not answer within 60 s:"; tail -n 30 /var/log/fwprobe-dockerd.log >&2 || true; exit 1; }
  log "Docker engine is up"
fi

# The base image fallback needs debootstrap even where the engine was already running.
if ! command -v debootstrap >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
fi

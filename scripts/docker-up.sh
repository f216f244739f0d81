#!/usr/bin/env bash
# Makes sure the local Docker engine answers: installs docker.io (and debootstrap, for a local base image
# when no registry can be reached) with apt if missing, and starts dockerd if it is not running. Idempotent.
# Used by .ci/run and by `npm run demo`/`npm test` as root on Debian/Ubuntu; handy on a fresh machine too
# (needs root there). It looks after this machine's engine only, whatever DOCKER_HOST or a docker context
# say: fwprobe never starts one for an engine the user named elsewhere.
set -euo pipefail

log() { printf 'docker-up: %s\n' "$*" >&2; }
# -H: the local socket, not DOCKER_HOST or the docker CLI's current context.
local_engine_answers() { docker -H unix:///var/run/docker.sock info >/dev/null 2>&1; }
apt_log=/var/log/fwprobe-docker-up.log
dockerd_log=/var/log/fwprobe-dockerd.log

# apt's own output (and debconf's notes) goes to a log a person reads only when it failed.
apt_install() {
  [ "$(id -u)" = 0 ] || { log "need root to install $*: run \`sudo bash $0\`"; exit 2; }
  log "installing $* with apt-get (a few minutes; log: $apt_log)"
  if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"; } >>"$apt_log" 2>&1; then
    log "apt-get could not install $*; the last lines of $apt_log:"
    tail -n 20 "$apt_log" >&2
    exit 1
  fi
}

dockerd_running() {
  [ -s /var/run/docker.pid ] && kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null
}

if [ -n "${DOCKER_HOST:-}${DOCKER_CONTEXT:-}" ]; then
  log "DOCKER_HOST/DOCKER_CONTEXT is set: this script looks after the local engine (unix:///var/run/docker.sock) only"
fi

if local_engine_answers; then
  log "Docker engine already answers"
else
  missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
  # Installing docker.io starts it where systemd runs; a machine without systemd (a container, WSL) has no
  # service manager to ask, so dockerd is started here, detached.
  if ! local_engine_answers && ! dockerd_running; then
    [ "$(id -u)" = 0 ] || { log "dockerd is not running and starting it needs root: run \`sudo bash $0\`"; exit 2; }
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
      log "starting docker.service (systemctl start docker)"
      systemctl start docker || { log "systemctl start docker failed: \`journalctl -u docker\` says why"; exit 1; }
    else
      log "starting dockerd (no systemd here; log: $dockerd_log)"
      setsid nohup dockerd >"$dockerd_log" 2>&1 </dev/null &
    fi
  fi
  for _ in $(seq 1 60); do
    local_engine_answers && break
    sleep 1
  done
  if ! local_engine_answers; then
    log "dockerd did not answer within 60 s; the last lines of $dockerd_log:"
    tail -n 30 "$dockerd_log" >&2 || true
    exit 1
  fi
  log "Docker engine is up ($(docker -H unix:///var/run/docker.sock version -f '{{.Server.Version}}' 2>/dev/null || echo '?'))"
fi

# The base image fallback needs debootstrap even where the engine was already running.
if ! command -v debootstrap >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt_install debootstrap
fi

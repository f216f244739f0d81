#!/usr/bin/env bash
# Builds a local Debian bookworm base image from Debian's packages, for machines that cannot pull
# `debian:bookworm-slim` from a registry. Needs root and debootstrap (apt-get install debootstrap).
#
#   containers/base/build-base.sh [TAG]        (default TAG: fwprobe-base:bookworm)
#   FWPROBE_DEBIAN_MIRROR overrides the mirror (default: http://deb.debian.org/debian).
set -euo pipefail
tag=${1:-fwprobe-base:bookworm}
mirror=${FWPROBE_DEBIAN_MIRROR:-http://deb.debian.org/debian}

command -v debootstrap >/dev/null || { echo "build-base: debootstrap is missing: apt-get install -y debootstrap" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "build-base: debootstrap needs root" >&2; exit 2; }

dir=$(mktemp -d /tmp/fwprobe-base.XXXXXX)
trap 'rm -rf "$dir"' EXIT
# In the background, waited for: a TERM (fwprobe's timeout) then reaches this shell at once, and the trap
# stops debootstrap too, instead of leaving it running with the half-built root.
debootstrap --variant=minbase bookworm "$dir" "$mirror" >"$dir.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$dir" "$dir.log"; exit 143' TERM INT
wait "$pid" || {
  echo "build-base: debootstrap failed; last lines of $dir.log:" >&2; tail -n 20 "$dir.log" >&2; exit 1; }
rm -f "$dir.log"
# The registry image's apt sources point at the same mirror; keep the rootfs small like -slim does.
rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
tar -C "$dir" -c . | docker import --change 'CMD ["bash"]' - "$tag" >/dev/null
echo "$tag"

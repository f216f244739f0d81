#!/usr/bin/env bash
# Captures the rules and docker-proxy listeners that a real dockerd writes for fixed `docker run -p` flags,
# as fixtures for fidelity tests (test/fixtures/docker/<release>/<case>/). The daemon runs inside a
# fwprobe Docker-host container (containers/dockerd/), never on this machine's own firewall; the container
# has no network (--network none) and is removed at the end.
#
#   scripts/capture-docker-rules.sh DOCKERD_IMAGE [OUT_DIR]
#
# DOCKERD_IMAGE: the tag ensureDockerdImage() builds (fwprobe-dockerd:...). OUT_DIR defaults to
# test/fixtures/docker/<dockerd's version>. Each case: daemon.json, the -p flags, iptables-save,
# ip6tables-save, nft list ruleset (nft backend only) and ss -ltnup (socket and process), with timestamps, counters and pids removed.
set -euo pipefail
image=${1:?usage: capture-docker-rules.sh DOCKERD_IMAGE [OUT_DIR]}
caps=(CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP SETPCAP NET_BIND_SERVICE SYS_CHROOT KILL AUDIT_WRITE NET_ADMIN SYS_ADMIN)
WEB=(-p 8080:80 -p '[::]:8443:443/tcp' -p 5353:53/udp)
DB=(-p 127.0.0.1:5432:5432)

# case name, backend, daemon.json
CASES=(
  'default-nft|nft|{"iptables": true, "userland-proxy": true}'
  'default-legacy|legacy|{"iptables": true, "userland-proxy": true}'
  'no-userland-proxy-nft|nft|{"iptables": true, "userland-proxy": false}'
  'ip6tables-experimental-nft|nft|{"experimental": true, "ipv6": true, "fixed-cidr-v6": "fd00:d0c::/64", "ip6tables": true, "userland-proxy": true}'
)

normalise() { sed -E -e '/^# (Generated|Completed|Warning)/d' -e 's/\[[0-9]+:[0-9]+\]/[0:0]/' -e 's/counter packets [0-9]+ bytes [0-9]+/counter/g' -e 's/pid=[0-9]+/pid=_/g'; }

name="fwprobe-capture-$$"
trap 'docker rm -f "$name" >/dev/null 2>&1 || true' EXIT
for entry in "${CASES[@]}"; do
  IFS='|' read -r case backend json <<<"$entry"
  docker rm -f "$name" >/dev/null 2>&1 || true
  docker run -d --name "$name" --network none --cap-drop ALL "${caps[@]/#/--cap-add=}" --security-opt seccomp=unconfined \
    --tmpfs /var/lib/docker:rw,exec,suid,dev --tmpfs /run:rw,exec \
    --sysctl net.ipv6.conf.all.disable_ipv6=0 --sysctl net.ipv6.conf.default.disable_ipv6=0 --sysctl net.ipv6.conf.lo.disable_ipv6=0 \
    --sysctl net.ipv4.ip_forward=0 --sysctl net.ipv6.conf.all.forwarding=0 "$image" >/dev/null
  inside() { docker exec "$name" "$@"; }
  if [ "$backend" = legacy ]; then
    inside update-alternatives --set iptables /usr/sbin/iptables-legacy >/dev/null
    inside update-alternatives --set ip6tables /usr/sbin/ip6tables-legacy >/dev/null
  fi
  inside fwprobe-dockerd "$json" 120 >/dev/null
  inside docker run -d --name web -v /usr:/usr:ro "${WEB[@]}" fwprobe-inner fwprobe-listener tcp:80:any4 tcp:443:any4 udp:53:any4 >/dev/null
  inside docker run -d --name db -v /usr:/usr:ro "${DB[@]}" fwprobe-inner fwprobe-listener tcp:5432:any4 >/dev/null
  sleep 1
  version=$(inside docker version -f '{{.Server.Version}}')
  dir=${2:-test/fixtures/docker/${version%%+*}}/$case
  mkdir -p "$dir"
  printf '%s\n' "$json" >"$dir/daemon.json"
  printf '%s\n' "docker run ${WEB[*]} (web: 172.17.0.2)" "docker run ${DB[*]} (db: 172.17.0.3)" "dockerd $version, iptables backend $backend" >"$dir/command.txt"
  inside iptables-save | normalise >"$dir/iptables-save.txt"
  inside ip6tables-save | normalise >"$dir/ip6tables-save.txt"
  if [ "$backend" = nft ]; then inside nft list ruleset | normalise >"$dir/nft-ruleset.txt"; fi
  # Which process holds each socket: docker-proxy, or dockerd itself (its port reservation without the proxy).
  inside ss -Hltnup | awk '{ split($7, u, "\""); print $1, $5, u[2] }' | sort >"$dir/listening.txt"
  echo "captured $dir"
done

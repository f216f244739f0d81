#!/bin/sh
# fwprobe-dockerd: starts Debian's dockerd inside a fwprobe target, as a booted Docker host has it.
#
#   fwprobe-dockerd DAEMON_JSON [WAIT_SECONDS]
#
# DAEMON_JSON is written to /etc/docker/daemon.json (the host's own file). The storage driver is vfs
# (overlay on the target's overlay root does not mount) on a tmpfs at /var/lib/docker given by the caller.
# Images come from inside, never a registry: `fwprobe-inner` is an empty root (the usrmerge links, /etc,
# /tmp) that the containers run with the target's /usr mounted read-only, so fwprobe-listener is there.
# Prints "dockerd-ready SECONDS" when `docker info` answers, then READY; exits non-zero with the daemon's
# log if it does not answer in WAIT_SECONDS (default 60).
set -eu
json=${1:?usage: fwprobe-dockerd DAEMON_JSON [WAIT_SECONDS]}
wait_s=${2:-60}
log=/run/fwprobe/dockerd.log
mkdir -p /run/fwprobe /etc/docker

# Docker mounts the container's cgroup hierarchies and /proc/sys read-only. With SYS_ADMIN a bind remount
# makes them writable here only: the cgroup mounts show this container's own subtree, and of /proc/sys only
# net/ is opened, whose sysctls belong to this network namespace (dockerd sets ip_forward, accept_ra and
# the containers' disable_ipv6 there). kernel/ and vm/ stay read-only: they are the machine's.
for d in /sys/fs/cgroup/*; do
  if mountpoint -q "$d"; then mount -o remount,bind,rw "$d"; fi
done
mount --bind /proc/sys/net /proc/sys/net
mount -o remount,bind,rw /proc/sys/net

printf '%s\n' "$json" >/etc/docker/daemon.json
start=$(date +%s.%N)
setsid nohup dockerd --storage-driver vfs >"$log" 2>&1 </dev/null &
i=0
until docker info >/dev/null 2>&1; do
  i=$((i + 1))
  if [ "$i" -gt $((wait_s * 10)) ] || ! kill -0 $! 2>/dev/null; then
    echo "fwprobe-dockerd: dockerd did not answer within ${wait_s}s; its log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  sleep 0.1
done
ready=$(date +%s.%N)

root=$(mktemp -d)
mkdir -p "$root/usr" "$root/etc" "$root/tmp" "$root/proc" "$root/sys" "$root/dev" "$root/run" "$root/var" "$root/root"
for l in bin sbin lib lib64; do ln -s "usr/$l" "$root/$l"; done
chmod 1777 "$root/tmp"
cp /etc/passwd /etc/group /etc/nsswitch.conf "$root/etc/"
tar -C "$root" -c . | docker import - fwprobe-inner:latest >/dev/null
rm -rf "$root"
perl -e 'printf "dockerd-ready %.2f\n", $ARGV[1] - $ARGV[0]' "$start" "$ready"
echo READY

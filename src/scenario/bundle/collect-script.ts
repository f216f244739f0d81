/**
 * The script `fwprobe collect` prints: POSIX sh that reads a host's firewall state (rulesets, listening
 * sockets, addresses, routes, a few sysctls, Docker, ufw, firewalld) and writes one JSON bundle to stdout.
 * It runs on a server without Node, so it uses only what a Debian or RHEL host has (sh, coreutils, iproute2,
 * iptables, nft when present). It only reads: no packet is sent, nothing is installed or written (no temp
 * file either). Every command runs under `timeout`, the whole script stops starting commands after
 * BUDGET_SECS, and every output is capped. JSON is never quoted by sh: each output is base64-encoded into a
 * fixed skeleton whose keys are literals of this file, so no byte a host prints can break the document.
 */

/** The bundle's `format`: capture refuses any other. */
export const BUNDLE_FORMAT = 'fwprobe-bundle/1';

/** Every item the script records, in order; capture reads them by these names. */
export const BUNDLE_ITEMS = [
  'uid',
  'hostname',
  'iptables_version',
  'iptables_save',
  'ip6tables_save',
  'nft_ruleset',
  'nft_ruleset_json',
  'ss',
  'ip_addr',
  'ip_route4',
  'ip_route6',
  'sysctl',
  'docker_ps',
  'docker_inspect',
  'ufw_status',
  'firewalld_state',
] as const;
export type BundleItemName = (typeof BUNDLE_ITEMS)[number];

/** Bytes kept of one command's output: the biggest ruleset fwprobe reads (MAX_REFERENCED_FILE_BYTES). */
export const ITEM_CAP_BYTES = 4 * 1024 * 1024;
/**
 * The script starts no command after this many seconds; each command gets at most 2 s. A host too loaded
 * for that (items `skipped`) may raise it with FWPROBE_COLLECT_BUDGET=SECS (at most 60; each command then
 * gets a quarter of it).
 */
export const BUDGET_SECS = 4;

const SCRIPT = String.raw`#!/bin/sh
# fwprobe collect (format ${BUNDLE_FORMAT}): reads this host's firewall state and prints one JSON bundle.
# Read-only: sends no packet, installs nothing, writes no file. Run it as root for a complete bundle:
#   ssh HOST sudo sh < collect.sh > HOST.json
# Each output is base64 in a fixed JSON skeleton; what could not be read is recorded, not fatal.
export LC_ALL=C
PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH
CAP=${ITEM_CAP_BYTES}
START=$(date +%s)
BUDGET=${'$'}{FWPROBE_COLLECT_BUDGET:-${BUDGET_SECS}}
case $BUDGET in ''|*[!0-9]*) BUDGET=${BUDGET_SECS} ;; esac
if [ "$BUDGET" -gt 60 ]; then BUDGET=60; fi
STEP=2
if [ "$BUDGET" -gt 8 ]; then STEP=$((BUDGET / 4)); fi
NL='
'
SEP=''
b64() { base64 -w 0; }
have() { command -v "$1" >/dev/null 2>&1; }

# item NAME CMD...: runs CMD bounded and capped, prints "NAME":{"status":...,"rc":N,"out":"BASE64"}.
item() {
  name=$1; shift
  now=$(date +%s)
  left=$((START + BUDGET - now))
  if [ "$left" -le 0 ]; then emit "$name" skipped -1 ''; return; fi
  if [ "$left" -gt "$STEP" ]; then left=$STEP; fi
  if ! have "$1"; then emit "$name" missing -1 ''; return; fi
  if have timeout; then
    o=$( { timeout -k 1 "$left" "$@" 2>/dev/null; printf '\nfwprobe-rc=%s' "$?"; } | head -c "$CAP")
  else
    o=$( { "$@" 2>/dev/null; printf '\nfwprobe-rc=%s' "$?"; } | head -c "$CAP")
  fi
  rc=${'$'}{o##*"$NL"fwprobe-rc=}
  case $o in *"$NL"fwprobe-rc=*) ;; *) rc=x ;; esac
  case $rc in
    ''|*[!0-9]*) emit "$name" truncated -1 "$(printf '%s' "$o" | b64)"; return ;;
  esac
  out=${'$'}{o%"$NL"fwprobe-rc=*}
  if [ "$rc" = 0 ]; then st=ok; elif [ "$rc" = 124 ] || [ "$rc" = 137 ]; then st=timeout; else st=failed; fi
  emit "$name" "$st" "$rc" "$(printf '%s' "$out" | b64)"
}

emit() {
  printf '%s"%s":{"status":"%s","rc":%s,"out":"%s"}' "$SEP" "$1" "$2" "$3" "$4"
  SEP=','
}

# The listening sockets: process names only as root (ss -p needs it).
ss_args=-Hlntu
if [ "$(id -u)" = 0 ]; then ss_args=-Hlntup; fi

# What capture needs most comes first: on a loaded host the budget skips the tail, not the rulesets.
printf '{"format":"${BUNDLE_FORMAT}","items":{'
item uid id -u
item hostname uname -n
item iptables_version iptables -V
item iptables_save iptables-save
item ip6tables_save ip6tables-save
item nft_ruleset nft list ruleset
item ss ss "$ss_args"
item ip_addr ip -j addr show
item sysctl sysctl net.ipv4.ip_forward net.ipv6.conf.all.forwarding net.ipv6.conf.all.disable_ipv6 net.ipv6.conf.default.disable_ipv6
item ip_route4 ip -j -4 route show table all
item ip_route6 ip -j -6 route show table all
item nft_ruleset_json nft -j list ruleset
if have docker; then
  item docker_ps docker ps --no-trunc --format '{{json .}}'
  ids=$(docker ps -q 2>/dev/null | head -n 64 | tr -cd '0-9a-f\n' | tr '\n' ' ')
  if [ -n "$ids" ]; then
    # shellcheck disable=SC2086 # the ids are hex words, split on purpose
    item docker_inspect docker inspect $ids
  else
    emit docker_inspect skipped -1 ''
  fi
else
  emit docker_ps missing -1 ''
  emit docker_inspect missing -1 ''
fi
item ufw_status ufw status verbose
item firewalld_state firewall-cmd --state
printf '}}\n'
`;

/** The script, as `fwprobe collect` prints it. */
export function collectScript(): string {
  return SCRIPT;
}

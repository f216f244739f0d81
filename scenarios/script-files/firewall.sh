#!/bin/sh
# A firewall script that sources its settings from the file beside it, found through $0 as on a real host.
. "$(dirname "$0")/fw.conf"
for t in iptables ip6tables; do
  $t -P INPUT DROP
  $t -A INPUT -i lo -j ACCEPT
  $t -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
  for port in $TRUSTED_TCP; do $t -A INPUT -p tcp --dport "$port" -j ACCEPT; done
done
# Neighbour discovery, or the peer cannot find the host over IPv6 at all.
ip6tables -A INPUT -p ipv6-icmp -j ACCEPT

/** Bundles for tests, built as the collect script builds them: each output base64 in the fixed skeleton. */
import { BUNDLE_FORMAT, BUNDLE_ITEMS, type BundleItemName } from './collect-script.ts';

export type ItemInput = string | { status: string; rc?: number; text?: string };

export function bundleText(items: Partial<Record<BundleItemName, ItemInput>> = {}): string {
  return JSON.stringify(bundleObject(items));
}

export function bundleObject(items: Partial<Record<BundleItemName, ItemInput>> = {}): { format: string; items: Record<string, unknown> } {
  const out: Record<string, unknown> = {};
  for (const name of BUNDLE_ITEMS) {
    const item = items[name] ?? { status: 'missing', rc: -1 };
    const { status, rc, text } = typeof item === 'string' ? { status: 'ok', rc: 0, text: item } : item;
    out[name] = { status, rc: rc ?? (status === 'ok' ? 0 : 1), out: Buffer.from(text ?? '').toString('base64') };
  }
  return { format: BUNDLE_FORMAT, items: out };
}

/** A v4-only host: INPUT DROP but 22 over IPv4, nothing for IPv6; ssh on both, postgres on 127.0.0.1, http on [::] only. */
export const V4_ONLY_HOST: Partial<Record<BundleItemName, ItemInput>> = {
  uid: '0\n',
  hostname: 'web1\n',
  iptables_version: 'iptables v1.8.9 (nf_tables)\n',
  iptables_save: '*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n-A INPUT -i lo -j ACCEPT\n-A INPUT -p tcp --dport 22 -j ACCEPT\nCOMMIT\n',
  ip6tables_save: '',
  nft_ruleset: 'table ip filter {\n\tchain INPUT {\n\t\ttype filter hook input priority filter; policy drop;\n\t}\n}\n',
  ss: [
    'tcp   LISTEN 0      128          0.0.0.0:22        0.0.0.0:*    users:(("sshd",pid=1,fd=3))',
    'tcp   LISTEN 0      128             [::]:22           [::]:*    users:(("sshd",pid=1,fd=4))',
    'tcp   LISTEN 0      244        127.0.0.1:5432      0.0.0.0:*',
    'tcp   LISTEN 0      511             [::]:80           [::]:*',
    'udp   UNCONN 0      0      127.0.0.53%lo:53        0.0.0.0:*',
    'udp   UNCONN 0      0                  *:123             *:*',
    'tcp   LISTEN 0      128      192.0.2.10:8080       0.0.0.0:*',
    'tcp   LISTEN 0      128      198.51.100.7:9090     0.0.0.0:*',
  ].join('\n'),
  ip_addr: JSON.stringify([
    { ifindex: 1, ifname: 'lo', addr_info: [{ family: 'inet', local: '127.0.0.1', prefixlen: 8, scope: 'host' }] },
    {
      ifindex: 2,
      ifname: 'eth0',
      addr_info: [
        { family: 'inet', local: '192.0.2.10', prefixlen: 24, scope: 'global' },
        { family: 'inet6', local: '2001:db8:1::10', prefixlen: 64, scope: 'global' },
        { family: 'inet6', local: 'fe80::1', prefixlen: 64, scope: 'link' },
      ],
    },
    { ifindex: 3, ifname: 'eth1', addr_info: [{ family: 'inet', local: '10.1.2.3', prefixlen: 16, scope: 'global' }] },
    { ifindex: 4, ifname: 'docker0', addr_info: [{ family: 'inet', local: '172.17.0.1', prefixlen: 16, scope: 'global' }] },
  ]),
  sysctl: 'net.ipv4.ip_forward = 0\nnet.ipv6.conf.all.forwarding = 0\nnet.ipv6.conf.all.disable_ipv6 = 0\n',
};

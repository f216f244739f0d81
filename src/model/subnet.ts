/**
 * Subnet arithmetic for the lab's networks: which addresses a subnet holds, its n-th host address, and
 * whether two subnets overlap. Both families as bigints, so one code path serves IPv4 and IPv6.
 */
import { InternalError } from './errors.ts';
import { isIP } from 'node:net';

export interface Subnet {
  family: 4 | 6;
  /** The network address as an integer. */
  base: bigint;
  prefix: number;
  /** The subnet as written, normalised (`192.168.10.0/24`). */
  text: string;
}

const BITS = { 4: 32, 6: 128 } as const;

/** @throws InternalError when `cidr` is not a subnet: the scenario schema checks subnets before any is parsed. */
export function parseSubnet(cidr: string): Subnet {
  const [address = '', prefixText = ''] = cidr.split('/');
  const family = isIP(address);
  const prefix = Number(prefixText);
  if ((family !== 4 && family !== 6) || !Number.isInteger(prefix) || prefix < 0 || prefix > BITS[family]) {
    throw new InternalError(`parseSubnet: not a subnet: ${cidr}`);
  }
  const size = BigInt(BITS[family] - prefix);
  const base = (toInteger(address) >> size) << size;
  return { family, base, prefix, text: `${fromInteger(base, family)}/${prefix}` };
}

export function toInteger(address: string): bigint {
  if (isIP(address) === 4) return address.split('.').reduce((n, octet) => (n << 8n) + BigInt(Number(octet)), 0n);
  const [head = '', tail] = address.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  // An IPv4 tail (::ffff:1.2.3.4) counts as two groups.
  const expand = (parts: string[]) =>
    parts.flatMap((p) => (p.includes('.') ? [(toInteger(p) >> 16n).toString(16), (toInteger(p) & 0xffffn).toString(16)] : [p]));
  const l = expand(left);
  const r = expand(right);
  const all = [...l, ...Array(8 - l.length - r.length).fill('0'), ...r];
  return all.reduce((n, g) => (n << 16n) + BigInt(parseInt(g, 16)), 0n);
}

export function fromInteger(value: bigint, family: 4 | 6): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  // Compressed as URL parsing does (longest run of zero groups), so addresses compare as text.
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}

export function contains(subnet: Subnet, address: string): boolean {
  if (isIP(address) !== subnet.family) return false;
  const size = BigInt(BITS[subnet.family] - subnet.prefix);
  return (toInteger(address) >> size) << size === subnet.base;
}

export function overlaps(a: Subnet, b: Subnet): boolean {
  if (a.family !== b.family) return false;
  const prefix = Math.min(a.prefix, b.prefix);
  const size = BigInt(BITS[a.family] - prefix);
  return a.base >> size === b.base >> size;
}

/** The n-th address of the subnet (1 is the first after the network address); null past the end. */
export function hostAddress(subnet: Subnet, n: number): string | null {
  const size = 2n ** BigInt(BITS[subnet.family] - subnet.prefix);
  // IPv4 keeps its broadcast address free, as hosts on a real LAN do.
  const last = subnet.family === 4 ? size - 2n : size - 1n;
  if (BigInt(n) < 1n || BigInt(n) > last) return null;
  return fromInteger(subnet.base + BigInt(n), subnet.family);
}

/** True for addresses a real network would call private (RFC 1918, CGNAT, ULA, link-local). */
export function isPrivate(subnet: Subnet): boolean {
  const privateNets = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', 'fc00::/7', 'fe80::/10'];
  return privateNets.map(parseSubnet).some((p) => p.family === subnet.family && p.prefix <= subnet.prefix && overlaps(p, subnet));
}

/** The IPv4 subnet-directed broadcast address (the last address of the subnet). */
export function broadcastAddress(subnet: Subnet): string {
  const size = 2n ** BigInt(BITS[subnet.family] - subnet.prefix);
  return fromInteger(subnet.base + size - 1n, subnet.family);
}

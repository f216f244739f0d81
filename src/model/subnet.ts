/**
 * Subnet arithmetic for the lab's networks: which addresses a subnet holds, its n-th host address, and
 * whether two subnets overlap. Both families as bigints, so one code path serves IPv4 and IPv6.
 */
import { InternalError } from './errors.ts';
import { canonicalIp, ipFromBigInt, ipToBigInt, ipVersion } from './ip.ts';

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
  const [address = '', prefixText = '', ...rest] = cidr.split('/');
  const family = ipVersion(address);
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (family === 0 || rest.length > 0 || !(prefix <= BITS[family])) {
    throw new InternalError(`parseSubnet: not a subnet: ${cidr}`);
  }
  const size = BigInt(BITS[family] - prefix);
  const base = (toInteger(address) >> size) << size;
  return { family, base, prefix, text: `${fromInteger(base, family)}/${prefix}` };
}

/** The address as an integer (see `ipToBigInt`). */
export const toInteger = ipToBigInt;

/** The canonical text of an integer address, so addresses compare as text (see `canonicalIp`). */
export const fromInteger = ipFromBigInt;

export { canonicalIp };

export function contains(subnet: Subnet, address: string): boolean {
  if (ipVersion(address) !== subnet.family) return false;
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

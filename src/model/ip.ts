/**
 * IP addresses as text: the one place that tells an address's family and writes it canonically (IPv6
 * compressed and lowercased as RFC 5952 says, so `fd00:0::1` and `FD00::1` compare equal as text), and
 * turns it into an integer for subnet arithmetic. Parsing is ipaddr.js's.
 */
import ipaddr from 'ipaddr.js';
import { InternalError } from './errors.ts';

export type IpVersion = 4 | 6;

/** 4 for a dotted-quad IPv4 address, 6 for an IPv6 address, 0 for anything else (a prefix included). */
export function ipVersion(text: string): 0 | IpVersion {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return 4;
  // Zone ids (`fe80::1%eth0`) are no lab address.
  if (!text.includes('%') && ipaddr.IPv6.isValid(text)) return 6;
  return 0;
}

/** The address in canonical text; anything that is not an address comes back unchanged. */
export function canonicalIp(text: string): string {
  return ipVersion(text) === 0 ? text : ipaddr.parse(text).toString();
}

/** The address as an unsigned integer (32 or 128 bits). @throws InternalError when `text` is not an address. */
export function ipToBigInt(text: string): bigint {
  if (ipVersion(text) === 0) throw new InternalError(`not an IP address: ${JSON.stringify(text)}`);
  return ipaddr
    .parse(text)
    .toByteArray()
    .reduce((n, byte) => (n << 8n) + BigInt(byte), 0n);
}

/** The canonical text of the `version` address whose integer is `value` (masked to its width). */
export function ipFromBigInt(value: bigint, version: IpVersion): string {
  const length = version === 4 ? 4 : 16;
  const bytes = Array.from({ length }, (_, i) => Number((value >> BigInt(8 * (length - 1 - i))) & 0xffn));
  return ipaddr.fromByteArray(bytes).toString();
}

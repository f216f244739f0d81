/**
 * Prefix-preserving address anonymisation, so that a shared bundle still reproduces its host: two addresses
 * that share their first n bits share their first n bits after mapping (Crypto-PAn's construction: each
 * bit flipped by a keyed function of the bits before it), so a subnet still holds its addresses and a rule's
 * `-s 10.1.0.0/16` still matches the peers of the interface `10.1.2.3/16` became. Each address keeps its
 * kind: private ranges stay in themselves (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, fe80::/64),
 * public addresses move into ranges no real host holds (IPv4 into 198.18.0.0/15, IPv6 into 2001:db8::/32),
 * and loopback, unspecified and multicast are kept (they identify nothing). The first mapped bit is always
 * flipped, so no address and no prefix longer than its range's maps to itself.
 */
import { createHmac } from 'node:crypto';
import { ipFromBigInt, ipToBigInt, ipVersion, type IpVersion } from '../../model/ip.ts';

interface AddressClass {
  /** The range's network and its length: an address in it belongs to the class. */
  net: bigint;
  length: number;
  /** Bits kept as they are; null for a class kept whole. */
  keep: number | null;
  /** Where the mapped addresses go instead of their own top bits (public addresses). */
  into?: { net: bigint; length: number };
}

const v4 = (text: string) => ipToBigInt(text);
const v6 = (text: string) => ipToBigInt(text);

/** Most specific first: the first class that holds an address is its class. */
const CLASSES: Record<IpVersion, AddressClass[]> = {
  4: [
    { net: v4('0.0.0.0'), length: 8, keep: null },
    { net: v4('127.0.0.0'), length: 8, keep: null },
    { net: v4('224.0.0.0'), length: 3, keep: null },
    { net: v4('10.0.0.0'), length: 8, keep: 8 },
    { net: v4('172.16.0.0'), length: 12, keep: 12 },
    { net: v4('192.168.0.0'), length: 16, keep: 16 },
    { net: v4('100.64.0.0'), length: 10, keep: 10 },
    { net: v4('169.254.0.0'), length: 16, keep: 16 },
    { net: 0n, length: 0, keep: 0, into: { net: v4('198.18.0.0'), length: 15 } },
  ],
  6: [
    { net: 0n, length: 127, keep: null },
    { net: v6('ff00::'), length: 8, keep: null },
    { net: v6('fe80::'), length: 64, keep: 64 },
    { net: v6('fc00::'), length: 7, keep: 8 },
    { net: v6('::ffff:0:0'), length: 96, keep: 96 },
    { net: 0n, length: 0, keep: 0, into: { net: v6('2001:db8::'), length: 32 } },
  ],
};

/** Maps addresses under one key: the same address always maps to the same one. */
export class AddressMapper {
  private readonly cache = new Map<string, string>();
  private readonly bits = new Map<string, number>();

  constructor(private readonly key: Buffer) {}

  /** The mapped address; anything that is not an address comes back unchanged. */
  address(text: string): string {
    const version = ipVersion(text);
    if (version === 0) return text;
    const cached = this.cache.get(`${version}/${text}`);
    if (cached !== undefined) return cached;
    const mapped = ipFromBigInt(this.map(ipToBigInt(text), version), version);
    this.cache.set(`${version}/${text}`, mapped);
    return mapped;
  }

  /** `ADDRESS/N`: the mapped network of the prefix (every address of the prefix maps into it). */
  prefix(address: string, length: number): string {
    const version = ipVersion(address);
    if (version === 0) return `${address}/${length}`;
    const width = version === 4 ? 32 : 128;
    const mask = length === 0 ? 0n : ((1n << BigInt(length)) - 1n) << BigInt(width - length);
    return `${ipFromBigInt(ipToBigInt(this.address(address)) & mask, version)}/${length}`;
  }

  /** True when the address is kept as it is (loopback, unspecified, multicast). */
  static kept(text: string): boolean {
    const version = ipVersion(text);
    return version !== 0 && classOf(ipToBigInt(text), version).keep === null;
  }

  /** True when `ADDRESS/LENGTH` is a network its class keeps whole (`10.0.0.0/8`): it maps to itself. */
  static keepsPrefix(text: string, length: number): boolean {
    const version = ipVersion(text);
    if (version === 0) return false;
    const width = version === 4 ? 32 : 128;
    const value = ipToBigInt(text);
    const cls = classOf(value, version);
    return cls.keep !== null && length <= cls.keep && (value & ((1n << BigInt(width - length)) - 1n)) === 0n;
  }

  private map(value: bigint, version: IpVersion): bigint {
    const width = version === 4 ? 32 : 128;
    const cls = classOf(value, version);
    if (cls.keep === null) return value;
    // The public class is mapped whole, then moved: its first mapped bit is the first one below `into`.
    const first = cls.into ? cls.into.length : cls.keep;
    let out = 0n;
    for (let i = 0; i < width; i++) {
      const bit = (value >> BigInt(width - 1 - i)) & 1n;
      const flip = i < cls.keep ? 0 : i === first ? 1 : this.flip(version, value >> BigInt(width - i), i);
      out = (out << 1n) | (bit ^ BigInt(flip));
    }
    if (!cls.into) return out;
    const low = (1n << BigInt(width - cls.into.length)) - 1n;
    return cls.into.net | (out & low);
  }

  /** The keyed bit for position `i` after the prefix `prefix` (its first i bits). */
  private flip(version: IpVersion, prefix: bigint, i: number): number {
    const id = `${version}:${i}:${prefix.toString(16)}`;
    let bit = this.bits.get(id);
    if (bit === undefined) {
      bit = createHmac('sha256', this.key).update(id).digest()[0]! & 1;
      this.bits.set(id, bit);
    }
    return bit;
  }
}

function classOf(value: bigint, version: IpVersion): AddressClass {
  const width = version === 4 ? 32 : 128;
  for (const cls of CLASSES[version]) {
    if (cls.length === 0 || value >> BigInt(width - cls.length) === cls.net >> BigInt(width - cls.length)) return cls;
  }
  return CLASSES[version][CLASSES[version].length - 1]!;
}

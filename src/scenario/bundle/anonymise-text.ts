/**
 * Where a ruleset's text holds an address, for `--anonymise`: the literal as rulesets write it (`-s 10.1.0.0/16`,
 * `elements = { 2001:db8::/32 }`) and also where a word or a port touches it, which real rulesets do: a DNAT
 * target `--to-destination 10.9.8.7:8080`, nft's `dnat ip to 10.9.8.7:8080`, a comment `"db_10.44.3.2"` or
 * one ending a sentence `"office is 10.44.3.2."`. Each of these passed through the mapping unchanged and was
 * shared (measured: all four written as they were). Also where a ruleset names an interface the bundle's
 * `ip addr` did not list (`-i customer-acme`, a link that is down), so its name is mapped as well.
 */
import { ipToBigInt, ipVersion } from '../../model/ip.ts';

/** A run of hex digits, dots and colons holding a dot or colon, with an optional `/length` or `/dotted.mask`. */
const TOKEN = /(?<![0-9A-Fa-f.:])([0-9A-Fa-f:.]*[:.][0-9A-Fa-f:.]*)(\/(\d{1,3}(?:\.\d{1,3}){3}|\d{1,3}))?(?![0-9A-Fa-f.:])/g;
/** A dotted quad inside a longer token (`10.9.8.7:8080`, `abc10.0.0.1`), with an optional `/length`. */
const V4_INSIDE = /(?<![0-9]|\d\.)(\d{1,3}(?:\.\d{1,3}){3})(\/\d{1,2})?(?![0-9]|\.\d)/g;

export interface AddressMap {
  address(text: string): string;
  prefix(address: string, length: number): string;
  /** A dotted mask (`/255.255.0.0`) was met: mapped address by address, the mask kept. */
  dottedMask?: () => void;
}

/** The text with every address literal mapped, wherever it stands. */
export function mapAddresses(text: string, map: AddressMap): string {
  return text.replace(TOKEN, (whole: string, token: string, suffix: string | undefined, length: string | undefined) => {
    if (ipVersion(token) !== 0) {
      if (length === undefined) return map.address(token);
      if (length.includes('.')) {
        map.dottedMask?.();
        return `${map.address(token)}${suffix}`;
      }
      return map.prefix(token, Number(length));
    }
    // A sentence's full stop or a trailing colon after an address: the address, then the rest as it was.
    const bare = /^(.*?)([.:]+)$/.exec(token);
    if (bare && ipVersion(bare[1]!) !== 0) return `${map.address(bare[1]!)}${bare[2]}${suffix ?? ''}`;
    return whole.replace(V4_INSIDE, (inside: string, address: string, len: string | undefined) => {
      if (ipVersion(address) !== 4) return inside;
      return len === undefined ? map.address(address) : map.prefix(address, Number(len.slice(1)));
    });
  });
}

/**
 * Each mapped range `A-B` (iprange, nft `saddr A-B`, a set's `elements = { A-B }`) with its ends in order:
 * the mapping keeps prefixes, not order, and `10.1.1.1-10.1.1.9` became `10.138.183.93-10.138.183.84`
 * (measured), a range nft refuses to load, so the anonymised scenario failed in the lab. Calls `onRange` for
 * any range, ordered or not: its covered addresses are not the host's.
 */
export function orderRanges(text: string, onRange: () => void): string {
  return text.replace(/(?<![0-9A-Fa-f.:])([0-9A-Fa-f:.]+[:.][0-9A-Fa-f:.]*)-([0-9A-Fa-f:.]+[:.][0-9A-Fa-f:.]*)(?![0-9A-Fa-f.:])/g, (whole, a: string, b: string) => {
    const version = ipVersion(a);
    if (version === 0 || version !== ipVersion(b)) return whole;
    onRange();
    return ipToBigInt(a) > ipToBigInt(b) ? `${b}-${a}` : whole;
  });
}

/** Every address literal of a text as written (what must not be left after mapping). */
export function addressesIn(text: string): Set<string> {
  const found = new Set<string>();
  mapAddresses(text, {
    address: (a) => (found.add(a), a),
    prefix: (a, n) => (found.add(a), `${a}/${n}`),
  });
  // Read independently of the token rules above: any dotted quad, whatever touches it.
  for (const m of text.matchAll(/(?<!\d)\d{1,3}(?:\.\d{1,3}){3}(?!\d)/g)) if (ipVersion(m[0]) === 4) found.add(m[0]);
  return found;
}

/** True when `address` (as written) is in `text` as an address, whatever word or port touches it. */
export function hasAddress(text: string, address: string): boolean {
  const escaped = address.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const pattern = address.includes(':') ? `(?<![0-9A-Fa-f:])${escaped}(?![0-9A-Fa-f:])` : `(?<!\\d)${escaped}(?!\\d)`;
  return new RegExp(pattern, 'i').test(text);
}

/**
 * Interface names a ruleset matches on: iptables `-i`/`-o` (`+` wildcards cut), nft `iifname`/`oifname`
 * with a name, a quoted name or a set of them.
 */
export function interfaceNamesIn(text: string): Set<string> {
  const names = new Set<string>();
  const add = (raw: string) => {
    const name = raw.replace(/^"|"$/g, '').replace(/[+*]$/, '');
    if (/^[A-Za-z][A-Za-z0-9_.-]{0,14}$/.test(name)) names.add(name);
  };
  for (const m of text.matchAll(/(?:^|\s)(?:-i|-o|--in-interface|--out-interface)\s+(?:!\s+)?(\S+)/g)) add(m[1]!);
  for (const m of text.matchAll(/\b[io]ifname\s+(?:!=\s*)?(\{[^}]*\}|"[^"\n]*"|\S+)/g)) {
    for (const part of m[1]!.replace(/^\{|\}$/g, '').split(',')) add(part.trim());
  }
  return names;
}

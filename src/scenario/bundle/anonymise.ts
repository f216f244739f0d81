/**
 * `--anonymise`: a host's facts with its addresses, hostname and own interface names replaced, the same way
 * everywhere (the listeners, the interfaces, every ruleset text) and across every bundle of one run, so a
 * captured scenario can be shared and still reproduces the host: prefixes keep their relations and each
 * address its family (anonymise-address.ts). Standard interface names (eth0, ens3, docker0) identify
 * nothing and are kept, so rules on them read as before. After mapping, the written files are searched for
 * every original value; one left refuses the capture rather than share it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { BundleInvalidError } from '../../model/errors.ts';
import { ipToBigInt, ipVersion } from '../../model/ip.ts';
import { AddressMapper } from './anonymise-address.ts';
import { addressesIn, hasAddress, interfaceNamesIn, mapAddresses, orderRanges } from './anonymise-text.ts';
import type { HostFacts } from './host.ts';

/** Names a distribution or a driver gives: the same on thousands of hosts, so kept. */
const STANDARD_IFNAME = /^(lo|eth\d+|en[ospx][0-9a-z]+|wl[a-z0-9]+|docker\d+|br-[0-9a-f]+|veth[0-9a-f]+|tun\d+|tap\d+|wg\d+|bond\d+|ppp\d+)(\.\d+)?$/;
const NAME_EDGE = 'A-Za-z0-9_.-';

export class Anonymiser {
  private addresses: AddressMapper;
  private readonly names = new Map<string, string>();
  private interfaces = 0;
  /** What the mapping cannot keep exact, said once per run. */
  readonly notes = new Set<string>();
  private key: Buffer;
  /** A random key may still be drawn again: nothing has been mapped with it. */
  private redraw: boolean;

  /** @param key - The secret of the mapping. @default 32 random bytes: a run's mapping cannot be redone by anyone */
  constructor(key?: Buffer) {
    this.key = key ?? randomBytes(32);
    this.addresses = new AddressMapper(this.key);
    this.redraw = key === undefined;
  }

  /** The facts with every address and name mapped; the original facts are not changed. */
  facts(facts: HostFacts): HostFacts {
    if (this.redraw) this.keepHostAddresses(facts.interfaces);
    // Every name before any text is mapped: a link `ip addr` did not list, or a socket's device, is still in the rules.
    for (const name of ownNames(facts)) this.ifname(name);
    const hostname = facts.hostname === null ? null : this.hostname(facts.hostname);
    // A hostname that is no valid scenario name (`db_prod01`) is still the host's name in comments.
    const said = facts.rawHostname ?? facts.hostname;
    const mapped: HostFacts = {
      ...facts,
      hostname,
      v4: facts.v4 === null ? null : this.text(facts.v4, said),
      v6: facts.v6 === null ? null : this.text(facts.v6, said),
      nft: facts.nft === null ? null : this.text(facts.nft, said),
      listeners: facts.listeners.map((l) => ({ ...l, address: l.address === '*' ? '*' : this.addresses.address(l.address), device: l.device === null ? null : this.ifname(l.device) })),
      interfaces: facts.interfaces.map((link) => ({
        name: this.ifname(link.name),
        ipv4: link.ipv4.map((a) => ({ address: this.addresses.address(a.address), prefix: a.prefix })),
        ipv6: link.ipv6.map((a) => ({ address: this.addresses.address(a.address), prefix: a.prefix })),
      })),
    };
    return mapped;
  }

  /**
   * Draws random keys until every interface address is still a host address of its subnet once mapped. The
   * host bits of an address map at random, so a key may make 192.0.2.10/24 the mapped subnet's network or
   * broadcast address (2 keys in 256; on a /29, 1 in 4), and the loader then refuses the captured scenario.
   * Only before anything is mapped with the key: after that, the mapping must stay the one it was.
   */
  private keepHostAddresses(links: HostFacts['interfaces']): void {
    this.redraw = false;
    const addresses = links.flatMap((link) => [...link.ipv4, ...link.ipv6]);
    const broken = () => addresses.some((a) => isHost(a.address, a.prefix) && !isHost(this.addresses.address(a.address), a.prefix));
    // 64 draws: a /29 fails all of them once in 2^128; past that the loader's refusal says what is wrong.
    for (let draw = 0; draw < 64 && broken(); draw++) {
      this.key = randomBytes(32);
      this.addresses = new AddressMapper(this.key);
    }
  }

  /** A ruleset's text: every address literal, the hostname and each non-standard interface name mapped. */
  text(text: string, hostname: string | null = null): string {
    this.redraw = false;
    let out = mapAddresses(text, {
      address: (a) => this.addresses.address(a),
      prefix: (a, n) => this.addresses.prefix(a, n),
      dottedMask: () => this.notes.add('a dotted netmask (ADDRESS/255.255.0.0) was mapped address by address and keeps its mask: check such rules'),
    });
    out = orderRanges(out, () => this.notes.add('an address range (A-B) was mapped end by end, its ends put in order: prefixes keep their relations, ranges may not cover the same addresses'));
    for (const [original, mapped] of this.names) out = replaceWord(out, original, mapped);
    // Only in comments and quoted strings: a hostname may also be a ruleset word (`nat`, `filter`), and
    // renaming `*nat` would break the ruleset. Left in a rule, assertGone refuses the capture.
    if (hostname !== null) {
      const mapped = this.hostname(hostname);
      out = out.replace(/^#.*$|"[^"\n]*"/gm, (part) => replaceWord(part, hostname, mapped));
    }
    return out;
  }

  /**
   * Every original address, hostname and interface name of `facts` still found in `files` (as a whole word).
   * @throws BundleInvalidError naming what is left and where: an anonymised capture must not carry it.
   */
  assertGone(facts: HostFacts, files: Record<string, string>): void {
    const names = new Set<string>();
    const addresses = new Set<string>();
    for (const name of ownNames(facts)) if (!STANDARD_IFNAME.test(name)) names.add(name);
    for (const link of facts.interfaces) for (const a of [...link.ipv4, ...link.ipv6]) addresses.add(a.address);
    for (const l of facts.listeners) if (l.address !== '*') addresses.add(l.address);
    for (const text of [facts.v4, facts.v6, facts.nft]) for (const a of addressesIn(text ?? '')) addresses.add(a);
    for (const hostname of [facts.hostname, facts.rawHostname]) if (hostname) names.add(hostname);
    for (const [file, content] of Object.entries(files)) {
      // `10.0.0.0/8` maps to itself by design (a private range is kept): it says no more than the range does.
      const searched = content.replace(/([0-9A-Fa-f:.]+)\/(\d{1,3})\b/g, (whole, a: string, n: string) => (AddressMapper.keepsPrefix(a, Number(n)) ? '' : whole));
      for (const original of addresses) {
        if (!AddressMapper.kept(original) && hasAddress(searched, original)) throw gone(original, file);
      }
      for (const original of names) if (hasWord(content, original)) throw gone(original, file);
    }
  }

  /** `host-` and six hex digits of the keyed name: the same host gets the same name in every bundle of a run. */
  hostname(name: string): string {
    this.redraw = false;
    return `host-${createHmac('sha256', this.key).update(`host:${name}`).digest('hex').slice(0, 6)}`;
  }

  private ifname(name: string): string {
    if (STANDARD_IFNAME.test(name)) return name;
    let mapped = this.names.get(name);
    if (mapped === undefined) {
      mapped = `if${this.interfaces++}`;
      this.names.set(name, mapped);
    }
    return mapped;
  }
}

/** Neither the network address of its subnet nor (IPv4) its broadcast address: what the loader asks of an interface (scenario/topology.ts). */
function isHost(address: string, prefix: number): boolean {
  const version = ipVersion(address);
  if (version === 0) return true;
  const size = 1n << BigInt((version === 4 ? 32 : 128) - prefix);
  const host = ipToBigInt(address) & (size - 1n);
  return host !== 0n && !(version === 4 && host === size - 1n);
}

function gone(original: string, file: string): BundleInvalidError {
  return new BundleInvalidError(`--anonymise: ${JSON.stringify(original)} is still in ${file} after mapping: not written, so nothing is shared with it`);
}

/** The host's interface names: its links, its sockets' devices and every name its rulesets match on. */
function ownNames(facts: HostFacts): Set<string> {
  const names = new Set(facts.interfaces.map((link) => link.name));
  for (const l of facts.listeners) if (l.device !== null) names.add(l.device);
  for (const text of [facts.v4, facts.v6, facts.nft]) for (const name of interfaceNamesIn(text ?? '')) names.add(name);
  return names;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

function wordPattern(word: string): RegExp {
  return new RegExp(`(?<![${NAME_EDGE}])${escape(word)}(?![${NAME_EDGE}])`, 'g');
}

function replaceWord(text: string, word: string, by: string): string {
  return text.replace(wordPattern(word), by);
}

function hasWord(text: string, word: string): boolean {
  return wordPattern(word).test(text);
}

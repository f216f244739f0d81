/**
 * What a bundle says about its host, read item by item: the iptables backend, the rulesets, the listening
 * sockets, the interfaces with their addresses, forwarding. Every name and address is validated here, and
 * a value that is no name or address refuses the bundle with its field named (a host's own tools never
 * print an interface called `eth0;reboot`). What the script could not read becomes a note, never a guess.
 */
import { z } from 'zod';
import { BundleInvalidError } from '../../model/errors.ts';
import { canonicalIp, ipVersion } from '../../model/ip.ts';
import type { Protocol } from '../../model/observation.ts';
import { itemField, type Bundle, type BundleItem } from './schema.ts';
import type { BundleItemName } from './collect-script.ts';

/** One listening socket: `address` is `*` (dual-stack), `0.0.0.0`, `::` or a literal address. */
export interface Listener {
  protocol: Protocol;
  port: number;
  address: string;
  /** A socket bound to one interface (`%eth0`), which the lab does not reproduce. */
  device: string | null;
}

export interface HostAddress {
  address: string;
  prefix: number;
}

export interface HostInterface {
  name: string;
  ipv4: HostAddress[];
  ipv6: HostAddress[];
}

export interface HostFacts {
  hostname: string | null;
  /** The hostname as the bundle wrote it when it is no valid name (`db_prod01`): only `--anonymise` reads it, to map it away. */
  rawHostname?: string;
  root: boolean;
  backend: 'nft' | 'legacy' | null;
  v4: string | null;
  v6: string | null;
  nft: string | null;
  listeners: Listener[];
  interfaces: HostInterface[];
  forwarding: { ipv4: boolean; ipv6: boolean };
  ipv6Disabled: boolean;
  dockerContainers: number;
  /** What could not be read or is not reproduced, one sentence each. */
  notes: string[];
  /** Why an item was not read (`the command exited 1`, `truncated`), by item. */
  unread: Partial<Record<BundleItemName, string>>;
}

/** Linux's own rule (IFNAMSIZ, no slash, space or colon), tighter: what the lab's topology accepts. */
const IFNAME = /^[A-Za-z][A-Za-z0-9_.-]{0,14}$/;
const HOSTNAME = /^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/;
const MAX_LISTENERS = 4096;
const MAX_INTERFACES = 256;

const ipAddrSchema = z
  .array(
    z.object({
      ifname: z.string().regex(IFNAME, { error: 'expected an interface name (a letter, then letters, digits, ., -, _; up to 15)' }),
      addr_info: z
        .array(z.object({ family: z.string().max(16), local: z.string().max(64).optional(), prefixlen: z.number().int().min(0).max(128).optional(), scope: z.string().max(32).optional() }))
        .max(256)
        .optional(),
    }),
  )
  .max(MAX_INTERFACES);

/** Reads every item; throws BundleInvalidError naming the field of the first hostile value. */
export function hostFacts(bundle: Bundle): HostFacts {
  const notes: string[] = [];
  const unread: HostFacts['unread'] = {};
  const readable = (name: BundleItemName, what: string): string | null => {
    const item = bundle[name];
    if (item.status === 'ok') return item.text;
    unread[name] = describeStatus(item);
    notes.push(`${what} was not read (${itemField(name)}: ${unread[name]})`);
    return null;
  };
  const root = bundle.uid.status === 'ok' && bundle.uid.text.trim() === '0';
  if (!root) notes.push('collect did not run as root: rulesets and socket owners may be missing; run it with sudo');
  const hostname = bundle.hostname.text.trim();
  const version = readable('iptables_version', 'the iptables backend');
  const backend = version === null ? null : backendOf(version);
  const ssText = readable('ss', 'the listening sockets');
  const addrText = readable('ip_addr', 'the interfaces');
  const sysctls = parseSysctl(readable('sysctl', 'forwarding and disable_ipv6') ?? '');
  const dockerPs = bundle.docker_ps.status === 'ok' ? bundle.docker_ps.text.split('\n').filter((l) => l.trim() !== '').length : 0;
  return {
    hostname: HOSTNAME.test(hostname) ? hostname : null,
    ...(hostname !== '' && !HOSTNAME.test(hostname) ? { rawHostname: hostname.slice(0, 253) } : {}),
    root,
    backend,
    v4: readable('iptables_save', 'the IPv4 ruleset (iptables-save)'),
    v6: readable('ip6tables_save', 'the IPv6 ruleset (ip6tables-save)'),
    nft: bundle.nft_ruleset.status === 'ok' ? bundle.nft_ruleset.text : null,
    listeners: ssText === null ? [] : parseSs(ssText),
    interfaces: addrText === null ? [] : parseIpAddr(addrText),
    forwarding: { ipv4: sysctls.get('net.ipv4.ip_forward') === '1', ipv6: sysctls.get('net.ipv6.conf.all.forwarding') === '1' },
    ipv6Disabled: sysctls.get('net.ipv6.conf.all.disable_ipv6') === '1',
    dockerContainers: dockerPs,
    notes,
    unread,
  };
}

/** `iptables v1.8.9 (nf_tables)`; before 1.8 iptables had one backend, the legacy one, and did not name it. */
function backendOf(version: string): 'nft' | 'legacy' | null {
  if (/\(nf_tables\)/.test(version)) return 'nft';
  if (/\(legacy\)/.test(version) || /^iptables v1\.[0-7]\./.test(version)) return 'legacy';
  return null;
}

function describeStatus(item: BundleItem): string {
  if (item.status === 'failed') return `the command exited ${item.rc}`;
  if (item.status === 'missing') return 'the tool is not installed';
  if (item.status === 'skipped') return "skipped: the script's time budget ran out";
  if (item.status === 'truncated') return 'its output was cut at the cap: too large to reproduce whole';
  return 'the command timed out';
}

/** `ss -Hlntu[p]` lines: `tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:* [process]`. */
export function parseSs(text: string): Listener[] {
  const listeners: Listener[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const field = `${itemField('ss')} line ${index + 1}`;
    const [netid, , , , local] = line.trim().split(/\s+/);
    if (netid !== 'tcp' && netid !== 'udp') throw new BundleInvalidError(`${field}: expected tcp or udp first, found ${JSON.stringify(netid?.slice(0, 20))}`);
    const colon = local?.lastIndexOf(':') ?? -1;
    if (!local || colon < 1) throw new BundleInvalidError(`${field}: expected ADDRESS:PORT in the fifth column, found ${JSON.stringify(local?.slice(0, 60))}`);
    const portText = local.slice(colon + 1);
    if (portText === '*') return;
    const port = Number(portText);
    if (!/^\d{1,5}$/.test(portText) || port < 1 || port > 65535) throw new BundleInvalidError(`${field}: expected a port from 1 to 65535, found ${JSON.stringify(portText.slice(0, 20))}`);
    let host = local.slice(0, colon);
    if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
    const [address = '', device = null] = host.split('%');
    if (device !== null && !IFNAME.test(device) && device !== 'lo') throw new BundleInvalidError(`${field}: expected an interface name after %, found ${JSON.stringify(device.slice(0, 20))}`);
    if (address !== '*' && ipVersion(address) === 0) throw new BundleInvalidError(`${field}: expected an IP address or *, found ${JSON.stringify(address.slice(0, 60))}`);
    if (listeners.length >= MAX_LISTENERS) throw new BundleInvalidError(`${itemField('ss')}: expected at most ${MAX_LISTENERS} listening sockets`);
    listeners.push({ protocol: netid, port, address: address === '*' ? '*' : canonicalIp(address), device });
  });
  return listeners;
}

/** `ip -j addr show`: every interface but lo, with its global addresses. */
export function parseIpAddr(text: string): HostInterface[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BundleInvalidError(`${itemField('ip_addr')}: expected the JSON of \`ip -j addr\``);
  }
  const parsed = ipAddrSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new BundleInvalidError(`${itemField('ip_addr')}${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}: ${issue.message}`);
  }
  return parsed.data.map((link, i) => {
    const out: HostInterface = { name: link.ifname, ipv4: [], ipv6: [] };
    (link.addr_info ?? []).forEach((a, j) => {
      if (a.scope !== 'global' || a.local === undefined || a.prefixlen === undefined) return;
      const version = ipVersion(a.local);
      const family = a.family === 'inet' ? 4 : a.family === 'inet6' ? 6 : 0;
      if (family === 0) return;
      if (version !== family || a.prefixlen > (family === 4 ? 32 : 128)) {
        throw new BundleInvalidError(`${itemField('ip_addr')}[${i}].addr_info[${j}].local: expected an IPv${family} address, found ${JSON.stringify(a.local)}/${a.prefixlen}`);
      }
      (family === 4 ? out.ipv4 : out.ipv6).push({ address: canonicalIp(a.local), prefix: a.prefixlen });
    });
    return out;
  });
}

function parseSysctl(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([a-z0-9_.]+) = (\S+)$/.exec(line.trim());
    if (match) values.set(match[1]!, match[2]!);
  }
  return values;
}

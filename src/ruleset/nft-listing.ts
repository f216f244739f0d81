/**
 * `nft list ruleset` text read back into tables, chains, rules and sets: what the nft parity lint reasons
 * about, what the self-check compares before and after the scans, and the native tables the rate, shape and
 * interface checks read beside iptables-save. Tables that iptables-nft manages (nft marks them with a
 * "managed by iptables-nft" warning) are kept apart: iptables-save already shows them.
 */

export interface NftChain {
  name: string;
  /** `input`, `forward`, `output`, `prerouting`…; null for a regular chain (reached only by jump/goto). */
  hook: string | null;
  /** `filter`, `nat` or `route` for a base chain; null for a regular chain. */
  type: string | null;
  policy: 'accept' | 'drop' | null;
  /** One rule per entry, as nft prints it (a rule nft wraps over lines is joined). */
  rules: string[];
  /** Each rule's handle, where the listing was made with `nft -a` (`# handle N`); null otherwise. */
  handles: (number | null)[];
}

export interface NftSet {
  name: string;
  /** The declaration lines (`type ipv4_addr`, `flags interval`…), elements left out. */
  declaration: string[];
  /** The `elements = { … }` text, or '' when it has none. */
  elements: string;
  /** Filled by packets (`flags dynamic`/`timeout`, a meter): its elements are state, not ruleset. */
  dynamic: boolean;
}

export interface NftTable {
  /** `ip`, `ip6`, `inet`, `arp`, `bridge`, `netdev`. */
  family: string;
  name: string;
  /** iptables-nft's table (iptables-save shows it too), not one written for nft. */
  managed: boolean;
  chains: NftChain[];
  sets: NftSet[];
  /** The table's lines as listed, for the text-based checks. */
  text: string;
}

const MANAGED = /^# Warning: table (\S+) (\S+) is managed by iptables-nft/;
/** What `nft -a` appends to each table, chain, set and rule line. */
const HANDLE = /\s+# handle (\d+)$/;

/** The tables of an `nft list ruleset` listing, in the order nft prints them. */
export function parseNftListing(listing: string): NftTable[] {
  const tables: NftTable[] = [];
  const managed = new Set<string>();
  let table: NftTable | null = null;
  let chain: NftChain | null = null;
  let set: NftSet | null = null;
  let pending = '';
  for (const listed of listing.split('\n')) {
    const warning = MANAGED.exec(listed.trim());
    if (warning) managed.add(`${warning[1]} ${warning[2]}`);
    if (listed.trim().startsWith('#') || listed.trim() === '') continue;
    // `nft -a` ends a line with its handle: kept for the rule it ends, left out of the text.
    const handle = HANDLE.exec(listed);
    const raw = handle ? listed.slice(0, handle.index) : listed;
    if (table) table.text += `${raw}\n`;
    // A rule or an element list nft wraps over lines is read as one line.
    pending = pending ? `${pending} ${raw.trim()}` : raw.trim();
    if (braceBalance(pending) > 0 && !/^(table|chain|set|map|flowtable|counter|quota|limit|ct|secmark|synproxy)\b.*\{$/.test(pending)) continue;
    const line = pending;
    pending = '';
    const head = /^table (\S+) (\S+) \{$/.exec(line);
    if (head) {
      table = { family: head[1]!, name: head[2]!, managed: managed.has(`${head[1]} ${head[2]}`), chains: [], sets: [], text: `${raw}\n` };
      tables.push(table);
      continue;
    }
    if (!table) continue;
    if (line === '}') {
      if (chain) chain = null;
      else if (set) set = null;
      else table = null;
      continue;
    }
    const block = /^(chain|set|map|flowtable|counter|quota|limit|ct \w+|secmark|synproxy) (\S+) \{$/.exec(line);
    if (block) {
      if (block[1] === 'chain') table.chains.push((chain = { name: block[2]!, hook: null, type: null, policy: null, rules: [], handles: [] }));
      else if (block[1] === 'set' || block[1] === 'map') table.sets.push((set = { name: block[2]!, declaration: [], elements: '', dynamic: false }));
      else set = { name: block[2]!, declaration: [], elements: '', dynamic: false };
      continue;
    }
    if (chain) {
      const base = /^type (\w+) hook (\w+)(?: device \S+)? priority [^;]+;(?: policy (accept|drop);)?/.exec(line);
      if (base) {
        chain.type = base[1]!;
        chain.hook = base[2]!;
        chain.policy = (base[3] as 'accept' | 'drop' | undefined) ?? 'accept';
      } else {
        chain.rules.push(line);
        chain.handles.push(handle ? Number(handle[1]) : null);
      }
    } else if (set) {
      if (line.startsWith('elements = ')) set.elements = line;
      else {
        set.declaration.push(line);
        if (/^flags .*\b(dynamic|timeout)\b|^timeout /.test(line)) set.dynamic = true;
      }
    }
  }
  return tables;
}

/**
 * The listing as lines that compare as text: each rule prefixed with its table and chain (so a rule that
 * moves shows where), no `expires` countdowns, and no elements of sets that packets fill.
 */
export function normaliseNftListing(listing: string): string {
  const out: string[] = [];
  for (const t of parseNftListing(listing)) {
    const where = `table ${t.family} ${t.name}`;
    out.push(where);
    for (const s of t.sets) {
      out.push(...s.declaration.map((d) => `${where} set ${s.name}: ${d}`));
      if (!s.dynamic && s.elements) out.push(`${where} set ${s.name}: ${s.elements.replace(/ expires \S+/g, '')}`);
    }
    for (const c of t.chains) {
      out.push(`${where} chain ${c.name}: ${c.hook ? `hook ${c.hook} policy ${c.policy}` : 'regular'}`);
      out.push(...c.rules.map((r) => `${where} chain ${c.name}: ${r}`));
    }
  }
  return out.join('\n');
}

/**
 * Tables written for nft rather than by iptables: not marked by nft as iptables-nft's, and not shown by
 * `*-save` (which lists the tables it manages as `*NAME`, and notes native ones named like its own as
 * "incompatible"). Docker's own rules in the lab's nat table, made by the host's iptables, are iptables'.
 */
export function nativeTables(saved: { v4: string; v6: string; nft?: string }): NftTable[] {
  if (!saved.nft) return [];
  return parseNftListing(saved.nft).filter((t) => {
    if (t.managed) return false;
    const save = t.family === 'ip' ? saved.v4 : t.family === 'ip6' ? saved.v6 : null;
    if (save === null) return true;
    const listed = save.split('\n').includes(`*${t.name}`);
    const incompatible = save.includes(`# Table \`${t.name}' `);
    return !listed || incompatible;
  });
}

/**
 * What the kernel filters per family, as text the rule-matching checks read: `*-save` output, and the
 * native nft tables that see that family's packets (`inet` ones in both).
 */
export function familyTexts(saved: { v4: string; v6: string; nft?: string }): { v4: string; v6: string } {
  const native = nativeTables(saved);
  const of = (families: string[]) =>
    native
      .filter((t) => families.includes(t.family))
      .map((t) => t.text)
      .join('');
  return { v4: `${saved.v4}\n${of(['ip', 'inet'])}`, v6: `${saved.v6}\n${of(['ip6', 'inet'])}` };
}

/** nf_tables' number for an nft family name (what trace events and the rule dump carry). */
export const NFT_FAMILY: Record<string, number> = { inet: 1, ip: 2, arp: 3, netdev: 5, bridge: 7, ip6: 10 };

/** The rule with this handle in a table of a listing made with `nft -a`, with its chain. */
export function ruleByHandle(tables: readonly NftTable[], family: number, table: string, handle: number): { table: NftTable; chain: NftChain; rule: string } | null {
  for (const t of tables.filter((x) => NFT_FAMILY[x.family] === family && x.name === table)) {
    for (const chain of t.chains) {
      const i = chain.handles.indexOf(handle);
      if (i >= 0) return { table: t, chain, rule: chain.rules[i]! };
    }
  }
  return null;
}

function braceBalance(text: string): number {
  let depth = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '{') depth++;
    else if (!quoted && ch === '}') depth--;
  }
  return depth;
}

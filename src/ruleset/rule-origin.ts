/**
 * Back from a rule in the kernel to the user's line: the n-th rule of a chain in `iptables-save` output is
 * the n-th `-A CHAIN` of that table in the restore file that was applied (restore replaces every table it
 * names), and a chain's policy is its `:CHAIN POLICY` line. Where that reasoning does not hold (the file
 * inserts, deletes or replaces rules, or the kernel holds a different number of rules than the file
 * appends, as `-s a,b` expanding into two; a rule marked `-4`/`-6`, which the other family's restore skips),
 * no line is given rather than a wrong one.
 */

export interface RuleOrigin {
  line: number;
  /** The `# …` comment right above the line, as fwprobe's generator writes the policy field or preset step. */
  comment?: string;
}

interface Section {
  /** 1-based line numbers of each chain's `-A` lines, in order. */
  appends: Map<string, number[]>;
  policies: Map<string, number>;
  /** The file changes rules in other ways than appending: positions say nothing. */
  reordered: boolean;
  /** A rule carries `-4`/`-6`: one family's restore skips it, so rule positions say nothing (policies do). */
  familyMarked: boolean;
}

function sections(text: string): Map<string, Section> {
  const out = new Map<string, Section>();
  let current: Section | null = null;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    const table = /^\*(\S+)$/.exec(line);
    if (table) {
      current = { appends: new Map(), policies: new Map(), reordered: false, familyMarked: false };
      out.set(table[1]!, current);
      return;
    }
    if (!current || line === 'COMMIT') return;
    const words = line.replace(/^\[\d+:\d+\]\s+/, '').split(/\s+/);
    const policy = /^:(\S+)\s+(\S+)/.exec(line);
    if (policy) current.policies.set(policy[1]!, i + 1);
    else if (words.some((w) => /^(-4|-6|--ipv4|--ipv6)$/.test(w))) {
      // iptables-restore silently skips a `-6` rule (ip6tables-restore a `-4` one): the kernel holds fewer
      // rules than the file appends, and a `-s a,b` elsewhere can make the counts agree by chance.
      current.familyMarked = true;
    } else if ((words[0] === '-A' || words[0] === '--append') && words[1]) {
      const list = current.appends.get(words[1]) ?? [];
      list.push(i + 1);
      current.appends.set(words[1], list);
    } else if (/^(-I|--insert|-D|--delete|-R|--replace|-F|--flush|-X|--delete-chain|-E|--rename-chain|-P|--policy)$/.test(words[0] ?? '')) {
      current.reordered = true;
    }
  });
  return out;
}

/**
 * The line of the rule at `position` (0-based) of `chain` in `table`, given how many rules the chain holds
 * in the kernel. Null where the file does not decide it.
 */
export function ruleLine(text: string, table: string, chain: string, position: number, rulesInKernel: number): RuleOrigin | null {
  const section = sections(text).get(table);
  if (!section || section.reordered || section.familyMarked) return null;
  const appends = section.appends.get(chain) ?? [];
  if (appends.length !== rulesInKernel) return null;
  const line = appends[position];
  return line === undefined ? null : withComment(text, line);
}

/** The line of `:CHAIN POLICY` in `table`; null if the file does not declare it. */
export function policyLine(text: string, table: string, chain: string): RuleOrigin | null {
  const section = sections(text).get(table);
  const line = section?.policies.get(chain);
  return line === undefined || section?.reordered ? null : withComment(text, line);
}

function withComment(text: string, line: number): RuleOrigin {
  const above = text.split('\n')[line - 2]?.trim();
  return above?.startsWith('# ') ? { line, comment: above.slice(2) } : { line };
}

/** The `-A CHAIN …` lines of one table and chain in save output, in order. */
export function savedRules(saved: string, table: string, chain: string): string[] {
  const out: string[] = [];
  let inTable = false;
  for (const raw of saved.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) inTable = line === `*${table}`;
    else if (inTable && line.startsWith(`-A ${chain} `)) out.push(line.replace(/^\[\d+:\d+\]\s+/, ''));
  }
  return out;
}

/** A chain's policy in save output, or null when the chain (or table) is not there. */
export function savedPolicy(saved: string, table: string, chain: string): string | null {
  let inTable = false;
  for (const raw of saved.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) inTable = line === `*${table}`;
    const policy = inTable ? new RegExp(`^:${chain.replace(/[^\w-]/g, '\\$&')}\\s+(\\S+)`).exec(line) : null;
    if (policy) return policy[1]!;
  }
  return null;
}

/**
 * The line of an nftables file that wrote a rule, found by its text: the rule as `nft list` prints it equals
 * exactly one rule statement of that family, table and chain in the file (inside a `table { chain { … } }`
 * block, or an `add rule`/`insert rule` line), compared with quotes dropped and blanks evened out. Null when
 * none or several match (a `$variable`, a set nft prints otherwise, a duplicate rule), or when the file
 * deletes, flushes or replaces anything after it starts writing tables: then a matching line may be one the
 * kernel no longer holds.
 */
export function nftRuleLine(text: string, family: string, table: string, chain: string, listed: string): RuleOrigin | null {
  const statements = nftStatements(text);
  if (!statements) return null;
  const want = evenOut(listed);
  const lines = statements.filter((s) => s.family === family && s.table === table && s.chain === chain && evenOut(s.text) === want).map((s) => s.line);
  return lines.length === 1 ? { line: lines[0]! } : null;
}

interface NftStatement {
  family: string;
  table: string;
  chain: string;
  text: string;
  line: number;
}

const FAMILIES = ['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev'];

/** The rule statements of an nftables file, each with its 1-based line; null if the file removes anything. */
function nftStatements(text: string): NftStatement[] | null {
  const out: NftStatement[] = [];
  // Blocks open: table/chain/other (a set, a map, a flowtable) or an anonymous set inside a rule.
  const stack: { kind: 'table' | 'chain' | 'other' | 'inline'; family?: string; name?: string }[] = [];
  let statement = '';
  let startLine = 0;
  let written = false;
  let removes = false;
  const flush = () => {
    const s = statement.trim();
    statement = '';
    if (!s) return;
    const top = stack.at(-1);
    if (top?.kind === 'chain') {
      if (/^(type|policy|comment|devices?)\b/.test(s)) return;
      const t = [...stack].reverse().find((x) => x.kind === 'table')!;
      out.push({ family: t.family!, table: t.name!, chain: top.name!, text: s, line: startLine });
      return;
    }
    if (stack.length > 0) return;
    const words = s.split(/\s+/);
    if (words[0] === 'flush' && words[1] === 'ruleset' && !written) return;
    if (/^(flush|delete|destroy|replace|reset|rename)$/.test(words[0]!)) removes = true;
    const rule = /^(?:add|insert)\s+rule\s+(.*)$/.exec(s);
    if (rule) {
      const w = rule[1]!.split(/\s+/);
      const [fam, rest] = FAMILIES.includes(w[0]!) ? [w[0]!, w.slice(1)] : ['ip', w];
      if (rest.length > 2) out.push({ family: fam, table: rest[0]!, chain: rest[1]!, text: rest.slice(2).join(' '), line: startLine });
    }
    if (/^(add|create|insert|table)\b/.test(words[0]!)) written = true;
  };
  text.split('\n').forEach((raw, i) => {
    let quoted = false;
    const line = raw.replace(/\\\s*$/, ' ');
    for (let j = 0; j < line.length; j++) {
      const ch = line[j]!;
      if (ch === '"') quoted = !quoted;
      if (!quoted && ch === '#') break;
      if (quoted) {
        statement += ch;
        continue;
      }
      if (!statement.trim()) startLine = i + 1;
      if (ch === '{') {
        const head = statement.trim();
        const t = /^(?:(?:add|create)\s+)?table\s+(?:(\w+)\s+)?(\S+)$/.exec(head);
        const c = /^(?:chain)\s+(\S+)$/.exec(head);
        if (t && stack.length === 0) {
          stack.push({ kind: 'table', family: t[1] && FAMILIES.includes(t[1]) ? t[1] : 'ip', name: t[2]! });
          written = true;
          statement = '';
        } else if (c && stack.at(-1)?.kind === 'table') {
          stack.push({ kind: 'chain', name: c[1]! });
          statement = '';
        } else if (stack.at(-1)?.kind === 'chain' || stack.at(-1)?.kind === 'inline' || stack.length === 0) {
          stack.push({ kind: 'inline' });
          statement += ch;
        } else {
          stack.push({ kind: 'other' });
          statement = '';
        }
      } else if (ch === '}') {
        if (stack.at(-1)?.kind === 'inline') {
          stack.pop();
          statement += ch;
        } else {
          flush();
          stack.pop();
        }
      } else if (ch === ';' && stack.at(-1)?.kind !== 'inline') flush();
      else statement += ch;
    }
    // A line ends a statement, unless it is inside an anonymous set or continued with a backslash.
    if (stack.at(-1)?.kind !== 'inline' && !/\\\s*$/.test(raw)) flush();
    else statement += ' ';
  });
  return removes ? null : out;
}

/** Quotes dropped, blanks evened out (none around braces and commas), as nft's listing and a file compare. */
function evenOut(rule: string): string {
  return rule.replace(/"/g, '').replace(/\s+/g, ' ').replace(/\s*([{},])\s*/g, '$1').trim();
}

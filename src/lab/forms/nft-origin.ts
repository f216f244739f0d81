/**
 * Back from a native nft rule to the line of the nftables file that wrote it, by the rule's text (nft lists
 * no line numbers): the nft form's part of "where did this rule come from".
 */
import type { RuleOrigin } from '../../ruleset/rule-origin.ts';

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
  return rule
    .replace(/"/g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{},])\s*/g, '$1')
    .trim();
}

/**
 * Back from a rule in the kernel to the user's line, for the forms applied with iptables-restore (restore
 * files, generated rules): the n-th rule of a chain in `iptables-save` output is
 * the n-th `-A CHAIN` of that table in the restore file that was applied (restore replaces every table it
 * names), and a chain's policy is its `:CHAIN POLICY` line. Where that reasoning does not hold (the file
 * inserts, deletes or replaces rules, or the kernel holds a different number of rules than the file
 * appends, as `-s a,b` expanding into two; a rule marked `-4`/`-6`, which the other family's restore skips),
 * no line is given rather than a wrong one.
 */
import type { RuleOrigin } from '../../ruleset/rule-origin.ts';

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

/**
 * Back from a rule ufw loaded to the line of the user's ufw rules file: ufw loads `before.rules`,
 * `user.rules` and `after.rules` (`before6.rules`… for IPv6) with `iptables-restore -n`, in that order,
 * each appending to its own chains. So the n-th rule of a chain in iptables-save is the n-th `-A` of that
 * chain across the files in that order, when the counts agree (ufw adds one jump of its own to the end of
 * each `ufw-before-*` chain, seen in the lab: `-A ufw-before-input -j ufw-user-input`), nothing in the files inserts, deletes or
 * replaces rules of that chain, and the rule jumps where the line does. A chain ufw builds itself
 * (`ufw-track-input`, the jumps from INPUT) has no line. A policy is the `DEFAULT_*_POLICY` line of the
 * scenario's /etc/default/ufw.
 */
import { relative } from 'node:path';
import type { AttributionSource } from '../../model/attribution.ts';
import type { Family } from '../../model/observation.ts';
import type { RuleInKernel } from '../../model/ruleset-form.ts';
import type { FormOf } from '../../model/ruleset-form.ts';

/** The files ufw loads for a family, in its order. */
export const UFW_LOAD_ORDER: Record<Family, readonly string[]> = {
  ipv4: ['before.rules', 'user.rules', 'after.rules'],
  ipv6: ['before6.rules', 'user6.rules', 'after6.rules'],
};

interface Append {
  file: string;
  line: number;
  /** `-j`/`-g` target, as the kernel prints it back. */
  target: string | null;
}

/** Each `table chain` → its `-A` lines across the files in load order; null for a chain something reorders. */
function appendsOf(form: FormOf<'ufw'>, family: Family): Map<string, Append[] | null> {
  const out = new Map<string, Append[] | null>();
  for (const name of UFW_LOAD_ORDER[family]) {
    const file = form.files.find((f) => f.name === name)?.file;
    if (!file) continue;
    const source = relative(process.cwd(), file.path);
    let table = '';
    file.text.split('\n').forEach((raw, i) => {
      const line = raw.trim();
      const header = /^\*(\S+)$/.exec(line);
      if (header) table = header[1]!;
      const words = line.split(/\s+/);
      const key = `${table} ${words[1] ?? ''}`;
      if (words[0] === '-A' || words[0] === '--append') {
        const list = out.get(key);
        const target = /\s-[jg]\s+(\S+)/.exec(line)?.[1] ?? null;
        if (list !== null) out.set(key, [...(list ?? []), { file: source, line: i + 1, target }]);
      } else if (/^(-I|--insert|-D|--delete|-R|--replace|-F|--flush|-E|--rename-chain)$/.test(words[0] ?? '')) {
        out.set(key, null);
      }
    });
  }
  return out;
}

/** The ufw file and line that wrote a rule (or set a policy); null where the files do not decide it. */
export function ufwOrigin(form: FormOf<'ufw'>, asked: RuleInKernel): AttributionSource | null {
  if (asked.engine !== 'iptables') return null;
  if (!asked.rule) return policyOrigin(form, asked.family, asked.table, asked.chain);
  const appends = appendsOf(form, asked.family).get(`${asked.table} ${asked.chain}`);
  // ufw appends one rule of its own to each before chain, the jump to the user chain (ufw-user-input).
  const own = /^ufw6?-before-(input|output|forward)$/.test(asked.chain) && asked.table === 'filter' ? 1 : 0;
  if (!appends || appends.length + own !== asked.rule.rules) return null;
  const append = appends[asked.rule.position];
  const target = /\s-[jg]\s+(\S+)/.exec(asked.rule.text)?.[1] ?? null;
  if (!append || append.target !== target) return null;
  return { file: append.file, line: append.line };
}

const POLICY_KEY: Record<string, string> = { INPUT: 'DEFAULT_INPUT_POLICY', OUTPUT: 'DEFAULT_OUTPUT_POLICY', FORWARD: 'DEFAULT_FORWARD_POLICY' };

/**
 * The `DEFAULT_<CHAIN>_POLICY=` line of the scenario's defaults file for a built-in filter chain. IPv6 only
 * where the file says `IPV6=yes` (with `no`, ufw sets IPv6's policies on its own).
 */
function policyOrigin(form: FormOf<'ufw'>, family: Family, table: string, chain: string): AttributionSource | null {
  const key = POLICY_KEY[chain];
  if (!form.defaults || table !== 'filter' || !key) return null;
  const lines = form.defaults.text.split('\n');
  if (family === 'ipv6' && !lines.some((l) => /^\s*IPV6\s*=\s*"?yes"?\s*$/i.test(l))) return null;
  const index = lines.findIndex((l) => new RegExp(`^\\s*${key}\\s*=`).test(l));
  return index < 0 ? null : { file: relative(process.cwd(), form.defaults.path), line: index + 1 };
}

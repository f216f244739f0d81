/**
 * `iptables-save` / `ip6tables-save` text into rules: each table, chain and rule, the rule's matches as
 * modules with their options (the built-in `-s -d -i -o -p -f` as the module `ip`) and its target. Options
 * written after `-p tcp` without `-m tcp` (hand-written files) belong to the protocol's own module, as
 * iptables reads them.
 */
import type { AppliedChain, AppliedRule, MatchOption, RuleFamily, RuleMatch, RuleTarget } from './types.ts';
import { splitWords } from './tokens.ts';

const BUILTIN = new Set(['-s', '--source', '-d', '--destination', '-i', '--in-interface', '-o', '--out-interface', '-p', '--protocol', '-f', '--fragment']);
const BUILTIN_CHAINS = new Set(['INPUT', 'FORWARD', 'OUTPUT', 'PREROUTING', 'POSTROUTING']);

/** Every rule and chain of one family's save text. */
export function parseSave(text: string, family: RuleFamily): { rules: AppliedRule[]; chains: AppliedChain[] } {
  const rules: AppliedRule[] = [];
  const chains: AppliedChain[] = [];
  const positions = new Map<string, number>();
  let table = 'filter';
  const addChain = (name: string) => {
    if (!chains.some((c) => c.table === table && c.name === name)) {
      chains.push({ family, source: 'iptables', table, name, hook: BUILTIN_CHAINS.has(name) ? name.toLowerCase() : null });
    }
  };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) table = line.slice(1);
    else if (line.startsWith(':')) addChain(line.slice(1).split(/\s+/)[0]!);
    else if (/^-[AI] \S+/.test(line)) {
      const words = splitWords(line);
      const chain = words[1]!;
      addChain(chain);
      const key = `${table} ${chain}`;
      const position = (positions.get(key) ?? 0) + 1;
      positions.set(key, position);
      const { matches, targets } = readRule(words.slice(2));
      rules.push({ family, source: 'iptables', table, chain, position, matches, targets, text: line });
    }
  }
  return { rules, chains };
}

function readRule(words: string[]): { matches: RuleMatch[]; targets: RuleTarget[] } {
  const ip: RuleMatch = { kind: 'xt', name: 'ip', options: [] };
  const matches: RuleMatch[] = [ip];
  const targets: RuleTarget[] = [];
  let current: RuleMatch | RuleTarget = ip;
  let protocol: string | null = null;
  let negated = false;
  let option: MatchOption | null = null;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '!') {
      negated = true;
      continue;
    }
    if (word === '-m' || word === '--match') {
      const match: RuleMatch = { kind: 'xt', name: words[++i] ?? '', options: [] };
      matches.push(match);
      current = match;
      option = null;
    } else if (word === '-j' || word === '--jump' || word === '-g' || word === '--goto') {
      const name = words[++i] ?? '';
      const target: RuleTarget = { name, args: [] };
      if (word === '-g' || word === '--goto') Object.assign(target, { jump: 'goto', chain: name });
      targets.push(target);
      current = target;
      option = null;
    } else if (word === '-c' || word === '--set-counters') {
      i += 2;
    } else if (isOption(word)) {
      if ('kind' in current) {
        let into: RuleMatch = current;
        if (BUILTIN.has(word)) into = ip;
        else if (into === ip && protocol) {
          // `-p tcp --dport 22`: iptables loads the protocol's module implicitly.
          into = matches.find((m) => m.name === protocol) ?? { kind: 'xt', name: protocol, options: [] };
          if (!matches.includes(into)) matches.push(into);
          current = into;
        }
        option = { name: word, args: [], negated };
        into.options.push(option);
        if ((word === '-p' || word === '--protocol') && !negated) protocol = words[i + 1] ?? null;
      } else {
        current.args.push(negated ? `! ${word}` : word);
        option = null;
      }
    } else if (option) option.args.push(word);
    else if (!('kind' in current)) current.args.push(word);
    negated = false;
  }
  return { matches: matches.filter((m) => m !== ip || m.options.length > 0), targets };
}

function isOption(word: string): boolean {
  return word.startsWith('-') && !/^-\d/.test(word) && word !== '-';
}

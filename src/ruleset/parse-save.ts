/**
 * Reads iptables-save / iptables-restore text into the IR's filter table, so that parity can be checked
 * on rulesets fwprobe did not generate. Other tables are skipped; anything unreadable is an error naming
 * the line.
 */
import { SaveParseError } from '../model/errors.ts';
import { BUILTIN_CHAINS, builtinTable, type ChainIR, type FamilyRulesetIR, type RuleIR } from './ir.ts';

interface ParseState {
  table: string | null;
  filter: { chains: ChainIR[]; rules: RuleIR[] } | null;
  lastLine: number;
}

/**
 * Parses save/restore text. No `*filter` section means the filter table was never touched: built-in
 * chains with ACCEPT policies.
 * @throws SaveParseError with the 1-based line of the first line it cannot read.
 */
export function parseSave(text: string, file: string): FamilyRulesetIR {
  const state: ParseState = { table: null, filter: null, lastLine: 0 };
  text.split('\n').forEach((raw, i) => parseLine(raw.trim(), i + 1, file, state));
  if (state.table !== null) throw new SaveParseError(file, state.lastLine, `table *${state.table} has no COMMIT`);
  const filter = state.filter ?? builtinTable({ INPUT: 'ACCEPT', OUTPUT: 'ACCEPT', FORWARD: 'ACCEPT' });
  return { tables: { filter } };
}

function parseLine(line: string, n: number, file: string, state: ParseState): void {
  state.lastLine = n;
  if (line === '' || line.startsWith('#')) return;
  if (line.startsWith('*')) return openTable(line.slice(1), n, file, state);
  if (state.table === null) throw new SaveParseError(file, n, `expected "*TABLE" before ${JSON.stringify(line)}`);
  if (line === 'COMMIT') {
    state.table = null;
    return;
  }
  if (state.table !== 'filter') return;
  const filter = state.filter;
  if (!filter) return;
  if (line.startsWith(':')) return void filter.chains.push(parseChain(line, n, file));
  const tokens = tokenize(line.replace(/^\[\d+:\d+\]\s+/, ''), n, file);
  if (tokens[0] !== '-A' || tokens[1] === undefined) {
    throw new SaveParseError(file, n, `expected ":CHAIN POLICY", "-A CHAIN …" or COMMIT, got ${JSON.stringify(line)}`);
  }
  const chain = tokens[1];
  if (!filter.chains.some((c) => c.name === chain)) throw new SaveParseError(file, n, `rule for undeclared chain ${chain}`);
  filter.rules.push(toRule(chain, tokens.slice(2), `${file}:${n}`));
}

function openTable(name: string, n: number, file: string, state: ParseState): void {
  if (state.table !== null) throw new SaveParseError(file, n, `*${name} starts before *${state.table} has its COMMIT`);
  if (!/^[a-z]+$/.test(name)) throw new SaveParseError(file, n, `bad table name ${JSON.stringify(name)}`);
  state.table = name;
  if (name === 'filter') state.filter = { chains: [], rules: [] };
}

function parseChain(line: string, n: number, file: string): ChainIR {
  const m = /^:(\S+)\s+(ACCEPT|DROP|-)(?:\s+\[\d+:\d+\])?$/.exec(line);
  if (!m || m[1] === undefined) throw new SaveParseError(file, n, `expected ":CHAIN ACCEPT|DROP|- [p:b]", got ${JSON.stringify(line)}`);
  const builtin = (BUILTIN_CHAINS as readonly string[]).includes(m[1]);
  if (builtin === (m[2] === '-')) throw new SaveParseError(file, n, `chain ${m[1]} has policy ${m[2]}`);
  return { name: m[1], policy: m[2] === '-' ? null : (m[2] as 'ACCEPT' | 'DROP') };
}

function toRule(chain: string, tokens: string[], origin: string): RuleIR {
  const j = tokens.findIndex((t) => t === '-j' || t === '-g' || t === '--jump' || t === '--goto');
  const cut = j < 0 ? tokens.length : j;
  return { chain, match: tokens.slice(0, cut), target: tokens.slice(cut), origin, section: '' };
}

/** Splits on whitespace; `"…"` groups, with `\"` and `\\` escapes as iptables-save writes them. */
export function tokenize(line: string, n: number, file: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (/\s/.test(line[i] ?? '')) {
      i++;
      continue;
    }
    let token = '';
    while (i < line.length && !/\s/.test(line[i] ?? '')) {
      if (line[i] !== '"') {
        token += line[i++];
        continue;
      }
      const end = readQuoted(line, i + 1);
      if (end === null) throw new SaveParseError(file, n, 'unterminated double quote');
      token += end.text;
      i = end.next;
    }
    tokens.push(token);
  }
  return tokens;
}

function readQuoted(line: string, start: number): { text: string; next: number } | null {
  let text = '';
  for (let i = start; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) text += line[++i];
    else if (c === '"') return { text, next: i + 1 };
    else text += c;
  }
  return null;
}

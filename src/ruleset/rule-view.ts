/**
 * What the parity lint needs to know about one rule: which new connections it can match from anywhere,
 * and what it does with them. Anything it does not understand marks the rule `opaque`, and opaque rules
 * are left out of the analysis rather than guessed at.
 */
import type { RuleIR } from './ir.ts';
import type { PortRange } from './values.ts';

export interface RuleView {
  /** `null`: any protocol. */
  protocol: string | null;
  /** `null`: any destination port. */
  dports: PortRange[] | null;
  /** Matches only some sources, destinations or interfaces (other than loopback). */
  restricted: string[];
  /** Matches loopback only (`-i lo` / `-o lo`). */
  loopbackOnly: boolean;
  /** Matches established/related/invalid packets only, never a new connection. */
  notNew: boolean;
  opaque: boolean;
  verdict: 'ACCEPT' | 'DROP' | 'other';
}

/** Options that do not change which new connections from anywhere a rule matches. */
const NEUTRAL = new Set(['-m', '--match', '--syn', '--comment', '--limit', '--limit-burst', '--icmp-type', '--icmpv6-type', '--tcp-flags']);
const RESTRICTING = new Set(['-s', '--source', '-d', '--destination', '--sport', '--source-port', '--sports']);

export function viewRule(rule: RuleIR): RuleView {
  const view: RuleView = {
    protocol: null,
    dports: null,
    restricted: [],
    loopbackOnly: false,
    notNew: false,
    opaque: false,
    verdict: verdictOf(rule.target),
  };
  for (const opt of options(rule.match)) applyOption(view, opt);
  return view;
}

interface Option {
  name: string;
  args: string[];
  negated: boolean;
}

function options(tokens: string[]): Option[] {
  const out: Option[] = [];
  let negated = false;
  for (const token of tokens) {
    if (token === '!') negated = true;
    else if (token.startsWith('-') && !/^-\d/.test(token)) {
      out.push({ name: token, args: [], negated });
      negated = false;
    } else out.at(-1)?.args.push(token);
  }
  return out;
}

function applyOption(view: RuleView, opt: Option): void {
  const arg = opt.args[0] ?? '';
  if (opt.name === '-p' || opt.name === '--protocol') {
    if (opt.negated) view.opaque = true;
    else view.protocol = arg === 'all' ? null : arg;
  } else if (opt.name === '--dport' || opt.name === '--destination-port' || opt.name === '--dports') {
    if (opt.negated) view.opaque = true;
    else view.dports = parsePorts(arg);
  } else if (opt.name === '-i' || opt.name === '--in-interface' || opt.name === '-o' || opt.name === '--out-interface') {
    applyInterface(view, opt, arg);
  } else if (opt.name === '--state' || opt.name === '--ctstate') {
    const states = arg.split(',');
    if (opt.negated || !states.includes('NEW')) view.notNew = true;
  } else if (RESTRICTING.has(opt.name)) {
    view.restricted.push([opt.negated ? '!' : '', opt.name, ...opt.args].filter(Boolean).join(' '));
  } else if (!NEUTRAL.has(opt.name) && !opt.name.startsWith('--log-')) {
    view.opaque = true;
  }
}

function applyInterface(view: RuleView, opt: Option, name: string): void {
  if (name === 'lo') {
    // `! -i lo` restricts nothing for traffic from the network; `-i lo` matches loopback only.
    if (!opt.negated) view.loopbackOnly = true;
    return;
  }
  view.restricted.push(`${opt.negated ? '! ' : ''}${opt.name} ${name}`);
}

function parsePorts(arg: string): PortRange[] | null {
  const ranges: PortRange[] = [];
  for (const part of arg.split(',')) {
    const [a, b] = part.split(':');
    const from = a ? Number(a) : 0;
    const to = b === undefined ? from : b ? Number(b) : 65535;
    if (!Number.isInteger(from) || !Number.isInteger(to)) return null;
    ranges.push({ from, to });
  }
  return ranges;
}

function verdictOf(target: string[]): RuleView['verdict'] {
  const name = target[1];
  if (name === 'ACCEPT') return 'ACCEPT';
  if (name === 'DROP' || name === 'REJECT') return 'DROP';
  return 'other';
}

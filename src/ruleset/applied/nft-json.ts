/**
 * `nft -j list ruleset` into rules: tables, chains (base chains with their hook) and each rule's
 * expressions, read structurally. A `match` statement becomes a match named by its left-hand expression
 * (`payload tcp`, `meta iifname`, `ct state`, `exthdr hbh`); every other statement is a target (`accept`,
 * `jump`, `counter`, `log`, `redirect`…). The JSON is checked with zod where it enters.
 */
import { z } from 'zod';
import { LabSelfCheckError } from '../../model/errors.ts';
import type { AppliedChain, AppliedRule, RuleFamily, RuleMatch, RuleTarget } from './types.ts';

const chainSchema = z.looseObject({ family: z.string(), table: z.string(), name: z.string(), hook: z.string().optional() });
const ruleSchema = z.looseObject({ family: z.string(), table: z.string(), chain: z.string(), handle: z.number().optional(), expr: z.array(z.record(z.string(), z.unknown())) });
const listingSchema = z.looseObject({ nftables: z.array(z.record(z.string(), z.unknown())) });

export interface NftJsonTables {
  rules: AppliedRule[];
  chains: AppliedChain[];
}

/**
 * The native tables of a JSON listing. `keep(family, table)` says which tables to read (iptables-nft's own
 * ones are read from `*-save`); `texts` gives each rule's text by `family table chain` and position.
 * @throws LabSelfCheckError when the listing is not nft's JSON.
 */
export function parseNftJson(
  json: string,
  keep: (family: string, table: string) => boolean,
  texts?: (family: string, table: string, chain: string, index: number) => string | undefined,
): NftJsonTables {
  let parsed: z.infer<typeof listingSchema>;
  try {
    parsed = listingSchema.parse(JSON.parse(json));
  } catch (error) {
    throw new LabSelfCheckError(
      `The ruleset read back with \`nft -j list ruleset\` is not nft's JSON (${error instanceof Error ? error.message.slice(0, 200) : String(error)}): the nft in the target image may be too old or too new`,
      { cause: error },
    );
  }
  const rules: AppliedRule[] = [];
  const chains: AppliedChain[] = [];
  const positions = new Map<string, number>();
  for (const item of parsed.nftables) {
    if (item['chain']) {
      const c = chainSchema.parse(item['chain']);
      if (!keep(c.family, c.table)) continue;
      for (const family of familiesOf(c.family)) chains.push({ family, source: 'nft', table: c.table, nftFamily: c.family, name: c.name, hook: c.hook ?? null });
    } else if (item['rule']) {
      const r = ruleSchema.parse(item['rule']);
      if (!keep(r.family, r.table)) continue;
      const key = `${r.family} ${r.table} ${r.chain}`;
      const position = (positions.get(key) ?? 0) + 1;
      positions.set(key, position);
      const { matches, targets } = readExpressions(r.expr);
      const text = texts?.(r.family, r.table, r.chain, position - 1) ?? renderRule(r.expr);
      for (const family of familiesOf(r.family)) {
        rules.push({ family, source: 'nft', table: r.table, nftFamily: r.family, chain: r.chain, position, matches, targets, text });
      }
    }
  }
  return { rules, chains };
}

/** The IP families whose packets a table of this nft family sees. */
export function familiesOf(nftFamily: string): RuleFamily[] {
  if (nftFamily === 'ip') return ['ipv4'];
  if (nftFamily === 'ip6') return ['ipv6'];
  // inet, bridge, netdev see both; arp sees neither IP family's TCP/UDP, but fail closed: both.
  return ['ipv4', 'ipv6'];
}

function readExpressions(exprs: Record<string, unknown>[]): { matches: RuleMatch[]; targets: RuleTarget[] } {
  const matches: RuleMatch[] = [];
  const targets: RuleTarget[] = [];
  for (const statement of exprs) {
    const [name, body] = Object.entries(statement)[0] ?? ['', null];
    if (name === 'match') {
      const m = z.looseObject({ op: z.string(), left: z.unknown(), right: z.unknown() }).parse(body);
      matches.push(...matchesOf(m.left, m.right, m.op));
    } else if (name === 'jump' || name === 'goto') {
      const chain = z.looseObject({ target: z.string() }).parse(body).target;
      targets.push({ name, args: [chain], chain, jump: name });
    } else {
      targets.push({ name, args: body === null || body === undefined ? [] : [JSON.stringify(body)] });
      // A vmap's key and a statement's own expressions decide too: they read like matches.
      if (name === 'vmap') {
        const key = (body as { key?: unknown } | null)?.key;
        if (key !== undefined) matches.push(...matchesOf(key, (body as { data?: unknown }).data, 'vmap'));
      }
    }
  }
  return { matches, targets };
}

/** The match (or matches, for a concatenation) a left-hand expression makes. */
function matchesOf(left: unknown, right: unknown, op: string): RuleMatch[] {
  const negated = op === '!=';
  if (left && typeof left === 'object' && !Array.isArray(left)) {
    const [type, body] = Object.entries(left as Record<string, unknown>)[0] ?? ['', null];
    const b = (body ?? {}) as Record<string, unknown>;
    const values = valuesOf(right);
    if (type === 'concat' && Array.isArray(body)) return body.flatMap((e) => matchesOf(e, undefined, op));
    if (['&', '|', '^', '<<', '>>'].includes(type) && Array.isArray(body)) {
      // `tcp flags & (syn|ack) == syn`: the field is the left operand; the mask goes with the values.
      const inner = matchesOf(body[0], right, op);
      for (const m of inner) m.options.push({ name: type, args: valuesOf(body[1]), negated: false });
      return inner;
    }
    if (type === 'payload' && b['protocol'] === 'tcp' && b['field'] === 'flags' && (op === 'in' || op === '!')) {
      // nft's bitmask tests: `tcp flags syn,ack` (op in) is any of them set, `tcp flags ! syn,ack` none of them:
      // `flags & (syn|ack) != 0` and `== 0`, read as the masked comparison the classifiers know.
      return [
        {
          kind: 'nft',
          name: 'payload tcp',
          options: [
            { name: 'flags', args: ['0'], negated: op === 'in' },
            { name: '&', args: values, negated: false },
          ],
          values: ['0'],
        },
      ];
    }
    if (type === 'payload') {
      if (typeof b['protocol'] === 'string') return [{ kind: 'nft', name: `payload ${b['protocol']}`, options: [{ name: String(b['field']), args: values, negated }], values }];
      return [{ kind: 'nft', name: 'payload raw', options: [{ name: `@${String(b['base'])},${String(b['offset'])},${String(b['len'])}`, args: values, negated }], values }];
    }
    if (type === 'meta' || type === 'ct' || type === 'rt' || type === 'socket' || type === 'osf') {
      return [{ kind: 'nft', name: `${type} ${String(b['key'])}`, options: [{ name: String(b['key']), args: values, negated }], values }];
    }
    if (type === 'exthdr' || type === 'tcp option' || type === 'sctp chunk') {
      const field = typeof b['field'] === 'string' ? b['field'] : 'exists';
      return [{ kind: 'nft', name: `${type} ${String(b['name'])}`, options: [{ name: field, args: values, negated }], values }];
    }
    if (type === 'fib') return [{ kind: 'nft', name: `fib ${String(b['result'])}`, options: [{ name: [b['flags']].flat().join('.'), args: values, negated }], values }];
    return [{ kind: 'nft', name: type, options: [{ name: type, args: values, negated }], values }];
  }
  return [{ kind: 'nft', name: 'immediate', options: [], values: valuesOf(left) }];
}

function valuesOf(right: unknown): string[] {
  if (right === undefined || right === null) return [];
  if (Array.isArray(right)) return right.flatMap(valuesOf);
  if (typeof right !== 'object') return [String(right)];
  const [type, body] = Object.entries(right as Record<string, unknown>)[0] ?? ['', null];
  if (type === 'set') return valuesOf(body);
  if (type === 'prefix') return [`${String((body as { addr: unknown }).addr)}/${String((body as { len: unknown }).len)}`];
  if (type === 'range' && Array.isArray(body)) return [`${String(body[0])}-${String(body[1])}`];
  return [JSON.stringify(right)];
}

/** A rule's expressions as compact text, where no text listing gave the rule as nft prints it. */
function renderRule(exprs: Record<string, unknown>[]): string {
  return exprs.map((e) => JSON.stringify(e)).join(' ');
}

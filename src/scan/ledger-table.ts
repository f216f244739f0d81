/**
 * What the TCP ledger (ledger.ts) and the UDP ledger (ledger-udp.ts) share: a table of fwprobe's own whose
 * name and addresses are checked before they go into nft's syntax, whose sets hold ports, and whose chains
 * sit before and after every table a ruleset can use on each path; the commands that install, list and
 * remove it; and conntrack's drop counters, read around the scan.
 */
import { InternalError } from '../model/errors.ts';
import { ledgerDumpCommand } from './ledger-dump.ts';

// Before every table a ruleset can use (conntrack defrag -400, raw -300) and after all of them (filter 0,
// security 50, NAT ±100, conntrack helpers 300): what lies between is the target's netfilter.
export const FIRST = -450;
export const LAST = 450;

/** The parts of a ledger's spec that go into nft's syntax as they are. */
export interface LedgerNames {
  table: string;
  target: string;
  source: string;
}

/** @throws InternalError when a name is not the ledger's own or an address is not a literal one. */
export function assertLedgerNames(spec: LedgerNames): void {
  if (!/^[a-z][a-z0-9_]{0,40}$/.test(spec.table)) throw new InternalError(`ledger table name ${JSON.stringify(spec.table)}`);
  // The addresses go into nft's own syntax: only literal addresses may (the scope guard checked them too).
  if (!/^[0-9a-fA-F.:]+$/.test(spec.target)) throw new InternalError(`ledger target ${JSON.stringify(spec.target)}`);
  if (!/^[0-9a-fA-F.:]+$/.test(spec.source)) throw new InternalError(`ledger source ${JSON.stringify(spec.source)}`);
}

/**
 * The ledger table's script: its port sets, then its chains (each a hook, a priority and rules that only
 * add to or delete from a set; every policy accepts).
 */
export function ledgerTableScript(table: string, sets: readonly string[], chains: readonly LedgerChain[]): string {
  return [
    `table inet ${table} {`,
    ...sets.map((name) => `  set ${name} { type inet_service; size 65536; flags dynamic; }`),
    ...chains.flatMap(({ name, hook, priority, rules }) => [`  chain ${name} {`, `    type filter hook ${hook} priority ${priority}; policy accept;`, ...rules.map((r) => `    ${r}`), '  }']),
    '}',
    '',
  ].join('\n');
}

export interface LedgerChain {
  name: string;
  hook: 'output' | 'postrouting' | 'prerouting' | 'input';
  priority: number;
  rules: readonly string[];
}

/** The argv that creates a ledger table from its script (nft reads its argument as one script; no shell). */
export function ledgerInstallCommand(script: string): string[] {
  return ['nft', script];
}

/**
 * The argv that prints the ledger's sets `names` (read over netlink, else listed by nft as JSON: see
 * ledger-dump.ts), and the one that removes it.
 */
export function ledgerReadCommands(spec: Pick<LedgerNames, 'table'>, names: readonly string[]): { list: string[]; remove: string[] } {
  return { list: ledgerDumpCommand(spec.table, names), remove: ['nft', 'delete', 'table', 'inet', spec.table] };
}

/**
 * Conntrack's own drops (table full, failed inserts) happen between the ledger's chains without being a
 * rule's decision: read before and after, and any change makes a held probe prove nothing.
 */
export const CONNTRACK_STAT_COMMAND = ['sh', '-c', 'cat /proc/net/stat/nf_conntrack 2>/dev/null; true'];

/** Sum of the drop, early_drop and insert_failed columns over every CPU; 0 when conntrack is not loaded. */
export function conntrackDrops(stat: string): number {
  const lines = stat.trim().split('\n').filter(Boolean);
  if (lines.length < 2) return 0;
  const header = lines[0]!.trim().split(/\s+/);
  const columns = ['drop', 'early_drop', 'insert_failed'].map((name) => header.indexOf(name)).filter((i) => i >= 0);
  let sum = 0;
  for (const line of lines.slice(1)) {
    const cells = line.trim().split(/\s+/);
    for (const i of columns) sum += Number.parseInt(cells[i] ?? '0', 16) || 0;
  }
  return sum;
}

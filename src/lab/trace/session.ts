/**
 * A trace session in the target, after the scans: fwprobe's own TRACE rules at the top of raw PREROUTING
 * and OUTPUT (matching only the source ports fwprobe's traced clients use, in either direction), the trace
 * reader running in the background, and, at the end, every trace rule and a raw table fwprobe created
 * removed again, so that the ruleset is the user's before anything else reads it.
 */
import { normaliseNftListing } from '../../ruleset/nft-listing.ts';
import { readFile } from 'node:fs/promises';
import { LabChangedError, TraceError } from '../../model/errors.ts';
import { FAMILIES, type Family } from '../../model/observation.ts';
import { saveCommands, savedFrom, TOOLS } from '../apply-ruleset.ts';
import type { StartedFwprobeContainer } from '../container.ts';
import { assertUnchanged, normaliseSave, type LabState } from '../self-check.ts';

const READER = '/run/fwprobe/nftrace';
const OUTPUT = '/run/fwprobe/trace.out';
const PID = '/run/fwprobe/trace.pid';

/** What the trace covers: the source port range of fwprobe's traced clients and a comment naming its rules. */
export interface TraceSpec {
  /** Lowest and highest source port of a traced client (the canaries use the two below). */
  ports: { from: number; to: number };
  /** Unique per session, so fwprobe's rules are never confused with a user's TRACE rules. */
  tag: string;
  /** Bound on the reader's runtime (seconds) and on the lines it prints. */
  seconds: number;
  maxLines: number;
}

function traceRules(spec: TraceSpec): { chain: string; match: string[] }[] {
  const range = `${spec.ports.from - 2}:${spec.ports.to}`;
  return ['PREROUTING', 'OUTPUT'].flatMap((chain) =>
    ['tcp', 'udp'].map((protocol) => ({ chain, match: ['-p', protocol, '-m', 'multiport', '--ports', range, '-m', 'comment', '--comment', spec.tag, '-j', 'TRACE'] })),
  );
}

const withOp = (cli: string, op: '-I' | '-D', rule: { chain: string; match: string[] }) => [cli, '-w', '-t', 'raw', op, rule.chain, ...(op === '-I' ? ['1'] : []), ...rule.match];

/** The rule dump (handles in chain order), both families' save output and the nft listing with handles. */
export interface RulePlaces {
  dump: string;
  saved: Record<Family, string>;
  nft: string;
}

/**
 * Copies the reader in, then in one exec: adds the trace rules for both families, starts the reader, waits
 * until it is ready, sends the opening canary (a datagram from `canaryPort`) and reads the rule places while
 * the trace rules are in. Every exec round trip saved here is one the scenario does not wait for.
 */
export async function startTrace(target: StartedFwprobeContainer, spec: TraceSpec, canaryPort: number): Promise<RulePlaces> {
  const reader = await readFile(new URL('./nftrace.pl', import.meta.url), 'utf8');
  await target.copyContentToContainer([{ content: reader, target: READER, mode: 0o755 }]);
  const tools = TOOLS[target.backend];
  const add = FAMILIES.flatMap((family) => traceRules(spec).map((rule) => withOp(tools[family].cli, '-I', rule)));
  const batch = await target.runNamedBatch(
    {
      add,
      // setsid: the reader outlives this exec; its pid is kept to stop it.
      reader: ['sh', '-c', `setsid perl ${READER} monitor "$1" "$2" > ${OUTPUT} 2>&1 < /dev/null & echo $! > ${PID}`, 'sh', String(spec.seconds), String(spec.maxLines)],
      ready: ['sh', '-c', 'i=0; while [ $i -lt 40 ]; do head -c 6 "$1" 2>/dev/null | grep -q "#ready" && exit 0; sleep 0.05; i=$((i+1)); done; exit 1', 'sh', OUTPUT],
      canary: canaryCommand(canaryPort),
      dump: ['perl', READER, 'rules'],
      save4: [tools.ipv4.save],
      save6: [tools.ipv6.save],
      nft: ['nft', '-a', '-s', 'list', 'ruleset'],
    },
    { stopOnFailure: true, phase: 'starting the trace' },
  );
  if (batch.failed) {
    const { name, step } = batch.failed;
    if (name === 'add') throw new TraceError(`adding a trace rule failed: ${step.command.join(' ')}: ${step.stderr.trim()}`);
    if (name === 'reader' || name === 'ready') throw new TraceError(`the trace reader did not start: ${JSON.stringify((await readTrace(target)).slice(0, 400))}`);
    throw new TraceError(`reading the rule handles failed: ${step.command.join(' ')}: ${step.stderr.trim()}`);
  }
  const { dump, save4, save6, nft } = batch.steps;
  // `nft -a`: every table with each rule's handle, so a native table's rule is read back by its handle.
  return { dump: dump.stdout, saved: { ipv4: save4.stdout, ipv6: save6.stdout }, nft: nft.stdout };
}

/** A datagram from the target to itself from `sourcePort`, inside the traced range: a marker in the trace. */
export function canaryCommand(sourcePort: number): string[] {
  return ['fwprobe-probe', '--timeout', '50', `canary.${sourcePort},udp,127.0.0.1,9,127.0.0.1,${sourcePort}`];
}

/**
 * In one exec: sends the closing canary, waits (up to 3 s) until the reader has printed it (events come in
 * order, so everything before it is in), and returns what the reader printed.
 */
export async function finishTrace(target: StartedFwprobeContainer, canaryPort: number): Promise<string> {
  const marker = `\t127.0.0.1\t${canaryPort}\t`;
  const script = '"$@" > /dev/null; i=0; while [ $i -lt 30 ]; do grep -qF "$MARK" "$OUT" 2>/dev/null && break; sleep 0.1; i=$((i+1)); done; cat "$OUT" 2>/dev/null; true';
  const result = await target.run(['env', `MARK=${marker}`, `OUT=${OUTPUT}`, 'sh', '-c', script, 'sh', ...canaryCommand(canaryPort)], { phase: 'closing the trace' });
  return result.stdout;
}

/** What the reader printed so far. */
export async function readTrace(target: StartedFwprobeContainer): Promise<string> {
  return (await target.run(['sh', '-c', `cat ${OUTPUT} 2>/dev/null || true`], { phase: 'reading the trace' })).stdout;
}

/**
 * Stops the reader, removes fwprobe's trace rules (and a raw table that only they needed), and proves the
 * ruleset is again exactly the one recorded before the scans.
 * @throws LabChangedError when it is not.
 */
export async function stopTrace(target: StartedFwprobeContainer, spec: TraceSpec, before: LabState): Promise<void> {
  const tools = TOOLS[target.backend];
  const remove = FAMILIES.flatMap((family) => traceRules(spec).map((rule) => withOp(tools[family].cli, '-D', rule)));
  // iptables-nft creates the raw table for the first rule and has no command to delete it again. A raw table
  // that was there before (iptables' own, or a native `table ip raw` that iptables-save does not list as
  // `*raw`) is the user's: never deleted.
  const existed = (family: Family) => /^\*raw$/m.test(before.ruleset[family === 'ipv4' ? 'v4' : 'v6']) || before.ruleset.nft.split('\n').includes(`table ${family === 'ipv4' ? 'ip' : 'ip6'} raw`);
  const created = FAMILIES.filter((family) => !existed(family));
  // In a raw table that was there, a base chain only the trace rules needed (the user's native raw table has
  // PREROUTING but no OUTPUT) is fwprobe's too: deleted, empty again, with nft.
  const listed = before.ruleset.nft.split('\n');
  const chains =
    listed.length > 1
      ? FAMILIES.filter(existed).flatMap((family) => {
          const table = family === 'ipv4' ? 'ip' : 'ip6';
          return ['PREROUTING', 'OUTPUT'].filter((chain) => !listed.some((l) => l.startsWith(`table ${table} raw chain ${chain}:`))).map((chain) => ['nft', 'delete', 'chain', table, 'raw', chain]);
        })
      : [];
  // One exec: stop the reader, remove every trace rule, chain and table, and read the ruleset back.
  const steps = await target.runNamedBatch(
    {
      stop: ['sh', '-c', `kill "$(cat ${PID})" 2>/dev/null; true`],
      remove,
      chains,
      tables: created.map((family) => ['perl', READER, 'deltable', family === 'ipv4' ? '2' : '10', 'raw']),
      ...saveCommands(target),
    },
    { stopOnFailure: false, phase: 'removing the trace' },
  );
  const now = savedFrom(steps);
  try {
    assertUnchanged(before, { ...before, ruleset: { v4: normaliseSave(now.v4), v6: normaliseSave(now.v6), nft: normaliseNftListing(now.nft ?? '') } });
  } catch (error) {
    throw new LabChangedError(`Removing fwprobe's trace rules did not restore the recorded ruleset: ${(error as Error).message}`, { cause: error });
  }
}

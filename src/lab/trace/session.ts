/**
 * A trace session in the target, after the scans: fwprobe's own TRACE rules at the top of raw PREROUTING
 * and OUTPUT (matching only the source ports fwprobe's traced clients use, in either direction), the trace
 * reader (`fwprobe-nftrace`, in the image) running in the background, and, at the end, every trace rule and
 * a raw table fwprobe created removed again, so that the ruleset is the user's before anything else reads it.
 * Opening and closing are one exec each: the rules of a family go in and out in one `*-restore --noflush`.
 */
import { normaliseNftListing } from '../../ruleset/nft-listing.ts';
import { CommandFailedError, LabChangedError, TraceError } from '../../model/errors.ts';
import { FAMILIES, type Family } from '../../model/observation.ts';
import { NFT_LIST } from '../nft-list.ts';
import { TOOLS } from '../apply-ruleset.ts';
import type { StepResult } from '../batch.ts';
import type { BatchSteps } from '../batch-named.ts';
import type { StartedFwprobeContainer } from '../container.ts';
import { assertUnchanged, normaliseSave, type LabState } from '../lab-state.ts';

/** containers/target/nftrace.pl. */
const READER = 'fwprobe-nftrace';
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

/**
 * One family's trace rules added (`-I`) or removed (`-D`) in one `*-restore --noflush` transaction: a family
 * holds all of them or none, and four iptables runs per family become one. The tag and range are fwprobe's
 * own (no spaces, no quotes), so each rule is one restore line as written.
 */
function restoreRules(restore: string, spec: TraceSpec, op: '-I' | '-D'): string[] {
  const lines = traceRules(spec).map((rule) => [op, rule.chain, ...(op === '-I' ? ['1'] : []), ...rule.match].join(' '));
  return ['sh', '-c', `printf '%s\\n' "$@" | ${restore} -w --noflush`, 'sh', '*raw', ...lines, 'COMMIT'];
}

/** The rule dump (handles in chain order), both families' save output and the nft listing with handles. */
export interface RulePlaces {
  dump: string;
  saved: Record<Family, string>;
  nft: string;
}

/**
 * The commands that open a trace, in order: add the trace rules for both families, start the reader, wait
 * until it is ready, send the opening canary (a datagram from `canaryPort`) and read the rule places while
 * the trace rules are in. They ride in the recheck's exec (run/attribution.ts), after everything the recheck
 * reads, so opening the trace costs no round trip of its own and cannot touch what the recheck compared.
 */
export function startCommands(target: StartedFwprobeContainer, spec: TraceSpec, canaryPort: number) {
  const tools = TOOLS[target.backend];
  return {
    add: FAMILIES.map((family) => restoreRules(tools[family].restore, spec, '-I')),
    // setsid: the reader outlives this exec; its pid is kept to stop it.
    reader: ['sh', '-c', `setsid ${READER} monitor "$1" "$2" > ${OUTPUT} 2>&1 < /dev/null & echo $! > ${PID}`, 'sh', String(spec.seconds), String(spec.maxLines)],
    // Looks every 20 ms (2 s in all): the reader is ready within one or two looks, and each look it misses is a wait.
    ready: ['sh', '-c', 'i=0; while [ $i -lt 100 ]; do head -c 6 "$1" 2>/dev/null | grep -q "#ready" && exit 0; sleep 0.02; i=$((i+1)); done; exit 1', 'sh', OUTPUT],
    canary: canaryCommand(canaryPort),
    dump: [READER, 'rules'],
    save4: [tools.ipv4.save],
    save6: [tools.ipv6.save],
    // `nft -a`: every table with each rule's handle, so a native table's rule is read back by its handle.
    nft: ['nft', '-a', '-s', 'list', 'ruleset'],
  };
}

/**
 * The rule places from `startCommands`' steps, all of which ran; a failed step (the first in order) is a
 * TraceError naming it.
 */
export async function placesFrom(target: StartedFwprobeContainer, steps: BatchSteps<ReturnType<typeof startCommands>>): Promise<RulePlaces> {
  const failedAdd = steps.add.find((step) => step.exitCode !== 0);
  if (failedAdd) throw new TraceError(`adding the trace rules failed (${failedAdd.command.slice(5, -1).join('; ')}): ${failedAdd.stderr.trim()}`);
  if (steps.reader.exitCode !== 0 || steps.ready.exitCode !== 0) throw new TraceError(`the trace reader did not start: ${JSON.stringify((await readTrace(target)).slice(0, 400))}`);
  const { canary, dump, save4, save6, nft } = steps;
  const failed = [canary, dump, save4, save6, nft].find((step) => step.exitCode !== 0);
  if (failed) throw new TraceError(`reading the rule handles failed: ${failed.command.join(' ')}: ${failed.stderr.trim()}`);
  return { dump: dump.stdout, saved: { ipv4: save4.stdout, ipv6: save6.stdout }, nft: nft.stdout };
}

/** A datagram from the target to itself from `sourcePort`, inside the traced range: a marker in the trace. */
export function canaryCommand(sourcePort: number): string[] {
  return ['fwprobe-probe', '--timeout', '50', `canary.${sourcePort},udp,127.0.0.1,9,127.0.0.1,${sourcePort}`];
}

/**
 * One exec: sends the closing canary from `canaryPort` and waits (up to 3 s) until the reader has printed it
 * (events come in order, so everything before it is in), prints what the reader printed, stops the reader,
 * removes every trace rule, chain and table, and reads the ruleset back, which must be exactly the one
 * recorded before the scans.
 * When the exec itself fails (a timeout), the removal runs again on its own and the trace reads as failed.
 * @throws LabChangedError when the ruleset is not the recorded one once the trace rules are gone, and
 *   CommandFailedError when it cannot be read back: either way the removal is not proven, which is no
 *   failed trace but a failed scenario.
 */
export async function closeTrace(target: StartedFwprobeContainer, spec: TraceSpec, before: LabState, canaryPort: number): Promise<{ text: string } | { failure: string }> {
  let steps;
  try {
    steps = await target.runNamedBatch({ finish: finishCommand(canaryPort), ...removal(target, spec, before) }, { stopOnFailure: false, phase: 'closing and removing the trace' });
  } catch (error) {
    await stopTrace(target, spec, before);
    return { failure: error instanceof Error ? error.message : String(error) };
  }
  assertRestored(before, steps);
  return { text: steps.finish.stdout };
}

/** The closing canary, then a wait until the reader printed it, then what it printed (exit 0 regardless). */
function finishCommand(canaryPort: number): string[] {
  const marker = `\t127.0.0.1\t${canaryPort}\t`;
  // The canary's client waits 50 ms for an answer, so the reader has printed it by the first look on a
  // quiet machine; under load each look is two processes beside the reader, so they stay 100 ms apart.
  const script = '"$@" > /dev/null; i=0; while [ $i -lt 30 ]; do grep -qF "$MARK" "$OUT" 2>/dev/null && break; sleep 0.1; i=$((i+1)); done; cat "$OUT" 2>/dev/null; true';
  return ['env', `MARK=${marker}`, `OUT=${OUTPUT}`, 'sh', '-c', script, 'sh', ...canaryCommand(canaryPort)];
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
  const steps = await target.runNamedBatch(removal(target, spec, before), { stopOnFailure: false, phase: 'removing the trace' });
  assertRestored(before, steps);
}

/** The batch steps that stop the reader, remove every trace rule, chain and table, and read the ruleset back. */
function removal(target: StartedFwprobeContainer, spec: TraceSpec, before: LabState) {
  const tools = TOOLS[target.backend];
  const remove = FAMILIES.map((family) => restoreRules(tools[family].restore, spec, '-D'));
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
  return {
    stop: ['sh', '-c', `kill "$(cat ${PID})" 2>/dev/null; true`],
    remove,
    chains,
    tables: created.map((family) => [READER, 'deltable', family === 'ipv4' ? '2' : '10', 'raw']),
    // What the comparison reads: both saves and the nft listing (not the JSON listing an applied ruleset keeps).
    save4: [tools.ipv4.save],
    save6: [tools.ipv6.save],
    nftList: [...NFT_LIST],
  };
}

function assertRestored(before: LabState, steps: { save4: StepResult; save6: StepResult; nftList: StepResult }): void {
  const { save4, save6, nftList } = steps;
  for (const step of [save4, save6, nftList]) if (step.exitCode !== 0) throw new CommandFailedError(step);
  try {
    assertUnchanged(before, { ...before, ruleset: { v4: normaliseSave(save4.stdout), v6: normaliseSave(save6.stdout), nft: normaliseNftListing(nftList.stdout) } });
  } catch (error) {
    throw new LabChangedError(`Removing fwprobe's trace rules did not restore the recorded ruleset: ${(error as Error).message}`, { cause: error });
  }
}

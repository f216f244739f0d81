/**
 * The attribution phase, after the scans and the recheck (so it cannot change what was scanned): one
 * traced client per observed port of interest, and, for each, the rule or policy that decided it, the
 * chains on the way, and the user's line. The trace was planned, and opened in the recheck's exec
 * (attribution-plan.ts); this sends the clients, closes the trace and reads it. See lab/trace/ and README
 * "Why a port reads so".
 */
import type { Bounds } from '../model/bounds.ts';
import type { Attribution } from '../model/attribution.ts';
import { LabChangedError } from '../model/errors.ts';
import { LOOPBACK, type Observation } from '../model/observation.ts';
import type { Scenario } from '../model/scenario.ts';
import type { LabState } from '../lab/lab-state.ts';
import { nameAllSteps } from '../lab/batch-named.ts';
import type { StepResult } from '../lab/batch.ts';
import { decide, journeys, type TracedProbe } from '../lab/trace/decide.ts';
import { parseRuleDump, parseTrace, type Traversal } from '../lab/trace/parse.ts';
import { NFT_FAMILY, parseNftListing, type NftTable } from '../ruleset/nft-listing.ts';
import { closeTrace, placesFrom, stopTrace, type RulePlaces } from '../lab/trace/session.ts';
import type { ProbeOutcome } from '../scan/probe/outcome.ts';
import type { Probe } from '../scan/probe/plan.ts';
import { describeDecision, inconsistency, type RuleContext } from '../lab/trace/describe.ts';
import { runProbes } from './corroboration.ts';
import { natMappedPorts, type NatMappedPorts } from '../ruleset/redirecting.ts';
import { notOnPath } from '../ruleset/applied/input-denials.ts';
import { same, type AttributionPlan } from './attribution-plan.ts';
import type { Lab } from './lab-setup.ts';

/** How long a traced client waits for its answer. */
const TRACED_TIMEOUT_MS = 150;

/**
 * Attributes every observation of a port of interest; returns them with `attribution` set.
 * @param opened - The steps of the plan's start commands, as the recheck's exec ran them.
 */
export async function attribute(
  plan: AttributionPlan,
  lab: Lab,
  observations: readonly Observation[],
  opened: readonly StepResult[],
  scenario: Scenario,
  before: LabState,
  bounds: Bounds,
): Promise<Observation[]> {
  const set = (o: Observation, attribution: Attribution) => Object.assign(o, { attribution });
  const out = observations.map((o) => ({ ...o }));
  const traced: { o: Observation; probe: Probe }[] = [];
  const taken = new Set<Observation>();
  for (const entry of plan.entries) {
    // Corroboration kept every observation's key: each entry finds its own (the first of its key not yet taken).
    const o = out.find((x) => !taken.has(x) && same(x, entry.key));
    if (o) taken.add(o);
    if (!o) continue;
    if ('undecided' in entry) set(o, { path: [], undecided: entry.undecided });
    else traced.push({ o, probe: entry.probe });
  }
  const { spec, start, probes } = plan;
  if (!spec || !start) return out;

  let text = '';
  let places: RulePlaces | null = null;
  let outcomes: ProbeOutcome[] = [];
  let failure: string | null = null;
  try {
    places = await placesFrom(lab.target, nameAllSteps(start, opened));
    // The trace shows a drop the moment it happens; the client only has to live through a lab round trip
    // (~0.1 ms) for its own fate, which is compared with the observation (a slower answer leaves the port
    // undecided, never wrongly attributed).
    outcomes = await runProbes(lab, probes, bounds, { timeoutMs: TRACED_TIMEOUT_MS });
  } catch (error) {
    if (!(error instanceof LabChangedError)) failure = error instanceof Error ? error.message : String(error);
    // Whatever failed, the trace rules go (and the ruleset is proven restored) before the error goes on.
    await stopTrace(lab.target, spec, before);
    if (failure === null) throw error;
  }
  if (failure === null) {
    // One exec: the closing canary and what the reader printed, then the trace removed and the ruleset read back.
    const closed = await closeTrace(lab.target, spec, before, spec.ports.from - 1);
    if ('text' in closed) text = closed.text;
    else failure = closed.failure;
  }
  const trace = parseTrace(text);
  const broken = failure ?? traceProblem(trace, spec.ports.from - 2) ?? traceProblem(trace, spec.ports.from - 1);
  const rules = places ? parseRuleDump(places.dump) : new Map();
  const listed = parseNftListing(places?.nft ?? '');
  // The trace's own `*-save`, in table order: the self-check's copy is sorted for diffing, and read as
  // tables it puts every rule in the last table named (filter INPUT and its jumps could not be followed).
  const savedAtTrace = { v4: places?.saved.ipv4 ?? '', v6: places?.saved.ipv6 ?? '' };
  const nat = natMappedPorts(savedAtTrace);
  for (const { o, probe } of traced) {
    if (broken || !places) {
      set(o, { path: [], undecided: `the trace failed: ${broken ?? 'no rule handles were read'}` });
      continue;
    }
    const t = toTraced(probe, probes);
    const { first, reply } = journeys(trace.traversals, t, () => false);
    const outcome = outcomes.find((x) => x.id === probe.id);
    const context: RuleContext = { ruleset: scenario.ruleset, saved: places.saved, rules, tag: spec.tag, nft: places.nft };
    const dnats = dnatRules(o, nat);
    let decision = decide(first, reply, t.hook, deliveringChain(listed, t.hook));
    // A DNATed packet (Docker's -p) is delivered through filter FORWARD and never shows in INPUT: when the
    // trace saw it pass FORWARD, that is where it was decided.
    const forwarded = dnats.length > 0 && t.hook === 'INPUT' && 'noChain' in decision ? decide(first, reply, 'FORWARD', deliveringChain(listed, 'FORWARD')) : null;
    if (forwarded && 'decided' in forwarded) decision = forwarded;
    const label = `${probe.source.address}:${probe.sourcePort} → ${probe.source.target}:${probe.port}`;
    const described = describeDecision(decision, probe.family, context, { label, delivered: delivered(outcome) });
    // The admin's INPUT rule that denies this port never saw the packet: said beside the path that decided.
    const bypassed = dnats.length > 0 && places ? notOnPath(savedAtTrace, o) : null;
    const attribution =
      decision === forwarded && described.undecided === undefined
        ? { ...described, note: joinNotes(joinNotes(`forwarded after a nat DNAT: ${dnats.join(', ')}`, bypassed ?? undefined), described.note) }
        : described;
    const wrong = attribution.undecided === undefined ? inconsistency(o.state, attribution, trace.incomplete) : null;
    set(o, wrong ? { path: [], probe: label, undecided: wrong } : withNatPath(attribution, dnats));
  }
  return out;
}

/** The DNAT rules of `o`'s family and protocol whose match ports hold its port, as `*-save` prints them. */
function dnatRules(o: Observation, nat: readonly NatMappedPorts[]): string[] {
  if (o.vantage === LOOPBACK || o.host !== undefined) return [];
  return nat.filter((m) => m.family === o.family && m.protocol === o.protocol && m.from <= o.port && o.port <= m.to && /^DNAT\b/i.test(m.target)).map((m) => `\`${m.rule}\``);
}

/** An undecided port that a DNAT maps says which DNAT may have sent it on, never naming it as the decision. */
function withNatPath(a: Attribution, dnats: readonly string[]): Attribution {
  if (a.undecided === undefined || dnats.length === 0) return a;
  return { ...a, undecided: `${a.undecided}; a nat DNAT may have sent it on to filter FORWARD, where the trace saw no verdict: ${dnats.join(', ')}` };
}

function joinNotes(first: string, second: string | undefined): string {
  return second ? `${first}; ${second}` : first;
}

/**
 * Which traversals are a filter chain on the delivering hook: by the nft listing (every table, iptables'
 * and native, with each base chain's type and hook), else iptables' `filter INPUT`/`FORWARD`.
 */
function deliveringChain(tables: readonly NftTable[], hook: 'INPUT' | 'FORWARD'): ((t: Traversal) => boolean) | undefined {
  if (tables.length === 0) return undefined;
  return (t) =>
    tables.some((table) => NFT_FAMILY[table.family] === t.family && table.name === t.table && table.chains.some((c) => c.name === t.base && c.type === 'filter' && c.hook === hook.toLowerCase()));
}

/** Whether the traced client's packet reached the target: it connected, was answered, or was refused after sending. */
function delivered(outcome: ProbeOutcome | undefined): boolean {
  return !!outcome && (outcome.result === 'connected' || outcome.result === 'answered' || (outcome.result === 'refused' && outcome.stage !== 'send'));
}

function toTraced(p: Probe, all: readonly Probe[]): TracedProbe {
  const key = (x: Probe) => `${x.source.address}|${x.sourcePort}|${x.protocol}`;
  return {
    nfproto: p.family === 'ipv4' ? 2 : 10,
    l4: p.protocol === 'tcp' ? 6 : 17,
    src: p.source.address,
    sport: p.sourcePort,
    dst: p.source.target,
    dport: p.port,
    hook: p.host ? 'FORWARD' : 'INPUT',
    uniqueSource: all.filter((x) => key(x) === key(p)).length === 1,
  };
}

function traceProblem(trace: ReturnType<typeof parseTrace>, canaryPort: number): string | null {
  if (!trace.ready) return 'the trace reader never said it was ready';
  const sawCanary = trace.traversals.some((t) => t.packet.src === '127.0.0.1' && t.packet.sport === canaryPort);
  if (!sawCanary) return `the trace shows none of fwprobe's own marker packets (${trace.traversals.length} traversals, ${trace.unreadable} unreadable lines)`;
  return null;
}

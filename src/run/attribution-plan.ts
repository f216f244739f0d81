/**
 * What the attribution phase will trace, decided before the recheck: which observations get a traced client
 * (one per port of interest, from which source), the trace's port range and tag, and the commands that open
 * the trace. The recheck runs those commands in its own exec, after everything it reads (run/scenario.ts),
 * so opening the trace is no round trip of its own; attribution.ts then sends the clients and reads the trace.
 */
import { randomBytes } from 'node:crypto';
import type { Bounds } from '../model/bounds.ts';
import { layoutBatch } from '../lab/batch-named.ts';
import type { StartedFwprobeContainer } from '../lab/container.ts';
import { startCommands, type TraceSpec } from '../lab/trace/session.ts';
import type { Observation } from '../model/observation.ts';
import type { Scenario } from '../model/scenario.ts';
import type { ProbeOutcome } from '../scan/probe/outcome.ts';
import type { Probe } from '../scan/probe/plan.ts';
import { portsToProbe } from './corroboration.ts';
import type { Lab } from './lab-setup.ts';

/** Traced clients use source ports from here up (the two below are the canaries). */
const FIRST_PORT = 47_100;

/** At most this many traced clients per scenario; the rest are undecided, saying so. */
export const MAX_TRACED = 1_000;

/** The observation a plan entry is about: the fields that name it (corroboration changes only its state). */
export type ObservationKey = Pick<Observation, 'vantage' | 'host' | 'family' | 'protocol' | 'port'>;

/** One port of interest: the client that traces it, or why none does. */
export type PlannedTrace = { key: ObservationKey; probe: Probe } | { key: ObservationKey; undecided: string };

export interface AttributionPlan {
  entries: PlannedTrace[];
  /** Null when no client is traced (no trace is opened). */
  spec: TraceSpec | null;
  probes: Probe[];
  /** The commands that open the trace (empty without a spec), and how to read their steps back by name. */
  start: ReturnType<typeof startCommands> | null;
  commands: string[][];
}

/**
 * Plans the trace of every observation of a port of interest.
 * @param observations - Every observation the verdict will judge, before corroboration (which keeps each one's key).
 */
export function planAttribution(
  scenario: Scenario,
  lab: Lab,
  target: StartedFwprobeContainer,
  observations: readonly Observation[],
  corroboration: { probes: readonly Probe[]; outcomes: readonly ProbeOutcome[] },
  bounds: Bounds,
): AttributionPlan {
  const targets = observations.filter((o) => portsToProbe(scenario, o.host)[o.protocol].includes(o.port));
  const none = { spec: null, probes: [], start: null, commands: [] };
  if (scenario.backend === 'legacy') {
    const why = "legacy backend: iptables-legacy rules cannot be traced from a container (TRACE logs to the host's kernel log), and per-rule counters are not read yet";
    return { entries: targets.map((key) => ({ key, undecided: why })), ...none };
  }
  const entries: PlannedTrace[] = [];
  const probes: Probe[] = [];
  for (const [i, key] of targets.entries()) {
    if (i >= MAX_TRACED) {
      entries.push({ key, undecided: `more than ${MAX_TRACED} ports of interest: only the first ${MAX_TRACED} are traced` });
      continue;
    }
    // Source ports are given out in the order of the ports of interest, as before the plan moved here.
    const probe = tracedProbe(lab, key, FIRST_PORT + i, corroboration);
    if (probe) probes.push(probe);
    entries.push(probe ? { key, probe } : { key, undecided: 'no client source of this vantage and family' });
  }
  if (probes.length === 0) return { entries, ...none };
  const spec: TraceSpec = {
    // Up to the last client's own port: a port of interest with no source leaves its port unused, not the range shorter.
    ports: { from: FIRST_PORT, to: Math.max(...probes.map((p) => p.sourcePort)) },
    tag: `fwprobe-trace-${randomBytes(4).toString('hex')}`,
    seconds: Math.ceil(bounds.confirm / 1000) + 30,
    maxLines: 1_000 + 200 * probes.length,
  };
  const start = startCommands(target, spec, spec.ports.from - 2);
  return { entries, spec, probes, start, commands: layoutBatch(start).commands };
}

/** Whether two observations name the same port of the same view. */
export function same(a: ObservationKey, b: ObservationKey): boolean {
  return a.vantage === b.vantage && a.host === b.host && a.family === b.family && a.protocol === b.protocol && a.port === b.port;
}

/**
 * The client traced for an observation: from the source a reached probe used (so an open port is traced
 * along the way in), otherwise from the vantage's first source, as nmap scans from; a fresh source port.
 */
function tracedProbe(lab: Lab, o: ObservationKey, sourcePort: number, c: { probes: readonly Probe[]; outcomes: readonly ProbeOutcome[] }): Probe | null {
  const reached = new Set(c.outcomes.filter((x) => x.result === 'connected' || x.result === 'answered').map((x) => x.id));
  const mine = c.probes.filter((p) => same(p, o));
  // A variant that got in is traced in its own shape (variants.ts), or the trace would follow a plain client.
  const way = mine.find((p) => reached.has(p.id) && !p.variant) ?? mine.find((p) => reached.has(p.id));
  const fromReached = way?.source;
  // A Docker container's only client is its own probe (run/docker-reach.ts): no vantage source names it.
  const source = fromReached ?? (lab.sources[o.vantage] ?? []).find((s) => s.family === o.family && s.host === o.host) ?? mine[0]?.source;
  if (!source) return null;
  return {
    id: `trace.${sourcePort}`,
    vantage: o.vantage,
    ...(o.host ? { host: o.host } : {}),
    family: o.family,
    protocol: o.protocol,
    port: o.port,
    source,
    sourcePort,
    ...(way?.variant ? { variant: way.variant } : {}),
  };
}

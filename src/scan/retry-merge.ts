/**
 * A counted scan (counted.ts) retries only the silent ports its ledger could not account for. This file
 * finds a result's silent ports, wherever nmap put them (listed, or collapsed into `<extraports>`), and
 * puts the follow-up run's readings of them back, so that every scanned port is still reported once.
 */
import { InternalError } from '../model/errors.ts';
import type { Observation } from '../model/observation.ts';
import { formatPortSpec, parsePortSpec, sortedUniquePorts } from '../model/ports.ts';
import type { PortSummary, ScanResult } from './types.ts';

/** nmap lists a minority state port by port up to this many; more are collapsed into a summary. */
const COLLAPSE_ABOVE = 25;

const isSilent = (s: { state: string; reason: string }) => s.state === 'filtered' && s.reason === 'no-response';

/**
 * Every port the run read `filtered` with no response, ascending; null when nmap collapsed some without
 * listing which (then no single port can be proven or retried on its own).
 */
export function silentPorts(result: Pick<ScanResult, 'observations' | 'others'>): number[] | null {
  const ports = result.observations.filter(isSilent).map((o) => o.port);
  for (const group of result.others.filter(isSilent)) {
    if (group.ports === null) return null;
    ports.push(...parsePortSpec(group.ports));
  }
  return sortedUniquePorts(ports);
}

/**
 * The main result with each of `ports` read as the follow-up run read it: a listed port is replaced, a
 * collapsed one leaves its summary and joins the summary of its new state, or is listed when there is none.
 * @throws InternalError when the follow-up has no observation of one of `ports`.
 */
export function replacePorts(main: ScanResult, followUp: ScanResult, ports: readonly number[]): ScanResult {
  const fresh = new Map(followUp.observations.map((o) => [o.port, o]));
  for (const port of ports) if (!fresh.has(port)) throw new InternalError(`replacePorts: the follow-up has no observation of port ${port}`);
  const retried = new Set(ports);
  const listed = new Set(main.observations.map((o) => o.port));
  const moved = new Set(ports.filter((p) => !listed.has(p)));
  const observations: Observation[] = main.observations.map((o) => (retried.has(o.port) ? fresh.get(o.port)! : o));
  // Out of their old summaries…
  let others: PortSummary[] = main.others.flatMap((group) => {
    if (group.ports === null) return [group];
    const kept = parsePortSpec(group.ports).filter((p) => !moved.has(p));
    if (kept.length === group.count) return [group];
    return kept.length === 0 ? [] : [{ ...group, count: kept.length, ports: formatPortSpec(kept) }];
  });
  // …into the summary of their new state, or listed.
  const byState = new Map<string, Observation[]>();
  for (const port of moved) {
    const o = fresh.get(port)!;
    const key = `${o.state}\u0000${o.reason}`;
    // Pushed, never copied: when a fast pass loses its answers (nmap's capture overflows on loopback), ~64,000
    // ports move, and a copy per port held the event loop for minutes (a loopback sweep of 1-65535 took 166 s).
    const group = byState.get(key);
    if (group) group.push(o);
    else byState.set(key, [o]);
  }
  for (const group of byState.values()) {
    const { state, reason } = group[0]!;
    // Never into a summary the ledger placed: a retried port was not proven anywhere.
    const into = others.find((s) => s.state === state && s.reason === reason && s.ports !== null && s.droppedAt === undefined);
    const groupPorts = group.map((o) => o.port);
    if (into) {
      const all = [...parsePortSpec(into.ports!), ...groupPorts];
      others = others.map((s) => (s === into ? { ...s, count: all.length, ports: formatPortSpec(all) } : s));
    } else if (group.length > COLLAPSE_ABOVE) {
      others.push({ state, reason, count: group.length, ports: formatPortSpec(groupPorts) });
    } else {
      observations.push(...group);
    }
  }
  observations.sort((a, b) => a.port - b.port);
  others.sort((a, b) => a.state.localeCompare(b.state) || a.reason.localeCompare(b.reason));
  return { ...main, observations, others };
}

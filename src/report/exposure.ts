/**
 * Exposure: what a release gate compares. A run's observations reduced to one word per port whose state
 * is known (what the firewall admits: admission.ts), keyed by vantage, scanned host, family and protocol.
 * Vantages and hosts are plain names here: nothing assumes which vantages a lab has, and an observation
 * without a host is about the target.
 */
import type { Family, PortState, Protocol } from '../model/observation.ts';
import { parsePortSpec } from '../model/ports.ts';
import { ACCESS_RANK, admissionOf, type DecidingRule, type Exposure } from './admission.ts';

export type { Exposure } from './admission.ts';

/** The host an observation without `host` is about. */
export const TARGET_HOST = 'target';

/** One vantage × host × family × protocol. */
export interface ExposureSlice {
  vantage: string;
  host: string;
  family: Family;
  protocol: Protocol;
}

export interface ExposureEntry extends ExposureSlice {
  ports: Map<number, Exposure>;
  /** Ports read as `admitted` only because no trace decided them (`closed`, no rule named): said, not hidden. */
  assumed?: Set<number>;
}

/** Every slice of a run, keyed by `sliceKey`. */
export type ExposureSnapshot = Map<string, ExposureEntry>;

/** What exposure reads of an observation (the shape of results.json, before and after `host` was added). */
export interface PortReading {
  vantage: string;
  host?: string | undefined;
  family: Family;
  protocol: Protocol;
  port: number;
  state: PortState;
  /** The deciding rule, where the attribution phase traced the port. */
  attribution?: DecidingRule | undefined;
  /** Where a counted sweep's ledger saw the silent probe or its answer stop (`reply`: admitted). */
  droppedAt?: string | undefined;
  /** nmap's reason for the state. */
  reason?: string | undefined;
  /** The real clients' evidence: how many were refused. */
  evidence?: { refused?: number | undefined } | undefined;
  /** A counted UDP sweep's ledger word on the port (`admitted`, `dropped`, `unverified`). */
  ledger?: string | undefined;
}

/** What exposure reads of a summary of ports nmap did not list one by one. */
export interface SummaryReading {
  vantage: string;
  host?: string | undefined;
  family: Family;
  protocol: Protocol;
  state: PortState;
  ports: string | null;
  /** As PortReading's. */
  droppedAt?: string | undefined;
  /** As PortReading's. */
  ledger?: string | undefined;
}

// Stable and unambiguous whatever the names hold (a space, a quote).
export function sliceKey(slice: ExposureSlice): string {
  return JSON.stringify([slice.vantage, slice.host, slice.family, slice.protocol]);
}

/**
 * The exposure of a run. Ports listed one by one win over summaries; summaries count only where nmap
 * said exactly which ports they hold. Two readings of one port keep the one with more access (never hide
 * an open); an observation's attribution decides whether a `closed` port was admitted (admission.ts).
 */
export function exposureOf(observations: readonly PortReading[], others: readonly SummaryReading[] = []): ExposureSnapshot {
  const snapshot: ExposureSnapshot = new Map();
  const entry = (reading: Omit<SummaryReading, 'ports' | 'state'>): ExposureEntry => {
    const slice = { vantage: reading.vantage, host: reading.host ?? TARGET_HOST, family: reading.family, protocol: reading.protocol };
    const key = sliceKey(slice);
    let found = snapshot.get(key);
    if (!found) snapshot.set(key, (found = { ...slice, ports: new Map() }));
    return found;
  };
  const listed = new Set<string>();
  for (const o of observations) {
    const e = entry(o);
    listed.add(`${sliceKey(e)}/${o.port}`);
    const admission = admissionOf(o.state, o.attribution, { reason: o.reason, droppedAt: o.droppedAt, refused: o.evidence?.refused, ledger: o.ledger });
    if (admission === null) continue;
    const before = e.ports.get(o.port);
    if (before !== undefined && ACCESS_RANK[admission.exposure] <= ACCESS_RANK[before]) continue;
    e.ports.set(o.port, admission.exposure);
    if (admission.assumed) (e.assumed ??= new Set()).add(o.port);
    else e.assumed?.delete(o.port);
  }
  for (const s of others) {
    // A summary is never traced: its closed ports are admitted by assumption.
    const admission = admissionOf(s.state, undefined, { droppedAt: s.droppedAt, ledger: s.ledger });
    if (admission === null || s.ports === null || s.ports.trim() === '') continue;
    const e = entry(s);
    for (const port of parsePortSpec(s.ports)) {
      if (listed.has(`${sliceKey(e)}/${port}`)) continue;
      const before = e.ports.get(port);
      if (before !== undefined && ACCESS_RANK[admission.exposure] <= ACCESS_RANK[before]) continue;
      e.ports.set(port, admission.exposure);
      if (admission.assumed) (e.assumed ??= new Set()).add(port);
    }
  }
  return snapshot;
}

/** Slices in a stable order: vantage, host, family, protocol (code-point order, not the locale's). */
export function sortedEntries(snapshot: ExposureSnapshot): ExposureEntry[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...snapshot.values()].sort((a, b) => cmp(a.vantage, b.vantage) || cmp(a.host, b.host) || cmp(a.family, b.family) || cmp(a.protocol, b.protocol));
}

/** The ports of an entry that have `exposure`, sorted. */
export function portsWith(entry: ExposureEntry, exposure: Exposure): number[] {
  return [...entry.ports]
    .filter(([, e]) => e === exposure)
    .map(([port]) => port)
    .sort((a, b) => a - b);
}

/** How many ports of a snapshot are read as admitted only because no trace decided them. */
export function assumedAdmitted(snapshot: ExposureSnapshot): number {
  return [...snapshot.values()].reduce((n, e) => n + (e.assumed?.size ?? 0), 0);
}

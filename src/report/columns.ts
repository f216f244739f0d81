/**
 * The columns every matrix shares (terminal table, summary.md, index.html): one per vantage, scanned host
 * and family, taken from the data. Vantages are names (`loopback`, or a peer's name such as `peer`, `admin`,
 * `internet`), and an observation may name the host it scanned (`host`, absent for the scenario's target):
 * no renderer may assume a fixed set of them.
 */
import { FAMILIES, type Family } from '../model/observation.ts';
import type { ScenarioResult } from './result.ts';

/** What places a port reading in a column: where the scan ran from, which host it scanned, which family. */
export interface Placed {
  vantage: string;
  family: Family;
  host?: string;
}

/** A vantage and the host it scanned: the IPv4/IPv6 pair of columns parity compares. */
export interface View {
  vantage: string;
  host: string | undefined;
  /** `loopback`, `peer`, or `peer → web` when the host is named. */
  label: string;
  key: string;
}

export interface Column extends View {
  family: Family;
}

/** The scanned host's name, when the data carries one (absent means the scenario's target). */
export function hostOf(x: object): string | undefined {
  const host = (x as { host?: unknown }).host;
  return typeof host === 'string' && host !== '' ? host : undefined;
}

export function viewKey(x: Placed | object): string {
  return `${(x as Placed).vantage}\u0000${hostOf(x) ?? ''}`;
}

/** The column a reading belongs in. */
export function columnKey(x: Placed): string {
  return `${viewKey(x)}\u0000${x.family}`;
}

/** Loopback first, then every other vantage (and host) in order of first appearance in scans, then readings. */
export function viewsOf(result: Pick<ScenarioResult, 'scans' | 'observations'>): View[] {
  const views = new Map<string, View>();
  for (const x of [...result.scans, ...result.observations] as Placed[]) {
    const key = viewKey(x);
    if (views.has(key)) continue;
    const host = hostOf(x);
    views.set(key, { vantage: x.vantage, host, label: host ? `${x.vantage} → ${host}` : x.vantage, key });
  }
  const all = [...views.values()];
  return [...all.filter((v) => v.vantage === 'loopback'), ...all.filter((v) => v.vantage !== 'loopback')];
}

/** Every view × family that has a scan or a reading, in view order then IPv4, IPv6. */
export function columnsOf(result: Pick<ScenarioResult, 'scans' | 'observations'>): Column[] {
  const present = new Set([...result.scans, ...result.observations].map((x) => columnKey(x as Placed)));
  return viewsOf(result).flatMap((view) => FAMILIES.filter((family) => present.has(`${view.key}\u0000${family}`)).map((family) => ({ ...view, family })));
}

export function columnLabel(c: Column): string {
  return `${c.label} ${c.family}`;
}

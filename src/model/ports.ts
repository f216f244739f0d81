/**
 * Port and port-reference syntax shared by the scenario schema and its normaliser:
 * `22`, `"22"`, `"1000-1010"` (port specs) and `"22/tcp"`, `"1000-1010/udp"` (port refs).
 */
import type { Protocol } from './observation.ts';

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** `22` or `1000-1010`. */
export const PORT_SPEC_PATTERN = /^(\d+)(?:-(\d+))?$/;
/** `22/tcp` or `1000-1010/udp`. */
export const PORT_REF_PATTERN = /^(\d+)(?:-(\d+))?\/(tcp|udp)$/;
/** `top-100`: nmap's N most common ports. */
export const TOP_PATTERN = /^top-(\d+)$/;

export interface PortRange {
  from: number;
  to: number;
}

export function isValidPort(n: number): boolean {
  return Number.isInteger(n) && n >= MIN_PORT && n <= MAX_PORT;
}

/** Why a port spec is invalid, or null when it is valid. Used for schema messages. */
export function portSpecProblem(spec: number | string): string | null {
  const range = parseRangeLoose(spec);
  if (!range) return 'expected a port 1-65535 or a range like "1000-1010"';
  if (!isValidPort(range.from) || !isValidPort(range.to)) return 'expected ports in 1-65535';
  if (range.from > range.to) return 'expected a range from low to high, like "1000-1010"';
  return null;
}

/** Parses a port spec that the schema has already validated. */
export function parsePortSpec(spec: number | string): PortRange {
  const range = parseRangeLoose(spec);
  if (!range || portSpecProblem(spec)) throw new Error(`invalid port spec ${JSON.stringify(spec)}`);
  return range;
}

/** Parses a `22/tcp` ref that the schema has already validated. */
export function parsePortRef(ref: string): PortRange & { protocol: Protocol } {
  const m = PORT_REF_PATTERN.exec(ref);
  if (!m) throw new Error(`invalid port ref ${JSON.stringify(ref)}`);
  const range = parsePortSpec(m[2] ? `${m[1]}-${m[2]}` : `${m[1]}`);
  return { ...range, protocol: m[3] as Protocol };
}

/** Why a port ref is invalid, or null when it is valid. */
export function portRefProblem(ref: string): string | null {
  const m = PORT_REF_PATTERN.exec(ref);
  if (!m) return 'expected a port with protocol like "22/tcp" or "1000-1010/udp"';
  return portSpecProblem(m[2] ? `${m[1]}-${m[2]}` : `${m[1]}`);
}

export function expandRange(range: PortRange): number[] {
  const out: number[] = [];
  for (let p = range.from; p <= range.to; p++) out.push(p);
  return out;
}

export function sortedUnique(ports: Iterable<number>): number[] {
  return [...new Set(ports)].sort((a, b) => a - b);
}

function parseRangeLoose(spec: number | string): PortRange | null {
  if (typeof spec === 'number') return { from: spec, to: spec };
  const m = PORT_SPEC_PATTERN.exec(spec.trim());
  if (!m) return null;
  const from = Number(m[1]);
  return { from, to: m[2] === undefined ? from : Number(m[2]) };
}

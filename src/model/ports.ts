/**
 * The one port-syntax module: what users write (`22`, `"1000-1010"`, `"22/tcp"`, `top-100`) and nmap's
 * `-p` lists (`22,53,80-82`), which fwprobe writes for nmap and reads back from `<extrareasons ports>`.
 * Ports are 1-65535 everywhere: fwprobe never scans port 0.
 */
import { InternalError, PortSpecError } from './errors.ts';
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
export function parsePortRange(spec: number | string): PortRange {
  const range = parseRangeLoose(spec);
  if (!range || portSpecProblem(spec)) throw new PortSpecError(String(spec), portSpecProblem(spec) ?? 'not a port or range');
  return range;
}

/** Parses a `22/tcp` ref that the schema has already validated. */
export function parsePortRef(ref: string): PortRange & { protocol: Protocol } {
  const m = PORT_REF_PATTERN.exec(ref);
  if (!m) throw new PortSpecError(ref, portRefProblem(ref) ?? 'not a port/protocol');
  const range = parsePortRange(m[2] ? `${m[1]}-${m[2]}` : `${m[1]}`);
  return { ...range, protocol: m[3] as Protocol };
}

/** Why a port ref is invalid, or null when it is valid. */
export function portRefProblem(ref: string): string | null {
  const m = PORT_REF_PATTERN.exec(ref);
  if (!m) return 'expected a port with protocol like "22/tcp" or "1000-1010/udp"';
  return portSpecProblem(m[2] ? `${m[1]}-${m[2]}` : `${m[1]}`);
}

// Ranges. A scenario may name "2-65535" thousands of times: ranges are merged first and expanded once, so
// that the work is bounded by the 65535 ports, never by items × range length.

/** Sorted, disjoint ranges with no two adjacent: exactly the ports of `ranges`. */
export function mergeRanges(ranges: Iterable<PortRange>): PortRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from || a.to - b.to);
  const merged: PortRange[] = [];
  for (const { from, to } of sorted) {
    const last = merged.at(-1);
    if (last && from <= last.to + 1) last.to = Math.max(last.to, to);
    else merged.push({ from, to });
  }
  return merged;
}

/**
 * The ports of merged ranges (see `mergeRanges`), ascending, in one array sized once.
 * @throws InternalError when the ranges are not sorted and disjoint: expanding unmerged ranges is the
 * quadratic mistake this function exists to prevent.
 */
export function expandRanges(merged: readonly PortRange[]): number[] {
  const out = new Array<number>(countPorts(merged));
  let i = 0;
  let previous = MIN_PORT - 2;
  for (const { from, to } of merged) {
    if (from <= previous + 1 || to < from) throw new InternalError('expandRanges takes merged ranges: call mergeRanges first');
    for (let port = from; port <= to; port++) out[i++] = port;
    previous = to;
  }
  return out;
}

/** How many ports the ranges hold (ranges must not overlap: merge them first). */
export function countPorts(ranges: readonly PortRange[]): number {
  return ranges.reduce((sum, r) => sum + (r.to - r.from + 1), 0);
}

/** `22` or `1000-1010`. */
export function formatRange(range: PortRange): string {
  return range.from === range.to ? `${range.from}` : `${range.from}-${range.to}`;
}

/** Ranges of sorted unique ports: `[22, 80, 81, 82]` → 22, 80-82. */
export function rangesOfSorted(sorted: readonly number[]): PortRange[] {
  return toRuns(sorted).map(([from, to]) => ({ from, to }));
}

function parseRangeLoose(spec: number | string): PortRange | null {
  if (typeof spec === 'number') return { from: spec, to: spec };
  const m = PORT_SPEC_PATTERN.exec(spec.trim());
  if (!m) return null;
  const from = Number(m[1]);
  return { from, to: m[2] === undefined ? from : Number(m[2]) };
}

// nmap `-p` lists.

/**
 * Parses `22,53,80-82` into `[22, 53, 80, 81, 82]`: sorted, without duplicates.
 *
 * Only plain numbers and `LOW-HIGH` ranges are accepted; nmap's protocol prefixes (`T:`, `U:`), open-ended
 * ranges (`-100`) and service names are not, because fwprobe always knows the exact ports it scans.
 * @throws PortSpecError for an empty spec, a malformed item, a port outside 1–65535 or a reversed range.
 */
export function parsePortSpec(spec: string): number[] {
  if (spec.trim() === '') throw new PortSpecError(spec, 'it is empty');
  const items = spec.split(',').map((item) => parseItem(item.trim(), spec));
  // nmap writes its lists ascending and disjoint (a full sweep's is ~65,000 ports): those are expanded into
  // one array sized once; only a list out of order goes through a bitmap, which sorts and deduplicates.
  if (!items.every(([low], i) => i === 0 || low > items[i - 1]![1])) {
    const bits = new Uint8Array(MAX_PORT + 1);
    for (const [low, high] of items) bits.fill(1, low, high + 1);
    return portsOfBits(bits);
  }
  const ports = new Array<number>(items.reduce((sum, [low, high]) => sum + high - low + 1, 0));
  let i = 0;
  for (const [low, high] of items) for (let port = low; port <= high; port++) ports[i++] = port;
  return ports;
}

/**
 * Sorted and deduplicated valid ports, in time linear in their number (a bitmap above a few dozen: sorting
 * ~65,000 numbers with a comparator costs tens of milliseconds).
 */
export function sortedUniquePorts(ports: readonly number[]): number[] {
  if (isStrictlyAscending(ports)) return [...ports];
  if (ports.length <= 64) return [...new Set(ports)].sort((a, b) => a - b);
  return portsOfBits(portBits(ports));
}

function isStrictlyAscending(ports: readonly number[]): boolean {
  for (let i = 1; i < ports.length; i++) if (ports[i]! <= ports[i - 1]!) return false;
  return true;
}

function portBits(ports: readonly number[]): Uint8Array {
  const bits = new Uint8Array(MAX_PORT + 1);
  for (const port of ports) bits[port] = 1;
  return bits;
}

function portsOfBits(bits: Uint8Array): number[] {
  let count = 0;
  for (let port = MIN_PORT; port <= MAX_PORT; port++) count += bits[port]!;
  const ports = new Array<number>(count);
  let i = 0;
  for (let port = MIN_PORT; port <= MAX_PORT; port++) if (bits[port] === 1) ports[i++] = port;
  return ports;
}

/**
 * Formats ports as a compact spec: sorted, deduplicated, consecutive runs of two or more written as
 * `LOW-HIGH` (the way nmap writes them itself), e.g. `[82, 22, 80, 81, 53]` → `22,53,80-82`.
 * @throws PortSpecError for an empty list or a value that is not an integer in 0–65535.
 */
export function formatPortSpec(ports: readonly number[]): string {
  if (ports.length === 0) throw new PortSpecError('[]', 'the port list is empty');
  // The spec text is built only for a bad port: stringifying 65535 ports once per port is quadratic.
  const bad = ports.find((port) => !isPort(port));
  if (bad !== undefined) assertPort(bad, JSON.stringify(ports));
  const sorted = isStrictlyAscending(ports) ? ports : sortedUniquePorts(ports);
  return toRuns(sorted)
    .map(([low, high]) => (low === high ? `${low}` : `${low}-${high}`))
    .join(',');
}

function parseItem(item: string, spec: string): [number, number] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(item);
  if (!match) {
    throw new PortSpecError(spec, `"${item}" is not a port number or a LOW-HIGH range`);
  }
  const low = toPort(match[1] ?? '', spec);
  const high = match[2] === undefined ? low : toPort(match[2], spec);
  if (high < low) throw new PortSpecError(spec, `range "${item}" is reversed (write ${high}-${low})`);
  return [low, high];
}

function toPort(digits: string, spec: string): number {
  const port = Number(digits);
  assertPort(port, spec);
  return port;
}

function isPort(port: number): boolean {
  return isValidPort(port);
}

function assertPort(port: number, spec: string): void {
  if (!isPort(port)) {
    throw new PortSpecError(spec, `${port} is not a port (want an integer from ${MIN_PORT} to ${MAX_PORT})`);
  }
}

/** Groups sorted, distinct ports into [low, high] runs of consecutive numbers. */
function toRuns(sorted: readonly number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  let last: [number, number] | undefined;
  for (const port of sorted) {
    if (last && port === last[1] + 1) last[1] = port;
    else runs.push((last = [port, port]));
  }
  return runs;
}

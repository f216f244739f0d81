/**
 * Port lists in nmap's `-p` syntax (`22,53,80-82`). Used to build nmap's `-p` argument and to read the
 * `ports` attribute of `<extrareasons>`, which nmap writes in the same syntax.
 */
import { PortSpecError } from './errors.ts';

/** Lowest and highest port nmap accepts in `-p` ("between 0 and 65535 inclusive"). */
export const MIN_PORT = 0;
export const MAX_PORT = 65535;

/**
 * Parses `22,53,80-82` into `[22, 53, 80, 81, 82]`: sorted, without duplicates.
 *
 * Only plain numbers and `LOW-HIGH` ranges are accepted; nmap's protocol prefixes (`T:`, `U:`), open-ended
 * ranges (`-100`) and service names are not, because fwprobe always knows the exact ports it scans.
 * @throws PortSpecError for an empty spec, a malformed item, a port outside 0–65535 or a reversed range.
 */
export function parsePortSpec(spec: string): number[] {
  if (spec.trim() === '') throw new PortSpecError(spec, 'it is empty');
  const ports = new Set<number>();
  for (const item of spec.split(',')) {
    for (const port of parseItem(item.trim(), spec)) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
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
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  return toRuns(sorted)
    .map(([low, high]) => (low === high ? `${low}` : `${low}-${high}`))
    .join(',');
}

function parseItem(item: string, spec: string): number[] {
  const match = /^(\d+)(?:-(\d+))?$/.exec(item);
  if (!match) {
    throw new PortSpecError(spec, `"${item}" is not a port number or a LOW-HIGH range`);
  }
  const low = toPort(match[1] ?? '', spec);
  const high = match[2] === undefined ? low : toPort(match[2], spec);
  if (high < low) throw new PortSpecError(spec, `range "${item}" is reversed (write ${high}-${low})`);
  return Array.from({ length: high - low + 1 }, (_, i) => low + i);
}

function toPort(digits: string, spec: string): number {
  const port = Number(digits);
  assertPort(port, spec);
  return port;
}

function isPort(port: number): boolean {
  return Number.isInteger(port) && port >= MIN_PORT && port <= MAX_PORT;
}

function assertPort(port: number, spec: string): void {
  if (!isPort(port)) {
    throw new PortSpecError(spec, `${port} is not a port (want an integer from ${MIN_PORT} to ${MAX_PORT})`);
  }
}

/** Groups sorted, distinct ports into [low, high] runs of consecutive numbers. */
function toRuns(sorted: readonly number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const port of sorted) {
    const last = runs.at(-1);
    if (last && port === last[1] + 1) last[1] = port;
    else runs.push([port, port]);
  }
  return runs;
}

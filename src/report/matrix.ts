/**
 * The port matrix of one scenario as data, expected against observed: one row a port, one column a
 * vantage × host × family (columns.ts), each cell the observed state judged by the verdict. The HTML report
 * colours it; SARIF reads the same judgement, so the two can never disagree about what is exposed.
 */
import type { Attribution } from '../model/attribution.ts';
import { PROTOCOLS, type Mismatch, type Observation, type PortState, type Protocol } from '../model/observation.ts';
import { columnKey, columnsOf, viewKey, type Column, type Placed } from './columns.ts';
import { expectationWord } from './expectation-word.ts';
import type { ScenarioResult } from './result.ts';

/**
 * - `ok`: the state satisfies the expectation; `exposed`: observed open or delivered where that was not
 *   expected; `mismatch`: any other disagreement; `missing`: expected, never observed; `unchecked`: no
 *   expectation speaks about it; `none`: no verdict was taken (the scenario ended in an error).
 */
export type CellKind = 'ok' | 'exposed' | 'mismatch' | 'missing' | 'unchecked' | 'none';

export interface Cell {
  kind: CellKind;
  observed: PortState | null;
  /** The expectation's word (`not-open`, `filtered`, …), when the verdict says so (mismatches and missing ports). */
  expected: string | null;
  reason: string | null;
  /** The rule or policy that decided the observed state, when traced. */
  attribution?: Attribution;
}

export interface Row {
  protocol: Protocol;
  port: number;
  /** One per column, in column order. */
  cells: Cell[];
  /** Labels of the views whose IPv4 and IPv6 readings of this port differ. */
  parity: string[];
}

export interface Matrix {
  columns: Column[];
  rows: Row[];
  /** Rows left out by the bound. */
  more: number;
}

const EXPOSING: ReadonlySet<PortState> = new Set(['open', 'delivered']);

/** An expectation mismatch where the port answered (open, or a datagram delivered) and that was not expected. */
export function isUnexpectedExposure(m: Pick<Mismatch, 'observed' | 'expected'>): boolean {
  return EXPOSING.has(m.observed) && !m.expected.includes(m.observed);
}

function portKey(x: Placed & { protocol: Protocol; port: number }): string {
  return `${columnKey(x)}\u0000${x.protocol}/${x.port}`;
}

/** The matrix of `result`, at most `maxRows` rows (ports sorted by protocol, then number). */
export function buildMatrix(result: ScenarioResult, maxRows = Infinity): Matrix {
  const columns = columnsOf(result);
  const verdict = result.verdict;
  const observed = new Map(result.observations.map((o) => [portKey(o), o]));
  const mismatches = new Map((verdict?.mismatches ?? []).map((m) => [portKey(m), m]));
  const unchecked = new Set((verdict?.unchecked.observations ?? []).map(portKey));
  const missing = new Map((verdict?.missing ?? []).map((m) => [portKey(m), m]));
  const ports = new Map<string, { protocol: Protocol; port: number }>();
  for (const x of [...result.observations, ...(verdict?.missing ?? [])]) ports.set(`${x.protocol}/${x.port}`, { protocol: x.protocol, port: x.port });
  const sorted = [...ports.values()].sort((a, b) => PROTOCOLS.indexOf(a.protocol) - PROTOCOLS.indexOf(b.protocol) || a.port - b.port);

  const rows = sorted.slice(0, maxRows).map(({ protocol, port }) => {
    const cells = columns.map((column): Cell => {
      const key = portKey({ ...column, protocol, port });
      const o = observed.get(key);
      const m = mismatches.get(key);
      const gone = missing.get(key);
      if (gone) return { kind: 'missing', observed: null, expected: gone.expected, reason: null };
      if (!o) return { kind: 'none', observed: null, expected: null, reason: null };
      return judged(o, m, verdict === null ? 'none' : unchecked.has(key) ? 'unchecked' : 'ok');
    });
    return { protocol, port, cells, parity: parityViews(columns, cells) };
  });
  return { columns, rows, more: Math.max(0, sorted.length - rows.length) };
}

function judged(o: Observation, m: Mismatch | undefined, otherwise: CellKind): Cell {
  const why = o.attribution ? { attribution: o.attribution } : {};
  if (!m) return { kind: otherwise, observed: o.state, expected: null, reason: o.reason, ...why };
  return { kind: isUnexpectedExposure(m) ? 'exposed' : 'mismatch', observed: o.state, expected: expectationWord(m.expected, m.protocol), reason: o.reason, ...why };
}

/** The views where this port's IPv4 and IPv6 cells both hold a state, and the states differ: the IPv6 gap. */
function parityViews(columns: readonly Column[], cells: readonly Cell[]): string[] {
  const byView = new Map<string, { label: string; states: (PortState | null)[] }>();
  columns.forEach((column, i) => {
    const entry = byView.get(viewKey(column)) ?? { label: column.label, states: [] };
    entry.states.push(cells[i]!.observed);
    byView.set(viewKey(column), entry);
  });
  return [...byView.values()].filter(({ states }) => states.length === 2 && states[0] !== null && states[1] !== null && states[0] !== states[1]).map(({ label }) => label);
}

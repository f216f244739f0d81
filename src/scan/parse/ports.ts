/**
 * The ports of the target's `<host>`: listed `<port>`s, and `<extraports>` groups located port by port
 * (nmap 7.92+ lists their ports) so that every port of interest gets a state nmap really gave it, and the
 * rest are summarised with exact port lists.
 */
import { NmapXmlShapeError, type CommandOutcome } from '../../model/errors.ts';
import { nmapErrors } from '../nmap-errors.ts';
import { PORT_STATES, type Observation, type PortState } from '../../model/observation.ts';
import { formatPortSpec } from '../../model/ports.ts';
import type { PortSummary, ScanContext } from '../types.ts';
import { PortBits, type PortLookup } from './port-bits.ts';
import { attr, children, firstChild, readPortList, requireAttr, requireCount, requireState, type XmlNode } from './xml.ts';

interface PortFinding {
  state: PortState;
  reason: string;
}

interface ExtraReasons {
  reason: string;
  count: number;
  /** From `ports="1-21,23"` (nmap 7.92+); null when nmap did not list them. */
  ports: number[] | null;
  /** `ports` to look up: each port of interest is looked for, and a sweep may name thousands. */
  lookup: PortBits | null;
}

interface ExtraPorts {
  state: PortState;
  count: number;
  reasons: ExtraReasons[];
}

export function readHostPorts(host: XmlNode, scanned: PortLookup | null, ctx: ScanContext, run: CommandOutcome): { observations: Observation[]; others: PortSummary[] } {
  const target = ctx.target;
  if (attr(host, 'timedout') === 'true') {
    throw nmapErrors.noPorts(target, '<host timedout="true">: --host-timeout fired before the scan ended', run);
  }
  const portsNode = firstChild(host, 'ports');
  const status = firstChild(host, 'status');
  const hostState = status ? attr(status, 'state') : undefined;
  if (!portsNode) throw nmapErrors.noPorts(target, `no <ports> element; host status is "${hostState ?? '?'}"`, run);
  const listed = readListedPorts(portsNode, ctx, run);
  const extras = children(portsNode, 'extraports').map((node) => readExtraPorts(node, ctx, run));
  if (listed.size === 0 && extras.length === 0) throw nmapErrors.noPorts(target, '<ports> is empty', run);

  const findings = new Map(listed);
  const assignedFromUnlisted = new Map<ExtraPorts, number>();
  for (const port of uniqueSorted(ctx.ports)) {
    if (findings.has(port)) continue;
    const located = locateInExtras(port, extras, scanned, ctx, run);
    findings.set(port, located.finding);
    const from = located.unlisted;
    if (from) assignedFromUnlisted.set(from, (assignedFromUnlisted.get(from) ?? 0) + 1);
  }
  const observations = [...findings.keys()]
    .sort((a, b) => a - b)
    .map((port) => {
      const finding = findings.get(port) as PortFinding;
      return observation(ctx, port, finding.state, finding.reason);
    });
  return { observations, others: summariseOthers(extras, findings, assignedFromUnlisted) };
}

function readListedPorts(portsNode: XmlNode, ctx: ScanContext, run: CommandOutcome): Map<number, PortFinding> {
  const listed = new Map<number, PortFinding>();
  for (const node of children(portsNode, 'port')) {
    const protocol = requireAttr(node, 'port', 'protocol');
    const portid = requireCount(node, 'port', 'portid');
    if (protocol !== ctx.protocol) {
      throw nmapErrors.protocol(ctx.protocol, protocol, `<port portid="${portid}">`, run);
    }
    const stateNode = firstChild(node, 'state');
    if (!stateNode) throw new NmapXmlShapeError(`<port portid="${portid}"> has no <state>`);
    listed.set(portid, {
      state: requireState(stateNode, 'state'),
      reason: requireAttr(stateNode, 'state', 'reason'),
    });
  }
  return listed;
}

function readExtraPorts(node: XmlNode, ctx: ScanContext, run: CommandOutcome): ExtraPorts {
  const reasons = children(node, 'extrareasons').map((reasonNode): ExtraReasons => {
    const proto = attr(reasonNode, 'proto');
    if (proto !== undefined && proto !== ctx.protocol) {
      throw nmapErrors.protocol(ctx.protocol, proto, '<extrareasons>', run);
    }
    const count = requireCount(reasonNode, 'extrareasons', 'count');
    const spec = attr(reasonNode, 'ports');
    const ports = spec === undefined ? null : readPortList(spec, 'extrareasons');
    // A list that disagrees with its own count would silently misplace ports.
    if (ports && ports.length !== count) {
      throw new NmapXmlShapeError(`<extrareasons count="${count}" ports="${spec}"> lists ${ports.length} ports`);
    }
    return { reason: requireAttr(reasonNode, 'extrareasons', 'reason'), count, ports, lookup: ports && PortBits.of(ports) };
  });
  return { state: requireState(node, 'extraports'), count: requireCount(node, 'extraports', 'count'), reasons };
}

/**
 * Finds a port that nmap did not list individually. `unlisted` is set when the state came from the one
 * `<extraports>` that has no port lists, so its summary count can be reduced.
 */
function locateInExtras(port: number, extras: readonly ExtraPorts[], scanned: PortLookup | null, ctx: ScanContext, run: CommandOutcome): { finding: PortFinding; unlisted?: ExtraPorts } {
  for (const extra of extras) {
    const holder = extra.reasons.find((reasons) => reasons.lookup?.has(port));
    if (holder) return { finding: { state: extra.state, reason: holder.reason } };
  }
  if (scanned && !scanned.has(port)) {
    throw nmapErrors.notScanned(port, ctx.protocol, 'nmap did not scan it (not in <scaninfo services>)', run);
  }
  const fullyListed = extras.every((e) => e.reasons.length > 0 && e.reasons.every((r) => r.ports !== null));
  if (fullyListed) {
    throw nmapErrors.notScanned(port, ctx.protocol, 'it is neither a <port> element nor in any <extrareasons ports="…">', run);
  }
  const only = extras.length === 1 ? extras[0] : undefined;
  if (only && only.reasons.every((r) => r.ports === null)) {
    return { finding: { state: only.state, reason: joinReasons(only) }, unlisted: only };
  }
  const groups = extras.map((e) => `${e.state} ×${e.count}`).join(', ');
  throw nmapErrors.notScanned(
    port,
    ctx.protocol,
    `it is not listed individually and the ${extras.length} <extraports> groups (${groups}) do not say ` + 'which ports they hold, so its state is ambiguous',
    run,
  );
}

/** Reason for ports taken from an `<extraports>` without port lists: its reasons, e.g. `reset`. */
function joinReasons(extra: ExtraPorts): string {
  const reasons = [...new Set(extra.reasons.map((r) => r.reason))];
  return reasons.length === 0 ? 'unknown' : reasons.join(' or ');
}

function summariseOthers(extras: readonly ExtraPorts[], findings: ReadonlyMap<number, PortFinding>, assignedFromUnlisted: ReadonlyMap<ExtraPorts, number>): PortSummary[] {
  const summaries: SummaryDraft[] = [];
  const found = PortBits.of(findings.keys());
  for (const extra of extras) {
    if (extra.reasons.length > 0 && extra.reasons.every((r) => r.ports !== null)) {
      for (const reasons of extra.reasons) {
        // Filtered only when a port found is among them: a sweep's list is ~65,000 ports, they are few.
        const taken = [...found].some((port) => reasons.lookup?.has(port));
        const ports = taken ? (reasons.ports ?? []).filter((port) => !found.has(port)) : (reasons.ports ?? []);
        addSummary(summaries, { state: extra.state, reason: reasons.reason, count: ports.length, ports });
      }
    } else {
      const count = extra.count - (assignedFromUnlisted.get(extra) ?? 0);
      addSummary(summaries, { state: extra.state, reason: joinReasons(extra), count, ports: null });
    }
  }
  return summaries
    .sort((a, b) => PORT_STATES.indexOf(a.state) - PORT_STATES.indexOf(b.state) || a.reason.localeCompare(b.reason))
    .map(({ ports, ...summary }) => ({ ...summary, ports: ports && ports.length > 0 ? formatPortSpec(ports) : null }));
}

type SummaryDraft = Omit<PortSummary, 'ports'> & { ports: number[] | null };

function addSummary(summaries: SummaryDraft[], summary: SummaryDraft): void {
  if (summary.count <= 0) return;
  const same = summaries.find((s) => s.state === summary.state && s.reason === summary.reason);
  if (!same) {
    // Never copied: a merge below makes a new list, and no list is changed in place.
    summaries.push({ ...summary });
    return;
  }
  same.count += summary.count;
  // One group without port lists makes the merged group's list unknown.
  same.ports = same.ports && summary.ports ? [...same.ports, ...summary.ports].sort((a, b) => a - b) : null;
}

export function observation(ctx: ScanContext, port: number, state: PortState, reason: string): Observation {
  return { vantage: ctx.vantage, family: ctx.family, protocol: ctx.protocol, port, state, reason };
}

export function uniqueSorted(ports: readonly number[]): number[] {
  return [...new Set(ports)].sort((a, b) => a - b);
}

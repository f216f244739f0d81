/**
 * What the firewall admitted, read from one port's state and the rule that decided it. A release gate
 * guards admission, not listeners: a port the firewall lets through to a host with no listener in the lab
 * is `closed` to nmap, yet on the real host (where the service runs) it is open to the world. So a
 * `closed` port counts as admitted unless the deciding rule is a REJECT (whose reset or port-unreachable
 * looks like the kernel's own), and a `closed` port no trace decided is admitted too: the gate assumes the
 * wider reading it cannot rule out. So is a `closed` port whose REJECT matches on what a scan's probe and
 * the traced client differ in (TCP options, source port, a rate): the client's fate is not the scan's.
 * A `filtered` port a counted sweep's ledger saw delivered, its answer held on the way out, is admitted.
 * A counted UDP sweep's ledger (scan/ledger-udp.ts) decides its silent ports from their probes' own path:
 * a probe that reached the socket layer is admitted (no listener, or one that never answers), one held in
 * the chains is blocked, and one the ledger cannot decide is `unverified`, never left out of the gate.
 */
import type { PortState } from '../model/observation.ts';
import { SHAPE_OR_MOMENT, withoutComments } from '../model/scan-shape.ts';

/**
 * - `open`: a scanner or a real client got an answer.
 * - `delivered`: a client's datagram reached the listener but no answer came back (exposed one way).
 * - `admitted`: the firewall let the packet through to the host's stack, which answered for a port with
 *   no listener (a TCP reset, an ICMP port unreachable), or the rule that decided accepted it.
 * - `blocked`: filtered, unreachable, or refused by a REJECT rule.
 * - `unverified`: a counted UDP sweep's silent port whose probe the ledger could not follow: it may have
 *   been admitted, so it ranks with `admitted` (a port blocked before and unverified now is a change).
 * - `shut`: only in baselines of format 1, which could not tell admitted from blocked (read as blocked).
 */
export type Exposure = 'open' | 'delivered' | 'admitted' | 'unverified' | 'blocked' | 'shut';

/** How much access each word means; a move to a higher rank is a move towards more access. */
export const ACCESS_RANK: Record<Exposure, number> = { shut: 0, blocked: 0, unverified: 1, admitted: 1, delivered: 2, open: 3 };

/** The part of an observation's attribution (results.json `observations[].attribution`) admission reads. */
export interface DecidingRule {
  verdict?: string | undefined;
  packet?: 'first' | 'reply' | undefined;
  undecided?: string | undefined;
  /** The deciding rule's text, as the kernel prints it back. */
  rule?: string | undefined;
}

function rejectIsTheScans(rule: DecidingRule): boolean {
  if (rule.rule === undefined) return false;
  // A REJECT keyed on the probe's shape may have refused the client while the scan's own probe went through
  // to the host's stack, whose reset looks the same.
  return !SHAPE_OR_MOMENT.test(withoutComments(rule.rule));
}

/** A word, and whether it rests on an assumption (a `closed` port no trace decided, read as admitted). */
export interface Admission {
  exposure: Exposure;
  assumed: boolean;
}

/** What else admission reads of an observation besides its state and deciding rule. */
export interface Backing {
  /** nmap's reason (`no-response`, `port-unreach`, `reset`…). */
  reason?: string | undefined;
  /** Where a counted sweep's ledger saw the silent probe or its answer stop (`reply`: admitted). */
  droppedAt?: string | undefined;
  /** How many real client probes were refused (a reset or port unreachable). */
  refused?: number | undefined;
  /** A counted UDP sweep's ledger word on the port (`admitted`, `dropped`, `unverified`; Observation.ledger). */
  ledger?: string | undefined;
}

/**
 * The admission a state means given the rule that decided it, or null when neither says (`open|filtered`
 * with no decided trace, `closed|filtered`, `unfiltered`: nmap could not tell, and a gate that counted them
 * either way would flip on a lost reply); a counted UDP sweep's silent port is never null (see `ledger`).
 */
export function admissionOf(state: PortState, rule?: DecidingRule, backing: Backing = {}): Admission | null {
  const { droppedAt, ledger } = backing;
  // nmap's probe met silence, yet a client (another source, source port or shape) was refused: the firewall
  // treats that client otherwise, and its refusal may be the kernel's for a port let in, which the trace of
  // one client cannot rule out. The wider reading, said as an assumption.
  const silentToScan = (state === 'filtered' || state === 'open|filtered') && backing.reason === 'no-response';
  if (silentToScan && (backing.refused ?? 0) > 0) return { exposure: 'admitted', assumed: true };
  // The target's drop ledger saw the probe delivered and the host's answer held: the firewall admitted it.
  if (state === 'filtered' && droppedAt === 'reply') return { exposure: 'admitted', assumed: false };
  if (state === 'open' || state === 'delivered') return { exposure: state, assumed: false };
  // The UDP ledger saw the scan's own probe reach the socket layer: whatever answered (a listener that keeps
  // quiet, the kernel's port unreachable, rate-limited or held on the way out), the firewall admitted it.
  if (ledger === 'admitted') return { exposure: 'admitted', assumed: false };
  if (state === 'unfiltered' || state === 'closed|filtered') return null;
  const decided = rule && rule.undecided === undefined && rule.verdict !== undefined ? rule : undefined;
  // A decision on the reply means the first packet was let in: the host's stack had it.
  const letIn = decided !== undefined && (decided.packet === 'reply' || decided.verdict?.toUpperCase() === 'ACCEPT');
  // The UDP ledger saw the scan's probe held in the chains (a DROP, or a REJECT whose port unreachable reads
  // `closed`): blocked, unless a traced client was let in (the wider reading).
  if (ledger === 'dropped') return { exposure: letIn ? 'admitted' : 'blocked', assumed: false };
  // Silent under a rule keyed on the probe's source port or shape (scan/unproven-marks.ts), and no traced
  // client decided it: the scan's probe being held says nothing of a client's.
  if (ledger === 'unverified' && !decided && (state === 'filtered' || state === 'open|filtered')) return { exposure: 'unverified', assumed: false };
  if (state === 'closed') {
    if (!decided) return { exposure: 'admitted', assumed: true };
    if (letIn || decided.verdict?.toUpperCase() !== 'REJECT') return { exposure: 'admitted', assumed: false };
    // The traced client was rejected; the scan's probe met the same fate only if the rule cannot tell them apart.
    return rejectIsTheScans(decided) ? { exposure: 'blocked', assumed: false } : { exposure: 'admitted', assumed: true };
  }
  // filtered, unreachable, open|filtered: silence is blocked unless the trace shows the packet let in.
  if (letIn) return { exposure: 'admitted', assumed: false };
  if (state === 'open|filtered') {
    if (decided) return { exposure: 'blocked', assumed: false };
    // Counted, yet the ledger could not follow the probe: said, never read as not exposed.
    return ledger === undefined ? null : { exposure: 'unverified', assumed: false };
  }
  return { exposure: 'blocked', assumed: false };
}

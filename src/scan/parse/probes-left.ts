/**
 * A silent port is evidence only if the probe left. nmap counts a probe it failed to send as sent, waits
 * out its timeout and reports the port `filtered` (or `open|filtered`): from the XML alone, a probe the
 * kernel never sent looks exactly like a probe the firewall dropped. This file decides, from what nmap
 * printed on stderr, when a silent port of interest is still evidence and when the run is an error.
 *
 * The rule:
 * 1. Only silent ports of interest are at stake (no-response, and host-down from the peer). A port that
 *    answered (open, closed, admin-prohibited) is evidence whatever else failed. Each failure names its
 *    probe's port (`Offending packet`), so one aimed elsewhere is no matter, unless nmap omitted some
 *    (below): then any failure may have hit a silent port. One failed probe to a silent port is enough:
 *    nmap does not say how many it sent, so that some other probe to the port left cannot be shown.
 * 2. A failure other than EPERM (ENOBUFS, ENOMEM, EACCES, ENETUNREACH, …) is the kernel or the lab losing
 *    the probe, not a firewall's decision: error, from either vantage.
 * 3. EPERM is a netfilter hook of the scanner's own namespace dropping the probe on its way out.
 *    - From the peer that is the peer's firewall, which is not under test: error. The peer must let its
 *      probes out.
 *    - From loopback the scanner runs inside the target, so it is the ruleset under test: its OUTPUT chain
 *      refused the probe (an OUTPUT policy DROP, as in the book's 2009 ip6tables rules, or a DROP/REJECT
 *      rule there). That is evidence, and `filtered` is the right reading, but of the loopback path, not of
 *      INPUT: a local client's SYN meets the same chain, and its connect() hangs exactly as nmap's probe
 *      goes unanswered (checked: `::1:22` under ip6tables OUTPUT DROP times out). What INPUT would do with
 *      the probe is not shown; the peer vantage shows that. The stderr lines stay in `warnings`.
 *    nmap prints only the first 10 send errors. The hidden ones cannot be ENOBUFS or ENOMEM (nmap prints
 *    "Sleeping N seconds then retrying" for those every time); the other errors that do not retry need a
 *    missing route, a broadcast, a bad argument or a probe longer than lo's MTU (EMSGSIZE; 65536 bytes
 *    unless a script lowers it, see test/scenarios/send-failures.test.ts). So on loopback the hidden ones
 *    are taken to be EPERM too.
 */
import type { CommandOutcome } from '../../model/errors.ts';
import type { Observation, Vantage } from '../../model/observation.ts';
import { formatPortSpec } from '../../model/ports.ts';
import { nmapErrors } from '../nmap-errors.ts';
import { HOST_DOWN_REASON, type ScanContext } from '../types.ts';
import { readSendFailures, type SendFailure } from './stderr.ts';

/** Reasons that mean "no answer at all". */
const SILENT_REASONS = new Set(['no-response', HOST_DOWN_REASON]);

/** @throws NmapScanError `NMAP_SEND_FAILED` when a silent port of interest is not evidence (see the rule above). */
export function assertProbesLeft(ctx: ScanContext, observations: readonly Observation[], run: CommandOutcome): void {
  const { failures, omitted } = readSendFailures(ctx.stderr);
  if (failures.length === 0) return;
  const interest = new Set(ctx.ports);
  const silent = observations.filter((o) => interest.has(o.port) && o.reason.split(' or ').some((r) => SILENT_REASONS.has(r)));
  if (silent.length === 0) return;
  const silentPorts = new Set(silent.map((o) => o.port));
  const unbacked = failures.find((failure) => !(failure.refusedByNetfilter && ctx.vantage === 'loopback') && (omitted || failure.port === null || silentPorts.has(failure.port)));
  if (!unbacked) return;
  const ports = `${ctx.protocol}/${formatPortSpec(silent.map((o) => o.port))}`;
  throw nmapErrors.sendFailed(ports, unbacked.line, advice(unbacked, ctx.vantage), run);
}

function advice(failure: SendFailure, vantage: Vantage): string {
  if (failure.refusedByNetfilter && vantage !== 'loopback') {
    return "The peer's own netfilter refused them (EPERM): the peer is the scanner, not the host under test, and " + 'must let its probes out. Was a ruleset applied to the peer?';
  }
  return (
    `The kernel did not send them (${failure.error}), which no firewall rule decides: a send queue or ` +
    'buffer overflowed, or the lab lost a route. Re-run the scan; if it recurs, lower the packet rate (--min-rate).'
  );
}

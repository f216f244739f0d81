/**
 * nmap's reading of a port, checked against what real clients and the target's own listener saw. A probe
 * that reached the listener overrules any "not open" reading: a TCP connect() that completed is `open`, a
 * UDP answer is `open`, and a datagram the listener logged without an answer is `delivered` — never
 * `filtered`. Every observation with probes carries its evidence, so a "not open" verdict says what backs it.
 */
import { CommandFailedError } from '../../model/errors.ts';
import { viewLabel, type Observation } from '../../model/observation.ts';
import { wasSent, type ProbeOutcome, type Received } from './outcome.ts';
import type { Probe } from './plan.ts';
import { isIndirect, isOneWay } from './shapes/shape.ts';
import { VARIANT_LABELS } from './variants.ts';

const REACHED = new Set(['connected', 'answered']);

/** Observations with their evidence, overruled where a probe reached the listener. */
export function corroborate(observations: readonly Observation[], probes: readonly Probe[], outcomes: readonly ProbeOutcome[], received: readonly Received[]): Observation[] {
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  // Which listeners logged each token: a datagram to a broadcast or multicast address may reach every host
  // on the segment, and counts only where the target itself logged it.
  const tokens = new Map<string, Set<string>>();
  for (const r of received) if (r.data) tokens.set(r.data, (tokens.get(r.data) ?? new Set()).add(r.host ?? 'target'));
  const logged = (p: Probe) => {
    const by = tokens.get(byId.get(p.id)!.token ?? '');
    return by !== undefined && (!isOneWay(p.source.shape) || by.has('target'));
  };
  const groups = new Map<string, Probe[]>();
  for (const probe of probes) {
    const k = key(probe);
    groups.set(k, [...(groups.get(k) ?? []), probe]);
  }
  return observations.map((observation) => {
    const group = groups.get(key(observation));
    if (!group) return observation;
    const sent = group.filter((p) => wasSent(byId.get(p.id)));
    if (sent.length === 0) {
      const why = group.map((p) => `${p.id}: ${byId.get(p.id)?.result ?? 'no result'} ${byId.get(p.id)?.errno ?? ''}`.trim());
      throw new CommandFailedError(
        { command: ['fwprobe-probe'], exitCode: 1, stdout: why.join('\n'), stderr: '' },
        `No client probe reached the wire for ${viewLabel(observation)} ${observation.family} ${observation.protocol}/${observation.port}, ` + 'so nothing backs its verdict.',
      );
    }
    // A variant its plain twin could send but whose socket could not be set up (no capability, nft failed)
    // is a shape never tried, on every port: the verdict would rest on less than it claims. (One the
    // call's deadline cut short, `aborted`, is tolerated as a plain probe's is.)
    const lost = group.filter((p) => p.variant && byId.get(p.id)?.result === 'error' && !sent.includes(p) && sent.some((q) => !q.variant && q.source === p.source && q.sourcePort === p.sourcePort));
    if (lost.length > 0) {
      const why = lost.map((p) => `${p.id}: ${byId.get(p.id)?.result ?? 'no result'} ${byId.get(p.id)?.errno ?? ''}`.trim());
      throw new CommandFailedError(
        { command: ['fwprobe-probe'], exitCode: 1, stdout: why.join('\n'), stderr: '' },
        `The ${lost.map((p) => p.variant).join(', ')} client probes for ${viewLabel(observation)} ${observation.family} ${observation.protocol}/${observation.port} ` +
          'could not be sent, though the plain ones were: those packet shapes were never tried.',
      );
    }
    const reached = sent.filter((p) => REACHED.has(byId.get(p.id)!.result));
    const delivered = sent.filter((p) => p.protocol === 'udp' && logged(p));
    const refused = sent.filter((p) => byId.get(p.id)!.result === 'refused');
    const evidence = {
      probes: sent.length,
      reached: new Set([...reached, ...delivered]).size,
      // Said, not judged here: a refusal from a source the scan's was not (exposure reads it, admission.ts).
      ...(refused.length > 0 ? { refused: refused.length, refusedFrom: sourceLabel(plainFirst(refused)!) } : {}),
      sources: [...new Set(sent.map(sourceLabel))],
      ...variantsOf(sent),
    };
    // A plain client names the way in where one got in; a variant only where nothing else did.
    const first = plainFirst(reached) ?? plainFirst(delivered);
    if (!first || observation.state === 'open') return { ...observation, evidence };
    const scan = { state: observation.state, reason: observation.reason };
    const shape = first.variant ? ` ${VARIANT_LABELS[first.variant]}` : '';
    const by = { ...evidence, scan, ...(first.variant ? { variant: first.variant } : {}) };
    if (reached[0]) {
      const how = observation.protocol === 'tcp' ? 'connect() from' : 'answered a datagram from';
      return { ...observation, state: 'open', reason: `${how} ${sourceLabel(first)}${shape}`, evidence: by };
    }
    return { ...observation, state: 'delivered', reason: `listener received from ${sourceLabel(first)}${shape}, no answer came back`, evidence: by };
  });
}

function plainFirst(list: readonly Probe[]): Probe | undefined {
  return list.find((p) => !p.variant) ?? list[0];
}

/** The packet variants among the probes sent, when there are any (variants.ts). */
function variantsOf(sent: readonly Probe[]): { variants?: string[] } {
  const variants = [...new Set(sent.flatMap((p) => (p.variant ? [p.variant] : [])))];
  return variants.length > 0 ? { variants } : {};
}

function key(x: { vantage: string; host?: string; family: string; protocol: string; port: number }): string {
  return `${x.vantage} ${x.host ?? ''} ${x.family} ${x.protocol} ${x.port}`;
}

function sourceLabel(probe: Probe): string {
  const address = probe.source.address.includes(':') ? `[${probe.source.address}]` : probe.source.address;
  const label = `${address}:${probe.sourcePort === 0 ? 'random' : probe.sourcePort}`;
  // A probe to another of the target's addresses (reached through it) says which.
  return isIndirect(probe.source.shape) ? `${label} to ${probe.source.target}` : label;
}

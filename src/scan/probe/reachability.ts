/**
 * The reachability check before any ruleset: one client from every source reaches every service it may
 * reach. A service that does not answer now would read "filtered" later for reasons that have nothing to
 * do with the firewall. (Not the release gate's baseline file: that is report/baseline-file.ts.)
 */
import { LabSelfCheckError } from '../../model/errors.ts';
import { LOOPBACK, type Family, type Vantage } from '../../model/observation.ts';
import type { ServiceSpec } from '../../model/scenario.ts';
import type { ProbeOutcome, Received } from './outcome.ts';
import { planProbes, type Probe, type ProbeSource } from './plan.ts';
import { isOneWay, type SourceShape } from './shapes/shape.ts';

/** One probe per source and service that source may reach (by the service's bind), from a random source port. */
export function planReachability(sources: Readonly<Record<Vantage, readonly ProbeSource[]>>, vantages: readonly Vantage[], servicesOf: (host?: string) => readonly ServiceSpec[]): Probe[] {
  return vantages.flatMap((vantage) =>
    (sources[vantage] ?? [])
      .filter((source) => mustReach(source.shape))
      .flatMap((source) =>
        servicesOf(source.host)
          .filter((s) => reachable(s.bind, source.family, source.target))
          .flatMap((s) => planProbes(vantage, [source], { tcp: s.protocol === 'tcp' ? [s.port] : [], udp: s.protocol === 'udp' ? [s.port] : [] }, { sourcePorts: [0] })),
      ),
  );
}

export interface ReachabilitySteps {
  /** Sends the probes; `flushAfter`: each sending host flushes its neighbour caches in the same exec. */
  send: (probes: readonly Probe[], flushAfter: boolean) => Promise<ProbeOutcome[]>;
  /** What the listeners logged so far (the target's and every host behind it). */
  received: () => Promise<Received[]>;
  /** Flushes the neighbour caches of every lab host except the vantages named (they flushed already). */
  flush: (except: ReadonlySet<Vantage>) => Promise<void>;
  /** Waits before a retry. @default 250 ms */
  pause?: () => Promise<void>;
}

/** @throws LabSelfCheckError when a client did not reach its service in three tries. */
export async function checkReachability(probes: readonly Probe[], steps: ReachabilitySteps): Promise<void> {
  if (probes.length === 0) return;
  // This check teaches both hosts each other's link-layer addresses; an attacker starts without them. A
  // ruleset that drops neighbour discovery must be judged from cold caches, as nmap's own scans are: each
  // sending host flushes its own caches after, and every other host (a vantage with no probe, a host
  // behind the target, which learnt the target's address too) is flushed here. So is the target, even when
  // it sent loopback clients: its own flush can run while a peer's clients still reach it, and an entry it
  // learns then is confirmed seconds later by a neighbour solicitation that teaches the peer its address.
  const outcomes = await steps.send(probes, true);
  await steps.flush(new Set(probes.map((p) => p.vantage).filter((v) => v !== LOOPBACK)));
  // A lab that has just been wired up may lose a first packet: a client that did not get through is asked
  // twice more before the lab is called broken. This only decides whether the lab works, never a verdict.
  const byId = new Map(probes.map((p) => [p.id, p]));
  const stillFailing = async (list: ProbeOutcome[]) => failing(list, byId, list.some((o) => byId.get(o.id)?.protocol === 'udp' && o.result !== 'answered') ? await steps.received() : []);
  let failed = await stillFailing(outcomes);
  for (let attempt = 0; attempt < 2 && failed.length > 0; attempt++) {
    await (steps.pause ?? (() => new Promise((resolve) => setTimeout(resolve, 250))))();
    const again = new Set(failed.map((o) => o.id));
    failed = await stillFailing(
      await steps.send(
        probes.filter((p) => again.has(p.id)),
        false,
      ),
    );
    await steps.flush(new Set());
  }
  if (failed.length > 0) {
    throw new LabSelfCheckError(
      `Before any ruleset, these clients did not reach their service (three tries): ${failed.map((o) => `${o.id} ${o.result}${o.errno ? ` (${o.errno})` : ''}`).join(', ')}. ` +
        'The lab network or the listener is broken, not the firewall: nothing scanned later could be trusted.',
    );
  }
}

/**
 * The outcomes whose probe did not get through. A datagram may get no answer on its socket and still
 * arrive: sent to a broadcast, multicast or spoofed address, or to another of the target's addresses (the
 * answer leaves from the outgoing interface's address). The listener's own log is the witness; for one-way
 * shapes only the target's log counts.
 */
export function failing(list: readonly ProbeOutcome[], byId: ReadonlyMap<string, Probe>, received: readonly Received[]): ProbeOutcome[] {
  const logged = new Map<string, Set<string>>();
  for (const r of received) if (r.data) logged.set(r.data, (logged.get(r.data) ?? new Set()).add(r.host ?? 'target'));
  return list.filter((o) => {
    const probe = byId.get(o.id)!;
    if (probe.protocol === 'tcp') return o.result !== 'connected';
    const oneWay = isOneWay(probe.source.shape);
    if (o.result === 'answered' && !oneWay) return false;
    const by = logged.get(o.token ?? '');
    return !by || (oneWay && !by.has('target'));
  });
}

/**
 * The shapes that must reach every service before any ruleset. The others (IPv4 and joined multicast
 * groups, solicited-node and all-routers groups, anycast, the target's own addresses as source) depend on
 * the listener's socket family (224.0.0.1 reaches an AF_INET socket, not a dual-stack one) or on the
 * kernel's state: they only ever add evidence of exposure, and never back a "not open" alone.
 */
export function mustReach(shape: SourceShape): boolean {
  if (shape.kind === 'multicast') return shape.group === 'ff02::1';
  return shape.kind !== 'anycast' && shape.kind !== 'spoof-own';
}

/** Whether a service bound to `bind` can be reached at `target` over `family`. */
export function reachable(bind: string, family: Family, target: string): boolean {
  if (bind === 'any') return true;
  if (bind === 'any4') return family === 'ipv4';
  if (bind === 'any6') return family === 'ipv6';
  return bind === target;
}

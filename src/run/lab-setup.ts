/**
 * The lab a scenario runs in: the target and (for the peer vantage) a peer on two internal networks — the
 * private lab network and an outside network with public-looking documentation addresses — and the
 * sources each vantage probes from. The scope guard learns exactly these target addresses.
 */
import { FwprobeContainer, type StartedFwprobeContainer } from '../lab/container.ts';
import type { Disposer } from '../lab/disposer.ts';
import { LabNetwork } from '../lab/network.ts';
import type { Bounds } from '../model/bounds.ts';
import { FAMILIES } from '../model/observation.ts';
import type { Scenario } from '../model/scenario.ts';
import type { ProbeSource } from '../scan/probe/plan.ts';
import { LabScope } from '../scan/scope.ts';

export interface Lab {
  target: StartedFwprobeContainer;
  peer: StartedFwprobeContainer | null;
  scope: LabScope;
  /** Client probe sources per vantage. */
  sources: { loopback: ProbeSource[]; peer: ProbeSource[] };
  /** Every address the peer sends from: the target must have a route back to each. */
  peerAddresses: string[];
}

type Phase = <T>(name: string, work: () => Promise<T>) => Promise<T>;

export async function startLab(scenario: Scenario, image: string, bounds: Bounds, lab: Disposer, phase: Phase): Promise<Lab> {
  const needsPeer = scenario.vantages.includes('peer');
  const needsOutside = needsPeer && scenario.sources.peer.includes('public');
  const [network, outside] = needsPeer
    ? await phase('network', () => together(lab, [LabNetwork.create('lab'), needsOutside ? LabNetwork.create('outside', scenario.sources.outside) : null]))
    : [null, null];
  const targetBuilder = new FwprobeContainer(image).withBounds(bounds).withServices(scenario.services).withBackend(scenario.backend);
  if (network) targetBuilder.withLabNetwork(network);
  const peerBuilder = network ? new FwprobeContainer(image).withBounds(bounds).withLabNetwork(network) : null;
  const [target, peer] = await phase('containers', async () => {
    const settled = await Promise.allSettled([targetBuilder.start(), peerBuilder?.start() ?? Promise.resolve(null)]);
    // Whatever started is registered for removal (both at once) before a failure of the other is rethrown.
    const started = settled.flatMap((o) => (o.status === 'fulfilled' && o.value ? [o.value] : []));
    lab.use({ [Symbol.asyncDispose]: () => Promise.all(started.map((c) => c.remove())).then(() => {}) });
    for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
    const [t, p] = settled.map((o) => (o.status === 'fulfilled' ? o.value : null));
    if (outside && p) await Promise.all([t, p].map((c) => outside.connect(c!.getId())));
    return [t, p] as [StartedFwprobeContainer, StartedFwprobeContainer | null];
  });
  const scope = new LabScope();
  const loopback: ProbeSource[] = [
    { kind: 'loopback', family: 'ipv4', address: '127.0.0.1', target: '127.0.0.1' },
    { kind: 'loopback', family: 'ipv6', address: '::1', target: '::1' },
  ];
  if (!peer || !network) return { target, peer, scope, sources: { loopback, peer: [] }, peerAddresses: [] };
  const [targetLab, peerLab, targetOut, peerOut] = await Promise.all([
    target.addressesOn(network),
    peer.addressesOn(network),
    outside ? target.addressesOn(outside) : null,
    outside ? peer.addressesOn(outside) : null,
  ]);
  const peerSources: ProbeSource[] = [];
  for (const family of FAMILIES) {
    scope.allowLabAddress(targetLab[family], family);
    if (scenario.sources.peer.includes('lab')) {
      peerSources.push({ kind: 'lab', family, address: peerLab[family], target: targetLab[family] });
    }
    if (targetOut && peerOut) {
      scope.allowLabAddress(targetOut[family], family);
      peerSources.push({ kind: 'public', family, address: peerOut[family], target: targetOut[family] });
    }
  }
  const peerAddresses = [peerLab, peerOut].flatMap((a) => (a ? Object.values(a) : []));
  return { target, peer, scope, sources: { loopback, peer: peerSources }, peerAddresses };
}

/**
 * Creates resources side by side and registers whatever was created as one group, removed side by side
 * too, before a failure of another is rethrown.
 */
async function together<T extends AsyncDisposable>(lab: Disposer, creating: (Promise<T> | null)[]): Promise<(T | null)[]> {
  const settled = await Promise.allSettled(creating.map((p) => p ?? Promise.resolve(null)));
  const made = settled.flatMap((o) => (o.status === 'fulfilled' && o.value ? [o.value] : []));
  lab.use({ [Symbol.asyncDispose]: () => Promise.all(made.map((r) => r[Symbol.asyncDispose]())).then(() => {}) });
  for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
  return settled.map((o) => (o.status === 'fulfilled' ? o.value : null));
}

/**
 * Real client probes, as an attacker would send them: for each port of interest, a kernel connect() (TCP)
 * or a datagram the listener logs (UDP), from every source address and source port the vantage has. They
 * back a "not open" verdict with evidence that one scanner shape (random source port, one private address,
 * nmap's raw SYN) cannot give.
 */
import { createHash } from 'node:crypto';
import type { Family, Protocol, Vantage } from '../../model/observation.ts';
import { DEFAULT_SOURCES } from '../../model/scenario.ts';
import { isOneWay, type ProbeSource } from './shapes/shape.ts';
import type { PacketVariant } from './variants.ts';

export type { ProbeSource } from './shapes/shape.ts';

export interface Probe {
  id: string;
  vantage: Vantage;
  host?: string;
  family: Family;
  protocol: Protocol;
  port: number;
  source: ProbeSource;
  sourcePort: number;
  /** A packet shape other than the kernel's plain one (variants.ts); part of the id. @default none */
  variant?: PacketVariant;
}

/** Every source × source port × protocol × port of interest, with an id the probe tool echoes back. */
export function planProbes(
  vantage: Vantage,
  sources: readonly ProbeSource[],
  ports: Record<Protocol, readonly number[]>,
  options: { sourcePorts?: readonly number[]; busy?: ReadonlySet<string> } = {},
): Probe[] {
  const probes: Probe[] = [];
  for (const source of sources) {
    for (const protocol of isOneWay(source.shape) ? (['udp'] as const) : (['tcp', 'udp'] as const)) {
      for (const port of ports[protocol]) {
        for (const sourcePort of options.sourcePorts ?? DEFAULT_SOURCES.ports) {
          // A port the scanning host itself listens on cannot be a client's source port there (EADDRINUSE),
          // and a probe to itself would only talk to itself.
          if (sourcePort !== 0 && options.busy?.has(`${protocol}/${sourcePort}`)) continue;
          if (source.kind === 'loopback' && sourcePort === port) continue;
          const id = probeId([vantage, source.host ?? 'target', source.family === 'ipv4' ? '4' : '6', source.network, protocol, port, sourcePort].join('.'));
          probes.push({ id, vantage, ...(source.host ? { host: source.host } : {}), family: source.family, protocol, port, source, sourcePort });
        }
      }
    }
  }
  return probes;
}

/** What `fwprobe-probe` takes as an id (its own check): readable where it fits, else a prefix and a hash. */
const PROBE_ID = /^[A-Za-z0-9._:@/+=][A-Za-z0-9._:@/+=-]{0,47}$/;

export function probeId(readable: string): string {
  if (PROBE_ID.test(readable)) return readable;
  const hash = createHash('sha256').update(readable).digest('hex').slice(0, 10);
  return `${readable.replace(/[^A-Za-z0-9._:@/+=-]/g, '_').slice(0, 37)}=${hash}`;
}

/** `fwprobe-probe` arguments: one `ID,PROTO,DST,PORT,SRC,SPORT[,VARIANT]` per probe. */
export function probeCommand(probes: readonly Probe[], timeoutMs: number, parallel: number, nonce?: string): string[] {
  return [
    'fwprobe-probe',
    '--timeout',
    String(timeoutMs),
    '--parallel',
    String(parallel),
    // A nonce per call makes every UDP token unique, so an earlier call's datagrams never count now.
    ...(nonce ? ['--nonce', nonce] : []),
    ...probes.map((p) => [p.id, p.protocol, p.source.target, p.port, p.source.address, p.sourcePort, ...(p.variant ? [p.variant] : [])].join(',')),
  ];
}

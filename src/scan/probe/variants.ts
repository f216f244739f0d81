/**
 * Packet shapes the clients add to the kernel's plain connect() and datagram. A rule keyed on the exact
 * form of a header (`ip6 nexthdr tcp`, `--tcp-flags ALL SYN`, `tcp flags == syn`) lets a packet of another
 * form that any client can send pass it: an IPv6 Destination Options or Hop-by-Hop header in front of the
 * TCP or UDP header, a SYN that also carries ECE|CWR (a client with `net.ipv4.tcp_ecn=1`) or PSH. Each
 * variant is one more probe beside a plain one, sent by `fwprobe-probe` on an ordinary kernel socket, so
 * "connected" or a logged datagram means exactly what it means for the plain probe.
 */
import type { Probe } from './plan.ts';
import { probeId } from './plan.ts';
import { isOneWay } from './shapes/shape.ts';

/** `fwprobe-probe`'s VARIANT field (containers/target/probe.pl). */
export type PacketVariant = 'dstopts' | 'hbh' | 'ecn' | 'psh';

export const PACKET_VARIANTS: readonly PacketVariant[] = ['dstopts', 'hbh', 'ecn', 'psh'];

/** How a variant reads in a reason or a report: `connect() from [fd00::3]:random with …`. */
export const VARIANT_LABELS: Readonly<Record<PacketVariant, string>> = {
  dstopts: 'with an IPv6 Destination Options header',
  hbh: 'with an IPv6 Hop-by-Hop Options header',
  ecn: 'with a SYN|ECE|CWR (ECN) SYN',
  psh: 'with a SYN|PSH SYN',
};

/** The variant of `probe`, or null where the shape does not exist for its family or protocol. */
export type VariantGenerator = (probe: Probe) => Probe | null;

/** An IPv6 extension header (TCP and UDP alike): the sticky socket option needs CAP_NET_RAW, which every lab host has. */
const extensionHeader =
  (variant: 'dstopts' | 'hbh'): VariantGenerator =>
  (probe) =>
    probe.family === 'ipv6' ? variantOf(probe, variant) : null;

/**
 * A SYN with other flags: `fwprobe-probe` rewrites them with an nft table in the namespace it runs in. From
 * loopback that namespace is the target's, whose ruleset is the one under test and must not change while it
 * is scanned: peers only.
 */
const synFlags =
  (variant: 'ecn' | 'psh'): VariantGenerator =>
  (probe) =>
    probe.protocol === 'tcp' && probe.source.kind !== 'loopback' ? variantOf(probe, variant) : null;

export const GENERATORS: Readonly<Record<PacketVariant, VariantGenerator>> = {
  dstopts: extensionHeader('dstopts'),
  hbh: extensionHeader('hbh'),
  ecn: synFlags('ecn'),
  psh: synFlags('psh'),
};

/**
 * The plain probes, then each variant of one probe per source, protocol and port: the one with an
 * ephemeral source port, else the first planned. The variants are shapes of the packet, independent of the
 * source port, which the plain probes already vary; taking every source port again would multiply the
 * probes by the number of source ports (8 by default) for a rule that needs both a trusted source port and
 * an odd header, and a fixed source port would make the variant wait for the plain probe of the same
 * 4-tuple (`fwprobe-probe` runs those one after another). One-way sources (broadcast, multicast, spoofed)
 * get none: their datagrams are already an unusual shape, and only the listener log witnesses them.
 */
export function withVariants(probes: readonly Probe[], generators: Readonly<Record<PacketVariant, VariantGenerator>> = GENERATORS): Probe[] {
  const chosen = new Map<string, Probe>();
  for (const probe of probes) {
    if (probe.variant || isOneWay(probe.source.shape)) continue;
    const k = [probe.vantage, probe.host ?? '', probe.source.network, probe.family, probe.source.address, probe.source.target, probe.protocol, probe.port].join('|');
    const seen = chosen.get(k);
    if (!seen || (seen.sourcePort !== 0 && probe.sourcePort === 0)) chosen.set(k, probe);
  }
  const variants = [...chosen.values()].flatMap((probe) => PACKET_VARIANTS.flatMap((v) => generators[v](probe) ?? []));
  return [...probes, ...variants];
}

function variantOf(probe: Probe, variant: PacketVariant): Probe {
  return { ...probe, id: probeId(`${probe.id}.${variant}`), variant };
}

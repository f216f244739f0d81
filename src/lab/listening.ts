/**
 * What `ss` says is listening, compared with the services a scenario declares.
 */
import type { Protocol } from '../model/observation.ts';
import type { ServiceSpec } from '../model/scenario.ts';

/** One listening socket as `ss -Hln` prints it: local address and port. */
export interface ListeningSocket {
  protocol: Protocol;
  address: string;
  port: number;
}

/** `ss` listing every listening TCP and UDP socket, numeric, without a header. */
export const SS_COMMAND = ['ss', '-Hlntu'];

/**
 * Parses `ss -Hlntu` output (Netid State Recv-Q Send-Q Local Peer). Lines it cannot read are skipped:
 * they are not ours.
 */
export function parseSsListening(stdout: string): ListeningSocket[] {
  const sockets: ListeningSocket[] = [];
  for (const line of stdout.split('\n')) {
    const [netid, , , , local] = line.trim().split(/\s+/);
    const match = local ? /^(.*):(\d+)$/.exec(local) : null;
    if ((netid !== 'tcp' && netid !== 'udp') || !match?.[1] || !match[2]) continue;
    sockets.push({ protocol: netid, address: match[1].replace(/%\S+$/, ''), port: Number(match[2]) });
  }
  return sockets;
}

/** The `fwprobe-listener` argument for a service. */
export function listenerSpec(service: ServiceSpec): string {
  return `${service.protocol}:${service.port}:${service.bind}`;
}

/** Services with no socket that serves their declared families and address. */
export function missingServices(services: readonly ServiceSpec[], sockets: ListeningSocket[]): ServiceSpec[] {
  return services.filter((service) => !isServed(service, sockets));
}

function isServed(service: ServiceSpec, sockets: ListeningSocket[]): boolean {
  const addresses = new Set(sockets.filter((s) => s.protocol === service.protocol && s.port === service.port).map((s) => s.address));
  // A dual-stack socket (IPV6_V6ONLY=0) shows as `*`.
  switch (service.bind) {
    case 'any':
      return addresses.has('*') || (addresses.has('0.0.0.0') && addresses.has('[::]'));
    case 'any4':
      return addresses.has('0.0.0.0') || addresses.has('*');
    case 'any6':
      return addresses.has('[::]') || addresses.has('*');
    default:
      return addresses.has(service.bind) || addresses.has(`[${service.bind}]`);
  }
}

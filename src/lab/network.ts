/**
 * The lab network: an internal dual-stack Docker network with no route out, created through dockerode
 * (testcontainers cannot do IPv6).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { getDocker } from './docker.ts';
import { DockerUnavailableError } from '../model/errors.ts';
import { creation, removeNetwork, RUN_ID, runLabels, trackNetwork } from './cleanup.ts';

/** IPv4 /24s are drawn from this /16; a clash with an existing network is retried with another. */
const IPV4_POOL_PREFIX = '10.213';
const CREATE_ATTEMPTS = 8;
/**
 * The outside network looks like the internet: /28s of TEST-NET-2 and TEST-NET-3 (32 of them, so concurrent
 * scenarios rarely clash) and /64s of 3fff::/20 (RFC 9637), all documentation ranges routed nowhere, and
 * internal like the lab. TEST-NET-1 (192.0.2.0/24) and 2001:db8::/32 are never used, so scenarios can name
 * them as "partner" nets that no fwprobe source belongs to.
 */
const OUTSIDE_V4 = ['198.51.100', '203.0.113'];

/** `lab`: private addresses (10.213.x.0/24, a ULA /64). `outside`: public-looking documentation ranges. */
export type NetworkKind = 'lab' | 'outside';

function subnets(kind: NetworkKind): { ipv4Subnet: string; ipv6Subnet: string } {
  if (kind === 'lab') return { ipv4Subnet: `${IPV4_POOL_PREFIX}.${randomInt(1, 255)}.0/24`, ipv6Subnet: `${randomUla()}::/64` };
  const group = () => randomInt(0, 0x10000).toString(16);
  return {
    ipv4Subnet: `${OUTSIDE_V4[randomInt(0, OUTSIDE_V4.length)]}.${randomInt(0, 16) * 16}/28`,
    ipv6Subnet: `3fff:${randomInt(0, 0x1000).toString(16)}:${group()}:${group()}::/64`,
  };
}

/**
 * An internal, dual-stack Docker network made for one scenario: no route out (`Internal`), an IPv4 /24 and
 * an IPv6 ULA /64 chosen at random. testcontainers' `Network` cannot enable IPv6, hence dockerode.
 */
export class LabNetwork implements AsyncDisposable {
  constructor(
    readonly id: string,
    readonly name: string,
    readonly ipv4Subnet: string,
    readonly ipv6Subnet: string,
  ) {}

  /**
   * @param fixed - Subnets the scenario chose; a clash with another network is then an error, not a retry.
   */
  static async create(kind: NetworkKind = 'lab', fixed: { ipv4: string | null; ipv6: string | null } = { ipv4: null, ipv6: null }): Promise<LabNetwork> {
    let lastError: unknown;
    for (let attempt = 0; attempt < CREATE_ATTEMPTS * (kind === 'outside' ? 2 : 1); attempt++) {
      const drawn = subnets(kind);
      const ipv4Subnet = fixed.ipv4 ?? drawn.ipv4Subnet;
      const ipv6Subnet = fixed.ipv6 ?? drawn.ipv6Subnet;
      const name = `fwprobe-${RUN_ID}-${kind === 'outside' ? 'out-' : ''}${randomBytes(3).toString('hex')}`;
      try {
        const network = await creation(() => getDocker().createNetwork({
          Name: name,
          Driver: 'bridge',
          Internal: true,
          EnableIPv6: true,
          CheckDuplicate: true,
          IPAM: { Driver: 'default', Config: [{ Subnet: ipv4Subnet }, { Subnet: ipv6Subnet }] },
          Labels: runLabels(),
        }));
        trackNetwork(network.id);
        return new LabNetwork(network.id, name, ipv4Subnet, ipv6Subnet);
      } catch (error) {
        lastError = error;
        // An overlapping pool is expected now and then on a busy engine: try another subnet.
        if (!/overlap|already/i.test(String(error)) || (fixed.ipv4 && fixed.ipv6)) break;
      }
    }
    throw new DockerUnavailableError(`Could not create a dual-stack lab network: ${String(lastError)}`, {
      cause: lastError,
    });
  }

  /** Attaches a running container (as its next interface, eth1 after eth0). */
  async connect(containerId: string): Promise<void> {
    await getDocker().getNetwork(this.id).connect({ Container: containerId });
  }

  async remove(): Promise<void> {
    await removeNetwork(this.id);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.remove();
  }
}

/** A random fdXX:XXXX:XXXX:XXXX prefix (RFC 4193: fd00::/8 plus 40 random bits plus a subnet id). */
function randomUla(): string {
  const bytes = randomBytes(7);
  bytes[0] = 0xfd;
  const groups: string[] = [];
  for (let i = 0; i < 6; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  groups.push(bytes[6]!.toString(16));
  return groups.join(':');
}

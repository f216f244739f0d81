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

  static async create(): Promise<LabNetwork> {
    let lastError: unknown;
    for (let attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
      const ipv4Subnet = `${IPV4_POOL_PREFIX}.${randomInt(1, 255)}.0/24`;
      const ipv6Subnet = `${randomUla()}::/64`;
      const name = `fwprobe-${RUN_ID}-${randomBytes(3).toString('hex')}`;
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
        if (!/overlap|already/i.test(String(error))) break;
      }
    }
    throw new DockerUnavailableError(`Could not create a dual-stack lab network: ${String(lastError)}`, {
      cause: lastError,
    });
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

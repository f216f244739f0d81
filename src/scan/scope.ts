/**
 * The scope guard: nmap may only target loopback or this run's lab containers; anything else is refused
 * before nmap runs.
 */
import { canonicalIp, ipVersion } from '../model/ip.ts';
import { OutOfScopeTargetError } from '../model/errors.ts';
import type { Family, Vantage } from '../model/observation.ts';

const LOOPBACK: Record<Family, string> = { ipv4: '127.0.0.1', ipv6: '::1' };

/**
 * The addresses fwprobe may scan: loopback inside its own containers, and the addresses of containers
 * this run created on its own internal lab networks. Everything else is refused before nmap runs, so a
 * bug or a hostile scenario file cannot turn fwprobe into a scanner of someone else's network.
 */
export class LabScope {
  readonly #peerTargets = new Map<string, Family>();

  /** Registers an address of a container this run created on one of its internal networks. */
  allowLabAddress(address: string, family: Family): void {
    if (ipVersion(address) !== (family === 'ipv4' ? 4 : 6)) {
      throw new OutOfScopeTargetError(`Not an ${family} address: ${JSON.stringify(address)}`);
    }
    this.#peerTargets.set(canonicalIp(address), family);
  }

  /** Throws OutOfScopeTargetError unless `target` may be scanned from `vantage` over `family`. */
  assertAllowed(target: string, vantage: Vantage, family: Family): void {
    if (vantage === 'loopback') {
      if (canonicalIp(target) === LOOPBACK[family]) return;
      throw new OutOfScopeTargetError(`Refusing to scan ${target} from the loopback vantage: only ${LOOPBACK[family]} is allowed for ${family} ` + 'inside the target container.');
    }
    if (this.#peerTargets.get(canonicalIp(target)) === family) return;
    throw new OutOfScopeTargetError(
      `Refusing to scan ${target} (${family}) from the peer vantage: it is not the address of a container ` +
        `this run created on its own lab network. Allowed: ${[...this.#peerTargets.keys()].join(', ') || 'none'}.`,
    );
  }
}

export function loopbackAddress(family: Family): string {
  return LOOPBACK[family];
}

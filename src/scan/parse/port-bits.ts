/**
 * A set of ports as a bitmap. A full sweep hands fwprobe ~65,000 ports several times over (nmap's scanned
 * list, its silent ports, each ledger set): a `Set<number>` of that size costs tens of milliseconds to build
 * and look up, a 64 KiB bitmap a fraction of one, and it iterates in port order for free.
 */
import { InternalError } from '../../model/errors.ts';
import { isValidPort, MAX_PORT, MIN_PORT } from '../../model/ports.ts';

/** Read-only membership of ports; a `ReadonlySet<number>` is one too. */
export interface PortLookup extends Iterable<number> {
  has(port: number): boolean;
  readonly size: number;
}

export class PortBits implements PortLookup {
  readonly #bits = new Uint8Array(MAX_PORT + 1);
  #size = 0;

  /** @throws InternalError for a value that is not a port: callers check what they read first. */
  static of(ports: Iterable<number>): PortBits {
    const bits = new PortBits();
    for (const port of ports) bits.add(port);
    return bits;
  }

  /** @throws InternalError for a value that is not a port. */
  add(port: number): void {
    if (!isValidPort(port)) throw new InternalError(`PortBits.add: ${port} is not a port`);
    if (this.#bits[port] === 0) this.#size++;
    this.#bits[port] = 1;
  }

  has(port: number): boolean {
    return this.#bits[port] === 1;
  }

  get size(): number {
    return this.#size;
  }

  /** Ascending. */
  *[Symbol.iterator](): IterableIterator<number> {
    if (this.#size === 0) return;
    for (let port = MIN_PORT; port <= MAX_PORT; port++) if (this.#bits[port] === 1) yield port;
  }

  /** Ascending, as an array (faster than spreading the iterator). */
  toArray(): number[] {
    const ports = new Array<number>(this.#size);
    let i = 0;
    for (let port = MIN_PORT; i < this.#size; port++) if (this.#bits[port] === 1) ports[i++] = port;
    return ports;
  }
}

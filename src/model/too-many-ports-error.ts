/**
 * A scenario whose expectations name more ports than fwprobe backs with real clients: every named port is
 * probed, or the run stops here, never dropping the backing of some of them silently.
 */
import { FwprobeError } from './errors.ts';

export class TooManyPortsError extends FwprobeError {
  declare readonly code: 'TOO_MANY_PORTS';
  constructor(message: string) {
    super('TOO_MANY_PORTS', message);
  }
}

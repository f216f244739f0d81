/** Errors of a run as a whole rather than of one stage: a bound that passed, a signal that stopped it. */
import { coded, FwprobeError, type ErrorOptions } from './base.ts';

/** A step took longer than its bound. Names the phase, the bound and the option that sets it. */
export class TimeoutError extends FwprobeError {
  static readonly code = 'TIMEOUT';
  declare readonly code: 'TIMEOUT';
  readonly phase: string;
  readonly ms: number;

  constructor(phase: string, ms: number, option: string, options?: ErrorOptions) {
    super('TIMEOUT', `${phase} did not finish within ${ms} ms (the bound set by ${option}); it was stopped.`, options);
    this.phase = phase;
    this.ms = ms;
  }
}

/** SIGINT or SIGTERM: the scenario stopped where it was. */
export class InterruptedError extends coded('INTERRUPTED') {}

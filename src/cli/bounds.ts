/**
 * `--bound NAME=SECONDS`, repeatable: the user's overrides of fwprobe's step bounds, checked before any
 * container starts.
 */
import { BOUND_NAMES, DEFAULT_BOUNDS, type Bounds } from '../model/bounds.ts';
import { UsageError } from '../model/errors.ts';

export function parseBoundOptions(values: readonly string[]): Partial<Bounds> {
  const out: Partial<Bounds> = {};
  for (const value of values) {
    const match = /^([a-zA-Z]+)=(\d+(?:\.\d+)?)$/.exec(value);
    const name = match?.[1] as keyof Bounds | undefined;
    if (!match || !name || !BOUND_NAMES.includes(name)) {
      throw new UsageError(`--bound expects NAME=SECONDS with NAME one of ${BOUND_NAMES.join(', ')}, got ${JSON.stringify(value)}.`);
    }
    const ms = Math.round(Number(match[2]) * 1000);
    if (ms < 1000 || ms > 24 * 3600 * 1000) throw new UsageError(`--bound ${name} must be between 1 and 86400 seconds, got ${match[2]}.`);
    out[name] = ms;
  }
  return out;
}

/** The bounds and their defaults, for --help. */
export function boundsHelp(): string {
  return BOUND_NAMES.map((name) => `${name}=${DEFAULT_BOUNDS[name] / 1000}`).join(', ');
}

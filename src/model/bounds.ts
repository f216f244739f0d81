/**
 * Every step fwprobe takes has a bound: a hung script, nmap run, docker call or cleanup must end the
 * scenario in an error that names the step and its bound, never hang the user's CI job. One table of
 * defaults, overridable per run (`fwprobe run --bound NAME=SECONDS`, or `bounds` in the run options).
 */

/** Bounds in milliseconds. */
export interface Bounds {
  /** Building the target image (debootstrap base included). @default 1_200_000 (20 min) */
  imageBuild: number;
  /** Creating and starting one container. @default 60_000 */
  containerStart: number;
  /** Any single command run in a container that has no bound of its own. @default 30_000 */
  exec: number;
  /** The user's ruleset script, as a whole. @default 60_000 */
  script: number;
  /** One nmap run. @default 300_000 */
  scan: number;
  /** One batch of confirmation probes (real client connections). @default 60_000 */
  confirm: number;
  /** Removing one scenario's containers and network. @default 60_000 */
  cleanup: number;
}

export const DEFAULT_BOUNDS: Readonly<Bounds> = {
  imageBuild: 1_200_000,
  containerStart: 60_000,
  exec: 30_000,
  script: 60_000,
  scan: 300_000,
  confirm: 60_000,
  cleanup: 60_000,
};

export const BOUND_NAMES = Object.keys(DEFAULT_BOUNDS) as (keyof Bounds)[];

/** The defaults with the given overrides. */
export function resolveBounds(overrides: Partial<Bounds> = {}): Bounds {
  return { ...DEFAULT_BOUNDS, ...overrides };
}

/** What a user types to change a bound, for error messages: `--bound script=SECONDS`. */
export function boundOption(name: keyof Bounds): string {
  return `--bound ${name}=SECONDS (default ${DEFAULT_BOUNDS[name] / 1000} s)`;
}

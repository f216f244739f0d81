/**
 * Small files written by a step of the batch that uses them, instead of a copy through the engine first:
 * a copy is a round trip of its own (~100 ms), and a ruleset is usually a few kilobytes. The text travels as
 * one argv entry (no shell parses it); what argv cannot carry goes by copy as before.
 */
import type { StartedFwprobeContainer } from './container.ts';

/** One file to place in a container, as `copyContentToContainer` takes it. */
export interface StagedFile {
  content: string;
  target: string;
  mode: number;
}

// Linux refuses a single argument over 128 KiB (MAX_ARG_STRLEN); the whole exec stays far below ARG_MAX.
const MAX_FILE_BYTES = 64 * 1024;
const MAX_TOTAL_BYTES = 256 * 1024;

// umask first: the file is never readable by others, even for a moment; printf adds nothing to the text.
const WRITE = 'umask 077 && mkdir -p -- "$(dirname -- "$1")" && printf %s "$2" > "$1" && chmod "$3" -- "$1"';

/**
 * The batch steps that write `files`, or null when any of them cannot travel as an argument (too large, or a
 * NUL byte, which argv cannot hold): the caller then copies them.
 */
export function stageSteps(files: readonly StagedFile[]): string[][] | null {
  const sizes = files.map((f) => Buffer.byteLength(f.content));
  if (sizes.some((n) => n > MAX_FILE_BYTES) || sizes.reduce((a, b) => a + b, 0) > MAX_TOTAL_BYTES) return null;
  if (files.some((f) => f.content.includes('\0'))) return null;
  return files.map((f) => ['sh', '-c', WRITE, 'fwprobe-stage', f.target, f.content, f.mode.toString(8)]);
}

/** Copies `files` now unless they can be staged; returns the steps to run first in the batch that uses them. */
export async function stageOrCopy(host: StartedFwprobeContainer, files: readonly StagedFile[]): Promise<string[][]> {
  if (files.length === 0) return [];
  const steps = stageSteps(files);
  if (steps) return steps;
  await host.copyContentToContainer([...files]);
  return [];
}

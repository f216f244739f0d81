/**
 * Reads a user's file with a size limit, so that a scenario naming a huge file (or `/dev/zero`, or a FIFO
 * that never ends) is a clear error naming the file and the limit, not a process that runs out of memory
 * or hangs before anything starts.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/** A scenario file describes services and expectations: a megabyte is far beyond any real one. */
export const MAX_SCENARIO_FILE_BYTES = 1024 * 1024;

/** A ruleset, policy or script file: the biggest real iptables-save exports are well below this. */
export const MAX_REFERENCED_FILE_BYTES = 4 * 1024 * 1024;

const CHUNK_BYTES = 64 * 1024;

/** Why a file was not read; `reason` is a phrase that follows "found" or a colon ("no such file"). */
export type ReadProblem = { kind: 'missing' | 'denied' | 'directory' | 'not-a-file' | 'unreadable'; reason: string } | { kind: 'too-large'; reason: string; bytes: number; limit: number };

/**
 * Reads `path` as UTF-8 if it is a regular file of at most `maxBytes`. Never reads more than one byte past
 * the limit, whatever the file claims its size is (files in /proc claim 0).
 */
export async function readTextFile(path: string, maxBytes: number): Promise<{ text: string } | { problem: ReadProblem }> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer, forever.
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { problem: describeOpenError(error) };
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) return { problem: { kind: 'directory', reason: 'a directory, not a file' } };
    if (!info.isFile()) return { problem: { kind: 'not-a-file', reason: 'not a regular file (a device, FIFO or socket)' } };
    if (info.size > maxBytes) return { problem: tooLarge(info.size, maxBytes, true) };
    const chunks: Buffer[] = [];
    let length = 0;
    while (length <= maxBytes) {
      const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, maxBytes + 1 - length));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      length += bytesRead;
    }
    // The file grew while being read, or claims a size it does not have: only "above the limit" is known.
    if (length > maxBytes) return { problem: tooLarge(length, maxBytes, false) };
    return { text: Buffer.concat(chunks, length).toString('utf8') };
  } catch (error) {
    return { problem: describeOpenError(error) };
  } finally {
    await handle.close();
  }
}

/** `1.5 MiB`, `512 KiB`, `12 bytes`: sizes as a person reads them. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${trim(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${trim(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

function trim(n: number): string {
  return n.toFixed(1).replace(/\.0$/, '');
}

/** @param exact - Whether `bytes` is the file's size, or only how much was read before giving up. */
function tooLarge(bytes: number, limit: number, exact: boolean): ReadProblem {
  const readable = formatBytes(bytes) !== formatBytes(limit);
  // "4 MiB, above the 4 MiB limit" would read as a contradiction: then the sizes are given in bytes.
  const size = readable ? formatBytes(bytes) : `${bytes} bytes`;
  const max = readable ? formatBytes(limit) : `${limit}-byte`;
  const reason = exact ? `${size}, above the ${max} limit` : `more than the ${formatBytes(limit)} limit`;
  return { kind: 'too-large', bytes, limit, reason };
}

function describeOpenError(error: unknown): ReadProblem {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return { kind: 'missing', reason: 'no such file' };
  if (code === 'EISDIR') return { kind: 'directory', reason: 'a directory, not a file' };
  if (code === 'EACCES' || code === 'EPERM') return { kind: 'denied', reason: 'permission denied' };
  return { kind: 'unreadable', reason: code ?? (error instanceof Error ? error.message : String(error)) };
}

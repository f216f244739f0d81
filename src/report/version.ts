/**
 * fwprobe's own version, read once from its package.json: results.json, the HTML report, SARIF's tool
 * driver and `fwprobe --version` all say which fwprobe produced them.
 */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** The `version` of fwprobe's package.json, or `unknown` when it cannot be read. */
export function fwprobeVersion(): string {
  if (cached === undefined) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
      cached = typeof pkg.version === 'string' ? pkg.version : 'unknown';
    } catch {
      cached = 'unknown';
    }
  }
  return cached;
}

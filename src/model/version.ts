/**
 * fwprobe's own version, read once from its package.json: `fwprobe --version`, results.json, the HTML
 * report, SARIF's tool driver and exposure baselines all say which fwprobe produced them, so that a
 * comparison across versions can say so.
 */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    // An installed copy always has its package.json; a bundler that drops it should not break a run.
    return 'unknown';
  }
}

export const FWPROBE_VERSION: string = readVersion();

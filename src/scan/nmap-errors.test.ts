/** nmap failures name their cause: a command line the kernel refused is not an interrupted scan. */
import { describe, expect, it } from 'vitest';
import { nmapErrors } from './nmap-errors.ts';

const run = (stderr: string) => ({ command: ['nmap', '-p', '1-2'], exitCode: 1, stdout: '', stderr });

describe('nmapErrors.truncated', () => {
  it('says nmap never started when the kernel refused its argument list (E2BIG)', () => {
    const error = nmapErrors.truncated('stdout is empty', run('exec /usr/bin/timeout: argument list too long'));
    expect(error.code).toBe('NMAP_OUTPUT_TRUNCATED');
    expect(error.message).toContain('nmap never started: its command line was longer than the kernel allows (E2BIG)');
    expect(error.message).not.toContain('probably interrupted');
  });

  it('otherwise says the run was probably interrupted or timed out', () => {
    const error = nmapErrors.truncated('no </nmaprun>', run(''));
    expect(error.message).toContain('nmap was probably interrupted (exit 130 = SIGINT, 143 = SIGTERM) or timed out');
    expect(error.message).toContain('never read as "no open ports"');
  });
});

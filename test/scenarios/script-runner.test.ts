/**
 * A user's script must not be able to switch off fwprobe's failure detection by accident: `cmd || exit`,
 * its own ERR trap, `set -e`, or a last line that returns non-zero. Each case here once passed (or failed)
 * wrongly; see containers/target/run-script.sh.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, test } from 'vitest';
import { runScenarioFile } from '../../src/run/files.ts';

async function runScript(script: string, tolerate: { match: string; why: string }[] = []) {
  const dir = await mkdtemp(join(tmpdir(), 'fwprobe-script-'));
  await writeFile(join(dir, 'fw.sh'), script);
  await writeFile(
    join(dir, 's.scenario.yaml'),
    [
      'name: script runner case',
      'services: [22/tcp]',
      `ruleset: { script: fw.sh, tolerate: ${JSON.stringify(tolerate)} }`,
      'vantages: [loopback]',
      'expect: { loopback: { both: { tcp: { open: [22] } } } }',
    ].join('\n'),
  );
  return runScenarioFile(join(dir, 's.scenario.yaml'), { image: inject('fwprobeImage') });
}

const PROC_SYS = { match: '/proc/sys', why: 'read-only in an unprivileged container' };

describe.concurrent('script runner', () => {
  test('`cmd || exit` after a failure fails the scenario with that status', async () => {
    const result = await runScript('iptables -P INPUT ACCEPT\nip6tables -A NOSUCHCHAIN -j DROP || exit\nip6tables -P INPUT DROP\n');
    expect(result.status).toBe('error');
    expect(result.errorCode).toBe('RULESET_SCRIPT_FAILED');
    expect(result.error).toContain('exited with code 1');
  });

  test("the script's own ERR trap does not hide the failing line", async () => {
    const result = await runScript("trap 'echo user-handler >&2' ERR\niptables -A INPUT -i ! lo -j ACCEPT\niptables -P INPUT DROP\n");
    expect(result.status).toBe('error');
    expect(result.error).toContain('fw.sh:2: `iptables -A INPUT -i ! lo -j ACCEPT`');
    expect(result.error).toContain('the modern form is "! -i lo"');
  });

  test('`set -euo pipefail` does not stop a tolerated line, and a later failure is still caught', async () => {
    const ok = await runScript('set -euo pipefail\necho 1 > /proc/sys/net/ipv4/ip_forward\niptables -P INPUT ACCEPT\n', [PROC_SYS]);
    expect(ok.status, ok.error).toBe('passed');
    expect(ok.tolerated.map((t) => t.line)).toEqual([2]);
    const bad = await runScript('set -e\necho 1 > /proc/sys/net/ipv4/ip_forward\niptables -P NOSUCH DROP\nexit 0\n', [PROC_SYS]);
    expect(bad.status).toBe('error');
    expect(bad.error).toContain('fw.sh:3: `iptables -P NOSUCH DROP`');
  });

  test('the script sees no arguments, and a last line returning non-zero is reported as such', async () => {
    const result = await runScript('[ $# -eq 0 ] || exit 9\nX=\n[ -n "$X" ] && iptables -P INPUT DROP\n');
    expect(result.status).toBe('error');
    expect(result.error).toContain('ended with status 1: its last command list returned non-zero');
  });
});

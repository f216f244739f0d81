import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleText, V4_ONLY_HOST } from '../scenario/bundle/bundle.test-helpers.ts';
import { captureOutput } from './capture.test-helpers.ts';
import { main } from './main.ts';

const output = captureOutput();

describe('fwprobe collect and capture', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fwprobe-capture-cli-'));

  it('collect prints the sh script and nothing else', async () => {
    expect(await main(['collect'])).toBe(0);
    expect(output.out).toMatch(/^#!\/bin\/sh\n# fwprobe collect \(format fwprobe-bundle\/1\)/);
    await expect(main(['collect', 'extra'])).rejects.toThrow(/collect takes no arguments/);
  });

  it('capture writes the scenario and its ruleset, says what it did not reproduce and what to run next', async () => {
    const from = join(dir, 'web1.json');
    writeFileSync(from, bundleText(V4_ONLY_HOST));
    const out = join(dir, 'web1');
    expect(await main(['capture', '--from', from, '--out', out])).toBe(0);
    expect(readFileSync(join(out, 'host.scenario.yaml'), 'utf8')).toContain('name: captured web1');
    expect(readFileSync(join(out, 'host.rules.v4'), 'utf8')).toContain('--dport 22 -j ACCEPT');
    expect(output.out).toContain(`wrote ${join(out, 'host.scenario.yaml')} and 1 ruleset file(s)`);
    expect(output.out).toMatch(/note: tcp 198\.51\.100\.7:9090 is not reproduced/);
    expect(output.out).toContain('next: fwprobe run');
  });

  it('capture --anonymise writes no address or hostname of the bundle, and says so in its notes', async () => {
    const from = join(dir, 'web1.json');
    const out = join(dir, 'anon');
    expect(await main(['capture', '--from', from, '--out', out, '--anonymise'])).toBe(0);
    const yaml = readFileSync(join(out, 'host.scenario.yaml'), 'utf8') + readFileSync(join(out, 'host.rules.v4'), 'utf8');
    for (const original of ['web1', '192.0.2.10', '2001:db8:1::10', '10.1.2.3', '198.51.100.7']) expect(yaml).not.toContain(original);
    expect(yaml).toContain('# Captured by fwprobe capture from an anonymised bundle.');
    expect(output.out).toMatch(/note: addresses, the hostname and non-standard interface names are anonymised/);
    expect(output.out).not.toContain('web1');
  });

  it('a hostile bundle is refused with the field named, and nothing is written', async () => {
    const from = join(dir, 'evil.json');
    writeFileSync(from, bundleText({ ...V4_ONLY_HOST, ip_addr: JSON.stringify([{ ifname: 'eth0;reboot' }]) }));
    const out = join(dir, 'evil');
    await expect(main(['capture', '--from', from, '--out', out])).rejects.toThrow(/items\.ip_addr\[0\]\.ifname: expected an interface name/);
    expect(existsSync(out)).toBe(false);
  });

  // capture without --from runs the collect script on this machine: test/scenarios/capture.test.ts.
  it('capture without --out, or from a missing file, says what to give', async () => {
    await expect(main(['capture', '--from', join(dir, 'web1.json')])).rejects.toThrow(/capture needs --out DIR/);
    await expect(main(['capture', '--from', join(dir, 'nope.json'), '--out', dir])).rejects.toThrow(/nope\.json: cannot read the bundle/);
  });
});

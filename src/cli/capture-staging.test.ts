/**
 * Attack fixture for `fwprobe capture`: a bundle that passes the bundle checks but maps to a scenario the
 * loader refuses (two links named eth0; a "global" 127.0.5.1/24). Before, the refused scenario and its
 * ruleset file were left in --out; now the refusal says nothing was written and --out holds no file.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleText, V4_ONLY_HOST } from '../scenario/bundle/bundle.test-helpers.ts';
import { captureOutput } from './capture.test-helpers.ts';
import { main } from './main.ts';

captureOutput();

const link = (ifname: string, local: string) => ({ ifname, addr_info: [{ family: 'inet', local, prefixlen: 24, scope: 'global' }] });

describe('capture leaves no half-written folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fwprobe-capture-staging-'));
  it.each([
    ['two links of one name', [link('eth0', '192.0.2.10'), link('eth0', '10.5.0.1')], /target\.interfaces\[1\]\.name: expected each interface name once/],
    ['a loopback subnet on a link', [link('eth0', '127.0.5.1')], /networks\.eth0\.ipv4: expected a unicast subnet/],
  ])('%s: refused, naming the field, and --out stays empty', async (name, ipAddr, field) => {
    const from = join(dir, `${name.replace(/\W/g, '_')}.json`);
    writeFileSync(from, bundleText({ ...V4_ONLY_HOST, ip_addr: JSON.stringify(ipAddr) }));
    const out = join(dir, name.replace(/\W/g, '_'));
    const refused = main(['capture', '--from', from, '--out', out]);
    await expect(refused).rejects.toThrow(field);
    await expect(refused).rejects.toThrow(`nothing was written to ${out}`);
    expect(readdirSync(out)).toEqual([]);
  });
});

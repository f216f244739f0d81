/**
 * `fwprobe audit` without Docker: the engine and the runner are stand-ins that read the captured scenario
 * files they are given, so these tests see what audit captures, what it prints and answers, its exit code,
 * and that a bad bundle stops it before anything starts.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fixedResult, gapResult } from '../report/fixtures.test-helpers.ts';
import type { ScenarioResult } from '../report/result.ts';
import { bundleText, V4_ONLY_HOST } from '../scenario/bundle/bundle.test-helpers.ts';
import { runAudit } from './audit.ts';

const engine = vi.hoisted(() => ({ prepared: 0, files: [] as string[], yaml: [] as string[], fixed: false }));
vi.mock('../run/engine.ts', () => ({
  prepareEngine: async () => (engine.prepared++, 'fwprobe-target:test'),
  removeEverything: async () => {},
}));
vi.mock('../run/files.ts', () => ({
  runScenarioFiles: async (files: string[]) => {
    engine.files.push(...files);
    engine.yaml.push(...files.map((f) => readFileSync(f, 'utf8')));
    return files.map((file): ScenarioResult => ({ ...(engine.fixed ? fixedResult() : gapResult()), file }));
  },
}));

const stream = () => {
  const s = { text: '', isTTY: false, columns: 80, write: (t: string) => ((s.text += t), true) };
  return s;
};

describe('fwprobe audit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fwprobe-audit-cli-'));
  const reports = join(dir, 'reports');
  const kept: string[] = [];
  beforeEach(() => Object.assign(engine, { prepared: 0, files: [], yaml: [], fixed: false }));
  afterAll(() => {
    for (const d of [dir, ...kept]) rmSync(d, { recursive: true, force: true });
  });

  it('one bundle: differences first, the table, the sentence from the parity findings; exit 1; the temporary folder removed', async () => {
    const from = join(dir, 'web1.json');
    writeFileSync(from, bundleText(V4_ONLY_HOST));
    const [out, err] = [stream(), stream()];
    expect(await runAudit(['--from', from, '--report-dir', reports], { out, err })).toBe(1);
    expect(engine.files).toHaveLength(1);
    expect(engine.yaml[0]).toContain('name: captured web1');
    expect(existsSync(engine.files[0]!)).toBe(false);
    const text = out.text;
    expect(text.indexOf('IPv4/IPv6 differences (4):')).toBeLessThan(text.indexOf('loopback ipv4'));
    expect(text).toContain('    peer tcp/80: ipv4 filtered (no-response), ipv6 open (syn-ack)');
    expect(text).toContain('  note: tcp 198.51.100.7:9090 is not reproduced');
    expect(text).toMatch(/\nweb1: Open over IPv6 and not IPv4: tcp\/53 \(from peer: IPv4 filtered\), tcp\/80 \(from peer: IPv4 filtered\)\.\n/);
    expect(existsSync(join(reports, 'results.json'))).toBe(true);
  });

  it('a fleet folder: one scenario per bundle through one run, one line per host; exit 0 when IPv6 is filtered like IPv4; --keep keeps the folders', async () => {
    const fleet = join(dir, 'fleet');
    mkdirSync(fleet);
    writeFileSync(join(fleet, 'web1.json'), bundleText(V4_ONLY_HOST));
    writeFileSync(join(fleet, 'db1.json'), bundleText({ ...V4_ONLY_HOST, hostname: 'db1\n' }));
    writeFileSync(join(fleet, 'notes.txt'), 'not a bundle');
    engine.fixed = true;
    const [out, err] = [stream(), stream()];
    expect(await runAudit(['--from', fleet, '--report-dir', reports, '--keep', '-q'], { out, err })).toBe(0);
    expect(engine.prepared).toBe(1);
    expect(engine.files.map((f) => f.split('/').slice(-2).join('/'))).toEqual(['db1/host.scenario.yaml', 'web1/host.scenario.yaml']);
    expect(engine.files.every((f) => existsSync(f))).toBe(true);
    expect(err.text).toMatch(/kept the captured scenarios in .*fwprobe-audit-/);
    kept.push(err.text.replace(/^[\s\S]*kept the captured scenarios in (\S+)\n[\s\S]*$/, '$1'));
    expect(out.text).toMatch(/\ndb1: IPv6 is filtered like IPv4 \(compared from peer\)\.\nweb1: IPv6 is filtered like IPv4 \(compared from peer\)\.\n/);
    expect(out.text).not.toContain('OPEN');
  });

  it('--anonymise: folders are numbered and no hostname or address of the bundle reaches the scenario', async () => {
    const from = join(dir, 'web1.json');
    const [out, err] = [stream(), stream()];
    await runAudit(['--from', from, '--report-dir', reports, '--anonymise'], { out, err });
    expect(engine.files[0]).toMatch(/\/host-1\/host\.scenario\.yaml$/);
    expect(engine.yaml[0]).toMatch(/name: captured host-[0-9a-f]{6}/);
    for (const original of ['web1', '192.0.2.10', '2001:db8:1::10', '10.1.2.3']) expect(engine.yaml[0]).not.toContain(original);
    expect(out.text).toMatch(/\nhost-1: Open over IPv6/);
  });

  it('a bundle whose listening sockets were not read gets no answer and exit 2, whatever the lab saw', async () => {
    const from = join(dir, 'loaded.json');
    writeFileSync(from, bundleText({ ...V4_ONLY_HOST, ss: { status: 'skipped', rc: -1 } }));
    engine.fixed = true;
    const out = stream();
    expect(await runAudit(['--from', from, '--report-dir', reports, '-q'], { out, err: stream() })).toBe(2);
    expect(out.text).toMatch(/\nloaded: Not answered: the listening sockets were not read \(items\.ss: skipped: the script's time budget ran out\)/);
  });

  it('a hostile bundle in a fleet refuses the audit naming its file and field; nothing is started', async () => {
    const fleet = join(dir, 'hostile');
    mkdirSync(fleet);
    writeFileSync(join(fleet, 'a.json'), bundleText(V4_ONLY_HOST));
    writeFileSync(join(fleet, 'b.json'), bundleText({ ...V4_ONLY_HOST, ss: 'tcp LISTEN 0 1 $(reboot):22 0.0.0.0:*' }));
    await expect(runAudit(['--from', fleet, '--report-dir', reports], { out: stream(), err: stream() })).rejects.toThrow(/hostile\/b\.json: items\.ss line 1: expected an IP address or \*/);
    expect(engine.prepared).toBe(0);
    expect(engine.files).toEqual([]);
    await expect(runAudit(['--from', join(dir, 'empty-nope'), '--report-dir', reports], { out: stream(), err: stream() })).rejects.toThrow(/empty-nope: cannot read the bundle/);
    mkdirSync(join(dir, 'empty'));
    await expect(runAudit(['--from', join(dir, 'empty'), '--report-dir', reports], { out: stream(), err: stream() })).rejects.toThrow(/no bundle \(\*\.json\) in this folder/);
    expect(engine.prepared).toBe(0);
  });
});

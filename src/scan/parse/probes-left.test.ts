/**
 * Send failures against silent ports, on nmap's real stderr (test/fixtures/nmap/output-drop-*, captured
 * under an OUTPUT policy DROP). Errors nmap gives only on a loaded machine (ENOBUFS) are derived from
 * those real lines in the test itself, so the edit is visible next to the assertion.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { NmapScanError } from '../../model/errors.ts';
import type { ScanContext, ScanResult } from '../types.ts';
import { parseNmapRun } from './run.ts';
import { MAX_WARNINGS, readSendFailures, readWarnings } from './stderr.ts';

const FIXTURES = new URL('../../../test/fixtures/nmap/', import.meta.url);

async function fixture(name: string): Promise<{ stdout: string; command: string[]; stderr: string }> {
  const meta = JSON.parse(await readFile(new URL(`${name}.meta.json`, FIXTURES), 'utf8')) as { command: string[]; stderr: string };
  return { stdout: await readFile(new URL(`${name}.xml`, FIXTURES), 'utf8'), command: meta.command, stderr: meta.stderr };
}

type Scan = Pick<ScanContext, 'family' | 'protocol' | 'target' | 'ports'> & Partial<ScanContext>;

/** Parses fixture `name`; `editStderr`, when given, must change the real stderr (or the fixture drifted). */
async function parse(name: string, scan: Scan, editStderr?: (stderr: string) => string): Promise<ScanResult> {
  const { stdout, command, stderr } = await fixture(name);
  const edited = editStderr ? editStderr(stderr) : stderr;
  if (editStderr && edited === stderr) throw new Error(`the stderr edit changed nothing in ${name}`);
  return parseNmapRun(stdout, { vantage: 'loopback', command, exitCode: 0, stderr: edited, ...scan });
}

async function failure(name: string, scan: Scan, editStderr?: (stderr: string) => string): Promise<NmapScanError> {
  const error = await parse(name, scan, editStderr).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof NmapScanError)) throw new Error(`expected an NmapScanError, got ${String(error)}`);
  return error;
}

const V6_OUTPUT_DROP = { family: 'ipv6', protocol: 'tcp', target: '::1', ports: [22, 53, 80] } as const satisfies Scan;
const ENOBUFS = (stderr: string) => stderr.replaceAll('Operation not permitted', 'No buffer space available');

describe('reading nmap stderr', () => {
  it('finds each failed send with its error and the destination port of its offending packet', async () => {
    const { failures, omitted } = readSendFailures((await fixture('output-drop-v6-loopback')).stderr);
    expect(omitted).toBe(false);
    expect(failures.map((f) => [f.port, f.error, f.refusedByNetfilter])).toEqual([80, 22, 53, 53, 22, 80].map((port) => [port, 'Operation not permitted', true]));
  });

  it('notices when nmap stops printing them, and reads ENOBUFS retries even then', async () => {
    const stderr = (await fixture('output-drop-v4-omitted')).stderr;
    expect(readSendFailures(stderr)).toMatchObject({ omitted: true, failures: { length: 10 } });
    const retried = readSendFailures(`${stderr}Sleeping 15 seconds then retrying\n`).failures.at(-1);
    expect(retried).toMatchObject({ refusedByNetfilter: false, port: null });
  });

  it('keeps distinct lines in order, at most 20', async () => {
    expect(readWarnings((await fixture('output-drop-v6-loopback')).stderr)).toEqual([
      'sendto in send_ipv6_ipproto_raw: sendto(7, packet, 64, 0, ::1, 28) => Operation not permitted',
      ...[80, 22, 53].map((port) => expect.stringMatching(new RegExp(`^Offending packet: TCP ::1:59154 > ::1:${port} S `))),
      ...[53, 22, 80].map((port) => expect.stringMatching(new RegExp(`^Offending packet: TCP ::1:59156 > ::1:${port} S `))),
    ]);
    const many = Array.from({ length: 30 }, (_, i) => `WARNING: line ${i}`).join('\n');
    expect(readWarnings(`${many}\n${many}`)).toEqual(Array.from({ length: MAX_WARNINGS }, (_, i) => `WARNING: line ${i}`));
    expect(readWarnings(`\n  \nWARNING: ${'x'.repeat(400)}\n`)[0]).toHaveLength(301);
  });
});

describe('silent ports and probes that never left', () => {
  it("from loopback, probes the ruleset's own OUTPUT refused (EPERM) back the filtered reading, warnings kept", async () => {
    const result = await parse('output-drop-v6-loopback', V6_OUTPUT_DROP);
    expect(result.observations.map((o) => `${o.port} ${o.state}`)).toEqual(['22 filtered', '53 filtered', '80 filtered']);
    expect(result.warnings).toHaveLength(7);
    expect(result.warnings[0]).toContain('=> Operation not permitted');
  });

  it('the same for UDP (open|filtered) and when nmap omitted most of the errors', async () => {
    const udp = await parse('output-drop-v4-udp', { family: 'ipv4', protocol: 'udp', target: '127.0.0.1', ports: [53, 54] });
    expect(udp.observations.map((o) => `${o.port} ${o.state} ${o.reason}`)).toEqual(['53 open|filtered no-response', '54 open|filtered no-response']);
    expect(udp.warnings.some((w) => w.includes('=> Operation not permitted'))).toBe(true);
    const sweep = await parse('output-drop-v4-omitted', { family: 'ipv4', protocol: 'tcp', target: '127.0.0.1', ports: [22] });
    expect(sweep.warnings.at(-1)).toMatch(/^Omitting future Sendto error messages/);
  });

  it("from the peer, EPERM is the scanner's own firewall, not the host under test: NMAP_SEND_FAILED", async () => {
    const error = await failure('output-drop-v6-loopback', { ...V6_OUTPUT_DROP, vantage: 'peer' });
    expect(error.code).toBe('NMAP_SEND_FAILED');
    expect(error.message).toContain('ports of interest tcp/22,53,80 got no answer');
    expect(error.message).toContain("The peer's own netfilter refused them (EPERM)");
    expect(error.message).toContain('=> Operation not permitted');
  });

  it("any other send error is no firewall's decision: NMAP_SEND_FAILED from loopback too, TCP and UDP", async () => {
    const tcp = await failure('output-drop-v6-loopback', V6_OUTPUT_DROP, ENOBUFS);
    expect(tcp.code).toBe('NMAP_SEND_FAILED');
    expect(tcp.message).toContain('The kernel did not send them (No buffer space available)');
    const udp = await failure('output-drop-v4-udp', { family: 'ipv4', protocol: 'udp', target: '127.0.0.1', ports: [53, 54] }, ENOBUFS);
    expect(udp.message).toContain('udp/53-54 got no answer');
    const retried = await failure('output-drop-v4-omitted', { family: 'ipv4', protocol: 'tcp', target: '127.0.0.1', ports: [22] }, (stderr) => `${stderr}Sleeping 15 seconds then retrying\n`);
    expect(retried.message).toContain('"Sleeping 15 seconds then retrying"');
  });

  it('a port of interest that answered is evidence whatever failed to send', async () => {
    // tcp-v4-loopback: 22 open (syn-ack), 53 filtered (no-response), 80 closed (reset); its real stderr is empty.
    const enobufs = (await fixture('output-drop-v4-omitted')).stderr.replaceAll('Operation not permitted', 'No buffer space available');
    const scan = { family: 'ipv4', protocol: 'tcp', target: '127.0.0.1' } as const;
    const answered = await parse('tcp-v4-loopback', { ...scan, ports: [22, 80] }, () => enobufs);
    expect(answered.observations.map((o) => `${o.port} ${o.state} ${o.reason}`)).toEqual(['22 open syn-ack', '53 filtered no-response', '80 closed reset', '81 closed reset']);
    expect(answered.warnings.some((w) => w.includes('No buffer space available'))).toBe(true);
    await expect(parse('tcp-v4-loopback', { ...scan, ports: [22, 53] }, () => enobufs)).rejects.toMatchObject({ code: 'NMAP_SEND_FAILED' });
  });

  it('with every failure printed, only a failure aimed at a silent port of interest counts', async () => {
    // The first failure of output-drop-v6-loopback (a probe to port 80), as ENOBUFS, stands for the whole stderr.
    const firstFailure = ENOBUFS((await fixture('output-drop-v6-loopback')).stderr)
      .split('\n')
      .slice(0, 2)
      .join('\n');
    expect(firstFailure).toMatch(/No buffer space available\nOffending packet: TCP \S+ > ::1:80 S/);
    const scan = { family: 'ipv4', protocol: 'tcp', target: '127.0.0.1' } as const;
    // tcp-v4-loopback: 53 filtered (its probes left), 80 closed (answered).
    const elsewhere = await parse('tcp-v4-loopback', { ...scan, ports: [53, 80] }, () => firstFailure);
    expect(elsewhere.observations.map((o) => `${o.port} ${o.state} ${o.reason}`)).toEqual(['22 open syn-ack', '53 filtered no-response', '80 closed reset', '81 closed reset']);
    expect(elsewhere.warnings).toEqual([expect.stringContaining('No buffer space available'), expect.stringMatching(/^Offending packet: TCP \S+ > ::1:80 S/)]);
    const aimedAt53 = firstFailure.replace('::1:80 S', '::1:53 S');
    await expect(parse('tcp-v4-loopback', { ...scan, ports: [53, 80] }, () => aimedAt53)).rejects.toMatchObject({ code: 'NMAP_SEND_FAILED' });
  });
});

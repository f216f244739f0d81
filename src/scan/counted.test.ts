import { describe, expect, test } from 'vitest';
import { formatPortSpec } from '../model/ports.ts';
import { countedScan, MAX_RETRY_SPEC_CHARS } from './counted.ts';
import { LEDGER_LIST } from './ledger-dump.ts';
import { ledgerJson } from './ledger-listing.test-helpers.ts';
import type { ScanRequest, ScanResult } from './types.ts';

const TABLE = 'fwprobe_ledger_t';
const ledger = (sets: { out?: number[]; in?: number[]; reply?: number[]; rejected?: number[] }) =>
  ledgerJson(TABLE, { out_flight: sets.out ?? [], in_flight: sets.in ?? [], reply_flight: sets.reply ?? [], rejected: sets.rejected ?? [] });
/** The target's side of the batches: the ledger listed as `listing`, every other command fine and silent. */
const answering = (listing: string) => async (commands: string[][]) => commands.map((c) => ({ exitCode: 0, stdout: c.includes(LEDGER_LIST) ? listing : '', stderr: '' }));

const request: ScanRequest = {
  vantage: 'loopback',
  family: 'ipv4',
  protocol: 'tcp',
  target: '127.0.0.1',
  ports: [22],
  scanPorts: Array.from({ length: 65535 }, (_, i) => i + 1),
  timing: 'lab',
  sourcePort: 47311,
};

const result = (silent: number[], command: string[]): ScanResult => ({
  vantage: 'loopback',
  family: 'ipv4',
  protocol: 'tcp',
  target: '127.0.0.1',
  command,
  hostState: 'up',
  observations: [{ vantage: 'loopback', family: 'ipv4', protocol: 'tcp', port: 22, state: 'open', reason: 'syn-ack' }],
  others: silent.length ? [{ state: 'filtered', reason: 'no-response', count: silent.length, ports: formatPortSpec(silent) }] : [],
  elapsedSeconds: 1,
  nmapVersion: '7.93',
  sourcePort: 47311,
  followUpCommands: [],
  warnings: [],
});

describe('countedScan', () => {
  test('thousands of scattered unaccounted ports rerun the whole scan: no follow-up -p list beyond what exec takes', async () => {
    // Every third port silent and none proven (replies lost by rate, or probes dropped before the ledger):
    // as one -p list that is ~130 KB, over Linux's 128 KiB per argument (exec: argument list too long).
    const silent = Array.from({ length: 21000 }, (_, i) => 100 + i * 3);
    expect(formatPortSpec(silent).length).toBeGreaterThan(MAX_RETRY_SPEC_CHARS);
    const runs: ScanRequest[] = [];
    const run = async (r: ScanRequest) => {
      runs.push(r);
      return result(r.timing === 'counted' ? silent : [], [`run ${runs.length}`]);
    };
    const scan = await countedScan(run, request, { inTarget: answering(ledger({})), table: TABLE, source: { ipv4: '127.0.0.1', ipv6: '::1' } });
    expect(runs.map((r) => r.timing)).toEqual(['counted', 'lab']);
    expect(runs[1]!.scanPorts).toBe(request.scanPorts);
    expect(scan.backing).toMatchObject({ method: 'retry' });
    expect(scan.backing?.note).toContain('21000 of 21000 silent ports were unaccounted for');
    expect(scan.others).toEqual([]);
  });

  // Attack (real run, a 300-port sweep): `tcp dport 3000-3299 accept` in input behind an output policy drop.
  // The ledger proved every probe delivered and its reset held on the way out (countedBy.reply: 300), yet the
  // ports read filtered, so the gate read them blocked and `check` passed a firewall that now admits them.
  test('silent ports whose answer the ledger saw held are marked droppedAt reply, in observations and summaries', async () => {
    const run = async (r: ScanRequest): Promise<ScanResult> => {
      const base = result([80, 81, 3001, 3002], ['counted']);
      return {
        ...base,
        observations: [...base.observations, { vantage: 'loopback', family: 'ipv4', protocol: 'tcp', port: 3000, state: 'filtered', reason: 'no-response' }],
        command: [r.timing ?? 'lab'],
      };
    };
    const scan = await countedScan(run, request, { inTarget: answering(ledger({ in: [80, 81], reply: [3000, 3001, 3002] })), table: TABLE, source: { ipv4: '127.0.0.1', ipv6: '::1' } });
    expect(scan.backing).toMatchObject({ method: 'counted', countedBy: { reply: 3, input: 2 }, retried: 0 });
    expect(scan.observations.find((o) => o.port === 3000)).toMatchObject({ state: 'filtered', droppedAt: 'reply' });
    expect(scan.others).toEqual(
      expect.arrayContaining([
        { state: 'filtered', reason: 'no-response', count: 2, ports: '80-81', droppedAt: 'input' },
        { state: 'filtered', reason: 'no-response', count: 2, ports: '3001-3002', droppedAt: 'reply' },
      ]),
    );
  });
  // Found by the library under vitest: the split copied its port list once per port, so a full sweep's summary
  // (65,534 silent ports) held the event loop for minutes and every other lab's bounded steps timed out.
  test('a full sweep proven dropped at input, one answer held, splits into exact summaries (and in linear time)', async () => {
    const silent = Array.from({ length: 65534 }, (_, i) => i + 2).filter((p) => p !== 22);
    const run = async (r: ScanRequest): Promise<ScanResult> => ({ ...result(silent, ['counted']), command: [r.timing ?? 'lab'] });
    const listing = ledger({ in: silent.filter((p) => p !== 3000), reply: [3000] });
    const scan = await countedScan(run, request, { inTarget: answering(listing), table: TABLE, source: { ipv4: '127.0.0.1', ipv6: '::1' } });
    expect(scan.backing).toMatchObject({ method: 'counted', silent: 65533, dropped: 65533, countedBy: { input: 65532, reply: 1 }, retried: 0 });
    expect(scan.others).toEqual([
      { state: 'filtered', reason: 'no-response', count: 65532, ports: '2-21,23-2999,3001-65535', droppedAt: 'input' },
      { state: 'filtered', reason: 'no-response', count: 1, ports: '3000', droppedAt: 'reply' },
    ]);
  }, 5000);
});

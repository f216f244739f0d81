/**
 * The UDP side of the release gate on one real lab: a counted 300-port UDP sweep from loopback and a peer,
 * both families, with egress filtering that silences every answer. Before the UDP ledger, a silent UDP
 * port no client traced (`open|filtered`) was left out of the gate, so a firewall that newly admitted one
 * passed `check`. Now each port's word rests on its probe's own path in the target: 5001 (accepted, no
 * listener) is admitted, 5002 (accepted, its listener's answers held) is admitted by the ledger and
 * delivered by the clients, 5003 (dropped) is blocked, and no scanned port is left without a word.
 */
import { describe, expect, test } from 'vitest';
import { renderBaseline } from '../../src/report/baseline-file.ts';
import { exposureOf, portsWith } from '../../src/report/exposure.ts';
import { runPassing, udpSlices } from './udp-slices.ts';

const FILE = 'test/fixtures/udp-ledger/silent-udp.scenario.yaml';

describe('a counted UDP sweep in the release gate', () => {
  test('admitted with no listener, admitted to a silent listener, dropped: each with its word, on both families and vantages', async () => {
    const result = await runPassing(FILE, 'udp ledger scenario');
    for (const { where, vantage, family, entry, ports } of udpSlices(result)) {
      expect(ports.get(5001), where).toBe('admitted');
      expect(ports.get(5002), where).toBe('delivered');
      expect(ports.get(5003), where).toBe('blocked');
      // nmap reads all three alike: the ledger, not an ICMP answer, tells them apart.
      const seen = (port: number) => result.observations.find((o) => o.vantage === vantage && o.family === family && o.protocol === 'udp' && o.port === port);
      expect(seen(5001), where).toMatchObject({ state: 'open|filtered', ledger: 'admitted' });
      expect(seen(5003), where).toMatchObject({ state: 'open|filtered', ledger: 'dropped', droppedAt: 'input' });
      expect(seen(5002), where).toMatchObject({ state: 'delivered', ledger: 'admitted' });
      // Every port of the sweep has a word: none is left out, none unverified.
      expect(ports.size, where).toBe(300);
      expect(portsWith(entry, 'admitted'), where).toEqual([5001]);
      expect(portsWith(entry, 'unverified'), where).toEqual([]);
      const scan = result.scans.find((s) => s.vantage === vantage && s.family === family && s.protocol === 'udp');
      expect(scan?.backing, where).toMatchObject({ method: 'counted', admitted: 2, unverified: 0, dropped: 298 });
    }
    // What `fwprobe baseline` writes for the gate: the admitted port by name.
    const exposure = exposureOf(result.observations, result.others);
    const baseline = renderBaseline({ fwprobe: 'test', scenario: result.name, rulesets: `sha256:${'0'.repeat(64)}`, exposure });
    expect(baseline).toContain('{"vantage":"peer","host":"target","family":"ipv6","protocol":"udp","open":"","delivered":"5002","admitted":"5001","blocked":"5000,5003-5299"}');
  });
});

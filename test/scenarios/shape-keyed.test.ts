/**
 * A rule keyed on the probe's source port: nmap's scans come from one pinned port, so their silence proves
 * nothing for a client from another. One real lab, the peer, both families.
 */
import { describe, expect, inject, test } from 'vitest';
import { FAMILIES } from '../../src/model/observation.ts';
import { exposureOf, sliceKey } from '../../src/report/exposure.ts';
import { verdictTextOf } from '../../src/report/verdict-format.ts';
import { runScenarioFile } from '../../src/run/files.ts';

const image = inject('fwprobeImage');

describe('rules keyed on the source port', () => {
  test('`tcp sport 53 accept`: the silent port 8080 no client tries is unverified in the gate, no port blocked, on both families', async () => {
    const t0 = Date.now();
    const result = await runScenarioFile('test/fixtures/shape-keyed/sport-53.scenario.yaml', { image });
    console.log(`sport-53 scenario: ${Date.now() - t0} ms`);
    expect(result.status, result.error ?? verdictTextOf(result)).toBe('passed');
    const exposure = exposureOf(result.observations, result.others);
    for (const family of FAMILIES) {
      const slice = exposure.get(sliceKey({ vantage: 'peer', host: 'target', family, protocol: 'tcp' }));
      expect(slice, family).toBeDefined();
      expect(slice!.ports.get(8080), family).toBe('unverified');
      expect(slice!.ports.get(80), family).toBe('admitted');
      expect(
        [...slice!.ports.values()].filter((word) => word === 'blocked'),
        family,
      ).toEqual([]);
    }
  });

  // A list of shape words missed these: the concatenation's source port named no port (its dport came with
  // no values), and neither `--ports` nor a flags match was a shape word; an egress rule was left out for
  // loopback, whose probe it sees leave. Each port was proven reachable by
  // hand in a two-container lab (`nmap -g 53`, `nmap --scanflags SYNPSH`: open; the plain SYN scan: filtered).
  for (const [fixture, vantage, unverified] of [
    ['concat-flags', 'peer', [8080, 9090]],
    ['ports-psh', 'peer', [8080, 9090]],
    ['loopback-egress', 'loopback', [8080]],
  ] as const) {
    test(`${fixture}: the silent ports a client of another source port or SYN shape reaches are unverified, never blocked`, async () => {
      const t0 = Date.now();
      const result = await runScenarioFile(`test/fixtures/shape-keyed/${fixture}.scenario.yaml`, { image });
      console.log(`${fixture} scenario: ${Date.now() - t0} ms`);
      expect(result.status, result.error ?? verdictTextOf(result)).toBe('passed');
      const exposure = exposureOf(result.observations, result.others);
      for (const family of FAMILIES) {
        const slice = exposure.get(sliceKey({ vantage, host: 'target', family, protocol: 'tcp' }));
        expect(
          unverified.map((port) => slice?.ports.get(port)),
          family,
        ).toEqual(unverified.map(() => 'unverified'));
      }
    });
  }
});

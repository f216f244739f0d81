/**
 * Attacks on the counted UDP sweep's ledger, each on one real lab: a port the firewall lets a real client
 * reach must never read `blocked` in the release gate, nor be left out of it.
 */
import { describe, expect, inject, test } from 'vitest';
import { FAMILIES } from '../../src/model/observation.ts';
import { exposureOf, sliceKey } from '../../src/report/exposure.ts';
import { verdictTextOf } from '../../src/report/verdict-format.ts';
import { runScenarioFile } from '../../src/run/files.ts';

const image = inject('fwprobeImage');

describe('the UDP ledger under attack', () => {
  test('a NAT redirect (5003 -> 5001) keeps the ledger on: 5001 and 5003 admitted, 5004 blocked, both families and vantages', async () => {
    const t0 = Date.now();
    const result = await runScenarioFile('test/fixtures/udp-ledger-attacks/redirect-udp.scenario.yaml', { image });
    console.log(`udp redirect scenario: ${Date.now() - t0} ms`);
    expect(result.status, result.error ?? verdictTextOf(result)).toBe('passed');
    const exposure = exposureOf(result.observations, result.others);
    for (const vantage of ['loopback', 'peer']) {
      for (const family of FAMILIES) {
        const where = `${vantage} ${family}`;
        const slice = exposure.get(sliceKey({ vantage, host: 'target', family, protocol: 'udp' }));
        expect(slice, where).toBeDefined();
        expect(slice!.ports.get(5002), where).toBe('delivered');
        expect(slice!.ports.get(5001), where).toBe('admitted');
        // The redirect delivers 5003's datagrams to 5001: admitted, whatever port the input path saw.
        expect(slice!.ports.get(5003), where).toBe('admitted');
        expect(slice!.ports.get(5004), where).toBe('blocked');
        expect(slice!.ports.size, where).toBe(256);
      }
    }
  });

  test("a drop keyed on the scan's pinned source port (47311): held ports unverified, never blocked; 5002 delivered to clients", async () => {
    const t0 = Date.now();
    const result = await runScenarioFile('test/fixtures/udp-ledger-attacks/sport-pinned.scenario.yaml', { image });
    console.log(`udp sport-pinned scenario: ${Date.now() - t0} ms`);
    expect(result.status, result.error ?? verdictTextOf(result)).toBe('passed');
    const exposure = exposureOf(result.observations, result.others);
    for (const vantage of ['loopback', 'peer']) {
      for (const family of FAMILIES) {
        const where = `${vantage} ${family}`;
        const slice = exposure.get(sliceKey({ vantage, host: 'target', family, protocol: 'udp' }));
        expect(slice, where).toBeDefined();
        expect(slice!.ports.get(5002), where).toBe('delivered');
        expect(slice!.ports.get(5001), where).toBe('unverified');
        expect(slice!.ports.get(5004), where).toBe('unverified');
        expect(
          [...slice!.ports.values()].filter((word) => word === 'blocked'),
          where,
        ).toEqual([]);
      }
    }
  });
});

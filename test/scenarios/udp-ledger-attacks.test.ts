/**
 * Attacks on the counted UDP sweep's ledger, each on one real lab: a port the firewall lets a real client
 * reach must never read `blocked` in the release gate, nor be left out of it.
 */
import { describe, expect, test } from 'vitest';
import { runPassing, udpSlices } from './udp-slices.ts';

describe('the UDP ledger under attack', () => {
  test('a NAT redirect (5003 -> 5001) keeps the ledger on: 5001 and 5003 admitted, 5004 blocked, both families and vantages', async () => {
    const result = await runPassing('test/fixtures/udp-ledger-attacks/redirect-udp.scenario.yaml', 'udp redirect scenario');
    for (const { where, ports } of udpSlices(result)) {
      expect(ports.get(5002), where).toBe('delivered');
      expect(ports.get(5001), where).toBe('admitted');
      // The redirect delivers 5003's datagrams to 5001: admitted, whatever port the input path saw.
      expect(ports.get(5003), where).toBe('admitted');
      expect(ports.get(5004), where).toBe('blocked');
      expect(ports.size, where).toBe(256);
    }
  });

  test("a drop keyed on the scan's pinned source port (47311): held ports unverified, never blocked; 5002 delivered to clients", async () => {
    const result = await runPassing('test/fixtures/udp-ledger-attacks/sport-pinned.scenario.yaml', 'udp sport-pinned scenario');
    for (const { where, ports } of udpSlices(result)) {
      expect(ports.get(5002), where).toBe('delivered');
      expect(ports.get(5001), where).toBe('unverified');
      expect(ports.get(5004), where).toBe('unverified');
      expect(
        [...ports.values()].filter((word) => word === 'blocked'),
        where,
      ).toEqual([]);
    }
  });
});

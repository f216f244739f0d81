import { describe, expect, it } from 'vitest';
import { obs, summary } from './fixtures.test-helpers.ts';
import { findParityGaps } from './parity.ts';

const report = { mode: 'report', exceptions: [] } as const;

describe('findParityGaps', () => {
  it('finds every port whose category differs between families, sorted', () => {
    const findings = findParityGaps(
      [
        obs('peer', 'ipv4', 'tcp', 22, 'filtered', 'no-response'),
        obs('peer', 'ipv6', 'tcp', 22, 'unreachable', 'nd-dropped'),
        obs('loopback', 'ipv6', 'tcp', 80, 'open', 'syn-ack'),
        obs('loopback', 'ipv4', 'tcp', 80, 'filtered', 'no-response'),
        obs('loopback', 'ipv4', 'tcp', 22, 'open', 'syn-ack'),
        obs('loopback', 'ipv6', 'tcp', 22, 'open', 'syn-ack'),
        obs('loopback', 'ipv4', 'udp', 53, 'closed', 'port-unreach'),
        obs('loopback', 'ipv6', 'udp', 53, 'open|filtered', 'no-response'),
      ],
      [],
      report,
    );
    expect(findings.map((f) => f.message)).toEqual([
      'loopback tcp/80: ipv4 filtered (no-response), ipv6 open (syn-ack)',
      'loopback udp/53: ipv4 closed (port-unreach), ipv6 open|filtered (no-response)',
      'peer tcp/22: ipv4 filtered (no-response), ipv6 unreachable (nd-dropped)',
    ]);
    expect(findings[0]).toEqual({
      vantage: 'loopback',
      protocol: 'tcp',
      port: 80,
      ipv4: { state: 'filtered', reason: 'no-response' },
      ipv6: { state: 'open', reason: 'syn-ack' },
      excusedBy: null,
      message: 'loopback tcp/80: ipv4 filtered (no-response), ipv6 open (syn-ack)',
    });
  });

  it('same category with different reasons, or a port seen on one family only, is no finding', () => {
    expect(
      findParityGaps(
        [
          obs('loopback', 'ipv4', 'tcp', 80, 'filtered', 'no-response'),
          obs('loopback', 'ipv6', 'tcp', 80, 'filtered', 'admin-prohibited'),
          obs('loopback', 'ipv4', 'udp', 53, 'filtered', 'admin-prohibited'),
          obs('loopback', 'ipv6', 'udp', 53, 'open|filtered', 'no-response'),
          obs('loopback', 'ipv4', 'tcp', 443, 'open', 'syn-ack'),
        ],
        [],
        report,
      ),
    ).toEqual([]);
  });

  it('compares with the other family’s summary when it is unambiguous', () => {
    const observations = [obs('peer', 'ipv6', 'tcp', 8080, 'open', 'syn-ack')];
    const unambiguous = findParityGaps(observations, [summary('peer', 'ipv4', 'tcp', 'filtered', 'no-response', 65534)], report);
    expect(unambiguous.map((f) => f.message)).toEqual(['peer tcp/8080: ipv4 filtered (no-response, summarised), ipv6 open (syn-ack)']);
    const ambiguous = findParityGaps(observations, [summary('peer', 'ipv4', 'tcp', 'filtered', 'no-response', 60000), summary('peer', 'ipv4', 'tcp', 'closed', 'reset', 5534)], report);
    // Which of the 65534 ports is closed is unknown: never skipped silently.
    expect(ambiguous.map((f) => f.message)).toEqual(['peer tcp (summarised ports, nmap gave no port lists): ipv4 5534× closed, 60000× filtered, ipv6 none; they cannot be compared port by port']);
  });

  it('compares summarised ports port by port from their lists, and groups a difference into one finding', () => {
    // A v4-only ruleset swept 1-65535 on loopback: IPv4 filtered everywhere but 22, IPv6 closed everywhere but 22.
    const observations = [obs('loopback', 'ipv4', 'tcp', 22, 'open', 'syn-ack'), obs('loopback', 'ipv6', 'tcp', 22, 'open', 'syn-ack')];
    const summaries = [
      summary('loopback', 'ipv4', 'tcp', 'filtered', 'no-response', 65533, '1-21,23-65534'),
      summary('loopback', 'ipv4', 'tcp', 'closed', 'reset', 1, '65535'),
      summary('loopback', 'ipv6', 'tcp', 'closed', 'reset', 65534, '1-21,23-65535'),
    ];
    const findings = findParityGaps(observations, summaries, report);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ port: 1, ports: '1-21,23-65534', count: 65533 });
    expect(findings[0]!.message).toBe('loopback tcp/1-21,23-65534 (65533 ports): ipv4 filtered (no-response, summarised), ipv6 closed (reset, summarised)');
  });

  it('finds a port listed on one family inside the other family’s mixed summary', () => {
    const observations = [obs('peer', 'ipv4', 'tcp', 5000, 'closed', 'reset')];
    const summaries = [
      summary('peer', 'ipv4', 'tcp', 'filtered', 'no-response', 65534, '1-4999,5001-65535'),
      summary('peer', 'ipv6', 'tcp', 'closed', 'reset', 101, '6000-6100'),
      summary('peer', 'ipv6', 'tcp', 'filtered', 'no-response', 65434, '1-5999,6101-65535'),
    ];
    expect(findParityGaps(observations, summaries, report).map((f) => f.message)).toEqual([
      'peer tcp/5000: ipv4 closed (reset), ipv6 filtered (no-response, summarised)',
      'peer tcp/6000-6100 (101 ports): ipv4 filtered (no-response, summarised), ipv6 closed (reset, summarised)',
    ]);
  });

  it('exceptions excuse by vantage (or all), protocol and port', () => {
    const observations = [
      obs('loopback', 'ipv4', 'tcp', 53, 'filtered', 'no-response'),
      obs('loopback', 'ipv6', 'tcp', 53, 'open', 'syn-ack'),
      obs('peer', 'ipv4', 'tcp', 53, 'filtered', 'no-response'),
      obs('peer', 'ipv6', 'tcp', 53, 'open', 'syn-ack'),
    ];
    const findings = findParityGaps(observations, [], {
      mode: 'strict',
      exceptions: [{ vantage: 'loopback', protocol: 'tcp', port: 53, why: 'dns only on v4 by design' }],
    });
    expect(findings.map((f) => [f.vantage, f.excusedBy])).toEqual([
      ['loopback', 'dns only on v4 by design'],
      ['peer', null],
    ]);
    const all = findParityGaps(observations, [], { mode: 'strict', exceptions: [{ vantage: 'all', protocol: 'tcp', port: 53, why: 'w' }] });
    expect(all.every((f) => f.excusedBy === 'w')).toBe(true);
    const wrongProtocol = findParityGaps(observations, [], { mode: 'strict', exceptions: [{ vantage: 'all', protocol: 'udp', port: 53, why: 'w' }] });
    expect(wrongProtocol.every((f) => f.excusedBy === null)).toBe(true);
  });

  it('off computes nothing', () => {
    expect(findParityGaps([obs('loopback', 'ipv4', 'tcp', 53, 'filtered', 'no-response'), obs('loopback', 'ipv6', 'tcp', 53, 'open', 'syn-ack')], [], { mode: 'off', exceptions: [] })).toEqual([]);
  });
});

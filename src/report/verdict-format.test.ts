import { describe, expect, it } from 'vitest';
import { covered, expectation, obs, scenario, summary } from '../verdict/fixtures.test-helpers.ts';
import { formatVerdict, STRICT_HINT, verdictProblems } from './verdict-format.ts';
import { judge } from '../verdict/judge.ts';

describe('formatVerdict', () => {
  it('renders mismatches, missing ports, parity and unchecked ports', () => {
    const s = scenario([expectation({ vantage: 'peer', family: 'ipv6', protocol: 'tcp', filtered: [53, 80] }), expectation({ vantage: 'loopback', family: 'ipv4', protocol: 'tcp', filtered: [53] })], {
      mode: 'strict',
      exceptions: [{ vantage: 'all', protocol: 'tcp', port: 22, why: 'legacy clients' }],
    });
    const verdict = judge(
      s,
      [
        obs('peer', 'ipv6', 'tcp', 53, 'open', 'syn-ack'),
        obs('loopback', 'ipv4', 'tcp', 53, 'filtered', 'no-response'),
        obs('loopback', 'ipv6', 'tcp', 53, 'open', 'syn-ack'),
        obs('loopback', 'ipv4', 'tcp', 22, 'filtered', 'no-response'),
        obs('loopback', 'ipv6', 'tcp', 22, 'closed', 'reset'),
      ],
      [summary('peer', 'ipv4', 'udp', 'closed', 'port-unreach', 3)],
      covered,
    );
    expect(formatVerdict(verdict, 'strict')).toBe(
      [
        'FAILED: 2 mismatches, 1 parity gap (strict)',
        'mismatches:',
        '  ✗ peer ipv6 tcp/53: expected filtered, observed open (syn-ack)',
        '  ✗ peer ipv6 tcp/80: expected filtered, not observed (the peer ipv6 tcp scan reported 1 other ports but not this one)',
        'parity (strict):',
        '  ~ loopback tcp/22: ipv4 filtered (no-response), ipv6 closed (reset) — excused: legacy clients',
        '  ✗ loopback tcp/53: ipv4 filtered (no-response), ipv6 open (syn-ack)',
        STRICT_HINT,
        'unchecked: 6 ports (loopback ipv4 tcp/22 filtered (no-response), loopback ipv6 tcp/22 closed (reset), loopback ipv6 tcp/53 open (syn-ack), peer ipv4 udp 3× closed (port-unreach))',
      ].join('\n'),
    );
    expect(verdictProblems(verdict, 'strict')).toEqual([
      'peer ipv6 tcp/53: expected filtered, observed open (syn-ack)',
      'peer ipv6 tcp/80: expected filtered, not observed (the peer ipv6 tcp scan reported 1 other ports but not this one)',
      'parity: loopback tcp/53: ipv4 filtered (no-response), ipv6 open (syn-ack)',
    ]);
  });

  it('says how to accept a gap only where strict parity fails on it', () => {
    const s = scenario([], { mode: 'report', exceptions: [] });
    const gap = [obs('peer', 'ipv4', 'tcp', 80, 'filtered', 'no-response'), obs('peer', 'ipv6', 'tcp', 80, 'open', 'syn-ack')];
    expect(formatVerdict(judge(s, gap, [], covered), 'report')).not.toContain(STRICT_HINT);
    expect(formatVerdict(judge({ ...s, parity: { mode: 'strict', exceptions: [] } }, gap, [], covered), 'strict')).toContain(STRICT_HINT);
    const excused = { mode: 'strict' as const, exceptions: [{ vantage: 'all' as const, protocol: 'tcp' as const, port: 80, why: 'v6 only' }] };
    expect(formatVerdict(judge({ ...s, parity: excused }, gap, [], covered), 'strict')).not.toContain(STRICT_HINT);
  });

  it('a clean verdict is one line', () => {
    const verdict = judge(scenario([expectation({ vantage: 'loopback', family: 'ipv4', protocol: 'tcp', open: [22] })]), [obs('loopback', 'ipv4', 'tcp', 22, 'open', 'syn-ack')], [], covered);
    expect(formatVerdict(verdict, 'report')).toBe('PASSED');
  });
});

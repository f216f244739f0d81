import { describe, expect, it } from 'vitest';
import { covered, expectation, obs, scenario, summary } from './fixtures.test-helpers.ts';
import { judge } from './judge.ts';

const v4tcp = { vantage: 'loopback', family: 'ipv4', protocol: 'tcp' } as const;

describe('judge', () => {
  it('passes when every listed port and every other port matches', () => {
    const s = scenario([expectation({ ...v4tcp, open: [22], filtered: [53], others: 'filtered' })]);
    const verdict = judge(
      s,
      [obs('loopback', 'ipv4', 'tcp', 22, 'open', 'syn-ack'), obs('loopback', 'ipv4', 'tcp', 53, 'filtered', 'no-response'), obs('loopback', 'ipv4', 'tcp', 80, 'filtered', 'no-response')],
      [summary('loopback', 'ipv4', 'tcp', 'filtered', 'no-response', 997)],
      covered,
    );
    expect(verdict).toEqual({
      passed: true,
      mismatches: [],
      missing: [],
      othersMismatches: [],
      unchecked: { observations: [], summaries: [] },
      parity: [],
      unverified: [],
    });
  });

  it('delivered: a one-way UDP receiver passes on delivered, fails on an answer or on silence', () => {
    const peer = { vantage: 'peer', protocol: 'udp' } as const;
    const s = scenario([expectation({ ...peer, family: 'ipv4', delivered: [514] }), expectation({ ...peer, family: 'ipv6', delivered: [514] })]);
    const logged = 'listener received from 10.0.0.3:random, no answer came back';
    const ok = judge(s, [obs('peer', 'ipv4', 'udp', 514, 'delivered', logged), obs('peer', 'ipv6', 'udp', 514, 'delivered', logged)], [], covered);
    expect(ok.passed).toBe(true);
    const bad = judge(s, [obs('peer', 'ipv4', 'udp', 514, 'open', 'udp-response'), obs('peer', 'ipv6', 'udp', 514, 'open|filtered', 'no-response')], [], covered);
    expect(bad.passed).toBe(false);
    expect(bad.mismatches.map((m) => m.message)).toEqual([
      'peer ipv4 udp/514: expected delivered, observed open (udp-response)',
      'peer ipv6 udp/514: expected delivered, observed open|filtered (no-response)',
    ]);
    expect(bad.mismatches.map((m) => m.expected)).toEqual([['delivered'], ['delivered']]);
    const unseen = judge(s, [obs('peer', 'ipv4', 'udp', 53, 'closed', 'port-unreach')], [], covered);
    expect(unseen.missing.map((m) => `${m.family} ${m.port} ${m.expected}`)).toEqual(['ipv4 514 delivered', 'ipv6 514 delivered']);
  });

  it('reports a mismatch with the issue-2 wording and the satisfying states', () => {
    const s = scenario([expectation({ vantage: 'peer', family: 'ipv6', protocol: 'tcp', filtered: [53] })]);
    const verdict = judge(s, [obs('peer', 'ipv6', 'tcp', 53, 'open', 'syn-ack')], [], covered);
    expect(verdict.passed).toBe(false);
    expect(verdict.mismatches).toEqual([
      {
        vantage: 'peer',
        family: 'ipv6',
        protocol: 'tcp',
        port: 53,
        expected: ['filtered'],
        observed: 'open',
        reason: 'syn-ack',
        message: 'peer ipv6 tcp/53: expected filtered, observed open (syn-ack)',
      },
    ]);
  });

  it('an unlisted port NAT redirects onto a service expected shut is held to not-open, named as the alias', () => {
    const s = scenario([expectation({ vantage: 'peer', family: 'ipv4', protocol: 'tcp', filtered: [3306] })]);
    const observed = [obs('peer', 'ipv4', 'tcp', 3306, 'filtered', 'no-response'), obs('peer', 'ipv4', 'tcp', 13306, 'open', 'syn-ack')];
    const withAlias = judge(s, observed, [], { unverified: [], natAliases: [{ protocol: 'tcp', port: 13306, to: 3306 }] });
    expect(withAlias.passed).toBe(false);
    expect(withAlias.mismatches.map((m) => m.message)).toEqual(['peer ipv4 tcp/13306: expected not-open (NAT maps it onto 3306/tcp, expected filtered), observed open (syn-ack)']);
    // Without the alias the same observations pass (13306 is unchecked): the alias is what catches it.
    expect(judge(s, observed, [], covered).passed).toBe(true);
    // An alias of an open service, a listed alias port, or another protocol's alias inherits nothing.
    const open = scenario([expectation({ vantage: 'peer', family: 'ipv4', protocol: 'tcp', open: [3306] })]);
    expect(
      judge(open, [obs('peer', 'ipv4', 'tcp', 3306, 'open', 'syn-ack'), obs('peer', 'ipv4', 'tcp', 13306, 'open', 'syn-ack')], [], {
        unverified: [],
        natAliases: [{ protocol: 'tcp', port: 13306, to: 3306 }],
      }).passed,
    ).toBe(true);
    expect(judge(s, observed, [], { unverified: [], natAliases: [{ protocol: 'udp', port: 13306, to: 3306 }] }).passed).toBe(true);
  });

  it('udp open|filtered does not satisfy open', () => {
    const s = scenario([expectation({ ...v4tcp, protocol: 'udp', open: [53] })]);
    const verdict = judge(s, [obs('loopback', 'ipv4', 'udp', 53, 'open|filtered', 'no-response')], [], covered);
    expect(verdict.mismatches.map((m) => m.message)).toEqual(['loopback ipv4 udp/53: expected open, observed open|filtered (no-response)']);
  });

  it('a listed port that was never observed is missing, never a pass', () => {
    const s = scenario([expectation({ ...v4tcp, open: [22, 80] }), expectation({ ...v4tcp, family: 'ipv6', filtered: [53] })]);
    const verdict = judge(s, [obs('loopback', 'ipv4', 'tcp', 22, 'open', 'syn-ack')], [summary('loopback', 'ipv4', 'tcp', 'closed', 'reset', 50)], covered);
    expect(verdict.passed).toBe(false);
    expect(verdict.missing.map((m) => m.message)).toEqual([
      'loopback ipv4 tcp/80: expected open, not observed (the loopback ipv4 tcp scan reported 1 other ports individually and summarised 50 closed; listed ports must be reported individually)',
      'loopback ipv6 tcp/53: expected filtered, not observed (the loopback ipv6 tcp scan reported no ports at all)',
    ]);
  });

  it('checks unlisted observations and summaries against others', () => {
    const s = scenario([expectation({ vantage: 'peer', family: 'ipv4', protocol: 'tcp', open: [22], others: 'not-open' })]);
    const verdict = judge(
      s,
      [obs('peer', 'ipv4', 'tcp', 22, 'open', 'syn-ack'), obs('peer', 'ipv4', 'tcp', 8080, 'open', 'syn-ack'), obs('peer', 'ipv4', 'tcp', 81, 'unfiltered', 'reset')],
      [summary('peer', 'ipv4', 'tcp', 'filtered', 'no-response', 60000)],
      covered,
    );
    expect(verdict.mismatches.map((m) => m.message)).toEqual(['peer ipv4 tcp/81: expected not-open, observed unfiltered (reset)', 'peer ipv4 tcp/8080: expected not-open, observed open (syn-ack)']);
    expect(verdict.othersMismatches).toEqual([]);

    const closedOthers = scenario([expectation({ ...v4tcp, others: 'closed' })]);
    const v2 = judge(closedOthers, [], [summary('loopback', 'ipv4', 'tcp', 'filtered', 'no-response', 1000)], covered);
    expect(v2.passed).toBe(false);
    expect(v2.othersMismatches.map((m) => m.message)).toEqual(['loopback ipv4 tcp (1000 other ports): expected closed, observed filtered (no-response)']);
  });

  it('observations nothing speaks about are unchecked, not failures', () => {
    const s = scenario([expectation({ ...v4tcp, open: [22] })]);
    const extra = obs('loopback', 'ipv4', 'tcp', 8080, 'open', 'syn-ack');
    const otherScope = obs('peer', 'ipv6', 'udp', 53, 'closed', 'port-unreach');
    const sum = summary('peer', 'ipv6', 'udp', 'closed', 'port-unreach', 5);
    const verdict = judge(s, [otherScope, obs('loopback', 'ipv4', 'tcp', 22, 'open', 'syn-ack'), extra], [sum], covered);
    expect(verdict.passed).toBe(true);
    expect(verdict.unchecked).toEqual({ observations: [extra, otherScope], summaries: [sum] });
  });

  it('sorts mismatches by vantage, family, protocol, port', () => {
    const s = scenario([
      expectation({ vantage: 'peer', family: 'ipv6', protocol: 'udp', others: 'open' }),
      expectation({ vantage: 'peer', family: 'ipv4', protocol: 'tcp', others: 'open' }),
      expectation({ ...v4tcp, family: 'ipv6', others: 'open' }),
      expectation({ ...v4tcp, others: 'open' }),
    ]);
    const verdict = judge(
      s,
      [
        obs('peer', 'ipv6', 'udp', 1, 'closed', 'r'),
        obs('peer', 'ipv4', 'tcp', 9, 'closed', 'r'),
        obs('peer', 'ipv4', 'tcp', 2, 'closed', 'r'),
        obs('loopback', 'ipv6', 'tcp', 1, 'closed', 'r'),
        obs('loopback', 'ipv4', 'tcp', 5, 'closed', 'r'),
      ],
      [],
      covered,
    );
    expect(verdict.mismatches.map((m) => `${m.vantage} ${m.family} ${m.protocol}/${m.port}`)).toEqual([
      'loopback ipv4 tcp/5',
      'loopback ipv6 tcp/1',
      'peer ipv4 tcp/2',
      'peer ipv4 tcp/9',
      'peer ipv6 udp/1',
    ]);
  });

  it('strict parity fails the verdict on an unexcused gap; report only lists it', () => {
    const observations = [obs('loopback', 'ipv4', 'tcp', 53, 'filtered', 'no-response'), obs('loopback', 'ipv6', 'tcp', 53, 'open', 'syn-ack')];
    const strict = judge(scenario([], { mode: 'strict' }), observations, [], covered);
    expect(strict.passed).toBe(false);
    expect(strict.parity.map((f) => f.message)).toEqual(['loopback tcp/53: ipv4 filtered (no-response), ipv6 open (syn-ack)']);
    const report = judge(scenario([], { mode: 'report' }), observations, [], covered);
    expect(report.passed).toBe(true);
    expect(report.parity).toHaveLength(1);
    const excused = judge(scenario([], { mode: 'strict', exceptions: [{ vantage: 'loopback', protocol: 'tcp', port: 53, why: 'by design' }] }), observations, [], covered);
    expect(excused.passed).toBe(true);
    expect(excused.parity[0]?.excusedBy).toBe('by design');
  });

  it('owns passed: an unverified rule fails a verdict whose every port matched, and is listed as data', () => {
    const s = scenario([expectation({ ...v4tcp, open: [22] })]);
    const observed = [obs('loopback', 'ipv4', 'tcp', 22, 'open', 'syn-ack')];
    const dscp = { family: 'ipv6', match: 'dscp', rule: '-A INPUT -m dscp --dscp 0x2e -j ACCEPT' } as const;
    const ttl = { family: 'ipv4', match: 'ttl', rule: '-A INPUT -m ttl --ttl-lt 5 -j DROP' } as const;
    expect(judge(s, observed, [], covered).passed).toBe(true);
    const verdict = judge(s, observed, [], { unverified: [dscp, ttl] });
    expect(verdict.passed).toBe(false);
    expect(verdict.mismatches).toEqual([]);
    // In a fixed order (family, match), whatever order the rules were read in.
    expect(verdict.unverified).toEqual([ttl, dscp]);
  });

  it('an unverified rule does not hide the other reasons: mismatches and gaps are still reported beside it', () => {
    const s = scenario([expectation({ ...v4tcp, filtered: [53] })], { mode: 'strict' });
    const observed = [obs('loopback', 'ipv4', 'tcp', 53, 'open', 'syn-ack'), obs('loopback', 'ipv6', 'tcp', 53, 'filtered', 'no-response')];
    const verdict = judge(s, observed, [], { unverified: [{ family: 'ipv4', match: 'length', rule: '-A INPUT -m length --length 0:60 -j DROP' }] });
    expect(verdict.passed).toBe(false);
    expect(verdict.mismatches.map((m) => m.port)).toEqual([53]);
    expect(verdict.parity).toHaveLength(1);
    expect(verdict.unverified.map((u) => u.match)).toEqual(['length']);
  });
});

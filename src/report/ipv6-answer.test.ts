import { describe, expect, test } from 'vitest';
import { errorResult, fixedResult, gapResult } from './fixtures.test-helpers.ts';
import { answerIpv6 } from './ipv6-answer.ts';
import type { ScenarioResult } from './result.ts';

describe('the answer to "have you checked ip6tables lately?"', () => {
  test('the v4-only host: the ports open over IPv6 and not IPv4, from the peer, with the IPv4 state', () => {
    const answer = answerIpv6(gapResult());
    expect(answer.kind).toBe('more-open');
    expect(answer.sentence).toBe('Open over IPv6 and not IPv4: tcp/53 (from peer: IPv4 filtered), tcp/80 (from peer: IPv4 filtered).');
    // Loopback's differences are listed, not part of the sentence.
    expect(answer.differences.map((f) => `${f.vantage} ${f.port}`)).toEqual(['loopback 53', 'loopback 80', 'peer 53', 'peer 80']);
  });

  test('the fix: filtered alike, naming where it was compared', () => {
    expect(answerIpv6(fixedResult())).toMatchObject({ kind: 'same', sentence: 'IPv6 is filtered like IPv4 (compared from peer).', differences: [] });
  });

  test('a difference where IPv4 is the more open family is not called an IPv6 exposure', () => {
    const base = gapResult();
    const swapped: ScenarioResult = {
      ...base,
      verdict: { ...base.verdict!, parity: base.verdict!.parity.map((f) => ({ ...f, ipv4: f.ipv6, ipv6: { state: 'closed', reason: 'reset' } })) },
    };
    const answer = answerIpv6(swapped);
    expect(answer.kind).toBe('differs');
    expect(answer.sentence).toMatch(/^IPv6 opens no port IPv4 keeps shut, but is not filtered like IPv4: 2 difference\(s\) from peer/);
  });

  test('no answer without a verdict, or when no network vantage saw IPv6: unknown is never "filtered like IPv4"', () => {
    expect(answerIpv6(errorResult())).toMatchObject({ kind: 'unanswered', sentence: expect.stringMatching(/^Not answered: the run did not finish \(iptables-restore/) });
    const v4only = fixedResult();
    const peerV4 = { ...v4only, observations: v4only.observations.filter((o) => o.vantage === 'loopback' || o.family === 'ipv4') };
    expect(answerIpv6(peerV4)).toMatchObject({ kind: 'unanswered', sentence: 'Not answered: no vantage other than loopback scanned both IPv4 and IPv6.' });
    expect(answerIpv6({ ...v4only, verdict: { ...v4only.verdict!, parityMode: 'off' } }).kind).toBe('unanswered');
    // A lab that may not serve what the host serves cannot say IPv6 is filtered alike.
    expect(answerIpv6(fixedResult(), { unknown: 'the listening sockets were not read' }).sentence).toBe('Not answered: the listening sockets were not read.');
  });
});

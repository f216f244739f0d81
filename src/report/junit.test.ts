/** junit.xml is well-formed, counts right, and puts each failure in its own vantage × family. */
import { describe, expect, it } from 'vitest';
import { parseStringPromise } from 'xml2js';
import type { Mismatch } from '../model/observation.ts';
import { renderJunit as renderDoc } from './junit.ts';
import { emptyResult, verdictFields, type ScenarioResult } from './result.ts';
import { buildResultsDocument } from './results-document.ts';

const renderJunit = (results: ScenarioResult[]) => renderDoc(buildResultsDocument(results));

const scan = (vantage: 'loopback' | 'peer', family: 'ipv4' | 'ipv6') => ({
  vantage,
  family,
  protocol: 'tcp' as const,
  target: '::1',
  command: [],
  hostState: 'up' as const,
  ms: 1,
  sourcePort: null,
  followUpCommands: [],
  warnings: [],
});
const mismatch: Mismatch = {
  vantage: 'peer',
  family: 'ipv6',
  protocol: 'tcp',
  port: 53,
  expected: ['filtered'],
  observed: 'open',
  reason: 'syn-ack',
  message: 'peer ipv6 tcp/53: expected filtered, observed open (syn-ack)',
};
const verdict = (mismatches: Mismatch[]) => ({
  passed: mismatches.length === 0,
  mismatches,
  missing: [],
  othersMismatches: [],
  unchecked: { observations: [], summaries: [] },
  parity: [],
  unverified: [],
});

function result(name: string, patch: Partial<ScenarioResult>): ScenarioResult {
  return { ...emptyResult(name, `scenarios/${name}.scenario.yaml`), vantages: ['loopback', 'peer'], ...patch };
}

describe('renderJunit', () => {
  it('one suite per scenario, a case per scanned vantage × family, failures in their slice, errors real, no phantom skips', async () => {
    const passed = result('a', { ...verdictFields(verdict([]), 'report'), scans: [scan('loopback', 'ipv4'), scan('loopback', 'ipv6')] });
    const failed = result('b', { ...verdictFields(verdict([mismatch]), 'report'), scans: ['ipv4', 'ipv6'].flatMap((f) => [scan('loopback', f as 'ipv4'), scan('peer', f as 'ipv4')]) });
    const broken = result('c "<&>"\u001b[2J', { error: 'Lab self-check failed\n- ::1 is not on lo', errorCode: 'LAB_SELF_CHECK_FAILED' });
    const doc = await parseStringPromise(renderJunit([failed, broken, passed]));
    expect(doc.testsuites.$).toMatchObject({ tests: '9', failures: '1', errors: '1', skipped: '0' });
    const suites = doc.testsuites.testsuite as {
      $: Record<string, string>;
      testcase: { $: Record<string, string>; failure?: unknown[]; skipped?: unknown[]; error?: { $: { message: string } }[] }[];
    }[];
    expect(suites.map((s) => s.$.name)).toEqual(['scenarios/a.scenario.yaml', 'scenarios/b.scenario.yaml', 'scenarios/c "<&>"\u001b[2J.scenario.yaml'.replace('\u001b', '\\u{1b}')]);
    const b = suites[1]!.testcase;
    expect(b.map((c) => c.$.name)).toEqual(['b: loopback ipv4', 'b: loopback ipv6', 'b: peer ipv4', 'b: peer ipv6', 'b: parity and coverage']);
    expect(b.filter((c) => c.failure).map((c) => c.$.name)).toEqual(['b: peer ipv6']);
    // `a` declares the peer but never scanned it and expects nothing of it: no case, not a skipped one.
    expect(suites[0]!.testcase.map((c) => c.$.name)).toEqual(['a: loopback ipv4', 'a: loopback ipv6', 'a: parity and coverage']);
    expect(suites[2]!.testcase[0]!.error![0]!.$.message).toBe('LAB_SELF_CHECK_FAILED: Lab self-check failed');
  });

  it('takes other vantages and scanned hosts from the data; an expected port no scan reached fails, never skips', async () => {
    // A named peer scanning a named host: what the lab's topology work brings (plain data here).
    const admin = { ...scan('peer', 'ipv6'), vantage: 'admin', host: 'web' } as unknown as ReturnType<typeof scan>;
    const wrong = { ...mismatch, vantage: 'admin', host: 'web', message: 'admin → web ipv6 tcp/53: expected filtered, observed open' } as unknown as Mismatch;
    const unseen = {
      vantage: 'admin',
      family: 'ipv4',
      protocol: 'tcp',
      port: 22,
      expected: 'open',
      message: 'admin ipv4 tcp/22: expected open, not observed (the admin ipv4 tcp scan reported no ports at all)',
    } as const;
    const r = result('t', { ...verdictFields({ ...verdict([wrong]), passed: false, missing: [unseen] }, 'report'), vantages: ['loopback', 'admin'], scans: [scan('loopback', 'ipv4'), admin] });
    const doc = await parseStringPromise(renderJunit([r]));
    const cases = doc.testsuites.testsuite[0].testcase as { $: { name: string }; failure?: { $: { message: string } }[]; skipped?: unknown[] }[];
    // No `peer` anywhere in the data, so no `peer` case; nothing scanned loopback over IPv6 and nothing is expected there: no case.
    expect(cases.map((c) => c.$.name)).toEqual(['t: loopback ipv4', 't: admin → web ipv6', 't: admin ipv4', 't: parity and coverage']);
    expect(cases.filter((c) => c.failure).map((c) => c.$.name)).toEqual(['t: admin → web ipv6', 't: admin ipv4']);
    expect(cases.find((c) => c.$.name === 't: admin ipv4')!.failure![0]!.$.message).toBe(unseen.message);
    expect(cases.filter((c) => c.skipped)).toEqual([]);
  });

  it('only the families the scenario used: an IPv4-only result has no IPv6 cases at all', async () => {
    const v4 = result('v4', { ...verdictFields(verdict([]), 'report'), scans: [scan('loopback', 'ipv4'), scan('peer', 'ipv4')] });
    const doc = await parseStringPromise(renderJunit([v4]));
    const cases = doc.testsuites.testsuite[0].testcase as { $: { name: string }; skipped?: unknown[] }[];
    expect(cases.map((c) => c.$.name)).toEqual(['v4: loopback ipv4', 'v4: peer ipv4', 'v4: parity and coverage']);
  });

  it('unverified rules fail "parity and coverage" from the structured list, one line each', async () => {
    const unverified = [{ family: 'ipv4', match: 'ttl', rule: '-A INPUT -m ttl --ttl-lt 5 -j DROP' }] as const;
    const r = result('u', { ...verdictFields({ ...verdict([]), passed: false, unverified: [...unverified] }, 'report'), scans: [scan('loopback', 'ipv4')] });
    const doc = await parseStringPromise(renderJunit([r]));
    const cases = doc.testsuites.testsuite[0].testcase as { $: { name: string }; failure?: { $: { message: string } }[] }[];
    const coverage = cases.find((c) => c.$.name === 'u: parity and coverage')!;
    expect(coverage.failure![0]!.$.message).toMatch(/^unverified: ipv4 rule matches on ttl, which fwprobe's clients do not vary: -A INPUT -m ttl --ttl-lt 5 -j DROP/);
  });
});

/**
 * A scenario whose verdict failed is never a junit suite without a failure: results read back for
 * `merge-reports` are checked only for their top-level fields, so a shard may carry status `failed` with
 * no verdict, or a verdict written before `parityMode` existed that failed on a parity gap alone.
 */
import { describe, expect, it } from 'vitest';
import { parseStringPromise } from 'xml2js';
import { renderJunit } from './junit.ts';
import { emptyResult, type ScenarioResult } from './result.ts';
import { buildResultsDocument } from './results-document.ts';

const scan = { vantage: 'loopback', family: 'ipv4', protocol: 'tcp', target: '127.0.0.1', command: [], hostState: 'up', ms: 1, sourcePort: null, followUpCommands: [], warnings: [] } as const;
const gap = {
  vantage: 'loopback',
  protocol: 'tcp',
  port: 22,
  ipv4: { state: 'filtered', reason: 'no-response' },
  ipv6: { state: 'open', reason: 'syn-ack' },
  excusedBy: null,
  message: 'loopback tcp/22: ipv4 filtered, ipv6 open',
};

function failed(patch: Partial<ScenarioResult>): ScenarioResult {
  return { ...emptyResult('web01', 'scenarios/web01.scenario.yaml'), status: 'failed', scans: [{ ...scan }], ...patch } as ScenarioResult;
}

async function failures(result: ScenarioResult): Promise<{ total: string; messages: string[] }> {
  const doc = await parseStringPromise(renderJunit(buildResultsDocument([result])));
  const cases = doc.testsuites.testsuite[0].testcase as { failure?: { $: { message: string } }[] }[];
  return { total: doc.testsuites.$.failures, messages: cases.flatMap((c) => (c.failure ?? []).map((f) => f.$.message)) };
}

describe('junit.xml for a failed verdict', () => {
  it('status failed with no verdict is a failure', async () => {
    const { total, messages } = await failures(failed({ verdict: null }));
    expect(total).toBe('1');
    expect(messages[0]).toMatch(/failed/);
  });

  it('a verdict failed on a parity gap, written without parityMode, is a failure', async () => {
    const verdict = { passed: false, mismatches: [], missing: [], othersMismatches: [], unchecked: { observations: [], summaries: [] }, parity: [gap], unverified: [] };
    const { total, messages } = await failures(failed({ verdict: verdict as unknown as ScenarioResult['verdict'] }));
    expect(total).toBe('1');
    expect(messages.join('\n')).toContain('loopback tcp/22');
  });
});

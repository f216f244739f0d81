/** summary.md: a line per scenario, a port matrix with the IPv6 gap marked, escaped, and bounded. */
import { describe, expect, it } from 'vitest';
import type { Observation } from '../model/observation.ts';
import type { Mismatch } from '../model/observation.ts';
import { emptyResult, type JudgedVerdict, type ScenarioResult } from './result.ts';
import { buildResultsDocument } from './results-document.ts';
import { renderSummary as renderDoc } from './summary-md.ts';

const renderSummary = (results: ScenarioResult[]) => renderDoc(buildResultsDocument(results));
const failing = (mismatches: Mismatch[]): JudgedVerdict => ({
  passed: false,
  mismatches,
  missing: [],
  othersMismatches: [],
  unchecked: { observations: [], summaries: [] },
  parity: [],
  unverified: [],
  parityMode: 'report',
});
const mismatch = (port: number, message: string): Mismatch => ({ vantage: 'loopback', family: 'ipv6', protocol: 'tcp', port, expected: ['filtered'], observed: 'open', reason: 'syn-ack', message });

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
const obs = (family: 'ipv4' | 'ipv6', port: number, state: Observation['state']): Observation => ({ vantage: 'loopback', family, protocol: 'tcp', port, state, reason: 'x' });

describe('renderSummary', () => {
  it('marks the ports where IPv4 and IPv6 differ, and escapes names for the table', () => {
    const gap: ScenarioResult = {
      ...emptyResult('v4 | only\u001b[31m', 'scenarios/gap.scenario.yaml'),
      status: 'failed',
      scans: [scan('loopback', 'ipv4'), scan('loopback', 'ipv6')],
      observations: [obs('ipv4', 22, 'open'), obs('ipv6', 22, 'open'), obs('ipv4', 53, 'filtered'), obs('ipv6', 53, 'open')],
      verdict: failing([mismatch(53, 'loopback ipv6 tcp/53: expected filtered, observed open (syn-ack)')]),
    };
    const md = renderSummary([gap]);
    expect(md).toContain('0 passed, 1 failed, 0 error');
    expect(md).toContain('| ❌ | v4 \\| only\\x1b\\[31m | `scenarios/gap.scenario.yaml` |');
    expect(md).toContain('| tcp/22 | **OPEN** | **OPEN** |  |');
    expect(md).toContain('| tcp/53 | filtered | **OPEN** | ⚠️ IPv4 ≠ IPv6 |');
    expect(md).toContain('\n- loopback ipv6 tcp/53: expected filtered, observed open (syn-ack)\n');
    expect(md).not.toContain('\u001b');
  });

  it('shows HTML in a name as text: GitHub would render it in a job summary', () => {
    const md = renderSummary([{ ...emptyResult('<img src=https://example.com/t.png> & <b>x</b>', 'e.scenario.yaml'), status: 'passed' }]);
    expect(md).toContain('| ✅ | &lt;img src=https://example.com/t.png&gt; &amp; &lt;b&gt;x&lt;/b&gt; |');
    expect(md).not.toMatch(/<img|<b>/);
    expect(renderSummary([{ ...emptyResult('![t](https://example.com/t.png)', 'e.scenario.yaml'), status: 'passed' }])).toContain('| ✅ | !\\[t\\](https://example.com/t.png) |');
  });

  it('stays under 1 MiB however many scenarios and ports there are', () => {
    const many = Array.from({ length: 400 }, (_, i) => ({
      ...emptyResult(`s${i}`, `f${i}`),
      status: 'failed' as const,
      scans: [scan('loopback', 'ipv4')],
      observations: Array.from({ length: 500 }, (_, p) => obs('ipv4', p + 1, 'open')),
      verdict: failing(Array.from({ length: 100 }, (_, p) => mismatch(p + 1, 'x'.repeat(500)))),
    }));
    const md = renderSummary(many);
    expect(Buffer.byteLength(md)).toBeLessThan(1024 * 1024);
    expect(md).toContain('the summary stays under 1 MiB');
  });
});

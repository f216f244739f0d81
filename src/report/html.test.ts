/** index.html from the structured results: parity first, a judged matrix, user text escaped, raw text bounded. */
import { describe, expect, it } from 'vitest';
import { buildResultsDocument } from './results-document.ts';
import { errorResult, fixedResult, gapResult, scanRecord } from './fixtures.test-helpers.ts';
import { MAX_RAW_CHARS, renderHtml } from './html.ts';
import { emptyResult } from './result.ts';

const html = (results = [gapResult(), fixedResult(), errorResult()]) => renderHtml(buildResultsDocument(results, { now: new Date('2025-01-02T03:04:05Z') }));

describe('renderHtml', () => {
  it('puts the parity findings before any scenario, and colours the unexpected exposures', () => {
    const page = html();
    const parity = page.indexOf('IPv4 / IPv6 parity findings (4)');
    expect(parity).toBeGreaterThan(0);
    expect(parity).toBeLessThan(page.indexOf('<section class="scenario'));
    expect(page).toContain('loopback tcp/53: ipv4 filtered (no-response), ipv6 open (syn-ack)');
    // 2 scenarios with a matrix × 3 ports × 4 columns; the gap's 4 exposures are IPv6 53 and 80 from both vantages.
    expect(page.match(/<td class="cell /g)).toHaveLength(24);
    expect(page.match(/<td class="cell exposed open"/g)).toHaveLength(4);
    expect(page).toContain('<small>expected filtered</small>');
  });

  it('shows the rule or policy behind a cell, under the state and on hover', () => {
    const gap = gapResult();
    const o = gap.observations.find((x) => x.family === 'ipv6' && x.port === 53)!;
    o.attribution = { tool: 'ip6tables', table: 'filter', chain: 'INPUT', verdict: 'ACCEPT', policy: 'ACCEPT', path: ['INPUT'], source: { file: 'rules.v6', line: 4 } } as never;
    const page = html([gap]);
    expect(page).toMatch(/<small class="why">← [^<]*policy ACCEPT[^<]*<\/small>/);
    expect(page).toMatch(/title="[^"]*why: [^"]*policy ACCEPT/);
  });

  it("carries the applied rulesets with their sha256, the counters and nmap's XML", () => {
    const page = html([gapResult()]);
    expect(page).toMatch(/IPv4 sha256 <code>[0-9a-f]{64}<\/code>/);
    expect(page).toContain('[3:180] -A INPUT -p tcp --dport 22 -j ACCEPT');
    expect(page).toContain('&lt;nmaprun scanner=&quot;nmap&quot; args=&quot;nmap peer ipv6&quot;&gt;');
  });

  it('is self-contained: no script, no external reference, a policy that forbids fetching', () => {
    const page = html();
    expect(page).not.toMatch(/<script|<link|<img|@import|url\(|src=|https?:\/\//i);
    expect(page).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`);
  });

  it('escapes names, paths, errors and XML: a <script> in a name is shown, never run', () => {
    const evil = { ...gapResult('<script>alert(1)</script><img src=x onerror=alert(2)>"\u001b[31m'), file: 'x/<b>.scenario.yaml' };
    evil.scans = [scanRecord('loopback', 'ipv4', '</pre><script>alert(3)</script>')];
    const page = html([evil, { ...errorResult(), error: '<iframe src="javascript:alert(4)">' }]);
    expect(page).not.toMatch(/<script|<img|<iframe|<b>/i);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;\\x1b[31m');
    expect(page).toContain('&lt;/pre&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
  });

  it('stays bounded however much raw text the results carry', () => {
    const huge = 'x'.repeat(64 * 1024);
    const many = Array.from({ length: 120 }, (_, i) => ({ ...gapResult(`s${i}`), scans: [0, 1, 2, 3].map(() => scanRecord('peer', 'ipv6', huge)) }));
    const page = html(many);
    expect(page.length).toBeLessThan(MAX_RAW_CHARS + 2 * 1024 * 1024);
    expect(page).toContain('Left out here to keep this page small: see results.json.');
  });

  it('says so when no port differs between the families', () => {
    expect(html([fixedResult(), emptyResult('nothing', 'n.scenario.yaml')])).toContain('No port answered differently over IPv4 and IPv6.');
  });
});

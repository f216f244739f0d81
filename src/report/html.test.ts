/**
 * index.html from the structured results: unexpected exposures first, then parity, lint notes folded, a judged
 * matrix whose cells carry a mark for their rule, user text escaped, raw text bounded.
 */
import { describe, expect, it } from 'vitest';
import { buildResultsDocument } from './results-document.ts';
import { errorResult, fixedResult, gapResult, scanRecord } from './fixtures.test-helpers.ts';
import { MAX_RAW_CHARS, renderHtml } from './html.ts';
import { emptyResult } from './result.ts';
import { statesSatisfying } from '../verdict/satisfies.ts';

const html = (results = [gapResult(), fixedResult(), errorResult()]) => renderHtml(buildResultsDocument(results, { now: new Date('2025-01-02T03:04:05Z') }));

describe('renderHtml', () => {
  it('puts the unexpected exposures first, one line each, then the parity findings, before any scenario', () => {
    const page = html();
    const exposures = page.indexOf('<section class="exposures"');
    const parity = page.indexOf('IPv4 / IPv6 parity findings (4)');
    expect(exposures).toBeGreaterThan(0);
    expect(page.indexOf('<section')).toBe(exposures);
    expect(parity).toBeGreaterThan(exposures);
    expect(parity).toBeLessThan(page.indexOf('<section class="scenario'));
    // The gap's 4 exposures (IPv6 53 and 80 from both vantages), one row each, with the expectation's word.
    expect(page).toContain('Exposed, not expected (4)');
    const lines = page.slice(exposures, parity).match(/<tr><td class="long"><a href="#scenario-\d+">/g);
    expect(lines).toHaveLength(4);
    expect(page.slice(exposures, parity)).toContain(
      '<td class="short">peer</td><td class="short">ipv6</td><td class="short"><code>tcp/80</code></td><td class="short">expected <strong>filtered</strong></td><td class="short"><strong class="observed">open</strong></td>',
    );
    expect(page).toContain('loopback tcp/53: ipv4 filtered (no-response), ipv6 open (syn-ack)');
    // 2 scenarios with a matrix × 3 ports × 4 columns.
    expect(page.match(/<td class="cell /g)).toHaveLength(24);
    expect(page.match(/<td class="cell exposed open"/g)).toHaveLength(4);
    expect(page).toContain('<small>expected filtered</small>');
  });

  it('says nothing is exposed when nothing answered that was not allowed', () => {
    expect(html([fixedResult()])).toContain('<h2>Exposed, not expected (0)</h2><p>Nothing answered that the expectations did not allow.</p>');
  });

  it('writes the expectation\'s own word in a failing cell: "expected not-open", never the list of states', () => {
    const gap = gapResult();
    gap.verdict!.mismatches = gap.verdict!.mismatches.map((m) => ({ ...m, expected: statesSatisfying('not-open', m.protocol) }));
    const page = html([gap]);
    expect(page).toContain('<small>expected not-open</small>');
    expect(page).toContain('expected <strong>not-open</strong>');
    expect(page).not.toMatch(/closed or filtered/);
  });

  it('marks a cell with the number of its deciding rule: the text on hover and in the folded "why" list', () => {
    const gap = gapResult();
    const rule = '-A INPUT -p tcp -m comment --comment "a very long comment that explains why this rule exists at all" -j ACCEPT';
    for (const o of gap.observations.filter((x) => x.family === 'ipv6' && x.port !== 22)) {
      o.attribution = { tool: 'ip6tables', table: 'filter', chain: 'INPUT', verdict: 'ACCEPT', policy: 'ACCEPT', path: ['INPUT'], source: { file: 'rules.v6', line: 4 } } as never;
    }
    for (const o of gap.observations.filter((x) => x.family === 'ipv4' && x.port === 22)) {
      o.attribution = { tool: 'iptables', table: 'filter', chain: 'INPUT', verdict: 'ACCEPT', rule, path: ['INPUT'] } as never;
    }
    const page = html([gap]);
    // One number per distinct rule, in row order: the rule (22/tcp, 2 cells) is 1, the policy (4 cells) 2.
    expect(page.match(/<a class="mark" href="#scenario-1-why-1">\[1\]<\/a>/g)).toHaveLength(2);
    expect(page.match(/<a class="mark" href="#scenario-1-why-2">\[2\]<\/a>/g)).toHaveLength(4);
    expect(page).toMatch(
      /<details class="why"><summary>Why: the deciding rules \(2\)<\/summary><ol class="why"><li id="scenario-1-why-1" value="1">[^<]*a very long comment[^<]*<\/li>\s*<li id="scenario-1-why-2" value="2">policy ACCEPT[^<]*rules\.v6:4[^<]*<\/li>/,
    );
    expect(page).toMatch(/title="[^"]*why: [^"]*policy ACCEPT/);
    // The cell holds the state and the mark, never the rule's text.
    expect(page).not.toMatch(/<td class="cell[^>]*>[^<]*<a class="mark"[^>]*>[^<]*<\/a><small>[^<]*comment/);
    expect(page).not.toContain('class="why">←');
    // The exposures panel shows the rule short, the whole text on hover.
    expect(page).toMatch(/<span class="rule" title="policy ACCEPT[^"]*rules\.v6:4\]">policy ACCEPT/);
  });

  it("lists a sweep's summarised open ports as one exposure line, with the count", () => {
    const gap = gapResult();
    gap.verdict!.othersMismatches = [
      {
        vantage: 'peer',
        family: 'ipv6',
        protocol: 'tcp',
        expected: 'not-open',
        observed: 'open',
        reason: 'syn-ack',
        count: 12,
        message: 'peer ipv6 tcp (12 other ports): expected not-open, observed open (syn-ack)',
      },
      { vantage: 'peer', family: 'ipv4', protocol: 'tcp', expected: 'closed', observed: 'filtered', reason: 'no-response', count: 9, message: 'not an exposure' },
    ];
    const page = html([gap]);
    expect(page).toContain('Exposed, not expected (5)');
    expect(page).toContain('<td class="short"><code>tcp (12 other ports)</code></td><td class="short">expected <strong>not-open</strong></td>');
    expect(page).not.toContain('tcp (9 other ports)');
  });

  it('keeps the lint notes in their own folded panel, after the parity findings', () => {
    const gap = { ...gapResult(), staticParity: ['ipv4: 24 rule(s) not analysed (user chains), e.g. "-A X"; the scans still judge what they do.'] };
    const page = html([gap]);
    const lint = page.indexOf('<section class="lint" id="lint"><details><summary>Lint notes from the rulesets (1)</summary>');
    expect(lint).toBeGreaterThan(page.indexOf('id="parity"'));
    expect(page.indexOf('24 rule(s) not analysed')).toBeGreaterThan(lint);
    expect(page.slice(page.indexOf('id="parity"'), lint)).not.toContain('not analysed');
    expect(html([gapResult()])).not.toContain('id="lint"');
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
    // A rule's comment is the user's text too: in the exposures line, the cell's title and the why list.
    for (const o of evil.observations.filter((x) => x.family === 'ipv6')) {
      o.attribution = {
        tool: 'ip6tables',
        table: 'filter',
        chain: 'INPUT',
        verdict: 'ACCEPT',
        rule: '-A INPUT -m comment --comment "\'><script>alert(5)</script>" -j ACCEPT',
        path: ['INPUT'],
      } as never;
    }
    const page = html([evil, { ...errorResult(), error: '<iframe src="javascript:alert(4)">' }]);
    expect(page).not.toMatch(/<script|<img|<iframe|<b>/i);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;\\x1b[31m');
    expect(page).toContain('&lt;/pre&gt;&lt;script&gt;alert(3)&lt;/script&gt;');
    expect(page.match(/&quot;&#39;&gt;&lt;script&gt;alert\(5\)&lt;\/script&gt;&quot;/g)!.length).toBeGreaterThanOrEqual(4);
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

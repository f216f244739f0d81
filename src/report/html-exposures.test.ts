/**
 * The first panel of index.html never says "nothing answered" for a run whose verdict failed on an
 * admission: a summary of 65530 ports `closed` where `filtered` was expected (the firewall let them through
 * to a stack with no listener: open on the real host), a listed port closed by an ACCEPT rule where
 * `filtered` was expected, or a scenario that ended in error before any verdict.
 */
import { describe, expect, it } from 'vitest';
import type { Mismatch } from '../model/observation.ts';
import { scanRecord } from './fixtures.test-helpers.ts';
import { renderHtml } from './html.ts';
import { emptyResult, verdictFields, type ScenarioResult } from './result.ts';
import { buildResultsDocument } from './results-document.ts';

const base = { passed: false, mismatches: [] as Mismatch[], missing: [], othersMismatches: [], unchecked: { observations: [], summaries: [] }, parity: [], unverified: [] };
const scan = () => scanRecord('peer', 'ipv4');

function panel(results: ScenarioResult[]): string {
  const page = renderHtml(buildResultsDocument(results));
  return page.slice(page.indexOf('<section class="exposures"'), page.indexOf('</section>', page.indexOf('<section class="exposures"')));
}

describe('the exposures panel of a failed run', () => {
  it('lists a summary of ports the firewall admitted (closed where filtered was expected)', () => {
    const others = {
      vantage: 'peer',
      family: 'ipv4',
      protocol: 'tcp',
      expected: 'filtered',
      observed: 'closed',
      reason: 'reset',
      count: 65530,
      message: 'peer ipv4 tcp (65530 other ports): expected filtered, observed closed (reset)',
    };
    const r = { ...emptyResult('web01', 'scenarios/web01.scenario.yaml'), ...verdictFields({ ...base, othersMismatches: [others] } as never, 'strict'), scans: [scan()] } as ScenarioResult;
    const html = panel([r]);
    expect(html).not.toContain('Nothing answered');
    expect(html).toContain('<h2>Exposed, not expected (1)</h2>');
    expect(html).toContain('65530 other ports');
  });

  it('lists a listed port closed by an ACCEPT rule where filtered was expected', () => {
    const m: Mismatch = {
      vantage: 'peer',
      family: 'ipv4',
      protocol: 'tcp',
      port: 5432,
      expected: ['filtered'],
      observed: 'closed',
      reason: 'reset',
      message: 'peer ipv4 tcp/5432: expected filtered, observed closed (reset)',
    };
    const observation = {
      vantage: 'peer',
      family: 'ipv4',
      protocol: 'tcp',
      port: 5432,
      state: 'closed',
      reason: 'reset',
      attribution: { verdict: 'ACCEPT', packet: 'first', rule: '-A INPUT -p tcp -j ACCEPT', chain: 'INPUT', path: ['INPUT'] },
    };
    const r = {
      ...emptyResult('db', 'scenarios/db.scenario.yaml'),
      ...verdictFields({ ...base, mismatches: [m] } as never, 'strict'),
      scans: [scan()],
      observations: [observation],
    } as unknown as ScenarioResult;
    const html = panel([r]);
    expect(html).toContain('<h2>Exposed, not expected (1)</h2>');
    expect(html).toContain('5432');
  });

  it('says that a scenario ended without a verdict rather than that nothing answered', () => {
    const r = { ...emptyResult('broken', 'scenarios/broken.scenario.yaml'), error: 'lab failed', errorCode: 'LAB_SELF_CHECK_FAILED' } as ScenarioResult;
    const html = panel([r]);
    expect(html).not.toContain('Nothing answered');
    expect(html).toMatch(/1 scenario\(s\) ended in error before a verdict/);
  });
});

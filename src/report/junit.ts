/**
 * junit.xml for CI systems that read it natively (GitLab, Jenkins, GitHub test reporters): one testsuite
 * per scenario, one testcase per vantage × family and one for IPv4/IPv6 parity, rendered from the
 * structured results. A failure carries the readable diff of its own slice; a slice the scenario does not
 * scan is a real <skipped/>; a scenario that could not run is one <error> with its code.
 */
import { FAMILIES } from '../model/observation.ts';
import { columnKey, columnsOf, type Placed } from './columns.ts';
import type { ScenarioResult } from './result.ts';
import { sortResults } from './results-document.ts';

export function renderJunit(results: readonly ScenarioResult[]): string {
  const sorted = sortResults(results);
  const suites = sorted.map(suite);
  const count = (k: 'tests' | 'failures' | 'errors' | 'skipped') => suites.reduce((n, s) => n + s.counts[k], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="fwprobe" tests="${count('tests')}" failures="${count('failures')}" errors="${count('errors')}" skipped="${count('skipped')}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

interface Case {
  name: string;
  outcome: { kind: 'pass' } | { kind: 'failure' | 'error'; message: string; body: string } | { kind: 'skipped'; message: string };
}

function suite(result: ScenarioResult): { xml: string; counts: Record<'tests' | 'failures' | 'errors' | 'skipped', number> } {
  const cases = casesOf(result);
  const counts = {
    tests: cases.length,
    failures: cases.filter((c) => c.outcome.kind === 'failure').length,
    errors: cases.filter((c) => c.outcome.kind === 'error').length,
    skipped: cases.filter((c) => c.outcome.kind === 'skipped').length,
  };
  const seconds = (result.durationMs / 1000).toFixed(3);
  const head = `  <testsuite name="${attr(result.file)}" tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${seconds}">`;
  // classname is the scenario's file (GitLab and Jenkins group by it), name says which slice.
  const body = cases.map((c) => {
    const open = `    <testcase classname="${attr(result.file)}" name="${attr(`${result.name}: ${c.name}`)}">`;
    const o = c.outcome;
    if (o.kind === 'pass') return `${open}</testcase>`;
    if (o.kind === 'skipped') return `${open}<skipped message="${attr(o.message)}"/></testcase>`;
    return `${open}\n      <${o.kind} message="${attr(o.message)}">${text(o.body)}</${o.kind}>\n    </testcase>`;
  });
  return { xml: [head, ...body, '  </testsuite>'].join('\n'), counts };
}

function casesOf(result: ScenarioResult): Case[] {
  if (result.status === 'error') {
    const message = `${result.errorCode ?? 'ERROR'}: ${(result.error ?? '').split('\n')[0]}`;
    return [{ name: 'lab, ruleset and scans', outcome: { kind: 'error', message, body: result.error ?? '' } }];
  }
  const verdict = result.verdict;
  const scanned = columnsOf(result);
  const has = new Set(scanned.map(columnKey));
  // The usual vantages appear even when not scanned, as real skips; any other vantage (a named peer, a
  // scanned host) comes from the data.
  const usual = DEFAULT_VANTAGES.flatMap((vantage) => FAMILIES.map((family) => ({ vantage, family, label: vantage })))
    .filter((slice) => !has.has(columnKey(slice)));
  const slices = [...scanned, ...usual].sort((a, b) => order(a.vantage) - order(b.vantage));
  const cases: Case[] = slices.map((slice) => {
    const name = `${slice.label} ${slice.family}`;
    if (!has.has(columnKey(slice))) {
      return { name, outcome: { kind: 'skipped', message: `the scenario does not scan ${name}` } };
    }
    const lines = sliceProblems(result, slice);
    return { name, outcome: lines.length === 0 ? { kind: 'pass' } : { kind: 'failure', message: lines[0]!, body: lines.join('\n') } };
  });
  const gaps = verdict?.parityMode === 'strict' ? verdict.parity.filter((f) => f.excusedBy === null).map((f) => f.message) : [];
  const unverified = result.problems.filter((p) => p.startsWith('unverified: '));
  const rest = [...gaps.map((g) => `parity: ${g}`), ...unverified];
  cases.push({ name: 'parity and coverage', outcome: rest.length === 0 ? { kind: 'pass' } : { kind: 'failure', message: rest[0]!, body: rest.join('\n') } });
  return cases;
}

function sliceProblems(result: ScenarioResult, slice: Placed): string[] {
  const verdict = result.verdict;
  if (!verdict) return [];
  const key = columnKey(slice);
  return [...verdict.mismatches, ...verdict.missing, ...verdict.othersMismatches].filter((p) => columnKey(p) === key).map((p) => p.message);
}

const DEFAULT_VANTAGES = ['loopback', 'peer'];

/** Loopback first, the usual peer next, every other vantage after them in the order it came. */
function order(vantage: string): number {
  const i = DEFAULT_VANTAGES.indexOf(vantage);
  return i === -1 ? DEFAULT_VANTAGES.length : i;
}

/** XML 1.0 cannot hold most control characters at all, even escaped: they are shown as \u{…}. */
function clean(value: string): string {
  return value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

function attr(value: string): string {
  return text(value).replaceAll('"', '&quot;').replaceAll('\n', '&#10;');
}

function text(value: string): string {
  return clean(value).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

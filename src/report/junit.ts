/**
 * junit.xml for CI systems that read it natively (GitLab, Jenkins, GitHub test reporters): one testsuite
 * per scenario, one testcase per vantage (× scanned host) × family and one for IPv4/IPv6 parity and
 * coverage, rendered from the structured verdict. The cases come from the data: every vantage (and host)
 * × family it scanned, and every slice a problem is about (an expected port no scan reached is a failure,
 * never a skip). A failure carries the readable diff of its own slice; a scenario that could not run is
 * one <error> with its code.
 */
import { FAMILIES } from '../model/observation.ts';
import { columnKey, columnsOf, type Placed } from './columns.ts';
import type { ScenarioResult } from './result.ts';
import { interruptedText, type ResultsDocument } from './results-document.ts';
import { unverifiedText } from './verdict-format.ts';

export function renderJunit(doc: ResultsDocument): string {
  const suites = doc.scenarios.map(suite);
  const stopped = interruptedText(doc);
  // An interrupted run is an error of its own: the finished scenarios' cases alone would read as a green run.
  if (stopped) suites.push(interruptedSuite(stopped));
  const count = (k: 'tests' | 'failures' | 'errors' | 'skipped') => suites.reduce((n, s) => n + s.counts[k], 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="fwprobe" tests="${count('tests')}" failures="${count('failures')}" errors="${count('errors')}" skipped="${count('skipped')}">`,
    ...suites.map((s) => s.xml),
    '</testsuites>',
    '',
  ].join('\n');
}

function interruptedSuite(message: string): ReturnType<typeof suite> {
  const xml = [
    '  <testsuite name="fwprobe run" tests="1" failures="0" errors="1" skipped="0" time="0.000">',
    `    <testcase classname="fwprobe run" name="run finished">`,
    `      <error message="${attr(message)}">${text(message)}</error>`,
    '    </testcase>',
    '  </testsuite>',
  ].join('\n');
  return { xml, counts: { tests: 1, failures: 0, errors: 1, skipped: 0 } };
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
  const cases: Case[] = slicesOf(result).map((slice) => {
    const name = `${slice.label} ${slice.family}`;
    const lines = sliceProblems(result, slice);
    return { name, outcome: lines.length === 0 ? { kind: 'pass' } : { kind: 'failure', message: lines[0]!, body: lines.join('\n') } };
  });
  const gaps = verdict?.parityMode === 'strict' ? verdict.parity.filter((f) => f.excusedBy === null).map((f) => `parity: ${f.message}`) : [];
  const rest = [...gaps, ...(verdict?.unverified ?? []).map(unverifiedText)];
  // Never a failed (or unjudged) scenario without a failure: a result read back from a shard may lack its
  // verdict, or its parityMode (files written before it existed), and its status still says what happened.
  const failedAlready = rest.length > 0 || cases.some((c) => c.outcome.kind === 'failure');
  if (!failedAlready && (result.status !== 'passed' || !verdict || !verdict.passed)) rest.push(...unexplained(result));
  cases.push({ name: 'parity and coverage', outcome: rest.length === 0 ? { kind: 'pass' } : { kind: 'failure', message: rest[0]!, body: rest.join('\n') } });
  return cases;
}

/** Why a failed verdict failed when no slice and no strict parity gap says it: its open parity gaps, else that it failed. */
function unexplained(result: ScenarioResult): string[] {
  const verdict = result.verdict;
  if (!verdict) return [`no verdict was taken (status ${result.status})`];
  const gaps = (verdict.parity ?? []).filter((f) => f.excusedBy === null).map((f) => `parity: ${f.message}`);
  return gaps.length > 0 ? gaps : [`the verdict failed (status ${result.status}), and no slice names why: see results.json`];
}

type Slice = Placed & { label: string };

/**
 * Every column the scenario scanned, and any slice a problem is about that no scan reached (a port the
 * scenario expects, never observed): declared vantages in their order first, then any other vantage in the
 * order it came. A declared vantage with no scan and nothing expected of it has no case: nothing was
 * claimed there, and a skipped case for it would be a phantom.
 */
function slicesOf(result: ScenarioResult): Slice[] {
  const scanned: Slice[] = columnsOf(result).map((c) => ({ vantage: c.vantage, family: c.family, ...(c.host ? { host: c.host } : {}), label: c.label }));
  const seen = new Set(scanned.map(columnKey));
  const verdict = result.verdict;
  const unscanned: Slice[] = [];
  for (const p of verdict ? [...verdict.mismatches, ...verdict.missing, ...verdict.othersMismatches] : []) {
    const key = columnKey(p);
    if (seen.has(key)) continue;
    seen.add(key);
    unscanned.push({ vantage: p.vantage, family: p.family, ...(p.host ? { host: p.host } : {}), label: p.host ? `${p.vantage} → ${p.host}` : p.vantage });
  }
  const all = [...scanned, ...unscanned];
  const vantages = [...new Set([...(result.vantages ?? []), ...all.map((s) => s.vantage)])];
  const labels = [...new Set(all.map((s) => s.label))];
  const rank = (s: Slice) => (vantages.indexOf(s.vantage) * labels.length + labels.indexOf(s.label)) * FAMILIES.length + FAMILIES.indexOf(s.family);
  return all.sort((a, b) => rank(a) - rank(b));
}

function sliceProblems(result: ScenarioResult, slice: Placed): string[] {
  const verdict = result.verdict;
  if (!verdict) return [];
  const key = columnKey(slice);
  return [...verdict.mismatches, ...verdict.missing, ...verdict.othersMismatches].filter((p) => columnKey(p) === key).map((p) => p.message);
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

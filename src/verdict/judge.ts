/**
 * Compares a scenario's expectations with what the scans observed, and decides whether the scenario passed:
 * every reason it cannot (a mismatch, a missing port, a strict parity gap, an unverified rule) is weighed
 * here, and nothing after the judge changes its outcome. Pure: no I/O, deterministic order.
 */
import { attributionText } from '../model/attribution.ts';
import { viewLabel, type Mismatch, type NatAlias, type Observation } from '../model/observation.ts';
import type { ObservedSummary } from '../scan/types.ts';
import { LISTED_CATEGORIES, type ExpectCategory, type ExpectationSet, type Scenario } from '../model/scenario.ts';
import { compareScoped, groupBy, portLabel, scopeKey, type Scope } from './keys.ts';
import { findParityGaps } from './parity.ts';
import { satisfies, statesSatisfying } from './satisfies.ts';
import type { Coverage, MissingObservation, OthersMismatch, UnverifiedRule, Verdict } from './types.ts';

type Accumulated = Omit<Verdict, 'passed' | 'parity' | 'unverified'>;

/** The verdict on one scenario's observations, given what the run could not cover. */
export function judge(scenario: Scenario, observations: readonly Observation[], others: readonly ObservedSummary[], coverage: Coverage): Verdict {
  const observed = groupBy(observations, scopeKey);
  const summarised = groupBy(others, scopeKey);
  const acc: Accumulated = {
    mismatches: [],
    missing: [],
    othersMismatches: [],
    unchecked: { observations: [], summaries: [] },
  };
  const judged = new Set<string>();
  for (const set of scenario.expectations) {
    const key = scopeKey(set);
    judged.add(key);
    judgeSet(set, observed.get(key) ?? [], summarised.get(key) ?? [], acc, coverage.natAliases ?? []);
  }
  for (const [key, list] of observed) if (!judged.has(key)) acc.unchecked.observations.push(...list);
  for (const [key, list] of summarised) if (!judged.has(key)) acc.unchecked.summaries.push(...list);

  const parity = findParityGaps(observations, others, scenario.parity);
  const parityFails = scenario.parity.mode === 'strict' && parity.some((f) => f.excusedBy === null);
  acc.mismatches.sort(compareScoped);
  acc.missing.sort(compareScoped);
  acc.othersMismatches.sort(compareScoped);
  acc.unchecked.observations.sort(compareScoped);
  acc.unchecked.summaries.sort(compareScoped);
  const unverified = [...coverage.unverified].sort(compareUnverified);
  const passed = acc.mismatches.length === 0 && acc.missing.length === 0 && acc.othersMismatches.length === 0 && !parityFails && unverified.length === 0;
  return { passed, ...acc, parity, unverified };
}

function judgeSet(set: ExpectationSet, observations: readonly Observation[], summaries: readonly ObservedSummary[], acc: Accumulated, aliases: readonly NatAlias[]): void {
  const listed = listedCategories(set);
  const byPort = groupBy(observations, (o) => String(o.port));
  for (const [port, category] of listed) {
    const seen = byPort.get(String(port));
    if (!seen) acc.missing.push(missing(set, port, category, observations.length, summaries));
    else for (const o of seen) check(o, category, acc.mismatches);
  }
  const inherited = inheritedByAliases(set, listed, aliases);
  for (const [port, to] of inherited) {
    const seen = byPort.get(String(port));
    if (!seen) acc.missing.push(missing(set, port, 'not-open', observations.length, summaries));
    else for (const o of seen) check(o, 'not-open', acc.mismatches, ` (NAT maps it onto ${to}/${set.protocol}, expected ${listed.get(to)})`);
  }
  for (const o of observations) {
    if (listed.has(o.port) || inherited.has(o.port)) continue;
    if (set.others === null) acc.unchecked.observations.push(o);
    else check(o, set.others, acc.mismatches);
  }
  for (const summary of summaries) {
    if (set.others === null) acc.unchecked.summaries.push(summary);
    else if (!satisfies(set.others, summary.state, summary.protocol)) {
      acc.othersMismatches.push(othersMismatch(summary, set.others));
    }
  }
}

function listedCategories(set: ExpectationSet): Map<number, ExpectCategory> {
  const out = new Map<number, ExpectCategory>();
  for (const category of LISTED_CATEGORIES) {
    for (const port of set[category] ?? []) out.set(port, category);
  }
  return out;
}

/**
 * The unlisted alias ports of this set whose service port is expected shut, with that service port: NAT
 * delivers them to the same listener, so they must not be open either (only the target's own ports).
 */
function inheritedByAliases(set: ExpectationSet, listed: ReadonlyMap<number, ExpectCategory>, aliases: readonly NatAlias[]): Map<number, number> {
  const out = new Map<number, number>();
  if (set.host !== undefined) return out;
  for (const alias of aliases) {
    if (alias.protocol !== set.protocol || listed.has(alias.port)) continue;
    const category = listed.get(alias.to);
    if (category === 'closed' || category === 'filtered' || category === 'unreachable') out.set(alias.port, alias.to);
  }
  return out;
}

function check(o: Observation, category: ExpectCategory, into: Mismatch[], why = ''): void {
  if (satisfies(category, o.state, o.protocol)) return;
  into.push({
    vantage: o.vantage,
    ...(o.host ? { host: o.host } : {}),
    family: o.family,
    protocol: o.protocol,
    port: o.port,
    expected: statesSatisfying(category, o.protocol),
    observed: o.state,
    reason: o.reason,
    message: `${portLabel(o, o.port)}: expected ${category}${why}, observed ${o.state} (${o.reason})${o.attribution ? ` ← ${attributionText(o.attribution)}` : ''}`,
  });
}

function missing(scope: Scope, port: number, expected: ExpectCategory, observedCount: number, summaries: readonly ObservedSummary[]): MissingObservation {
  const what = `${viewLabel(scope)} ${scope.family} ${scope.protocol}`;
  let why: string;
  if (observedCount === 0 && summaries.length === 0) why = `the ${what} scan reported no ports at all`;
  else if (summaries.length > 0) {
    const summary = summaries.map((s) => `${s.count} ${s.state}`).join(', ');
    why = `the ${what} scan reported ${observedCount} other ports individually and summarised ${summary}; listed ports must be reported individually`;
  } else why = `the ${what} scan reported ${observedCount} other ports but not this one`;
  return {
    ...pickScope(scope),
    port,
    expected,
    message: `${portLabel(scope, port)}: expected ${expected}, not observed (${why})`,
  };
}

function othersMismatch(summary: ObservedSummary, expected: ExpectCategory): OthersMismatch {
  return {
    ...pickScope(summary),
    expected,
    observed: summary.state,
    reason: summary.reason,
    count: summary.count,
    message: `${viewLabel(summary)} ${summary.family} ${summary.protocol} (${summary.count} other ports): ` + `expected ${expected}, observed ${summary.state} (${summary.reason})`,
  };
}

function pickScope(s: Scope): Scope {
  return { vantage: s.vantage, ...(s.host ? { host: s.host } : {}), family: s.family, protocol: s.protocol };
}

function compareUnverified(a: UnverifiedRule, b: UnverifiedRule): number {
  return a.family.localeCompare(b.family) || a.match.localeCompare(b.match) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}

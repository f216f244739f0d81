/**
 * Two results.json files compared the way `fwprobe check` compares a run with its baseline: per
 * scenario (matched by file and name), only the ports whose exposure changed. A scenario that ended in
 * error on either side cannot be compared and says so; one present on one side only is a change.
 */
import { exposureOf } from './exposure.ts';
import { exposureChanges, type ExposureChange } from './exposure-diff.ts';
import type { ScenarioResult } from './result.ts';
import { scenarioKey, type ResultsInput } from './results-input.ts';

export type ScenarioComparison =
  | { kind: 'same' | 'changed'; file: string; name: string; changes: ExposureChange[] }
  | { kind: 'only-a' | 'only-b'; file: string; name: string }
  | { kind: 'error'; file: string; name: string; side: 'A' | 'B'; error: string };

/** One comparison per scenario in either file, in file order. */
export function compareResults(a: ResultsInput, b: ResultsInput): ScenarioComparison[] {
  const left = new Map(a.scenarios.map((s) => [scenarioKey(s), s]));
  const right = new Map(b.scenarios.map((s) => [scenarioKey(s), s]));
  const keys = [...new Set([...left.keys(), ...right.keys()])].sort();
  return keys.map((key) => {
    const x = left.get(key);
    const y = right.get(key);
    const { file, name } = (x ?? y)!;
    if (!y) return { kind: 'only-a', file, name };
    if (!x) return { kind: 'only-b', file, name };
    if (x.status === 'error') return errorOf(x, 'A');
    if (y.status === 'error') return errorOf(y, 'B');
    const changes = exposureChanges(exposureOf(x.observations, x.others), exposureOf(y.observations, y.others));
    return { kind: changes.length === 0 ? 'same' : 'changed', file, name, changes };
  });
}

function errorOf(result: ScenarioResult, side: 'A' | 'B'): ScenarioComparison {
  const error = `${result.errorCode ?? 'ERROR'}: ${result.error ?? 'no message'}`;
  return { kind: 'error', file: result.file, name: result.name, side, error };
}

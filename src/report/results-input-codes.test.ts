/** A results.json read back carries only codes fwprobe has classes for; the UNEXPECTED of older files is INTERNAL. */
import { describe, expect, it } from 'vitest';
import { ResultsFileError } from '../model/errors.ts';
import { parseResultsDocument } from './results-input.ts';

function document(errorCode: string): string {
  const scenario = { name: 'n', file: 'n.scenario.yaml', status: 'error', error: 'x', errorCode, observations: [], others: [] };
  return JSON.stringify({ version: 1, fwprobe: { version: '0.1.0' }, scenarios: [scenario] });
}

describe('errorCode in a results.json read back', () => {
  it('keeps a listed code, and reads the UNEXPECTED of files written before INTERNAL as INTERNAL', () => {
    expect(parseResultsDocument(document('RULESET_APPLY_FAILED'), 'r.json').scenarios[0]!.errorCode).toBe('RULESET_APPLY_FAILED');
    expect(parseResultsDocument(document('UNEXPECTED'), 'r.json').scenarios[0]!.errorCode).toBe('INTERNAL');
  });

  it('refuses a code fwprobe has no class for, naming the file and the field', () => {
    expect(() => parseResultsDocument(document('MADE_UP'), 'r.json')).toThrow(ResultsFileError);
    expect(() => parseResultsDocument(document('MADE_UP'), 'r.json')).toThrow(/r\.json .*\n.*scenarios\[0\]\.errorCode/);
  });
});

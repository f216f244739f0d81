/**
 * The UDP ledger's words in the release gate: a counted sweep's silent UDP port is admitted, blocked or
 * unverified, never left out; the baseline keeps `unverified` apart, and a move to it is a change.
 */
import { describe, expect, it } from 'vitest';
import type { PortState } from '../model/observation.ts';
import { admissionOf } from './admission.ts';
import { parseBaseline, renderBaseline } from './baseline-file.ts';
import { exposureOf, sliceKey, type PortReading } from './exposure.ts';
import { exposureChanges, formatChange } from './exposure-diff.ts';

const udp = (port: number, state: PortState, more: Partial<PortReading> = {}): PortReading => ({ vantage: 'peer', family: 'ipv6', protocol: 'udp', port, state, reason: 'no-response', ...more });
const KEY = sliceKey({ vantage: 'peer', host: 'target', family: 'ipv6', protocol: 'udp' });
const words = (snapshot: ReturnType<typeof exposureOf>) => Object.fromEntries(snapshot.get(KEY)?.ports ?? []);

describe('admissionOf with the UDP ledger', () => {
  it('a probe that reached the socket layer is admitted whatever nmap read, short of an answer', () => {
    expect(admissionOf('open|filtered', undefined, { ledger: 'admitted' })).toEqual({ exposure: 'admitted', assumed: false });
    // The kernel's port unreachable: proven admitted now, no longer an assumption.
    expect(admissionOf('closed', undefined, { ledger: 'admitted' })).toEqual({ exposure: 'admitted', assumed: false });
    expect(admissionOf('open', undefined, { ledger: 'admitted' })).toEqual({ exposure: 'open', assumed: false });
  });
  it('a held probe is blocked (a REJECT reads closed), unless a traced client was let in', () => {
    expect(admissionOf('open|filtered', undefined, { ledger: 'dropped', droppedAt: 'input' })).toEqual({ exposure: 'blocked', assumed: false });
    expect(admissionOf('closed', undefined, { ledger: 'dropped', droppedAt: 'input', reason: 'port-unreach' })).toEqual({ exposure: 'blocked', assumed: false });
    expect(admissionOf('open|filtered', { verdict: 'ACCEPT', packet: 'first' }, { ledger: 'dropped' })).toEqual({ exposure: 'admitted', assumed: false });
  });
  it('what the ledger cannot decide is unverified, never left out; outside a counted sweep nothing changes', () => {
    expect(admissionOf('open|filtered', undefined, { ledger: 'unverified' })).toEqual({ exposure: 'unverified', assumed: false });
    expect(admissionOf('open|filtered', undefined, {})).toBeNull();
    // A closed port the ledger never saw stays admitted by assumption, as without the ledger.
    expect(admissionOf('closed', undefined, { ledger: 'unverified' })).toEqual({ exposure: 'admitted', assumed: true });
  });
});

describe('the gate with a counted UDP sweep', () => {
  // The hole: behind egress filtering a newly accepted UDP port reads open|filtered like a dropped one, was
  // left out of baseline and run alike, and `check` passed.
  it('a newly accepted silent UDP port is a change: blocked → admitted', () => {
    const before = exposureOf([udp(514, 'open|filtered', { ledger: 'dropped', droppedAt: 'input' })]);
    const after = exposureOf([udp(514, 'open|filtered', { ledger: 'admitted' })]);
    expect(words(before)).toEqual({ 514: 'blocked' });
    expect(exposureChanges(before, after).map(formatChange)).toEqual(['peer ipv6 udp/514: blocked → admitted (more access)']);
  });
  it('summaries carry their word; unverified ranks with admitted', () => {
    const others = [
      { vantage: 'peer', family: 'ipv6' as const, protocol: 'udp' as const, state: 'open|filtered' as const, ports: '1-3', ledger: 'dropped' },
      { vantage: 'peer', family: 'ipv6' as const, protocol: 'udp' as const, state: 'open|filtered' as const, ports: '4', ledger: 'admitted' },
      { vantage: 'peer', family: 'ipv6' as const, protocol: 'udp' as const, state: 'open|filtered' as const, ports: '5', ledger: 'unverified' },
    ];
    const run = exposureOf([], others);
    expect(words(run)).toEqual({ 1: 'blocked', 2: 'blocked', 3: 'blocked', 4: 'admitted', 5: 'unverified' });
    const blocked = exposureOf([], [{ ...others[0]!, ports: '1-5' }]);
    expect(exposureChanges(blocked, run).map(formatChange)).toEqual([
      'peer ipv6 udp/4: blocked → admitted (more access)',
      'peer ipv6 udp/5: blocked → unverified (may be admitted: the ledger could not verify it)',
    ]);
    // Admitted and unverified are the same access: no change either way; a port never seen before that is
    // unverified now is one.
    const admitted = exposureOf([], [others[0]!, { ...others[1]!, ports: '4-5' }]);
    expect(exposureChanges(admitted, run)).toEqual([]);
    expect(exposureChanges(run, admitted)).toEqual([]);
    expect(exposureChanges(exposureOf([], [others[0]!]), run).map(formatChange)).toContain('peer ipv6 udp/5: not seen → unverified (may be admitted: the ledger could not verify it)');
  });
  it('the baseline keeps unverified in a field of its own, and reads it back', () => {
    const run = exposureOf([udp(53, 'open', { reason: 'udp-response' })], [{ vantage: 'peer', family: 'ipv6', protocol: 'udp', state: 'open|filtered', ports: '60-61', ledger: 'unverified' }]);
    const text = renderBaseline({ fwprobe: '0', scenario: 's', rulesets: `sha256:${'a'.repeat(64)}`, exposure: run });
    expect(text).toContain('{"vantage":"peer","host":"target","family":"ipv6","protocol":"udp","open":"53","admitted":"","unverified":"60-61","blocked":""}');
    const back = parseBaseline(text, 's.baseline.json');
    expect(words(back.exposure)).toEqual({ 53: 'open', 60: 'unverified', 61: 'unverified' });
    expect(exposureChanges(back.exposure, run)).toEqual([]);
  });

  // `tcp sport 53 accept` before a drop: the scan's pinned probe is held, a client from port 53 gets in.
  it('a silent TCP port under a rule keyed on the source port is unverified, unless a traced client decided it', () => {
    expect(admissionOf('filtered', undefined, { ledger: 'unverified', reason: 'no-response' })).toEqual({ exposure: 'unverified', assumed: false });
    expect(admissionOf('filtered', undefined, { reason: 'no-response' })).toEqual({ exposure: 'blocked', assumed: false });
    const traced = { verdict: 'DROP', packet: 'first', rule: '-A INPUT -j DROP' } as const;
    expect(admissionOf('filtered', traced, { ledger: 'unverified', reason: 'no-response' })).toEqual({ exposure: 'blocked', assumed: false });
  });
});

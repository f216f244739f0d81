/** validate's ruleset check plan: which tool sees which file, in what order, and what is left unchecked. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoadedFile, RulesetLayer } from '../model/scenario.ts';
import { CHECK_DIR, planSyntaxCheck } from './syntax-plan.ts';

const file = (name: string, text = 'x\n'): LoadedFile => ({ path: resolve(name), text });
const restore: RulesetLayer = { kind: 'restore', v4: file('fw/rules.v4'), v6: file('fw/rules.v6') };
const nft: RulesetLayer = { kind: 'nft', nft: file('fw/rules.nft') };
const script: RulesetLayer = { kind: 'script', script: file('fw/fw.sh'), tolerate: [], leftoversAllowed: null };
const ufw: RulesetLayer = { kind: 'ufw', dir: 'ufw', files: [{ name: 'user.rules', file: file('fw/ufw/user.rules') }], defaults: null };

describe('planSyntaxCheck', () => {
  it('tests both restore files before applying either, with the backend tools, from an empty ruleset', () => {
    const plan = planSyntaxCheck([{ ruleset: restore, backend: 'legacy' }]);
    expect(plan.scenarios[0]!.steps.map((s) => s.command.join(' '))).toEqual([
      'nft flush ruleset',
      `iptables-legacy-restore --test ${CHECK_DIR}/0/0-rules.v4`,
      `ip6tables-legacy-restore --test ${CHECK_DIR}/0/0-rules.v6`,
      `iptables-legacy-restore ${CHECK_DIR}/0/0-rules.v4`,
      `ip6tables-legacy-restore ${CHECK_DIR}/0/0-rules.v6`,
    ]);
    expect(plan.copies.map((c) => c.target)).toEqual([`${CHECK_DIR}/0/0-rules.v4`, `${CHECK_DIR}/0/0-rules.v6`]);
    expect(plan.scenarios[0]!.files).toBe(2);
  });

  it('checks an nft file alone with nft -c, and applies it only when a later layer may use its tables', () => {
    const alone = planSyntaxCheck([{ ruleset: nft, backend: 'nft' }]).scenarios[0]!;
    expect(alone.steps.map((s) => s.command.slice(0, -1).join(' '))).toEqual(['nft flush', 'nft -c -f']);
    const layered = planSyntaxCheck([{ ruleset: { kind: 'layers', layers: [nft, restore] }, backend: 'nft' }]).scenarios[0]!;
    expect(layered.steps.map((s) => `${s.layer} ${s.command.slice(0, -1).join(' ')}`)).toEqual([
      '-1 nft flush',
      '0 nft -c -f',
      '0 nft -f',
      '1 iptables-restore --test',
      '1 ip6tables-restore --test',
      '1 iptables-restore',
      '1 ip6tables-restore',
    ]);
  });

  it('gives a script bash -n only, and names what comes after a script or a ufw folder as not checked', () => {
    const plan = planSyntaxCheck([
      { ruleset: { kind: 'layers', layers: [script, nft] }, backend: 'nft' },
      { ruleset: { kind: 'layers', layers: [ufw, restore] }, backend: 'nft' },
      { ruleset: { kind: 'none' }, backend: 'nft' },
    ]);
    const [afterScript, afterUfw, none] = plan.scenarios;
    expect(afterScript!.steps.map((s) => s.command.join(' '))).toEqual(['nft flush ruleset', `bash -n ${CHECK_DIR}/0/0-script.sh`]);
    expect(afterScript!.skipped).toEqual(['fw/rules.nft: after a script layer, which validate does not run']);
    expect(afterUfw!.steps).toEqual([]);
    expect(afterUfw!.skipped).toEqual(['fw/ufw: ufw loads its own files; a run checks them when ufw starts', 'fw/rules.v4, fw/rules.v6: after a ufw layer, which validate does not run']);
    expect(none).toEqual({ steps: [], skipped: [], files: 0 });
  });
});

/**
 * A ruleset that does not apply names the offending rule's own line, on both backends. The hard cases are
 * rules that only the kernel refuses when the table is committed: `--test` accepts them, and the restore
 * tool then blames the COMMIT line (nft: an unknown target; legacy: a target or match the table or chain
 * does not allow), or names the line in a form fwprobe did not read (nft: "line 7: RULE_APPEND failed").
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { RulesetApplyError } from '../model/errors.ts';
import type { Backend } from '../model/ruleset.ts';
import { applyRestore, savedRuleset } from './apply-ruleset.ts';
import { FwprobeContainer, type StartedFwprobeContainer } from './container.ts';

/** A restore file with `bad` as line 7, between good rules; COMMIT is line 9. */
const withRule = (bad: string) =>
  ['# fwprobe test ruleset', '*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', '-A INPUT -i lo -j ACCEPT', bad, '-A INPUT -p tcp --dport 80 -j ACCEPT', 'COMMIT', ''].join(
    '\n',
  );

const BAD_RULES = {
  'an unknown match': '-A INPUT -p tcp --dport 22 -m nosuchmatch -j ACCEPT',
  'an unknown target': '-A INPUT -p tcp --dport 22 -j NOSUCHTARGET',
  'a target the filter table does not allow': '-A INPUT -p tcp --dport 22 -j MASQUERADE',
  'a match INPUT does not allow': '-A INPUT -m owner --uid-owner 0 -j ACCEPT',
};

const GOOD = { source: 'good.v4', text: withRule('-A INPUT -p tcp --dport 443 -j ACCEPT') };

const hosts = new Map<Backend, StartedFwprobeContainer>();

beforeAll(async () => {
  for (const backend of ['nft', 'legacy'] as const) hosts.set(backend, await new FwprobeContainer(inject('fwprobeImage')).withBackend(backend).start());
});

afterAll(async () => {
  await Promise.all([...hosts.values()].map((host) => host.remove()));
});

describe.each(['nft', 'legacy'] as const)('a rule that does not apply, %s backend', (backend) => {
  for (const [what, rule] of Object.entries(BAD_RULES)) {
    test(`${what}: the error names line 7, the rule itself, and the firewall is left as it was`, async () => {
      const host = hosts.get(backend)!;
      await applyRestore(host, { v4: GOOD, v6: null });
      const before = withoutHandles(await savedRuleset(host));
      const error = await applyRestore(host, { v4: { source: 'bad.v4', text: withRule(rule) }, v6: null }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RulesetApplyError);
      expect((error as RulesetApplyError).line, (error as Error).message).toBe(7);
      expect((error as Error).message).toContain(`bad.v4:7: ${rule}`);
      expect(withoutHandles(await savedRuleset(host))).toEqual(before);
    });
  }
});

/**
 * The ruleset as the kernel has it, without nft's object handles: a refused restore rolls back by loading
 * the previous tables again, which leaves the same rules under new handles (2 → 5), not another firewall.
 */
function withoutHandles(saved: Awaited<ReturnType<typeof savedRuleset>>): unknown {
  return { ...saved, nftJson: saved.nftJson?.replace(/"handle": \d+/g, '"handle": 0') };
}

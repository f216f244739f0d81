/**
 * ufw's rule origin, on the real ufw folder of scenarios/ufw: a rule iptables-save prints back is found at
 * its line of before.rules / user.rules (user6.rules for IPv6), a policy at the defaults file's line, and
 * nothing is named where the files do not decide it.
 */
import { describe, expect, test } from 'vitest';
import type { RuleInKernel } from '../../model/ruleset-form.ts';
import { loadScenario } from '../../scenario/load.ts';
import { ufwOrigin } from './ufw-origin.ts';

const scenario = await loadScenario('scenarios/ufw/allow-ssh-dns.scenario.yaml');
const ipv6No = await loadScenario('scenarios/ufw/ipv6-no.scenario.yaml');
if (scenario.ruleset.kind !== 'ufw' || ipv6No.ruleset.kind !== 'ufw') throw new TypeError('the ufw scenarios no longer use { ufw }');
const form = scenario.ruleset;

const rule = (family: 'ipv4' | 'ipv6', chain: string, position: number, rules: number, text: string): RuleInKernel => ({
  engine: 'iptables',
  family,
  table: 'filter',
  chain,
  rule: { position, rules, text },
});
const policy = (family: 'ipv4' | 'ipv6', chain: string): RuleInKernel => ({ engine: 'iptables', family, table: 'filter', chain, rule: null });

describe('ufw rule origin', () => {
  test('a user rule, as iptables-save prints it, at its line of user.rules and user6.rules', () => {
    expect(ufwOrigin(form, rule('ipv4', 'ufw-user-input', 0, 2, '-A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT'))).toEqual({ file: 'scenarios/ufw/etc-ufw/user.rules', line: 21 });
    expect(ufwOrigin(form, rule('ipv6', 'ufw6-user-input', 1, 2, '-A ufw6-user-input -p udp -m udp --dport 53 -j ACCEPT'))).toEqual({ file: 'scenarios/ufw/etc-ufw/user6.rules', line: 24 });
  });

  test('a before.rules rule at its line, beside the jump to the user chain ufw appends itself (which has none)', () => {
    // The kernel holds before.rules' 12 rules of ufw-before-input, then ufw's own `-j ufw-user-input`.
    expect(ufwOrigin(form, rule('ipv4', 'ufw-before-input', 0, 13, '-A ufw-before-input -i lo -j ACCEPT'))).toEqual({ file: 'scenarios/ufw/etc-ufw/before.rules', line: 21 });
    expect(ufwOrigin(form, rule('ipv4', 'ufw-before-input', 2, 13, '-A ufw-before-input -m conntrack --ctstate INVALID -j ufw-logging-deny'))).toEqual({
      file: 'scenarios/ufw/etc-ufw/before.rules',
      line: 30,
    });
    expect(ufwOrigin(form, rule('ipv4', 'ufw-before-input', 12, 13, '-A ufw-before-input -j ufw-user-input'))).toBeNull();
    expect(ufwOrigin(form, rule('ipv4', 'ufw-before-input', 0, 12, '-A ufw-before-input -i lo -j ACCEPT'))).toBeNull();
  });

  test("no line where the files do not decide it: another count, another target, a chain something inserts into, ufw's own chains", () => {
    expect(ufwOrigin(form, rule('ipv4', 'ufw-user-input', 0, 3, '-A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT'))).toBeNull();
    expect(ufwOrigin(form, rule('ipv4', 'ufw-user-input', 0, 2, '-A ufw-user-input -p tcp -m tcp --dport 22 -j DROP'))).toBeNull();
    expect(ufwOrigin(form, rule('ipv4', 'ufw-logging-deny', 1, 2, '-A ufw-logging-deny -j LOG'))).toBeNull();
    expect(ufwOrigin(form, rule('ipv4', 'INPUT', 0, 1, '-A INPUT -j ufw-before-logging-input'))).toBeNull();
    expect(ufwOrigin(form, { engine: 'nft', nftFamily: 'inet', table: 'filter', chain: 'input', rule: { text: 'accept' } })).toBeNull();
  });

  test("a built-in chain's policy at its DEFAULT_*_POLICY line; IPv6 only where the defaults say IPV6=yes", () => {
    expect(ufwOrigin(form, policy('ipv4', 'INPUT'))).toEqual({ file: 'scenarios/ufw/default-ufw-ipv6-yes', line: 11 });
    expect(ufwOrigin(form, policy('ipv6', 'FORWARD'))).toEqual({ file: 'scenarios/ufw/default-ufw-ipv6-yes', line: 19 });
    expect(ufwOrigin(ipv6No.ruleset as typeof form, policy('ipv6', 'INPUT'))).toBeNull();
    expect(ufwOrigin({ ...form, defaults: null }, policy('ipv4', 'INPUT'))).toBeNull();
    expect(ufwOrigin(form, policy('ipv4', 'ufw-user-input'))).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';

import { generateScenarioRules } from './generate-entry.ts';

describe('generate-entry (scenario ruleset: generate)', () => {
  it('turns a preset into restore texts, v6 null for book-2007', () => {
    const out = generateScenarioRules({ policy: null, preset: 'book-2007', params: { internal_interface: 'eth1' } });
    expect(out.v4.text).toContain('-A INPUT -i eth1 ! -s 192.168.10.0/24 -j DROP');
    expect(out.v4.source).toContain('preset book-2007');
    expect(out.v6).toBeNull();
  });

  it('turns a policy file into both families, and names the file on errors', () => {
    const policy = { path: '/tmp/x/web.yaml', text: 'inbound: [{port: 80}]\n' };
    const out = generateScenarioRules({ policy, preset: null, params: {} });
    expect(out.v6?.text).toContain('-A INPUT -p tcp --dport 80 -m conntrack --ctstate NEW -j ACCEPT');
    expect(() => generateScenarioRules({ policy: { ...policy, text: 'inbound: [{port: 0}]' }, preset: null, params: {} })).toThrow(/web\.yaml:\n  - inbound\[0\]\.port: expected 1-65535, got 0/);
  });
});

/** The model read from `*-save` text and nft's JSON listing: tables, chains, positions, matches, targets, text. */
import { describe, expect, it } from 'vitest';
import { appliedModel } from './model.ts';
import { HBH, REDIRECT } from './nft-fixtures.test-helpers.ts';

describe('appliedModel', () => {
  it('reads every table of both families, each rule with its modules, options, negation and target', () => {
    const v4 = [
      '*raw',
      ':PREROUTING ACCEPT [0:0]',
      '-A PREROUTING -p tcp -m tcp --dport 3306 -j DROP',
      'COMMIT',
      '*nat',
      ':PREROUTING ACCEPT [0:0]',
      '-A PREROUTING -p tcp -m tcp --dport 13306 -j REDIRECT --to-ports 3306',
      'COMMIT',
      '*filter',
      ':INPUT DROP [0:0]',
      ':mine - [0:0]',
      '-A INPUT ! -i lo -p tcp -m comment --comment "two words" -j mine',
      '-A INPUT -j LOG --log-prefix "[x] " -m limit --limit 3/min',
      'COMMIT',
    ].join('\n');
    const model = appliedModel({ v4, v6: '*filter\n-A INPUT -p udp --dport 53 -j ACCEPT\nCOMMIT\n' });
    expect(model.rules.map((r) => `${r.family} ${r.table} ${r.chain}#${r.position} ${r.targets.map((t) => t.name).join(',')}`)).toEqual([
      'ipv4 raw PREROUTING#1 DROP',
      'ipv4 nat PREROUTING#1 REDIRECT',
      'ipv4 filter INPUT#1 mine',
      'ipv4 filter INPUT#2 LOG',
      'ipv6 filter INPUT#1 ACCEPT',
    ]);
    const jump = model.rules[2]!;
    expect(jump.targets[0]).toMatchObject({ jump: 'jump', chain: 'mine' });
    expect(jump.matches).toEqual([
      {
        kind: 'xt',
        name: 'ip',
        options: [
          { name: '-i', args: ['lo'], negated: true },
          { name: '-p', args: ['tcp'], negated: false },
        ],
      },
      { kind: 'xt', name: 'comment', options: [{ name: '--comment', args: ['two words'], negated: false }] },
    ]);
    expect(model.rules[3]!.targets[0]!.args).toEqual(['--log-prefix', '[x] ']);
    expect(model.rules[3]!.matches.map((m) => m.name)).toEqual(['limit']);
    // `-p udp --dport 53` without `-m udp`: the protocol's own module, as iptables loads it.
    expect(model.rules[4]!.matches.map((m) => `${m.name} ${m.options.map((o) => o.name).join(' ')}`)).toEqual(['ip -p', 'udp --dport']);
    expect(model.chains.filter((c) => c.family === 'ipv4').map((c) => `${c.table} ${c.name} ${c.hook}`)).toEqual([
      'raw PREROUTING prerouting',
      'nat PREROUTING prerouting',
      'filter INPUT input',
      'filter mine null',
    ]);
  });

  it("reads native nft tables from JSON, with nft's own text and an inet table in both families", () => {
    const model = appliedModel({ v4: '', v6: '', ...REDIRECT });
    expect(model.rules.map((r) => `${r.family} ${r.nftFamily} ${r.table} ${r.chain}#${r.position} ${r.text}`)).toEqual([
      'ipv4 inet portfw fwd_in#1 tcp dport 8080 redirect to :22',
      'ipv6 inet portfw fwd_in#1 tcp dport 8080 redirect to :22',
    ]);
    expect(model.rules[0]!.matches).toEqual([{ kind: 'nft', name: 'payload tcp', options: [{ name: 'dport', args: ['8080'], negated: false }], values: ['8080'] }]);
    expect(model.rules[0]!.targets).toEqual([{ name: 'redirect', args: ['{"port":22}'] }]);
    const hbh = appliedModel({ v4: '', v6: '', ...HBH });
    expect(hbh.chains.map((c) => `${c.family} ${c.name} ${c.hook}`)).toEqual(['ipv6 input input', 'ipv6 unused null', 'ipv6 orphan null']);
    expect(hbh.rules.find((r) => r.text === 'jump unused')?.targets).toEqual([{ name: 'jump', args: ['unused'], chain: 'unused', jump: 'jump' }]);
  });
});

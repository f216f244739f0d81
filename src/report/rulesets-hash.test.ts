// Attack on the rulesets hash: a user's rule that merely names Docker's DNS chains (a comment, a chain of
// that name outside nat) was dropped from the hash, so a ruleset that opened every port hashed the same.
import { describe, expect, it } from 'vitest';
import { rulesetsHash } from './rulesets-hash.ts';

describe('rulesetsHash and Docker-named user rules', () => {
  const nft = (rule: string) => ['table inet filter {', '\tchain input {', '\t\ttype filter hook input priority filter; policy drop;', '\t\ttcp dport 22 accept', `\t\t${rule}`, '\t}', '}'].join('\n');

  it('an nft rule with the comment "DOCKER_OUTPUT" changes the hash when it changes', () => {
    const a = rulesetsHash({ v4: '', v6: '', nft: nft('tcp dport 9 drop comment "DOCKER_OUTPUT"') });
    const b = rulesetsHash({ v4: '', v6: '', nft: nft('tcp dport 1-65535 accept comment "DOCKER_OUTPUT"') });
    expect(b).not.toBe(a);
  });

  it('a filter chain named DOCKER_POSTROUTING is hashed like any other chain', () => {
    const chain = (port: number) => ['table inet filter {', '\tchain DOCKER_POSTROUTING {', `\t\ttcp dport ${port} accept`, '\t}', '}'].join('\n');
    expect(rulesetsHash({ v4: '', v6: '', nft: chain(22) })).not.toBe(rulesetsHash({ v4: '', v6: '', nft: chain(3000) }));
  });

  it('an iptables-save filter rule commented DOCKER_OUTPUT changes the hash', () => {
    const save = (target: string) => `*filter\n:INPUT DROP [0:0]\n-A INPUT -p tcp -m tcp --dport 9 -m comment --comment DOCKER_OUTPUT -j ${target}\nCOMMIT\n`;
    expect(rulesetsHash({ v4: save('DROP'), v6: '' })).not.toBe(rulesetsHash({ v4: save('ACCEPT'), v6: '' }));
  });

  it("Docker's own DNS rules (nat, 127.0.0.11, a random port) still do not", () => {
    const save = (port: number) =>
      `*nat\n:OUTPUT ACCEPT [0:0]\n:DOCKER_OUTPUT - [0:0]\n-A OUTPUT -d 127.0.0.11/32 -j DOCKER_OUTPUT\n-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:${port}\nCOMMIT\n`;
    expect(rulesetsHash({ v4: save(41000), v6: '' })).toBe(rulesetsHash({ v4: save(52000), v6: '' }));
    const listing = (port: number) => ['table ip nat {', '\tchain DOCKER_POSTROUTING {', `\t\tip saddr 127.0.0.11 udp sport ${port} counter packets 1 bytes 60 snat to :53`, '\t}', '}'].join('\n');
    expect(rulesetsHash({ v4: '', v6: '', nft: listing(41000) })).toBe(rulesetsHash({ v4: '', v6: '', nft: listing(52000) }));
  });
});

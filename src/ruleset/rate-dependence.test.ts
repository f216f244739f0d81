/** Which applied rules make a verdict depend on rate or chance. */
import { describe, expect, it } from 'vitest';
import { RATE } from './applied/nft-fixtures.test-helpers.ts';
import { rateDependentRules } from './rate-dependence.ts';

describe('rateDependentRules', () => {
  it('finds every rate, history and chance match, per family', () => {
    const v4 = [
      '*filter',
      ':INPUT DROP [0:0]',
      '-A INPUT -p tcp -m tcp --dport 22 --tcp-flags FIN,SYN,RST,ACK SYN -m limit --limit 3/min --limit-burst 5 -j ACCEPT',
      '-A INPUT -p tcp -m hashlimit --hashlimit-upto 1/sec --hashlimit-name ssh -j ACCEPT',
      '-A INPUT -p tcp -m recent --update --seconds 30 --hitcount 6 --name DEFAULT --mask 255.255.255.255 --rsource -j DROP',
      '-A INPUT -p tcp -m connlimit --connlimit-above 2 --connlimit-mask 32 --connlimit-saddr -j REJECT',
      '-A INPUT -m statistic --mode random --probability 0.5 -j ACCEPT',
      '-A INPUT -p tcp --dport 80 -j ACCEPT',
      'COMMIT',
    ].join('\n');
    const v6 = '*filter\n-A INPUT -p tcp --dport 22 -m state --state NEW -m limit --limit 1/s -j ACCEPT\nCOMMIT\n';
    const found = rateDependentRules({ v4, v6 });
    expect(found.map((r) => `${r.family} ${r.match}`)).toEqual(['ipv4 limit', 'ipv4 hashlimit', 'ipv4 recent', 'ipv4 connlimit', 'ipv4 statistic', 'ipv6 limit']);
  });

  it('finds nothing in a plain ruleset, and does not mistake a comment or a chain name', () => {
    const v4 = '*filter\n:limit-chain - [0:0]\n-A INPUT -j limit-chain\n-A INPUT -m comment --comment "no limit here" -j ACCEPT\nCOMMIT\n';
    expect(rateDependentRules({ v4, v6: '' })).toEqual([]);
  });

  it("leaves out rules that only log: a rate limit on a LOG cannot change a packet's fate", () => {
    const v4 = [
      '*filter',
      '-A ufw-after-logging-input -j LOG --log-prefix "[UFW BLOCK] " -m limit --limit 3/min --limit-burst 10',
      '-A ufw-user-limit -m limit --limit 3/minute -j LOG --log-prefix "[UFW LIMIT BLOCK] "',
      '-I ufw-logging-deny -m conntrack --ctstate INVALID -j RETURN -m limit --limit 3/min --limit-burst 10',
      '-A INPUT -j ufw-logging-deny',
      'COMMIT',
    ].join('\n');
    // A RETURN out of a chain that only logs changes no fate either (passive-chains.ts)…
    expect(rateDependentRules({ v4, v6: '' })).toEqual([]);
    // …but where the chain goes on to decide, the RETURN decides which rules the packet meets next: it stays.
    const deciding = v4.replace('COMMIT', '-A ufw-logging-deny -p tcp -m tcp --dport 3306 -j DROP\nCOMMIT');
    expect(rateDependentRules({ v4: deciding, v6: '' }).map((r) => r.rule)).toEqual([v4.split('\n')[3]]);
    // A RETURN that skips a DROP decides which rules the packet meets next: it stays, and so does a jump
    // into a chain that holds one.
    const skipsDrop = v4.replace('COMMIT', '-A ufw-logging-deny -p tcp --dport 22 -j DROP\n-A INPUT -m limit --limit 3/min -j ufw-user-limit\n-A ufw-user-limit -j REJECT\nCOMMIT');
    expect(rateDependentRules({ v4: skipsDrop, v6: '' }).map((r) => r.rule)).toEqual([v4.split('\n')[3], '-A INPUT -m limit --limit 3/min -j ufw-user-limit']);
    // RATE: `limit rate 3/minute log prefix "drop "` and `tcp dport 22 limit rate 3/minute accept`, an inet table.
    expect(rateDependentRules({ v4: '', v6: '', ...RATE }).map((r) => `${r.family} ${r.rule}`)).toEqual([
      'ipv4 tcp dport 22 limit rate 3/minute accept',
      'ipv6 tcp dport 22 limit rate 3/minute accept',
    ]);
  });

  it('reads nftables forms too', () => {
    expect(rateDependentRules({ v4: '', v6: '', ...RATE }).map((r) => r.match)).toEqual(['limit rate', 'limit rate']);
  });
});

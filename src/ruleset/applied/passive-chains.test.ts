/**
 * ufw's own logging chains decide nothing: a rate-limited jump into a chain that only logs (and RETURNs)
 * is not "a verdict that depends on rate". Anything that can change a packet's fate stays: a jump to a
 * chain that drops, a goto, a RETURN out of a chain that decides.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifiedRules } from './classify.ts';
import { appliedModel } from './model.ts';

const read = (f: string) => readFileSync(new URL(`./fixtures/${f}`, import.meta.url), 'utf8');
const save = (chains: string[], ...rules: string[]) =>
  ['*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', ...chains.map((c) => `:${c} - [0:0]`), ...rules, 'COMMIT', ''].join('\n');
const rate = (v4: string) => classifiedRules(appliedModel({ v4, v6: '' }), 'rate').map((r) => r.rule);

describe('chains that only log', () => {
  it("ufw's stock rules: no rate finding left in either family (3 before: ufw-logging-deny's RETURN, ufw-not-local's jump, ufw6-logging-deny's RETURN)", () => {
    const saved = { v4: read('ufw-allow-ssh-dns.v4'), v6: read('ufw-allow-ssh-dns.v6') };
    expect(saved.v4).toContain('-A ufw-not-local -m limit --limit 3/min --limit-burst 10 -j ufw-logging-deny');
    expect(classifiedRules(appliedModel(saved), 'rate')).toEqual([]);
  });

  it('a limited jump into a log-only chain, and a limited RETURN inside it, decide nothing', () => {
    const v4 = save(
      ['logdeny'],
      '-A INPUT -p tcp -m limit --limit 3/min -j logdeny',
      '-A logdeny -m conntrack --ctstate INVALID -m limit --limit 3/min -j RETURN',
      '-A logdeny -m limit --limit 3/min -j LOG --log-prefix "[BLOCK] "',
    );
    expect(rate(v4)).toEqual([]);
  });

  it('attacks: a limited jump to a chain that drops, a goto, and a RETURN out of a deciding chain stay rate', () => {
    const drops = save(['limited'], '-A INPUT -p tcp -m limit --limit 3/min -j limited', '-A limited -j LOG', '-A limited -j DROP');
    expect(rate(drops)).toEqual(['-A INPUT -p tcp -m limit --limit 3/min -j limited']);
    const goto = save(['logonly'], '-A INPUT -p tcp -m limit --limit 3/min -g logonly', '-A INPUT -p tcp --dport 22 -j ACCEPT', '-A logonly -j LOG');
    expect(rate(goto)).toEqual(['-A INPUT -p tcp -m limit --limit 3/min -g logonly']);
    const early = save(['svc'], '-A INPUT -p tcp -j svc', '-A svc -m limit --limit 3/min -j RETURN', '-A svc -p tcp --dport 22 -j ACCEPT');
    expect(rate(early)).toEqual(['-A svc -m limit --limit 3/min -j RETURN']);
  });

  it('a chain that jumps on to a deciding chain is not passive', () => {
    const v4 = save(['a', 'b'], '-A INPUT -p tcp -m limit --limit 3/min -j a', '-A a -j LOG', '-A a -j b', '-A b -p tcp --dport 3306 -j DROP');
    expect(rate(v4)).toEqual(['-A INPUT -p tcp -m limit --limit 3/min -j a']);
  });
});

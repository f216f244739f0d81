/**
 * The baseline file is committed and edited by people: it must be stable (a re-run with nothing changed
 * is no diff), and a hand-edited mistake must name the file and the field.
 */
import { describe, expect, it } from 'vitest';
import { BaselineInvalidError } from '../model/errors.ts';
import { baselinePathFor, parseBaseline, renderBaseline, rulesetsHash } from './baseline-file.ts';
import { exposureOf, sliceKey, type PortReading } from './exposure.ts';
import { exposureChanges, formatChange } from './exposure-diff.ts';

const obs = (vantage: string, family: 'ipv4' | 'ipv6', port: number, state: PortReading['state']): PortReading => ({ vantage, family, protocol: 'tcp', port, state });
const readings = [
  obs('peer', 'ipv6', 80, 'filtered'),
  obs('loopback', 'ipv4', 22, 'open'),
  obs('peer', 'ipv6', 22, 'open'),
  obs('peer', 'ipv6', 81, 'filtered'),
  obs('loopback', 'ipv4', 25, 'delivered'),
  obs('loopback', 'ipv4', 3000, 'closed'),
];
const HASH = `sha256:${'ab'.repeat(32)}`;
const doc = (r: PortReading[]) => ({ fwprobe: '0.1.0', scenario: 'web', rulesets: HASH, exposure: exposureOf(r) });

describe('baseline file', () => {
  it('one line per slice in a stable order, whatever order the run saw them in', () => {
    const text = renderBaseline(doc(readings));
    expect(renderBaseline(doc([...readings].reverse()))).toBe(text);
    expect(text).toBe(`{
  "format": 2,
  "fwprobe": "0.1.0",
  "scenario": "web",
  "rulesets": "${HASH}",
  "exposure": [
    {"vantage":"loopback","host":"target","family":"ipv4","protocol":"tcp","open":"22","delivered":"25","admitted":"3000","blocked":""},
    {"vantage":"peer","host":"target","family":"ipv6","protocol":"tcp","open":"22","admitted":"","blocked":"80-81"}
  ]
}
`);
  });

  it('reads back what it wrote', () => {
    const back = parseBaseline(renderBaseline(doc(readings)), 'web.baseline.json');
    expect(renderBaseline(back)).toBe(renderBaseline(doc(readings)));
  });

  it.each([
    ['not JSON', '{"format": 1,', /web\.baseline\.json is not valid JSON/],
    [
      'a bad port list',
      renderBaseline(doc(readings)).replace('"open":"22"', '"open":"22,x"'),
      /web\.baseline\.json is not a valid fwprobe baseline \(format 2\):\n {2}exposure\[0\]\.open: invalid port list "22,x"/,
    ],
    ['a port in two lists', renderBaseline(doc(readings)).replace('"blocked":"80-81"', '"blocked":"22,80-81"'), /exposure\[1\]\.blocked: port 22 is also in open/],
    [
      'a slice twice',
      renderBaseline(doc(readings)).replace('"vantage":"loopback","host":"target","family":"ipv4"', '"vantage":"peer","host":"target","family":"ipv6"'),
      /exposure\[1\]: peer target ipv6 tcp is listed twice/,
    ],
    ['another format', renderBaseline(doc(readings)).replace('"format": 2', '"format": 3'), /format: expected 2 \(or 1, an older baseline/],
    ['a misspelt field', renderBaseline(doc(readings)).replace('"blocked":""', '"blocked":"","opne":"80"'), /exposure\[0\]: Unrecognized key: "opne"/],
    ['format 1 words in a format 2 file', renderBaseline(doc(readings)).replace('"blocked":""', '"shut":""'), /\(format 2\):[\s\S]*exposure\[0\]/],
    ['a bad hash', renderBaseline(doc(readings)).replace(HASH, 'sha256:xyz'), /rulesets: expected sha256: and 64 hex digits/],
  ])('%s is an error naming the file and the field, and what to do', (_what, text, message) => {
    const attempt = () => parseBaseline(text, 'web.baseline.json');
    expect(attempt).toThrow(BaselineInvalidError);
    expect(attempt).toThrow(message);
    expect(attempt).toThrow(/write it again with `fwprobe baseline`/);
  });

  it("the rulesets hash ignores counters, comments and Docker's DNS rules (a random port each run), not rules", () => {
    const a = { v4: '# Generated on Mon\n*filter\n:INPUT DROP [0:0]\nCOMMIT\n', v6: '*filter\nCOMMIT\n' };
    const b = { v4: '# Generated on Tue\n*filter\n:INPUT DROP [12:3400]\nCOMMIT\n', v6: '*filter\nCOMMIT\n' };
    expect(rulesetsHash(a)).toBe(rulesetsHash(b));
    expect(rulesetsHash(a)).not.toBe(rulesetsHash({ ...a, v4: a.v4.replace('DROP', 'ACCEPT') }));
    const dns = (port: number) => `*nat\n:DOCKER_OUTPUT - [0:0]\n-A DOCKER_OUTPUT -d 127.0.0.11/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:${port}\nCOMMIT\n`;
    expect(rulesetsHash({ ...a, v4: a.v4 + dns(46823) })).toBe(rulesetsHash({ ...a, v4: a.v4 + dns(33421) }));
    expect(rulesetsHash(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("hashes every applied form: an nft ruleset's rule changes the hash, its handles, counters and Docker's DNS ports do not", () => {
    const nft = (port: number, dns: number, extra = '') =>
      [
        'table ip nat {',
        '\tchain DOCKER_OUTPUT {',
        `\t\tip daddr 127.0.0.11 udp dport 53 counter packets 3 bytes 180 dnat to 127.0.0.11:${dns} # handle 4`,
        '\t}',
        '\tchain OUTPUT {',
        '\t\ttype nat hook output priority -100; policy accept;',
        '\t\tip daddr 127.0.0.11 counter jump DOCKER_OUTPUT',
        '\t}',
        '}',
        'table inet filter {',
        '\tchain input {',
        '\t\ttype filter hook input priority filter; policy drop;',
        `\t\ttcp dport ${port} counter accept${extra}`,
        '\t}',
        '}# Warning: table ip nat is managed by iptables-nft, do not touch!',
      ].join('\n');
    const empty = { v4: '', v6: '' };
    const hash = rulesetsHash({ ...empty, nft: nft(22, 43699) });
    expect(rulesetsHash({ ...empty, nft: nft(22, 52268, ' # handle 7').replace('counter accept', 'counter packets 12 bytes 720 accept') })).toBe(hash);
    expect(rulesetsHash({ ...empty, nft: nft(3000, 43699) })).not.toBe(hash);
    // The iptables-save-only hash every nft baseline shared before: no longer what an nft ruleset hashes to.
    expect(hash).not.toBe(rulesetsHash(empty));
  });

  it('reads a format 1 baseline: shut is kept and compared as blocked, so a newly admitted port is a change', () => {
    const old = `{
  "format": 1,
  "fwprobe": "0.1.0",
  "scenario": "web",
  "rulesets": "${HASH}",
  "exposure": [
    {"vantage":"peer","host":"target","family":"ipv4","protocol":"tcp","open":"22","shut":"80,3000"}
  ]
}
`;
    const back = parseBaseline(old, 'web.baseline.json');
    expect(back.format).toBe(1);
    const slice = back.exposure.get(sliceKey({ vantage: 'peer', host: 'target', family: 'ipv4', protocol: 'tcp' }));
    expect(Object.fromEntries(slice?.ports ?? [])).toEqual({ 22: 'open', 80: 'shut', 3000: 'shut' });
    const run = exposureOf([obs('peer', 'ipv4', 22, 'open'), obs('peer', 'ipv4', 80, 'filtered'), obs('peer', 'ipv4', 3000, 'closed')]);
    expect(exposureChanges(back.exposure, run).map(formatChange)).toEqual(['peer ipv4 tcp/3000: shut → admitted (more access)']);
    // Written again, it is format 2 with the four words.
    expect(renderBaseline({ ...back, exposure: run })).toContain('"open":"22","admitted":"3000","blocked":"80"');
  });

  it('lives beside its scenario', () => {
    expect(baselinePathFor('/r/scenarios/web.scenario.yaml')).toBe('/r/scenarios/web.baseline.json');
    expect(baselinePathFor('/r/x.scenario.ts')).toBe('/r/x.baseline.json');
  });
});

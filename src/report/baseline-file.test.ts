/**
 * The baseline file is committed and edited by people: it must be stable (a re-run with nothing changed
 * is no diff), and a hand-edited mistake must name the file and the field.
 */
import { describe, expect, it } from 'vitest';
import { BaselineInvalidError } from '../model/errors.ts';
import { baselinePathFor, parseBaseline, renderBaseline, rulesetsHash } from './baseline-file.ts';
import { exposureOf, type PortReading } from './exposure.ts';

const obs = (vantage: string, family: 'ipv4' | 'ipv6', port: number, state: PortReading['state']): PortReading => ({ vantage, family, protocol: 'tcp', port, state });
const readings = [
  obs('peer', 'ipv6', 80, 'filtered'),
  obs('loopback', 'ipv4', 22, 'open'),
  obs('peer', 'ipv6', 22, 'open'),
  obs('peer', 'ipv6', 81, 'filtered'),
  obs('loopback', 'ipv4', 25, 'delivered'),
];
const HASH = `sha256:${'ab'.repeat(32)}`;
const doc = (r: PortReading[]) => ({ fwprobe: '0.1.0', scenario: 'web', rulesets: HASH, exposure: exposureOf(r) });

describe('baseline file', () => {
  it('one line per slice in a stable order, whatever order the run saw them in', () => {
    const text = renderBaseline(doc(readings));
    expect(renderBaseline(doc([...readings].reverse()))).toBe(text);
    expect(text).toBe(`{
  "format": 1,
  "fwprobe": "0.1.0",
  "scenario": "web",
  "rulesets": "${HASH}",
  "exposure": [
    {"vantage":"loopback","host":"target","family":"ipv4","protocol":"tcp","open":"22","delivered":"25","shut":""},
    {"vantage":"peer","host":"target","family":"ipv6","protocol":"tcp","open":"22","shut":"80-81"}
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
      /web\.baseline\.json is not a valid fwprobe baseline:\n {2}exposure\[0\]\.open: invalid port list "22,x"/,
    ],
    ['a port in two lists', renderBaseline(doc(readings)).replace('"shut":"80-81"', '"shut":"22,80-81"'), /exposure\[1\]\.shut: port 22 is also in open/],
    [
      'a slice twice',
      renderBaseline(doc(readings)).replace('"vantage":"loopback","host":"target","family":"ipv4"', '"vantage":"peer","host":"target","family":"ipv6"'),
      /exposure\[1\]: peer target ipv6 tcp is listed twice/,
    ],
    ['another format', renderBaseline(doc(readings)).replace('"format": 1', '"format": 2'), /format: expected 1/],
    ['a misspelt field', renderBaseline(doc(readings)).replace('"shut":""', '"shut":"","opne":"80"'), /exposure\[0\]: Unrecognized key: "opne"/],
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

  it('lives beside its scenario', () => {
    expect(baselinePathFor('/r/scenarios/web.scenario.yaml')).toBe('/r/scenarios/web.baseline.json');
    expect(baselinePathFor('/r/x.scenario.ts')).toBe('/r/x.baseline.json');
  });
});

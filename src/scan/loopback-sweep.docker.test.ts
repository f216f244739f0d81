/**
 * A full 65535-port loopback TCP sweep must see every port exactly once and never read nmap's own source
 * port as `closed`: the port equal to the source port gets a SYN from itself, which conntrack can take for
 * a reply (ESTABLISHED) and let in, so the kernel answers with a reset. Pinning the source port (`-g`) and
 * observing that one port in a separate scan from another source port fixes it.
 */
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { applyRestore } from '../lab/apply-ruleset.ts';
import { FwprobeContainer, type StartedFwprobeContainer } from '../lab/container.ts';
import { startServices } from '../lab/services.ts';
import { FAMILIES } from '../model/observation.ts';
import { parsePortSpec } from '../model/ports.ts';
import { scanPorts } from './nmap.ts';
import { LabScope, loopbackAddress } from './scope.ts';
import type { ScanResult } from './types.ts';

const LISTENING = [22, 53, 80, 443];
const ALL_PORTS = Array.from({ length: 65535 }, (_, i) => i + 1);

const restore = (policies: [string, string, string], rules: string[] = []) =>
  ['*filter', `:INPUT ${policies[0]} [0:0]`, `:FORWARD ${policies[1]} [0:0]`, `:OUTPUT ${policies[2]} [0:0]`, ...rules, 'COMMIT', ''].join('\n');

const RULESETS = {
  // bench/scenarios.ts DROP_ALL: every probe is refused on its way out (OUTPUT), nothing reaches INPUT.
  'INPUT+OUTPUT DROP': restore(['DROP', 'DROP', 'DROP']),
  // scenarios/established-only: probes leave, and conntrack decides what comes in. Here the self-addressed
  // SYN (source port = destination port) used to pass as ESTABLISHED and read closed.
  'INPUT DROP, ESTABLISHED accepted': restore(['DROP', 'DROP', 'ACCEPT'], ['-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT']),
};

/** Every port with its state/reason, from observations and summaries; fails on a port seen twice. */
function everyPort(scan: ScanResult): Map<number, string> {
  const seen = new Map<number, string>();
  const add = (port: number, what: string) => {
    expect(seen.has(port), `port ${port} is reported twice`).toBe(false);
    seen.set(port, what);
  };
  for (const o of scan.observations) add(o.port, `${o.state}/${o.reason}`);
  for (const s of scan.others) {
    expect(s.ports, `a summary without its port list: ${JSON.stringify(s)}`).not.toBeNull();
    for (const port of parsePortSpec(s.ports!)) add(port, `${s.state}/${s.reason}`);
  }
  return seen;
}

let target: StartedFwprobeContainer;

beforeAll(async () => {
  target = await new FwprobeContainer(inject('fwprobeImage')).withServices(LISTENING.map((port) => ({ protocol: 'tcp' as const, port, bind: 'any' }))).start();
  await startServices(target);
});

afterAll(async () => {
  await target?.remove();
});

describe('a loopback sweep of 1-65535/tcp', () => {
  for (const [name, text] of Object.entries(RULESETS)) {
    test(`${name}: every port filtered on both families, the pinned source port included`, async () => {
      await applyRestore(target, { v4: { source: name, text }, v6: { source: name, text } });
      for (const family of FAMILIES) {
        const t0 = Date.now();
        const scan = await scanPorts(
          (command) => target.run(command),
          {
            vantage: 'loopback',
            family,
            protocol: 'tcp',
            target: loopbackAddress(family),
            ports: LISTENING,
            scanPorts: ALL_PORTS,
          },
          new LabScope(),
        );
        console.log(`${name} ${family}: ${Date.now() - t0} ms, source port ${scan.sourcePort}`);
        const ports = everyPort(scan);
        expect(ports.size).toBe(65535);
        const notFiltered = [...ports].filter(([, what]) => what !== 'filtered/no-response');
        expect(notFiltered, `${family}: ports that are not filtered`).toEqual([]);
        expect(scan.sourcePort, 'the result names the source port nmap was pinned to').toEqual(expect.any(Number));
        expect(scan.command).toEqual(expect.arrayContaining(['-g', String(scan.sourcePort)]));
        expect(ports.get(scan.sourcePort!)).toBe('filtered/no-response');
      }
    });
  }
});

/**
 * Issue 21 in a real lab: a scenario with a `docker:` block runs Debian's dockerd in the target, and a
 * scenario that believes the admin's INPUT drop hides a published port fails on exactly that port, with
 * the path named instead of the INPUT rule it bypassed: Docker's FORWARD accept, after its nat DNAT.
 * The database published on 127.0.0.1 only is reached all the same at its own address, routed through the
 * target. One scenario run (two inner containers); the passing library scenarios are in library.test.ts.
 */
import { expect, inject, test } from 'vitest';
import { runScenarioFile } from '../../src/run/files.ts';

test('docker: -p 8080:80 past an INPUT drop, and a 127.0.0.1-published database routed to, fail the scenario on exactly those two', async () => {
  const t0 = Date.now();
  const result = await runScenarioFile('test/fixtures/docker/believes-input-drop/believes-input-drop.scenario.yaml', { image: inject('fwprobeImage') });
  expect(result.status, result.error).toBe('failed');
  expect(
    result.verdict?.mismatches.map((m) => `${m.host ? `${m.vantage}→${m.host}` : m.vantage} ${m.family} ${m.protocol}/${m.port}: expected ${m.expected.join('|')}, observed ${m.observed}`),
  ).toEqual(['peer ipv4 tcp/8080: expected filtered, observed open', 'peer→db ipv4 tcp/5432: expected filtered, observed open']);
  expect(result.verdict?.unverified).toEqual([]);
  expect(result.verdict?.missing).toEqual([]);
  // The rules judged are the daemon's own, beside the admin's: the DNAT to the container is in them.
  expect(result.applied?.v4).toMatch(/-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172\.17\.0\.\d+:80/);
  expect(result.applied?.v4).toMatch(/-A DOCKER -d 127\.0\.0\.1\/32 ! -i docker0 -p tcp -m tcp --dport 5432 -j DNAT/);
  expect(result.applied?.v4).toMatch(/-A INPUT -p tcp -m tcp --dport 8080 -j DROP/);
  // The open port is never blamed on the INPUT rule it bypassed: it names the path, nat DNAT then FORWARD.
  const why = result.observations.find((o) => o.vantage === 'peer' && o.family === 'ipv4' && o.port === 8080)?.attribution;
  expect(why, JSON.stringify(why)).toMatchObject({ tool: 'iptables', table: 'filter', chain: 'DOCKER', verdict: 'ACCEPT', path: ['FORWARD', 'DOCKER'] });
  expect(why?.rule).toMatch(/^-A DOCKER -d 172\.17\.0\.\d+\/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 80 -j ACCEPT$/);
  // Docker's DNAT for 8080, not the 127.0.0.1 one for 5432.
  // and the admin's INPUT drop that never saw it, named as off the path.
  expect(why?.note).toMatch(
    /^forwarded after a nat DNAT: `-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172\.17\.0\.\d+:80`; filter INPUT: `-A INPUT -p tcp -m tcp --dport 8080 -j DROP` denies 8080\/tcp on INPUT: not on this path$/,
  );
  // The database at its own address: a routed client connected, and the trace names Docker's FORWARD accept.
  const db = result.observations.find((o) => o.vantage === 'peer' && o.host === 'db' && o.port === 5432);
  expect(db?.reason).toMatch(/^connected: a client from 10\.213\.0\.2 to 172\.17\.0\.\d+:5432, routed through the target$/);
  expect(db?.attribution, JSON.stringify(db?.attribution)).toMatchObject({ table: 'filter', chain: 'DOCKER', verdict: 'ACCEPT', path: ['FORWARD', 'DOCKER'] });
  expect(db?.attribution?.rule).toMatch(/^-A DOCKER -d 172\.17\.0\.\d+\/32 ! -i docker0 -o docker0 -p tcp -m tcp --dport 5432 -j ACCEPT$/);
  expect(result.phases.map((p) => p.name)).toEqual(expect.arrayContaining(['docker image', 'ruleset', 'docker', 'docker containers', 'docker rules', 'self-check', 'scans']));
  const ms = (name: string) => result.phases.find((p) => p.name === name)?.ms;
  console.log(
    `docker scenario: ${((Date.now() - t0) / 1000).toFixed(1)} s; dockerd ${ms('docker')} ms, containers ${ms('docker containers')} ms, rules ${ms('docker rules')} ms, scans ${ms('scans')} ms`,
  );
});

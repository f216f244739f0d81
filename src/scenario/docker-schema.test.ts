/**
 * The `docker:` block through the loader: defaults filled, published ports scanned as the target's, and
 * every problem named by its field (a bad -p string, a host port published twice or held by the target).
 */
import { describe, expect, test } from 'vitest';
import { ScenarioError } from '../model/errors.ts';
import { normaliseScenario } from './normalise.ts';

const base = { name: 'n', ruleset: { none: true }, parity: 'strict' } as const;
const file = '/nonexistent/x.scenario.yaml';

async function issuesOf(input: Record<string, unknown>): Promise<string[]> {
  const error = await normaliseScenario({ ...base, ...input }, { file }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ScenarioError);
  return (error as ScenarioError).issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('the docker block', () => {
  test("defaults are 20.10's daemon.json; published host ports are scanned beside the target's services", async () => {
    const scenario = await normaliseScenario(
      { ...base, services: ['9090/tcp'], docker: { containers: { web: { publish: ['8080:80', '[::]:8443:443', '5353:53/udp'], services: ['80/tcp', '443/tcp', '53/udp'] } } } },
      { file },
    );
    expect(scenario.docker?.daemon).toEqual({ iptables: true, ip6tables: false, userlandProxy: true });
    expect(scenario.docker?.containers[0]).toMatchObject({
      name: 'web',
      services: [
        { protocol: 'tcp', port: 80 },
        { protocol: 'tcp', port: 443 },
        { protocol: 'udp', port: 53 },
      ],
    });
    expect(scenario.docker?.containers[0]?.publish.map((p) => p.hostIp)).toEqual([null, '::', null]);
    expect(scenario.scan.tcp).toEqual({ kind: 'list', ports: [8080, 8443, 9090] });
    expect(scenario.scan.udp).toEqual({ kind: 'list', ports: [5353] });
    // Never started by fwprobe's own listener on the target: dockerd opens them.
    expect(scenario.services).toEqual([{ protocol: 'tcp', port: 9090, bind: 'any' }]);
  });

  test('a scenario without the block has no docker host', async () => {
    const scenario = await normaliseScenario({ ...base, services: ['22/tcp'] }, { file });
    expect(scenario.docker).toBeUndefined();
  });

  test('each problem names its field', async () => {
    expect(await issuesOf({ docker: { containers: { web: { publish: ['80'], services: ['80/tcp'] } } } })).toEqual([expect.stringMatching(/^docker\.containers\.web\.publish\.0: .*random port/)]);
    expect(await issuesOf({ docker: { containers: { Web: { services: ['80/tcp'] } } } })).toEqual([expect.stringMatching(/^docker\.containers\.Web: invalid key/)]);
    expect(await issuesOf({ docker: { containers: { web: { services: [] } } } })).toEqual([expect.stringMatching(/^docker\.containers\.web\.services: expected at least one service/)]);
    expect(await issuesOf({ docker: { containers: {} } })).toEqual([expect.stringMatching(/^docker\.containers: expected 1 to 8 containers/)]);
    expect(await issuesOf({ docker: { daemon: { iptable: true }, containers: { web: { services: ['80/tcp'] } } } })).toEqual([expect.stringMatching(/^docker\.daemon\.iptable: unknown field/)]);
  });

  test('a host port published twice, or held by the target itself, is named where it is written', async () => {
    const issues = await issuesOf({
      services: ['9090/tcp'],
      docker: { containers: { a: { publish: ['8080:80'], services: ['80/tcp'] }, b: { publish: ['127.0.0.1:8080:80', '9090:90'], services: ['80/tcp'] } } },
    });
    expect(issues).toEqual([
      'docker.containers.b.publish.0: expected each host port once, found tcp/8080 again (already published by a)',
      "docker.containers.b.publish.1: expected each host port once, found tcp/9090 again (already services: the target's own 9090/tcp)",
    ]);
  });

  test('a range that would start hundreds of proxies is refused', async () => {
    expect(await issuesOf({ docker: { containers: { web: { publish: ['8000-8100:8000-8100'], services: ['80/tcp'] } } } })).toContain(
      'docker.containers: expected at most 64 published host ports, found 101',
    );
  });
});
